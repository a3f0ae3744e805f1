"""The classifier's thresholds a county may choose (区划设置): when a forbidding item wins, when nothing in the lists
is near enough (清单外), and below which confidence a person must judge (需人工研判).

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


def register() -> None:
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
    chosen = {spec.field: float(setting_value(region, key, on=on)) / 100 for key, spec in THRESHOLDS.items()}
    if all(abs(getattr(DEFAULT_SETTINGS, f) - v) < 1e-9 for f, v in chosen.items()):
        return DEFAULT_SETTINGS
    return DEFAULT_SETTINGS.with_values(**chosen)
