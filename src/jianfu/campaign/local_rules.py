"""The numbers seed 003 gives as one county's choices, as region settings (区划设置) a county may set its own:
township classification weights (5:3:2), the dispatched-agency evaluation's weights (40/20/40), its 90% rule and
its head rule, and the community service station's staffing and the committee's composition.

Each figure is computed with the version in force on its date: a classification or an agency evaluation on the
last day of its year, a staffing check today."""

from datetime import date
from decimal import Decimal

from django.utils import timezone

from jianfu.orgs.models import subtree_q
from jianfu.orgs.region_settings import InForce, register_setting, setting_in_force

CLASS_WEIGHTS = "campaign.class_weights"
AGENCY_WEIGHTS = "campaign.agency_weights"
AGENCY_EXCELLENT_RATE = "campaign.agency_excellent_rate"
AGENCY_HEAD_RULE = "campaign.agency_head_rule"
STATION_POPULATION = "campaign.station_population"
STATION_STAFF = "campaign.station_staff"
COMMITTEE = "campaign.committee_composition"
VILLAGE_WEIGHTS = "campaign.village_weights"
VILLAGE_PARTS = {
    "satisfaction": "群众满意度",
    "service": "为民服务",
    "autonomy": "自治与协商",
    "assist": "依法协助工作",
}

CLASS_PARTS = {"population": "人口", "revenue": "财政收入", "area": "辖区面积"}
AGENCY_PARTS = {
    "territorial": "履行属地职责（乡镇评）",
    "satisfaction": "群众满意度（乡镇评）",
    "statutory": "履行法定职责（派出部门评）",
}
COMMITTEE_PARTS = {"secretary": "社区党组织书记", "director": "社区居委会主任", "member": "专职委员"}


def year_end(year: int) -> date:
    return date(year, 12, 31)


def _closed_years(model, field):
    """Results of a year before this one are final: a version dated on or before their year's end would change
    them."""

    def closed(region, since: date) -> str:
        years = sorted(
            set(
                model.objects.filter(subtree_q([region.prefix], field), year__lt=timezone.localdate().year)
                .filter(year__gte=since.year)
                .values_list("year", flat=True)
            )
        )
        return "、".join(f"{y}年" for y in years) + model._meta.verbose_name if years else ""

    return closed


def register() -> None:
    from .models import AgencyEvaluation, ClassificationRound

    group = "乡镇（街道）分类与派驻机构考评"
    register_setting(
        CLASS_WEIGHTS,
        label="乡镇（街道）分类权重",
        default={"population": 50, "revenue": 30, "area": 20},
        kind="weights",
        parts=CLASS_PARTS,
        group=group,
        help="各项指标与全县乡镇平均值之比（平均=100）按此加权为综合指数；某年度的分类按该年 12 月 31 日施行的权重。",
        closed=_closed_years(ClassificationRound, "county__code"),
    )
    register_setting(
        AGENCY_WEIGHTS,
        label="派驻机构考评分值",
        default={"territorial": 40, "satisfaction": 20, "statutory": 40},
        kind="weights",
        parts=AGENCY_PARTS,
        group=group,
        help="满分 100 分在三部分之间的分配（分）；某年度的考评按该年 12 月 31 日施行的分值。",
        closed=_closed_years(AgencyEvaluation, "township__code"),
    )
    register_setting(
        AGENCY_EXCELLENT_RATE,
        label="派驻机构评为优秀须达到的乡镇考核得分率",
        default=90,
        kind="percent",
        group=group,
        closed=_closed_years(AgencyEvaluation, "township__code"),
    )
    register_setting(
        AGENCY_HEAD_RULE,
        label="派驻机构未评为优秀的，其负责人不得评为优秀",
        default=True,
        kind="bool",
        group=group,
        closed=_closed_years(AgencyEvaluation, "township__code"),
    )
    register_setting(
        VILLAGE_WEIGHTS,
        label="村（社区）综合考评指标的初始权重",
        default={"satisfaction": 50, "service": 20, "autonomy": 15, "assist": 15},
        kind="weights",
        parts=VILLAGE_PARTS,
        group="村（社区）综合考评",
        help="乡镇（街道）新建年度考评时指标的初始权重（建立后仍可在草稿中调整）；群众满意度须高于其他任何一项。",
        validate=_satisfaction_heaviest,
    )
    group = "社区工作者配备"
    register_setting(
        STATION_POPULATION,
        label="按常住人口核定服务站人数的界线",
        default={"min": 5000, "max": 10000},
        kind="range",
        parts={"min": "起点（人）", "max": "较大社区起点（人）"},
        unit=" 人",
        minimum=0,
        group=group,
        help="常住人口达到起点的社区按“一般社区”配备，超过较大社区起点的按“较大社区”配备；不足起点的不作规定。",
    )
    register_setting(
        STATION_STAFF,
        label="社区服务站专职工作人员",
        default={"mid": {"min": 5, "max": 5}, "large": {"min": 5, "max": 7}},
        kind="ranges",
        parts={"mid": "一般社区", "large": "较大社区"},
        unit=" 人",
        minimum=0,
        maximum=50,
        group=group,
    )
    register_setting(
        COMMITTEE,
        label="社区“两委”专职人员构成",
        default={
            "secretary": {"min": 1, "max": 1},
            "director": {"min": 1, "max": 1},
            "member": {"min": 2, "max": 3},
        },
        kind="ranges",
        parts=COMMITTEE_PARTS,
        unit=" 人",
        minimum=0,
        maximum=20,
        group=group,
    )


def _satisfaction_heaviest(value: dict) -> None:
    from django.core.exceptions import ValidationError

    others = max(v for k, v in value.items() if k != "satisfaction")
    if value["satisfaction"] <= others:
        raise ValidationError(
            f"「群众满意度」是主要衡量标准，其权重（{value['satisfaction']}%）须高于其他任何一项（现最高 {others}%）。"
        )


def in_force(region, key: str, on: date | None = None) -> InForce:
    return setting_in_force(region, key, on)


def class_weights(county, year: int) -> InForce:
    return setting_in_force(county, CLASS_WEIGHTS, year_end(year))


def fractions(weights: dict) -> dict[str, Decimal]:
    return {k: Decimal(str(v)) / Decimal(100) for k, v in weights.items()}


def agency_weights(township, year: int) -> dict[str, Decimal]:
    return {
        k: Decimal(str(v))
        for k, v in setting_in_force(township, AGENCY_WEIGHTS, year_end(year)).value.items()
    }
