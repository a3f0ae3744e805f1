"""The monthly rollups the dashboards read: region × month × type, and department × type × month of a county.

``MonthlyRollup``: a village's event adds to two cells, its township's and its county's. A prefecture's or
province's figures are the sum of its counties' cells, taken when read (``selectors.rollup_cells``): a cell
above the county would be one row that every writer in the prefecture or province updates and holds locked
until commit, so the province's writers would record one at a time (#23, 16.5 events/s with 50 writers).
Each write also gives the county's month a new random ``RollupStamp``: the prefecture and province sums of a
month are cached under its counties' stamps, so a changed county month is summed again on the next read.
``DepartmentRollup``: the same event adds to its department's cell in its county, for the county dashboard's
department chart. A township's chart counts the events of its one township instead (1/2,000 of a province,
on the ``event_region_day`` index; ``dashboard._departments``): kept per township, the department cells were
as many as a month's events at province scale (2,000 townships × 20 departments × 9 types; #23, 1.78 GB at 10M
events and 204,300 cells in a province month's rebuild). So an event's transaction locks only rows of its own
county, as its audit chain head is.

The lock order every monitoring service keeps (and the catalog's verdict correction, which moves an event):

1. the audit chain heads of every county it will touch, in county-code order, before any other row
   (``lock_counties``; ``lock_county`` for one): a bulk decision or a bulletin over findings in several
   counties takes them all at its start, not one by one in finding order;
2. then the rows it changes: a correction request, a bulletin, a bulletin entry; then the event; then its
   finding (``findings_decide``, ``event_recheck``, ``clue_review`` and the verdict correction alike);
3. then the cells (``apply``, ``finding_rollup.apply``), each after its county's head; the event cells after
   their county's month lock too (shared, ``month_lock``), taken by ``apply`` right after the head.

A rebuild's step takes one lock before its rows, its county's month lock (exclusive), and no head: it never
holds a lock a writer has while waiting for another, so it cannot close a cycle with one.

So two services never take two locks in opposite orders; and since a county's writers all queue at its head,
rows of one county are only ever contended by a service that holds that head already.

Services keep both current one event at a time, in the event's transaction (``apply``, ``change``).
``rebuild_month`` recomputes one month one county at a time: each county's part (or one township's) in its own
short transaction under that county's month lock (a PostgreSQL advisory lock on (month, county): shared by the
county's writers of the month, taken after the county's chain head; exclusive for the rebuild's step, which
holds no other lock). A writer in another county or month never waits for it; a writer in the county being
rebuilt waits only for that county's step. Nothing is stored above the county, so the prefecture's and
province's figures follow from the county cells when read (each step gives its county a new stamp).
An event recorded meanwhile is counted exactly once: its transaction holds the county's month lock from
``apply`` to its commit, so either it commits before the step's scans start (they see it; READ COMMITTED takes
each statement's snapshot after the lock is granted) or its ``apply`` waits until the step has committed and
moves the rebuilt cells (the step could not see the uncommitted event). ``rebuild`` is the loop over the months.
"""

import secrets
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import F, Max, Min, Sum

from jianfu.audit.chain import chain_of
from jianfu.audit.services import lock_chain_head
from jianfu.core import progress
from jianfu.orgs.models import PREFIX_LENGTH, Level

from ..models import BurdenEvent, ClueReview, DepartmentRollup, MonthlyRollup, RollupStamp, Verdict
from ..selectors import STORED_ROLLUP_LEVELS

# Every level with figures (and a region one may rebuild); the findings' rollup still keeps a cell at each.
REGION_LEVELS = (Level.PROVINCE, Level.PREFECTURE, Level.COUNTY, Level.TOWNSHIP)
# The levels kept in MonthlyRollup: county, then township, the order their cells are locked in.
ROLLUP_LEVELS = STORED_ROLLUP_LEVELS
DEPARTMENT_LEVELS = (Level.COUNTY,)
MEASURES = ("events", "hours", "violations", "undecided")
# Advisory-lock keys: (namespace + yyyymm, county code), one lock per county and month.
LOCK_NAMESPACE = 23_000_000


def code_at(code: str, level: int) -> str:
    return code[: PREFIX_LENGTH[Level(level)]].ljust(12, "0")


def region_codes(village_code: str, levels=REGION_LEVELS) -> list[tuple[int, str]]:
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


def month_lock(month: date, county_code: str, *, shared: bool) -> None:
    """PostgreSQL: the county's month lock until the transaction ends (SQLite serialises writers anyway). The
    two-key form: its keys never meet the one-key ones other locks hash to (``partitions.lock_unique``)."""
    if connection.vendor != "postgresql":
        return
    function = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {function}(%s, %s)",
            [
                LOCK_NAMESPACE + month.year * 100 + month.month,
                int(county_code[: PREFIX_LENGTH[Level.COUNTY]]),
            ],
        )


def _add(model, key: dict, level: int, amounts: dict, sign: int) -> None:
    deltas = {name: F(name) + sign * value for name, value in amounts.items()}
    if not model.objects.filter(**key).update(**deltas):
        with transaction.atomic():  # a savepoint: a concurrent first insert of the cell wins, we update
            model.objects.select_for_update().get_or_create(level=level, **key)
        model.objects.filter(**key).update(**deltas)


def new_stamp() -> int:
    """A random stamp (40 bits: the sum of a province's stamps over two years stays far inside 64 bits)."""
    return secrets.randbits(40)


def stamp(county_code: str, month: date) -> None:
    """The county's month changed: a new stamp, so the prefecture and province sums cached over it are not read
    again (``selectors.rollup_cells``)."""
    key = {"region_code": county_code, "month": month}
    if not RollupStamp.objects.filter(**key).update(stamp=new_stamp()):
        with transaction.atomic():  # a savepoint: a concurrent first insert wins, we update after it
            RollupStamp.objects.get_or_create(**key, defaults={"stamp": new_stamp()})
        RollupStamp.objects.filter(**key).update(stamp=new_stamp())


def lock_county(region_code: str) -> None:
    """The audit chain head of the region's county, locked before any of its rollup cells (to commit; the audit
    record at the end of the service finds it held). Every service that moves an event's or a finding's cells
    comes through here, so each takes the head first and the cells after it: a finding's decision, which audits
    the finding before it moves its event's cells, and ``event_record``, which moves the cells before its audit
    record, cannot each hold what the other waits for. The head is the county's queue anyway (its writers all
    append to it), so taking it earlier costs a writer in another county nothing."""
    lock_chain_head(chain_of(region_code))


def lock_counties(region_codes: Iterable[str]) -> None:
    """The chain heads of the counties of ``region_codes``, all at once in code order (step 1 of the module's
    lock order). A service then holds them to commit; its later audit records and cells find them held."""
    for chain in sorted({chain_of(code) for code in region_codes}):
        lock_chain_head(chain)


def apply(event, amounts: dict | None, sign: int = 1) -> None:
    """Add (or with ``sign=-1`` take away) ``amounts`` in the event's cells; inside the caller's transaction."""
    if not amounts:
        return
    lock_county(event.region_code)
    month, county = event.occurred_on.replace(day=1), code_at(event.region_code, Level.COUNTY)
    month_lock(month, county, shared=True)  # after the head: a rebuild's step of this county waits, or we do
    for level, code in region_codes(event.region_code, ROLLUP_LEVELS):
        _add(MonthlyRollup, {"region_code": code, "month": month, "kind": event.kind}, level, amounts, sign)
    stamp(county, month)
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


def _upper(prefix: str) -> str:
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)  # digits only: '9' + 1 is ':' (as ``subtree_q``)


def _in_region(prefix: str, column: str = "region_code") -> tuple[str, list]:
    """A range on the indexed code, not a LIKE (which SQLite would not index); nothing for everything."""
    if not prefix:
        return "", []
    return f" AND {column} >= %s AND {column} < %s", [prefix, _upper(prefix)]


def _fill_from_events(cursor, month: date, prefix: str, target, level: int, keys: str) -> None:
    """``target``'s cells at ``level`` (county or township), per ``keys``, for the month under ``prefix``: one
    grouped scan of the month's counted events (of the region's codes when one is given), in the database."""
    substr = "substr" if connection.vendor == "sqlite" else "substring"
    n = PREFIX_LENGTH[Level(level)]
    where, params = _in_region(prefix)
    cursor.execute(
        f"INSERT INTO {target._meta.db_table} (region_code, level, month, {keys}, {', '.join(MEASURES)})"
        f" SELECT {substr}(region_code, 1, {n}) || '{'0' * (12 - n)}', {int(level)}, %s, {keys}, COUNT(*),"
        " COALESCE(SUM(hours), 0), SUM(CASE WHEN verdict = 'violation' THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN verdict = 'undecided' THEN 1 ELSE 0 END)"
        f" FROM {BurdenEvent._meta.db_table} WHERE occurred_on >= %s AND occurred_on < %s"
        f" AND review NOT IN (%s, %s){where} GROUP BY 1, {keys}",
        [month, month, _next_month(month), ClueReview.PENDING.value, ClueReview.DISMISSED.value] + params,
    )


def _fill_townships(cursor, month: date, prefix: str) -> None:
    """The township region cells of the month under ``prefix``, from its events (the counties' sum them)."""
    _fill_from_events(cursor, month, prefix, MonthlyRollup, Level.TOWNSHIP, "kind")


def _fill_from(cursor, month: date, prefix: str, target, level: int, source, below: int, keys: str) -> None:
    """``target``'s cells at ``level`` summed from ``source``'s cells at level ``below`` (same month, region)."""
    substr = "substr" if connection.vendor == "sqlite" else "substring"
    n = PREFIX_LENGTH[Level(level)]
    where, params = _in_region(prefix)
    cursor.execute(
        f"INSERT INTO {target._meta.db_table} (region_code, level, month, {keys}, {', '.join(MEASURES)})"
        f" SELECT {substr}(region_code, 1, {n}) || '{'0' * (12 - n)}', {int(level)}, month, {keys},"
        f" {', '.join(f'SUM({m})' for m in MEASURES)} FROM {source._meta.db_table}"
        f" WHERE month = %s AND level = %s{where} GROUP BY 1, 3, {keys}",
        [month, int(below)] + params,
    )


def _region(code: str | None):
    from jianfu.orgs.models import Region

    if not code:
        return "", Level.PROVINCE - 1  # everything: every level is rebuilt, no ancestor to adjust
    region = Region.objects.filter(code=code).first()
    if region is None or region.level not in REGION_LEVELS:
        raise ValueError(f"区划代码「{code}」不是省、市、县或乡镇级区划。")
    return region.prefix, int(region.level)


def rebuild_month(month: date, region_code: str | None = None) -> int:
    """Recompute one month's cells (all of them, or one region's subtree) from the events and replace them, one
    county at a time, each county's part in its own short transaction (``_rebuild_part``); returns the number of
    cells written. A township is one step in its county; a county one step; a prefecture, the province or
    everything one step per county, in code order. Nothing is stored above the county, so nothing is summed
    after the steps: the prefecture's and province's figures are the counties' cells summed when read."""
    month = month.replace(day=1)
    prefix, region_level = _region(region_code)
    if region_level >= Level.COUNTY:
        return _rebuild_part(month, prefix, region_level)
    return sum(_rebuild_part(month, county, Level.COUNTY) for county in _counties(month, prefix))


def _counties(month: date, prefix: str) -> list[str]:
    """The county prefixes to rebuild under ``prefix``: every county region there, and any county that holds
    county cells or a stamp of the month (its cells must go, even if its region is gone). Two index reads."""
    from jianfu.orgs.models import Region

    n = PREFIX_LENGTH[Level.COUNTY]
    regions = Region.objects.filter(level=Level.COUNTY)
    if prefix:
        regions = regions.filter(code__gte=prefix, code__lt=_upper(prefix))
    codes = set(regions.values_list("code", flat=True))
    for rows in (
        _slice(MonthlyRollup, month, prefix).filter(level=Level.COUNTY),
        _slice(RollupStamp, month, prefix),
    ):
        codes.update(rows.values_list("region_code", flat=True).distinct().order_by())
    return sorted({code[:n] for code in codes})


@transaction.atomic
def _rebuild_part(month: date, prefix: str, level: int) -> int:
    """One county's month (``level`` county) or one township's (``level`` township) in this one short
    transaction, holding the county's month lock and no other: delete the part's cells, two grouped scans of the
    county's events of the month — the township cells (the county's summed from them) and the county department
    cells (the whole county's even for a township: a township holds no department cells to sum them from) — then,
    for a township, its county's region cells summed again from its townships; a new stamp for the county.
    Returns the cells written in the part (its township and county cells, the county's department cells)."""
    county = prefix[: PREFIX_LENGTH[Level.COUNTY]]
    # the county's writers of the month wait until the part is replaced; no other writer waits
    month_lock(month, county, shared=False)
    _no_flush_wait()
    levels = [int(lv) for lv in ROLLUP_LEVELS if lv >= level]
    _slice(MonthlyRollup, month, prefix).filter(level__in=levels).delete()
    _slice(DepartmentRollup, month, county).delete()  # any level: township cells of older code too
    with connection.cursor() as cursor:
        _fill_townships(cursor, month, prefix)
        cells = max(cursor.rowcount, 0)
        if level == Level.COUNTY:
            _fill_from(
                cursor, month, prefix, MonthlyRollup, Level.COUNTY, MonthlyRollup, Level.TOWNSHIP, "kind"
            )
            cells += max(cursor.rowcount, 0)
        _fill_from_events(cursor, month, county, DepartmentRollup, Level.COUNTY, "department_id, kind")
        cells += max(cursor.rowcount, 0)
    held = cells > 0
    if level > Level.COUNTY:
        _resum_ancestors(month, prefix.ljust(12, "0"), level)
        held = MonthlyRollup.objects.filter(month=month, region_code=county.ljust(12, "0")).exists()
    _restamp(month, county, held=held)
    return cells


def _no_flush_wait() -> None:
    """PostgreSQL: this transaction's commit does not wait for its WAL to reach the disk (a county's step is one
    of a hundred commits in a province's rebuild). Safe here: a crash can lose only the last steps, as a
    consistent tail of the WAL (a later commit that waits flushes every earlier one), so the cells stay the ones
    the recovered events had; and a step can be run again."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")


def _slice(model, month: date, prefix: str):
    rows = model.objects.filter(month=month)
    return rows.filter(region_code__gte=prefix, region_code__lt=_upper(prefix)) if prefix else rows


def _resum_ancestors(month: date, code: str, level: int) -> None:
    """Each stored ancestor of the rebuilt region (its county) becomes the sum of its children's cells: a few
    dozen rows each, and right even if the region's old cells were not. (Department cells have no stored
    children: ``rebuild_month`` recomputed the county's from its events.)"""
    rollups: list[tuple[Any, tuple, tuple[str, ...]]] = [(MonthlyRollup, ROLLUP_LEVELS, ("kind",))]
    for model, levels, key in rollups:
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


def _restamp(month: date, county: str, *, held: bool) -> None:
    """A new stamp for the rebuilt county (``county``, its prefix) if it may hold cells, none if it holds none
    now: every sum cached over its old cells of the month is left behind. One statement either way."""
    code = county.ljust(12, "0")
    if not held:
        RollupStamp.objects.filter(month=month, region_code=code).delete()
        return
    RollupStamp.objects.bulk_create(
        [RollupStamp(region_code=code, month=month, stamp=new_stamp())],
        update_conflicts=True,
        unique_fields=["month", "region_code"],
        update_fields=["stamp"],
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
    """Recompute every month, county by county (``rebuild_month``), and the findings' cells (``finding_rollup``); returns
    the number of cells. A writer never waits for more than one county's step of one month."""
    cells = 0
    months = months_with_events()
    for n, month in enumerate(months, start=1):
        progress.stage(f"重算 {month:%Y-%m} 的汇总（{n}/{len(months)}）")
        cells += rebuild_month(month)
    from . import finding_rollup

    progress.stage("汇总问题")
    return cells + finding_rollup.rebuild()
