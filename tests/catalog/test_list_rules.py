"""Edge cases of versions, dates and 只增不减 that a careless (or clever) county could hit."""

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook, load_workbook

from jianfu.catalog import services
from jianfu.catalog.excel import COLUMNS, export_items, import_items
from jianfu.catalog.selectors import items_in_force, lists_in_force
from jianfu.core.exceptions import StaleWriteError
from jianfu.orgs.imports import ImportRefused

from .conftest import publish


def _county_negative(world, **changes):
    draft = services.worklist_start_draft(
        actor=world.office, kind="negative", region=world.county, title="负面清单"
    )
    if changes:
        item = draft.items.get(code="FM-001")
        services.item_save(actor=world.office, work_list=draft, item=item, **changes)
    return draft


def test_it_refuses_to_retire_a_version_that_was_already_replaced(world, county_duty):
    draft = services.worklist_start_draft(actor=world.office, kind="duty", region=world.county)
    publish(draft, date(2025, 7, 1), actor=world.office2)
    county_duty.refresh_from_db()
    with pytest.raises(ValidationError, match="只能废止最新版本"):
        services.worklist_retire(
            actor=world.office, work_list=county_duty, effective_to=date(2030, 1, 1), reason="x"
        )
    assert len(lists_in_force(world.county, date(2026, 1, 1))) == 1


def test_it_refuses_a_county_negative_list_backdated_before_the_provincial_one(world, province_negative):
    draft = _county_negative(world, content="无", examples=[])
    with pytest.raises(ValidationError, match="改动了上级负面清单事项 FM-001"):
        publish(draft, date(2023, 12, 1), actor=world.office2)


def test_it_refuses_an_exception_clause_added_to_a_provincial_negative_item(world, province_negative):
    item_text = "不应由社区组织承担的行政执法事项（经乡镇党委同意的除外）"
    draft = _county_negative(world, content=item_text)
    with pytest.raises(ValidationError, match="不能改写"):
        publish(draft, date(2024, 6, 1), actor=world.office2)


def test_it_keeps_examples_the_province_adds_after_the_county_copied_its_list(world, province_negative):
    publish(_county_negative(world), date(2024, 6, 1), actor=world.office2)
    province = services.worklist_start_draft(actor=None, kind="negative", region=world.province)
    item = province.items.get(code="FM-001")
    services.item_save(actor=None, work_list=province, item=item, examples=[*item.examples, "油烟整治执法"])
    publish(province, date(2025, 1, 1))
    in_force = {i.code: i for i in items_in_force(world.village_taoyuan, date(2025, 6, 1), ["negative"])}
    assert "油烟整治执法" in in_force["FM-001"].examples


def test_it_keeps_provincial_duty_items_whose_codes_a_county_reuses(world, county_duty):
    province = services.worklist_start_draft(
        actor=None, kind="duty", region=world.province, title="省履职清单"
    )
    services.item_save(actor=None, work_list=province, code="LZ-001", content="组织居民自治")
    publish(province, date(2024, 1, 1))
    contents = {i.content for i in items_in_force(world.county, date(2024, 6, 1), ["duty"])}
    assert {"组织居民自治", "调解民间纠纷"} <= contents


def test_it_refuses_a_publication_based_on_an_older_view_of_the_items(world):
    draft = services.worklist_start_draft(actor=world.office, kind="duty", region=world.county, title="清单")
    services.item_save(actor=world.office, work_list=draft, content="调解民间纠纷")
    draft.refresh_from_db()
    seen = draft.revision
    services.item_save(actor=world.office, work_list=draft, content="后来加上的事项")
    with pytest.raises(StaleWriteError):
        services.worklist_publish(
            actor=world.office,
            work_list=draft,
            effective_from=date(2024, 1, 1),
            approved_by="县委常委会会议",
            approved_on=date(2024, 1, 1),
            expected_revision=seen,
        )


def test_it_refuses_over_long_cells_in_an_import_by_row(world):
    draft = services.worklist_start_draft(actor=world.office, kind="duty", region=world.county, title="清单")
    sheet = Workbook()
    sheet.active.append([title for title, _ in COLUMNS])
    sheet.active.append(["X" * 60, "事项", "C" * 150])
    sheet.active.append(["D-1", "容" * 2001, "", "", "", "", "", "依" * 2001])
    upload = io.BytesIO()
    sheet.save(upload)
    upload.seek(0)
    with pytest.raises(ImportRefused) as refused:
        import_items(actor=world.office, work_list=draft, fileobj=upload, filename="long.xlsx")
    assert any(e.startswith("第 2 行“编码”") for e in refused.value.errors)
    assert any(e.startswith("第 2 行“类别”") for e in refused.value.errors)
    assert any(e.startswith("第 3 行“事项内容”") and "不能超过 2000 字" in e for e in refused.value.errors)
    assert any(e.startswith("第 3 行“办理依据”") and "不能超过 2000 字" in e for e in refused.value.errors)
    assert not draft.items.exists()


def test_it_exports_text_that_looks_like_a_formula_as_text(world):
    draft = services.worklist_start_draft(actor=world.office, kind="duty", region=world.county, title="清单")
    services.item_save(
        actor=world.office, work_list=draft, code="LZ-001", content='=HYPERLINK("http://x","点我")'
    )
    buffer = io.BytesIO()
    export_items(draft).save(buffer)
    cell = load_workbook(io.BytesIO(buffer.getvalue())).worksheets[0]["B2"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


def test_it_lists_drafts_on_the_index_in_a_constant_number_of_queries(
    world, client, django_assert_max_num_queries
):
    client.force_login(world.office)
    services.worklist_start_draft(actor=world.office, kind="duty", region=world.county, title="清单一")
    client.get("/lists/")
    with django_assert_max_num_queries(13):  # twelve reads, and the role settings of the region
        client.get("/lists/")
    for kind in ("assist", "negative", "certificate_allowed"):
        draft = services.worklist_start_draft(actor=world.office, kind=kind, region=world.county, title=kind)
        services.item_save(actor=world.office, work_list=draft, content="事项", reason="非责任主体")
    with django_assert_max_num_queries(13):
        assert client.get("/lists/").status_code == 200
