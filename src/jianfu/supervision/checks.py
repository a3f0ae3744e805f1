"""What monitoring asks of supervision: was an inspection at a village planned and approved?

Contract (monitoring calls it; keep the signature): returns a ``Check``. A pure read: asking changes nothing.
"""

from datetime import date

from django.urls import reverse

from jianfu.core.checks import Check
from jianfu.orgs.models import Department, Level, Region

from . import rules
from .models import InspectionKind


def _department(value) -> Department | None:
    if isinstance(value, Department):
        return value
    if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
        return Department.objects.filter(pk=int(value)).first()
    return Department.objects.filter(name=value).first() if value else None


def _village(value) -> Region | None:
    if isinstance(value, Region):
        return value
    return Region.objects.filter(code=value).first() if value else None


def inspection_check(
    *, department, village, on: date, kind: str = "", demanded_materials: bool = False
) -> Check:
    """Broken when the visit is in no approved plan item of the department (same type when given, month
    window, village in scope or count not used up), when it demanded briefing materials, or when its plan
    item carries a one-vote veto (seeds 000, 002, 004). ``department``/``village`` may be objects, a
    department pk or name, a region code."""
    dept, place = _department(department), _village(village)
    if dept is None:
        return Check.unknown("未指明督查检查的部门，无法核对年度计划")
    if place is None or place.level != Level.VILLAGE:
        return Check.unknown("未指明被督查检查的村（社区），无法核对年度计划")
    if kind and kind not in InspectionKind.values:
        kind = ""
    verdict = rules.verdict_for(
        department=dept, village=place, on=on, kind=kind, demanded_materials=demanded_materials
    )
    detail = verdict.detail(dept.name, place.name, on)
    url = reverse("supervision:plan_detail", kwargs={"pk": verdict.item.plan_id}) if verdict.item else ""
    if verdict.rule:
        return Check.broken(verdict.rule, detail, url)
    return Check.ok(rules.RULE_PLANNED, detail, url)
