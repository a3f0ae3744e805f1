"""Bulletins (通报, seed 000 art. 15 "对随意向基层摊派工作任务的单位加强通报整改"; seed 001 "典型问题通报曝光").

The inspector drafts a bulletin for a region and a period: the departments ranked by their violations, with the
events behind each; publishes it (numbered); each named department reports its rectification; the monitor (or
the inspector) confirms it or reopens it. Every step is a ``BulletinStep`` row and an audit record.
"""

from collections import Counter, defaultdict
from datetime import date
from decimal import Decimal
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from jianfu.audit.services import audit_record, snapshot
from jianfu.core.exceptions import StaleWriteError
from jianfu.core.numbering import next_number
from jianfu.orgs.models import Level, Region
from jianfu.orgs.roles import Capability

from .. import notify
from ..models import (
    Bulletin,
    BulletinEntry,
    BulletinStatus,
    BulletinStep,
    BurdenEvent,
    RectificationStatus,
    Verdict,
)

BULLETIN_FIELDS = ("id", "number", "region", "period_start", "period_end", "title", "status")
ENTRY_FIELDS = ("id", "bulletin", "department", "rank", "violations", "status", "rectification")


def _step(bulletin, action, from_status, to_status, actor, entry=None, note=""):
    BulletinStep.objects.create(
        bulletin=bulletin,
        entry=entry,
        action=action,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        note=note,
    )


def violations_in(region: Region, start: date, end: date):
    return (
        BurdenEvent.objects.counted()
        .filter(
            verdict=Verdict.VIOLATION,
            region_code__startswith=region.prefix,
            occurred_on__gte=start,
            occurred_on__lte=end,
        )
        .select_related("department", "village")
        .order_by("occurred_on", "id")
    )


def ranking(region: Region, start: date, end: date) -> list[dict]:
    """Departments by violations (then hours), each with its events and the rules they broke."""
    grouped: dict[int, list[BurdenEvent]] = defaultdict(list)
    for event in violations_in(region, start, end):
        grouped[event.department_id].append(event)
    rows = []
    for events in grouped.values():
        rules = Counter(e.check_rule for e in events)
        rows.append(
            {
                "department": events[0].department,
                "events": events,
                "violations": len(events),
                "hours": sum((e.hours for e in events), Decimal(0)),
                "rules": rules.most_common(),
            }
        )
    rows.sort(key=lambda r: (-r["violations"], -r["hours"], r["department"].name))
    return rows


@transaction.atomic
def bulletin_draft(
    *, actor, region: Region, period_start: date, period_end: date, title: str = ""
) -> Bulletin:
    if actor is not None and not actor.can(Capability.MONITORING_PUBLISH, region):
        raise PermissionDenied("只有纪检监察人员可以起草通报。")
    if region.level > Level.TOWNSHIP:
        raise ValidationError({"region": "通报的范围须是乡镇（街道）或以上区划。"})
    if not period_start or not period_end or period_start > period_end:
        raise ValidationError({"period_end": "截止日期须不早于起始日期。"})
    rows = ranking(region, period_start, period_end)
    if not rows:
        raise ValidationError({"period_start": "这段时间该区划没有违规事件，无需通报。"})
    title = title.strip() or (
        f"关于{period_start:%Y年%-m月%-d日}至{period_end:%Y年%-m月%-d日}"
        f"{region.name}村（社区）减负监测发现问题的通报"
    )
    bulletin = Bulletin(
        region=region, period_start=period_start, period_end=period_end, title=title[:200], drafted_by=actor
    )
    bulletin.full_clean(exclude=["drafted_by"])
    bulletin.save()
    for rank, row in enumerate(rows, start=1):
        entry = BulletinEntry.objects.create(
            bulletin=bulletin,
            department=row["department"],
            rank=rank,
            violations=row["violations"],
            hours=row["hours"],
            rules=[list(r) for r in row["rules"]],
        )
        entry.events.set(row["events"])
    _step(bulletin, "draft", "", BulletinStatus.DRAFT, actor)
    audit_record(
        actor=actor,
        action="monitoring.bulletin_draft",
        obj=bulletin,
        after=snapshot(bulletin, BULLETIN_FIELDS),
    )
    return bulletin


def _lock(model, obj, version):
    locked = model.objects.select_for_update().get(pk=obj.pk)
    if version is not None and locked.version != version:
        raise StaleWriteError("该通报" if model is Bulletin else "该整改事项")
    return locked


@transaction.atomic
def bulletin_publish(*, actor, bulletin: Bulletin, version: int | None = None) -> Bulletin:
    if actor is not None and not actor.can(Capability.MONITORING_PUBLISH, bulletin.region):
        raise PermissionDenied("只有纪检监察人员可以发布通报。")
    bulletin = _lock(Bulletin, bulletin, version)
    if bulletin.status != BulletinStatus.DRAFT:
        raise ValidationError("该通报已发布。")
    year = timezone.localdate().year
    bulletin.number = f"{bulletin.region.name}减负通报〔{year}〕{next_number(f'monitoring-bulletin-{bulletin.region.code}-{year}')}号"
    bulletin.status, bulletin.published_at = BulletinStatus.PUBLISHED, timezone.now()
    bulletin.version += 1
    bulletin.save(update_fields=["number", "status", "published_at", "version"])
    _step(bulletin, "publish", BulletinStatus.DRAFT, BulletinStatus.PUBLISHED, actor)
    audit_record(
        actor=actor,
        action="monitoring.bulletin_publish",
        obj=bulletin,
        after=snapshot(bulletin, BULLETIN_FIELDS),
    )
    transaction.on_commit(partial(notify.bulletin_published, bulletin.pk))  # the named departments are told
    return bulletin


def _entry_for_update(entry, version):
    entry = _lock(BulletinEntry, entry, version)
    if entry.bulletin.status != BulletinStatus.PUBLISHED:
        raise ValidationError("通报尚未发布。")
    return entry


def _move(actor, entry, action, allowed_from, to_status, note="", **changes):
    if entry.status not in allowed_from:
        labels = "、".join(RectificationStatus(s).label for s in allowed_from)
        raise ValidationError(f"只有“{labels}”的事项可以这样处理，当前为“{entry.get_status_display()}”。")
    before, from_status = snapshot(entry, ENTRY_FIELDS), entry.status
    for key, value in changes.items():
        setattr(entry, key, value)
    entry.status, entry.version = to_status, entry.version + 1
    entry.save()
    _step(entry.bulletin, action, from_status, to_status, actor, entry=entry, note=note)
    audit_record(
        actor=actor,
        action=f"monitoring.entry_{action}",
        obj=entry,
        before=before,
        after=snapshot(entry, ENTRY_FIELDS),
    )
    return entry


@transaction.atomic
def entry_rectify(*, actor, entry: BulletinEntry, rectification: str, version: int | None = None):
    """The named department reports what it changed (its own entries only)."""
    if actor is not None and not (
        actor.has_capability(Capability.MONITORING_RECTIFY) and entry.department_id in actor.department_ids()
    ):
        raise PermissionDenied("只有被通报的部门可以报告整改情况。")
    if not rectification.strip():
        raise ValidationError({"rectification": "请写明整改情况（做了什么、何时完成）。"})
    entry = _entry_for_update(entry, version)
    return _move(
        actor,
        entry,
        "rectify",
        (RectificationStatus.PENDING,),
        RectificationStatus.REPORTED,
        rectification=rectification.strip(),
        reported_at=timezone.now(),
    )


def _require_confirmer(actor, entry) -> None:
    region = entry.bulletin.region
    if actor is not None and not (
        actor.can(Capability.MONITORING_RECORD, region) or actor.can(Capability.MONITORING_PUBLISH, region)
    ):
        raise PermissionDenied("只有监测员或纪检监察人员可以确认整改。")


@transaction.atomic
def entry_confirm(*, actor, entry: BulletinEntry, note: str = "", version: int | None = None):
    _require_confirmer(actor, entry)
    entry = _entry_for_update(entry, version)
    return _move(
        actor, entry, "confirm", (RectificationStatus.REPORTED,), RectificationStatus.CONFIRMED, note
    )


@transaction.atomic
def entry_reopen(*, actor, entry: BulletinEntry, note: str, version: int | None = None):
    """The monitor finds the burden still there: the department must rectify again."""
    _require_confirmer(actor, entry)
    if not (note or "").strip():
        raise ValidationError({"note": "退回重新整改时请写明仍存在的问题。"})
    entry = _entry_for_update(entry, version)
    allowed = (RectificationStatus.REPORTED, RectificationStatus.CONFIRMED)
    return _move(actor, entry, "reopen", allowed, RectificationStatus.PENDING, note.strip())
