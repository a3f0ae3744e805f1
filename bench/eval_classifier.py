"""Accuracy of the list classifier on the labelled dev set: ``python -m bench.eval_classifier``.

Loads every list in data/lists/*.yaml (what a county in the demo has in force: the national layer, the provincial duty, assist
and negative lists, the city's guidance list and the two certificate lists), classifies each line of
tests/data/classify_dev.jsonl in its mode (one index per mode, as the DB layer builds them) and prints
accuracy, balanced accuracy (mean recall over the six verdicts; "unlisted" work items and certificates
form one class), refusal recall (negative items and forbidden certificates refused), false-refusal rate
(duty, assist and allowed-certificate items refused) and the confusion matrix. ``--errors`` lists the
misses, ``--sweep`` the metrics around the decision thresholds. No Django: matching.py is pure Python.
"""

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from jianfu.catalog.matching import MODES, MatchIndex, MatchItem, build_index, load_synonyms  # noqa: E402

from .harness import Table  # noqa: E402

LISTS_DIR = ROOT / "data" / "lists"
DEV_SET = ROOT / "tests" / "data" / "classify_dev.jsonl"
VERDICTS = ("duty", "assist", "negative", "unlisted", "cert_allowed", "cert_forbidden")
REFUSALS = frozenset({"negative", "cert_forbidden"})
ALLOWED = frozenset({"duty", "assist", "cert_allowed"})
TARGETS = {"balanced_accuracy": 0.85, "refusal_recall": 0.95, "false_refusal": 0.05}


def legal_basis_text(basis) -> str:
    return "；".join(
        f"《{b.get('law', '')}》{b.get('articles', '') or ''}" for b in basis or () if b.get("law")
    )


def _in_force_today(row: dict) -> bool:
    """National files date each item by its text (effective_from / effective_to): keep today's texts only."""
    today = date.today()
    start, end = row.get("effective_from"), row.get("effective_to")
    return (start is None or start <= today) and (end is None or end >= today)


def load_list_items(directory: Path = LISTS_DIR) -> list[MatchItem]:
    """Every item of every list file in force today, as the classifier sees it."""
    items = []
    for path in sorted(directory.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        meta = data["list"]
        for row in (r for r in data.get("items") or () if _in_force_today(r)):
            items.append(
                MatchItem(
                    kind=meta["kind"],
                    list_id=path.stem,
                    list_title=meta.get("title", path.stem),
                    code=str(row.get("code", "")),
                    content=row["content"],
                    examples=tuple(row.get("examples") or ()),
                    legal_basis=legal_basis_text(row.get("legal_basis")),
                    category=row.get("category") or "",
                )
            )
    return items


def load_dev(path: Path = DEV_SET) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@dataclass
class Report:
    rows: list[tuple[dict, str]] = field(default_factory=list)  # (dev row, predicted verdict)

    @property
    def confusion(self) -> Counter:
        return Counter((row["label"], predicted) for row, predicted in self.rows)

    def recall(self, label: str) -> float | None:
        relevant = [p for r, p in self.rows if r["label"] == label]
        return sum(p == label for p in relevant) / len(relevant) if relevant else None

    @property
    def accuracy(self) -> float:
        return sum(r["label"] == p for r, p in self.rows) / len(self.rows)

    @property
    def balanced_accuracy(self) -> float:
        recalls = [x for x in (self.recall(v) for v in VERDICTS) if x is not None]
        return sum(recalls) / len(recalls)

    @property
    def refusal_recall(self) -> float:
        relevant = [p for r, p in self.rows if r["label"] in REFUSALS]
        return sum(p in REFUSALS for p in relevant) / len(relevant)

    @property
    def false_refusal(self) -> float:
        relevant = [p for r, p in self.rows if r["label"] in ALLOWED]
        return sum(p in REFUSALS for p in relevant) / len(relevant)

    def errors(self) -> list[tuple[dict, str]]:
        return [(r, p) for r, p in self.rows if r["label"] != p]


def build_indexes(items: list[MatchItem], synonyms=None) -> dict[str, MatchIndex]:
    """One index per mode, as the DB layer builds them (IDF is over that mode's items only)."""
    synonyms = load_synonyms() if synonyms is None else synonyms
    return {
        mode: build_index([i for i in items if i.kind in kinds], synonyms) for mode, kinds in MODES.items()
    }


def evaluate(indexes: dict[str, MatchIndex], rows: list[dict]) -> Report:
    report = Report()
    for row in rows:
        report.rows.append((row, indexes[row["mode"]].classify(row["text"], mode=row["mode"]).verdict))
    return report


def metrics_table(report: Report, n_items: int) -> Table:
    table = Table(f"List classifier on {len(report.rows)} labelled texts ({n_items} list items loaded)")
    table.add("accuracy", f"{report.accuracy:.3f}")
    for label, key, value, sign in (
        ("balanced accuracy", "balanced_accuracy", report.balanced_accuracy, "≥"),
        ("refusal recall", "refusal_recall", report.refusal_recall, "≥"),
        ("false-refusal rate", "false_refusal", report.false_refusal, "≤"),
    ):
        target = TARGETS[key]
        table.add(
            label, f"{value:.3f}", f"{sign} {target}", value >= target if sign == "≥" else value <= target
        )
    for verdict in VERDICTS:
        recall = report.recall(verdict)
        if recall is not None:
            n = sum(r["label"] == verdict for r, _ in report.rows)
            table.add(f"recall {verdict} (n={n})", f"{recall:.3f}")
    return table


def confusion_text(report: Report) -> str:
    labels = [v for v in VERDICTS if any(r["label"] == v or p == v for r, p in report.rows)]
    width = max(len(v) for v in labels) + 2
    confusion = report.confusion
    lines = ["Confusion matrix (rows: label, columns: verdict)"]
    lines.append("label \\ verdict".ljust(width + 4) + "".join(v.rjust(width) for v in labels))
    for label in labels:
        cells = "".join(str(confusion.get((label, v), 0)).rjust(width) for v in labels)
        lines.append(label.ljust(width + 4) + cells)
    return "\n".join(lines)


def sweep(items: list[MatchItem], rows: list[dict]) -> Table:
    """The metrics around the calibrated decision thresholds (the scores do not change, only the cut-offs)."""
    from jianfu.catalog import matching

    indexes = build_indexes(items)
    saved = matching.MATCH_THRESHOLD, matching.FORBID_MARGIN
    table = Table("Decision thresholds: balanced accuracy / refusal recall / false refusal")
    try:
        for threshold in (0.18, 0.2, 0.22, 0.24, 0.26, 0.28, 0.3):
            for margin in (0.1, 0.2, 0.3):
                matching.MATCH_THRESHOLD, matching.FORBID_MARGIN = threshold, margin
                r = evaluate(indexes, rows)
                met = r.balanced_accuracy >= 0.85 and r.refusal_recall >= 0.95 and r.false_refusal <= 0.05
                value = f"{r.balanced_accuracy:.3f} / {r.refusal_recall:.3f} / {r.false_refusal:.3f}"
                chosen = (threshold, margin) == saved
                table.add(f"threshold {threshold:.2f}, margin {margin:.1f}{' (in use)' if chosen else ''}", value,
                          "≥.85 / ≥.95 / ≤.05", met)  # fmt: skip
    finally:
        matching.MATCH_THRESHOLD, matching.FORBID_MARGIN = saved
    return table


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.eval_classifier", description=__doc__)
    parser.add_argument("--dev", type=Path, default=DEV_SET, help="labelled JSONL (default: tests/data/…)")
    parser.add_argument("--lists", type=Path, default=LISTS_DIR, help="directory of list YAML files")
    parser.add_argument("--errors", action="store_true", help="print every misclassified text")
    parser.add_argument("--sweep", action="store_true", help="also print the metrics around the thresholds")
    args = parser.parse_args(argv)
    items = load_list_items(args.lists)
    indexes = build_indexes(items)
    report = evaluate(indexes, load_dev(args.dev))
    print(metrics_table(report, len(items)).render() + "\n")
    print(confusion_text(report) + "\n")
    if args.sweep:
        print(sweep(items, load_dev(args.dev)).render() + "\n")
    if args.errors:
        for row, predicted in report.errors():
            verdict = indexes[row["mode"]].classify(row["text"], mode=row["mode"])
            best = verdict.matches[0] if verdict.matches else None
            near = f"{best.item.code} {best.score:.2f} {best.matched_text}" if best else "-"
            print(f"{row['id']:<12} {row['label']:>14} -> {predicted:<14} {row['text']}  [{near}]")


if __name__ == "__main__":
    main()
