"""The frozen test set of the classifier (tests/data/classify_test.jsonl) stays frozen, well-formed and apart from dev.

The set measures the classifier; it is never tuned on. Changing it is a deliberate act: the checksum in
tests/data/classify_test.sha256 must be updated in the same commit, which this test makes visible.
No database and no classifier here: only the file.
"""

import hashlib
import json
import re
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "data"
TEST_SET = DATA / "classify_test.jsonl"
CHECKSUM = DATA / "classify_test.sha256"
DEV_SET = DATA / "classify_dev.jsonl"

FIELDS = {"id", "text", "mode", "label", "text_kind", "region", "source", "rule"}
LABELS_BY_MODE = {
    "work": {"duty", "assist", "negative", "unlisted"},
    "certificate": {"cert_allowed", "cert_forbidden", "unlisted"},
}
KINDS = {"list_item", "statute", "real_wording"}


def normalised(text: str) -> str:
    """Text without spaces and punctuation, so a copy that differs only in a comma still counts as the same."""
    return re.sub(r"[\W_]+", "", text)


def rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def test_rows():
    return rows(TEST_SET)


def test_the_file_matches_its_recorded_checksum():
    recorded = CHECKSUM.read_text(encoding="ascii").split()
    assert recorded[1] == TEST_SET.name
    actual = hashlib.sha256(TEST_SET.read_bytes()).hexdigest()
    assert actual == recorded[0], (
        "classify_test.jsonl changed: it is frozen; update the checksum only on purpose"
    )


def test_every_line_has_the_schema(test_rows):
    assert test_rows
    for row in test_rows:
        assert set(row) == FIELDS, row.get("id")
        assert all(isinstance(row[key], str) and row[key].strip() for key in FIELDS), row["id"]
        assert row["label"] in LABELS_BY_MODE[row["mode"]], row["id"]
        assert row["text_kind"] in KINDS, row["id"]
        assert len(row["text"]) <= 2000, row["id"]
        assert re.search(r"[\u4e00-\u9fff]", row["text"]), row["id"]


def test_ids_and_texts_are_unique(test_rows):
    assert len({row["id"] for row in test_rows}) == len(test_rows)
    texts = [normalised(row["text"]) for row in test_rows]
    assert len(set(texts)) == len(texts)


def test_no_test_text_is_in_the_dev_set(test_rows):
    dev = {normalised(row["text"]) for row in rows(DEV_SET)}
    shared = [row["id"] for row in test_rows if normalised(row["text"]) in dev]
    assert shared == []


def test_it_covers_enough_regions_for_leave_one_region_out(test_rows):
    assert len({row["region"] for row in test_rows}) >= 8
