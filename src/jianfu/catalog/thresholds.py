"""The classifier's thresholds a county may choose (区划设置): when a forbidding item wins, when nothing in the lists
is near enough (清单外), below which confidence a person must judge (需人工研判), and whether the learned reading
may suggest verdicts (all of which go to a person).

The other numbers of ``matching.MatchSettings`` shape the scoring itself and are calibrated on the evaluation
sets; they stay the platform's. A county that wants fewer verdicts left to people, or a stricter refusal, sets
these three on its settings page; ``classify`` reads them for the region and the date it checks on.
"""

from dataclasses import dataclass
from datetime import date

from jianfu.orgs.region_settings import register_setting, setting_value

from .matching import DEFAULT_SETTINGS, MatchSettings

GROUP = "清单核验"


@dataclass(frozen=True)
class Threshold:
    field: str  # the MatchSettings field
    label: str
    help: str
    minimum: int
    maximum: int


THRESHOLDS = {
    "catalog.forbid_threshold": Threshold(
        "forbid_threshold",
        "判为负面清单事项的匹配度",
        "与负面清单（不应由村级组织承担的事项）某项的匹配度达到此值，且没有明显更接近的允许事项时，判为负面清单事项、"
        "予以拒绝。调低则拒绝更多，误拒也更多。",
        10,
        90,
    ),
    "catalog.match_threshold": Threshold(
        "match_threshold",
        "判为清单内事项的最低匹配度",
        "与任何清单事项的匹配度都低于此值的，判为清单外事项（须经准入审核）。",
        5,
        60,
    ),
    "catalog.review_below": Threshold(
        "review_below",
        "须人工研判的把握度",
        "核验结论的把握度低于此值的，标为需人工研判，由审核委员会办公室判断，不自动拒绝；设为 100% 即每项都由人判断。",
        50,
        100,
    ),
}


# Whether the learned reading (learned.py) may suggest a verdict where the items decide least well; whatever it
# suggests goes to a person (需人工研判), so a county that wants only the lists' own matches turns it off.
LEARNED = "catalog.learned_reading"


def register() -> None:
    register_setting(
        LEARNED,
        label="参考从各地清单学到的判断",
        default=DEFAULT_SETTINGS.learned,
        kind="bool",
        group=GROUP,
        help="清单事项难以区分本职与协助、与任何清单事项都不够接近、或证明事项没有对应条目时，参考平台从各地清单及其示例"
        "学到的判断给出建议结论；凡由此得出的结论一律标为需人工研判，由审核委员会办公室决定，不自动拒绝。"
        "关闭则只按清单事项的匹配下结论。已作出的核验结论不因调整而改变。",
    )
    for key, spec in THRESHOLDS.items():
        register_setting(
            key,
            label=spec.label,
            default=round(getattr(DEFAULT_SETTINGS, spec.field) * 100),
            kind="percent",
            minimum=spec.minimum,
            maximum=spec.maximum,
            group=GROUP,
            help=spec.help + "已作出的核验结论不因调整而改变。",
        )


def for_region(region, on: date | None = None) -> MatchSettings:
    """The classifier's settings for a region on a date: the platform's, with the county's thresholds."""
    if region is None:
        return DEFAULT_SETTINGS
    chosen: dict[str, float | bool] = {
        spec.field: float(setting_value(region, key, on=on)) / 100 for key, spec in THRESHOLDS.items()
    }
    chosen["learned"] = bool(setting_value(region, LEARNED, on=on))
    if all(abs(getattr(DEFAULT_SETTINGS, f) - v) < 1e-9 for f, v in chosen.items()):  # a bool is 0 or 1 here
        return DEFAULT_SETTINGS
    return DEFAULT_SETTINGS.with_values(**chosen)
