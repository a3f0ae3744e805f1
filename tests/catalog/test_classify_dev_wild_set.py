"""The generalisation tuning set (tests/data/classify_dev_wild.jsonl) is well formed and stays apart from every other set.

dev_wild measures the classifier on documents the lists and the other sets do not use; a line that nearly
duplicates a line of the frozen set, of data/lists/, of the dev set or of dev_real would make it say less. The
builder refuses such lines; this test checks the committed file again, and that it is exactly what the builder
makes from its sources. No database and no classifier: only the files.
"""

import json
import re

import pytest
from bench.build_dev_real import normalised, readme_blocks
from bench.build_dev_wild import OUT, README, SOURCES, build_wild, default_guard

from tests.catalog.test_classify_test_set import FIELDS, KINDS, LABELS_BY_MODE


@pytest.fixture(scope="module")
def wild_rows():
    return [json.loads(line) for line in OUT.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_every_line_has_the_schema_of_the_frozen_set(wild_rows):
    # 150 until 自然灾害救助条例第二十条 became a national item (GJ-ZM-ZHJZ-01): the builder now refuses that line
    # as a near duplicate of data/lists, as it must.
    assert len(wild_rows) >= 149
    for row in wild_rows:
        assert set(row) == FIELDS, row.get("id")
        assert re.fullmatch(r"dev-wild-\d{3}", row["id"]), row["id"]
        assert all(isinstance(row[key], str) and row[key].strip() for key in FIELDS), row["id"]
        assert row["label"] in LABELS_BY_MODE[row["mode"]], row["id"]
        assert row["text_kind"] in KINDS, row["id"]
        assert len(row["text"]) <= 2000 and re.search(r"[\u4e00-\u9fff]", row["text"]), row["id"]


def test_ids_and_texts_are_unique(wild_rows):
    assert len({r["id"] for r in wild_rows}) == len(wild_rows)
    assert len({normalised(r["text"]) for r in wild_rows}) == len(wild_rows)


def test_no_line_nearly_duplicates_the_frozen_set_the_lists_dev_or_dev_real(wild_rows):
    guard = default_guard()
    assert "classify_dev_real.jsonl" in guard.sets
    assert [r["id"] for r in wild_rows if guard.collision(r["text"])] == []


def test_the_file_is_what_the_builder_makes_from_its_sources(wild_rows):
    built, _refused = build_wild(SOURCES)
    assert built == wild_rows


def test_the_readme_counts_and_sources_are_those_of_the_file(wild_rows):
    readme = README.read_text(encoding="utf-8")
    for name, block in readme_blocks(wild_rows).items():
        assert f"<!-- {name} -->\n{block}\n<!-- /{name} -->" in readme, name


def test_it_spans_every_kind_label_and_many_regions(wild_rows):
    assert {r["text_kind"] for r in wild_rows} == KINDS
    assert len({r["region"] for r in wild_rows}) >= 20
    assert set(LABELS_BY_MODE["work"]) | set(LABELS_BY_MODE["certificate"]) == {r["label"] for r in wild_rows}
