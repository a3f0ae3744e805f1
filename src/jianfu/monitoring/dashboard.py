"""The dashboard figures for a province, prefecture, county, township or village and a year, with last year
beside them.

Township and above read the rollup through ``selectors.rollup_cells`` (types × 24 months of the region itself:
216 cells at most, at any level; a prefecture's or province's summed from its counties' cells in the read) and,
for findings, ``FindingRollup``; the department chart of a county reads ``DepartmentRollup`` (its departments ×
types × 12 months), a township's counts its own year of events (1/2,000 of a province's, on the
``event_region_day`` index: no department cells are kept per township, #23); a prefecture or province ranks
its counties or prefectures instead (``children``). A village reads its own events (a few hundred a year, on
the same index). Every figure carries the filters of the event list that shows the records behind
it. Other apps' figures come through their contract selectors.
"""

from collections import defaultdict
from datetime import date
from decimal import Decimal
from functools import lru_cache
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.urls import get_script_prefix, get_urlconf, reverse

from jianfu.orgs.models import Department, Level, Region, subtree_q

from .figures import region_figures
from .models import BurdenEvent, DepartmentRollup, EventKind, Verdict
from .selectors import rollup_cells

EVENT_MEASURES = {"n": Count("id"), "h": Sum("hours"), "v": Count("id", filter=Q(verdict=Verdict.VIOLATION))}


def _source(region: Region, year: int) -> tuple:
    """The rows to aggregate and how: a village's own events, else the region's rollup cells."""
    first, last = date(year - 1, 1, 1), date(year, 12, 31)
    if region.level == Level.VILLAGE:
        # Equality on the index's leading column: SQLite then never prefers another index.
        rows = BurdenEvent.objects.counted().filter(
            region_code=region.code, occurred_on__gte=first, occurred_on__lte=last
        )
        return rows, "occurred_on", EVENT_MEASURES
    rows = rollup_cells(region.level, region.prefix, first=first, last=last)
    return rows, "month", {"n": Sum("events"), "h": Sum("hours"), "v": Sum("violations")}


def _link(region: Region, **filters) -> str:
    query = {"region": region.code, **{k: v for k, v in filters.items() if v not in ("", None)}}
    return _events_path(get_script_prefix(), get_urlconf(), settings.ROOT_URLCONF) + "?" + urlencode(query)


@lru_cache(maxsize=16)
def _events_path(script_prefix: str, urlconf, root_urlconf: str) -> str:
    """The event list's path, reversed once per script prefix and URLconf (what ``reverse`` depends on): a
    dashboard links ≈ 180 of its figures to the list, and ``reverse`` each time was ≈ 8 ms of the page (#23)."""
    return reverse("monitoring:events")


def figures(region: Region, year: int) -> dict:
    """Everything the dashboard page and the API answer show; the database does the summing."""
    return {
        **event_figures(region, year),
        "external": external_figures(region, year),
        # Findings judged violations, by source, department, rule and month (the findings' rollup).
        "findings": region_figures(region, year),
    }


def event_figures(region: Region, year: int) -> dict:
    """The burden events' figures: totals by type this year and last, by month and type, by department.
    One grouped read (year, month, type) feeds the totals and the month chart; one more ranks departments."""
    rows, day, measures = _source(region, year)
    this, last = defaultdict(lambda: [0, Decimal(0), 0]), defaultdict(lambda: [0, Decimal(0), 0])
    by_kind_month, hours_month = defaultdict(int), defaultdict(Decimal)
    for on_year, month, kind, n, h, v in _by_month(rows, day, measures):
        h = Decimal(h or 0)
        totals = this if on_year == year else last
        for key in (kind, "all"):
            totals[key][0] += n or 0
            totals[key][1] += h
            totals[key][2] += v or 0
        if on_year == year:
            by_kind_month[(kind, month)] += n or 0
            hours_month[month] += h
    this_year = rows.filter(**{f"{day}__gte": date(year, 1, 1)}) if day != "month" else None
    ranked = _departments(region, year, this_year, measures)
    return {
        "region": region,
        "year": year,
        "totals": _totals(region, year, this, last),
        "month_chart": _month_chart(region, year, by_kind_month, hours_month),
        "department_chart": _department_chart(
            region, year, {d: (v or 0, n or 0, h or 0) for d, v, n, h in ranked}
        ),
    }


def _by_month(rows, day, measures):
    """(year, month, kind, events, hours, violations): the rollup's own cells (one per month and type, no
    grouping needed), or a village's events grouped by year, month and type."""
    if day == "month":
        for cell in rows:
            month = _as_date(cell["month"])
            yield month.year, month.month, cell["kind"], cell["e"], cell["h"], cell["v"]
        return
    grouped = rows.values_list(f"{day}__year", f"{day}__month", "kind").annotate(**measures).order_by()
    yield from grouped


DEPARTMENTS_ABOVE_COUNTY = (
    "省、市两级按下级区划排名（见下表）；来源部门的排名在各县（市、区）和乡镇（街道）的看板上。"
)


def _departments(region: Region, year: int, this_year, measures):
    """The 15 departments with the most violations this year: a village's own events, a township's events (the
    range of its codes on ``event_region_day``), a county's department cells; none above the county (its
    departments would multiply the cells again)."""
    if region.level == Level.VILLAGE:
        rows = this_year
    elif region.level == Level.TOWNSHIP:
        rows = BurdenEvent.objects.counted().filter(
            subtree_q([region.prefix], "region_code"),
            occurred_on__gte=date(year, 1, 1),
            occurred_on__lte=date(year, 12, 31),
        )
        measures = EVENT_MEASURES
    elif region.level == Level.COUNTY:
        rows = DepartmentRollup.objects.filter(
            region_code=region.code, month__gte=date(year, 1, 1), month__lte=date(year, 12, 31)
        )
    else:
        return []
    return (
        rows.values_list("department_id")
        .annotate(v=measures["v"], n=measures["n"], h=measures["h"])
        .order_by("-v", "-n", "department_id")[:15]
    )


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _yoy(now, before) -> str:
    if not before:
        return "—"
    return f"{(now - before) * 100 / before:+.0f}%"


def _totals(region, year, this, last) -> list[dict]:
    rows = []
    for key, label in [("all", "全部负担事件"), *EventKind.choices]:
        now, before = this.get(key, [0, 0, 0]), last.get(key, [0, 0, 0])
        kind = "" if key == "all" else key
        rows.append(
            {
                "key": key,
                "label": label,
                "events": now[0],
                "hours": now[1],
                "violations": now[2],
                "last_events": before[0],
                "yoy": _yoy(now[0], before[0]),
                "link": _link(region, year=year, kind=kind),
                "violations_link": _link(region, year=year, kind=kind, verdict=Verdict.VIOLATION),
                "last_link": _link(region, year=year - 1, kind=kind),
            }
        )
    return rows


def _month_chart(region, year, by_kind_month, hours_month) -> dict:
    months = list(range(1, 13))
    series = []
    for kind, label in EventKind.choices:
        data = [by_kind_month.get((kind, m), 0) for m in months]
        if any(data):
            links = [_link(region, month=f"{year}-{m:02d}", kind=kind) for m in months]
            series.append({"name": label, "data": data, "links": links})
    return {
        "labels": [f"{m}月" for m in months],
        "series": series,
        "hours": [float(hours_month.get(m, 0)) for m in months],
        "hour_links": [_link(region, month=f"{year}-{m:02d}") for m in months],
    }


def _department_chart(region, year, by_department) -> dict:
    names = dict(Department.objects.filter(pk__in=list(by_department)).values_list("pk", "name"))
    ranked = list(by_department.items())
    rows = [
        {
            "name": names.get(pk, str(pk)),
            "violations": v,
            "events": n,
            "hours": float(h),
            "link": _link(region, year=year, department=pk, verdict=Verdict.VIOLATION),
            "events_link": _link(region, year=year, department=pk),
        }
        for pk, (v, n, h) in ranked
    ]
    return {
        "note": "" if region.level >= Level.COUNTY else DEPARTMENTS_ABOVE_COUNTY,
        "labels": [r["name"] for r in rows],
        "series": [
            {"name": "违规事件", "data": [r["violations"] for r in rows], "links": [r["link"] for r in rows]}
        ],
        "rows": rows,
    }


def external_figures(region: Region, year: int) -> list[dict]:
    """Inspections planned against actual, placards removed, fields served from the base table, and the
    villages' own records of burdens refused (admission declines, certificate refusals), this year and last."""
    from jianfu.forms.selectors import served_counts_by_year
    from jianfu.supervision.selectors import inspection_counts_by_year, placard_removals_by_year

    rows = []
    for label, func, keys in [
        (
            "到村督查检查考核",
            inspection_counts_by_year,
            [("planned", "计划"), ("actual", "实际"), ("unplanned", "计划外")],
        ),
        ("摘除牌子和上墙制度", placard_removals_by_year, [("placards", "牌子"), ("wall_rules", "上墙制度")]),
        ("“一张表”字段", served_counts_by_year, [("typed", "村里填写"), ("served", "基础表自动带出")]),
    ]:
        # Both years in one read each (#23): it was two reads a figure, one a year.
        found = func(region=region, years=[year - 1, year])
        now, before = found[year], found[year - 1]
        rows.append(
            {
                "label": label,
                "values": [(name, now.get(k, 0), before.get(k, 0)) for k, name in keys],
                "link": _external_link(label),
            }
        )
    rows.extend(signal_counts(region, year))
    return rows


def _external_link(label: str) -> str:
    from django.urls import NoReverseMatch

    name = {
        "到村督查检查考核": "supervision:index",
        "摘除牌子和上墙制度": "supervision:index",
        "“一张表”字段": "forms:index",
    }[label]
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


def signal_counts(region: Region, year: int) -> list[dict]:
    """Burden signals already on record elsewhere: villages declining unadmitted work (admission) and
    certificate refusals naming the institution that demanded them (certificates)."""
    from jianfu.admission.models import Decline
    from jianfu.certificates.models import Refusal

    def count(queryset, field, date_field) -> tuple[int, int]:
        """This year's and last year's rows in one read (the two years' range, counted by year)."""
        rows = queryset.filter(
            subtree_q([region.prefix], field),
            **{f"{date_field}__gte": date(year - 1, 1, 1), f"{date_field}__lte": date(year, 12, 31)},
        )
        found = rows.aggregate(
            now=Count("pk", filter=Q(**{f"{date_field}__gte": date(year, 1, 1)})),
            before=Count("pk", filter=Q(**{f"{date_field}__lt": date(year, 1, 1)})),
        )
        return found["now"], found["before"]

    refusals, declines = Refusal.objects.exclude(institution_name=""), Decline.objects.all()
    return [
        {
            "label": "村（社区）拒绝执行未经准入的工作",
            "link": reverse("admission:declines"),
            "values": [("拒绝执行", *count(declines, "region__code", "received_on"))],
        },
        {
            "label": "单位索要不予出具的证明",
            "link": reverse("certificates:records") + "?kind=refusal",
            "values": [("不予出具", *count(refusals, "village__code", "on"))],
        },
    ]


def children(region: Region, year: int) -> list[dict]:
    """The next level down, for the county and township dashboards (links to their own dashboards)."""
    if region.level >= Level.VILLAGE:
        return []
    below = Region.objects.filter(subtree_q([region.prefix]), level=region.level + 1, is_active=True)
    names = {r.code: r for r in below}
    found: dict[str, tuple[int, int]] = {}
    if region.level + 1 == Level.VILLAGE:
        rows = (
            BurdenEvent.objects.counted()
            .filter(subtree_q([region.prefix], "region_code"), occurred_on__year=year)
            .values_list("region_code")
            .annotate(n=Count("id"), v=Count("id", filter=Q(verdict=Verdict.VIOLATION)))
        )
        found = {code: (n, v) for code, n, v in rows}
    else:  # the children's cells by month and type, added up over the year
        for cell in rollup_cells(
            region.level + 1, region.prefix, first=date(year, 1, 1), last=date(year, 12, 31)
        ):
            n, v = found.get(cell["code"], (0, 0))
            found[cell["code"]] = (n + (cell["e"] or 0), v + (cell["v"] or 0))
    return [
        {"region": r, "events": found.get(code, (0, 0))[0], "violations": found.get(code, (0, 0))[1]}
        for code, r in sorted(names.items())
    ]
