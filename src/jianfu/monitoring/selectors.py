"""Scoped reads for 减负监测: points, events and clues, bulletins, and who may see a clue's reporter."""

from datetime import date

from django.db.models import CharField, Q, Sum, Value
from django.db.models.functions import Concat, Substr
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from jianfu.core import keyset, textsearch
from jianfu.core.registry import HomeTask
from jianfu.orgs import access
from jianfu.orgs.models import PREFIX_LENGTH, Department, Level, Region, subtree_q
from jianfu.orgs.roles import Capability

from .models import (
    EVENT_TEXT,
    FINDING_TEXT,
    VIEW_CAPABILITIES,
    Bulletin,
    BulletinEntry,
    BulletinStatus,
    BurdenEvent,
    ClueReview,
    EventKind,
    Finding,
    FindingRollup,
    FindingSource,
    FindingState,
    MonitorAssignment,
    MonitoringPoint,
    MonthlyRollup,
    Origin,
    RectificationStatus,
    RollupStamp,
    Verdict,
)


def may_view(user) -> bool:
    return bool(access.region_prefixes(user, *VIEW_CAPABILITIES))


def may_record(user) -> bool:
    return user.is_authenticated and user.has_capability(Capability.MONITORING_RECORD)


def may_report(user) -> bool:
    return user.is_authenticated and user.has_capability(Capability.MONITORING_REPORT)


def may_publish(user) -> bool:
    return bool(access.region_prefixes(user, Capability.MONITORING_PUBLISH))


def may_see_bulletins(user) -> bool:
    return (
        may_view(user) or may_record(user) or bool(access.department_ids(user, Capability.MONITORING_RECTIFY))
    )


def may_manage(user) -> bool:
    return bool(access.region_prefixes(user, Capability.MONITORING_MANAGE))


def home_region(user) -> Region | None:
    """The widest region where the user views monitoring (their dashboard's default)."""
    prefixes = access.region_prefixes(user, *VIEW_CAPABILITIES)
    if not prefixes:
        return None
    shortest = min(prefixes, key=len)
    return Region.objects.filter(code=shortest.ljust(12, "0")).first()


def visible_region(user, code: str) -> Region:
    """A region inside the user's viewing scope, else 404."""
    return get_object_or_404(
        Region.objects.filter(subtree_q(access.region_prefixes(user, *VIEW_CAPABILITIES))),
        code=code,
        is_active=True,
    )


# Points ------------------------------------------------------------------------------------------------


def points(user):
    return (
        MonitoringPoint.objects.visible_to(user)
        .select_related("village")
        .prefetch_related("assignments__monitor")
    )


def served_points(user) -> list[MonitoringPoint]:
    """The points this monitor serves (active designations only)."""
    if not user.is_authenticated:
        return []
    return list(
        MonitoringPoint.objects.filter(is_active=True, assignments__monitor=user, assignments__is_active=True)
        .select_related("village")
        .distinct()
    )


def point(user, pk: int) -> MonitoringPoint:
    return get_object_or_404(points(user), pk=pk)


def assignment(user, pk: int) -> MonitorAssignment:
    return get_object_or_404(MonitorAssignment.objects.filter(point__in=points(user)), pk=pk)


def monitors_for(point_obj: MonitoringPoint):
    """Users with the monitor role whose region covers the point."""
    from jianfu.orgs.models import User
    from jianfu.orgs.roles import Role

    codes = [point_obj.village.code[:n].ljust(12, "0") for n in (2, 4, 6, 9, 12)]
    return User.objects.filter(
        is_active=True, role_assignments__role=Role.MONITOR, role_assignments__region__code__in=codes
    ).distinct()


def reporting_villages(user) -> list[Region]:
    """Villages the user may report a clue for: their own village(s); a county monitor, the points served."""
    prefixes = access.region_prefixes(user, Capability.MONITORING_REPORT)
    villages = list(
        Region.objects.filter(subtree_q([p for p in prefixes if len(p) == 12]), level=Level.VILLAGE)
    )
    return villages or [p.village for p in served_points(user)]


def source_departments(village: Region):
    """Departments that may push work down to a village: those of its county and every level above, and its
    township's government."""
    codes = [village.code[:n].ljust(12, "0") for n in (2, 4, 6, 9)]
    county = village.code[:6]
    return Department.objects.filter(
        Q(region__code__in=codes)
        | (subtree_q([county], "region__code") & Q(region__level__lte=Level.TOWNSHIP)),
        is_active=True,
    ).order_by("region__level", "name")


# Events ------------------------------------------------------------------------------------------------

FILTERS = ("region", "kind", "department", "verdict", "month", "year", "origin", "review", "q")


def parse_filters(data) -> dict:
    return {key: (data.get(key) or "").strip() for key in FILTERS}


# A search of three characters or more is answered by the trigram index over the whole scope
# (core.textsearch). One or two characters give a trigram index nothing to look up, so such a search reads at
# most this many of the newest events the other filters leave: the list says so, and a year, a month or a
# region reaches further back.
SEARCH_WINDOW = 50_000


def events(user, filters: dict | None = None):
    """The events the user sees, narrowed by the dashboards' filters (every figure links here), newest first."""
    return events_and_window(user, filters)[0]


def events_and_window(user, filters: dict | None = None, *, newest_first: bool = False) -> tuple:
    """``events`` and, when its text search was bounded to the newest SEARCH_WINDOW events, that number.
    ``newest_first``: for the list page, which reads a page down the ``event_recent`` index."""
    qs = BurdenEvent.objects.visible_to(user, newest_first=newest_first).select_related(
        "village", "department"
    )
    f = filters or {}
    if f.get("region"):
        qs = qs.filter(subtree_q([_prefix(f["region"])], "region_code", newest_first=newest_first))
    if f.get("kind") in EventKind.values:
        qs = qs.filter(kind=f["kind"])
    if (f.get("department") or "").isdigit():
        qs = qs.filter(department_id=int(f["department"]))
    if f.get("verdict") in Verdict.values:
        qs = qs.filter(verdict=f["verdict"])
    if f.get("origin") in Origin.values:
        qs = qs.filter(origin=f["origin"])
    if f.get("review") in (ClueReview.PENDING, ClueReview.ACCEPTED, ClueReview.DISMISSED):
        qs = qs.filter(review=f["review"])
    start, end = _period(f)
    if start:
        qs = qs.filter(occurred_on__gte=start, occurred_on__lt=end)
    qs = qs.order_by("-occurred_on", "-id")
    if not f.get("q"):
        return qs, 0
    return _search(qs, EVENT_TEXT, f["q"])


def _search(qs, index: textsearch.TextIndex, query: str) -> tuple:
    """``qs`` (ordered newest first) narrowed to rows containing ``query``, and the window searched: 0 when
    the trigram index answered over all of ``qs``; for a one- or two-character query (which no trigram index
    answers) the newest SEARCH_WINDOW rows only, and SEARCH_WINDOW when there were more (the page says so)."""
    if textsearch.indexed(query):
        return textsearch.matching(qs, index, query), 0
    edge = list(qs.values_list("occurred_on", "pk")[SEARCH_WINDOW - 1 : SEARCH_WINDOW])
    if not edge:
        return textsearch.matching(qs, index, query), 0
    newest = qs.filter(keyset.up_to("occurred_on", edge[0]))  # one index bound, like the pages' seek
    return textsearch.matching(newest, index, query), SEARCH_WINDOW


def counted_events(user, filters: dict | None = None):
    return events(user, filters).counted()


def _prefix(code: str) -> str:
    region = Region.objects.filter(code=code).first()
    return region.prefix if region else code


def _period(f: dict) -> tuple[date | None, date | None]:
    month, year = f.get("month", ""), f.get("year", "")
    try:
        if month:
            y, m = (int(x) for x in month.split("-"))
            return date(y, m, 1), date(y + m // 12, m % 12 + 1, 1)
        if year:
            return date(int(year), 1, 1), date(int(year) + 1, 1, 1)
    except ValueError:
        pass
    return None, None


def event(user, pk: int) -> BurdenEvent:
    return get_object_or_404(
        BurdenEvent.objects.visible_to(user).select_related("village", "department", "reporter"), pk=pk
    )


def my_clues(user):
    return (
        BurdenEvent.objects.filter(reporter=user)
        .exclude(origin=Origin.MONITOR)
        .select_related("village", "department")
        .order_by("-created_at")
    )


def pending_clues(user):
    if not may_publish(user):
        return BurdenEvent.objects.none()
    return events(user).filter(review=ClueReview.PENDING)


def pending_clue_count(user) -> int:
    """How many clues wait for the user, counted once a request: the home page's card and its task list both show
    it, and each count plans every month's partition of the events (#23). Kept on the request's user object."""
    if not hasattr(user, "_pending_clue_count"):
        user._pending_clue_count = pending_clues(user).count()
    return user._pending_clue_count


def reporter_label(event_obj: BurdenEvent, user) -> str:
    """Who reported it, as this user may see it. A clue's reporter is shown only to the reporter and the
    inspector (and never when anonymous); a department never sees any reporter or recorder."""
    if user.is_authenticated and event_obj.reporter_id == user.pk:
        return f"{user.full_name}（本人）" + ("，匿名" if event_obj.anonymous else "")
    if access.department_ids(user, Capability.MONITORING_RECTIFY) and not access.region_prefixes(
        user, *VIEW_CAPABILITIES
    ):
        return "（不向被反映单位显示）"
    if event_obj.origin == Origin.MONITOR:
        return event_obj.reporter.full_name
    if event_obj.anonymous:
        return "匿名反映"
    if user.can(Capability.MONITORING_PUBLISH, event_obj.village):
        return event_obj.reporter.full_name
    return "（仅纪检监察人员可见）"


# Bulletins ---------------------------------------------------------------------------------------------


def bulletins(user):
    return Bulletin.objects.visible_to(user).select_related("region").order_by("-created_at")


def bulletin(user, pk: int) -> Bulletin:
    return get_object_or_404(bulletins(user), pk=pk)


def entries_for(user, bulletin_obj: Bulletin):
    """A department sees its own entries only; everyone else who sees the bulletin sees them all."""
    entries = bulletin_obj.entries.select_related("department").prefetch_related("findings__village")
    if not access.region_prefixes(user, *VIEW_CAPABILITIES, Capability.MONITORING_RECORD):
        entries = entries.filter(department_id__in=access.department_ids(user, Capability.MONITORING_RECTIFY))
    return entries


def entry(user, pk: int) -> BulletinEntry:
    visible = Bulletin.objects.visible_to(user).values("pk")
    found = get_object_or_404(
        BulletinEntry.objects.select_related("bulletin__region", "department").filter(bulletin__in=visible),
        pk=pk,
    )
    if not access.region_prefixes(user, *VIEW_CAPABILITIES, Capability.MONITORING_RECORD):
        if found.department_id not in access.department_ids(user, Capability.MONITORING_RECTIFY):
            from django.http import Http404

            raise Http404
    return found


def home_card(user) -> dict | None:
    """What the home page shows this user about 减负监测; None hides the card."""
    if not user.is_authenticated:
        return None
    card = {}
    if may_record(user):
        card["points"] = served_points(user)
    if may_view(user):
        card["events"], card["violations"] = _year_so_far(user)
    if may_publish(user):
        card["pending_clues"] = pending_clue_count(user)
    departments = access.department_ids(user, Capability.MONITORING_RECTIFY)
    if departments:
        card["to_rectify"] = BulletinEntry.objects.filter(
            department_id__in=departments,
            bulletin__status=BulletinStatus.PUBLISHED,
            status=RectificationStatus.PENDING,
        ).count()
    if may_report(user):
        card["can_report"] = True
    return card or None


# the level a region prefix names, for the levels that have rollup cells (a village has none)
ROLLUP_LEVEL_OF_PREFIX = {n: Level(level) for level, n in PREFIX_LENGTH.items() if level != Level.VILLAGE}


def _year_so_far(user) -> tuple[int, int]:
    """This year's counted events and violations the user sees, for the home card. A user who sees regions only
    (the usual case) reads them from the rollup of each region they hold (a village its own events): the same
    figures as counting the events, without reading a province's year of them (#23: two counts of every event
    of the year on every home page). A department's or a reporter's wider view is counted from the events."""
    today = timezone.localdate()
    year_start = today.replace(month=1, day=1)
    prefixes = sorted(access.region_prefixes(user, *VIEW_CAPABILITIES))
    prefixes = [p for p in prefixes if not any(p != q and p.startswith(q) for q in prefixes)]
    wider = access.department_ids(user, Capability.MONITORING_RECTIFY) or any(
        not r.startswith(tuple(prefixes)) for r in access.region_prefixes(user, Capability.MONITORING_REPORT)
    )
    if wider or not all(len(p) in ROLLUP_LEVEL_OF_PREFIX or len(p) == 12 for p in prefixes):
        seen = BurdenEvent.objects.visible_to(user).counted().filter(occurred_on__gte=year_start)
        return seen.count(), seen.filter(verdict=Verdict.VIOLATION).count()
    events = violations = 0
    for prefix in prefixes:
        if len(prefix) == 12:  # a village: its own few events
            own = BurdenEvent.objects.counted().filter(region_code=prefix, occurred_on__gte=year_start)
            events += own.count()
            violations += own.filter(verdict=Verdict.VIOLATION).count()
            continue
        for cell in rollup_cells(ROLLUP_LEVEL_OF_PREFIX[len(prefix)], prefix, first=year_start):
            events += cell["e"] or 0
            violations += cell["v"] or 0
    return events, violations


# Findings ----------------------------------------------------------------------------------------------------

FINDING_FILTERS = ("state", "source", "department", "rule", "region", "year", "month", "q")


def parse_finding_filters(data) -> dict:
    return {key: (data.get(key) or "").strip() for key in FINDING_FILTERS}


def findings(user, filters: dict | None = None):
    """The findings the user sees, narrowed by the queue's and the figures' filters, newest first."""
    return findings_and_window(user, filters)[0]


def findings_and_window(user, filters: dict | None = None, *, newest_first: bool = False) -> tuple:
    """``findings`` and, when its text search was bounded to the newest SEARCH_WINDOW findings, that number.
    ``newest_first``: for the queue page, which reads a page down the ``finding_recent`` index."""
    qs = Finding.objects.visible_to(user, newest_first=newest_first).select_related("village", "department")
    f = filters or {}
    if f.get("state") == "violations":
        qs = qs.violations()
    elif f.get("state") in FindingState.values:
        qs = qs.filter(state=f["state"])
    if f.get("source") in FindingSource.values:
        qs = qs.filter(source=f["source"])
    if f.get("department") == "none":
        qs = qs.filter(department__isnull=True)
    elif (f.get("department") or "").isdigit():
        qs = qs.filter(department_id=int(f["department"]))
    if f.get("rule"):
        qs = qs.filter(rule=f["rule"])
    if f.get("region"):
        qs = qs.filter(subtree_q([_prefix(f["region"])], "region_code", newest_first=newest_first))
    start, end = _period(f)
    if start:
        qs = qs.filter(occurred_on__gte=start, occurred_on__lt=end)
    qs = qs.order_by("-occurred_on", "-id")
    if not f.get("q"):
        return qs, 0
    return _search(qs, FINDING_TEXT, f["q"])


def finding(user, pk: int) -> Finding:
    return get_object_or_404(Finding.objects.visible_to(user).select_related("village", "department"), pk=pk)


def finding_departments(user):
    """Departments named by the findings the user sees (the queue's department filter): from the findings'
    rollup of the user's regions for a user who sees regions only (``_rollup_regions``), else from the findings
    (#23: a province's 200,000 findings were read for their departments on every queue page)."""
    codes = _rollup_regions(user)
    if codes is not None:
        ids = (
            FindingRollup.objects.filter(region_code__in=codes, findings__gt=0)
            .exclude(department_id=0)
            .values("department_id")
        )
    else:
        ids = Finding.objects.visible_to(user).exclude(department=None).values("department_id")
    return Department.objects.filter(pk__in=ids).order_by("name")


def _rollup_regions(user) -> list[str] | None:
    """The codes of the regions whose findings' rollup holds exactly what the user sees, or None: a user who sees
    regions only (no department's view), each a township or above (a village has no rollup cell)."""
    prefixes = access.region_prefixes(user, *VIEW_CAPABILITIES)
    if (
        prefixes
        and all(len(p) in ROLLUP_LEVEL_OF_PREFIX for p in prefixes)
        and not access.department_ids(user, Capability.MONITORING_RECTIFY)
    ):
        return [p.ljust(12, "0") for p in prefixes]
    return None


def finding_rules(user) -> list[str]:
    """The rules the user's findings name (the queue's rule filter). A user who sees regions only, each a township
    or above, reads them from the findings' rollup of those regions (a province's 200,000 findings were read for
    a few dozen rules on every queue page, #23); anyone else from the findings."""
    codes = _rollup_regions(user)
    if codes is not None:
        rows = (
            FindingRollup.objects.filter(region_code__in=codes, findings__gt=0)
            .exclude(rule="")
            .values_list("rule", flat=True)
            .order_by()
            .distinct()
        )
        return sorted(set(rows))
    # no order: the model's order would join DISTINCT and hand back every finding
    rows = (
        Finding.objects.visible_to(user).exclude(rule="").values_list("rule", flat=True).order_by().distinct()
    )
    return sorted(set(rows))


def department_choices(finding_obj: Finding):
    """The departments the inspector may name for the finding: the candidates first, then the county's."""
    from .services import county_departments

    departments = list(county_departments(finding_obj.village).select_related("region").order_by("name"))
    first = set(finding_obj.department_candidates or [])
    return sorted(departments, key=lambda d: (d.pk not in first, d.name))


def listed_items(finding_obj: Finding) -> list:
    """For a finding the classifier judged: the items of the county's lists in force the work may fall under
    when it is not a violation (duty and assist items for work, allowed certificates for a certificate), for the
    inspector's 不认定 to name; [] for a finding checked another way."""
    from jianfu.catalog.classify import county_of
    from jianfu.catalog.corrections import item_choices
    from jianfu.catalog.models import ListKind

    from .verdicts import classifier_mode

    mode = classifier_mode(finding_obj)
    county = county_of(finding_obj.village)
    if mode is None or county is None:
        return []
    kinds = {"work": (ListKind.DUTY, ListKind.ASSIST), "certificate": (ListKind.CERT_ALLOWED,)}[mode]
    return [item for item in item_choices(county, mode) if item.work_list.kind in kinds]


def home_tasks(user) -> list:
    """Clues and findings waiting for the inspector, rectification for the department named, confirmation for
    the monitor."""
    out = []
    findings_url = reverse("monitoring:findings")
    if may_publish(user):
        out.append(
            HomeTask(
                "条问题线索待受理",
                pending_clue_count(user),
                f"{reverse('monitoring:events')}?review=pending",
            )
        )
        seen = Finding.objects.visible_to(user)
        out.append(
            HomeTask(
                "个问题待研判",
                seen.filter(state=FindingState.PENDING).count(),
                f"{findings_url}?state=pending",
            )
        )
        out.append(
            HomeTask(
                "个问题已报告整改待确认",
                seen.filter(state=FindingState.RECTIFYING).count(),
                f"{findings_url}?state=rectifying",
            )
        )
    departments = access.department_ids(user, Capability.MONITORING_RECTIFY)
    if departments:
        named = Finding.objects.visible_to(user).filter(department_id__in=departments)
        out.append(
            HomeTask(
                "个被通报的问题待整改",
                named.filter(state=FindingState.PUBLISHED).count(),
                f"{findings_url}?state=published",
                action="去整改",
            )
        )
        out.append(
            HomeTask(
                "个问题整改被退回",
                named.filter(state=FindingState.RETURNED).count(),
                f"{findings_url}?state=returned",
                action="去整改",
            )
        )
    if may_record(user):
        villages = [p.village_id for p in served_points(user)]
        out.append(
            HomeTask(
                "条通报整改待您确认",
                BulletinEntry.objects.filter(
                    status=RectificationStatus.REPORTED, findings__village_id__in=villages
                )
                .distinct()
                .count(),
                reverse("monitoring:bulletins"),
                action="去确认",
            )
        )
    return out


def returns(user):
    """Periodic returns the user may read (the points' subtree), newest period first."""
    from .models import PointReturn

    return PointReturn.objects.visible_to(user).select_related("point__village", "filed_by")


# The monthly rollup ------------------------------------------------------------------------------------------

# Levels whose cells are kept in ``MonthlyRollup``, one row per region × month × type, as events are written.
# Above the county a cell would be one row every writer in the prefecture or province updates, and holds locked
# until commit, so every writer of the province would wait in line for it (#23); those figures are the sum of
# their counties' cells, taken when read (a province: 100-odd counties × 9 types a month).
STORED_ROLLUP_LEVELS = (Level.COUNTY, Level.TOWNSHIP)


def rollup_cells(
    level: int, prefix: str = "", *, first: date | None = None, last: date | None = None
) -> list[dict]:
    """The rollup's cells of every region at ``level`` whose code starts with ``prefix`` (all of them with no
    prefix; one region with its own prefix), between the months ``first`` and ``last``: rows of ``code``,
    ``month``, ``kind`` and the sums ``e`` (events), ``h`` (hours), ``v`` (violations), ``u`` (undecided), in
    (code, month, kind) order.

    County and township cells are read as stored. A prefecture's or province's are summed from the county cells
    of its subtree, a month at a time, and each month's sums are cached under the stamps of that month's counties
    (``RollupStamp``, a new one whenever a county's cells of the month move): one read of the stamps, then only
    the months whose stamps changed since are summed again, in one grouped read. Every reader of region figures
    comes here, so none needs to know which levels are stored."""
    level = Level(level)
    if level not in PREFIX_LENGTH or level == Level.VILLAGE:
        raise ValueError(f"月度汇总没有{level.label}级的汇总格。")
    if level in STORED_ROLLUP_LEVELS:
        rows = _months(MonthlyRollup.objects.filter(level=level), prefix, first, last)
        return [
            {"code": c, "month": m, "kind": k, "e": e, "h": h, "v": v, "u": u}
            for c, m, k, e, h, v, u in rows.order_by("region_code", "month", "kind").values_list(
                "region_code", "month", "kind", "events", "hours", "violations", "undecided"
            )
        ]
    return _summed_cells(level, prefix, first, last)


def _months(rows, prefix: str, first: date | None, last: date | None):
    if prefix:
        rows = rows.filter(subtree_q([prefix], "region_code"))
    if first is not None:
        rows = rows.filter(month__gte=first)
    if last is not None:
        rows = rows.filter(month__lte=last)
    return rows


# A month's sums are reused until a county's stamp moves; a week bounds keys nobody asks for again.
SUM_CACHE_SECONDS = 7 * 24 * 3600


def _summed_cells(level: Level, prefix: str, first: date | None, last: date | None) -> list[dict]:
    """A prefecture's or province's cells: its counties' summed per month, each month's sums cached under the
    sum and count of the month's county stamps. The stamps are read before the cells, so a sum cached under a key
    is never older than the stamps that make the key; a write after that read moves a stamp, and the key."""
    from django.core.cache import cache
    from django.db.models import Count

    n = PREFIX_LENGTH[level]
    stamps = (
        _months(RollupStamp.objects.all(), prefix, first, last)
        .values_list("month")
        .annotate(s=Sum("stamp"), c=Count("id"))
        .order_by()
    )
    keys = {
        _as_date(month): f"monitoring:rollup-sum:{int(level)}:{prefix}:{_as_date(month):%Y-%m}:{s}:{c}"
        for month, s, c in stamps
    }
    found = cache.get_many(list(keys.values())) if keys else {}
    months = {m: found[k] for m, k in keys.items() if k in found}
    missing = [m for m, k in keys.items() if k not in found]
    if missing:
        code = Concat(Substr("region_code", 1, n), Value("0" * (12 - n)), output_field=CharField())
        rows = (
            _months(MonthlyRollup.objects.filter(level=Level.COUNTY), prefix, first, last)
            .filter(month__in=missing)
            .annotate(code=code)
            .values_list("code", "month", "kind")
            .annotate(e=Sum("events"), h=Sum("hours"), v=Sum("violations"), u=Sum("undecided"))
            .order_by()
        )
        fresh: dict[date, list[dict]] = {m: [] for m in missing}
        for c, m, k, e, h, v, u in rows:
            fresh[_as_date(m)].append(
                {"code": c, "month": _as_date(m), "kind": k, "e": e, "h": h, "v": v, "u": u}
            )
        cache.set_many({keys[m]: cells for m, cells in fresh.items()}, SUM_CACHE_SECONDS)
        months.update(fresh)
    out = [cell for cells in months.values() for cell in cells]
    out.sort(key=lambda c: (c["code"], c["month"], c["kind"]))
    return out


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
