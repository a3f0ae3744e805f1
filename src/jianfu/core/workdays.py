"""Working days on the official PRC calendar, for every deadline the procedures count in working days.

Order of authority for a day: an administrator's entry (CalendarDay), then the chinese_calendar package for the
years it covers, then — for a year marked announced — Monday to Friday apart from the entered days. For a year
neither covered nor announced the platform counts Monday to Friday and marks the result as estimated.
"""

from dataclasses import dataclass
from datetime import date, timedelta

import chinese_calendar
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from jianfu.audit.services import audit_record

from .models import AnnouncedYear, CalendarDay


@dataclass(frozen=True)
class Deadline:
    day: date
    estimated: bool  # some day was counted Monday–Friday because its year's holidays are not yet known

    @property
    def note(self) -> str:
        return f"{self.day.year} 年节假日安排尚未公布，按周一至周五估算" if self.estimated else ""


class WorkdayCalendar:
    """One lookup session: loads the entered days once, then answers day by day."""

    def __init__(self):
        self.entered = dict(CalendarDay.objects.values_list("day", "is_workday"))
        self.announced = set(AnnouncedYear.objects.values_list("year", flat=True))

    def is_workday(self, day: date) -> tuple[bool, bool]:
        """(is it a working day, is that official rather than estimated)."""
        if day in self.entered:
            return self.entered[day], True
        if day.year not in self.announced:
            try:
                return chinese_calendar.is_workday(day), True
            except NotImplementedError:
                return day.weekday() < 5, False
        return day.weekday() < 5, True

    def add_workdays(self, start: date, count: int) -> Deadline:
        """The day on which ``count`` working days after ``start`` have passed (start itself not counted)."""
        day, estimated, remaining = start, False, count
        while remaining > 0:
            day += timedelta(days=1)
            workday, official = self.is_workday(day)
            if workday:
                remaining -= 1
                estimated = estimated or not official
        return Deadline(day, estimated)

    def workdays_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end``."""
        days = (start + timedelta(days=n) for n in range(1, (end - start).days + 1))
        return sum(1 for d in days if self.is_workday(d)[0])


def add_workdays(start: date, count: int) -> Deadline:
    return WorkdayCalendar().add_workdays(start, count)


def year_status(year: int) -> str:
    """How the platform knows a year's working days, in words for the calendar page."""
    if AnnouncedYear.objects.filter(year=year).exists():
        return "已公布（管理员录入）"
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return "尚未公布：按周一至周五估算，相关期限标注为估算"
    return "已公布（内置国务院节假日安排）"


CALENDAR_MESSAGE = "只有系统管理员可以维护节假日安排。"


def may_edit_calendar(user) -> bool:
    """The administrator keeps the calendar (``orgs.manage``; core names the capability, it cannot import orgs)."""
    return user is None or (user.is_authenticated and user.has_capability("orgs.manage"))


def require_calendar_editor(actor) -> None:
    if not may_edit_calendar(actor):
        raise PermissionDenied(CALENDAR_MESSAGE)


@transaction.atomic
def calendar_day_set(*, actor, day: date, is_workday: bool, name: str) -> CalendarDay:
    """Enter (or correct) one day of an announced holiday arrangement."""
    require_calendar_editor(actor)
    entry, created = CalendarDay.objects.update_or_create(
        day=day, defaults={"is_workday": is_workday, "name": name}
    )
    entry.full_clean()
    audit_record(
        actor=actor,
        action="calendar.set_day",
        obj=entry,
        after={"day": str(day), "is_workday": is_workday, "name": name},
    )
    return entry


@transaction.atomic
def calendar_year_announce(*, actor, year: int, source: str) -> AnnouncedYear:
    """Mark a year's arrangement as fully entered: its deadlines stop being estimates."""
    require_calendar_editor(actor)
    if not CalendarDay.objects.filter(day__year=year).exists():
        raise ValidationError({"year": f"请先录入 {year} 年的节假日和调休上班日，再标记为已公布。"})
    if not source.strip():
        raise ValidationError({"source": "请填写依据（国务院办公厅的通知名称）。"})
    entry, _ = AnnouncedYear.objects.update_or_create(year=year, defaults={"source": source})
    audit_record(
        actor=actor, action="calendar.announce_year", obj=entry, after={"year": year, "source": source}
    )
    return entry
