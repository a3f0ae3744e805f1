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
    *,
    department,
    village,
    on: date,
    kind: str = "",
    demanded_materials: bool = False,
    earlier_this_week: list[tuple[int, date]] | None = None,
) -> Check:
    """Broken when the visit is in no approved plan item of the department (same type when given, month
    window, village in scope or count not used up), when it demanded briefing materials, or when its plan
    item carries a one-vote veto (seeds 000, 002, 004), or when it passes the weekly limit the county set.
    ``department``/``village`` may be objects, a department pk or name, a region code; ``earlier_this_week``
    the (department pk, day) of the caller's other records of inspections at the village that week (the
    caller's own ledger: a monitor's records are counted among themselves, the village's among theirs)."""
    dept, place = _department(department), _village(village)
    if dept is None:
        return Check.unknown("未指明督查检查的部门，无法核对年度计划")
    if place is None or place.level != Level.VILLAGE:
        return Check.unknown("未指明被督查检查的村（社区），无法核对年度计划")
    if kind and kind not in InspectionKind.values:
        kind = ""
    weekly = ""
    if earlier_this_week is not None:
        earlier = rules.visits_before(earlier_this_week, dept.pk, on)
        weekly = rules.weekly_breach(village=place, on=on, earlier=earlier)
    verdict = rules.verdict_for(
        department=dept, village=place, on=on, kind=kind, demanded_materials=demanded_materials, weekly=weekly
    )
    detail = verdict.detail(dept.name, place.name, on)
    url = reverse("supervision:plan_detail", kwargs={"pk": verdict.item.plan_id}) if verdict.item else ""
    if verdict.rule:
        return Check.broken(verdict.rule, detail, url)
    return Check.ok(rules.RULE_PLANNED, detail, url)


RULE_PLACARD_DEMAND = "不得要求村（社区）对口挂牌"
RULE_MECHANISM_DEMAND = "不得要求村（社区）新设工作机制或专人专岗"
RULE_PLACARD_STANDARD = "属于村级组织牌子标准"
MECHANISM_WORDS = ("工作站", "工作室", "服务站", "分中心", "专人专岗", "专干", "机制")


def placard_demand_check(*, village, title: str) -> Check:
    """A demand to hang a placard (or set up a mechanism) at the village, against the placard standard in force
    for it (the nearest region's, else the published 4 + 2 + 9 rule): kept when the name fills an entry of the
    standard or the wall-rule catalogue, broken otherwise."""
    place = _village(village)
    title = (title or "").strip()
    if place is None or not title:
        return Check.unknown("未写明村（社区）或牌子名称，无法核对牌子标准")
    standard = rules.standard_for(place)
    entry = rules.entry_for(title, [*standard["outside_placards"], *standard["outside_signs"]])
    if entry:
        return Check.ok(RULE_PLACARD_STANDARD, f"“{title}”属于牌子标准中的“{entry}”。")
    if any(k and k in title for k in standard["wall_rules"]):
        return Check.ok(RULE_PLACARD_STANDARD, f"“{title}”属于可上墙的制度。")
    names = "、".join(e["name"] for e in [*standard["outside_placards"], *standard["outside_signs"]])
    detail = f"“{title}”不在牌子标准之内（外部只保留{names}）。"
    if any(word in title for word in MECHANISM_WORDS):
        return Check.broken(RULE_MECHANISM_DEMAND, detail)
    return Check.broken(RULE_PLACARD_DEMAND, detail)
