"""Build the real-wording dev set ``tests/data/classify_dev_real.jsonl`` from its sources.

``python -m bench.build_dev_real`` reads ``tests/data/classify_dev_real_sources.yaml`` (one entry per document:
region, kind of text, source, items as ``[label, text, rule]``) and writes one JSON line per item with the schema
of the frozen test set. It REFUSES any text that equals or nearly equals a line of the frozen test set, an item
or example of ``data/lists/`` or a line of ``classify_dev.jsonl``: a tuning set that shares texts with the test
set would leak it. A refusal names the candidate and the set it collides with, never the other text, so the
frozen set's texts are not shown while building.

Near duplicate: after dropping spaces and punctuation, the texts are equal, or one (of 8 characters or more)
contains the other, or their character-bigram Jaccard similarity is 0.6 or more.
"""

import json
import re
import sys
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
SOURCES = DATA / "classify_dev_real_sources.yaml"
OUT = DATA / "classify_dev_real.jsonl"
README = DATA / "classify_dev_real.README.md"
TEST_SET = DATA / "classify_test.jsonl"
DEV_SET = DATA / "classify_dev.jsonl"
LISTS_DIR = ROOT / "data" / "lists"
JACCARD_LIMIT = 0.6
LABELS_BY_MODE = {
    "work": {"duty", "assist", "negative", "unlisted"},
    "certificate": {"cert_allowed", "cert_forbidden", "unlisted"},
}
KINDS = {"list_item", "statute", "real_wording"}


def normalised(text: str) -> str:
    return re.sub(r"[\W_]+", "", text)


def bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)} or {text}


class Guard:
    """The texts a dev_real line must stay away from, normalised once."""

    def __init__(self, named_texts: dict[str, list[str]]):
        self.sets = {
            name: [(n, bigrams(n)) for n in {normalised(t) for t in texts} if n]
            for name, texts in named_texts.items()
        }

    def collision(self, text: str) -> str | None:
        """The name of the set the text nearly duplicates, or None."""
        n = normalised(text)
        grams = bigrams(n)
        for name, entries in self.sets.items():
            for other, other_grams in entries:
                if n == other:
                    return name
                if min(len(n), len(other)) >= 8 and (n in other or other in n):
                    return name
                if len(grams & other_grams) / len(grams | other_grams) >= JACCARD_LIMIT:
                    return name
        return None


def jsonl_texts(path: Path) -> list[str]:
    if not path.exists():
        return []
    return [
        json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def list_texts(directory: Path = LISTS_DIR) -> list[str]:
    texts = []
    for path in sorted(directory.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for row in data.get("items") or ():
            texts.append(row["content"])
            texts.extend(row.get("examples") or ())
    return texts


def default_guard() -> Guard:
    return Guard(
        {
            "frozen test set": jsonl_texts(TEST_SET),
            "data/lists": list_texts(),
            "classify_dev.jsonl": jsonl_texts(DEV_SET),
        }
    )


def build(sources: Path = SOURCES, guard: Guard | None = None) -> tuple[list[dict], list[str]]:
    guard = guard or default_guard()
    documents = yaml.safe_load(sources.read_text(encoding="utf-8"))["documents"]
    rows, refused, seen = [], [], set()
    for doc in documents:
        mode, kind = doc["mode"], doc["kind"]
        assert kind in KINDS, doc["source"]
        for label, text, rule in doc["items"]:
            assert label in LABELS_BY_MODE[mode], (label, text)
            candidate = f"{doc['region']} · {text[:20]}…"
            if normalised(text) in seen:
                refused.append(f"{candidate}: repeats a line of this set")
                continue
            hit = guard.collision(text)
            if hit:
                refused.append(f"{candidate}: near duplicate of a line of {hit}")
                continue
            seen.add(normalised(text))
            rows.append(
                {
                    "id": f"dev-real-{len(rows) + 1:03d}",
                    "text": text,
                    "mode": mode,
                    "label": label,
                    "text_kind": kind,
                    "region": doc["region"],
                    "source": doc["source"],
                    "rule": rule,
                }
            )
    return rows, refused


def _table(title: str, counts: Counter) -> list[str]:
    lines = [f"| {title} | items |", "| --- | --- |"]
    lines += [f"| {key} | {n} |" for key, n in counts.most_common()]
    return lines + [""]


def readme_blocks(rows: list[dict]) -> dict[str, str]:
    """The README's generated parts: counts per label, kind and region, and items per document."""
    documents = Counter(r["source"] for r in rows)
    counts = [f"Total: **{len(rows)}** items from {len(documents)} documents.", ""]
    counts += _table("label", Counter(r["label"] for r in rows))
    counts += _table("text_kind", Counter(r["text_kind"] for r in rows))
    counts += _table("label × text_kind", Counter(f"{r['label']} · {r['text_kind']}" for r in rows))
    counts += _table("region", Counter(r["region"] for r in rows))
    sources = [f"- {source} — {n} 条" for source, n in documents.items()]
    return {"counts": "\n".join(counts), "sources": "\n".join(sources)}


def write_readme(rows: list[dict], path: Path = README) -> None:
    text = path.read_text(encoding="utf-8")
    for name, block in readme_blocks(rows).items():
        text = re.sub(
            rf"(<!-- {name} -->\n).*?(\n<!-- /{name} -->)",
            lambda m, block=block: m.group(1) + block + m.group(2),
            text,
            flags=re.S,
        )
    path.write_text(text, encoding="utf-8")


def write_set(rows: list[dict], refused: list[str], out: Path, readme: Path) -> None:
    """Every builder's last step: the set as JSON lines, its README's generated blocks (when it has a README),
    and what the builder refused, on stderr."""
    out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    if readme.exists():
        write_readme(rows, readme)
    for line in refused:
        print("refused:", line, file=sys.stderr)
    print(f"{len(rows)} lines written to {out.relative_to(ROOT)}; {len(refused)} refused")


def main() -> None:
    write_set(*build(), OUT, README)


if __name__ == "__main__":
    main()
