"""Bulletins (通报: 《关于开展村（社区）减负工作的实施方案》二（五）"对随意向基层摊派工作任务的单位加强通报
整改"; 田家庵区《工作措施》"典型问题通报曝光").

The inspector drafts a bulletin for a region and a period from the findings judged 认定违规 there, of every
source: the departments ranked by their violations; publishes it (numbered), which sets each department's
rectification deadline in working days and moves the findings to 已通报; each named department reports its
rectification (整改中); the monitor serving the village of a finding (or the inspector) confirms it on the ground
(已整改) or returns it (退回). Every step is a ``BulletinStep`` or ``FindingStep`` row and an audit record.

A bulletin's findings may lie in several counties: each service takes the chain heads of all of them (and of
the bulletin's region) in county-code order before it locks the bulletin, an entry or a finding
(``_lock_counties``, the lock order of ``rollup``), never county by county in finding order.
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
from jianfu.core.workdays import add_workdays
from jianfu.orgs import access
from jianfu.orgs.models import Level, Region, subtree_q
from jianfu.orgs.roles import Capability

from .. import notify
from ..local_rules import rectify_days
from ..models import (
    Bulletin,
    BulletinEntry,
    BulletinStatus,
    BulletinStep,
    Finding,
    FindingState,
    RectificationStatus,
)
from ..models.events import BULLETIN_FLOW, ENTRY_FLOW
from . import rollup
from .findings import lock as lock_finding
from .findings import may_confirm_rectification, move

BULLETIN_FIELDS = ("id", "number", "region", "period_start", "period_end", "title", "status")
ENTRY_FIELDS = ("id", "bulletin", "department", "rank", "violations", "status", "rectification", "deadline")


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
    """Findings judged 认定违规 (not yet in a published bulletin) in the region and period, of every source."""
    return (
        Finding.objects.filter(
            subtree_q([region.prefix], "region_code"),
            state=FindingState.CONFIRMED,
            occurred_on__gte=start,
            occurred_on__lte=end,
            department__isnull=False,
        )
        .select_related("department", "village", "event")
        .order_by("occurred_on", "id")
    )


def ranking(region: Region, start: date, end: date) -> list[dict]:
    """Departments by violations (then hours), each with its findings and the rules they broke."""
    grouped: dict[int, list[Finding]] = defaultdict(list)
    for finding in violations_in(region, start, end):
        grouped[finding.department_id].append(finding)
    rows = []
    for found in grouped.values():
        rules = Counter(f.rule for f in found)
        events = [f.event for f in found if f.event_id]
        rows.append(
            {
                "department": found[0].department,
                "findings": found,
                "events": events,
                "violations": len(found),
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
        raise ValidationError({"period_start": "这段时间该区划没有已认定违规、尚未通报的问题，无需通报。"})
    title = title.strip() or (
        f"关于{period_start:%Y年%-m月%-d日}至{period_end:%Y年%-m月%-d日}"
        f"{region.name}村（社区）减负监测发现问题的通报"
    )
    bulletin = Bulletin(
        region=region,
        period_start=period_start,
        period_end=period_end,
        title=title[:200],
        drafted_by=actor,
        rectify_days=rectify_days(region, timezone.localdate()),
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
        entry.findings.set(row["findings"])
    _step(bulletin, "draft", "", BulletinStatus.DRAFT, actor)
    audit_record(
        actor=actor,
        action="monitoring.bulletin_draft",
        obj=bulletin,
        after=snapshot(bulletin, BULLETIN_FIELDS),
    )
    return bulletin


def _lock_counties(*, bulletin: Bulletin | None = None, entry: BulletinEntry | None = None, codes=()) -> None:
    """The chain heads of the bulletin's region and of the counties of its (or the entry's) findings and of
    ``codes``, in county-code order."""
    codes = set(codes)
    if entry is not None:
        bulletin = entry.bulletin
        codes.update(Finding.objects.filter(entries=entry).values_list("region_code", flat=True))
    elif bulletin is not None:
        codes.update(Finding.objects.filter(entries__bulletin=bulletin).values_list("region_code", flat=True))
    if bulletin is not None:
        codes.add(Region.objects.values_list("code", flat=True).get(pk=bulletin.region_id))
    rollup.lock_counties(codes)


def _lock(model, obj, version):
    locked = model.objects.select_for_update().get(pk=obj.pk)
    if version is not None and locked.version != version:
        raise StaleWriteError("该通报" if model is Bulletin else "该整改事项")
    return locked


@transaction.atomic
def bulletin_publish(*, actor, bulletin: Bulletin, version: int | None = None) -> Bulletin:
    if actor is not None and not actor.can(Capability.MONITORING_PUBLISH, bulletin.region):
        raise PermissionDenied("只有纪检监察人员可以发布通报。")
    _lock_counties(bulletin=bulletin)
    bulletin = _lock(Bulletin, bulletin, version)
    if not BULLETIN_FLOW.may(bulletin, "publish"):
        raise ValidationError("该通报已发布。")
    year = timezone.localdate().year
    bulletin.number = f"{bulletin.region.name}减负通报〔{year}〕{next_number(f'monitoring-bulletin-{bulletin.region.code}-{year}')}号"
    BULLETIN_FLOW.move(bulletin, "publish")
    bulletin.published_at = timezone.now()
    # The deadline follows the county's rule in force on the day of publication (it may have changed since the draft).
    bulletin.rectify_days = rectify_days(bulletin.region, timezone.localdate())
    bulletin.version += 1
    bulletin.save(update_fields=["number", "status", "published_at", "rectify_days", "version"])
    deadline = add_workdays(timezone.localdate(), bulletin.rectify_days).day
    for entry in bulletin.entries.all():
        entry.deadline = deadline  # part of publishing: nobody else could write the entry before it
        entry.save(update_fields=["deadline"])
        for finding in entry.findings.order_by("pk"):
            # A finding re-judged since the draft refuses the publication: the bulletin must be drafted again.
            move(lock_finding(finding, None), "publish", actor=actor, note=bulletin.number)
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
    if BULLETIN_FLOW.may(entry.bulletin, "publish"):
        raise ValidationError("通报尚未发布。")
    return entry


def _move(actor, entry, action, note="", **changes):
    ENTRY_FLOW.check(entry, action, name=f"通报事项“{entry.department}”")
    before = snapshot(entry, ENTRY_FIELDS)
    for key, value in changes.items():
        setattr(entry, key, value)
    from_status, to_status = ENTRY_FLOW.move(entry, action)
    entry.version += 1
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
    access.require_for(
        actor, Capability.MONITORING_RECTIFY, entry.department, message="只有被通报的部门可以报告整改情况。"
    )
    if not rectification.strip():
        raise ValidationError({"rectification": "请写明整改情况（做了什么、何时完成）。"})
    _lock_counties(entry=entry)
    entry = _entry_for_update(entry, version)
    entry = _move(
        actor,
        entry,
        "rectify",
        rectification=rectification.strip(),
        reported_at=timezone.now(),
    )
    for finding in entry.findings.filter(state__in=(FindingState.PUBLISHED, FindingState.RETURNED)):
        move(lock_finding(finding, None), "rectify", actor=actor, note=entry.rectification)
    return entry


def _confirmable(actor, entry) -> list[Finding]:
    """The entry's findings the actor may confirm on the ground: the inspector all of them, a monitor those at
    the villages they serve (not every village of the region)."""
    found = list(entry.findings.select_related("village").order_by("pk"))
    if actor is None:
        return found
    mine = [f for f in found if may_confirm_rectification(actor, f)]
    if not mine:
        raise PermissionDenied("只有问题所在村（社区）的监测员或纪检监察人员可以确认整改。")
    return mine


def _settle(actor, entry) -> None:
    """The entry follows its findings: confirmed once every one is rectified, pending again once one returns."""
    states = set(entry.findings.values_list("state", flat=True))
    if states and states <= {FindingState.RECTIFIED} and ENTRY_FLOW.may(entry, "confirm"):
        _move(actor, entry, "confirm")
    elif FindingState.RETURNED in states and ENTRY_FLOW.may(entry, "reopen"):
        _move(actor, entry, "reopen", "所在村（社区）核实仍未整改到位")


@transaction.atomic
def entry_confirm(*, actor, entry: BulletinEntry, note: str = "", version: int | None = None):
    """Confirm the rectification at the villages the actor serves (all of them for the inspector)."""
    mine = _confirmable(actor, entry)
    _lock_counties(entry=entry)
    entry = _entry_for_update(entry, version)
    if not ENTRY_FLOW.may(entry, "confirm"):
        raise ValidationError(f"只有“已报告整改”的事项可以确认，当前为“{entry.get_status_display()}”。")
    for finding in mine:
        finding = lock_finding(finding, None)
        if finding.state == FindingState.RECTIFYING:
            move(finding, "accept", actor=actor, note=note)
    _settle(actor, entry)
    entry.refresh_from_db()
    return entry


@transaction.atomic
def entry_reopen(*, actor, entry: BulletinEntry, note: str, version: int | None = None):
    """The monitor finds the burden still there: the department must rectify again."""
    mine = _confirmable(actor, entry)
    if not (note or "").strip():
        raise ValidationError({"note": "退回重新整改时请写明仍存在的问题。"})
    _lock_counties(entry=entry)
    entry = _entry_for_update(entry, version)
    if not ENTRY_FLOW.may(entry, "reopen"):
        raise ValidationError(f"只有已报告整改的事项可以退回，当前为“{entry.get_status_display()}”。")
    for finding in mine:
        finding = lock_finding(finding, None)
        if finding.state in (FindingState.RECTIFYING, FindingState.RECTIFIED):
            move(finding, "return", actor=actor, note=note.strip())
    _settle(actor, entry)
    entry.refresh_from_db()
    return entry


def _finding_entry(finding: Finding) -> BulletinEntry | None:
    return finding.entries.filter(bulletin__status=BulletinStatus.PUBLISHED).order_by("-pk").first()


@transaction.atomic
def finding_accept(*, actor, finding: Finding, note: str = "", version: int | None = None) -> Finding:
    """The monitor of the finding's village (or the inspector) confirms it was rectified on the ground."""
    if actor is not None and not may_confirm_rectification(actor, finding):
        raise PermissionDenied("只有问题所在村（社区）的监测员或纪检监察人员可以确认整改。")
    entry = _finding_entry(finding)
    _lock_counties(entry=entry, codes=[finding.region_code])
    finding = move(lock_finding(finding, version), "accept", actor=actor, note=(note or "").strip())
    if entry is not None:
        _settle(actor, _lock(BulletinEntry, entry, None))
    return finding


@transaction.atomic
def finding_return(*, actor, finding: Finding, note: str, version: int | None = None) -> Finding:
    """The burden is still there: the department must rectify again (with what is still wrong)."""
    if actor is not None and not may_confirm_rectification(actor, finding):
        raise PermissionDenied("只有问题所在村（社区）的监测员或纪检监察人员可以退回整改。")
    if not (note or "").strip():
        raise ValidationError({"note": "退回重新整改时请写明仍存在的问题。"})
    entry = _finding_entry(finding)
    _lock_counties(entry=entry, codes=[finding.region_code])
    finding = move(lock_finding(finding, version), "return", actor=actor, note=note.strip())
    if entry is not None:
        _settle(actor, _lock(BulletinEntry, entry, None))
    return finding


def overdue_entries(on: date | None = None):
    """Published entries still waiting for rectification past their deadline."""
    on = on or timezone.localdate()
    return BulletinEntry.objects.filter(
        bulletin__status=BulletinStatus.PUBLISHED,
        status=RectificationStatus.PENDING,
        deadline__lt=on,
    ).select_related("bulletin", "department")


def remind_overdue(on: date | None = None) -> int:
    """Remind each department whose rectification is overdue, once a day (the scheduled job)."""
    on = on or timezone.localdate()
    count = 0
    for entry in overdue_entries(on).exclude(reminded_on=on):
        with transaction.atomic():
            entry = _lock(BulletinEntry, entry, None)
            if entry.reminded_on == on:
                continue
            entry.reminded_on = on
            entry.save(update_fields=["reminded_on"])
            transaction.on_commit(partial(notify.rectification_overdue, entry.pk))
            count += 1
    return count
