"""Public page, no login: the approved annual inspection plans of a county's departments (黔西南州 "到村督查检查
考核计划报批制度"; a village can see whether a visit was planned). Printable; nothing personal in it."""

from django.db.models import Prefetch
from django.shortcuts import render

from jianfu.catalog.selectors import counties_for_public
from jianfu.core.years import year_param
from jianfu.orgs.models import subtree_q

from ..models import ITEMS_IN_FORCE, InspectionPlan, PlanItem, PlanStatus


def plans(request):
    counties = counties_for_public()
    county = counties.filter(code=request.GET.get("county", "")).first() or counties.first()
    year = year_param(request)
    approved = InspectionPlan.objects.none()
    if county is not None:
        approved = (
            InspectionPlan.objects.filter(
                subtree_q([county.prefix], "department__region__code"), status=PlanStatus.APPROVED, year=year
            )
            .select_related("department")
            .prefetch_related(
                Prefetch("items", PlanItem.objects.filter(ITEMS_IN_FORCE)), "items__villages", "items__scope"
            )
            .order_by("department__name")
        )
    context = {"counties": counties, "county": county, "year": year, "plans": approved}
    return render(request, "supervision/public_plans.html", context)
