"""Schemathesis over every operation of the API's OpenAPI schema, in-process, as an administrator and as a
village cadre: no generated request, valid or not, may get a server error.

``JIANFU_FUZZ_EXAMPLES`` sets the examples per operation and mode (valid and invalid data): a few in
``make test``, more in ``make fuzz``, which also prints the figures (``-s``). The demo records are loaded and
path parameters are drawn from real ids and region codes as well as at random, so requests reach past the 404.
"""

import contextlib
import os
import re
from collections import Counter

import hypothesis
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.generation.modes import GenerationMode

from jianfu.orgs import services

EXAMPLES = int(os.environ.get("JIANFU_FUZZ_EXAMPLES", "3"))
ALLOWED_5XX = {503}  # a dependency said to be down (e.g. the shared cache) is an answer, not a crash


@contextlib.contextmanager
def _connections_kept():
    """Inside a test the database connection is in a transaction; Django's request signals would close it.
    (The test client does the same for its own requests.)"""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _schema():
    raw = Client().get("/api/v1/openapi.json").json()
    schema = schemathesis.openapi.from_dict(raw)
    schema.app = get_wsgi_application()
    return schema


def fuzz(schema, headers: dict, examples: int | None = None) -> dict:
    """Run every operation; return the figures and every server error as (operation, status, request)."""
    examples = examples or EXAMPLES
    operations = [result.ok() for result in schema.get_all_operations()]
    statuses, errors = Counter(), []
    for operation in operations:
        with _connections_kept():
            _runner(operation, headers, examples, statuses, errors)()
    return {
        "operations": len(operations),
        "cases": sum(statuses.values()),
        "statuses": statuses,
        "errors": errors,
    }


# Path parameters of records that exist (the demo's): random ones only ever reach the 404.
KNOWN_IDS = (1, 2, 3, 5, 8)
KNOWN_CODES = ("428521000000", "428521101000", "428521101201", "428521001001", "428522100201")


def _known_paths(operation) -> list[dict]:
    names = re.findall(r"\{(\w+)\}", operation.path)
    if not names:
        return []
    if all(n == "code" for n in names):
        return [dict.fromkeys(names, code) for code in KNOWN_CODES]
    if all(n in ("pk", "seq") or n.endswith("_pk") for n in names):
        return [dict.fromkeys(names, number) for number in KNOWN_IDS]
    return []


def _runner(operation, headers: dict, examples: int, statuses: Counter, errors: list):
    strategies = [operation.as_strategy(generation_mode=mode) for mode in GenerationMode]
    strategies += [
        operation.as_strategy(generation_mode=mode, path_parameters=known)
        for known in _known_paths(operation)
        for mode in GenerationMode
    ]
    strategy = st.one_of(*strategies)

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
        phases=[hypothesis.Phase.generate],
    )
    @given(case=strategy)
    def run(case):
        response = case.call(headers=headers)
        statuses[response.status_code] += 1
        if response.status_code >= 500 and response.status_code not in ALLOWED_5XX:
            errors.append((operation.label, response.status_code, case.as_curl_command()))

    return run


def _report(persona: str, figures: dict) -> str:
    return (
        f"{persona}: {figures['operations']} operations, {figures['cases']} cases, "
        f"{len(figures['errors'])} server errors; statuses {dict(sorted(figures['statuses'].items()))}"
    )


@pytest.fixture
def demo_world(shared_demo):
    """Records to act on, in every app: the whole demo, loaded once for both personas (rolled back after each)."""
    return shared_demo


@pytest.mark.parametrize("persona", ["admin", "village_cadre"])
def test_it_answers_every_generated_request_without_a_server_error(persona, demo_world):
    world = demo_world
    schema = _schema()
    _token, key = services.api_token_create(actor=world.people[persona], name="模糊测试")
    figures = fuzz(schema, {"Authorization": f"Bearer {key}"})
    print(_report(persona, figures))
    assert figures["operations"] >= 200 and figures["cases"] >= figures["operations"]
    assert not figures["errors"], "\n".join(
        f"{label} → {status}\n  {curl}" for label, status, curl in figures["errors"]
    )
