"""The fresh tuning set (tests/data/classify_dev_fresh.jsonl) is well formed, split by document, and apart from every
other set.

dev_fresh checks whether a change to the classifier generalises: its ``hold`` half is never tuned on. A line that
nearly duplicates a line of the frozen set, of data/lists/ or of another dev set, or a document the frozen set uses,
would make it say less; the builder refuses them, and this test checks the committed file again. Only the files.
"""

import json
import re
from collections import defaultdict

import pytest
from bench.build_dev_fresh import OUT, README, SOURCES, SPLITS, build_fresh, default_guard
from bench.build_dev_real import normalised, readme_blocks

from tests.catalog.test_classify_test_set import FIELDS, KINDS, LABELS_BY_MODE


@pytest.fixture(scope="module")
def fresh_rows():
    return [json.loads(line) for line in OUT.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_every_line_has_the_frozen_schema_and_a_split(fresh_rows):
    assert len(fresh_rows) >= 50
    for row in fresh_rows:
        assert set(row) == FIELDS | {"split"}, row.get("id")
        assert re.fullmatch(r"dev-fresh-\d{3}", row["id"]), row["id"]
        assert row["split"] in SPLITS, row["id"]
        assert row["label"] in LABELS_BY_MODE[row["mode"]], row["id"]
        assert row["text_kind"] in KINDS, row["id"]


def test_ids_and_texts_are_unique(fresh_rows):
    assert len({r["id"] for r in fresh_rows}) == len(fresh_rows)
    assert len({normalised(r["text"]) for r in fresh_rows}) == len(fresh_rows)


def test_no_line_nearly_duplicates_another_set_or_the_lists(fresh_rows):
    guard = default_guard()
    assert {"frozen test set", "classify_dev_wild.jsonl", "data/lists"} <= set(guard.sets)
    assert [r["id"] for r in fresh_rows if guard.collision(r["text"])] == []


def test_a_document_sits_on_one_side_of_the_split(fresh_rows):
    sides = defaultdict(set)
    for row in fresh_rows:
        sides[row["source"]].add(row["split"])
    assert all(len(s) == 1 for s in sides.values())
    assert {r["split"] for r in fresh_rows} == set(SPLITS)


def test_the_file_is_what_the_builder_makes_from_its_sources(fresh_rows):
    built, refused = build_fresh(SOURCES)
    assert built == fresh_rows
    assert all("frozen" not in line or "…" in line for line in refused)  # a refusal names the candidate only


def test_the_readme_counts_and_sources_are_those_of_the_file(fresh_rows):
    readme = README.read_text(encoding="utf-8")
    for name, block in readme_blocks(fresh_rows).items():
        assert f"<!-- {name} -->\n{block}\n<!-- /{name} -->" in readme, name
