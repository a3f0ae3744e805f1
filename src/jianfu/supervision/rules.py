"""The two rule checks of this app, as pure reads: a visit against the approved plans, and a village's placards
and mechanisms against the standard. Services store their verdicts; monitoring asks through ``checks.py``."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count

from jianfu.orgs.models import Region
from jianfu.orgs.region_settings import register_setting, setting_in_force

from .models import (
    ITEMS_IN_FORCE,
    InspectionPlan,
    InspectionVisit,
    Mechanism,
    Placard,
    PlacardKind,
    PlacardStandard,
    PlacardStatus,
    PlanItem,
    PlanStatus,
)

# A visit matches an item planned for its month or the month before or after: plans name a month, and a
# visit slipping a few days across a month end is still the planned one.
MONTH_WINDOW = 1

RULE_UNPLANNED = "未列入年度督查检查计划"
RULE_MATERIALS = "要求村（社区）准备汇报材料"
RULE_VETO = "设置一票否决事项"
RULE_PLANNED = "列入年度督查检查计划"
RULE_WEEKLY = "超过本地规定的每周到村（社区）督查检查考核次数"

# The county may set how many inspections a village receives in a week, all departments together (seed 004 and
# the national rules ask for fewer, not a number: the number is the county's choice; 0 = none set).
WEEKLY_LIMIT = "supervision.weekly_visit_limit"


def register() -> None:
    register_setting(
        WEEKLY_LIMIT,
        label="每周到同一村（社区）督查检查考核的次数上限",
        default=0,
        kind="int",
        unit=" 次",
        minimum=0,
        maximum=20,
        group="督查检查考核",
        help="各部门合计，按自然周（周一至周日）计，连续几天的同一次检查算一次；填 0 表示不设上限。"
        "超过的那一次标记为“超过每周次数上限”，进入纪检监察研判。",
    )


def week_of(on: date) -> tuple[date, date]:
    start = on - timedelta(days=on.weekday())
    return start, start + timedelta(days=6)


def visits_before(days: list[tuple[int, date]], department_id: int, on: date) -> int | None:
    """How many separate visits the village had this week before this one, from ``days`` (department, day) of the
    week's other records; None when this record continues a visit already counted (the same department on an
    adjoining day). A department's records on consecutive days are one visit."""
    if any(d == department_id and abs((on - day).days) <= 1 for d, day in days):
        return None
    visits = 0
    for dept in {d for d, _ in days}:
        mine = sorted(day for d, day in days if d == dept)
        visits += 1 + sum(1 for a, b in zip(mine, mine[1:], strict=False) if (b - a).days > 1)
    return visits


def weekly_breach(*, village: Region, on: date, earlier: int | None) -> str:
    """ "" when the village's weekly limit in force on ``on`` is not set or not passed by this visit (``earlier``
    separate visits before it this week, None: it continues one); else the detail a bulletin can quote."""
    limit = setting_in_force(village, WEEKLY_LIMIT, on)
    if earlier is None or int(limit.value) <= 0 or earlier + 1 <= int(limit.value):
        return ""
    start, end = week_of(on)
    return (
        f"{village.name}在{start:%-m月%-d日}至{end:%-m月%-d日}这一周已接受督查检查考核{earlier}次，"
        f"本地规定每周至多{limit.describe()}。"
    )


def weekly_breach_for_visit(*, village: Region, department, on: date, exclude_pk=None) -> str:
    """The weekly check of a visit against the village's other recorded visits of the week."""
    start, end = week_of(on)
    rows = InspectionVisit.objects.filter(village=village, on__gte=start, on__lte=end)
    if exclude_pk is not None:
        rows = rows.exclude(pk=exclude_pk)
    days = list(rows.values_list("department_id", "on"))
    return weekly_breach(village=village, on=on, earlier=visits_before(days, department.pk, on))


# Seeds 001 and 004: outside a village's premises only the placards of the village party organisation, the
# village committee, the village affairs supervision committee and the collective economic organisation, and
# two signs; seed 001: 9 placards inside. Wall rules: the statutory disclosure boards only (村民委员会组织法
# art. 30 村务公开; 党务公开条例) unless the county's catalogue adds more.
DEFAULT_STANDARD = {
    "outside_placards": [
        {"name": "村（社区）党组织", "keywords": ["党支部", "党总支", "党委", "支部委员会", "党组织"]},
        {"name": "村（居）民委员会", "keywords": ["村民委员会", "居民委员会", "村委会", "居委会"]},
        {"name": "村（居）务监督委员会", "keywords": ["务监督委员会"]},
        # Not a bare "合作社": a 农民专业合作社 is a private body, not the village's collective (seed 004).
        {"name": "集体经济组织", "keywords": ["经济合作社", "经济联合社", "集体经济", "股份合作社"]},
    ],
    "outside_signs": [
        {"name": "党群服务中心", "keywords": ["党群服务中心"]},
        {"name": "新时代文明实践站", "keywords": ["新时代文明实践站"]},
    ],
    "inside_max": 9,
    "wall_rules": ["党务公开", "村务公开", "居务公开", "财务公开"],
    "source": "田家庵区《关于规范村级组织工作事务、机制牌子和证明事项的工作措施》（外部标牌 4 个、外部标识 2 个、内部标牌 9 个）；"
    "黔西南州《关于规范村（社区）职能职责全面推进村级组织减负赋能的实施意见》（4 块标牌、2 个标识）",
}


# Inspection plans --------------------------------------------------------------------------------------------


def _months(on: date) -> list[int]:
    return [m for m in range(on.month - MONTH_WINDOW, on.month + MONTH_WINDOW + 1) if 1 <= m <= 12]


def _covers(item: PlanItem, village: Region, on: date, used: dict) -> bool:
    """The item names the village, or plans a number of villages in a scope the village lies in and that number
    is not yet used up by other villages' visits. An item plans one visit per village: a village already visited
    under it is covered again only on a day of that same visit (the same day recorded twice, or the next day of a
    visit lasting several consecutive days, which counts once), so repeated visits cannot hide under one planned
    line."""
    visited = used.get(item.pk, {})
    if village.pk in visited:
        return _same_visit(on, visited[village.pk])
    named = [v.pk for v in item.villages.all()]
    if named:
        return village.pk in named
    if not village.is_within([item.scope.prefix]):
        return False
    return len(visited) < item.village_count


def _same_visit(on: date, days: set) -> bool:
    """The day is one already recorded, or adjoins one: a visit over consecutive days is one visit."""
    return any(abs((on - day).days) <= 1 for day in days)


def _used(items) -> dict:
    """item pk -> {village pk -> the days it was visited under the item}."""
    rows = InspectionVisit.objects.filter(plan_item__in=items).values_list("plan_item_id", "village_id", "on")
    used: dict = {}
    for item_id, village_id, day in rows:
        used.setdefault(item_id, {}).setdefault(village_id, set()).add(day)
    return used


def matching_item(*, department, village: Region, on: date, kind: str = "") -> PlanItem | None:
    """The approved plan item of the department that covers a visit to the village on the date."""
    items = PlanItem.objects.filter(
        ITEMS_IN_FORCE,
        plan__department=department,
        plan__year=on.year,
        plan__status=PlanStatus.APPROVED,
        month__in=_months(on),
    )
    if kind:
        items = items.filter(kind=kind)
    items = list(items.select_related("scope", "plan").prefetch_related("villages"))
    used = _used(items)
    # The month itself first, then the neighbouring months.
    items.sort(key=lambda i: (abs(i.month - on.month), i.pk))
    return next((item for item in items if _covers(item, village, on, used)), None)


@dataclass(frozen=True)
class Verdict:
    item: PlanItem | None
    unplanned: bool
    materials: bool
    veto: bool
    weekly: str = ""  # the weekly limit's breach, in words ("" when within it or none is set)

    @property
    def over_limit(self) -> bool:
        return bool(self.weekly)

    @property
    def rule(self) -> str:
        if self.unplanned:
            return RULE_UNPLANNED
        if self.veto:
            return RULE_VETO
        if self.materials:
            return RULE_MATERIALS
        if self.weekly:
            return RULE_WEEKLY
        return ""

    def detail(self, department_name: str, village_name: str, on: date) -> str:
        if self.item is None:
            text = f"{department_name}{on.year}年度已批准的督查检查考核计划中，没有{on.month}月前后到{village_name}的事项。"
            return text + self.weekly
        problems = [f"对应计划事项：{self.item}"]
        if self.veto:
            problems.append("该事项设置了一票否决")
        if self.materials:
            problems.append("要求村（社区）准备汇报材料")
        return "；".join(problems) + "。" + self.weekly


def verdict_for(
    *,
    department,
    village: Region,
    on: date,
    kind: str = "",
    demanded_materials: bool = False,
    weekly: str = "",
):
    """``weekly``: the weekly limit's breach as the caller counted it (``weekly_breach``), "" when none."""
    item = matching_item(department=department, village=village, on=on, kind=kind)
    return Verdict(
        item=item,
        unplanned=item is None,
        materials=bool(demanded_materials or (item and item.demands_materials)),
        veto=bool(item and item.veto),
        weekly=weekly,
    )


def approved_plan(department, year: int) -> InspectionPlan | None:
    return InspectionPlan.objects.filter(department=department, year=year, status=PlanStatus.APPROVED).first()


# Placards and mechanisms -------------------------------------------------------------------------------------


def standard_for(region: Region) -> dict:
    """The standard of the nearest region up the tree that has one, else the seeds' default."""
    codes = [r.code for r in region.ancestors()] + [region.code]
    found = {
        s.region.code: s
        for s in PlacardStandard.objects.filter(region__code__in=codes).select_related("region")
    }
    for code in reversed(codes):
        if code in found:
            s = found[code]
            return {
                "outside_placards": s.outside_placards,
                "outside_signs": s.outside_signs,
                "inside_max": s.inside_max,
                "wall_rules": s.wall_rules,
                "source": s.source,
                "region": s.region,
            }
    return {**DEFAULT_STANDARD, "region": None}


@dataclass
class Finding:
    """One placard or mechanism that must come down, and why."""

    obj: object
    reason: str


@dataclass
class VillageCheck:
    standard: dict
    placards: list = field(default_factory=list)
    mechanisms: list = field(default_factory=list)
    over: list[Finding] = field(default_factory=list)
    kept: dict = field(default_factory=dict)  # placard pk -> the standard entry it fills

    @property
    def over_ids(self) -> set:
        return {id(f.obj) for f in self.over}

    def reason_for(self, obj) -> str:
        return next((f.reason for f in self.over if f.obj is obj), "")


def entry_for(title: str, entries: list) -> str:
    """The name of the standard entry a placard titled ``title`` fills, or ""."""
    return next((e["name"] for e in entries if any(k and k in title for k in e.get("keywords", []))), "")


def _check_named(placards, entries: list, label: str, check: VillageCheck) -> None:
    names = "、".join(e["name"] for e in entries)
    filled: set = set()
    for placard in placards:
        entry = entry_for(placard.title, entries)
        if not entry:
            check.over.append(Finding(placard, f"{label}只保留{len(entries)}个（{names}），此块不在其列"))
        elif entry in filled:
            check.over.append(Finding(placard, f"“{entry}”已有{label}，此块重复"))
        else:
            filled.add(entry)
            check.kept[placard.pk] = entry


def check_village(village: Region) -> VillageCheck:
    """What in the village must come down under the standard in force for it."""
    standard = standard_for(village)
    placards = list(Placard.objects.filter(village=village, status=PlacardStatus.UP).order_by("id"))
    mechanisms = list(Mechanism.objects.filter(village=village, status=PlacardStatus.UP).order_by("id"))
    check = VillageCheck(standard, placards, mechanisms)
    by_kind = {k: [p for p in placards if p.kind == k] for k in PlacardKind.values}
    _check_named(by_kind[PlacardKind.OUTSIDE_PLACARD], standard["outside_placards"], "外部标牌", check)
    _check_named(by_kind[PlacardKind.OUTSIDE_SIGN], standard["outside_signs"], "外部标识", check)
    for extra in by_kind[PlacardKind.INSIDE_PLACARD][standard["inside_max"] :]:
        check.over.append(Finding(extra, f"内部标牌最多{standard['inside_max']}块，此块超出"))
    for rule in by_kind[PlacardKind.WALL_RULE]:
        if not any(k and k in rule.title for k in standard["wall_rules"]):
            check.over.append(Finding(rule, "不在可上墙制度目录内"))
    for mechanism in mechanisms:
        if not mechanism.legal_basis.strip():
            check.over.append(Finding(mechanism, "无法律法规或中央、省级文件依据，不得在村设立工作机制"))
    return check


def over_counts(villages) -> dict:
    """For summaries: village pk -> number of things that must come down. One check per village with
    placards or mechanisms up (villages without any have nothing over)."""
    with_any = set(
        Placard.objects.filter(village__in=villages, status=PlacardStatus.UP).values_list(
            "village_id", flat=True
        )
    ) | set(
        Mechanism.objects.filter(village__in=villages, status=PlacardStatus.UP).values_list(
            "village_id", flat=True
        )
    )
    return {v.pk: len(check_village(v).over) for v in villages if v.pk in with_any}


def removals_by(queryset) -> dict:
    return dict(queryset.values_list("kind").annotate(n=Count("pk")).order_by())
