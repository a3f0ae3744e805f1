"""Reads of the national rollup, scoped to the provinces the user's roles cover (federation.view)."""

from datetime import date

from django.db.models import Count, Max, Sum
from django.http import Http404

from jianfu.monitoring.models import EventKind
from jianfu.orgs import access
from jianfu.orgs.models import Level, Region
from jianfu.orgs.roles import Capability

from .models import Cell, Peer, Submission


def peers(user):
    """The provinces the user reads (federation.view on the province itself)."""
    return Peer.objects.visible_to(user).select_related("region").order_by("region__code")


def _year_cells(user, year: int):
    return Cell.objects.visible_to(user).filter(month__gte=date(year, 1, 1), month__lt=date(year + 1, 1, 1))


def _rate(violations: int, events: int) -> str:
    return f"{100 * violations / events:.1f}%" if events else "—"


def national_rows(user, year: int) -> list[dict]:
    """One row per province the user may read: the year's totals, the months received and the newest receipt."""
    totals = {
        r["region_code"]: r
        for r in _year_cells(user, year)
        .filter(level=Level.PROVINCE)
        .values("region_code")
        .annotate(e=Sum("events"), h=Sum("hours"), v=Sum("violations"), u=Sum("undecided"))
    }
    received = {
        r["peer__region__code"]: r
        for r in Submission.objects.visible_to(user)
        .filter(current=True, month__year=year)
        .values("peer__region__code")
        .annotate(months=Count("id"), last=Max("received_at"), corrected=Max("revision"))
    }
    rows = []
    for peer in peers(user):
        code = peer.region.code
        t, r = totals.get(code, {}), received.get(code, {})
        events, violations = t.get("e") or 0, t.get("v") or 0
        rows.append(
            {
                "code": code,
                "name": peer.region.name,
                "events": events,
                "hours": t.get("h") or 0,
                "violations": violations,
                "undecided": t.get("u") or 0,
                "rate": _rate(violations, events),
                "months": r.get("months", 0),
                "last": r.get("last"),
                "corrected": (r.get("corrected") or 1) > 1,
            }
        )
    return rows


def national_totals(rows: list[dict]) -> dict:
    events = sum(r["events"] for r in rows)
    violations = sum(r["violations"] for r in rows)
    return {
        "events": events,
        "hours": sum(r["hours"] for r in rows),
        "violations": violations,
        "undecided": sum(r["undecided"] for r in rows),
        "rate": _rate(violations, events),
    }


def province_for(user, code: str) -> Region:
    peer = peers(user).filter(region__code=code).first()
    if peer is None:
        raise Http404
    return peer.region


def province_rows(user, province: Region, year: int) -> list[dict]:
    """The province's prefectures and counties for the year (prefecture first, its counties after it)."""
    rows = (
        _year_cells(user, year)
        .filter(province_code=province.code, level__in=(Level.PREFECTURE, Level.COUNTY))
        .values("region_code", "level", "name")
        .annotate(e=Sum("events"), h=Sum("hours"), v=Sum("violations"), u=Sum("undecided"))
        .order_by("region_code")
    )
    return [
        {
            "code": r["region_code"],
            "level": r["level"],
            "name": r["name"],
            "events": r["e"],
            "hours": r["h"],
            "violations": r["v"],
            "undecided": r["u"],
            "rate": _rate(r["v"], r["e"]),
        }
        for r in rows
    ]


def province_months(user, province: Region, year: int) -> dict:
    """Month × type series for the province's chart, and each month's received version."""
    cells = (
        _year_cells(user, year)
        .filter(region_code=province.code)
        .values("month", "kind")
        .annotate(e=Sum("events"), v=Sum("violations"))
    )
    labels = [f"{m}月" for m in range(1, 13)]
    by_kind = {k: [0] * 12 for k in EventKind.values}
    violations = [0] * 12
    for c in cells:
        by_kind.setdefault(c["kind"], [0] * 12)[c["month"].month - 1] += c["e"]
        violations[c["month"].month - 1] += c["v"]
    series = [
        {"name": EventKind(k).label if k in EventKind.values else k, "data": data}
        for k, data in by_kind.items()
        if any(data)
    ]
    versions = list(
        Submission.objects.visible_to(user)
        .filter(peer__region=province, month__year=year)
        .order_by("month", "revision")
        .values("month", "revision", "received_at", "reason", "current")
    )
    return {"labels": labels, "series": series, "violations": violations, "versions": versions}


def home_card(user) -> dict | None:
    """The home page's card: shown only where the user reads at least one registered province (the national
    instance), so a county's office is not offered an empty national page."""
    if not user.is_authenticated or not access.may(user, Capability.FEDERATION_VIEW):
        return None
    provinces = peers(user).count()
    if not provinces:
        return None
    last = Submission.objects.visible_to(user).aggregate(last=Max("received_at"))["last"]
    return {"provinces": provinces, "last": last}
