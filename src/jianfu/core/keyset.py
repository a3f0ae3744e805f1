"""Lists that do not grow with the data: seek ("keyset") paging over a newest-first ``(date, id)`` order.

A page is the rows after a cursor, the date and id of the last row the previous page showed ("更早的记录"), so
the 2,000th page costs what the first costs (a walk down an index matching the order), where COUNT + OFFSET
counts every row and reads and throws away all the rows before the page. The total is counted up to a bound:
"共 N 条" for a list shorter than ``COUNT_LIMIT``, "超过 N 条" beyond it. The queryset must be ordered by
``-date_field, -id``, with an index in that order.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet

PAGE_SIZE = 50
COUNT_LIMIT = 10_000
PARAM = "before"


@dataclass
class KeysetPage:
    object_list: list
    is_first: bool
    next_cursor: str  # empty on the last page
    total: int  # capped at COUNT_LIMIT
    total_capped: bool

    @property
    def has_next(self) -> bool:
        return bool(self.next_cursor)

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or not self.is_first

    def __iter__(self) -> Iterator:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)


def parse_cursor(value: str) -> tuple[date, int] | None:
    """``2025-03-01.12345`` → (day, id); anything else (a hand-edited address) → None: the first page."""
    day, _, pk = (value or "").partition(".")
    try:
        return date.fromisoformat(day), int(pk)
    except ValueError:
        return None


def after(date_field: str, cursor: tuple[date, int]) -> Q:
    """Rows that come after the cursor in the newest-first order. The date bound comes first and alone, so the
    database seeks to it in the index; only the cursor's own day is sorted out by id."""
    day, pk = cursor
    return Q(**{f"{date_field}__lte": day}) & (Q(**{f"{date_field}__lt": day}) | Q(pk__lt=pk))


def keyset_page(
    request, queryset: QuerySet, *, date_field: str, per_page: int = PAGE_SIZE, count_limit: int | None = None
) -> KeysetPage:
    count_limit = count_limit or COUNT_LIMIT
    cursor = parse_cursor(request.GET.get(PARAM, ""))
    # The first count_limit + 1 ids in order: the total (capped) and, on the first page, the page itself, in one
    # walk down the index; a later page seeks past its cursor.
    ids = list(queryset.values_list("pk", flat=True)[: max(count_limit, per_page) + 1])
    total = min(len(ids), count_limit + 1)
    if cursor:
        rows = list(queryset.filter(after(date_field, cursor))[: per_page + 1])
    else:
        by_id = queryset.in_bulk(ids[: per_page + 1])
        rows = [by_id[pk] for pk in ids[: per_page + 1]]
    more, rows = len(rows) > per_page, rows[:per_page]
    last = rows[-1] if rows else None
    return KeysetPage(
        object_list=rows,
        is_first=cursor is None,
        next_cursor=f"{getattr(last, date_field).isoformat()}.{last.pk}" if more and last else "",
        total=min(total, count_limit),
        total_capped=total > count_limit,
    )
