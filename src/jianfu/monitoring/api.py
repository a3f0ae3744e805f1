"""减负监测 over JSON: the same selectors and services as the pages.

A retried POST of an event or a clue with the same ``Idempotency-Key`` header (or ``idempotency_key`` field)
answers 200 with the event stored the first time instead of 201 with a new one. A clue's reporter is never in a
response a department can read (``reporter`` follows ``selectors.reporter_label``).
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from jianfu.core.api_types import Page, Year
from jianfu.core.text import text_input
from jianfu.monitoring import dashboard, selectors, services
from jianfu.monitoring.models import Origin
from jianfu.monitoring.services import bulletins as bulletin_services
from jianfu.orgs.models import Department, Region, User

router = Router(tags=["减负监测"])


class PointOut(Schema):
    id: int
    village_code: str = Field(..., alias="village.code")
    village_name: str = Field(..., alias="village.name")
    note: str
    is_active: bool
    monitors: list[str]
    version: int

    @staticmethod
    def resolve_monitors(obj):
        return [a.monitor.username for a in obj.assignments.all() if a.is_active]


class PointIn(Schema):
    village_code: str
    note: str = ""


class AssignIn(Schema):
    username: str


class AssignmentOut(Schema):
    id: int
    point_id: int
    monitor: str = Field(..., alias="monitor.username")
    is_active: bool


class EventIn(Schema):
    village_code: str
    kind: str
    department_id: int
    occurred_on: date
    description: text_input("monitoring.BurdenEvent", "description")
    hours: Decimal = Decimal(0)
    subject: str = ""
    demanded_materials: bool = False
    certificate_code: str = ""
    idempotency_key: str = ""


class ClueIn(EventIn):
    anonymous: bool = False
    origin: str = Origin.CLUE


class EventOut(Schema):
    id: int
    village_code: str = Field(..., alias="village.code")
    village_name: str = Field(..., alias="village.name")
    kind: str
    kind_label: str = Field(..., alias="get_kind_display")
    department_id: int
    department_name: str = Field(..., alias="department.name")
    subject: str
    occurred_on: date
    hours: Decimal
    description: str
    origin: str
    anonymous: bool
    review: str
    verdict: str
    verdict_label: str = Field(..., alias="get_verdict_display")
    check_rule: str
    check_detail: str
    has_photo: bool
    reporter: str = Field("", alias="reporter_shown")
    version: int

    @staticmethod
    def resolve_has_photo(obj):
        return bool(obj.photo)


class ReviewIn(Schema):
    accept: bool
    note: str = ""
    version: int | None = None


class EventFilters(Schema):
    region: str = ""
    kind: str = ""
    department: str = ""
    verdict: str = ""
    month: str = ""
    year: str = ""
    origin: str = ""
    review: str = ""
    q: str = ""


class BulletinIn(Schema):
    region_code: str
    period_start: date
    period_end: date
    title: str = ""


class EntryOut(Schema):
    id: int
    rank: int
    department_id: int
    department_name: str = Field(..., alias="department.name")
    violations: int
    hours: Decimal
    rules: list
    status: str
    rectification: str
    event_ids: list[int]
    version: int

    @staticmethod
    def resolve_event_ids(obj):
        return [e.pk for e in obj.events.all()]


class BulletinOut(Schema):
    id: int
    number: str
    title: str
    region_code: str = Field(..., alias="region.code")
    period_start: date
    period_end: date
    status: str
    version: int


class BulletinDetailOut(BulletinOut):
    entries: list[EntryOut] = Field(..., alias="entries_shown")


class VersionIn(Schema):
    version: int | None = None


class TextIn(VersionIn):
    text: str = ""


def _with_reporter(event, user):
    """Only the label this user may see leaves the server, never the reporting user."""
    event.reporter_shown = selectors.reporter_label(event, user)
    return event


_event_out = _with_reporter


def _village(request, code: str) -> Region:
    return get_object_or_404(Region.objects.visible_to(request.user), code=code)


def _department(pk: int) -> Department:
    department = Department.objects.filter(pk=pk, is_active=True).first()
    if department is None:
        raise ValidationError({"department_id": "来源部门不存在。"})
    return department


def _key(request, payload) -> str:
    return request.headers.get("Idempotency-Key", "") or payload.idempotency_key


# Points -------------------------------------------------------------------------------------------------


@router.get("/points", response=list[PointOut], url_name="monitoring_points", summary="监测点")
def points(request):
    if not (selectors.may_view(request.user) or selectors.may_record(request.user)):
        raise PermissionDenied("您没有查看监测点的权限。")
    return list(selectors.points(request.user))


@router.post("/points", response={201: PointOut}, url_name="monitoring_point_designate", summary="设立监测点")
def point_designate(request, payload: PointIn):
    if not selectors.may_manage(request.user):
        raise PermissionDenied("只有县减负办（民政局）可以设立监测点。")
    village = _village(request, payload.village_code)
    return Status(201, services.point_designate(actor=request.user, village=village, note=payload.note))


@router.post(
    "/points/{int:pk}/monitors",
    response={201: AssignmentOut},
    url_name="monitoring_monitor_assign",
    summary="指定监测员",
)
def monitor_assign(request, pk: int, payload: AssignIn):
    point = selectors.point(request.user, pk)
    monitor = User.objects.filter(username=payload.username).first()
    return Status(201, services.monitor_assign(actor=request.user, point=point, monitor=monitor))


@router.post(
    "/assignments/{int:pk}/end",
    response=AssignmentOut,
    url_name="monitoring_monitor_unassign",
    summary="监测员不再服务此监测点",
)
def monitor_unassign(request, pk: int):
    return services.monitor_unassign(actor=request.user, assignment=selectors.assignment(request.user, pk))


# Events and clues ---------------------------------------------------------------------------------------


@router.post(
    "/events",
    response={200: EventOut, 201: EventOut},
    url_name="monitoring_event_record",
    summary="监测员记录负担事件（Idempotency-Key 防重复）",
)
def event_record(request, payload: EventIn):
    if not selectors.may_record(request.user):
        raise PermissionDenied("只有减负监测员可以记录负担事件。")
    event, created = services.event_record(
        actor=request.user,
        village=_village(request, payload.village_code),
        kind=payload.kind,
        department=_department(payload.department_id),
        occurred_on=payload.occurred_on,
        hours=payload.hours,
        description=payload.description,
        subject=payload.subject,
        demanded_materials=payload.demanded_materials,
        certificate_code=payload.certificate_code,
        idempotency_key=_key(request, payload),
    )
    return Status(201 if created else 200, _event_out(event, request.user))


@router.post(
    "/clues",
    response={200: EventOut, 201: EventOut},
    url_name="monitoring_clue_report",
    summary="反映问题线索（可匿名；Idempotency-Key 防重复）",
)
def clue_report(request, payload: ClueIn):
    if not selectors.may_report(request.user):
        raise PermissionDenied("您没有反映问题线索的权限。")
    event, created = services.clue_report(
        actor=request.user,
        village=_village(request, payload.village_code),
        kind=payload.kind,
        department=_department(payload.department_id),
        occurred_on=payload.occurred_on,
        hours=payload.hours,
        description=payload.description,
        subject=payload.subject,
        anonymous=payload.anonymous,
        origin=payload.origin,
        demanded_materials=payload.demanded_materials,
        idempotency_key=_key(request, payload),
    )
    return Status(201 if created else 200, _event_out(event, request.user))


@router.get("/clues/mine", response=list[EventOut], url_name="monitoring_my_clues", summary="我反映的问题")
@paginate(Page)
def my_clues(request):
    if not selectors.may_report(request.user):
        raise PermissionDenied("您没有反映问题线索的权限。")
    return [_with_reporter(e, request.user) for e in selectors.my_clues(request.user)]


@router.get(
    "/events", response=list[EventOut], url_name="monitoring_events", summary="负担事件（看板各数字的明细）"
)
@paginate(Page)
def events(request, filters: Query[EventFilters]):
    if not selectors.may_view(request.user):
        raise PermissionDenied("您没有查看负担事件的权限。")
    return _Labelled(selectors.events(request.user, filters.dict()), request.user)


class _Labelled:
    """A queryset whose page is given reporter labels after slicing (pagination counts, then slices)."""

    def __init__(self, queryset, user):
        self.queryset, self.user = queryset, user

    def count(self):
        return self.queryset.count()

    def __len__(self):
        return self.count()

    def __getitem__(self, item):
        return [_with_reporter(e, self.user) for e in self.queryset[item]]


@router.get("/events/{int:pk}", response=EventOut, url_name="monitoring_event", summary="负担事件详情")
def event(request, pk: int):
    return _event_out(selectors.event(request.user, pk), request.user)


@router.post(
    "/events/{int:pk}/review", response=EventOut, url_name="monitoring_clue_review", summary="受理问题线索"
)
def clue_review(request, pk: int, payload: ReviewIn):
    event = services.clue_review(
        actor=request.user,
        event=selectors.event(request.user, pk),
        accept=payload.accept,
        note=payload.note,
        version=payload.version,
    )
    return _event_out(event, request.user)


@router.post(
    "/events/{int:pk}/recheck", response=EventOut, url_name="monitoring_event_recheck", summary="重新核验"
)
def event_recheck(request, pk: int):
    event = services.event_recheck(actor=request.user, event=selectors.event(request.user, pk))
    return _event_out(event, request.user)


# Dashboard ----------------------------------------------------------------------------------------------


@router.get("/dashboard", url_name="monitoring_dashboard", summary="看板数字（按类型、月份、部门，同比）")
def dashboard_figures(request, region_code: str = "", year: Year | None = None):
    if not selectors.may_view(request.user):
        raise PermissionDenied("您没有查看减负监测看板的权限。")
    region = (
        selectors.visible_region(request.user, region_code)
        if region_code
        else selectors.home_region(request.user)
    )
    data = dashboard.figures(region, year or timezone.localdate().year)
    data["region"] = {"code": region.code, "name": region.name}
    data["children"] = [
        {
            "code": c["region"].code,
            "name": c["region"].name,
            "events": c["events"],
            "violations": c["violations"],
        }
        for c in dashboard.children(region, data["year"])
    ]
    return data


# Bulletins ----------------------------------------------------------------------------------------------


@router.get("/bulletins", response=list[BulletinOut], url_name="monitoring_bulletins", summary="通报")
@paginate(Page)
def bulletin_list(request):
    if not selectors.may_see_bulletins(request.user):
        raise PermissionDenied("您没有查看通报的权限。")
    return selectors.bulletins(request.user)


@router.post(
    "/bulletins", response={201: BulletinDetailOut}, url_name="monitoring_bulletin_draft", summary="起草通报"
)
def bulletin_draft(request, payload: BulletinIn):
    if not selectors.may_publish(request.user):
        raise PermissionDenied("只有纪检监察人员可以起草通报。")
    region = get_object_or_404(Region.objects.visible_to(request.user), code=payload.region_code)
    bulletin = bulletin_services.bulletin_draft(
        actor=request.user,
        region=region,
        title=payload.title,
        period_start=payload.period_start,
        period_end=payload.period_end,
    )
    return Status(201, _bulletin_out(request.user, bulletin))


def _bulletin_out(user, bulletin):
    """A department's copy lists its own entries only."""
    bulletin.entries_shown = list(selectors.entries_for(user, bulletin))
    return bulletin


@router.get(
    "/bulletins/{int:pk}", response=BulletinDetailOut, url_name="monitoring_bulletin", summary="通报详情"
)
def bulletin_detail(request, pk: int):
    return _bulletin_out(request.user, selectors.bulletin(request.user, pk))


@router.post(
    "/bulletins/{int:pk}/publish",
    response=BulletinOut,
    url_name="monitoring_bulletin_publish",
    summary="发布通报",
)
def bulletin_publish(request, pk: int, payload: VersionIn):
    bulletin = selectors.bulletin(request.user, pk)
    return bulletin_services.bulletin_publish(actor=request.user, bulletin=bulletin, version=payload.version)


@router.post(
    "/entries/{int:pk}/rectify", response=EntryOut, url_name="monitoring_entry_rectify", summary="报告整改"
)
def entry_rectify(request, pk: int, payload: TextIn):
    entry = selectors.entry(request.user, pk)
    return bulletin_services.entry_rectify(
        actor=request.user, entry=entry, rectification=payload.text, version=payload.version
    )


@router.post(
    "/entries/{int:pk}/confirm", response=EntryOut, url_name="monitoring_entry_confirm", summary="确认整改"
)
def entry_confirm(request, pk: int, payload: TextIn):
    entry = selectors.entry(request.user, pk)
    return bulletin_services.entry_confirm(
        actor=request.user, entry=entry, note=payload.text, version=payload.version
    )


@router.post(
    "/entries/{int:pk}/reopen", response=EntryOut, url_name="monitoring_entry_reopen", summary="退回重新整改"
)
def entry_reopen(request, pk: int, payload: TextIn):
    entry = selectors.entry(request.user, pk)
    return bulletin_services.entry_reopen(
        actor=request.user, entry=entry, note=payload.text, version=payload.version
    )


# Findings -----------------------------------------------------------------------------------------------


class FindingOut(Schema):
    id: int
    source: str
    source_label: str = Field(..., alias="get_source_display")
    village_code: str = Field(..., alias="village.code")
    village_name: str = Field(..., alias="village.name")
    department_id: int | None
    department_name: str | None = None
    department_text: str
    department_candidates: list[int]
    occurred_on: date
    subject: str
    rule: str
    basis: str
    detail: str
    automatic: str
    state: str
    state_label: str = Field(..., alias="get_state_display")
    reason: str
    evidence_url: str
    evidence_label: str
    version: int

    @staticmethod
    def resolve_department_name(obj):
        return obj.department.name if obj.department_id else None


class FindingFilters(Schema):
    state: str = ""
    source: str = ""
    department: str = ""
    rule: str = ""
    region: str = ""
    year: str = ""
    month: str = ""
    q: str = ""


class DecisionIn(Schema):
    decision: str = Field(..., description="confirm（认定违规）或 dismiss（不认定）")
    reason: str = ""
    version: int | None = None
    item_id: int | None = Field(
        None, description="不认定时：该事项所属的本县清单事项（仅限按清单比对核验的问题），据此更正比对结论"
    )


class BulkItem(Schema):
    id: int
    version: int | None = None


class BulkDecisionIn(Schema):
    findings: list[BulkItem]
    decision: str
    reason: str = ""


class DepartmentIn(Schema):
    department_id: int
    version: int | None = None


class RectificationIn(Schema):
    accept: bool
    note: str = ""
    version: int | None = None


@router.get(
    "/findings", response=list[FindingOut], url_name="monitoring_findings", summary="问题（研判队列）"
)
@paginate(Page)
def findings(request, filters: Query[FindingFilters]):
    if not selectors.may_view(request.user):
        raise PermissionDenied("您没有查看问题的权限。")
    return selectors.findings(request.user, filters.dict())


@router.get("/findings/{int:pk}", response=FindingOut, url_name="monitoring_finding", summary="问题详情")
def finding(request, pk: int):
    return selectors.finding(request.user, pk)


@router.post(
    "/findings/{int:pk}/decision",
    response=FindingOut,
    url_name="monitoring_finding_decide",
    summary="研判一个问题",
)
def finding_decide(request, pk: int, payload: DecisionIn):
    return services.finding_decide(
        actor=request.user,
        finding=selectors.finding(request.user, pk),
        decision=payload.decision,
        reason=payload.reason,
        version=payload.version,
        item_id=payload.item_id,
    )


@router.post(
    "/findings/decisions",
    response=list[FindingOut],
    url_name="monitoring_findings_decide",
    summary="批量研判（全部成功或全部不变）",
)
def findings_decide(request, payload: BulkDecisionIn):
    if not selectors.may_publish(request.user):
        raise PermissionDenied("只有纪检监察人员可以研判问题。")
    wanted = [item.id for item in payload.findings]
    visible = set(selectors.findings(request.user).filter(pk__in=wanted).values_list("pk", flat=True))
    if set(wanted) - visible:
        raise ValidationError({"findings": "所选问题中有不存在或不在您管辖范围内的问题。"})
    return services.findings_decide(
        actor=request.user,
        items=[(item.id, item.version) for item in payload.findings],
        decision=payload.decision,
        reason=payload.reason,
    )


@router.post(
    "/findings/{int:pk}/department",
    response=FindingOut,
    url_name="monitoring_finding_department",
    summary="确认责任部门",
)
def finding_department(request, pk: int, payload: DepartmentIn):
    return services.finding_department_set(
        actor=request.user,
        finding=selectors.finding(request.user, pk),
        department=get_object_or_404(Department, pk=payload.department_id),
        version=payload.version,
    )


@router.post(
    "/findings/{int:pk}/rectification",
    response=FindingOut,
    url_name="monitoring_finding_rectification",
    summary="所在村（社区）核实整改：确认或退回",
)
def finding_rectification(request, pk: int, payload: RectificationIn):
    action = bulletin_services.finding_accept if payload.accept else bulletin_services.finding_return
    return action(
        actor=request.user,
        finding=selectors.finding(request.user, pk),
        note=payload.note,
        version=payload.version,
    )


@router.get(
    "/findings/figures",
    url_name="monitoring_findings_figures",
    summary="问题统计（按来源、部门、规定、月份，同比；query 为问题列表的筛选条件）",
)
def findings_figures(request, year: Year | None = None, region: str = ""):
    if not selectors.may_view(request.user):
        raise PermissionDenied("您没有查看问题的权限。")
    from jianfu.monitoring import figures

    visible = selectors.findings(request.user, {"region": region} if region else None)
    return figures.finding_figures(visible, year=year or timezone.localdate().year, region_code=region)


class ReturnOut(Schema):
    id: int
    point: int = Field(..., alias="point_id")
    village_code: str = Field(..., alias="point.village.code")
    period_kind: str = Field(..., description="weekly 每周；monthly 每月")
    period_start: date
    period_end: date
    events: int = Field(..., description="本期监测员记录的负担事件数")
    nothing_new: bool = Field(..., description="本期无新增负担")
    on_time: bool
    note: str


class ReturnIn(Schema):
    point: int
    day: date = Field(..., description="报送期内的任一天（周报为该周，月报为该月）")
    nothing_new: bool = False
    note: text_input("monitoring.PointReturn", "note") = ""


@router.get("/returns", response=list[ReturnOut], url_name="monitoring_returns", summary="监测点定期报送记录")
@paginate(Page)
def returns(request):
    if not (selectors.may_view(request.user) or selectors.may_record(request.user)):
        raise PermissionDenied("您没有查看监测点报送情况的权限。")
    return selectors.returns(request.user)


@router.post(
    "/returns", response={201: ReturnOut}, url_name="monitoring_return_file", summary="监测点报送本期负担情况"
)
def return_file(request, payload: ReturnIn):
    if not selectors.may_record(request.user):
        raise PermissionDenied("只有减负监测员可以报送负担情况。")
    point = selectors.point(request.user, payload.point)
    filed = services.point_return_file(
        actor=request.user, point=point, day=payload.day, nothing_new=payload.nothing_new, note=payload.note
    )
    return Status(201, filed)
