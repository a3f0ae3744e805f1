"""The whole held-out sets (rounds 8 and 9: tests/data/classify_dev_round{8,9}.jsonl) are well formed, frozen by
their checksums, apart from every other set (each earlier round included) and from data/lists/, and wired into
bench/eval_classifier.py as held-out-only sets.

They are measures beside the frozen set: never tuned on, never split. Their builders refuse lines that nearly
duplicate another set or data/lists/, documents the frozen set uses and documents another set or data/lists/
cites; these tests check the committed files again. No database, and no classifier on the sets' own texts: the
wiring tests run bench.eval_classifier on one made-up line in a temporary file, never on a set.
"""

import hashlib
import json
import re
from dataclasses import dataclass
from types import ModuleType

import pytest
from bench import build_dev_round8, build_dev_round9, eval_classifier
from bench.build_dev_real import normalised, readme_blocks
from bench.build_dev_round8 import cited_documents, document_keys

from tests.catalog.test_classify_test_set import FIELDS, KINDS, LABELS_BY_MODE


@dataclass(frozen=True)
class Round:
    number: int
    builder: ModuleType
    earlier: tuple[str, ...] = ()  # earlier held-out sets its builder keeps it apart from

    @property
    def flag(self) -> str:
        return f"--dev-round{self.number}"

    @property
    def heading(self) -> str:
        return f"DEV_ROUND{self.number}"

    def build(self, *args, **kwargs):
        return getattr(self.builder, f"build_round{self.number}")(*args, **kwargs)


ROUNDS = [Round(8, build_dev_round8), Round(9, build_dev_round9, ("classify_dev_round8.jsonl",))]
HELD_OUT_FLAGS = [r.flag for r in ROUNDS]


@pytest.fixture(params=ROUNDS, ids=lambda r: f"round{r.number}", scope="module")
def held(request) -> Round:
    return request.param


@pytest.fixture(scope="module")
def rows(held):
    out = held.builder.OUT
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_the_file_matches_its_recorded_checksum(held):
    out = held.builder.OUT
    recorded = held.builder.CHECKSUM.read_text(encoding="ascii").split()
    assert recorded[1] == out.name
    assert hashlib.sha256(out.read_bytes()).hexdigest() == recorded[0], (
        f"{out.name} changed: it is held out; update the checksum only on purpose"
    )


def test_every_line_has_exactly_the_frozen_schema(held, rows):
    assert len(rows) >= 100
    for row in rows:
        assert set(row) == FIELDS, row.get("id")  # no split: the whole set is held out
        assert re.fullmatch(rf"{held.builder.ID_PREFIX}-\d{{3}}", row["id"]), row["id"]
        assert all(isinstance(row[key], str) and row[key].strip() for key in FIELDS), row["id"]
        assert row["label"] in LABELS_BY_MODE[row["mode"]], row["id"]
        assert row["text_kind"] in KINDS, row["id"]
        assert len(row["text"]) <= 2000 and re.search(r"[\u4e00-\u9fff]", row["text"]), row["id"]
        assert re.search(r"https?://|LawRefBook", row["source"]), row["id"]  # where it was read


def test_ids_and_texts_are_unique(rows):
    assert len({r["id"] for r in rows}) == len(rows)
    assert len({normalised(r["text"]) for r in rows}) == len(rows)


def test_no_line_nearly_duplicates_another_set_or_the_lists(held, rows):
    guard = held.builder.default_guard()
    others = {"frozen test set", "classify_dev_round7.jsonl", "classify_dev_fresh.jsonl", "data/lists"}
    assert others | set(held.earlier) <= set(guard.sets)
    assert [r["id"] for r in rows if guard.collision(r["text"])] == []


def test_no_line_comes_from_a_document_another_set_or_the_lists_cite(held, rows):
    cited = cited_documents(held.builder.OTHER_SETS)
    assert cited, "the other sets' sources were not read"
    assert set(held.earlier) <= set(cited.values())  # an earlier round's documents are kept out too
    assert [r["id"] for r in rows if document_keys(r["source"]) & set(cited)] == []


def test_a_document_another_set_cites_is_refused(held, tmp_path):
    sources = tmp_path / "sources.yaml"
    sources.write_text(
        "documents:\n"
        "- region: 某省\n  kind: real_wording\n  mode: work\n"
        "  source: 某报《一篇报道》，据 http://example.org/a\n"
        "  items:\n  - [negative, 要求各村每天在政务软件上打卡并截图发到工作群里排名, 整治形式主义为基层减负若干规定]\n",
        encoding="utf-8",
    )
    kept, refused = held.build(sources, cited={"http://example.org/a": "classify_dev_wild.jsonl"})
    assert kept == []
    assert len(refused) == 1 and refused[0].startswith("某省 · 要求各村每天在政务软件上打卡")
    assert refused[0].endswith("…: its document is one classify_dev_wild.jsonl cites")
    kept, refused = held.build(sources, cited={"《一篇报道》": "data/lists"})
    assert kept == [] and "data/lists" in refused[0]
    kept, refused = held.build(sources, cited={})
    assert [r["id"] for r in kept] == [f"{held.builder.ID_PREFIX}-001"] and refused == []


def test_the_file_is_what_the_builder_makes_from_its_sources(held, rows):
    built, refused = held.build(held.builder.SOURCES)
    assert built == rows
    assert all("…" in line for line in refused)  # a refusal names the candidate only


def test_it_covers_enough_regions_for_leave_one_region_out(rows):
    assert len({r["region"] for r in rows}) >= 8


def test_the_readme_counts_and_sources_are_those_of_the_file(held, rows):
    readme = held.builder.README.read_text(encoding="utf-8")
    for name, block in readme_blocks(rows).items():
        assert f"<!-- {name} -->\n{block}\n<!-- /{name} -->" in readme, name


# --- wiring into bench/eval_classifier.py (never on the sets' own texts) -----------------------------------------

ONE_LINE = {
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


def _run(tmp_path, capsys, held: Round, held_out, *extra):
    """The evaluation with one made-up dev line, ``held_out`` as the round's set and every other set absent."""
    dev = _jsonl(tmp_path / "dev.jsonl", [dict(ONE_LINE, id="dev-001")])
    absent = tmp_path / "absent.jsonl"
    argv = ["--dev", str(dev), "--no-loro", "--test", str(absent), held.flag, str(held_out)]
    others = ["--dev-real", "--dev-wild", "--dev-fresh", "--dev-round7", *HELD_OUT_FLAGS]
    for flag in others:
        if flag != held.flag:
            argv += [flag, str(absent)]
    eval_classifier.main(argv + list(extra))
    return capsys.readouterr().out


def test_the_evaluation_prints_the_held_out_set_apart_and_never_lists_its_misses(held, tmp_path, capsys):
    line_id = f"{held.builder.ID_PREFIX}-001"
    held_out = _jsonl(
        tmp_path / "held.jsonl", [dict(ONE_LINE, id=line_id, label="cert_forbidden", mode="certificate")]
    )
    out = _run(tmp_path, capsys, held, held_out, "--errors")
    assert f"{held.heading} held.jsonl (held out, never tuned on)" in out
    assert line_id not in out  # --errors never lists a held-out line


def test_tuning_runs_skip_the_held_out_set_with_the_frozen_one(held, tmp_path, capsys):
    out = _run(tmp_path, capsys, held, held.builder.OUT, "--skip-test")
    assert f"{held.heading}: skipped (--skip-test)." in out
    assert f"{held.heading} {held.builder.OUT.name}" not in out


def test_a_held_out_set_may_not_carry_a_tuned_half(held, tmp_path):
    split = _jsonl(tmp_path / "split.jsonl", [dict(ONE_LINE, id="dev-r0-001", split="tune")])
    with pytest.raises(ValueError, match="held out whole"):
        eval_classifier.load_held_out(split)
    assert eval_classifier.load_held_out(held.builder.OUT)  # the committed set loads as held out
