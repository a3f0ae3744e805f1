"""Reads of the lists: what applied where and when, history, and the items the classifier sees."""

from copy import copy
from datetime import date

from django.db import connection
from django.db.models import Case, Count, F, IntegerField, Prefetch, Q, When
from django.shortcuts import get_object_or_404

from jianfu.orgs.models import Level, Region, ancestor_codes_of

from .models import LEVEL_ORDER, ListItem, ListKind, ListStatus, WorkList, above_q

# Lists in the order the documents name them: duty, assist, negative, then the certificate lists.
KIND_ORDER = Case(*[When(kind=k, then=i) for i, k in enumerate(ListKind.values)], output_field=IntegerField())
# Items from the national layer first, so a lower level's copy of an item refines the one above it.
_ITEM_LEVEL_ORDER = F("work_list__region__level").asc(nulls_first=True)


def latest_issued(kind: str, region: Region) -> WorkList | None:
    return WorkList.objects.issued().filter(kind=kind, region=region).order_by("-version_no").first()


def lists_in_force(region: Region, on: date, kinds=None):
    """Every list that applied in the region on the date: the national layer (国家层面), then the province
    down to the region itself."""
    lists = WorkList.objects.in_force(region, on).select_related("region")
    if kinds:
        lists = lists.filter(kind__in=kinds)
    return lists.annotate(n_items=Count("items")).order_by(KIND_ORDER, LEVEL_ORDER, "pk")


def split_national(lists) -> tuple[list, list]:
    """The national layer apart from the lists a province, city or county issued (pages show them apart)."""
    lists = list(lists)
    return [w for w in lists if w.is_national], [w for w in lists if not w.is_national]


def items_in_force(region: Region, on: date, kinds=None):
    """The items of the lists in force; where a lower level refines an item (same code), the lower one wins."""
    lists = list(lists_in_force(region, on, kinds))
    items = ListItem.objects.filter(work_list__in=lists).select_related("work_list__region")
    chosen: dict[tuple, ListItem] = {}
    for item in items.order_by(_ITEM_LEVEL_ORDER, "position"):
        if item.work_list.kind != ListKind.NEGATIVE:
            chosen[(item.work_list_id, item.code)] = item
            continue
        upper = chosen.get((ListKind.NEGATIVE, item.code))
        chosen[(ListKind.NEGATIVE, item.code)] = _refined(upper, item) if upper else item
    return list(chosen.values())


def _refined(upper: ListItem, lower: ListItem) -> ListItem:
    """A lower level's copy of an upper negative item adds examples; it never drops ones added above later."""
    merged = copy(lower)
    merged.content = upper.content
    merged.examples = list(upper.examples) + [e for e in lower.examples if e not in upper.examples]
    return merged


def upper_negative_items(region: Region, on: date) -> list[ListItem]:
    """Negative items the region's own negative list must keep: the national layer's and those issued above
    it, in force on the date ("只增不减")."""
    lists = WorkList.objects.in_force(region, on).filter(
        above_q(region, include_own=False), kind=ListKind.NEGATIVE
    )
    items = ListItem.objects.filter(work_list__in=lists).select_related("work_list__region")
    chosen: dict[str, ListItem] = {}
    for item in items.order_by(_ITEM_LEVEL_ORDER, "position"):
        chosen[item.code] = _refined(chosen[item.code], item) if item.code in chosen else item
    return list(chosen.values())


def worklist_get(user, pk: int) -> WorkList:
    return get_object_or_404(WorkList.objects.visible_to(user).select_related("region", "previous"), pk=pk)


def public_worklist_get(pk: int) -> WorkList:
    return get_object_or_404(WorkList.objects.issued().select_related("region", "previous"), pk=pk)


def worklist_items(work_list: WorkList, query: str = ""):
    items = work_list.items.all()
    if query:
        items = items.filter(
            Q(content__contains=query) | Q(code__icontains=query) | Q(category__contains=query)
        )
    return items.order_by("position", "code")


def worklist_history(work_list: WorkList):
    """All versions of the same list (kind and issuing region), newest first."""
    return WorkList.objects.filter(kind=work_list.kind, region=work_list.region).order_by("-version_no")


def drafts_for(user):
    if not user.is_authenticated:
        return WorkList.objects.none()
    drafts = WorkList.objects.visible_to(user).filter(status=ListStatus.DRAFT).select_related("region")
    return drafts.annotate(n_items=Count("items"))


def staff_lists(user, on: date):
    """For the catalog home: lists in force at the user's primary region, plus drafts they can see."""
    assignment = user.primary_assignment
    region = assignment.region if assignment else user.home_region
    return lists_in_force(region, on), drafts_for(user), region


def counties_for_public():
    """Counties whose residents can look up the lists in force (public page's region picker)."""
    return Region.objects.filter(level=Level.COUNTY, is_active=True).order_by("code")


def public_lists_version(code: str, on: date) -> tuple:
    """What the public lists page shows, as data that changes whenever the page would (its cache version,
    core.pagecache): the counties in the picker (how many, the newest, the first, which is the default), whether
    the chosen region is active, and every list in force there with its revision (each edit, publication or
    retirement bumps it), state and end date.

    It runs on every anonymous view of the page, so it is two plain SQL statements (the ORM would cost more
    than the rest of a cached answer); the conditions are those of ``counties_for_public`` and
    ``WorkList.objects.in_force``."""
    region, work_list = Region._meta.db_table, WorkList._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*), MAX(id), MIN(code) FROM {region} WHERE level = %s AND is_active",  # noqa: S608
            [Level.COUNTY],
        )
        counties = tuple(cursor.fetchone())
        code = code or counties[2] or ""
        codes = ancestor_codes_of(code)
        marks = ", ".join(["%s"] * len(codes))
        cursor.execute(
            f"SELECT w.id, w.revision, w.status, w.effective_to FROM {work_list} w"  # noqa: S608
            f" LEFT JOIN {region} r ON r.id = w.region_id"
            f" WHERE EXISTS (SELECT 1 FROM {region} a WHERE a.code = %s AND a.is_active)"
            f" AND w.status <> %s AND (w.region_id IS NULL OR r.code IN ({marks}))"
            " AND w.effective_from <= %s AND (w.effective_to IS NULL OR w.effective_to >= %s) ORDER BY w.id",
            [code, ListStatus.DRAFT, *codes, on, on],
        )
        lists = tuple(tuple(row) for row in cursor.fetchall())
    return (counties, code, lists)


def with_items(lists):
    return lists.prefetch_related(Prefetch("items", queryset=ListItem.objects.order_by("position", "code")))


# --- people's judgements of the classifier ---------------------------------------------------------------


def corrections_for(user):
    from .models import VerdictCorrection

    return VerdictCorrection.objects.visible_to(user).select_related(
        "county", "region", "item__work_list", "requested_by", "decided_by"
    )


def agreement_by_month(corrections) -> list[dict]:
    """Per month of decision: verdicts a person judged, how many they changed, and the classifier's agreement
    rate (judged and left as they were / judged), oldest first."""
    from django.db.models.functions import TruncMonth

    from .models import CorrectionStatus

    rows = (
        corrections.filter(status=CorrectionStatus.DECIDED)
        .annotate(month=TruncMonth("decided_at"))
        .values("month", "original_verdict", "corrected_verdict")
    )
    months: dict = {}
    for row in rows:
        month = row["month"].date() if hasattr(row["month"], "date") else row["month"]
        entry = months.setdefault(month, {"month": month, "judged": 0, "changed": 0})
        entry["judged"] += 1
        entry["changed"] += row["original_verdict"] != row["corrected_verdict"]
    result = []
    for month in sorted(months):
        entry = months[month]
        entry["agreement"] = round(1 - entry["changed"] / entry["judged"], 3)
        result.append(entry)
    return result
