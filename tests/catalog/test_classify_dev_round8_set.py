"""The round 8 held-out set (tests/data/classify_dev_round8.jsonl) is well formed, frozen by its checksum, apart from
every other set and from data/lists/, and wired into bench/eval_classifier.py as a held-out-only set.

It is a second measure beside the frozen set: never tuned on, never split. The builder refuses lines that nearly
duplicate another set or data/lists/, documents the frozen set uses and documents another set or data/lists/ cites;
this test checks the committed file again. No database, and no classifier on the set's own texts: the wiring test
runs bench.eval_classifier on one made-up line in a temporary file, never on the set.
"""

import hashlib
import json
import re

import pytest
from bench import eval_classifier
from bench.build_dev_real import normalised, readme_blocks
from bench.build_dev_round8 import (
    CHECKSUM,
    OUT,
    README,
    SOURCES,
    build_round8,
    cited_documents,
    default_guard,
    document_keys,
)

from tests.catalog.test_classify_test_set import FIELDS, KINDS, LABELS_BY_MODE


@pytest.fixture(scope="module")
def r8_rows():
    return [json.loads(line) for line in OUT.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_the_file_matches_its_recorded_checksum():
    recorded = CHECKSUM.read_text(encoding="ascii").split()
    assert recorded[1] == OUT.name
    assert hashlib.sha256(OUT.read_bytes()).hexdigest() == recorded[0], (
        "classify_dev_round8.jsonl changed: it is held out; update the checksum only on purpose"
    )


def test_every_line_has_exactly_the_frozen_schema(r8_rows):
    assert len(r8_rows) >= 100
    for row in r8_rows:
        assert set(row) == FIELDS, row.get("id")  # no split: the whole set is held out
        assert re.fullmatch(r"dev-r8-\d{3}", row["id"]), row["id"]
        assert all(isinstance(row[key], str) and row[key].strip() for key in FIELDS), row["id"]
        assert row["label"] in LABELS_BY_MODE[row["mode"]], row["id"]
        assert row["text_kind"] in KINDS, row["id"]
        assert len(row["text"]) <= 2000 and re.search(r"[\u4e00-\u9fff]", row["text"]), row["id"]
        assert re.search(r"https?://|LawRefBook", row["source"]), row["id"]  # where it was read


def test_ids_and_texts_are_unique(r8_rows):
    assert len({r["id"] for r in r8_rows}) == len(r8_rows)
    assert len({normalised(r["text"]) for r in r8_rows}) == len(r8_rows)


def test_no_line_nearly_duplicates_another_set_or_the_lists(r8_rows):
    guard = default_guard()
    assert {"frozen test set", "classify_dev_round7.jsonl", "classify_dev_fresh.jsonl", "data/lists"} <= set(
        guard.sets
    )
    assert [r["id"] for r in r8_rows if guard.collision(r["text"])] == []


def test_no_line_comes_from_a_document_another_set_or_the_lists_cite(r8_rows):
    cited = cited_documents()
    assert cited, "the other sets' sources were not read"
    assert [r["id"] for r in r8_rows if document_keys(r["source"]) & set(cited)] == []


def test_a_document_another_set_cites_is_refused(tmp_path):
    sources = tmp_path / "sources.yaml"
    sources.write_text(
        "documents:\n"
        "- region: 某省\n  kind: real_wording\n  mode: work\n"
        "  source: 某报《一篇报道》，据 http://example.org/a\n"
        "  items:\n  - [negative, 要求各村每天在政务软件上打卡并截图发到工作群里排名, 整治形式主义为基层减负若干规定]\n",
        encoding="utf-8",
    )
    kept, refused = build_round8(sources, cited={"http://example.org/a": "classify_dev_wild.jsonl"})
    assert kept == []
    assert len(refused) == 1 and refused[0].startswith("某省 · 要求各村每天在政务软件上打卡")
    assert refused[0].endswith("…: its document is one classify_dev_wild.jsonl cites")
    kept, refused = build_round8(sources, cited={"《一篇报道》": "data/lists"})
    assert kept == [] and "data/lists" in refused[0]
    kept, refused = build_round8(sources, cited={})
    assert [r["id"] for r in kept] == ["dev-r8-001"] and refused == []


def test_the_file_is_what_the_builder_makes_from_its_sources(r8_rows):
    built, refused = build_round8(SOURCES)
    assert built == r8_rows
    assert all("…" in line for line in refused)  # a refusal names the candidate only


def test_it_covers_enough_regions_for_leave_one_region_out(r8_rows):
    assert len({r["region"] for r in r8_rows}) >= 8


def test_the_readme_counts_and_sources_are_those_of_the_file(r8_rows):
    readme = README.read_text(encoding="utf-8")
    for name, block in readme_blocks(r8_rows).items():
        assert f"<!-- {name} -->\n{block}\n<!-- /{name} -->" in readme, name


# --- wiring into bench/eval_classifier.py (never on the set's own texts) -----------------------------------------

ONE_LINE = {
    "id": "dev-r8-001",
    "text": "村民委员会应当协助乡镇人民政府做好防汛抢险工作",
    "mode": "work",
    "label": "assist",
    "text_kind": "statute",
    "region": "某省",
    "source": "某条例，据 http://example.org/b",
    "rule": "协助",
}


def _jsonl(path, rows):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def _run(tmp_path, capsys, held_out, *extra):
    dev = _jsonl(tmp_path / "dev.jsonl", [dict(ONE_LINE, id="dev-001")])
    absent = tmp_path / "absent.jsonl"
    argv = ["--dev", str(dev), "--no-loro", "--test", str(absent), "--dev-round8", str(held_out)]
    for flag in ("--dev-real", "--dev-wild", "--dev-fresh", "--dev-round7", "--dev-round9"):
        argv += [flag, str(absent)]
    eval_classifier.main(argv + list(extra))
    return capsys.readouterr().out


def test_the_evaluation_prints_the_held_out_set_apart_and_never_lists_its_misses(tmp_path, capsys):
    held_out = _jsonl(tmp_path / "held.jsonl", [dict(ONE_LINE, label="cert_forbidden", mode="certificate")])
    out = _run(tmp_path, capsys, held_out, "--errors")
    assert "DEV_ROUND8 held.jsonl (held out, never tuned on)" in out
    assert "dev-r8-001" not in out  # --errors never lists a held-out line


def test_tuning_runs_skip_the_held_out_set_with_the_frozen_one(tmp_path, capsys):
    out = _run(tmp_path, capsys, OUT, "--skip-test")
    assert "DEV_ROUND8: skipped (--skip-test)." in out
    assert "DEV_ROUND8 classify_dev_round8.jsonl" not in out


def test_a_held_out_set_may_not_carry_a_tuned_half(tmp_path):
    split = _jsonl(tmp_path / "split.jsonl", [dict(ONE_LINE, split="tune")])
    with pytest.raises(ValueError, match="held out whole"):
        eval_classifier.load_held_out(split)
    assert eval_classifier.load_held_out(OUT)  # the committed set loads as held out
