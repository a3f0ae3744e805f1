"""Which body reviews an application, by the applying department's level.

- A county department's item goes to the county's 社区工作事项审核委员会 (《关于建立社区工作事项准入、变更及退出制度的
  指导意见》 arts. 3–8): its office (县民政局) reviews, its director approves.
- A prefecture department's item goes to the 州县联席会议 (《关于规范村(社区)职能职责全面推进村级组织减负赋能的实施
  意见》, "一般事务……报州县联席会议批准"): the prefecture's office and chair, with every county the item reaches
  giving its opinion at the joint meeting.
- A township department's item goes to the township's own admission review (《社区减负专项行动实施方案》 五（二）
  "各乡镇要结合实际实行社区工作准入制度"): the township's office and its party committee and government.

Each level uses the same roles (审核委员会办公室, 审核委员会主任) assigned on that level's region; nobody
reviews another level's item by standing above it.
"""

from django.core.exceptions import ValidationError

from jianfu.orgs.models import Department, Level, Region, subtree_q


def reviewing_region(department: Department) -> Region:
    """The region whose body reviews the department's applications: its prefecture, county or township."""
    region = department.region
    if region.level == Level.PROVINCE or region.level == Level.VILLAGE:
        raise ValidationError(
            {"applicant": "准入申请由市（州）、县（市、区）或乡镇（街道）的部门和议事协调机构提出。"}
        )
    return region


def body_name(region: Region) -> str:
    """The reviewing body's name, as the decision and the notice carry it."""
    if region.level == Level.PREFECTURE:
        joint = "州县" if region.name.endswith("州") else "市县"
        return f"{region.name}{joint}联席会议"
    if region.level == Level.TOWNSHIP:
        return f"{region.name}社区工作准入审核（乡镇党委、政府）"
    return f"{region.name}社区工作事项审核委员会"


def scope_word(region: Region) -> str:
    """本州（市）/本县/本乡镇, for the scope's wording and refusals."""
    if region.level == Level.PREFECTURE:
        return "本市（州）"
    return "本乡镇（街道）" if region.level == Level.TOWNSHIP else "本县"


def lowest_scope_level(region: Region) -> int:
    """The scope may name regions below the reviewing region: a prefecture item its counties, townships and
    villages; a county item its townships and villages; a township item its villages."""
    return region.level + 1


def joint_counties(application) -> list[Region]:
    """The counties a prefecture item reaches: each gives its opinion at the joint meeting."""
    region = application.county
    if region.level != Level.PREFECTURE:
        return []
    counties = Region.objects.filter(subtree_q([region.prefix]), level=Level.COUNTY, is_active=True)
    if application.scope_all:
        return list(counties.order_by("code"))
    chosen = {r.code[:6] for r in application.scope_regions.all()}
    return [c for c in counties.order_by("code") if c.code[:6] in chosen]
