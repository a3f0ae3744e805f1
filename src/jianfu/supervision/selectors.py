"""Scoped reads for 督查检查与机制牌子, and the figures monitoring's dashboards ask for."""

from collections import Counter
from datetime import date

from django.db.models import Count, Q
from django.db.models.functions import ExtractYear
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from jianfu.core.registry import HomeTask
from jianfu.orgs import access
from jianfu.orgs.models import Department, Level, Region, subtree_q
from jianfu.orgs.roles import Capability

from .models import (
    FLAGGED,
    ITEMS_IN_FORCE,
    PLACARD_KINDS,
    InspectionPlan,
    InspectionVisit,
    Mechanism,
    Placard,
    PlacardKind,
    PlacardStatus,
    PlanItem,
    PlanStatus,
    PlanSupplement,
)


def may_view(user) -> bool:
    return user.is_authenticated and user.has_capability(Capability.SUPERVISION_VIEW)


def home_card(user) -> dict | None:
    """What the home page shows this user about 督查检查与机制牌子; None hides the card."""
    if not may_view(user):
        return None
    year = timezone.localdate().year
    visits = InspectionVisit.objects.visible_to(user).filter(on__year=year)
    card = {
        "year": year,
        "visits": visits.count(),
        "flagged": visits.filter(FLAGGED).count(),
        "plans_pending": plan_list(user).filter(status=PlanStatus.SUBMITTED).count(),
        "can_record": bool(recording_villages(user)),
    }
    return card


# Plans --------------------------------------------------------------------------------------------------------


def plan_list(user, *, year: int | None = None, status: str = "", department_id: int | None = None):
    plans = InspectionPlan.objects.visible_to(user).select_related("department__region")
    if year:
        plans = plans.filter(year=year)
    if status:
        plans = plans.filter(status=status)
    if department_id:
        plans = plans.filter(department_id=department_id)
    return plans.annotate(n_items=Count("items")).order_by("-year", "department__name")


def plan_get(user, pk: int) -> InspectionPlan:
    return get_object_or_404(
        InspectionPlan.objects.visible_to(user).select_related("department__region"), pk=pk
    )


def plan_items(plan: InspectionPlan):
    """The plan's own items (a supplement's items are listed with their supplement)."""
    return (
        plan.items.filter(supplement__isnull=True)
        .select_related("scope")
        .prefetch_related("villages")
        .annotate(n_visits=Count("visits"))
    )


def plan_supplements(plan: InspectionPlan):
    return plan.supplements.select_related("submitted_by", "decided_by").prefetch_related(
        "items__villages", "items__scope"
    )


def _village_visits(items) -> int:
    return sum(len(item.villages.all()) or item.village_count for item in items)


def plan_totals(plan: InspectionPlan, items) -> dict:
    """Village visits this plan holds, against the department's approved plan of the year before (seed 004's
    cut of 20% is what the office looks for)."""
    this = _village_visits(items)
    last_plan = InspectionPlan.objects.filter(
        department=plan.department, year=plan.year - 1, status=PlanStatus.APPROVED
    ).first()
    if last_plan is None:
        return {"this": this, "last": None, "change": None}
    last = _village_visits(last_plan.items.filter(ITEMS_IN_FORCE).prefetch_related("villages"))
    change = round((this - last) * 100 / last, 1) if last else None
    return {"this": this, "last": last, "change": change}


def supplement_get(user, pk: int) -> PlanSupplement:
    return get_object_or_404(
        PlanSupplement.objects.filter(plan__in=InspectionPlan.objects.visible_to(user)).select_related(
            "plan__department__region"
        ),
        pk=pk,
    )


def item_get(user, pk: int) -> PlanItem:
    return get_object_or_404(PlanItem.objects.filter(plan__in=InspectionPlan.objects.visible_to(user)), pk=pk)


def planning_departments(user) -> list[Department]:
    ids = access.department_ids(user, Capability.SUPERVISION_PLAN)
    return list(Department.objects.filter(pk__in=ids, is_active=True).select_related("region"))


# Visits -------------------------------------------------------------------------------------------------------


def visit_list(user, filters: dict | None = None):
    filters = filters or {}
    visits = InspectionVisit.objects.visible_to(user).select_related("village", "department", "plan_item")
    if filters.get("region"):
        visits = visits.filter(subtree_q([_prefix(filters["region"])], "village__code"))
    if filters.get("department"):
        visits = visits.filter(department_id=filters["department"])
    if filters.get("year"):
        visits = visits.filter(on__year=filters["year"])
    if filters.get("month"):
        visits = visits.filter(on__month=filters["month"])
    flag = filters.get("flag")
    if flag == "unplanned":
        visits = visits.filter(unplanned=True)
    elif flag == "materials":
        visits = visits.filter(materials_flag=True)
    elif flag == "veto":
        visits = visits.filter(veto_flag=True)
    elif flag == "over_limit":
        visits = visits.filter(over_limit=True)
    elif flag == "any":
        visits = visits.filter(FLAGGED)
    return visits.order_by("-on", "-id")


def visit_get(user, pk: int) -> InspectionVisit:
    return get_object_or_404(
        InspectionVisit.objects.visible_to(user).select_related(
            "village", "department", "plan_item__plan", "recorded_by"
        ),
        pk=pk,
    )


def sees_recorder(user, visit: InspectionVisit) -> bool:
    """Who recorded a visit is shown to the region's side only, never to the department that was recorded."""
    return visit.village.is_within(access.region_prefixes(user, Capability.SUPERVISION_VIEW))


def parse_filters(params) -> dict:
    filters = {}
    for key in ("region", "flag"):
        if params.get(key):
            filters[key] = params.get(key).strip()
    for key in ("department", "year", "month"):
        value = (params.get(key) or "").strip()
        if value.isdigit():
            filters[key] = int(value)
    return filters


# Villages, placards, mechanisms ----------------------------------------------------------------------------------


def recording_villages(user) -> list[Region]:
    """Villages the user may record for: their own village, or the villages of their township/county."""
    prefixes = access.region_prefixes(user, Capability.SUPERVISION_RECORD)
    if not prefixes:
        return []
    return list(
        Region.objects.filter(subtree_q(prefixes), level=Level.VILLAGE, is_active=True).order_by("code")
    )


def village_get(user, code: str) -> Region:
    prefixes = access.region_prefixes(user, Capability.SUPERVISION_VIEW)
    return get_object_or_404(Region.objects.filter(subtree_q(prefixes), level=Level.VILLAGE), code=code)


def region_get(user, code: str) -> Region:
    prefixes = access.region_prefixes(user, Capability.SUPERVISION_VIEW)
    return get_object_or_404(Region.objects.filter(subtree_q(prefixes)), code=code)


def home_region(user) -> Region | None:
    """The widest region the user views supervision in (a county office: the county)."""
    regions = [
        a.region
        for a in access.assignments(user)
        if a.region.prefix in access.region_prefixes(user, Capability.SUPERVISION_VIEW)
    ]
    return min(regions, key=lambda r: r.level) if regions else None


def placard_get(user, pk: int) -> Placard:
    return get_object_or_404(Placard.objects.visible_to(user).select_related("village", "removed_by"), pk=pk)


def mechanism_get(user, pk: int) -> Mechanism:
    return get_object_or_404(
        Mechanism.objects.visible_to(user).select_related("village", "removed_by"), pk=pk
    )


def placard_list(user, filters: dict | None = None):
    filters = filters or {}
    placards = Placard.objects.visible_to(user).select_related("village", "removed_by")
    if filters.get("region"):
        placards = placards.filter(subtree_q([_prefix(filters["region"])], "village__code"))
    if filters.get("kind") in PlacardKind.values:
        placards = placards.filter(kind=filters["kind"])
    elif filters.get("kind") == "placards":  # every kind but wall rules, as the removal counts go
        placards = placards.filter(kind__in=PLACARD_KINDS)
    if filters.get("status") in PlacardStatus.values:
        placards = placards.filter(status=filters["status"])
    if filters.get("year"):
        placards = placards.filter(removed_on__year=filters["year"])
    return placards.order_by("village__code", "kind", "id")


def _prefix(code: str) -> str:
    region = Region.objects.filter(code=code).first()
    return region.prefix if region else code


# Contract figures for monitoring ---------------------------------------------------------------------------------


def _villages_under(region: Region):
    return Region.objects.filter(subtree_q([region.prefix]), level=Level.VILLAGE)


def planned_count(region: Region, year: int) -> int:
    """Village visits planned in approved plans that fall in the region: named villages in it, plus the numbers
    planned for scopes inside it; a number planned for a wider scope counts in proportion to its villages."""
    return planned_counts(region, [year])[year]


def planned_counts(region: Region, years) -> dict[int, int]:
    """``planned_count`` of each of ``years``, the plans of all of them read at once."""
    years = sorted(set(years))
    items = PlanItem.objects.filter(
        ITEMS_IN_FORCE, plan__year__in=years, plan__status=PlanStatus.APPROVED
    ).select_related("scope", "plan")
    named = Counter(
        items.filter(subtree_q([region.prefix], "villages__code")).values_list("plan__year", "pk")
    )
    totals = dict.fromkeys(years, 0)
    for (on_year, _), n in named.items():
        totals[on_year] += n
    for item in items.filter(village_count__gt=0):
        if item.scope.is_within([region.prefix]):
            totals[item.plan.year] += item.village_count
        elif region.is_within([item.scope.prefix]):
            share = _villages_under(region).count() / max(_villages_under(item.scope).count(), 1)
            totals[item.plan.year] += round(item.village_count * share)
    return totals


def inspection_counts(*, region, year: int) -> dict:
    """For monitoring's dashboards: village-level inspections under ``region`` in ``year``:
    ``{"planned": int, "actual": int, "unplanned": int}``."""
    return inspection_counts_by_year(region=region, years=[year])[year]


def inspection_counts_by_year(*, region, years) -> dict[int, dict]:
    """``inspection_counts`` of each of ``years`` (a dashboard's year and the one before) in two reads, not two a
    year (#23)."""
    years = sorted(set(years))
    visits = InspectionVisit.objects.filter(
        subtree_q([region.prefix], "village__code"),
        on__gte=date(years[0], 1, 1),
        on__lte=date(years[-1], 12, 31),
    )
    counted = {
        y: (actual, unplanned)
        for y, actual, unplanned in visits.annotate(y=ExtractYear("on"))
        .values_list("y")
        .annotate(actual=Count("pk"), unplanned=Count("pk", filter=Q(unplanned=True)))
        .order_by()
        if y in years
    }
    planned = planned_counts(region, years)
    return {
        y: {
            "planned": planned[y],
            "actual": counted.get(y, (0, 0))[0],
            "unplanned": counted.get(y, (0, 0))[1],
        }
        for y in years
    }


def placard_removals(*, region, year: int) -> dict:
    """For monitoring's dashboards: ``{"placards": int, "wall_rules": int}`` removed under ``region`` in ``year``."""
    return placard_removals_by_year(region=region, years=[year])[year]


def placard_removals_by_year(*, region, years) -> dict[int, dict]:
    """``placard_removals`` of each of ``years`` in one read."""
    years = sorted(set(years))
    removed = Placard.objects.filter(
        subtree_q([region.prefix], "village__code"),
        status=PlacardStatus.REMOVED,
        removed_on__gte=date(years[0], 1, 1),
        removed_on__lte=date(years[-1], 12, 31),
    )
    counts: dict[int, dict] = {y: {} for y in years}
    for y, kind, n in (
        removed.annotate(y=ExtractYear("removed_on"))
        .values_list("y", "kind")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        if y in counts:
            counts[y][kind] = n
    return {
        y: {
            "placards": sum(found.get(k, 0) for k in PLACARD_KINDS),
            "wall_rules": found.get(PlacardKind.WALL_RULE, 0),
        }
        for y, found in counts.items()
    }


def home_tasks(user) -> list:
    """Annual inspection plans waiting for approval."""
    if not may_view(user) or not user.has_capability(Capability.SUPERVISION_APPROVE):
        return []
    return [
        HomeTask(
            "份督查检查计划待审批",
            plan_list(user).filter(status=PlanStatus.SUBMITTED).count(),
            f"{reverse('supervision:plans')}?status={PlanStatus.SUBMITTED}",
            action="去审批",
        )
    ]
