"""Build the held-out set ``tests/data/classify_dev_round8.jsonl`` from its sources.

``python -m bench.build_dev_round8`` reads ``tests/data/classify_dev_round8_sources.yaml`` and writes one JSON line per
item (ids ``dev-r8-NNN``) with exactly the schema of the frozen test set (no ``split``: the whole set is held out, a
second measure beside the frozen set, never tuned on). Built as ``bench.build_dev_round7`` builds its set, with
dev_round7 added to what it must stay away from, and one more refusal:

- a text that equals or nearly equals a line of the frozen set, an item or example of ``data/lists/``, or a line of
  dev, dev_real, dev_wild, dev_fresh or dev_round7 is refused (same near-duplicate test as the other builders);
- a document any of whose lines the frozen set nearly repeats is dropped whole;
- a document another set already cites is dropped whole: its address (``http…``), its LawRefBook path (``….md``) or
  its title (the first 《…》 of ``source``) appears in the ``source`` of a line of another set;
- a document ``data/lists/`` already uses is dropped whole: its title is a law an item of ``data/lists/`` names as its
  legal basis (``legal_basis: - law:``), with or without the prefix 中华人民共和国.

A refusal names only the candidate and the set it collides with, never the other text.
"""

import json
import re
from pathlib import Path

import yaml

from .build_dev_fresh import OUT as DEV_FRESH_SET
from .build_dev_fresh import _article, drop_frozen_documents
from .build_dev_real import DATA, DEV_SET, LISTS_DIR, TEST_SET, Guard, build, jsonl_texts, write_set
from .build_dev_real import OUT as DEV_REAL_SET
from .build_dev_round7 import OUT as DEV_ROUND7_SET
from .build_dev_round7 import default_guard as round7_guard
from .build_dev_wild import OUT as DEV_WILD_SET

SOURCES = DATA / "classify_dev_round8_sources.yaml"
OUT = DATA / "classify_dev_round8.jsonl"
README = DATA / "classify_dev_round8.README.md"
CHECKSUM = DATA / "classify_dev_round8.sha256"
ID_PREFIX = "dev-r8"
OTHER_SETS = {
    "frozen test set": TEST_SET,
    "classify_dev.jsonl": DEV_SET,
    "classify_dev_real.jsonl": DEV_REAL_SET,
    "classify_dev_wild.jsonl": DEV_WILD_SET,
    "classify_dev_fresh.jsonl": DEV_FRESH_SET,
    "classify_dev_round7.jsonl": DEV_ROUND7_SET,
}
_ADDRESS = re.compile(r"https?://[^\s）)，,；;]+")
_LAW_PATH = re.compile(r"[^\s；;，,]+\.md")


def default_guard() -> Guard:
    guard = round7_guard()
    guard.sets.update(Guard({"classify_dev_round7.jsonl": jsonl_texts(DEV_ROUND7_SET)}).sets)
    return guard


def document_keys(source: str) -> set[str]:
    """What names a document in a ``source`` string: its addresses, LawRefBook paths and first 《title》."""
    keys = {a.rstrip("/") for a in _ADDRESS.findall(source)} | set(_LAW_PATH.findall(source))
    if re.search(r"《[^》]+》", source):
        keys.add(_law_title(_article(source)))
    return keys


def _law_title(title: str) -> str:
    return f"《{title.removeprefix('中华人民共和国')}》"


def cited_documents(sets: dict[str, Path] = OTHER_SETS, lists_dir: Path = LISTS_DIR) -> dict[str, str]:
    """Every document key another set or data/lists/ cites, mapped to the first set that cites it."""
    cited: dict[str, str] = {}
    for path in sorted(lists_dir.glob("*.yaml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")).get("items") or ():
            for basis in item.get("legal_basis") or ():
                if basis.get("law"):
                    cited.setdefault(_law_title(basis["law"]), "data/lists")
    for name, path in sets.items():
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                for key in document_keys(json.loads(line)["source"]):
                    cited.setdefault(key, name)
    return cited


def build_held_out(
    sources: Path, guard: Guard, cited: dict[str, str], id_prefix: str
) -> tuple[list[dict], list[str]]:
    """A whole held-out set from its sources: the guard's near duplicates refused, then every document the frozen
    set nearly repeats or another set (or data/lists/) cites dropped whole, then the ids numbered."""
    rows, refused = build(sources, guard)
    documents = yaml.safe_load(sources.read_text(encoding="utf-8"))["documents"]
    rows, refused = drop_frozen_documents(rows, refused, documents)
    kept = []
    for row in rows:
        hits = sorted({cited[k] for k in document_keys(row["source"]) if k in cited})
        if hits:
            refused.append(f"{row['region']} · {row['text'][:20]}…: its document is one {hits[0]} cites")
        else:
            kept.append(row)
    for n, row in enumerate(kept, 1):
        row["id"] = f"{id_prefix}-{n:03d}"
    return kept, refused


def build_round8(
    sources: Path = SOURCES, guard: Guard | None = None, cited: dict[str, str] | None = None
) -> tuple[list[dict], list[str]]:
    cited = cited_documents() if cited is None else cited
    return build_held_out(sources, guard or default_guard(), cited, ID_PREFIX)


def main() -> None:
    write_set(*build_round8(), OUT, README)


if __name__ == "__main__":
    main()
