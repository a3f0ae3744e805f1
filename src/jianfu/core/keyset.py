"""Lists that do not grow with the data: seek ("keyset") paging over a newest-first ``(date, id)`` order.

A page is the rows after a cursor, the date and id of the last row the previous page showed ("更早的记录"), so
the 2,000th page costs what the first costs (a walk down an index matching the order), where COUNT + OFFSET
counts every row and reads and throws away all the rows before the page. The total is counted up to a bound:
"共 N 条" for a list shorter than ``COUNT_LIMIT``, "超过 N 条" beyond it. The queryset must be ordered by
``-date_field, -id`` (or ``-id`` alone: the audit trail's sequence), with an index in that order; "较新的记录"
walks the same index the other way from the first row shown.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from django.db.models import BooleanField, F, Q, QuerySet, Value
from django.db.models.expressions import Expression

PAGE_SIZE = 50
COUNT_LIMIT = 10_000
# A text-searched list is counted to a lower bound: counting 10,001 matches of a frequent phrase means testing
# ≈ 50,000 rows (≈ 170 ms on PostgreSQL at 1M events, docs/scale.md), where the page itself takes 15 ms; "超过
# 1,000 条" tells the person to narrow the search as well as "超过 10,000 条" would.
SEARCH_COUNT_LIMIT = 1_000
PARAM = "before"  # the older pages ("更早的记录"): rows after the cursor in the newest-first order
NEWER = "after"  # back towards the newest ("较新的记录"): rows before the cursor in that order


@dataclass
class KeysetPage:
    object_list: list
    is_first: bool
    next_cursor: str  # empty on the last page
    total: int  # capped at COUNT_LIMIT
    total_capped: bool
    previous_cursor: str = ""  # the newer page's cursor; empty on the first page

    @property
    def has_next(self) -> bool:
        return bool(self.next_cursor)

    @property
    def has_previous(self) -> bool:
        return bool(self.previous_cursor)

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or not self.is_first

    def __iter__(self) -> Iterator:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)


def parse_cursor(value: str, *, dated: bool = True) -> tuple[date | None, int] | None:
    """``2025-03-01.12345`` → (day, id), or ``12345`` → (None, id) for a list in id order alone (``dated``
    False); anything else (a hand-edited address) → None: the first page."""
    day, _, pk = (value or "").rpartition(".") if dated else ("", "", value or "")
    try:
        return (date.fromisoformat(day) if dated else None), int(pk)
    except ValueError:
        return None


class RowCompare(Expression):
    """``(a, b) < (x, y)`` (or ``>``, ``>=``): a row-value comparison, written as one on PostgreSQL and SQLite (≥ 3.15).

    Django 5.2's tuple lookups write the OR-ed form on SQLite (``supports_tuple_lookups`` is off there), and
    the OR-ed form ``a < x OR (a = x AND b < y)`` is not one index bound: PostgreSQL then starts each
    partition's index scan at the cursor's day and filters every row of that day with a larger id — a day
    holds more rows the more events there are, so page 2,000 grew with the table (docs/scale.md). A row
    comparison on the leading columns of ``event_recent`` (``occurred_on DESC, id DESC``) is one index
    condition: each scan starts exactly at the cursor."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, left: list, op: str, right: list):
        if op not in ("<", ">", ">=") or len(left) != len(right):
            raise ValueError("RowCompare: <, > or >= between rows of equal length")
        super().__init__()
        self.left, self.op, self.right = list(left), op, list(right)

    def get_source_expressions(self):
        return [*self.left, *self.right]

    def set_source_expressions(self, exprs):
        self.left, self.right = list(exprs[: len(self.left)]), list(exprs[len(self.left) :])

    def as_sql(self, compiler, connection):
        sides, params = [], []
        for row in (self.left, self.right):
            parts = []
            for expression in row:
                sql, more = compiler.compile(expression)
                parts.append(sql)
                params.extend(more)
            sides.append("(" + ", ".join(parts) + ")")
        return f"{sides[0]} {self.op} {sides[1]}", params


def _by_month(queryset: QuerySet, date_field: str, older: tuple | None, need: int) -> list:
    """The first ``need`` rows of ``queryset`` after the cursor (or from the newest), asked one calendar month
    at a time, newest month first, stopping when enough are found. A text search over monthly partitions
    then reads one partition's matches per step (its trigram index, its own sort) instead of every
    partition's matches merged and sorted for 50 rows: a rare phrase at 1M events took 249 ms over the whole
    range and 25 ms this way (bench_pg_scale, docs/scale.md). The months span the whole table's dates."""
    from django.db.models import Max, Min

    span = queryset.model._default_manager.aggregate(first=Min(date_field), last=Max(date_field))
    if span["first"] is None:
        return []
    if older:
        queryset = queryset.filter(after(date_field, older))
    start = older[0] if older else span["last"]
    month, upper = start.replace(day=1), None
    rows: list = []
    while month >= span["first"].replace(day=1) and len(rows) < need:
        window = {f"{date_field}__gte": month} | ({f"{date_field}__lt": upper} if upper else {})
        rows += list(queryset.filter(**window)[: need - len(rows)])
        upper = month
        month = date(month.year - (month.month == 1), (month.month - 2) % 12 + 1, 1)
    return rows


_LOOKUP = {"<": "lt", ">": "gt", ">=": "gte"}


def _bound(date_field: str | None, cursor: tuple[date | None, int], op: str) -> Q:
    day, pk = cursor
    if date_field is None:  # a list in id order alone (the audit trail): one column, one index bound
        return Q(**{f"pk__{_LOOKUP[op]}": pk})
    row = RowCompare([F(date_field), F("pk")], op, [Value(day), Value(pk)])
    # The date bound alone as well: PostgreSQL prunes the monthly partitions on it (it does not prune on a
    # row comparison), so the months the cursor is past are not in the plan at all.
    return Q(**{f"{date_field}__{'lte' if op == '<' else 'gte'}": day}) & Q(row)


def up_to(date_field: str, cursor: tuple[date, int]) -> Q:
    """Rows from the newest down to the cursor, the cursor's own row included: ``(date, id) >= (day, pk)``."""
    return _bound(date_field, cursor, ">=")


def after(date_field: str | None, cursor: tuple[date | None, int]) -> Q:
    """Rows that come after the cursor in the newest-first order: ``(date, id) < (day, pk)``."""
    return _bound(date_field, cursor, "<")


def before(date_field: str | None, cursor: tuple[date | None, int]) -> Q:
    """Rows that come before the cursor in the newest-first order (the newer pages): ``(date, id) > (day, pk)``."""
    return _bound(date_field, cursor, ">")


def _cursor(row, date_field: str | None) -> str:
    return f"{getattr(row, date_field).isoformat()}.{row.pk}" if date_field else str(row.pk)


def keyset_page(
    request,
    queryset: QuerySet,
    *,
    date_field: str | None,
    per_page: int = PAGE_SIZE,
    count_limit: int | None = None,
    by_month: bool = False,
) -> KeysetPage:
    """One page of ``queryset``, ordered by ``-date_field, -id`` (or ``-id`` alone when ``date_field`` is
    None), after the request's cursor. ``by_month``: read the older rows one calendar month at a time, newest
    first, until the page is full (``_by_month``; for a text search)."""
    count_limit = count_limit or COUNT_LIMIT
    dated = date_field is not None
    older = parse_cursor(request.GET.get(PARAM, ""), dated=dated)
    newer = None if older else parse_cursor(request.GET.get(NEWER, ""), dated=dated)
    # The total, counted up to the bound without the list's order: the database reads whichever count_limit + 1
    # matching rows are cheapest (a stretch of one partition for a wide list; a region's index for a narrow
    # one) instead of merging every monthly partition's index in order and fetching each row (measured in
    # bench_partitions: ≈ 75 ms of a 90 ms page at 1M events).
    total = queryset.order_by().values("pk")[: max(count_limit, per_page) + 1].count()
    if by_month and date_field and not newer:
        rows = _by_month(queryset, date_field, older, per_page + 1)
        more, rows = len(rows) > per_page, rows[:per_page]
        newer_rows = bool(older)
    elif older:
        rows = list(queryset.filter(after(date_field, older))[: per_page + 1])
        more, rows = len(rows) > per_page, rows[:per_page]
        newer_rows = True
    elif newer:
        # The page just newer than the cursor: walk the same index the other way from the cursor, then turn
        # the rows back into newest-first order. Older rows exist (the cursor's own row at least).
        rows = list(queryset.filter(before(date_field, newer)).reverse()[: per_page + 1])
        newer_rows, rows = len(rows) > per_page, rows[:per_page][::-1]
        more = bool(rows)
    else:
        rows = list(queryset[: per_page + 1])
        more, rows = len(rows) > per_page, rows[:per_page]
        newer_rows = False
    return KeysetPage(
        object_list=rows,
        is_first=not newer_rows,
        next_cursor=_cursor(rows[-1], date_field) if more and rows else "",
        total=min(total, count_limit),
        total_capped=total > count_limit,
        previous_cursor=_cursor(rows[0], date_field) if newer_rows and rows else "",
    )
