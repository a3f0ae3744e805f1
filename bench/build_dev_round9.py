"""Build the held-out set ``tests/data/classify_dev_round9.jsonl`` from its sources.

``python -m bench.build_dev_round9`` reads ``tests/data/classify_dev_round9_sources.yaml`` and writes one JSON line per
item (ids ``dev-r9-NNN``) with exactly the schema of the frozen test set (no ``split``: the whole set is held out, a
third measure beside the frozen set and round 8, never tuned on). Built as ``bench.build_dev_round8`` builds its set,
with dev_round8 added to what it must stay away from:

- a text that equals or nearly equals a line of the frozen set, an item or example of ``data/lists/``, or a line of
  dev, dev_real, dev_wild, dev_fresh, dev_round7 or dev_round8 is refused (same near-duplicate test as the others);
- a document any of whose lines the frozen set nearly repeats is dropped whole;
- a document another set already cites (round 8 included) is dropped whole: its address, its LawRefBook path or its
  title (the first 《…》 of ``source``) appears in the ``source`` of a line of another set;
- a document ``data/lists/`` already uses is dropped whole (a law an item names as its legal basis).

A refusal names only the candidate and the set it collides with, never the other text.
"""

from pathlib import Path

from .build_dev_real import DATA, Guard, jsonl_texts, write_set
from .build_dev_round8 import OTHER_SETS as ROUND8_OTHER_SETS
from .build_dev_round8 import OUT as DEV_ROUND8_SET
from .build_dev_round8 import build_held_out, cited_documents
from .build_dev_round8 import default_guard as round8_guard

SOURCES = DATA / "classify_dev_round9_sources.yaml"
OUT = DATA / "classify_dev_round9.jsonl"
README = DATA / "classify_dev_round9.README.md"
CHECKSUM = DATA / "classify_dev_round9.sha256"
ID_PREFIX = "dev-r9"
OTHER_SETS = {**ROUND8_OTHER_SETS, "classify_dev_round8.jsonl": DEV_ROUND8_SET}


def default_guard() -> Guard:
    guard = round8_guard()
    guard.sets.update(Guard({"classify_dev_round8.jsonl": jsonl_texts(DEV_ROUND8_SET)}).sets)
    return guard


def build_round9(
    sources: Path = SOURCES, guard: Guard | None = None, cited: dict[str, str] | None = None
) -> tuple[list[dict], list[str]]:
    cited = cited_documents(OTHER_SETS) if cited is None else cited
    return build_held_out(sources, guard or default_guard(), cited, ID_PREFIX)


def main() -> None:
    write_set(*build_round9(), OUT, README)


if __name__ == "__main__":
    main()
