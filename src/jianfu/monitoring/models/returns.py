"""Periodic returns from monitoring points (定期收集基层负担情况): each point's monitor files one return per
period — the burden events recorded in it, or 本期无新增负担 with a note — so a point that says nothing shows
as silent, never as burden-free. The period (weekly or monthly) and the days of grace are region settings."""

from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import models

from jianfu.core.text import NOTE, BoundedTextField
from jianfu.orgs import access
from jianfu.orgs.roles import Capability

from .events import VIEW_CAPABILITIES, MonitoringPoint

WEEKLY, MONTHLY = "weekly", "monthly"


@dataclass(frozen=True)
class Period:
    """One reporting period: its first and last day and how a page names it."""

    kind: str
    start: date
    end: date

    @property
    def label(self) -> str:
        if self.kind == WEEKLY:
            year, week, _ = self.start.isocalendar()
            return f"{year}年第{week}周（{self.start:%-m月%-d日}—{self.end:%-m月%-d日}）"
        return f"{self.start:%Y年%-m月}"

    def previous(self) -> "Period":
        return period_of(self.start - timedelta(days=1), self.kind)

    def next(self) -> "Period":
        return period_of(self.end + timedelta(days=1), self.kind)


def period_of(day: date, kind: str) -> Period:
    """The period (weekly: Monday to Sunday; monthly: the calendar month) that holds the day."""
    if kind == WEEKLY:
        start = day - timedelta(days=day.weekday())
        return Period(kind, start, start + timedelta(days=6))
    start = day.replace(day=1)
    return Period(MONTHLY, start, start.replace(day=monthrange(day.year, day.month)[1]))


class ReturnQuerySet(access.ScopedQuerySet):
    scope_field = "point__village__code"
    scope_capabilities = (*VIEW_CAPABILITIES, Capability.MONITORING_RECORD)


class PointReturn(models.Model):
    """One point's return for one period: how many burden events its monitors recorded in it, or none."""

    point = models.ForeignKey(MonitoringPoint, models.PROTECT, related_name="returns", verbose_name="监测点")
    period_kind = models.CharField(
        "报送周期", max_length=8, choices=[(WEEKLY, "每周"), (MONTHLY, "每月")], default=MONTHLY
    )
    period_start = models.DateField("报送期起")
    period_end = models.DateField("报送期止")
    events = models.PositiveIntegerField("本期记录负担事件数", default=0)
    nothing_new = models.BooleanField("本期无新增负担", default=False)
    note = BoundedTextField("情况说明", blank=True, max_length=NOTE)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="报送人"
    )
    filed_at = models.DateTimeField("报送时间", auto_now_add=True)
    on_time = models.BooleanField("按期报送", default=True)

    objects = ReturnQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "监测点定期报送"
        ordering = ["-period_start", "point__village__code"]
        constraints = [
            models.UniqueConstraint(fields=["point", "period_start"], name="point_return_once_per_period")
        ]

    def __str__(self):
        return f"{self.point} {self.period.label}"

    @property
    def period(self) -> Period:
        return Period(self.period_kind, self.period_start, self.period_end)
