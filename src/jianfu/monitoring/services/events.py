"""Every write about monitoring: points and their monitors, burden events and clues (checked as they arrive),
re-checking what could not be decided, and reviewing clues. Bulletins are in ``bulletins.py``.
Views, the API, the CLI and other apps (``intake.report_burden``) all call these."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from jianfu.audit.services import audit_record, snapshot
from jianfu.core import partitions, uploads
from jianfu.core.exceptions import StaleWriteError
from jianfu.core.idempotency import clean_idempotency_key
from jianfu.core.text import check_lengths, limit_of
from jianfu.orgs import access
from jianfu.orgs.models import Department, Level, Region, subtree_q
from jianfu.orgs.roles import Capability, Role

from ..checks import check_event
from ..models import BurdenEvent, ClueReview, EventKind, MonitorAssignment, MonitoringPoint, Origin, Verdict
from . import findings, rollup

EVENT_FIELDS = (
    "id",
    "village",
    "kind",
    "department",
    "subject",
    "occurred_on",
    "hours",
    "origin",
    "anonymous",
    "review",
    "verdict",
    "check_rule",
)
MAX_HOURS = Decimal("24")


def _require(actor, capability: str, message: str) -> None:
    if actor is not None and not actor.has_capability(capability):
        raise PermissionDenied(message)


def _require_in_scope(actor, capability: str, region: Region, message: str) -> None:
    if actor is not None and not actor.can(capability, region):
        raise PermissionDenied(message)


def _village(region) -> Region:
    if region is None or region.level != Level.VILLAGE or not region.is_active:
        raise ValidationError({"village": "请选择有效的村（社区）。"})
    return region


# Points and monitors -----------------------------------------------------------------------------------


@transaction.atomic
def point_designate(*, actor, village: Region, note: str = "") -> MonitoringPoint:
    """The county office designates a village or community as a monitoring point (seed 000 art. 15)."""
    _require(actor, Capability.MONITORING_MANAGE, "只有县减负办（民政局）可以设立监测点。")
    _village(village)
    _require_in_scope(actor, Capability.MONITORING_MANAGE, village, f"“{village.name}”不在您的管辖范围内。")
    point = MonitoringPoint.objects.select_for_update().filter(village=village).first()
    if point and point.is_active:
        raise ValidationError({"village": f"“{village.name}”已是监测点。"})
    if point:
        point.is_active, point.note, point.version = True, note.strip(), point.version + 1
    else:
        point = MonitoringPoint(village=village, note=note.strip(), designated_by=actor)
    point.full_clean()
    point.save()
    audit_record(actor=actor, action="monitoring.point_designate", obj=point, after=snapshot(point))
    return point


def _is_monitor(user) -> bool:
    return any(a.role == Role.MONITOR for a in access.assignments(user))


@transaction.atomic
def monitor_assign(*, actor, point: MonitoringPoint, monitor) -> MonitorAssignment:
    """The county office designates which monitor serves the point."""
    _require_in_scope(
        actor, Capability.MONITORING_MANAGE, point.village, "只有县减负办（民政局）可以指定监测员。"
    )
    if monitor is None or not _is_monitor(monitor) or not monitor.is_active:
        raise ValidationError({"monitor": "请选择具有减负监测员角色的用户。"})
    point = MonitoringPoint.objects.select_for_update().get(pk=point.pk)
    if MonitorAssignment.objects.filter(point=point, monitor=monitor, is_active=True).exists():
        raise ValidationError({"monitor": f"{monitor.full_name}已在服务{point.village.name}。"})
    assignment = MonitorAssignment.objects.create(point=point, monitor=monitor, assigned_by=actor)
    point.version += 1
    point.save(update_fields=["version"])
    audit_record(
        actor=actor,
        action="monitoring.monitor_assign",
        obj=point,
        after={"monitor": monitor.username, "point": point.pk},
    )
    return assignment


@transaction.atomic
def monitor_unassign(*, actor, assignment: MonitorAssignment) -> MonitorAssignment:
    assignment = (
        MonitorAssignment.objects.select_for_update(of=("self",))
        .select_related("point__village")
        .get(pk=assignment.pk)
    )
    _require_in_scope(
        actor,
        Capability.MONITORING_MANAGE,
        assignment.point.village,
        "只有县减负办（民政局）可以调整监测员。",
    )
    if not assignment.is_active:
        raise ValidationError("该监测员已不再服务此监测点。")
    assignment.is_active, assignment.version = False, assignment.version + 1
    assignment.save(update_fields=["is_active", "version"])
    audit_record(
        actor=actor,
        action="monitoring.monitor_unassign",
        obj=assignment.point,
        before={"monitor": assignment.monitor.username, "point": assignment.point_id},
    )
    return assignment


def served_point(monitor, village: Region) -> MonitoringPoint | None:
    return MonitoringPoint.objects.filter(
        village=village, is_active=True, assignments__monitor=monitor, assignments__is_active=True
    ).first()


# Events and clues --------------------------------------------------------------------------------------


def _clean_fields(*, village, kind, department, occurred_on, hours, description, subject) -> dict:
    errors: dict[str, list[str]] = {}
    if kind not in EventKind.values:
        errors["kind"] = ["请选择负担类型。"]
    if not isinstance(department, Department) or not department.is_active:
        errors["department"] = ["请选择来源部门（交办、检查或索要材料的单位）。"]
    today = timezone.localdate()
    if not isinstance(occurred_on, date):
        errors["occurred_on"] = ["请填写发生日期。"]
    elif occurred_on > today:
        errors["occurred_on"] = ["发生日期不能晚于今天。"]
    elif occurred_on.year < today.year - 1:
        errors["occurred_on"] = ["只能记录今年和去年发生的事件。"]
    try:
        hours = Decimal(str(hours if hours not in (None, "") else 0)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        hours, errors["hours"] = Decimal(0), ["耗费工时须是数字，如 1.5。"]
    if not Decimal(0) <= hours <= MAX_HOURS:
        errors["hours"] = ["耗费工时须在 0 到 24 小时之间。"]
    if not (description or "").strip():
        errors["description"] = ["请简要描述情况（如：要求填报什么、谁来检查）。"]
    if kind in (EventKind.TASK, EventKind.FORM) and not (
        (subject or "").strip() or (description or "").strip()
    ):
        errors["subject"] = ["请填写交办的工作或表格名称。"]
    if errors:
        raise ValidationError(errors)
    return {"hours": hours}


def _existing(actor, key: str, **same) -> BurdenEvent | None:
    """The event this actor stored under ``key``; a key reused for a different report (another village, type
    or channel) is refused rather than answered with the unrelated event."""
    existing = (
        BurdenEvent.objects.filter(reporter=actor, idempotency_key=key).first() if key and actor else None
    )
    if existing is not None and any(
        getattr(existing, f"{name}_id" if name == "village" else name) != value
        for name, value in same.items()
    ):
        raise ValidationError({"idempotency_key": "该提交编号已用于另一条记录，请刷新页面后重新提交。"})
    return existing


def _lock_key(actor, key: str) -> None:
    """On PostgreSQL the events table is partitioned by month (core/partitions.py), where a unique index must
    hold the month, so "one event per reporter and key" is kept by a lock held to the end of the transaction:
    a retry racing the first submission waits for it, then finds it."""
    if key and actor:
        partitions.lock_unique("event", actor.pk, key)


def _store(*, actor, event: BurdenEvent, photo, action: str) -> tuple[BurdenEvent, bool]:
    """Check, save, roll up and audit a new event; a retry with the same key returns the first one."""
    check_lengths(event)  # before the classifier reads the description
    same = {"village": event.village_id, "kind": event.kind, "origin": event.origin}
    _lock_key(actor, event.idempotency_key)
    existing = _existing(actor, event.idempotency_key, **same)
    if existing:
        return existing, False
    if photo is not None:
        accepted = uploads.accept_upload(
            photo, kinds=uploads.PHOTOS, max_bytes=uploads.limit("photo"), field="photo", label="照片"
        )
        event.photo = accepted.as_file(stem="photo")
    apply_check(event)
    event.full_clean(exclude=["region_code", "reporter", "photo"])
    try:
        with transaction.atomic():
            event.save()
    except IntegrityError:
        existing = _existing(actor, event.idempotency_key, **same)
        if existing is None:
            raise
        return existing, False
    rollup.apply(event, rollup.contribution(event))
    findings.event_finding(event, actor)  # in this transaction: a department outside the county undoes it all
    if event.anonymous:
        # The audit log would name the reporter to everyone who reads it; an anonymous clue is logged
        # without an actor, under the village, so the identity is kept only on the clue row (for "my clues").
        audit_record(
            actor=None,
            action=action,
            obj=event,
            after=snapshot(event, EVENT_FIELDS),
            username="匿名",
            region_code=event.region_code,
        )
    else:
        audit_record(actor=actor, action=action, obj=event, after=snapshot(event, EVENT_FIELDS))
    return event, True


def apply_check(event: BurdenEvent) -> None:
    check = check_event(event)
    event.verdict = {True: Verdict.OK, False: Verdict.VIOLATION, None: Verdict.UNDECIDED}[check.passed]
    event.check_rule, event.check_url = check.rule[:200], check.url[:300]
    event.check_detail = check.detail[
        : limit_of(BurdenEvent, "check_detail")
    ]  # generated: cut, never refused
    event.checked_at = timezone.now()
    judged = findings.judged_verdict(event) if event.pk else None
    if judged is not None:
        event.verdict = judged  # the inspector's decision stands over any later automatic check


@transaction.atomic
def event_record(
    *,
    actor,
    village: Region,
    kind: str,
    department,
    occurred_on: date,
    description: str,
    hours=0,
    subject: str = "",
    demanded_materials: bool = False,
    certificate_code: str = "",
    photo=None,
    idempotency_key: str = "",
) -> tuple[BurdenEvent, bool]:
    """A monitor records a burden at a point they serve; returns (event, created). A retry with the same
    idempotency key (double tap, resubmission after a timeout) returns the event stored the first time."""
    _require(actor, Capability.MONITORING_RECORD, "只有减负监测员可以记录负担事件。")
    idempotency_key = clean_idempotency_key(idempotency_key)
    _village(village)
    existing = _existing(actor, idempotency_key, village=village.pk, kind=kind, origin=Origin.MONITOR)
    if existing:
        return existing, False
    point = (
        served_point(actor, village)
        if actor is not None
        else MonitoringPoint.objects.filter(village=village, is_active=True).first()
    )
    if point is None:
        raise PermissionDenied(f"您不服务“{village.name}”监测点，不能为它记录负担事件。")
    cleaned = _clean_fields(
        village=village,
        kind=kind,
        department=department,
        occurred_on=occurred_on,
        hours=hours,
        description=description,
        subject=subject,
    )
    event = BurdenEvent(
        village=village,
        region_code=village.code,
        point=point,
        kind=kind,
        department=department,
        subject=(subject or "").strip(),
        occurred_on=occurred_on,
        hours=cleaned["hours"],
        description=description.strip(),
        demanded_materials=bool(demanded_materials),
        certificate_code=(certificate_code or "").strip(),
        origin=Origin.MONITOR,
        reporter=actor,
        idempotency_key=idempotency_key,
    )
    return _store(actor=actor, event=event, photo=photo, action="monitoring.event_record")


@transaction.atomic
def clue_report(
    *,
    actor,
    village: Region,
    kind: str,
    department,
    occurred_on: date,
    description: str,
    origin: str = Origin.CLUE,
    hours=0,
    subject: str = "",
    anonymous: bool = False,
    demanded_materials: bool = False,
    photo=None,
    idempotency_key: str = "",
) -> tuple[BurdenEvent, bool]:
    """Any village or community cadre (or grid worker) reports a burden, by name or anonymously (问题线索直通车);
    it waits for the inspector and goes through the same automatic check. Returns (clue, created)."""
    _require(actor, Capability.MONITORING_REPORT, "只有村（社区）干部、网格员和监测员可以反映问题线索。")
    idempotency_key = clean_idempotency_key(idempotency_key)
    _village(village)
    _require_in_scope(
        actor,
        Capability.MONITORING_REPORT,
        village,
        f"您只能反映本村（社区）的问题，“{village.name}”不在其中。",
    )
    if origin not in (Origin.CLUE, Origin.GRID):
        raise ValidationError({"origin": "问题线索的来源只能是“问题线索”或“网格员反映”。"})
    existing = _existing(actor, idempotency_key, village=village.pk, kind=kind, origin=origin)
    if existing:
        return existing, False
    cleaned = _clean_fields(
        village=village,
        kind=kind,
        department=department,
        occurred_on=occurred_on,
        hours=hours,
        description=description,
        subject=subject,
    )
    event = BurdenEvent(
        village=village,
        region_code=village.code,
        kind=kind,
        department=department,
        subject=(subject or "").strip(),
        occurred_on=occurred_on,
        hours=cleaned["hours"],
        description=description.strip(),
        demanded_materials=bool(demanded_materials),
        origin=origin,
        reporter=actor,
        anonymous=bool(anonymous),
        review=ClueReview.PENDING,
        idempotency_key=idempotency_key,
    )
    return _store(actor=actor, event=event, photo=photo, action="monitoring.clue_report")


def _locked(event: BurdenEvent, version: int | None) -> BurdenEvent:
    locked = BurdenEvent.objects.select_for_update().get(pk=event.pk)
    if version is not None and locked.version != version:
        raise StaleWriteError("该事件")
    return locked


@transaction.atomic
def clue_review(*, actor, event: BurdenEvent, accept: bool, note: str = "", version: int | None = None):
    """The inspector accepts a clue (it counts towards bulletins) or dismisses it, with a reason.

    A clue whose automatic check found a possible violation has a finding: it is judged once, as that finding
    (accepting it is 认定违规, dismissing it 不认定, both with a reason), and the finding's decision settles the
    clue (``findings._sync_event``). Only a clue the check passed is reviewed here on its own."""
    _require_in_scope(
        actor, Capability.MONITORING_PUBLISH, event.village, "只有纪检监察人员可以受理问题线索。"
    )
    rollup.lock_county(event.region_code)  # the county's chain head, then the event (``rollup``'s lock order)
    event = _locked(event, version)
    if event.review == ClueReview.NOT_A_CLUE:
        raise ValidationError("这是监测员的记录，不是问题线索，无需受理。")
    if event.review != ClueReview.PENDING:
        raise ValidationError("该问题线索已处理，不能重复受理。")
    finding = event.findings.first()
    if finding is not None:
        findings.findings_decide(
            actor=actor,
            items=[(finding.pk, None)],
            decision="confirm" if accept else "dismiss",
            reason=note,
        )
        event.refresh_from_db()
        return event
    if not accept and not note.strip():
        raise ValidationError({"note": "不予采信时请写明理由。"})
    before, counted_before = snapshot(event, EVENT_FIELDS), rollup.contribution(event)
    event.review = ClueReview.ACCEPTED if accept else ClueReview.DISMISSED
    event.review_note, event.version = note.strip()[:300], event.version + 1
    event.save(update_fields=["review", "review_note", "version"])
    rollup.change(event, counted_before)
    audit_record(
        actor=actor,
        action="monitoring.clue_review",
        obj=event,
        before=before,
        after=snapshot(event, EVENT_FIELDS),
    )
    return event


@transaction.atomic
def event_recheck(*, actor, event: BurdenEvent) -> BurdenEvent:
    """Run the automatic check again (a provider that could not decide may decide now)."""
    if actor is not None and not (
        actor.can(Capability.MONITORING_PUBLISH, event.village)
        or actor.can(Capability.MONITORING_MANAGE, event.village)
    ):
        raise PermissionDenied("只有纪检监察人员和县减负办可以重新核验。")
    rollup.lock_county(event.region_code)  # the county's chain head, the event, then its finding
    event = _locked(event, None)
    before, counted_before = snapshot(event, EVENT_FIELDS), rollup.contribution(event)
    apply_check(event)
    event.version += 1
    event.save(update_fields=["verdict", "check_rule", "check_detail", "check_url", "checked_at", "version"])
    rollup.change(event, counted_before)
    findings.event_finding(event, actor)
    audit_record(
        actor=actor,
        action="monitoring.event_recheck",
        obj=event,
        before=before,
        after=snapshot(event, EVENT_FIELDS),
    )
    return event


def recheck_undecided(*, actor=None, region: Region | None = None, limit: int = 1000) -> dict:
    """Re-check events stored as 未能判定, oldest first, each in its own transaction; counts the outcomes."""
    events = BurdenEvent.objects.filter(verdict=Verdict.UNDECIDED).order_by("checked_at", "id")
    if region is not None:
        events = events.filter(subtree_q([region.prefix], "region_code"))
    counts = {v: 0 for v in Verdict.values}
    for event in events.select_related("village", "department")[:limit]:
        counts[event_recheck(actor=actor, event=event).verdict] += 1
    return counts


def may_act(user, action: str, event: BurdenEvent) -> bool:
    """Whether the pages should offer ``action`` ("publish": review a clue; "recheck") on the event."""
    if not user.is_authenticated:
        return False
    if action == "publish":
        return user.can(Capability.MONITORING_PUBLISH, event.village)
    return user.can(Capability.MONITORING_PUBLISH, event.village) or user.can(
        Capability.MONITORING_MANAGE, event.village
    )
