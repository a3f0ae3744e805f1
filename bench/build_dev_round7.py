"""Build the fifth tuning set ``tests/data/classify_dev_round7.jsonl`` from its sources.

``python -m bench.build_dev_round7`` reads ``tests/data/classify_dev_round7_sources.yaml`` and writes one JSON line per
item (ids ``dev-r7-NNN``) with the schema of ``classify_dev_fresh.jsonl``: every document on the ``tune`` or the
``hold`` side of a split. Built as ``bench.build_dev_fresh`` builds that set, with dev_fresh added to what it must stay
away from: it REFUSES any text that equals or nearly equals a line of the frozen test set, an item or example of
``data/lists/``, or a line of dev, dev_real, dev_wild or dev_fresh, and drops a document whole when the frozen set nearly
repeats any line of it. A refusal names only the candidate and the set it collides with, never the other text.
"""

from .build_dev_fresh import OUT as DEV_FRESH_SET
from .build_dev_fresh import build_fresh
from .build_dev_fresh import default_guard as fresh_guard
from .build_dev_real import DATA, Guard, jsonl_texts, write_set

SOURCES = DATA / "classify_dev_round7_sources.yaml"
OUT = DATA / "classify_dev_round7.jsonl"
README = DATA / "classify_dev_round7.README.md"
ID_PREFIX = "dev-r7"


def default_guard() -> Guard:
    guard = fresh_guard()
    guard.sets.update(Guard({"classify_dev_fresh.jsonl": jsonl_texts(DEV_FRESH_SET)}).sets)
    return guard


def build_round7(sources=SOURCES, guard: Guard | None = None) -> tuple[list[dict], list[str]]:
    rows, refused = build_fresh(sources, guard or default_guard())
    for n, row in enumerate(rows, 1):
        row["id"] = f"{ID_PREFIX}-{n:03d}"
    return rows, refused


def main() -> None:
    write_set(*build_round7(), OUT, README)


if __name__ == "__main__":
    main()
