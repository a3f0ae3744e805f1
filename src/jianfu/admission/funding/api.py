"""费随事转 over JSON (mounted under /api/v1/admission/funding by the admission router): the same selectors and
services as the pages."""

from datetime import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from jianfu.core.api_types import Page, Year
from jianfu.core.text import text_input
from jianfu.orgs.models import Department, Region

from .. import services
from . import selectors

router = Router(tags=["费随事转"])


class LedgerOut(Schema):
    id: int
    year: int
    county_code: str = Field(..., alias="county.code")
    department_id: int
    department_name: str = Field(..., alias="department.name")
    item_code: str
    item_title: str
    admitted_item_id: int | None
    promised_amount: Decimal
    promised_people: int
    funds_source: str
    people_note: str
    version: int


class LedgerIn(Schema):
    department_id: int
    year: Year
    item_code: str = Field(..., max_length=40)
    promised_amount: str | None = Field(None, max_length=20, description="元；不填则取准入申请写明的经费金额")
    promised_people: int | None = Field(None, ge=0, le=100000)
    funds_source: str | None = Field(None, max_length=200)
    people_note: text_input("admission.FundingLedger", "people_note") | None = None  # type: ignore[valid-type]


class AllocationOut(Schema):
    id: int
    ledger_id: int
    item_code: str = Field(..., alias="ledger.item_code")
    township_code: str = Field(..., alias="township.code")
    village_code: str = Field(..., alias="village.code")
    village_name: str = Field(..., alias="village.name")
    amount: Decimal
    people: int
    people_names: str
    state: str = Field(..., description="entered 待村（社区）确认 / confirmed 已确认 / disputed 有异议")
    state_label: str = Field(..., alias="get_state_display")
    village_note: str
    entered_at: datetime
    answered_at: datetime | None
    version: int


class AllocationIn(Schema):
    village_code: str = Field(..., min_length=12, max_length=12)
    amount: str = Field(..., max_length=20, description="到位经费（元）")
    people: int = Field(0, ge=0, le=100000)
    people_names: str = Field("", max_length=300)


class AnswerIn(Schema):
    confirm: bool
    note: str = Field("", max_length=300, description="有异议时必填：实际到位的经费或人员")
    version: int | None = None


class ReportRowOut(Schema):
    department_name: str
    item_code: str
    item_title: str
    promised: Decimal
    confirmed: Decimal
    promised_people: int
    confirmed_people: int
    status: str = Field(..., description="none 无经费和人员保障 / partial 部分到位 / full 已足额到位")
    status_label: str


class SurveyOut(Schema):
    id: int
    department_id: int
    department_name: str = Field(..., alias="department.name")
    year: int
    state: str
    state_label: str = Field(..., alias="get_state_display")
    lines: int
    submitted_at: datetime | None
    version: int


@router.get(
    "/ledgers", response=list[LedgerOut], url_name="admission_funding_ledgers", summary="费随事转台账"
)
@paginate(Page)
def ledger_list(request, year: Year | None = None):
    return selectors.ledgers(request.user, year)


@router.post(
    "/ledgers",
    response={201: LedgerOut},
    url_name="admission_funding_ledger_open",
    summary="交办部门建立台账",
)
def ledger_open(request, payload: LedgerIn):
    department = get_object_or_404(Department, pk=payload.department_id)
    fields = payload.dict(exclude={"department_id", "year", "item_code"}, exclude_none=True)
    ledger = services.ledger_open(
        actor=request.user, department=department, year=payload.year, item_code=payload.item_code, **fields
    )
    return Status(201, ledger)


@router.get(
    "/ledgers/{int:pk}/allocations",
    response=list[AllocationOut],
    url_name="admission_funding_allocations",
    summary="台账的到位情况（乡镇、村只见本辖区）",
)
def allocation_list(request, pk: int):
    ledger = selectors.ledger(request.user, pk)
    return list(selectors.allocations_of(request.user, ledger))


@router.post(
    "/ledgers/{int:pk}/allocations",
    response=AllocationOut,
    url_name="admission_funding_enter",
    summary="乡镇录入（或更正）一个村（社区）的到位情况",
)
def allocation_enter(request, pk: int, payload: AllocationIn):
    ledger = selectors.ledger(request.user, pk)
    village = get_object_or_404(Region, code=payload.village_code)
    return services.allocation_enter(
        actor=request.user,
        ledger=ledger,
        village=village,
        amount=payload.amount,
        people=payload.people,
        people_names=payload.people_names,
    )


@router.post(
    "/allocations/{int:pk}/answer",
    response=AllocationOut,
    url_name="admission_funding_answer",
    summary="村（社区）确认到位或提出异议",
)
def allocation_answer(request, pk: int, payload: AnswerIn):
    allocation = selectors.allocation(request.user, pk)
    if payload.confirm:
        return services.allocation_confirm(actor=request.user, allocation=allocation, version=payload.version)
    return services.allocation_dispute(
        actor=request.user, allocation=allocation, note=payload.note, version=payload.version
    )


@router.get(
    "/report",
    response=list[ReportRowOut],
    url_name="admission_funding_report",
    summary="交办事项经费和人员落实情况（按部门）",
)
def report(request, year: Year, county: str = ""):
    counties = selectors.report_counties(request.user)
    if not counties:
        raise PermissionDenied("您没有查看费随事转报告的权限。")
    region = next((c for c in counties if c.code == county), counties[0])
    return [
        {
            "department_name": group.department.name,
            "item_code": r.code,
            "item_title": r.title,
            "promised": r.promised,
            "confirmed": r.confirmed,
            "promised_people": r.promised_people,
            "confirmed_people": r.confirmed_people,
            "status": r.status,
            "status_label": r.status_label,
        }
        for group in selectors.funding_report(region, year)
        for r in group.rows
    ]


@router.get(
    "/surveys",
    response=list[SurveyOut],
    url_name="admission_funding_surveys",
    summary="经费和人员保障情况梳理表",
)
@paginate(Page)
def survey_list(request, year: Year | None = None):
    return selectors.surveys(request.user, year)
