"""Figures of the overview pages: planned against actual inspections (year on year, by month, by department) and
placards over the standard and removed, by township or village. Every figure carries the link to its records."""

from django.db.models import Count, Q
from django.urls import reverse

from jianfu.orgs.models import Level, Region, subtree_q

from . import rules
from .models import PLACARD_KINDS, InspectionVisit, Placard, PlacardKind, PlacardStatus
from .selectors import planned_count

SEED_REMOVED = {"placards": 12200, "wall_rules": 26800}  # seed 004, 黔西南州's clean-up


def _visits_url(region: Region, **params) -> str:
    query = "&".join(f"{k}={v}" for k, v in {"region": region.code, **params}.items())
    return reverse("supervision:visits") + "?" + query


def year_on_year(region: Region, year: int, years: int = 3) -> dict:
    """Planned and actual village inspections per year, and the change of the planned count (seed 004: −20%)."""
    labels, planned, actual, links = [], [], [], []
    for y in range(year - years + 1, year + 1):
        labels.append(f"{y}年")
        planned.append(planned_count(region, y))
        actual.append(
            InspectionVisit.objects.filter(subtree_q([region.prefix], "village__code"), on__year=y).count()
        )
        links.append(_visits_url(region, year=y))
    change = None
    if len(planned) > 1 and planned[-2]:
        change = round((planned[-1] - planned[-2]) * 100 / planned[-2], 1)
    return {
        "labels": labels,
        "change": change,
        "series": [
            {"name": "计划到村次数", "data": planned, "links": links},
            {"name": "实际到村次数", "data": actual, "links": links},
        ],
    }


def by_month(region: Region, year: int) -> dict:
    visits = InspectionVisit.objects.filter(subtree_q([region.prefix], "village__code"), on__year=year)
    rows = (
        visits.values("on__month")
        .annotate(n=Count("pk"), bad=Count("pk", filter=Q(unplanned=True)))
        .order_by()
    )
    found = {r["on__month"]: r for r in rows}
    months = range(1, 13)
    planned_links = [_visits_url(region, year=year, month=m) for m in months]
    return {
        "labels": [f"{m}月" for m in months],
        "series": [
            {
                "name": "计划内",
                "data": [found.get(m, {}).get("n", 0) - found.get(m, {}).get("bad", 0) for m in months],
                "links": planned_links,
            },
            {
                "name": "计划外",
                "data": [found.get(m, {}).get("bad", 0) for m in months],
                "links": [_visits_url(region, year=year, month=m, flag="unplanned") for m in months],
            },
        ],
    }


def by_department(region: Region, year: int) -> list[dict]:
    visits = InspectionVisit.objects.filter(subtree_q([region.prefix], "village__code"), on__year=year)
    rows = (
        visits.values("department_id", "department__name")
        .annotate(
            n=Count("pk"),
            unplanned=Count("pk", filter=Q(unplanned=True)),
            materials=Count("pk", filter=Q(materials_flag=True)),
            veto=Count("pk", filter=Q(veto_flag=True)),
        )
        .order_by("-unplanned", "-n")
    )
    return [{**r, "url": _visits_url(region, year=year, department=r["department_id"])} for r in rows]


def placard_summary(region: Region, year: int) -> dict:
    """Per child region (townships of a county, villages of a township): up, over the standard, removed."""
    children = list(Region.objects.filter(parent=region, is_active=True).order_by("code"))
    if region.level == Level.VILLAGE:
        children = [region]
    villages = list(Region.objects.filter(subtree_q([region.prefix]), level=Level.VILLAGE, is_active=True))
    over = rules.over_counts(villages)
    codes = {v.pk: v.code for v in villages}
    over_by_code = {codes[pk]: n for pk, n in over.items()}
    placards = Placard.objects.filter(subtree_q([region.prefix], "village__code"))
    rows = []
    for child in children:
        mine = placards.filter(subtree_q([child.prefix], "village__code"))
        counts = mine.aggregate(
            up=Count("pk", filter=Q(status=PlacardStatus.UP)),
            placards=Count(
                "pk", filter=Q(status=PlacardStatus.REMOVED, removed_on__year=year, kind__in=PLACARD_KINDS)
            ),
            wall_rules=Count(
                "pk",
                filter=Q(status=PlacardStatus.REMOVED, removed_on__year=year, kind=PlacardKind.WALL_RULE),
            ),
        )
        counts["over"] = sum(n for code, n in over_by_code.items() if code.startswith(child.prefix))
        rows.append(
            {
                "region": child,
                **counts,
                "url": _placards_url(child),
                "removed_url": _placards_url(child, year),
                "over_url": _village_or_list(child),
            }
        )
    chart = {
        "labels": [r["region"].name for r in rows],
        "series": [
            {
                "name": "摘除标牌",
                "data": [r["placards"] for r in rows],
                "links": [r["removed_url"] + "&kind=placards" for r in rows],
            },
            {
                "name": "摘除上墙制度",
                "data": [r["wall_rules"] for r in rows],
                "links": [r["removed_url"] + f"&kind={PlacardKind.WALL_RULE}" for r in rows],
            },
            {
                "name": "超标准待摘除",
                "data": [r["over"] for r in rows],
                "links": [r["over_url"] for r in rows],
            },
        ],
    }
    return {"rows": rows, "chart": chart}


def _placards_url(region: Region, year: int | None = None) -> str:
    url = reverse("supervision:placard_list") + f"?region={region.code}"
    return url + (f"&status=removed&year={year}" if year else "")


def _village_or_list(region: Region) -> str:
    if region.level == Level.VILLAGE:
        return reverse("supervision:village", kwargs={"code": region.code})
    return reverse("supervision:placards") + f"?region={region.code}"
