"""网格化服务管理 over JSON: the same selectors and services as the pages, plus the inbound endpoint for the
12345 hotline and other platforms (idempotent by ``source_system`` + ``idempotency_key``)."""

from datetime import date, datetime
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from jianfu.core.api_types import Page
from jianfu.core.idempotency import IDEMPOTENCY_KEY_MAX
from jianfu.core.text import text_input
from jianfu.grid import burden, selectors, stats
from jianfu.grid.models import Source
from jianfu.grid.rules import may_see_rating_code, require_reporter
from jianfu.grid.services import events as workflow
from jianfu.orgs.models import Department

router = Router(tags=["网格化服务管理"])


class ClassOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    department: str | None = Field(None, alias="department.name")
    deadline_value: int
    deadline_unit: str
    duplicate_metres: int
    is_public: bool
    is_active: bool


class GridOut(Schema):
    id: int
    name: str
    community_code: str = Field(..., alias="community.code")
    community_name: str = Field(..., alias="community.name")
    buildings: list[str]
    polygon: dict | None = None
    leader: str | None = Field(None, alias="leader.full_name")
    workers: list[str]
    version: int

    @staticmethod
    def resolve_workers(obj):
        return [p.full_name for p in obj.workers.all()]


class EventOut(Schema):
    id: int
    number: str
    class_code: str = Field(..., alias="event_class.code")
    class_name: str = Field(..., alias="event_class.name")
    community_code: str = Field(..., alias="community.code")
    grid: str | None = Field(None, alias="grid.name")
    place: str
    building: str
    lat: Decimal | None = None
    lng: Decimal | None = None
    description: str
    source: str
    status: str
    status_label: str = Field(..., alias="get_status_display")
    department: str | None = Field(None, alias="department.name")
    reported_at: datetime
    deadline: datetime | None = None
    handled_at: datetime | None = None
    closed_at: datetime | None = None
    result: str
    reopen_count: int
    escalation: int
    rating: int | None = None
    version: int


class StepOut(Schema):
    action: str
    from_status: str
    to_status: str
    actor: str = Field(..., alias="actor_label")
    note: str
    at: datetime


class EventDetailOut(EventOut):
    steps: list[StepOut]
    rating_code: str

    @staticmethod
    def resolve_steps(obj):
        return list(obj.steps.all())

    @staticmethod
    def resolve_rating_code(obj, context):
        return obj.rating_code if may_see_rating_code(context["request"].user, obj) else ""


class ReportIn(Schema):
    class_code: str = ""
    community_code: str = ""
    place: str = ""
    building: str = ""
    lat: Decimal | None = None
    lng: Decimal | None = None
    description: text_input("grid.GridEvent", "description") = ""
    resident_name: str = ""
    resident_phone: str = ""
    idempotency_key: str = Field("", max_length=IDEMPOTENCY_KEY_MAX)


class InboundIn(ReportIn):
    source_system: str = Field(..., min_length=1, max_length=40, description="来源系统，如 12345")
    idempotency_key: str = Field(
        ..., min_length=1, max_length=IDEMPOTENCY_KEY_MAX, description="来源系统的工单号，重试时不变"
    )
    source: str = "hotline"


class ReportOut(Schema):
    created: bool
    event: EventOut
    duplicates: list[EventOut] = []


class DuplicatesIn(Schema):
    class_code: str
    community_code: str
    building: str = ""
    lat: Decimal | None = None
    lng: Decimal | None = None


class VersionIn(Schema):
    version: int | None = None


class DispatchIn(VersionIn):
    department_id: int
    note: text_input("grid.EventStep", "note") = ""


class ReasonIn(VersionIn):
    reason: text_input("grid.EventStep", "note") = ""


class ResultIn(VersionIn):
    result: text_input("grid.GridEvent", "result") = ""


class VerifyIn(VersionIn):
    passed: bool
    note: text_input("grid.EventStep", "note") = ""


class BurdenIn(Schema):
    kind: str = "task"
    department_id: int
    occurred_on: date
    description: text_input("monitoring.BurdenEvent", "description")
    idempotency_key: str = ""


class EventFilters(Schema):
    status: str = ""
    event_class: str = ""
    grid: str = ""
    department: str = ""
    community: str = ""
    month: str = ""
    year: str = ""
    flag: str = ""
    q: str = ""


def _viewer(user) -> None:
    selectors.require_viewer(user)


def _report(request, payload: ReportIn) -> workflow.Report:
    user = request.user
    require_reporter(user)
    community = (
        get_object_or_404(selectors.communities_for(request.user), code=payload.community_code)
        if payload.community_code
        else None
    )
    classes = selectors.classes_for_region(community) if community else selectors.classes_for(request.user)
    event_class = classes.filter(code=payload.class_code).first() if payload.class_code else None
    return workflow.Report(
        event_class=event_class,
        community=community,
        place=payload.place,
        description=payload.description,
        building=payload.building,
        lat=payload.lat,
        lng=payload.lng,
        resident_name=payload.resident_name,
        resident_phone=payload.resident_phone,
    )


def _event(request, pk: int):
    _viewer(request.user)
    return selectors.event_for(request.user, pk)


@router.get("/classes", response=list[ClassOut], url_name="grid_classes", summary="事件分类及处置时限")
def classes(request):
    _viewer(request.user)
    return list(selectors.classes_for(request.user))


@router.get("/grids", response=list[GridOut], url_name="grid_grids", summary="网格")
@paginate(Page)
def grids(request, community: str = ""):
    _viewer(request.user)
    found = selectors.grids_for(request.user)
    return found.filter(community__code=community) if community else found


@router.get("/events", response=list[EventOut], url_name="grid_events", summary="网格事件")
@paginate(Page)
def events(request, filters: Query[EventFilters]):
    _viewer(request.user)
    return selectors.filter_events(selectors.events_for(request.user), filters.dict())


@router.post(
    "/events", response={201: ReportOut, 200: ReportOut}, url_name="grid_event_report", summary="上报事件"
)
def report(request, payload: ReportIn):
    """Files the event; the same ``idempotency_key`` again returns the stored event with 200."""
    key, system = payload.idempotency_key, f"api:{request.user.pk}"  # keys are the client's own, per account
    event, created = workflow.event_report(
        actor=request.user, report=_report(request, payload), source_system=system, idempotency_key=key
    )
    return Status(201 if created else 200, {"created": created, "event": event, "duplicates": []})


@router.get(
    "/duplicates", response=list[EventOut], url_name="grid_event_duplicates", summary="疑似重复的未结事件"
)
def duplicates(request, payload: Query[DuplicatesIn]):
    _viewer(request.user)
    community = get_object_or_404(selectors.communities_for(request.user), code=payload.community_code)
    event_class = selectors.classes_for_region(community).filter(code=payload.class_code).first()
    return workflow.find_duplicates(
        event_class=event_class,
        community=community,
        building=payload.building,
        lat=payload.lat,
        lng=payload.lng,
    )


@router.post(
    "/inbound",
    response={201: ReportOut, 200: ReportOut},
    url_name="grid_inbound",
    summary="12345 热线或其他平台转入事件（幂等）",
)
def inbound(request, payload: InboundIn):
    if payload.source not in (Source.HOTLINE, Source.PLATFORM):
        payload.source = Source.PLATFORM
    event, created = workflow.event_report(
        actor=request.user,
        report=_report(request, payload),
        source=payload.source,
        source_system=payload.source_system,
        idempotency_key=payload.idempotency_key,
    )
    found = (
        []
        if not created
        else workflow.find_duplicates(
            event_class=event.event_class,
            community=event.community,
            building=event.building,
            lat=event.lat,
            lng=event.lng,
            exclude=event,
        )
    )
    return Status(201 if created else 200, {"created": created, "event": event, "duplicates": found})


@router.get(
    "/events/{int:pk}", response=EventDetailOut, url_name="grid_event_detail", summary="事件及全程记录"
)
def detail(request, pk: int):
    return _event(request, pk)


@router.post("/events/{int:pk}/dispatch", response=EventOut, url_name="grid_event_dispatch", summary="分拨")
def dispatch(request, pk: int, payload: DispatchIn):
    event = _event(request, pk)
    department = get_object_or_404(
        selectors.departments_for_dispatch(event.community), pk=payload.department_id
    )
    return workflow.event_dispatch(
        actor=request.user,
        event=event,
        department=department,
        note=payload.note,
        expected_version=payload.version,
    )


@router.post("/events/{int:pk}/accept", response=EventOut, url_name="grid_event_accept", summary="受理")
def accept(request, pk: int, payload: VersionIn):
    return workflow.event_accept(
        actor=request.user, event=_event(request, pk), expected_version=payload.version
    )


@router.post(
    "/events/{int:pk}/return", response=EventOut, url_name="grid_event_return", summary="退回指挥中心"
)
def give_back(request, pk: int, payload: ReasonIn):
    return workflow.event_return(
        actor=request.user, event=_event(request, pk), reason=payload.reason, expected_version=payload.version
    )


@router.post(
    "/events/{int:pk}/feedback", response=EventOut, url_name="grid_event_feedback", summary="反馈处置结果"
)
def feedback(request, pk: int, payload: ResultIn):
    return workflow.event_feedback(
        actor=request.user, event=_event(request, pk), result=payload.result, expected_version=payload.version
    )


@router.post(
    "/events/{int:pk}/verify", response=EventOut, url_name="grid_event_verify", summary="核查结案或退回重办"
)
def verify(request, pk: int, payload: VerifyIn):
    return workflow.event_verify(
        actor=request.user,
        event=_event(request, pk),
        passed=payload.passed,
        note=payload.note,
        expected_version=payload.version,
    )


@router.get("/stats", response=dict, url_name="grid_stats", summary="按分类、网格、处置部门和月份的统计")
def figures(request, filters: Query[EventFilters]):
    _viewer(request.user)
    events = selectors.filter_events(selectors.events_for(request.user), filters.dict())
    return {"totals": stats.totals(events), **{d: stats.figures(events, d) for d in stats.DIMENSIONS}}


@router.post(
    "/burden", response={201: dict, 200: dict}, url_name="grid_burden", summary="登记非网格任务（负担事件）"
)
def burden_report(request, payload: BurdenIn):
    department = get_object_or_404(Department.objects.filter(is_active=True), pk=payload.department_id)
    record = burden.burden_report(
        actor=request.user,
        kind=payload.kind,
        source_department=department,
        occurred_on=payload.occurred_on,
        description=payload.description,
        idempotency_key=payload.idempotency_key,
    )
    return Status(201, {"id": record.pk, "kind": payload.kind})
