"""Build the generalisation tuning set ``tests/data/classify_dev_wild.jsonl`` from its sources.

``python -m bench.build_dev_wild`` reads ``tests/data/classify_dev_wild_sources.yaml`` and writes one JSON line per
item with the schema of the frozen test set (ids ``dev-wild-NNN``). Like ``bench.build_dev_real`` it REFUSES any
text that equals or nearly equals a line of the frozen test set, an item or example of ``data/lists/``, a line of
``classify_dev.jsonl`` and, in addition, a line of ``classify_dev_real.jsonl``: dev_wild measures how the classifier
does on wording none of the other sets and lists use. A refusal names only the candidate and the set it collides
with, never the other text.
"""

from pathlib import Path

from .build_dev_real import (
    DATA,
    DEV_SET,
    TEST_SET,
    Guard,
    build,
    jsonl_texts,
    list_texts,
    write_set,
)
from .build_dev_real import (
    OUT as DEV_REAL_SET,
)
from .build_dev_real import write_readme as _write_readme

SOURCES = DATA / "classify_dev_wild_sources.yaml"
OUT = DATA / "classify_dev_wild.jsonl"
README = DATA / "classify_dev_wild.README.md"
ID_PREFIX = "dev-wild"


def default_guard() -> Guard:
    return Guard(
        {
            "frozen test set": jsonl_texts(TEST_SET),
            "data/lists": list_texts(),
            "classify_dev.jsonl": jsonl_texts(DEV_SET),
            "classify_dev_real.jsonl": jsonl_texts(DEV_REAL_SET),
        }
    )


def build_wild(sources: Path = SOURCES, guard: Guard | None = None) -> tuple[list[dict], list[str]]:
    rows, refused = build(sources, guard or default_guard())
    for n, row in enumerate(rows, 1):
        row["id"] = f"{ID_PREFIX}-{n:03d}"
    return rows, refused


def write_readme(rows: list[dict], path: Path = README) -> None:
    _write_readme(rows, path)


def main() -> None:
    write_set(*build_wild(), OUT, README)


if __name__ == "__main__":
    main()
