"""Scoped reads for 网格化服务管理: grids, classes, events and the figures built from them."""

from datetime import date

from django.db.models import F, Min, Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from jianfu.catalog.models import ancestor_codes
from jianfu.core import textsearch
from jianfu.core.registry import HomeTask
from jianfu.core.years import year_or_none
from jianfu.orgs import access
from jianfu.orgs.models import Department, Level, Region, subtree_q
from jianfu.orgs.roles import Capability

from .models import EVENT_TEXT, OPEN_STATUSES, RUNNING, EventClass, EventStatus, Grid, GridEvent
from .rules import metres_between


def may_view(user) -> bool:
    return access.may(user, Capability.GRID_VIEW)


def require_viewer(user) -> None:
    access.require(user, Capability.GRID_VIEW)


def home_card(user) -> dict | None:
    """What the home page shows this user about 网格化服务管理; None hides the card."""
    if not may_view(user):
        return None
    events = GridEvent.objects.visible_to(user)
    now = timezone.now()
    return {
        "open": events.filter(status__in=OPEN_STATUSES).count(),
        "overdue": events.filter(status__in=RUNNING, deadline__lt=now).count(),
        "waiting": events.filter(status__in=[EventStatus.REPORTED, EventStatus.RETURNED]).count(),
        "mine": events.filter(status=EventStatus.DISPATCHED, department_id__in=user.department_ids()).count(),
        "reporter": user.has_capability(Capability.GRID_REPORT),
    }


def _home_regions(user) -> list[Region]:
    regions = [a.region for a in access.assignments(user)]
    return regions + [a.department.region for a in access.assignments(user) if a.department_id]


def classes_for(user):
    """The classifications in force where the user works: their regions' and those above them."""
    codes = {c for region in _home_regions(user) for c in ancestor_codes(region)}
    scope = access.visible_subtree(user, "region__code")
    return EventClass.objects.filter(Q(region__code__in=codes) | scope).select_related("region", "department")


def classes_for_region(region: Region):
    return EventClass.objects.filter(region__code__in=ancestor_codes(region), is_active=True).select_related(
        "department"
    )


def class_for(user, pk: int) -> EventClass:
    return get_object_or_404(classes_for(user), pk=pk)


def grids_for(user):
    return Grid.objects.visible_to(user).select_related("community", "leader").prefetch_related("workers")


def grid_for(user, pk: int) -> Grid:
    return get_object_or_404(grids_for(user), pk=pk)


def communities_for(user):
    """The villages and communities in the user's subtree (where they may report or divide grids)."""
    return Region.objects.visible_to(user).filter(level=Level.VILLAGE, is_active=True)


def coverage(user) -> list[dict]:
    """Per community in scope: its grids and whether any grid covers it at all (全覆盖)."""
    grids = list(grids_for(user).filter(is_active=True))
    rows = []
    for community in communities_for(user):
        own = [g for g in grids if g.community_id == community.pk]
        rows.append({"community": community, "grids": own, "buildings": sum(len(g.buildings) for g in own)})
    return rows


def departments_for_dispatch(region: Region):
    """Departments an event in the region may go to: the county's and the township's own."""
    codes = ancestor_codes(region)
    return Department.objects.filter(region__code__in=codes, is_active=True).select_related("region")


def events_for(user):
    return GridEvent.objects.visible_to(user).select_related("event_class", "community", "grid", "department")


def event_for(user, pk: int) -> GridEvent:
    return get_object_or_404(events_for(user), pk=pk)


FILTERS = ("status", "event_class", "grid", "department", "community", "month", "year", "flag", "q")


def filter_events(events, params) -> object:
    """The list's filters; the figures link here with the same parameters."""
    get = lambda key: (params.get(key) or "").strip()  # noqa: E731
    if get("status") in EventStatus.values:
        events = events.filter(status=get("status"))
    for key in ("event_class", "grid", "department"):
        if get(key).isdigit():
            events = events.filter(**{f"{key}_id": int(get(key))})
        elif get(key) == "none":  # the figures' "未划入网格" / "未派遣" rows
            events = events.filter(**{f"{key}__isnull": True})
    if get("community"):
        events = events.filter(community__code=get("community"))
    if len(get("month")) == 7 and year_or_none(get("month")[:4]) and get("month")[5:].isdigit():
        events = events.filter(
            reported_at__year=int(get("month")[:4]), reported_at__month=int(get("month")[5:])
        )
    if year_or_none(get("year")):
        events = events.filter(reported_at__year=year_or_none(get("year")))
    events = _flag(events, get("flag"))
    if get("q"):
        # 事件编号 or 地点 from the trigram index (core.textsearch; one or two characters scan the scoped
        # events, a village's or a township's grid events being thousands, not millions), or the exact 楼栋.
        found = textsearch.matching(events, EVENT_TEXT, get("q")).values("pk")
        events = events.filter(Q(pk__in=found) | Q(building=get("q")))
    return events


def _flag(events, flag: str):
    now = timezone.now()
    handled = Q(handled_at__isnull=False, deadline__isnull=False)
    return {
        "overdue": lambda: events.filter(status__in=RUNNING, deadline__lt=now),
        "escalated": lambda: events.filter(escalation__gt=0),
        "on_time": lambda: events.filter(handled, handled_at__lte=F("deadline")),
        "late": lambda: events.filter(handled, handled_at__gt=F("deadline")),
        "reopened": lambda: events.filter(reopen_count__gt=0),
        "rated": lambda: events.filter(rating__isnull=False),
        "open": lambda: events.filter(status__in=OPEN_STATUSES),
        "closed": lambda: events.filter(status=EventStatus.CLOSED),
    }.get(flag, lambda: events)()


def agency_figures(*, department, township, year: int) -> dict:
    """For the dispatched-agency evaluation (campaign app): the grid events ``department`` handled in
    ``township`` in ``year``: ``{"handled": int, "on_time": int, "on_time_rate": float | None,
    "satisfaction": float | None}`` (satisfaction as the mean rating scaled to 0–100).

    "Handled" means reported back in that year (and not since sent back for re-handling); on time means
    reported back by the class's deadline (seed 003: 网格上报及群众投诉事项处理情况 counts in the township's 40%)."""
    events = GridEvent.objects.filter(
        subtree_q([township.prefix], "community__code"), department=department, handled_at__year=year
    )
    rows = list(events.values_list("handled_at", "deadline", "rating"))
    handled = len(rows)
    on_time = sum(1 for at, deadline, _ in rows if deadline is not None and at <= deadline)
    ratings = [r for _, _, r in rows if r is not None]
    return {
        "handled": handled,
        "on_time": on_time,
        "on_time_rate": round(on_time / handled, 4) if handled else None,
        "satisfaction": round(sum(ratings) / len(ratings) * 20, 1) if ratings else None,
    }


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def home_tasks(user) -> list:
    """Grid events waiting for this person: to dispatch (the centre), to accept (the department), to check and
    close (the reporter); the overdue ones first."""
    if not may_view(user):
        return []
    events = GridEvent.objects.visible_to(user)
    index = reverse("grid:index")
    now = timezone.now()
    late = events.filter(status__in=RUNNING, deadline__lt=now)
    if not user.has_capability(Capability.GRID_MANAGE):  # a handler answers for its own department's events
        late = (
            late.filter(department_id__in=user.department_ids())
            if user.has_capability(Capability.GRID_HANDLE)
            else late.none()
        )
    overdue = late.count()
    out = [HomeTask("件网格事件已超期限", overdue, f"{index}?flag=overdue", overdue=overdue)]
    if user.has_capability(Capability.GRID_MANAGE):
        out.append(
            HomeTask(
                "件网格事件待分拨",
                events.filter(status=EventStatus.REPORTED).count(),
                f"{index}?status=reported",
            )
        )
        out.append(
            HomeTask(
                "件网格事件被退回指挥中心",
                events.filter(status=EventStatus.RETURNED).count(),
                f"{index}?status=returned",
            )
        )
    if user.has_capability(Capability.GRID_HANDLE) and user.department_ids():
        mine = events.filter(status=EventStatus.DISPATCHED, department_id__in=user.department_ids())
        out.append(
            HomeTask(
                "件网格事件待本部门受理",
                mine.count(),
                f"{index}?status=dispatched",
                due=_local_date(mine.aggregate(due=Min("deadline"))["due"]),
            )
        )
    if user.has_capability(Capability.GRID_REPORT):
        out.append(
            HomeTask(
                "件您上报的网格事件待核查结案",
                events.filter(status=EventStatus.HANDLED, reporter=user).count(),
                f"{index}?status=handled",
                action="去核查",
            )
        )
    return out


def _local_date(moment):
    return timezone.localdate(moment) if moment else None


NEAR_METRES = 2000  # a position further than this from every grid's centre is not placed in any village


def nearest_grid(lat, lng) -> Grid | None:
    """The active grid whose centre is nearest the position, within ``NEAR_METRES`` (grids are public frames)."""
    placed = [
        (metres_between(lat, lng, *centre), grid)
        for grid in Grid.objects.filter(is_active=True, polygon__isnull=False).select_related("community")
        if (centre := grid.centre()) is not None
    ]
    placed = [(d, g) for d, g in placed if d <= NEAR_METRES]
    return min(placed, key=lambda pair: pair[0])[1] if placed else None
