"""How many working days each admission step may take: a setting per region (区划设置), read on the day the step
starts, so one county's limits never move another's deadlines."""

from datetime import date

from jianfu.orgs.region_settings import register_setting, setting_in_force

GROUP = "准入办理时限"
# The platform's defaults (seed 003: 初审 5 working days, and so on); a county sets its own on its settings page.
STEP_DEFAULTS = {
    "submitted": ("初审", 5),
    "coordinating": ("沟通协调", 10),
    "meeting": ("成员单位会议审议", 15),
    "decision": ("审核委员会核准", 5),
    "decision_urgent": ("特殊紧急事项批准", 2),
    "returned": ("申请主体修改后重新提交", 10),
}


CONSULT_DAYS = "admission.consult_days"


def key_of(step: str) -> str:
    return f"admission.step_limit.{step}"


def register() -> None:
    for step, (label, days) in STEP_DEFAULTS.items():
        register_setting(
            key_of(step),
            label=f"{label}时限",
            default=days,
            kind="int",
            unit=" 个工作日",
            minimum=1,
            maximum=60,
            group=GROUP,
            help="新提交或进入该环节的申请按进入当日施行的时限计算，已在办环节的期限不变。",
        )
    register_setting(
        CONSULT_DAYS,
        label="乡镇（街道）答复征询时限",
        default=3,
        kind="int",
        unit=" 个工作日",
        minimum=1,
        maximum=20,
        group=GROUP,
        help="申请提交后，所涉乡镇（街道）在此期限内答复有无异议；全部无异议的才能适用简易程序。",
    )


def step_limit_in_force(county, step: str, on: date | None = None):
    return setting_in_force(county, key_of(step), on)


def step_limit(county, step: str, on: date | None = None) -> int:
    """Working days the step may take in the county, by the limit in force on ``on`` (default today)."""
    return int(step_limit_in_force(county, step, on).value)
