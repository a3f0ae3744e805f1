"""Lists: versions and dynamic adjustment, dated validity, 只增不减, permissions, Excel, public pages."""

import io
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import Workbook, load_workbook

from jianfu.audit.models import AuditRecord
from jianfu.catalog import services
from jianfu.catalog.excel import COLUMNS, import_items
from jianfu.catalog.models import ListItem, ListStatus, WorkList
from jianfu.catalog.selectors import items_in_force, lists_in_force
from jianfu.orgs.imports import ImportRefused

from .conftest import publish


def test_it_publishes_a_list_with_its_approval_record(county_duty):
    assert county_duty.status == ListStatus.PUBLISHED
    assert (county_duty.approved_by, county_duty.studied_by) == ("县委常委会会议", "县政府常务会议")
    record = AuditRecord.objects.filter(action="worklist.publish").latest("seq")
    assert "新增 2 项" in record.message


def test_it_makes_a_new_draft_when_a_published_list_is_adjusted(world, county_duty):
    draft = services.worklist_start_draft(actor=world.office, kind="duty", region=world.county)
    assert (draft.version_no, draft.status, draft.title) == (2, ListStatus.DRAFT, county_duty.title)
    assert sorted(draft.items.values_list("code", flat=True)) == ["LZ-001", "LZ-002"]
    with pytest.raises(ValidationError, match="已有未发布的草稿"):
        services.worklist_start_draft(actor=world.office, kind="duty", region=world.county)


def test_it_refuses_to_edit_a_published_list(world, county_duty):
    with pytest.raises(ValidationError, match="不能修改（只有“草稿”时可以）。已发布的清单请先“调整清单”"):
        services.item_save(actor=world.office, work_list=county_duty, content="新事项")


def test_it_answers_which_lists_applied_on_a_date(world, county_duty):
    draft = services.worklist_start_draft(actor=world.office, kind="duty", region=world.county)
    services.item_save(actor=world.office, work_list=draft, code="LZ-003", content="开展群防群治")
    second = publish(draft, date(2025, 7, 1), actor=world.office2)
    county_duty.refresh_from_db()
    assert county_duty.effective_to == date(2025, 6, 30)
    village = world.village_taoyuan
    assert list(lists_in_force(village, date(2025, 6, 30))) == [county_duty]
    assert list(lists_in_force(village, date(2025, 7, 1))) == [second]
    assert list(lists_in_force(village, date(2024, 2, 29))) == []
    codes = {i.code for i in items_in_force(village, date(2025, 7, 1))}
    assert codes == {"LZ-001", "LZ-002", "LZ-003"}


def test_it_shows_the_diff_of_a_new_version(world, county_duty, client):
    draft = services.worklist_start_draft(actor=world.office, kind="duty", region=world.county)
    item = draft.items.get(code="LZ-002")
    services.item_save(
        actor=world.office, work_list=draft, item=item, content="办理本村公共事务和公益事业（含村务公开）"
    )
    services.item_remove(actor=world.office, item=draft.items.get(code="LZ-001"))
    services.item_save(actor=world.office, work_list=draft, code="LZ-009", content="协助做好防汛抗旱")
    client.force_login(world.office)
    page = client.get(f"/lists/{draft.pk}/publish/").content.decode()
    assert "新增 1 项，删除 1 项，修改 1 项" in page
    assert "LZ-009" in page and "<del>调解民间纠纷</del>" in page


def test_it_refuses_a_county_negative_list_that_drops_a_provincial_item(world, province_negative):
    draft = services.worklist_start_draft(
        actor=world.office, kind="negative", region=world.county, title="负面清单"
    )
    assert sorted(draft.items.values_list("code", flat=True)) == ["FM-001", "FM-002"]  # seeded from above
    services.item_remove(actor=world.office, item=draft.items.get(code="FM-002"))
    with pytest.raises(ValidationError) as refused:
        publish(draft, date(2024, 6, 1), actor=world.office2)
    assert "删减了上级负面清单事项 FM-002“不应由社区组织出具的证明事项”（湖北省）" in refused.value.messages


def test_it_refuses_a_county_negative_list_that_weakens_a_provincial_item(world, province_negative):
    draft = services.worklist_start_draft(
        actor=world.office, kind="negative", region=world.county, title="负面清单"
    )
    item = draft.items.get(code="FM-001")
    services.item_save(actor=world.office, work_list=draft, item=item, examples=["占道经营执法"])
    with pytest.raises(ValidationError, match="缺少具体事项：违章建筑拆除"):
        publish(draft, date(2024, 6, 1), actor=world.office2)


def test_it_lets_a_county_add_to_the_provincial_negative_list(world, province_negative):
    draft = services.worklist_start_draft(
        actor=world.office, kind="negative", region=world.county, title="负面清单"
    )
    services.item_save(
        actor=world.office, work_list=draft, content="要求村级组织代收代缴各类费用", reason="非责任主体"
    )
    county = publish(draft, date(2024, 6, 1), actor=world.office2)
    assert county.items.count() == 3


def test_it_requires_a_reason_for_a_negative_item_and_an_alternative_for_a_forbidden_certificate(world):
    negative = services.worklist_start_draft(
        actor=world.office, kind="negative", region=world.county, title="负面清单"
    )
    with pytest.raises(ValidationError) as refused:
        services.item_save(actor=world.office, work_list=negative, content="代收水费")
    assert "列入理由" in str(refused.value.message_dict["reason"])
    forbidden = services.worklist_start_draft(
        actor=world.office, kind="certificate_forbidden", region=world.county, title="不应出具证明清单"
    )
    with pytest.raises(ValidationError, match="替代办理途径"):
        services.item_save(actor=world.office, work_list=forbidden, content="亲属关系证明")


def test_it_refuses_publication_without_approval_or_with_an_earlier_date(world, county_duty):
    draft = services.worklist_start_draft(actor=world.office, kind="duty", region=world.county)
    with pytest.raises(ValidationError) as refused:
        services.worklist_publish(
            actor=world.office2,
            work_list=draft,
            effective_from=date(2024, 2, 1),
            approved_by="",
            approved_on=None,
        )
    errors = refused.value.message_dict
    assert "approved_by" in errors and "approved_on" in errors and "effective_from" in errors


@pytest.mark.parametrize(
    "persona", ["admin", "dept_clerk", "town_hk", "village_cadre", "inspector", "outsider"]
)
def test_it_lets_only_the_committee_office_keep_the_lists(world, persona):
    with pytest.raises(PermissionDenied):
        services.worklist_start_draft(
            actor=getattr(world, persona), kind="duty", region=world.county, title="清单"
        )


def test_it_keeps_drafts_out_of_other_counties_and_the_public(world, client):
    draft = services.worklist_start_draft(
        actor=world.office, kind="duty", region=world.county, title="草稿清单"
    )
    client.force_login(world.outsider)
    assert client.get(f"/lists/{draft.pk}/").status_code == 404
    client.logout()
    assert client.get(f"/public/lists/{draft.pk}/").status_code == 404


def test_it_imports_items_all_or_nothing_with_row_errors(world):
    draft = services.worklist_start_draft(
        actor=world.office, kind="negative", region=world.county, title="负面清单"
    )
    sheet = Workbook()
    sheet.active.append([title for title, _ in COLUMNS])
    sheet.active.append(["FM-101", "代收代缴水电费", "", "", "", "非责任主体", "", "", "", "", "", "", ""])
    sheet.active.append(["FM-102", "", "", "", "", "非责任主体", "", "", "", "", "", "", ""])
    sheet.active.append(["FM-101", "重复编码", "", "", "", "", "", "", "", "", "", "", ""])
    upload = io.BytesIO()
    sheet.save(upload)
    upload.seek(0)
    with pytest.raises(ImportRefused) as refused:
        import_items(actor=world.office, work_list=draft, fileobj=upload, filename="neg.xlsx")
    assert "第 3 行“事项内容”：事项内容不能为空。" in refused.value.errors
    assert "第 4 行“编码”：与第 2 行重复。" in refused.value.errors
    assert "第 4 行“列入理由”：负面清单事项须写明列入理由（如：非责任主体）。" in refused.value.errors
    assert draft.items.count() == 0


def test_it_exports_a_list_that_imports_back_unchanged(world, county_duty, client):
    client.force_login(world.office)
    exported = client.get(f"/lists/{county_duty.pk}/export.xlsx").content
    rows = list(load_workbook(io.BytesIO(exported)).worksheets[0].iter_rows(values_only=True))
    assert rows[1][:2] == ("LZ-001", "调解民间纠纷")
    assert rows[1][3] == "《中华人民共和国村民委员会组织法》第二条"
    draft = services.worklist_start_draft(actor=world.office, kind="duty", region=world.county)
    import_items(actor=world.office, work_list=draft, fileobj=io.BytesIO(exported), filename="duty.xlsx")
    assert [i.comparable() for i in draft.items.order_by("code")] == [
        i.comparable() for i in county_duty.items.order_by("code")
    ]


def test_it_shows_the_lists_in_force_to_the_public_without_login(world, county_duty, client):
    page = client.get(
        "/public/lists/", {"region": world.county.code, "on": "2024-05-01", "q": "纠纷"}
    ).content.decode()
    assert "村（社区）依法履职事项清单" in page and "调解民间纠纷" in page
    page = client.get("/public/lists/", {"region": world.county.code, "on": "2024-01-01"}).content.decode()
    assert "村（社区）依法履职事项清单" not in page
    assert client.get(f"/public/lists/{county_duty.pk}/print/").status_code == 200
    assert client.get(f"/public/lists/{county_duty.pk}/export.xlsx").status_code == 200


def test_it_retires_a_list_with_its_end_date(world, county_duty):
    services.worklist_retire(
        actor=world.office, work_list=county_duty, effective_to=date(2024, 12, 31), reason="并入新清单"
    )
    assert list(lists_in_force(world.county, date(2025, 1, 1))) == []
    assert list(lists_in_force(world.county, date(2024, 12, 31))) == [WorkList.objects.get(pk=county_duty.pk)]


def test_it_drafts_publishes_and_lists_through_the_api(world, client):
    client.force_login(world.office)
    draft = client.post(
        "/api/v1/lists",
        {"kind": "assist", "region_code": world.county.code, "title": "协助事项清单"},
        content_type="application/json",
    ).json()
    item = client.post(
        f"/api/v1/lists/{draft['id']}/items",
        {"content": "协助开展人口普查", "process_basis": "统计法"},
        content_type="application/json",
    )
    assert item.status_code == 201 and item.json()["code"].startswith("XZ-428521-")
    draft = client.get(f"/api/v1/lists/{draft['id']}").json()  # adding the item moved the revision on
    client.force_login(world.office2)  # the drafter does not publish their own version
    published = client.post(
        f"/api/v1/lists/{draft['id']}/publish",
        {
            "revision": draft["revision"],
            "effective_from": "2024-04-01",
            "studied_by": "县政府常务会议",
            "studied_on": "2024-03-10",
            "approved_by": "县委常委会会议",
            "approved_on": "2024-03-20",
        },
        content_type="application/json",
    )
    assert published.status_code == 200, published.content
    in_force = client.get(
        "/api/v1/lists", {"region_code": world.village_taoyuan.code, "on": "2024-04-01"}
    ).json()
    assert [entry["title"] for entry in in_force] == ["协助事项清单"]
    assert ListItem.objects.filter(work_list_id=draft["id"]).count() == 1
