"""The monthly rollup the dashboards read: region (township and up) × department × type × month.

A village's event adds to four rows, one per ancestor level (township, county, prefecture, province), so a
dashboard at any level reads at most departments × types × 12 rows a year instead of scanning events.
Services keep it current one event at a time (``apply``); ``rebuild`` recomputes it from the events with one
INSERT … SELECT per level (the ``monitoring_rollup`` command; a background task on a large deployment).
"""

from decimal import Decimal

from django.db import connection, transaction
from django.db.models import F

from jianfu.core import progress
from jianfu.orgs.models import PREFIX_LENGTH, Level

from ..models import BurdenEvent, ClueReview, MonthlyRollup, Verdict

ROLLUP_LEVELS = (Level.PROVINCE, Level.PREFECTURE, Level.COUNTY, Level.TOWNSHIP)


def region_codes(village_code: str) -> list[tuple[int, str]]:
    return [(int(level), village_code[: PREFIX_LENGTH[level]].ljust(12, "0")) for level in ROLLUP_LEVELS]


def contribution(event) -> dict | None:
    """What one event adds to its cells, or None when it does not count (a pending or dismissed clue)."""
    if event.review in (ClueReview.PENDING, ClueReview.DISMISSED):
        return None
    return {
        "events": 1,
        "hours": Decimal(event.hours or 0),
        "violations": int(event.verdict == Verdict.VIOLATION),
        "undecided": int(event.verdict == Verdict.UNDECIDED),
    }


def apply(event, amounts: dict | None, sign: int = 1) -> None:
    """Add (or with ``sign=-1`` take away) ``amounts`` in the event's cells; inside the caller's transaction."""
    if not amounts:
        return
    month = event.occurred_on.replace(day=1)
    deltas = {key: F(key) + sign * value for key, value in amounts.items()}
    for level, code in region_codes(event.region_code):
        cell = dict(region_code=code, month=month, department_id=event.department_id, kind=event.kind)
        if not MonthlyRollup.objects.filter(**cell).update(**deltas):
            with transaction.atomic():  # a savepoint: a concurrent first insert of the cell wins, we update
                _, created = MonthlyRollup.objects.select_for_update().get_or_create(level=level, **cell)
            MonthlyRollup.objects.filter(**cell).update(**deltas)


def change(event, before: dict | None) -> None:
    """Move the event's cells from what it contributed ``before`` to what it contributes now."""
    apply(event, before, -1)
    apply(event, contribution(event))


def _month_expression() -> str:
    if connection.vendor == "postgresql":
        return "date_trunc('month', e.occurred_on)::date"
    return "date(e.occurred_on, 'start of month')"


def rebuild() -> int:
    """Recompute every cell from the events, and the findings' cells (``finding_rollup``); returns the number of
    cells.

    One scan of the events fills the township cells; each level above sums the level below it, so the
    expensive GROUP BY over the events runs once however many levels there are."""
    table, events = MonthlyRollup._meta.db_table, BurdenEvent._meta.db_table
    substr = "substr" if connection.vendor == "sqlite" else "substring"
    excluded = ", ".join(f"'{v}'" for v in (ClueReview.PENDING, ClueReview.DISMISSED))
    columns = "region_code, level, month, department_id, kind, events, hours, violations, undecided"
    progress.stage("按乡镇汇总全部负担事件")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")
        township = f"{substr}(e.region_code, 1, 9) || '000'"
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {township}, {int(Level.TOWNSHIP)}, {_month_expression()},"
            f" e.department_id, e.kind, COUNT(*), COALESCE(SUM(e.hours), 0),"
            f" SUM(CASE WHEN e.verdict = 'violation' THEN 1 ELSE 0 END),"
            f" SUM(CASE WHEN e.verdict = 'undecided' THEN 1 ELSE 0 END) FROM {events} e"
            f" WHERE e.review NOT IN ({excluded}) GROUP BY 1, 3, 4, 5"
        )
        for level, below in (
            (Level.COUNTY, Level.TOWNSHIP),
            (Level.PREFECTURE, Level.COUNTY),
            (Level.PROVINCE, Level.PREFECTURE),
        ):
            n = PREFIX_LENGTH[level]
            progress.stage(f"汇总到{Level(level).label}")
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT {substr}(r.region_code, 1, {n}) || '{'0' * (12 - n)}',"
                f" {int(level)}, r.month, r.department_id, r.kind, SUM(r.events), SUM(r.hours), SUM(r.violations),"
                f" SUM(r.undecided) FROM {table} r WHERE r.level = {int(below)} GROUP BY 1, 3, 4, 5"
            )
    from . import finding_rollup

    progress.stage("汇总问题")
    return MonthlyRollup.objects.count() + finding_rollup.rebuild()
