"""Build the fourth tuning set ``tests/data/classify_dev_fresh.jsonl`` from its sources.

``python -m bench.build_dev_fresh`` reads ``tests/data/classify_dev_fresh_sources.yaml`` and writes one JSON line per
item (ids ``dev-fresh-NNN``) with the schema of the other sets plus ``split``: every document is on the ``tune``
side (what the classifier may be tuned on) or the ``hold`` side (held out from tuning, read only to check that a
change generalises). Like ``bench.build_dev_wild`` it REFUSES any text that equals or nearly equals a line of the
frozen test set, an item or example of ``data/lists/``, or a line of dev, dev_real or dev_wild. A refusal names only
the candidate and the set it collides with, never the other text.
"""

import re
from pathlib import Path

import yaml

from .build_dev_real import DATA, DEV_SET, TEST_SET, Guard, build, jsonl_texts, list_texts, write_set
from .build_dev_real import OUT as DEV_REAL_SET
from .build_dev_wild import OUT as DEV_WILD_SET

SOURCES = DATA / "classify_dev_fresh_sources.yaml"
OUT = DATA / "classify_dev_fresh.jsonl"
README = DATA / "classify_dev_fresh.README.md"
ID_PREFIX = "dev-fresh"
SPLITS = ("tune", "hold")


def default_guard() -> Guard:
    return Guard(
        {
            "frozen test set": jsonl_texts(TEST_SET),
            "data/lists": list_texts(),
            "classify_dev.jsonl": jsonl_texts(DEV_SET),
            "classify_dev_real.jsonl": jsonl_texts(DEV_REAL_SET),
            "classify_dev_wild.jsonl": jsonl_texts(DEV_WILD_SET),
        }
    )


def _article(source: str) -> str:
    """A document's title as its source names it (《…》), so two reprints of one article count as one."""
    titles = re.findall(r"《([^》]+)》", source)
    return titles[0] if titles else source


def drop_frozen_documents(
    rows: list[dict], refused: list[str], documents: list[dict]
) -> tuple[list[dict], list[str]]:
    """A document any of whose lines the frozen set nearly repeats is a document the frozen set uses: all of it goes.
    Returns the rows kept and the refusals with one line added per row dropped."""
    shared = {
        _article(d["source"])
        for d in documents
        for _, text, _ in d["items"]
        if f"{d['region']} · {text[:20]}…: near duplicate of a line of frozen test set" in refused
    }
    kept = [r for r in rows if _article(r["source"]) not in shared]
    refused = refused + [
        f"{r['region']} · {r['text'][:20]}…: its document is one the frozen test set uses"
        for r in rows
        if r not in kept
    ]
    return kept, refused


def build_fresh(sources: Path = SOURCES, guard: Guard | None = None) -> tuple[list[dict], list[str]]:
    rows, refused = build(sources, guard or default_guard())
    documents = yaml.safe_load(sources.read_text(encoding="utf-8"))["documents"]
    split_of = {(d["region"], d["source"]): d["split"] for d in documents}
    rows, refused = drop_frozen_documents(rows, refused, documents)
    for n, row in enumerate(rows, 1):
        row["id"] = f"{ID_PREFIX}-{n:03d}"
        row["split"] = split_of[(row["region"], row["source"])]
        assert row["split"] in SPLITS, row["source"]
    return rows, refused


def main() -> None:
    write_set(*build_fresh(), OUT, README)


if __name__ == "__main__":
    main()
