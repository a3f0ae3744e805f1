"""Periodic returns from monitoring points (定期收集基层负担情况): filing one, the overdue reminders (a scheduled
job) and the coverage the dashboard shows beside its figures. The period and the grace days are region settings
(``monitoring.returns_weekly``, ``monitoring.return_grace_days``, registered in ``apps.py``)."""

from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from jianfu.audit.services import audit_record, snapshot
from jianfu.orgs import access
from jianfu.orgs.region_settings import setting_value, values_for
from jianfu.orgs.roles import Capability

from .. import notify
from ..models import MONTHLY, WEEKLY, BurdenEvent, MonitoringPoint, Origin, Period, PointReturn, period_of

WEEKLY_SETTING = "monitoring.returns_weekly"
GRACE_SETTING = "monitoring.return_grace_days"
RETURN_FIELDS = (
    "id",
    "point",
    "period_kind",
    "period_start",
    "period_end",
    "events",
    "nothing_new",
    "on_time",
)


def _kind(weekly: bool) -> str:
    return WEEKLY if weekly else MONTHLY


def _due(end: date, grace_days: int) -> date:
    return end + timedelta(days=grace_days)


def period_kind(region, on: date) -> str:
    return _kind(setting_value(region, WEEKLY_SETTING, on=on))


def current_period(point: MonitoringPoint, on: date | None = None) -> Period:
    on = on or timezone.localdate()
    return period_of(on, period_kind(point.village, on))


def due_day(point: MonitoringPoint, period: Period) -> date:
    """The last day a return for the period counts as on time: its end plus the county's days of grace."""
    return _due(period.end, setting_value(point.village, GRACE_SETTING, on=period.end))


def events_in(point: MonitoringPoint, period: Period) -> int:
    return BurdenEvent.objects.filter(
        point=point, origin=Origin.MONITOR, occurred_on__gte=period.start, occurred_on__lte=period.end
    ).count()


@transaction.atomic
def point_return_file(
    *, actor, point: MonitoringPoint, day: date, nothing_new: bool = False, note: str = ""
) -> PointReturn:
    """The point's monitor files the return for the period that holds ``day``: the events recorded in it are
    counted; with none, the monitor says so (本期无新增负担). A later period than today's, another monitor's
    point, a second return for a period or a return that contradicts the records are refused."""
    access.require(
        actor, Capability.MONITORING_RECORD, point.village, message="只有减负监测员可以报送负担情况。"
    )
    point = MonitoringPoint.objects.select_for_update().get(pk=point.pk)
    if actor is not None and not point.assignments.filter(monitor=actor, is_active=True).exists():
        raise ValidationError({"point": f"您不服务“{point.village.name}”监测点，不能为它报送负担情况。"})
    if not point.is_active:
        raise ValidationError({"point": f"“{point.village.name}”监测点已停用。"})
    today = timezone.localdate()
    if not isinstance(day, date):
        raise ValidationError({"period": "请选择报送期。"})
    period = period_of(day, period_kind(point.village, day))
    if period.start > today:
        raise ValidationError({"period": f"报送期“{period.label}”尚未开始，不能提前报送。"})
    if PointReturn.objects.filter(point=point, period_start=period.start).exists():
        raise ValidationError({"period": f"“{point.village.name}”监测点已报送“{period.label}”的负担情况。"})
    count = events_in(point, period)
    if nothing_new and count:
        raise ValidationError({"nothing_new": f"本期已记录 {count} 起负担事件，不能报“本期无新增负担”。"})
    if not nothing_new and not count:
        raise ValidationError(
            {"nothing_new": "本期没有记录负担事件：请先记录负担事件，或勾选“本期无新增负担”。"}
        )
    filed = PointReturn(
        point=point,
        period_kind=period.kind,
        period_start=period.start,
        period_end=period.end,
        events=count,
        nothing_new=bool(nothing_new),
        note=(note or "").strip(),
        filed_by=actor,
        on_time=today <= due_day(point, period),
    )
    filed.full_clean()
    try:
        with transaction.atomic():
            filed.save()
    except IntegrityError:
        raise ValidationError(
            {"period": f"“{point.village.name}”监测点已报送“{period.label}”的负担情况。"}
        ) from None
    audit_record(
        actor=actor,
        action="monitoring.point_return_file",
        obj=filed,
        region_code=point.village.code,
        after=snapshot(filed, RETURN_FIELDS),
    )
    return filed


@dataclass(frozen=True)
class Coverage:
    """One point in one period: its return, or the lack of one."""

    point: MonitoringPoint
    period: Period
    due: date
    filed: PointReturn | None
    today: date

    @property
    def state(self) -> str:
        if self.filed is not None:
            if self.filed.nothing_new:
                return "本期无新增负担" if self.filed.on_time else "逾期报送：本期无新增负担"
            return (
                f"已报送：{self.filed.events} 起"
                if self.filed.on_time
                else f"逾期报送：{self.filed.events} 起"
            )
        return "未报送（沉默）" if self.today > self.due else "待报送"

    @property
    def silent(self) -> bool:
        return self.filed is None and self.today > self.due

    @property
    def on_time(self) -> bool:
        return self.filed is not None and self.filed.on_time


def last_closed_period(point: MonitoringPoint, on: date) -> Period:
    """The latest period that has ended before ``on`` (the one a dashboard asks about)."""
    return current_period(point, on).previous()


def coverage(points, on: date | None = None) -> list[Coverage]:
    """Each point's return for its latest closed period, or its silence: ``last_closed_period`` and ``due_day``
    for many points, their settings read once for all of them."""
    today = timezone.localdate() if on is None else on
    points = list(points)
    codes = [p.village.code for p in points]
    weekly = values_for(codes, WEEKLY_SETTING, today)  # settings read once for all points, not once a point
    periods = {p.pk: period_of(today, _kind(weekly[p.village.code])).previous() for p in points}
    graces = values_for(codes, GRACE_SETTING, {p.village.code: periods[p.pk].end for p in points})
    filed = {
        (r.point_id, r.period_start): r
        for r in PointReturn.objects.filter(
            point__in=points, period_start__in={p.start for p in periods.values()}
        )
    }
    return [
        Coverage(
            p,
            periods[p.pk],
            _due(periods[p.pk].end, graces[p.village.code]),
            filed.get((p.pk, periods[p.pk].start)),
            today,
        )
        for p in points
    ]


def remind_overdue_returns(on: date | None = None) -> int:
    """Remind the monitors of each active point whose latest closed period has no return once its grace has
    passed (the scheduled job; a notification key per point and period tells each monitor once)."""
    today = on or timezone.localdate()
    points = MonitoringPoint.objects.filter(is_active=True).select_related("village")
    count = 0
    for row in coverage(points, today):
        if row.silent:
            transaction.on_commit(
                partial(notify.point_return_overdue, row.point.pk, row.period.start.isoformat())
            )
            count += 1
    return count
