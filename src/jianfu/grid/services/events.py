"""An event from report to close (seed 003, 二(四)(五): 信息采集上报、指挥派遣、处置反馈、核查结案、综合评价).

Each step is one service: it checks who acts, locks the event row, refuses a wrong starting state, writes an
``EventStep`` row (全程留痕) and an audit record in the same transaction. A handler who says an event is not
theirs returns it to the centre for re-routing; that never closes it.
"""

import secrets
from dataclasses import dataclass
from decimal import Decimal
from functools import partial

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from jianfu.audit.services import audit_record, snapshot
from jianfu.core import partitions
from jianfu.core.exceptions import StaleWriteError
from jianfu.core.idempotency import clean_idempotency_key
from jianfu.core.numbering import next_number
from jianfu.core.ratelimit import Limit
from jianfu.orgs import access
from jianfu.orgs.models import Level

from .. import notify
from ..models import (
    EVENT_FLOW,
    OPEN_STATUSES,
    RUNNING,
    EventClass,
    EventStatus,
    EventStep,
    Grid,
    GridEvent,
    Source,
)
from ..rules import (
    check_lat_lng,
    deadline_for,
    may_handle,
    may_manage,
    may_report,
    may_verify,
    metres_between,
    read_photo,
)

S = EventStatus
EVENT_FIELDS = (
    "number",
    "event_class",
    "community",
    "grid",
    "place",
    "building",
    "lat",
    "lng",
    "status",
    "department",
    "deadline",
    "reopen_count",
    "escalation",
    "rating",
    "source",
    "source_system",
    "idempotency_key",
)
RATING_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread over the phone


@dataclass(frozen=True)
class Report:
    """What a reporter filled in; the same for the phone page, the API, the hotline and Open311."""

    event_class: EventClass | None
    community: object
    place: str
    description: str
    building: str = ""
    lat: object = None
    lng: object = None
    photo: object = None
    media_url: str = ""
    resident_name: str = ""
    resident_phone: str = ""


def _actor_label(actor) -> str:
    if actor is None:
        return "系统"
    department = getattr(actor, "department", None)
    return f"{actor.full_name}（{department.name}）" if department else actor.full_name


def _step(event, actor, action, before_status, note="", at=None) -> None:
    EventStep.objects.create(
        event=event,
        action=action,
        from_status=before_status,
        to_status=event.status,
        actor=actor,
        actor_label=_actor_label(actor),
        note=note,
        at=at or timezone.now(),
    )


def _locked(event: GridEvent, expected_version=None) -> GridEvent:
    locked = (
        GridEvent.objects.select_for_update(of=("self",))
        .select_related("event_class", "community")
        .get(pk=event.pk)
    )
    if expected_version is not None and locked.version != expected_version:
        raise StaleWriteError(f"事件 {locked.number} ")
    return locked


def _check(event: GridEvent, step: str) -> None:
    EVENT_FLOW.check(event, step, name=f"事件 {event.number} ")


def _move(event: GridEvent, step: str) -> None:
    EVENT_FLOW.move(event, step, name=f"事件 {event.number} ")


def _moment(actor, at):
    """Now; only the system (demo data, loading paper ledgers) may date a step in the past."""
    return at if (at is not None and actor is None) else timezone.now()


def _save(event, actor, action, before, note="", at=None):
    """Bump the version, save and write the step; the caller writes its audit record."""
    event.version += 1
    event.save()
    _step(event, actor, action, before.get("status", ""), note, at)
    return event


def _check_report(report: Report) -> None:
    errors = {}
    if report.event_class is None or not report.event_class.is_active:
        errors["event_class"] = "请选择事件分类。"
    if not (report.place or "").strip():
        errors["place"] = "请填写事发地点（如：解放路 12 号楼下）。"
    if not (report.description or "").strip():
        errors["description"] = "请简要描述看到的情况。"
    if report.community is None or report.community.level != Level.VILLAGE:
        errors["community"] = "请选择事件所在的村（社区）。"
    if errors:
        raise ValidationError(errors)
    check_lat_lng(report.lat, report.lng)


def locate_grid(community, building: str) -> Grid | None:
    """The one grid of the community that holds the building (grids never overlap)."""
    if not building:
        return None
    return next(
        (g for g in Grid.objects.filter(community=community, is_active=True) if building in g.buildings), None
    )


def find_duplicates(
    *, event_class, community, building="", lat=None, lng=None, exclude=None
) -> list[GridEvent]:
    """Open events of the same class in the community at the same building or within the class's distance."""
    if event_class is None or community is None:
        return []
    candidates = GridEvent.objects.filter(
        event_class=event_class, community=community, status__in=OPEN_STATUSES
    )
    if exclude is not None:
        candidates = candidates.exclude(pk=exclude.pk)
    found = []
    for event in candidates.select_related("grid", "department")[:200]:
        same_building = bool(building) and event.building == building
        near = (
            lat is not None
            and event.lat is not None
            and metres_between(lat, lng, event.lat, event.lng) <= event_class.duplicate_metres
        )
        if same_building or near:
            found.append(event)
    return found


def _existing(source_system: str, key: str) -> GridEvent | None:
    if not key:
        return None
    return GridEvent.objects.filter(source_system=source_system, idempotency_key=key).first()


def _coordinate(value):
    return None if value in (None, "") else Decimal(str(value)).quantize(Decimal("0.000001"))


def _new_event(report: Report, *, actor, source, source_system, key, now) -> GridEvent:
    photo, photo_type = read_photo(report.photo)
    resident = bool(report.resident_name or report.resident_phone) or source != Source.GRID
    event = GridEvent(
        number=f"WG{now:%Y}{next_number(f'grid-event-{now:%Y}'):06d}",
        event_class=report.event_class,
        community=report.community,
        grid=locate_grid(report.community, report.building.strip()),
        place=report.place.strip(),
        building=report.building.strip(),
        lat=_coordinate(report.lat),
        lng=_coordinate(report.lng),
        description=report.description.strip(),
        photo=photo,
        photo_type=photo_type,
        media_url=report.media_url,
        source=source,
        source_system=source_system,
        idempotency_key=key,
        reporter=actor,
        resident_name=report.resident_name.strip(),
        resident_phone=report.resident_phone.strip(),
        rating_code="".join(secrets.choice(RATING_ALPHABET) for _ in range(8)) if resident else "",
        reported_at=now,
    )
    event.full_clean(exclude=["photo"], validate_constraints=False)  # the database decides a racing retry
    return event


def event_report(
    *, actor, report: Report, source=Source.GRID, source_system="", idempotency_key="", at=None
) -> tuple[GridEvent, bool]:
    """File an event (and route it by class). A retry with the same idempotency key returns the stored event
    unchanged: ``(event, False)``."""
    _check_report(report)
    access.require_that(
        may_report(actor, report.community), f"您不能在“{report.community.name}”上报网格事件。"
    )
    key = clean_idempotency_key(idempotency_key)
    found = _existing(source_system, key)
    if found is not None:
        return _retried(actor, found), False
    try:
        with transaction.atomic():
            if key:
                # On PostgreSQL grid events are partitioned by month, where ``grid_event_idempotent`` cannot be
                # a unique index: a racing retry waits here for the first filing, then finds it.
                partitions.lock_unique("grid-event", source_system, key)
                found = _existing(source_system, key)
            if found is None:
                return _file(
                    report, actor=actor, source=source, source_system=source_system, key=key, at=at
                ), True
        return _retried(actor, found), False
    except IntegrityError:  # SQLite: the unique index refused the racing retry
        found = _existing(source_system, key)  # a concurrent retry won the race
        if found is None:
            raise
        return _retried(actor, found), False


def _retried(actor, found: GridEvent) -> GridEvent:
    """A retry answers with the stored event only to someone who may see it: a shared source system (12345)
    must not let another township read an event by guessing its ticket number."""
    if actor is not None and not GridEvent.objects.visible_to(actor).filter(pk=found.pk).exists():
        raise ValidationError(
            {"idempotency_key": "该来源系统的幂等键（工单号）已被辖区外的事件使用，请核对工单号。"}
        )
    return found


def _file(report, *, actor, source, source_system, key, at) -> GridEvent:
    now = _moment(actor, at)
    event = _new_event(report, actor=actor, source=source, source_system=source_system, key=key, now=now)
    event.save()
    _step(
        event,
        actor,
        "report",
        "",
        f"来源：{event.get_source_display()}{_system_named(source_system)}",
        now,
    )
    audit_record(actor=actor, action="grid.event_report", obj=event, after=snapshot(event, EVENT_FIELDS))
    department = report.event_class.department
    if department is not None:
        _route(event, None, department, "按分类自动派遣", now)
    return event


def _system_named(source_system: str) -> str:
    """An outside system's name (12345) for the step note; the platform's own keys (web:<user>, open311:<user>,
    the demo loader's) mean nothing to a reader."""
    if not source_system or ":" in source_system or source_system == "demo":
        return ""
    return f"（{source_system}）"


def _route(event, actor, department, note, now) -> None:
    before = snapshot(event, EVENT_FIELDS)
    _move(event, "dispatch")
    event.department, event.dispatched_at = department, now
    event.deadline, event.deadline_estimated = deadline_for(event.event_class, now)
    event.accepted_at = event.handled_at = None
    _save(event, actor, "dispatch", before, f"派遣至{department.name}。{note}", now)
    audit_record(
        actor=actor,
        action="grid.event_dispatch",
        obj=event,
        before=before,
        after=snapshot(event, EVENT_FIELDS),
    )


@transaction.atomic
def event_dispatch(*, actor, event, department, note="", expected_version=None, at=None) -> GridEvent:
    """The centre routes (or re-routes a returned event) to a department; the deadline starts now."""
    event = _locked(event, expected_version)
    access.require_that(may_manage(actor, event.community), "只有指挥中心（综治中心）可以分拨事件。")
    _check(event, "dispatch")
    if department is None:
        raise ValidationError({"department": "请选择处置部门。"})
    _route(event, actor, department, note.strip(), _moment(actor, at))
    return event


@transaction.atomic
def event_accept(*, actor, event, expected_version=None, at=None) -> GridEvent:
    event = _locked(event, expected_version)
    access.require_that(may_handle(actor, event), "只有被派遣的部门可以受理此事件。")
    _check(event, "accept")
    before = snapshot(event, EVENT_FIELDS)
    _move(event, "accept")
    event.accepted_at = _moment(actor, at)
    _save(event, actor, "accept", before, at=event.accepted_at)
    audit_record(
        actor=actor, action="grid.event_accept", obj=event, before=before, after=snapshot(event, EVENT_FIELDS)
    )
    return event


@transaction.atomic
def event_return(*, actor, event, reason: str, expected_version=None, at=None) -> GridEvent:
    """ "Not ours": back to the centre with the reason, for re-routing. Never closes the event."""
    event = _locked(event, expected_version)
    access.require_that(may_handle(actor, event), "只有被派遣的部门可以退回此事件。")
    _check(event, "return")
    if not (reason or "").strip():
        raise ValidationError({"reason": "请说明退回理由（如：不属于本部门职责，应由某某部门处置）。"})
    before = snapshot(event, EVENT_FIELDS)
    _move(event, "return")
    event.department, event.deadline, event.accepted_at = None, None, None
    _save(event, actor, "return", before, reason.strip(), _moment(actor, at))
    audit_record(
        actor=actor,
        action="grid.event_return",
        obj=event,
        before=before,
        after=snapshot(event, EVENT_FIELDS),
        message=reason.strip(),
    )
    return event


@transaction.atomic
def event_feedback(*, actor, event, result: str, expected_version=None, at=None) -> GridEvent:
    event = _locked(event, expected_version)
    access.require_that(may_handle(actor, event), "只有被派遣的部门可以反馈处置结果。")
    _check(event, "feedback")
    if not (result or "").strip():
        raise ValidationError({"result": "请填写处置结果。"})
    before = snapshot(event, EVENT_FIELDS)
    _move(event, "feedback")
    event.handled_at, event.result = _moment(actor, at), result.strip()
    _save(event, actor, "feedback", before, event.result, event.handled_at)
    audit_record(
        actor=actor,
        action="grid.event_feedback",
        obj=event,
        before=before,
        after=snapshot(event, EVENT_FIELDS),
    )
    return event


@transaction.atomic
def event_verify(*, actor, event, passed: bool, note="", expected_version=None, at=None) -> GridEvent:
    """Closed when the check on the spot passes; otherwise back to the same handler (a reopen)."""
    event = _locked(event, expected_version)
    access.require_that(may_verify(actor, event), "只有上报的网格员或指挥中心可以核查。")
    _check(event, "verify_pass")
    before = snapshot(event, EVENT_FIELDS)
    now = _moment(actor, at)
    if passed:
        _move(event, "verify_pass")
        event.closed_at = now
        _save(event, actor, "verify_pass", before, note.strip(), now)
    else:
        if not note.strip():
            raise ValidationError({"note": "核查不通过时请写明问题所在，处置部门据此重办。"})
        _move(event, "verify_reject")
        event.reopen_count, event.handled_at = event.reopen_count + 1, None
        _save(event, actor, "verify_reject", before, note.strip(), now)
    audit_record(
        actor=actor,
        action="grid.event_verify",
        obj=event,
        before=before,
        after=snapshot(event, EVENT_FIELDS),
        message="通过" if passed else "不通过",
    )
    return event


@transaction.atomic
def event_follow(*, actor, event, note="") -> GridEvent:
    """The reporter saw a likely duplicate and follows the open event instead of filing a new one."""
    event = _locked(event)
    access.require_that(may_report(actor, event.community), "您不能跟进此事件。")
    _check(event, "follow")
    before = snapshot(event, EVENT_FIELDS)
    _save(event, actor, "follow", before, (note or "").strip() or "现场再次发现，跟进此事件")
    audit_record(actor=actor, action="grid.event_follow", obj=event, after=snapshot(event, EVENT_FIELDS))
    return event


@transaction.atomic
def event_rate(*, code: str, rating: int, comment="", limit: Limit | None = None) -> GridEvent:
    """The resident who raised it rates a closed event once, with the code they were given (no login);
    ``limit`` counts the caller's wrong codes."""
    if limit is not None:
        limit.check()
    code = (code or "").strip().upper()
    event = GridEvent.objects.select_for_update().filter(rating_code=code).first() if len(code) == 8 else None
    if event is None:
        if limit is not None:
            limit.hit()
        raise ValidationError({"code": "评价码不正确，请核对短信或网格员告知的 8 位评价码。"})
    if not EVENT_FLOW.may(event, "rate"):
        raise ValidationError({"code": f"事件 {event.number} 尚未办结，办结后才能评价。"})
    if event.rated_at is not None:
        raise ValidationError({"code": "此评价码已经用过，每件事只能评价一次。"})
    if rating not in (1, 2, 3, 4, 5):
        raise ValidationError({"rating": "请选择 1～5 星。"})
    before = snapshot(event, EVENT_FIELDS)
    event.rating, event.rating_comment, event.rated_at = rating, (comment or "").strip()[:300], timezone.now()
    _save(event, None, "rate", before, f"{rating} 星。{event.rating_comment}")
    audit_record(
        actor=None,
        action="grid.event_rate",
        obj=event,
        before=before,
        after=snapshot(event, EVENT_FIELDS),
        username="群众",
    )
    return event


def escalate_overdue(*, now=None) -> int:
    """For cron: each event past its deadline without a report back goes one level up (at most once a day)."""
    now = now or timezone.now()
    due = GridEvent.objects.filter(status__in=RUNNING, deadline__lt=now).values_list("pk", flat=True)
    count = 0
    for pk in list(due):
        with transaction.atomic():
            event = GridEvent.objects.select_for_update().get(pk=pk)
            if event.status not in RUNNING or (event.escalated_at and (now - event.escalated_at).days < 1):
                continue
            before = snapshot(event, EVENT_FIELDS)
            event.escalation, event.escalated_at = event.escalation + 1, now
            level = "指挥中心" if event.escalation == 1 else "分管领导"
            _save(
                event,
                None,
                "escalate",
                before,
                f"超过处置时限，第 {event.escalation} 次督办，提级至{level}。",
                now,
            )
            audit_record(
                actor=None,
                action="grid.event_escalate",
                obj=event,
                before=before,
                after=snapshot(event, EVENT_FIELDS),
            )
            transaction.on_commit(partial(notify.escalated, event.pk))  # the handler and the centre are told
            count += 1
    return count
