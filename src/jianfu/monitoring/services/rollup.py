"""The monthly rollups the dashboards read: region × month × type, and department × type × month in a county.

``MonthlyRollup``: a village's event adds to four cells, one per ancestor level (township, county, prefecture,
province), so a dashboard at any level reads 9 types × 24 months of its own region, however many departments
and villages it holds. ``DepartmentRollup``: the same event adds to its department's cell in its county and in
its township, for the department charts of those dashboards.

Services keep both current one event at a time, in the event's transaction (``apply``, ``change``).
``rebuild_month`` recomputes one month (optionally one region) in its own short transaction: compute from the
events, then replace that slice's rows. The writers to other months never wait for it; on PostgreSQL the
writers to the same month wait only for that short transaction (a month's advisory lock, shared by writers,
exclusive for the rebuild), so no event recorded meanwhile is lost. ``rebuild`` is the loop over the months.
"""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import F, Max, Min, Sum

from jianfu.core import progress
from jianfu.orgs.models import PREFIX_LENGTH, Level

from ..models import BurdenEvent, ClueReview, DepartmentRollup, MonthlyRollup, Verdict

ROLLUP_LEVELS = (Level.PROVINCE, Level.PREFECTURE, Level.COUNTY, Level.TOWNSHIP)
DEPARTMENT_LEVELS = (Level.COUNTY, Level.TOWNSHIP)
MEASURES = ("events", "hours", "violations", "undecided")
LOCK_NAMESPACE = 23_000_000  # advisory-lock keys: namespace + yyyymm (one per month)


def code_at(code: str, level: int) -> str:
    return code[: PREFIX_LENGTH[level]].ljust(12, "0")


def region_codes(village_code: str, levels=ROLLUP_LEVELS) -> list[tuple[int, str]]:
    return [(int(level), code_at(village_code, level)) for level in levels]


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


def month_lock(month: date, *, shared: bool) -> None:
    """PostgreSQL: the month's advisory lock until the transaction ends (SQLite serialises writers anyway)."""
    if connection.vendor != "postgresql":
        return
    function = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {function}(%s)", [LOCK_NAMESPACE + month.year * 100 + month.month])


def _add(model, key: dict, level: int, amounts: dict, sign: int) -> None:
    deltas = {name: F(name) + sign * value for name, value in amounts.items()}
    if not model.objects.filter(**key).update(**deltas):
        with transaction.atomic():  # a savepoint: a concurrent first insert of the cell wins, we update
            model.objects.select_for_update().get_or_create(level=level, **key)
        model.objects.filter(**key).update(**deltas)


def apply(event, amounts: dict | None, sign: int = 1) -> None:
    """Add (or with ``sign=-1`` take away) ``amounts`` in the event's cells; inside the caller's transaction."""
    if not amounts:
        return
    month = event.occurred_on.replace(day=1)
    month_lock(month, shared=True)
    for level, code in region_codes(event.region_code):
        _add(MonthlyRollup, {"region_code": code, "month": month, "kind": event.kind}, level, amounts, sign)
    for level, code in region_codes(event.region_code, DEPARTMENT_LEVELS):
        key = {"region_code": code, "month": month, "department_id": event.department_id, "kind": event.kind}
        _add(DepartmentRollup, key, level, amounts, sign)


def change(event, before: dict | None) -> None:
    """Move the event's cells from what it contributed ``before`` to what it contributes now."""
    apply(event, before, -1)
    apply(event, contribution(event))


# Rebuilding ----------------------------------------------------------------------------------------------------


def _next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def _township_groups(month: date, prefix: str) -> list[tuple]:
    """(township code, department, kind, events, hours, violations, undecided) for the month's counted events
    under ``prefix``: one grouped scan of the month (of the region's codes when one is given)."""
    table = BurdenEvent._meta.db_table
    substr = "substr" if connection.vendor == "sqlite" else "substring"
    where = "occurred_on >= %s AND occurred_on < %s AND review NOT IN (%s, %s)"
    params = [str(month), str(_next_month(month)), ClueReview.PENDING.value, ClueReview.DISMISSED.value]
    if prefix:  # a range on the indexed code, not a LIKE (which SQLite would not index)
        where += " AND region_code >= %s AND region_code < %s"
        params += [prefix, _upper(prefix)]
    query = (
        f"SELECT {substr}(region_code, 1, 9), department_id, kind, COUNT(*), COALESCE(SUM(hours), 0),"
        " SUM(CASE WHEN verdict = 'violation' THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN verdict = 'undecided' THEN 1 ELSE 0 END)"
        f" FROM {table} WHERE {where} GROUP BY 1, 2, 3"
    )
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()


def _upper(prefix: str) -> str:
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)  # digits only: '9' + 1 is ':' (as ``subtree_q``)


def _cells(groups: list[tuple], region_level: int) -> tuple[dict, dict]:
    """The region and department cells at ``region_level`` and below, summed from the township groups."""
    regions: dict = defaultdict(lambda: [0, Decimal(0), 0, 0])
    departments: dict = defaultdict(lambda: [0, Decimal(0), 0, 0])
    for township, department_id, kind, *amounts in groups:
        code = township.ljust(12, "0")
        for level in ROLLUP_LEVELS:
            if level >= region_level:
                _sum(regions[(code_at(code, level), int(level), kind)], amounts)
        for level in DEPARTMENT_LEVELS:
            if level >= region_level:
                _sum(departments[(code_at(code, level), int(level), department_id, kind)], amounts)
    return regions, departments


def _sum(cell: list, amounts) -> None:
    for i, value in enumerate(amounts):
        cell[i] += Decimal(value) if i == 1 else int(value or 0)


def _region(code: str | None):
    from jianfu.orgs.models import Region

    if not code:
        return "", Level.PROVINCE - 1  # everything: every level is rebuilt, no ancestor to adjust
    region = Region.objects.filter(code=code).first()
    if region is None or region.level not in ROLLUP_LEVELS:
        raise ValueError(f"区划代码「{code}」不是省、市、县或乡镇级区划。")
    return region.prefix, int(region.level)


@transaction.atomic
def rebuild_month(month: date, region_code: str | None = None) -> int:
    """Recompute one month's cells (all of them, or one region's subtree) from the events and replace them, in
    this one short transaction; returns the number of cells written. The region's ancestors (its county,
    prefecture, province) are then summed again from their children's cells."""
    month = month.replace(day=1)
    prefix, region_level = _region(region_code)
    month_lock(month, shared=False)  # the month's writers wait until the slice is replaced
    regions, departments = _cells(_township_groups(month, prefix), region_level)
    for model, cells, levels in (
        (MonthlyRollup, regions, ROLLUP_LEVELS),
        (DepartmentRollup, departments, DEPARTMENT_LEVELS),
    ):
        old = model.objects.filter(month=month, level__in=[int(lv) for lv in levels if lv >= region_level])
        if prefix:
            old = old.filter(region_code__gte=prefix, region_code__lt=_upper(prefix))
        old.delete()
        model.objects.bulk_create(_rows(model, month, cells), batch_size=5000)
    if region_code:
        _resum_ancestors(month, region_code, region_level)
    return len(regions) + len(departments)


def _rows(model, month: date, cells: dict):
    for key, (events, hours, violations, undecided) in cells.items():
        code, level, *rest = key
        extra = {"department_id": rest[0], "kind": rest[1]} if len(rest) == 2 else {"kind": rest[0]}
        yield model(
            region_code=code,
            level=level,
            month=month,
            events=events,
            hours=hours,
            violations=violations,
            undecided=undecided,
            **extra,
        )


def _resum_ancestors(month: date, code: str, level: int) -> None:
    """Each ancestor of the rebuilt region (nearest first) becomes the sum of its children's cells: a few
    dozen rows each, and right even if the region's old cells were not."""
    for model, levels, key in (
        (MonthlyRollup, ROLLUP_LEVELS, ("kind",)),
        (DepartmentRollup, DEPARTMENT_LEVELS, ("department_id", "kind")),
    ):
        for above in sorted((lv for lv in levels if lv < level), reverse=True):
            target = code_at(code, above)
            prefix = target[: PREFIX_LENGTH[above]]
            children = model.objects.filter(
                month=month, level=above + 1, region_code__gte=prefix, region_code__lt=_upper(prefix)
            )
            sums = children.values_list(*key).annotate(
                e=Sum("events"), h=Sum("hours"), v=Sum("violations"), u=Sum("undecided")
            )
            model.objects.filter(month=month, region_code=target).delete()
            model.objects.bulk_create(
                model(
                    region_code=target,
                    level=above,
                    month=month,
                    **dict(zip(key, row[: len(key)], strict=True)),
                    **dict(zip(MEASURES, row[len(key) :], strict=True)),
                )
                for row in sums
            )


def months_with_events() -> list[date]:
    span = BurdenEvent.objects.aggregate(first=Min("occurred_on"), last=Max("occurred_on"))
    held = MonthlyRollup.objects.aggregate(first=Min("month"), last=Max("month"))
    starts = [d for d in (span["first"], held["first"]) if d]
    ends = [d for d in (span["last"], held["last"]) if d]
    if not starts:
        return []
    month, last, months = min(starts).replace(day=1), max(ends), []
    while month <= last:
        months.append(month)
        month = _next_month(month)
    return months


def rebuild() -> int:
    """Recompute every month, one short transaction each, and the findings' cells (``finding_rollup``); returns
    the number of cells. Writers are never blocked for longer than one month's slice."""
    cells = 0
    months = months_with_events()
    for n, month in enumerate(months, start=1):
        progress.stage(f"重算 {month:%Y-%m} 的汇总（{n}/{len(months)}）")
        cells += rebuild_month(month)
    from . import finding_rollup

    progress.stage("汇总问题")
    return cells + finding_rollup.rebuild()
