"""一张表 over JSON: the same selectors and services as the pages."""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from jianfu.core.api_types import Page, Year
from jianfu.core.text import text_input
from jianfu.forms import selectors, services
from jianfu.forms.checks import form_check
from jianfu.forms.models import Indicator
from jianfu.forms.views.base_table import manage_region
from jianfu.forms.views.forms import own_departments
from jianfu.orgs.models import Department, Region
from jianfu.orgs.roles import Capability

router = Router(tags=["一张表"])


def _require(user, capability: str) -> None:
    if not user.has_capability(capability):
        raise PermissionDenied("您没有执行此操作的权限。")


class IndicatorOut(Schema):
    id: int
    code: str
    name: str
    definition: str
    unit: str
    value_type: str
    period: str
    owner_department: str | None = Field(None, alias="owner_department.name")
    min_value: Decimal | None
    max_value: Decimal | None
    is_active: bool
    version: int


class IndicatorIn(Schema):
    code: str
    name: str
    definition: text_input("forms.Indicator", "definition") = ""
    unit: str = ""
    value_type: str = "integer"
    period: str = "yearly"
    min_value: Decimal | None = None
    max_value: Decimal | None = None


class ValueOut(Schema):
    indicator_code: str = Field(..., alias="indicator.code")
    indicator_name: str = Field(..., alias="indicator.name")
    village_code: str = Field(..., alias="village.code")
    period: str
    value: str
    source: str
    entered_at: datetime
    version: int


class ValuesIn(Schema):
    village_code: str
    period: str
    values: dict[str, str] = Field(..., description="指标编码 → 数值")
    units: dict[str, str] = {}


class CorrectIn(Schema):
    village_code: str
    period: str
    indicator_code: str
    value: str
    reason: str
    version: int | None = None


class LockIn(Schema):
    township_code: str
    period: str
    note: str = ""


class FieldIn(Schema):
    label: str
    unit: str = ""
    value_type: str = "integer"
    indicator_code: str = ""
    justification: str = ""


class FormIn(Schema):
    year: Year
    name: str
    legal_basis: str
    frequency: str
    list_item_code: str = ""
    exception_reason: str = ""
    due_day: int = 10
    fields: list[FieldIn]


class FieldOut(Schema):
    id: int
    position: int
    label: str
    unit: str
    indicator_code: str | None = Field(None, alias="indicator.code")
    justification: str
    proposals: list
    duplicates: list


class FormOut(Schema):
    id: int
    number: str
    year: int
    name: str
    department: str = Field(..., alias="department.name")
    legal_basis: str
    frequency: str
    due_day: int
    list_item_code: str
    status: str
    decision_note: str
    edition: int
    revises_id: int | None
    version: int


class FormDetailOut(FormOut):
    fields: list[FieldOut]

    @staticmethod
    def resolve_fields(obj):
        return list(obj.fields.select_related("indicator"))


class VersionIn(Schema):
    version: int | None = None


class DecideIn(VersionIn):
    note: str = ""
    merge_into: int | None = None


class IssueIn(Schema):
    period: str


class TaskOut(Schema):
    id: int
    form: str = Field(..., alias="issue.form.name")
    period: str = Field(..., alias="issue.period")
    village_code: str = Field(..., alias="village.code")
    status: str
    due_on: date | None
    on_time: bool | None
    submitted_at: datetime | None
    typed: int
    served: int
    return_reason: str
    version: int


class TaskSubmitIn(VersionIn):
    typed: dict[int, str] = {}
    corrections: dict[int, str] = {}
    reason: str = ""


class ChannelOut(Schema):
    id: int
    kind: str
    name: str
    department: str = Field(..., alias="department.name")
    region_code: str = Field(..., alias="region.code")
    purpose: str
    uses: list[str]
    status: str
    flagged_for_closure: bool
    version: int


class ChannelIn(Schema):
    kind: str
    name: str
    department_id: int
    region_code: str
    purpose: str
    uses: list[str]


class ChannelStatusIn(VersionIn):
    status: str
    note: str = ""
    merged_into: str = ""


class CheckOut(Schema):
    passed: bool | None
    rule: str
    detail: str
    url: str


# Base table -----------------------------------------------------------------------------------------------


@router.get("/indicators", response=list[IndicatorOut], url_name="forms_indicators", summary="基础指标")
@paginate(Page)
def indicator_list(request, q: str = ""):
    _require(request.user, Capability.FORMS_VIEW)
    return selectors.indicators(request.user, query=q)


@router.post(
    "/indicators", response={201: IndicatorOut}, url_name="forms_indicator_create", summary="新增基础指标"
)
def indicator_create(request, payload: IndicatorIn):
    region = manage_region(request.user)
    return Status(201, services.indicator_save(actor=request.user, region=region, **payload.dict()))


@router.get(
    "/indicators/duplicates",
    response=list[list[IndicatorOut]],
    url_name="forms_duplicates",
    summary="疑似重复的指标组（与基准测试同一查重算法）",
)
def duplicates(request):
    _require(request.user, Capability.FORMS_VIEW)
    return selectors.duplicate_groups(request.user)


def _indicator(user, code: str) -> Indicator:
    found = selectors.indicators(user).filter(code=code).first()
    if found is None:
        raise ValidationError({"indicator_code": f"没有编码为“{code}”的有效指标。"})
    return found


@router.get(
    "/values", response=list[ValueOut], url_name="forms_values", summary="某村（社区）某统计期的基础数据"
)
def value_list(request, village_code: str, period: str):
    village = selectors.village_get(request.user, village_code)
    return [v for _, v in selectors.village_values(request.user, village, period) if v is not None]


@router.post(
    "/values",
    response=list[ValueOut],
    url_name="forms_values_enter",
    summary="录入基础数据（全部通过校验才保存）",
)
def values_enter(request, payload: ValuesIn):
    village = selectors.village_get(request.user, payload.village_code)
    values = {_indicator(request.user, code): raw for code, raw in payload.values.items()}
    units = {_indicator(request.user, code): unit for code, unit in payload.units.items()}
    return services.values_enter(
        actor=request.user, village=village, period=payload.period, values=values, units=units
    )


@router.post(
    "/values/correct", response=ValueOut, url_name="forms_value_correct", summary="更正基础数据（留痕）"
)
def value_correct(request, payload: CorrectIn):
    village = selectors.village_get(request.user, payload.village_code)
    return services.value_correct(
        actor=request.user,
        village=village,
        period=payload.period,
        indicator=_indicator(request.user, payload.indicator_code),
        value=payload.value,
        reason=payload.reason,
        expected_version=payload.version,
    )


@router.get("/review", response=dict, url_name="forms_review", summary="乡镇（街道）锁定前各村的校验问题")
def review(request, township_code: str, period: str):
    township = selectors.township_get(request.user, township_code)
    result = selectors.township_review(request.user, township, period)
    return {
        "locked": result["lock"] is not None,
        "errors": result["errors"],
        "villages": [
            {
                "code": r["village"].code,
                "name": r["village"].name,
                "entered": r["entered"],
                "problems": [{"text": p.text, "severity": p.rule.severity} for p in r["problems"]],
            }
            for r in result["rows"]
        ],
    }


@router.post("/review/lock", response={201: dict}, url_name="forms_period_lock", summary="审核锁定统计期")
def period_lock(request, payload: LockIn):
    township = selectors.township_get(request.user, payload.township_code)
    lock = services.period_lock(
        actor=request.user, township=township, period=payload.period, note=payload.note
    )
    return Status(201, {"township_code": township.code, "period": lock.period, "locked_at": lock.locked_at})


# Forms ----------------------------------------------------------------------------------------------------


@router.get("/forms", response=list[FormOut], url_name="forms_list", summary="部门报表")
@paginate(Page)
def form_list(request, year: Year | None = None, status: str = ""):
    _require(request.user, Capability.FORMS_VIEW)
    return selectors.forms(request.user, year=year, status=status)


@router.post(
    "/forms",
    response={201: FormDetailOut},
    url_name="forms_register",
    summary="登记部门报表（返回每个栏目的建议指标和重复提示）",
)
def form_register(request, payload: FormIn):
    _require(request.user, Capability.FORMS_REGISTER)
    department = own_departments(request.user).first()
    if department is None:
        raise PermissionDenied("只有职能部门可以登记报表。")
    data = payload.dict()
    fields = [
        {**f, "indicator": _indicator(request.user, f["indicator_code"]) if f["indicator_code"] else None}
        for f in data.pop("fields")
    ]
    made = services.form_register(
        actor=request.user, department=department, region=department.region, fields=fields, **data
    )
    return Status(201, made)


@router.get("/forms/{int:pk}", response=FormDetailOut, url_name="forms_detail", summary="报表详情")
def form_detail(request, pk: int):
    return selectors.form_get(request.user, pk)


@router.post("/forms/{int:pk}/submit", response=FormDetailOut, url_name="forms_submit", summary="提交审定")
def form_submit(request, pk: int, payload: VersionIn):
    form = selectors.form_get(request.user, pk)
    return services.form_submit(actor=request.user, form=form, expected_version=payload.version)


@router.post(
    "/forms/{int:pk}/approve",
    response=FormDetailOut,
    url_name="forms_approve",
    summary="列入年度填报表格清单",
)
def form_approve(request, pk: int, payload: DecideIn):
    form = selectors.form_get(request.user, pk)
    return services.form_approve(
        actor=request.user, form=form, note=payload.note, expected_version=payload.version
    )


@router.post(
    "/forms/{int:pk}/reject",
    response=FormDetailOut,
    url_name="forms_reject",
    summary="不予列入，或合并到已列入的报表（merge_into）",
)
def form_reject(request, pk: int, payload: DecideIn):
    form = selectors.form_get(request.user, pk)
    into = selectors.form_get(request.user, payload.merge_into) if payload.merge_into else None
    return services.form_reject(
        actor=request.user, form=form, note=payload.note, merge_into=into, expected_version=payload.version
    )


@router.post(
    "/forms/{int:pk}/issue",
    response={201: dict},
    url_name="forms_issue",
    summary="下发到村（社区）：只有列入清单的报表可以下发",
)
def form_issue(request, pk: int, payload: IssueIn):
    form = selectors.form_get(request.user, pk)
    issue = services.form_issue(actor=request.user, form=form, period=payload.period)
    return Status(201, {"form": form.pk, "period": issue.period, "villages": issue.tasks.count()})


@router.get(
    "/check",
    response=CheckOut,
    url_name="forms_check",
    summary="核对：某部门发给某村（社区）的报表是否列入年度填报表格清单",
)
def check(request, department_id: int, village_code: str, title: str, on: date | None = None):
    _require(request.user, Capability.FORMS_VIEW)
    department = get_object_or_404(Department.objects.visible_to(request.user), pk=department_id)
    village = get_object_or_404(Region.objects.visible_to(request.user), code=village_code)
    return form_check(department=department, village=village, on=on or timezone.localdate(), title=title)


# Tasks, counts and figures -------------------------------------------------------------------------------


@router.get("/tasks", response=list[TaskOut], url_name="forms_tasks", summary="填报任务")
@paginate(Page)
def task_list(
    request,
    status: str = "",
    state: str = "",
    year: Year | None = None,
    form: int | None = None,
    period: str = "",
    township: str = "",
    village: str = "",
    area: str = "",
):
    """``state``: on_time, late, overdue, pending, open or submitted (as the reporting report links); ``area``: a
    prefecture, county or township code the report listed."""
    _require(request.user, Capability.FORMS_VIEW)
    return selectors.tasks(
        request.user,
        status=status,
        state=state,
        year=year,
        form_id=form,
        period=period[:10],
        township=township[:12],
        village_code=village[:12],
        area=area[:12],
    )


@router.get(
    "/tasks/{int:pk}", response=dict, url_name="forms_task_detail", summary="填报任务：带出的和需填写的栏目"
)
def task_detail(request, pk: int):
    task = selectors.task_get(request.user, pk)
    rows = [
        {
            "field_id": r["field"].pk,
            "label": r["field"].label,
            "served": r["field"].indicator_id is not None,
            "value": r["served"].value if r["served"] else r["typed"],
        }
        for r in selectors.task_rows(task)
    ]
    return {**TaskOut.from_orm(task).dict(), "fields": rows}


@router.post(
    "/tasks/{int:pk}/submit",
    response=TaskOut,
    url_name="forms_task_submit",
    summary="村（社区）填写新增栏目、确认或更正带出的数据并报送",
)
def task_submit(request, pk: int, payload: TaskSubmitIn):
    task = selectors.task_get(request.user, pk)
    return services.task_submit(
        actor=request.user,
        task=task,
        typed=payload.typed,
        corrections=payload.corrections,
        reason=payload.reason,
        expected_version=payload.version,
    )


class TaskReviewIn(VersionIn):
    step: Literal["approve", "return", "accept"]
    note: text_input("forms.FormTaskStep", "note") = ""


@router.post(
    "/tasks/{int:pk}/review",
    response=TaskOut,
    url_name="forms_task_review",
    summary="乡镇（街道）审核通过或退回（须说明理由）村（社区）报送的报表；县级接收或退回乡镇审核通过的报表",
)
def task_review(request, pk: int, payload: TaskReviewIn):
    task = selectors.task_get(request.user, pk)
    if payload.step == "return":
        return services.task_return(
            actor=request.user, task=task, reason=payload.note, expected_version=payload.version
        )
    act = services.task_approve if payload.step == "approve" else services.task_accept
    return act(actor=request.user, task=task, note=payload.note, expected_version=payload.version)


@router.get(
    "/counts", response=list[dict], url_name="forms_counts", summary="各村（社区）填写与共享带出栏目数"
)
def counts(request, year: Year):
    _require(request.user, Capability.FORMS_VIEW)
    return selectors.village_counts(request.user, year=year)


@router.get("/stats", response=list[dict], url_name="forms_stats", summary="清理成效（近三年，同比）")
def stats(request, year: Year):
    _require(request.user, Capability.FORMS_VIEW)
    return selectors.cleanup_figures(request.user, [year - 2, year - 1, year])


# Channels -------------------------------------------------------------------------------------------------


@router.get("/channels", response=list[ChannelOut], url_name="forms_channels", summary="工作群和政务APP台账")
@paginate(Page)
def channel_list(request, status: str = "", flagged: bool = False):
    _require(request.user, Capability.FORMS_VIEW)
    return selectors.channels(request.user, status=status, flagged=flagged)


@router.post(
    "/channels", response={201: ChannelOut}, url_name="forms_channel_register", summary="登记工作群或APP"
)
def channel_register(request, payload: ChannelIn):
    department = get_object_or_404(Department.objects.visible_to(request.user), pk=payload.department_id)
    region = get_object_or_404(Region.objects.all(), code=payload.region_code)
    return Status(
        201,
        services.channel_register(
            actor=request.user,
            kind=payload.kind,
            name=payload.name,
            department=department,
            region=region,
            purpose=payload.purpose,
            uses=payload.uses,
        ),
    )


@router.post(
    "/channels/{int:pk}/status",
    response=ChannelOut,
    url_name="forms_channel_status",
    summary="记录清理结果：保留、整合或关停",
)
def channel_status(request, pk: int, payload: ChannelStatusIn):
    channel = selectors.channel_get(request.user, pk)
    return services.channel_set_status(
        actor=request.user,
        channel=channel,
        status=payload.status,
        note=payload.note,
        merged_into=payload.merged_into,
        expected_version=payload.version,
    )


# Schedules and reporting rates ------------------------------------------------------------------------------


class TownshipScheduleIn(Schema):
    township_code: str
    frequency: str
    due_day: int
    note: str = ""
    version: int | None = None


class DueDayIn(Schema):
    due_day: int
    version: int | None = None


def _schedule_out(row) -> dict:
    return {
        "township_code": row.township.code,
        "township": row.township.name,
        "frequency": row.frequency,
        "due_day": row.due_day,
        "note": row.note,
        "version": row.version,
    }


@router.get(
    "/schedule", response=list[dict], url_name="forms_schedule", summary="年度填报安排：本期与截止日期"
)
def schedule(request, year: Year):
    _require(request.user, Capability.FORMS_VIEW)
    return [
        {
            "form": r["form"].pk,
            "number": r["form"].number,
            "name": r["form"].name,
            "frequency": r["form"].frequency,
            "due_day": r["form"].due_day,
            "current_period": r["current"],
            "due_on": r["due_on"],
            "townships": [_schedule_out(t) for t in r["townships"]],
        }
        for r in selectors.schedule_rows(request.user, year)
    ]


@router.post(
    "/schedule/{int:pk}/township",
    response=dict,
    url_name="forms_schedule_township",
    summary="乡镇（街道）调整所辖村（社区）的填报安排（只能按清单频次或更低频次）",
)
def schedule_township(request, pk: int, payload: TownshipScheduleIn):
    form = selectors.form_get(request.user, pk)
    township = selectors.township_get(request.user, payload.township_code)
    row = services.township_schedule_set(
        actor=request.user,
        form=form,
        township=township,
        frequency=payload.frequency,
        due_day=payload.due_day,
        note=payload.note,
        expected_version=payload.version,
    )
    return _schedule_out(row)


@router.post(
    "/schedule/{int:pk}/due-day", response=FormOut, url_name="forms_due_day", summary="设置报送截止日"
)
def due_day(request, pk: int, payload: DueDayIn):
    form = selectors.form_get(request.user, pk)
    return services.form_due_day_set(
        actor=request.user, form=form, due_day=payload.due_day, expected_version=payload.version
    )


@router.post(
    "/schedule/open",
    response=dict,
    url_name="forms_schedule_open",
    summary="立即开放已开始且未过截止日的填报周期（可重复调用）",
)
def schedule_open(request):
    return services.periods_open(actor=request.user)


@router.get(
    "/reporting",
    response=dict,
    url_name="forms_reporting",
    summary="报送情况：应报、已报、按时、逾期、逾期未报，报送率和及时率",
)
def reporting(
    request, year: Year, form: int | None = None, period: str = "", township: str = "", area: str = ""
):
    _require(request.user, Capability.FORMS_VIEW)
    return selectors.reporting_rates(
        request.user, year=year, form_id=form, period=period[:10], township=township[:12], area=area[:12]
    )


# Unlocking a locked period ---------------------------------------------------------------------------------


class UnlockIn(Schema):
    township_code: str
    period: str
    reason: str = ""


class UnlockDecideIn(Schema):
    approve: bool
    note: str = ""
    version: int | None = None


def _unlock_out(unlock) -> dict:
    return {
        "id": unlock.pk,
        "township_code": unlock.lock.township.code,
        "period": unlock.lock.period,
        "reason": unlock.reason,
        "status": unlock.status,
        "decision_note": unlock.decision_note,
        "version": unlock.version,
    }


@router.post(
    "/review/unlock",
    response={201: dict},
    url_name="forms_unlock_request",
    summary="申请解锁已锁定的统计期（须说明理由，由县级审批）",
)
def unlock_request(request, payload: UnlockIn):
    township = selectors.township_get(request.user, payload.township_code)
    lock = selectors.township_review(request.user, township, payload.period[:10])["lock"]
    if lock is None:
        raise ValidationError({"period": f"{township.name} {payload.period[:10]} 没有锁定，无需解锁。"})
    made = services.unlock_request(actor=request.user, lock=lock, reason=payload.reason)
    return Status(201, _unlock_out(made))


@router.post(
    "/unlock/{int:pk}/decide",
    response=dict,
    url_name="forms_unlock_decide",
    summary="审批解锁申请（批准后该统计期重新开放录入）",
)
def unlock_decide(request, pk: int, payload: UnlockDecideIn):
    unlock = selectors.unlock_get(request.user, pk)
    decided = services.unlock_decide(
        actor=request.user,
        request=unlock,
        approve=payload.approve,
        note=payload.note,
        expected_version=payload.version,
    )
    return _unlock_out(decided)


from jianfu.forms.api_quality import router as quality_router  # noqa: E402

from . import api_categories  # noqa: E402, F401  (categories and savings: routes on this router)

router.add_router("", quality_router)
