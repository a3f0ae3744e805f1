# Two commands for a newcomer: `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres:postgres@127.0.0.1:5432/postgres
# One pytest worker per core (at most 4: each worker builds its own test database).
PYTEST_ARGS ?= -n auto --maxprocesses=4

.PHONY: demo test install lint e2e check-deploy test-postgres fuzz bench eval screenshots clean

install: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

demo: install
	JIANFU_DEMO=1 JIANFU_DEBUG=0 $(BIN)/jianfu demo

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/lint-imports
	$(BIN)/mypy src/jianfu

test: install lint
	$(BIN)/pytest -q $(PYTEST_ARGS)

test-postgres: install
	DATABASE_URL=$(PG_URL) $(BIN)/pytest -q $(PYTEST_ARGS)

# Schemathesis over every API operation with many more examples than `make test` runs; prints the figures.
FUZZ_EXAMPLES ?= 50
fuzz: install
	JIANFU_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/pytest -q -s -p no:logging tests/api/test_fuzz.py tests/grid/test_open311_fuzz.py

check-deploy: install
	JIANFU_ENV=production JIANFU_SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))') \
	  JIANFU_AUDIT_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(48))') JIANFU_REDIS_URL=redis://127.0.0.1:6379/0 \
	  JIANFU_ALLOWED_HOSTS=jianfu.example.gov.cn JIANFU_SITE_URL=https://jianfu.example.gov.cn $(BIN)/jianfu check --deploy --fail-level WARNING

bench: install
	$(BIN)/python -m bench

eval: install
	$(BIN)/python -m bench.eval_classifier

screenshots: install
	$(BIN)/python -m tests.e2e.screenshots

clean:
	rm -rf $(VENV) node_modules var
