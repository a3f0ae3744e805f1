"""The real-wording tuning set (tests/data/classify_dev_real.jsonl) is well formed and stays apart from the frozen set.

dev_real is tuned on, so a line that equals or nearly equals a line of the frozen test set (or an item of
data/lists/, or a line of the project's own dev set) would leak into the figures. The builder refuses such
lines; this test checks the committed file again, and that it is exactly what the builder makes from its
sources. No database and no classifier: only the files.
"""

import json
import re

import pytest
from bench.build_dev_real import OUT, README, SOURCES, Guard, build, default_guard, normalised, readme_blocks

from tests.catalog.test_classify_test_set import FIELDS, KINDS, LABELS_BY_MODE


def rows() -> list[dict]:
    return [json.loads(line) for line in OUT.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def dev_real_rows():
    return rows()


def test_every_line_has_the_schema_of_the_frozen_set(dev_real_rows):
    assert len(dev_real_rows) >= 150
    for row in dev_real_rows:
        assert set(row) == FIELDS, row.get("id")
        assert re.fullmatch(r"dev-real-\d{3}", row["id"]), row["id"]
        assert all(isinstance(row[key], str) and row[key].strip() for key in FIELDS), row["id"]
        assert row["label"] in LABELS_BY_MODE[row["mode"]], row["id"]
        assert row["text_kind"] in KINDS, row["id"]
        assert len(row["text"]) <= 2000 and re.search(r"[\u4e00-\u9fff]", row["text"]), row["id"]


def test_ids_and_texts_are_unique(dev_real_rows):
    assert len({r["id"] for r in dev_real_rows}) == len(dev_real_rows)
    assert len({normalised(r["text"]) for r in dev_real_rows}) == len(dev_real_rows)


def test_no_line_nearly_duplicates_the_frozen_set_the_lists_or_dev(dev_real_rows):
    guard = default_guard()
    collisions = [r["id"] for r in dev_real_rows if guard.collision(r["text"])]
    assert collisions == []


def test_the_file_is_what_the_builder_makes_from_its_sources(dev_real_rows):
    built, _refused = build(SOURCES)
    assert built == dev_real_rows


def test_the_readme_counts_and_sources_are_those_of_the_file(dev_real_rows):
    readme = README.read_text(encoding="utf-8")
    for name, block in readme_blocks(dev_real_rows).items():
        assert f"<!-- {name} -->\n{block}\n<!-- /{name} -->" in readme, name


def test_the_guard_refuses_equal_contained_and_near_texts():
    guard = Guard({"frozen": ["村民委员会应当组织村民开展爱国卫生运动，改善村容村貌"]})
    assert guard.collision("村民委员会应当组织村民开展爱国卫生运动，改善村容村貌。") == "frozen"
    assert guard.collision("村民委员会应当组织村民开展爱国卫生运动") == "frozen"
    assert guard.collision("村民委员会应组织村民开展爱国卫生运动，改善村容村貌和环境") == "frozen"
    assert guard.collision("请各村于周五前上报本村养殖户名单") is None


def test_it_spans_every_kind_of_text_and_enough_regions(dev_real_rows):
    assert {r["text_kind"] for r in dev_real_rows} == KINDS
    assert len({r["region"] for r in dev_real_rows}) >= 8
    assert {"duty", "assist", "negative", "unlisted", "cert_allowed", "cert_forbidden"} <= {
        r["label"] for r in dev_real_rows
    }
