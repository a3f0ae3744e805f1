"""费随事转: 县人社局 promises money and people for its admitted item, 河口镇 enters what reached 桃园村, 桃园村 confirms
or objects, the office reads the county report and receives each department's yearly survey (梳理表)."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import Workbook, load_workbook

from jianfu.admission import services
from jianfu.admission.funding import excel, selectors
from jianfu.admission.models import AllocationState, FundingAllocation, SurveyRow
from jianfu.audit.models import AuditRecord
from jianfu.core.excel import ImportRefused

from .conftest import approved

YEAR = 2026


@pytest.fixture
def item(world, reference):
    return approved(world).admitted_item


@pytest.fixture
def ledger(world, item):
    return services.ledger_open(
        actor=world.dept_clerk, department=world.dept_rs, year=YEAR, item_code=item.code, promised_people=2
    )


def sheet(rows, header) -> io.BytesIO:
    workbook = Workbook()
    workbook.active.append(header)
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def test_it_starts_the_ledger_from_the_applications_guarantees(world, ledger):
    assert ledger.promised_amount == Decimal("60000.00") and ledger.funds_source == "县级社保经办经费"
    assert "专人2名" in ledger.people_note and ledger.promised_people == 2
    with pytest.raises(ValidationError, match="已经建立"):
        services.ledger_open(
            actor=world.dept_clerk, department=world.dept_rs, year=YEAR, item_code=ledger.item_code
        )
    with pytest.raises(PermissionDenied):
        services.ledger_open(
            actor=world.town_hk, department=world.dept_rs, year=YEAR, item_code=ledger.item_code
        )


def test_the_township_enters_and_the_village_confirms(world, ledger):
    entry = services.allocation_enter(
        actor=world.town_hk,
        ledger=ledger,
        village=world.village_taoyuan,
        amount="3000",
        people=1,
        people_names="社保协理员张敏",
    )
    assert entry.state == AllocationState.ENTERED and entry.township == world.township_hk
    assert list(selectors.village_allocations(world.village_cadre)) == [entry]
    with pytest.raises(PermissionDenied):
        services.allocation_confirm(actor=world.community_cadre, allocation=entry)
    entry = services.allocation_confirm(actor=world.village_cadre, allocation=entry, version=entry.version)
    assert entry.state == AllocationState.CONFIRMED and entry.answered_by == world.village_cadre
    with pytest.raises(ValidationError, match="已确认"):
        services.allocation_enter(
            actor=world.town_hk, ledger=ledger, village=world.village_taoyuan, amount="1"
        )
    actions = set(AuditRecord.objects.values_list("action", flat=True))
    assert {"admission.funding_ledger", "admission.funding_enter", "admission.funding_confirm"} <= actions


def test_a_village_objects_and_the_township_corrects(world, ledger):
    entry = services.allocation_enter(
        actor=world.town_hk, ledger=ledger, village=world.village_taoyuan, amount="3000"
    )
    with pytest.raises(ValidationError) as refused:
        services.allocation_dispute(actor=world.village_cadre, allocation=entry, note="")
    assert "异议说明" in str(refused.value)
    entry = services.allocation_dispute(actor=world.village_cadre, allocation=entry, note="实际到位 2000 元")
    assert entry.state == AllocationState.DISPUTED
    entry = services.allocation_enter(
        actor=world.town_hk, ledger=ledger, village=world.village_taoyuan, amount="2000"
    )
    assert (
        entry.state == AllocationState.ENTERED
        and entry.village_note == ""
        and entry.amount == Decimal("2000")
    )


def test_it_refuses_amounts_that_add_up_to_more_than_promised_and_other_townships(world, ledger):
    services.allocation_enter(
        actor=world.town_hk, ledger=ledger, village=world.village_taoyuan, amount="59000"
    )
    with pytest.raises(ValidationError) as refused:
        services.allocation_enter(
            actor=world.town_cg, ledger=ledger, village=world.community_jiefang, amount="2000"
        )
    assert "合计 61000.00 元" in str(refused.value) and "60000.00" in str(refused.value)
    with pytest.raises(PermissionDenied):
        services.allocation_enter(
            actor=world.town_hk, ledger=ledger, village=world.community_jiefang, amount="1"
        )
    with pytest.raises(ValidationError, match="金额"):
        services.allocation_enter(
            actor=world.town_cg, ledger=ledger, village=world.community_jiefang, amount="-5"
        )
    with pytest.raises(ValidationError, match="不能少于"):
        services.ledger_update(actor=world.dept_clerk, ledger=ledger, promised_amount="50000")
    assert FundingAllocation.objects.count() == 1


def test_the_township_sheet_is_all_or_nothing_and_reads_back(world, ledger):
    villages = selectors.townships_villages(ledger, world.township_hk)
    first, second = villages[0], villages[1]
    bad = sheet(
        [[first.code, first.name, 1000, 1, "甲"], [second.code, second.name, "一千", 0, ""]],
        excel.ALLOCATION_COLUMNS,
    )
    with pytest.raises(ImportRefused) as refused:
        services.allocations_import(actor=world.town_hk, ledger=ledger, rows=excel.read_allocations(bad))
    assert refused.value.errors == ["第 3 行：「到位经费（元）」应填写金额（元），如 12000 或 12000.50。"]
    assert FundingAllocation.objects.count() == 0
    other = sheet([[world.community_jiefang.code, "", 10, 0, ""]], excel.ALLOCATION_COLUMNS)
    with pytest.raises(ImportRefused) as refused:
        services.allocations_import(actor=world.town_hk, ledger=ledger, rows=excel.read_allocations(other))
    assert refused.value.errors[0].startswith("第 2 行：只有")
    good = sheet(
        [[first.code, first.name, 1000, 1, "甲"], [second.code, second.name, 500.5, 0, ""]],
        excel.ALLOCATION_COLUMNS,
    )
    assert (
        services.allocations_import(actor=world.town_hk, ledger=ledger, rows=excel.read_allocations(good))
        == 2
    )
    entered = {a.village_id: a for a in ledger.allocations.all()}
    buffer = io.BytesIO()
    excel.allocation_workbook(ledger, villages, entered).save(buffer)
    buffer.seek(0)
    rows = list(load_workbook(buffer).active.iter_rows(values_only=True))
    assert rows[0] == tuple(excel.ALLOCATION_COLUMNS)
    assert rows[1] == (first.code, first.name, 1000, 1, "甲") and rows[2][2] == 500.5


def test_the_county_report_names_unfunded_and_partial_items_by_department(world, item, ledger):
    entry = services.allocation_enter(
        actor=world.town_hk, ledger=ledger, village=world.village_taoyuan, amount="60000", people=2
    )
    report = selectors.funding_report(world.county, YEAR)
    (rs,) = [d for d in report if d.department == world.dept_rs]
    assert [r.status for r in rs.rows] == ["partial"]  # entered, not yet confirmed by the village
    services.allocation_confirm(actor=world.village_cadre, allocation=entry)
    (rs,) = [d for d in selectors.funding_report(world.county, YEAR) if d.department == world.dept_rs]
    assert rs.rows[0].status == "full" and rs.rows[0].status_label == "已足额到位"
    (nothing,) = [
        d for d in selectors.funding_report(world.county, YEAR + 1) if d.department == world.dept_rs
    ]
    assert nothing.unfunded == 1 and nothing.rows[0].status_label == "无经费和人员保障"
    buffer = io.BytesIO()
    excel.report_workbook(world.county, YEAR, selectors.funding_report(world.county, YEAR)).save(buffer)
    buffer.seek(0)
    rows = list(load_workbook(buffer).active.iter_rows(values_only=True))
    assert rows[2][0] == "县人社局" and rows[2][1] == item.code and rows[2][-1] == "已足额到位"


def test_the_department_fills_submits_and_the_office_receives_the_survey(world, ledger):
    survey = services.survey_open(actor=world.dept_clerk, department=world.dept_rs, year=YEAR)
    buffer = io.BytesIO()
    excel.survey_workbook(survey, [ledger]).save(buffer)
    buffer.seek(0)
    rows = list(load_workbook(buffer).active.iter_rows(values_only=True))
    assert rows[1][:2] == (ledger.item_title, ledger.item_code)
    bad = sheet([["就业失业登记", "", 20, 30000, "县财政", 2, "足额", ""]], excel.SURVEY_COLUMNS)
    with pytest.raises(ImportRefused) as refused:
        excel.read_survey(bad)
    assert refused.value.errors == ["第 2 行：「保障情况」应为足额保障、部分保障、未保障之一。"]
    with pytest.raises(ValidationError, match="没有填写"):
        services.survey_submit(actor=world.dept_clerk, survey=survey)
    good = sheet(
        [["就业失业登记", "", 20, 30000, "县财政", 2, "部分保障", "缺少专职人员"]], excel.SURVEY_COLUMNS
    )
    survey = services.survey_fill(actor=world.dept_clerk, survey=survey, rows=excel.read_survey(good))
    assert SurveyRow.objects.get().guarantee == "partial"
    survey = services.survey_submit(actor=world.dept_clerk, survey=survey)
    with pytest.raises(ValidationError, match="理由"):
        services.survey_decide(actor=world.office, survey=survey, accept=False)
    survey = services.survey_decide(actor=world.office, survey=survey, accept=False, note="请补充涉及村数")
    assert survey.get_state_display() == "已退回"
    survey = services.survey_submit(actor=world.dept_clerk, survey=survey)
    survey = services.survey_decide(actor=world.office, survey=survey, accept=True)
    assert survey.state == "accepted" and world.dept_rs not in selectors.missing_surveys(world.county, YEAR)


def test_the_api_enters_confirms_and_reports(world, ledger, client):
    client.force_login(world.town_hk)
    url = f"/api/v1/admission/funding/ledgers/{ledger.pk}/allocations"
    too_much = client.post(
        url, {"village_code": world.village_taoyuan.code, "amount": "70000"}, "application/json"
    )
    assert too_much.status_code == 400 and "超过部门承诺" in too_much.json()["error"]["message"]
    entered = client.post(
        url, {"village_code": world.village_taoyuan.code, "amount": "60000", "people": 2}, "application/json"
    )
    assert entered.status_code == 200 and entered.json()["state_label"] == "待村（社区）确认"
    client.force_login(world.village_cadre)
    answer = f"/api/v1/admission/funding/allocations/{entered.json()['id']}/answer"
    assert client.post(answer, {"confirm": True}, "application/json").json()["state"] == "confirmed"
    client.force_login(world.office)
    report = client.get("/api/v1/admission/funding/report", {"year": YEAR}).json()
    (row,) = [r for r in report if r["item_code"] == ledger.item_code]
    assert row["status"] == "full" and row["department_name"] == "县人社局"


def test_the_pages_show_each_person_their_part(world, ledger, login):
    services.allocation_enter(actor=world.town_hk, ledger=ledger, village=world.village_taoyuan, amount="100")
    page = login(world.town_hk).get(f"/admission/funding/ledgers/{ledger.pk}/").content.decode()
    assert "河口镇录入到位情况" in page and "下载本乡镇的 Excel 表" in page and "修改承诺" not in page
    page = login(world.dept_clerk).get(f"/admission/funding/ledgers/{ledger.pk}/").content.decode()
    assert "修改承诺的经费和人员" in page and "录入到位情况" not in page
    page = login(world.office).get("/admission/funding/report/", {"year": YEAR}).content.decode()
    assert "部分到位" in page and "费随事转" in page
    sheet = login(world.office).get("/admission/funding/report.xlsx", {"year": YEAR})
    assert sheet.status_code == 200 and sheet["Content-Type"].startswith("application/vnd.openxmlformats")


def test_a_township_lists_only_ledgers_that_reach_its_villages_or_hold_its_entries(
    world, item, ledger, login
):
    def listed(user) -> bool:
        return selectors.ledgers(user, YEAR).filter(pk=ledger.pk).exists()

    assert listed(world.town_hk) and listed(world.town_cg)  # the item covers the whole county
    item.scope_all = False
    item.save(update_fields=["scope_all"])
    item.scope_regions.set([world.township_hk])
    assert listed(world.town_hk) and not listed(world.town_cg)
    assert listed(world.office) and listed(world.dept_clerk)
    page = login(world.town_cg).get("/admission/funding/", {"year": YEAR}).content.decode()
    assert f"/admission/funding/ledgers/{ledger.pk}/" not in page
    assert login(world.town_cg).get(f"/admission/funding/ledgers/{ledger.pk}/").status_code == 404
    item.scope_regions.set([world.village_taoyuan])
    assert listed(world.town_hk) and not listed(world.town_cg)
    # An entry made before the item's scope was narrowed keeps the ledger on the township's list.
    item.scope_all = True
    item.save(update_fields=["scope_all"])
    services.allocation_enter(actor=world.town_hk, ledger=ledger, village=world.village_taoyuan, amount="100")
    item.scope_all = False
    item.save(update_fields=["scope_all"])
    item.scope_regions.set([world.township_cg])
    assert listed(world.town_hk) and listed(world.town_cg)
    page = login(world.town_hk).get("/admission/funding/", {"year": YEAR}).content.decode()
    assert f"/admission/funding/ledgers/{ledger.pk}/" in page
