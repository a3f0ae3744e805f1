"""Reporting periods of a listed form: the keys a frequency yields in a year, their first and last days, the due
date a due day gives, and the kind of a key ("2026", "2026H1", "2026Q1", "2026-03").

A period opens on its first day and is due on the form's due day of the month after it ends (DHIS2's "expiry
days" counted from the end of the period, written the way county notices say it: 次月 10 日前报送).
"""

import re
from calendar import monthrange
from datetime import date

from .models import FREQUENCY_RANK, Frequency

# Frequencies the platform opens by itself; weekly and daily forms are approved exceptions a township puts on one
# of these (or the department opens them period by period).
SCHEDULED = (Frequency.YEARLY, Frequency.HALF_YEARLY, Frequency.QUARTERLY, Frequency.MONTHLY, Frequency.ONCE)
PATTERNS = {
    Frequency.YEARLY: re.compile(r"^(20\d\d)$"),
    Frequency.HALF_YEARLY: re.compile(r"^(20\d\d)H([12])$"),
    Frequency.QUARTERLY: re.compile(r"^(20\d\d)Q([1-4])$"),
    Frequency.MONTHLY: re.compile(r"^(20\d\d)-(0[1-9]|1[0-2])$"),
}
HINTS = {
    Frequency.YEARLY: "2026",
    Frequency.HALF_YEARLY: "2026H1",
    Frequency.QUARTERLY: "2026Q1",
    Frequency.MONTHLY: "2026-03",
}
MONTHS: dict[str, int] = {
    Frequency.YEARLY: 12,
    Frequency.HALF_YEARLY: 6,
    Frequency.QUARTERLY: 3,
    Frequency.MONTHLY: 1,
}
# A due day every month has (the 29th-31st do not exist in some months).
DUE_DAY_MAX = 28


def kind_of(key: str) -> str | None:
    """The frequency a period key is written in, or None for a malformed key."""
    return next((kind for kind, pattern in PATTERNS.items() if pattern.match(key or "")), None)


def period_frequency(frequency: str) -> str:
    """The period kind a form of ``frequency`` is reported in (a one-off form is reported for its year)."""
    return Frequency.YEARLY if frequency == Frequency.ONCE else frequency


def keys(frequency: str, year: int) -> list[str]:
    kind = period_frequency(frequency)
    if kind == Frequency.YEARLY:
        return [str(year)]
    if kind == Frequency.HALF_YEARLY:
        return [f"{year}H1", f"{year}H2"]
    if kind == Frequency.QUARTERLY:
        return [f"{year}Q{n}" for n in range(1, 5)]
    if kind == Frequency.MONTHLY:
        return [f"{year}-{n:02d}" for n in range(1, 13)]
    return []


def bounds(key: str) -> tuple[date, date]:
    """The first and last day of the period."""
    kind = kind_of(key)
    if kind is None:
        raise ValueError(key)
    year = int(key[:4])
    if kind == Frequency.YEARLY:
        first_month = 1
    elif kind == Frequency.MONTHLY:
        first_month = int(key[5:7])
    else:
        first_month = (int(key[-1]) - 1) * MONTHS[kind] + 1
    last_month = first_month + MONTHS[kind] - 1
    return date(year, first_month, 1), date(year, last_month, monthrange(year, last_month)[1])


def due_date(key: str, due_day: int) -> date:
    """The due day of the month after the period ends."""
    end = bounds(key)[1]
    year, month = (end.year + 1, 1) if end.month == 12 else (end.year, end.month + 1)
    return date(year, month, min(due_day, monthrange(year, month)[1]))


def current(frequency: str, on: date) -> str:
    """The key of the period of ``frequency`` that ``on`` falls in."""
    kind = period_frequency(frequency)
    return next(k for k in keys(kind, on.year) if bounds(k)[0] <= on <= bounds(k)[1])


def coarser_or_equal(frequency: str, than: str) -> bool:
    """Whether ``frequency`` is filled no more often than ``than`` (a township may only thin a schedule)."""
    return FREQUENCY_RANK[frequency] <= FREQUENCY_RANK[than]


def township_choices(listed: str) -> list[tuple[str, str]]:
    """The frequencies a township may put a listed form on: the listed one or less often, never more."""
    if listed == Frequency.ONCE:
        return [(Frequency.ONCE, Frequency.ONCE.label)]
    return [
        (value, label)
        for value, label in Frequency.choices
        if value in MONTHS and coarser_or_equal(value, listed)
    ]
