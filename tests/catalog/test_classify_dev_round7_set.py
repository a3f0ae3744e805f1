"""The round 7 tuning set (tests/data/classify_dev_round7.jsonl) is well formed, split by document, and apart from
every other set, dev_fresh included.

Like dev_fresh it checks whether a change generalises: its ``hold`` half is never tuned on. The builder refuses lines
that nearly duplicate the frozen set, data/lists/ or another dev set, and documents the frozen set uses; this test
checks the committed file again. Only the files.
"""

import json
import re
from collections import defaultdict

import pytest
from bench.build_dev_fresh import SPLITS
from bench.build_dev_real import normalised, readme_blocks
from bench.build_dev_round7 import OUT, README, SOURCES, build_round7, default_guard

from tests.catalog.test_classify_test_set import FIELDS, KINDS, LABELS_BY_MODE


@pytest.fixture(scope="module")
def r7_rows():
    return [json.loads(line) for line in OUT.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_every_line_has_the_frozen_schema_and_a_split(r7_rows):
    assert len(r7_rows) >= 25
    for row in r7_rows:
        assert set(row) == FIELDS | {"split"}, row.get("id")
        assert re.fullmatch(r"dev-r7-\d{3}", row["id"]), row["id"]
        assert row["split"] in SPLITS, row["id"]
        assert row["label"] in LABELS_BY_MODE[row["mode"]], row["id"]
        assert row["text_kind"] in KINDS, row["id"]


def test_ids_and_texts_are_unique(r7_rows):
    assert len({r["id"] for r in r7_rows}) == len(r7_rows)
    assert len({normalised(r["text"]) for r in r7_rows}) == len(r7_rows)


def test_no_line_nearly_duplicates_another_set_or_the_lists(r7_rows):
    guard = default_guard()
    assert {"frozen test set", "classify_dev_fresh.jsonl", "data/lists"} <= set(guard.sets)
    assert [r["id"] for r in r7_rows if guard.collision(r["text"])] == []


def test_a_document_sits_on_one_side_of_the_split(r7_rows):
    sides = defaultdict(set)
    for row in r7_rows:
        sides[row["source"]].add(row["split"])
    assert all(len(s) == 1 for s in sides.values())
    assert {r["split"] for r in r7_rows} == set(SPLITS)


def test_the_file_is_what_the_builder_makes_from_its_sources(r7_rows):
    built, refused = build_round7(SOURCES)
    assert built == r7_rows
    assert all("frozen" not in line or "…" in line for line in refused)  # a refusal names the candidate only


def test_the_readme_counts_and_sources_are_those_of_the_file(r7_rows):
    readme = README.read_text(encoding="utf-8")
    for name, block in readme_blocks(r7_rows).items():
        assert f"<!-- {name} -->\n{block}\n<!-- /{name} -->" in readme, name
