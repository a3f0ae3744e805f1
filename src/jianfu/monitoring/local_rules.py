"""The numbers of monitoring that a county chooses, as region settings (区划设置): who may summon village cadres to
a meeting and how often, and the working days a department named in a bulletin has to rectify.

Each is read for the village (or the bulletin's region) on the day it applies to: a meeting on the day it was
held, a rectification deadline on the day the bulletin is published."""

from datetime import date

from jianfu.orgs.models import Level
from jianfu.orgs.region_settings import register_setting, setting_in_force, setting_value

MEETING_GROUP = "会议召集规则"
# Whether a department of each level may summon village (community) cadres to a meeting directly; the platform's
# default lets the county's departments and the township do so (they co-ordinate what reaches the village).
SUMMON_LEVELS = {
    Level.PROVINCE: ("monitoring.meeting_summon.province", False),
    Level.PREFECTURE: ("monitoring.meeting_summon.prefecture", False),
    Level.COUNTY: ("monitoring.meeting_summon.county", True),
    Level.TOWNSHIP: ("monitoring.meeting_summon.township", True),
}
LEVEL_WORDS = {
    Level.PROVINCE: "省级",
    Level.PREFECTURE: "市（州）级",
    Level.COUNTY: "县级",
    Level.TOWNSHIP: "乡镇（街道）",
}
MEETINGS_PER_MONTH = "monitoring.meetings_per_month"
RECTIFY_DAYS = "monitoring.rectify_days"


def register() -> None:
    for level, (key, default) in SUMMON_LEVELS.items():
        register_setting(
            key,
            label=f"{LEVEL_WORDS[level]}单位可直接召集村（社区）干部参加会议",
            default=default,
            kind="bool",
            group=MEETING_GROUP,
            help="选“否”的，该层级单位召集村（社区）干部开会即认定为未经统筹直接召集，进入纪检监察研判。",
        )
    register_setting(
        MEETINGS_PER_MONTH,
        label="同一单位每月召集同一村（社区）干部参加会议的次数上限",
        default=2,
        kind="int",
        unit=" 次",
        minimum=1,
        maximum=31,
        group=MEETING_GROUP,
        help="按会议召开的月份计；超过的那一次进入纪检监察研判。",
    )
    register_setting(
        RECTIFY_DAYS,
        label="被通报单位的整改期限",
        default=15,
        kind="int",
        unit=" 个工作日",
        minimum=1,
        maximum=60,
        group="通报整改",
        help="自通报发布之日起按工作日计算；按发布当日施行的期限，已发布通报的期限不变。",
    )


def summon_levels(village, on: date) -> tuple[int, ...]:
    """The levels whose departments may summon the village's cadres to a meeting on ``on``."""
    return tuple(level for level, (key, _) in SUMMON_LEVELS.items() if setting_value(village, key, on=on))


def meetings_per_month(village, on: date):
    """The monthly limit in force for the village on ``on`` (an ``InForce``: value and where it comes from)."""
    return setting_in_force(village, MEETINGS_PER_MONTH, on)


def rectify_days(region, on: date) -> int:
    return int(setting_value(region, RECTIFY_DAYS, on=on))
