"""The national layer (国家层面): rules in force in every region, beneath every province's lists, dated by the
texts they cite, kept only by loading the published texts, and kept by every lower negative list (只增不减)."""

import json
from datetime import date, timedelta

import pytest
import yaml
from django.core.exceptions import PermissionDenied, ValidationError

from jianfu.audit.models import AuditRecord
from jianfu.catalog import services
from jianfu.catalog.classify import classify
from jianfu.catalog.models import ListItem, ListKind, WorkList
from jianfu.catalog.reference import REFERENCE_DIR, load_reference_file, load_reference_lists, reference_files
from jianfu.catalog.selectors import items_in_force, lists_in_force

from .conftest import publish

NATIONAL_FILES = [p for p in reference_files() if p.name.startswith("national_")]
IN_2026 = date(2026, 6, 1)


def load_national() -> list[WorkList]:
    created = []
    for path in NATIONAL_FILES:
        created += [w for w in [load_reference_file(path)] if w]
    return created


@pytest.fixture
def national(world):
    load_national()
    return WorkList.objects.filter(region__isnull=True)


def codes_in_force(region, on, kinds=None) -> set[str]:
    return {item.code for item in items_in_force(region, on, kinds)}


def test_it_puts_the_national_layer_in_force_in_both_demo_counties(world, national):
    for village in (world.village_taoyuan, world.other_village, world.community_jiefang):
        lists = list(lists_in_force(village, IN_2026))
        assert {w.kind for w in lists if w.is_national} == set(ListKind.values) - {ListKind.UNDERTAKEN}
        in_force = codes_in_force(village, IN_2026)
        assert {"GJ-LZ-ZZF-02", "GJ-XZ-CRB-01", "GJ-FM-ZWYY-02", "BZ-008", "GJ-ZM-MFD-02"} <= in_force
    verdict = classify("考核通报用户安装使用率", world.other_village, IN_2026)
    assert verdict.verdict == "negative" and verdict.matches[0].item.code == "GJ-FM-ZWYY-03"
    assert "国家层面" in verdict.matches[0].item.list_title
    assert classify("发包依法属于村农民集体所有的农村土地", world.village_taoyuan, IN_2026).verdict == "duty"
    # A certificate a law has the committee give is allowed in every county, with its article.
    allowed = classify("五保供养申请村委会评议意见", world.other_village, IN_2026, mode="certificate")
    assert allowed.verdict == "cert_allowed" and allowed.matches[0].item.code == "GJ-ZM-WBGY-01"
    assert "农村五保供养工作条例》第七条第一款" in allowed.explanation


def test_it_keeps_each_national_rule_to_the_dates_of_its_text(world, national):
    village = world.village_taoyuan
    before, after = date(2025, 6, 1), IN_2026
    # The 2025 amendment of the 村民委员会组织法 (in force 2026-01-01) moved 第八条 to 第十条 and added the
    # assist duties of 第十一条第二款; the 2026 app rules (国办函〔2026〕12号) start on 2026-01-25.
    land = {i.code: i for i in items_in_force(village, before, ["duty"])}["GJ-LZ-ZZF-18"]
    assert "管理本村属于村农民集体所有的土地" in land.content and "第八条第二款" in land.legal_basis_text()
    land = {i.code: i for i in items_in_force(village, after, ["duty"])}["GJ-LZ-ZZF-18"]
    assert "美丽乡村建设" in land.content and "第十条第二款" in land.legal_basis_text()
    assert "GJ-XZ-ZZF-06" not in codes_in_force(village, before) and "GJ-XZ-ZZF-06" in codes_in_force(
        village, after
    )
    assert "GJ-FM-ZWYY-01" not in codes_in_force(village, date(2026, 1, 24))
    assert "GJ-FM-ZWYY-01" in codes_in_force(village, date(2026, 1, 25))
    assert not codes_in_force(village, date(1989, 12, 31), ["duty", "assist", "negative"])


def test_it_chains_the_national_versions_without_gaps_or_overlaps(world, national):
    for kind in (ListKind.DUTY, ListKind.ASSIST, ListKind.NEGATIVE):
        versions = list(national.filter(kind=kind).order_by("version_no"))
        assert len(versions) > 1 and versions[-1].effective_to is None
        for older, newer in zip(versions, versions[1:], strict=False):
            assert older.effective_to == newer.effective_from - timedelta(days=1)
            assert (
                newer.previous_id == older.pk and f"本版自 {newer.effective_from} 起施行" in newer.change_note
            )


def test_loading_the_reference_data_twice_changes_nothing(world):
    first = load_reference_lists()
    assert any(w.is_national for w in first)
    counts = (WorkList.objects.count(), ListItem.objects.count())
    assert load_reference_lists() == []
    assert (WorkList.objects.count(), ListItem.objects.count()) == counts


def _national_copy(tmp_path, name, change):
    data = yaml.safe_load((REFERENCE_DIR / name).read_text(encoding="utf-8"))
    change(data["items"])
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_it_appends_a_later_national_text_and_refuses_to_rewrite_loaded_versions(world, national, tmp_path):
    newest = national.filter(kind=ListKind.ASSIST).order_by("-version_no").first()
    later = _national_copy(
        tmp_path,
        "national_assist.yaml",
        lambda items: items.append(
            {
                **items[-1],
                "code": "GJ-XZ-TEST-01",
                "content": "协助做好某项新法律规定的工作",
                "effective_from": date(2027, 1, 1),
            }
        ),
    )
    added = load_reference_file(later)
    assert added.effective_from == date(2027, 1, 1) and added.previous_id == newest.pk
    newest.refresh_from_db()
    assert newest.effective_to == date(2026, 12, 31)
    assert "新增 GJ-XZ-TEST-01" in added.change_note
    earlier = _national_copy(
        tmp_path,
        "national_assist.yaml",
        lambda items: items.append(
            {
                **items[-1],
                "code": "GJ-XZ-TEST-02",
                "content": "回溯的事项",
                "effective_from": date(2012, 5, 1),
            }
        ),
    )
    with pytest.raises(ValidationError, match="已载入的版本不改写"):
        load_reference_file(earlier)


def test_it_names_the_item_of_a_national_file_without_dates(world, tmp_path):
    path = _national_copy(tmp_path, "national_negative.yaml", lambda items: items[2].pop("effective_from"))
    with pytest.raises(
        ValidationError, match=r"national_negative.yaml 第 3 项（GJ-FM-SQJF-03）.*effective_from"
    ):
        load_reference_file(path)
    assert not WorkList.objects.filter(region__isnull=True).exists()


def test_a_county_negative_list_that_drops_a_national_item_is_refused(world, national):
    draft = services.worklist_start_draft(
        actor=world.office, kind="negative", region=world.county, title="负面清单"
    )
    copied = set(draft.items.values_list("code", flat=True))
    assert {"GJ-FM-SQJF-01", "GJ-FM-ZWYY-02"} <= copied  # a new county list starts from the national layer
    services.item_remove(actor=world.office, item=draft.items.get(code="GJ-FM-ZWYY-02"))
    with pytest.raises(ValidationError) as refused:
        publish(draft, IN_2026, actor=world.office2)
    assert any(
        "删减了上级负面清单事项 GJ-FM-ZWYY-02" in m and "国家层面" in m for m in refused.value.messages
    )


def test_a_county_negative_list_may_not_rewrite_the_reason_of_a_national_item(world, national):
    draft = services.worklist_start_draft(
        actor=world.office, kind="negative", region=world.county, title="负面清单"
    )
    services.item_save(
        actor=world.office,
        work_list=draft,
        item=draft.items.get(code="GJ-FM-SQJF-02"),
        reason="经县委同意的除外",
    )
    with pytest.raises(ValidationError, match="改动了上级负面清单事项 GJ-FM-SQJF-02.*列入理由"):
        publish(draft, IN_2026, actor=world.office2)


def test_a_county_negative_list_that_keeps_the_national_layer_adds_its_own_examples(world, national):
    draft = services.worklist_start_draft(
        actor=world.office, kind="negative", region=world.county, title="负面清单"
    )
    item = draft.items.get(code="GJ-FM-ZWYY-03")
    services.item_save(
        actor=world.office, work_list=draft, item=item, examples=[*item.examples, "村务APP下载率排名"]
    )
    publish(draft, IN_2026, actor=world.office2)
    merged = {i.code: i for i in items_in_force(world.village_taoyuan, IN_2026, ["negative"])}[
        "GJ-FM-ZWYY-03"
    ]
    assert "村务APP下载率排名" in merged.examples and "强制要求定期登录" in merged.examples
    assert not {
        i.code
        for i in items_in_force(world.other_village, IN_2026, ["negative"])
        if "村务APP下载率排名" in i.examples
    }


def test_nobody_edits_the_national_layer_on_the_platform(world, national, login):
    duty = national.get(kind="duty", effective_to__isnull=True)
    for actor in (world.office, world.admin):
        with pytest.raises(PermissionDenied, match="国家层面"):
            services.item_save(actor=actor, work_list=duty, content="x")
        with pytest.raises(PermissionDenied, match="国家层面"):
            services.worklist_retire(actor=actor, work_list=duty, effective_to=IN_2026, reason="x")
    page = login(world.office).get(f"/lists/{duty.pk}/").content.decode()
    assert (
        "国家层面：村（居）民委员会依法履行职责事项" in page and "调整清单" not in page and "废止" not in page
    )


def test_the_public_page_and_the_api_show_the_national_layer_apart(world, national, client):
    page = client.get(
        "/public/lists/", {"region": world.other_county.code, "on": "2026-06-01"}
    ).content.decode()
    national_part, _, local_part = page.partition("省、市、县发布的清单")
    assert "国家层面（在所有地区施行）" in national_part
    assert "不得要求村（社区）承担的工作事项（中央和国家规定）" in national_part
    assert "不得要求村（社区）承担的工作事项" not in local_part
    negative = national.get(kind="negative", effective_to__isnull=True)
    detail = client.get(f"/public/lists/{negative.pk}/").content.decode()
    assert "国家层面：不得要求村（社区）承担的工作事项" in detail and "国办函〔2026〕12号" in detail
    client.force_login(world.village_cadre)
    lists = client.get(
        "/api/v1/lists", {"region_code": world.village_taoyuan.code, "on": "2026-06-01"}
    ).json()
    national_rows = [row for row in lists if row["issuer"] == "国家层面"]
    assert len(national_rows) == 5 and all(row["region_code"] is None for row in national_rows)
    assert {row["issuer"] for row in lists} == {"国家层面"}


# --- an item found later in an old text (added_on) ---------------------------------------------------------

ALLOWED_FILE = REFERENCE_DIR / "national_certificates_allowed.yaml"
FOUND = (
    "GJ-ZM-ZHJZ-01"  # 自然灾害救助条例第二十条: in force since 2010-09-01, added to the layer on 2026-12-07
)
ADDED_ON = date(2026, 12, 7)


def _chain(kind: str) -> list[tuple]:
    """Each national version of a kind: its dates and its items' codes with their wording and basis."""
    return [
        (
            w.effective_from,
            w.effective_to,
            sorted((i.code, i.content, json.dumps(i.legal_basis, sort_keys=True)) for i in w.items.all()),
        )
        for w in WorkList.objects.filter(kind=kind, region__isnull=True).order_by("version_no")
    ]


def _before_the_addition(tmp_path):
    """The file as a deployment loaded it before the item was found: the same items without it."""
    return _national_copy(
        tmp_path, ALLOWED_FILE.name, lambda items: items.__setitem__(slice(None), _without_found(items))
    )


def _without_found(items):
    return [entry for entry in items if "added_on" not in entry]


def test_an_item_found_later_in_an_old_text_enters_as_a_new_version(world, tmp_path):
    kind = ListKind.CERT_ALLOWED
    assert load_reference_file(_before_the_addition(tmp_path))
    old = _chain(kind)
    old_ids = list(
        WorkList.objects.filter(kind=kind, region__isnull=True)
        .order_by("version_no")
        .values_list("pk", flat=True)
    )
    assert old[-1][1] is None and old[-1][0] < ADDED_ON and FOUND not in str(old)

    added = load_reference_file(ALLOWED_FILE)  # the shipped file, with the item found later

    assert added.effective_from == ADDED_ON and added.previous_id == old_ids[-1]
    assert "补录 GJ-ZM-ZHJZ-01（所依据文本自 2010-09-01 起施行）" in added.change_note
    now = _chain(kind)
    # Versions already loaded are left as they were; only the last one is closed the day before the new one.
    assert now[: len(old) - 1] == old[:-1]
    assert now[len(old) - 1] == (old[-1][0], ADDED_ON - timedelta(days=1), old[-1][2])
    assert {c for c, *_ in now[-1][2]} == {c for c, *_ in old[-1][2]} | {FOUND}  # 只增不减
    village = world.village_taoyuan
    assert FOUND not in codes_in_force(village, ADDED_ON - timedelta(days=1), [kind])
    found = {i.code: i for i in items_in_force(village, ADDED_ON, [kind])}[FOUND]
    assert "《自然灾害救助条例》第二十条" in found.legal_basis_text() and "民主评议" in found.content
    assert AuditRecord.objects.filter(
        action="worklist.add_found_item", message__contains="补录 GJ-ZM-ZHJZ-01"
    ).exists()
    verdict = classify("因灾倒房恢复重建补助对象村委会民主评议意见", village, ADDED_ON, mode="certificate")
    assert verdict.verdict == "cert_allowed" and verdict.matches[0].item.code == FOUND

    # A fresh database loading the shipped file ends with the same versions and the same items in force.
    for work_list in WorkList.objects.filter(kind=kind, region__isnull=True).order_by("-version_no"):
        work_list.delete()
    load_reference_file(ALLOWED_FILE)
    assert _chain(kind) == now
    assert load_reference_file(ALLOWED_FILE) is None


def test_a_changed_wording_of_a_loaded_national_item_is_still_refused(world, tmp_path):
    load_reference_file(ALLOWED_FILE)

    def reword(items):
        items[3]["content"] = "农村五保供养待遇申请的村委会意见"

    with pytest.raises(ValidationError, match="已载入的版本不改写") as refused:
        load_reference_file(_national_copy(tmp_path, ALLOWED_FILE.name, reword))
    assert "改动了 GJ-ZM-WBGY-01 的内容或法律依据" in refused.value.messages[0]


def test_a_national_file_may_neither_drop_nor_slip_in_items_of_loaded_versions(world, tmp_path):
    load_reference_file(ALLOWED_FILE)
    before = _chain(ListKind.CERT_ALLOWED)
    dropped = _national_copy(tmp_path, ALLOWED_FILE.name, lambda items: items.pop(1))
    with pytest.raises(ValidationError, match="文件中缺少 GJ-ZM-MFD-02.*已载入的版本不改写"):
        load_reference_file(dropped)
    # A new item dated like a loaded version, without added_on, would be in force from 2021 in a fresh
    # database but never in this one: refused, the message says how to add it.
    slipped = _national_copy(
        tmp_path,
        ALLOWED_FILE.name,
        lambda items: items.append({**items[0], "code": "GJ-ZM-TEST-01", "content": "新发现的事项"}),
    )
    with pytest.raises(ValidationError, match="文件中多出 GJ-ZM-TEST-01.*added_on"):
        load_reference_file(slipped)
    assert _chain(ListKind.CERT_ALLOWED) == before


def test_an_added_on_before_its_text_is_refused(world, tmp_path):
    def too_early(items):
        items[-1]["added_on"] = date(2009, 1, 1)

    with pytest.raises(ValidationError, match=r"第 \d+ 项（GJ-ZM-ZHJZ-01）：added_on（补录日期）早于"):
        load_reference_file(_national_copy(tmp_path, ALLOWED_FILE.name, too_early))


def test_the_eval_reads_an_item_found_later_from_the_day_it_was_added():
    from bench import eval_classifier

    today = date.today()
    text_in_force = {"effective_from": date(2010, 9, 1)}
    assert eval_classifier._in_force_today({**text_in_force, "added_on": today})
    assert not eval_classifier._in_force_today({**text_in_force, "added_on": today + timedelta(days=1)})
