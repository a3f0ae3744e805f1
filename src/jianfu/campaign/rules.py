"""The documents' rules as pure functions, so each can be shown by a test on its own."""

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError

from .models.agencies import AgencyGrade, HeadGrade

HUNDRED = Decimal(100)
# 一票否决 may not come back as an indicator (seed 000 (五) 全面梳理…“一票否决”事项; seed 002 禁止…).
VETO_WORDS = ("一票否决", "一票否定", "否决项", "一票否")


def q2(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# Village evaluation -----------------------------------------------------------------------------------------


def refuse_veto(name: str, description: str = "") -> None:
    text = f"{name}{description}"
    if any(word in text for word in VETO_WORDS):
        raise ValidationError(
            {
                "name": "“一票否决”事项不得设为考评指标：村（社区）考评已全面清理一票否决事项，"
                "由乡镇统一综合考评，以群众满意度为主要衡量标准。"
            }
        )


def check_weights(indicators) -> None:
    """Weights sum to exactly 100%, and residents' satisfaction carries more weight than any other indicator
    (seed 000: 以群众满意度为主要衡量标准)."""
    indicators = list(indicators)
    if not indicators:
        raise ValidationError({"weight": "请先设置考评指标。"})
    total = sum((Decimal(i.weight) for i in indicators), Decimal(0))
    if total != HUNDRED:
        raise ValidationError({"weight": f"各项指标权重合计应为 100%，现为 {q2(total)}%。"})
    satisfaction = [i for i in indicators if i.is_satisfaction]
    if len(satisfaction) != 1:
        raise ValidationError({"is_satisfaction": "须有且只有一项“群众满意度”指标（由入户问卷得出）。"})
    others = [i for i in indicators if not i.is_satisfaction]
    heaviest = max((Decimal(i.weight) for i in others), default=Decimal(0))
    if Decimal(satisfaction[0].weight) <= heaviest:
        raise ValidationError(
            {
                "weight": f"群众满意度是主要衡量标准，其权重（{q2(satisfaction[0].weight)}%）"
                f"须高于其他任何一项指标（现最高 {q2(heaviest)}%）。"
            }
        )


def check_score(value, field: str = "score", maximum=HUNDRED, label: str = "得分") -> Decimal:
    try:
        score = Decimal(str(value))
    except Exception as exc:
        raise ValidationError({field: f"{label}须为数字。"}) from exc
    if not score.is_finite() or score < 0 or score > Decimal(maximum):
        raise ValidationError({field: f"{label}应在 0 至 {maximum} 之间，收到 {value}。"})
    return q2(score)


def weighted_total(weights_and_scores) -> Decimal:
    return q2(sum((Decimal(w) * Decimal(s) / HUNDRED for w, s in weights_and_scores), Decimal(0)))


# Dispatched agencies ----------------------------------------------------------------------------------------


def check_agency_grade(evaluation, grade: str, threshold_percent) -> None:
    """Seed 003 二(四): under the county's rate (90%) on the township's part, no 优秀."""
    if grade != AgencyGrade.EXCELLENT:
        return
    rate = evaluation.township_rate
    if rate is None or evaluation.statutory_score is None:
        raise ValidationError({"agency_grade": "乡镇（街道）和派出部门的评分都完成后，才能评定等次。"})
    if rate * HUNDRED < Decimal(str(threshold_percent)):
        raise ValidationError(
            {
                "agency_grade": f"乡镇（街道）负责考核部分得分率为 {q2(rate * HUNDRED)}%，"
                f"未达 {Decimal(str(threshold_percent)).normalize():f}%，该派驻机构年终考核不得评为优秀。"
            }
        )


def check_head_grade(agency_grade: str, head_grade: str, rule_on: bool = True) -> None:
    """Seed 003 二(四): an agency not rated excellent → its head may not be rated excellent (where the county keeps
    the rule)."""
    if rule_on and head_grade == HeadGrade.EXCELLENT and agency_grade != AgencyGrade.EXCELLENT:
        raise ValidationError({"head_grade": "派驻机构未被评为优秀的，其主要负责人年度考核不得评为优秀。"})


# Township classification ------------------------------------------------------------------------------------

LEADERSHIP_POSTS = {1: 11, 2: 11, 3: 9}


@dataclass(frozen=True)
class ClassifiedTownship:
    figures: object
    indices: dict  # indicator -> index (county average = 100)
    composite: Decimal
    township_class: int
    posts: int


def classify_townships(figures, class1_min, class2_min, weights: dict) -> list[ClassifiedTownship]:
    """Each indicator as an index against the county's average township (=100), weighted by the county's
    weights (fractions summing to 1; seed 003: 5:3:2); the composite against the round's two cut-offs gives the
    class, and the class the leadership posts."""
    figures = list(figures)
    if not figures:
        return []
    means = {key: sum(Decimal(getattr(f, key)) for f in figures) / len(figures) for key in weights}
    result = []
    for f in figures:
        indices = {
            k: q2(Decimal(getattr(f, k)) / means[k] * HUNDRED) if means[k] else Decimal(0) for k in weights
        }
        composite = q2(sum(indices[k] * w for k, w in weights.items()))
        klass = 1 if composite >= Decimal(class1_min) else 2 if composite >= Decimal(class2_min) else 3
        result.append(ClassifiedTownship(f, indices, composite, klass, LEADERSHIP_POSTS[klass]))
    return result


# Community workers ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Staffing:
    residents: int | None
    service_staff: int
    expected: str
    ok: bool | None
    message: str


def _span(r: dict) -> str:
    return f"{r['min']} 人" if r["min"] == r["max"] else f"{r['min']}—{r['max']} 人（不得超过 {r['max']} 人）"


def staffing_check(residents: int | None, service_staff: int, *, bands: dict, staff: dict) -> Staffing:
    """第七条 (the county's numbers): residents from ``bands["min"]`` up to ``bands["max"]`` → ``staff["mid"]``
    service-station staff; above ``bands["max"]`` → ``staff["large"]``; below, the documents set nothing."""
    if residents is None:
        return Staffing(None, service_staff, "—", None, "尚未登记常住人口，无法核定服务站人数。")
    if residents < bands["min"]:
        return Staffing(
            residents,
            service_staff,
            "按需（未规定）",
            None,
            f"常住人口不足 {bands['min']} 人，未规定配备人数。",
        )
    wanted = staff["large"] if residents > bands["max"] else staff["mid"]
    ok = wanted["min"] <= service_staff <= wanted["max"]
    if ok:
        msg = ""
    elif service_staff > wanted["max"]:
        msg = f"超过上限 {wanted['max']} 人，现有 {service_staff} 人"
    else:
        msg = f"少于基本配备 {wanted['min']} 人，现有 {service_staff} 人"
    return Staffing(residents, service_staff, _span(wanted), ok, msg)


def composition_check(counts: dict[str, int], composition: dict, labels: dict[str, str]) -> list[str]:
    """The committee's full-time posts against the county's composition (1 secretary, 1 director, 2–3 members):
    one message per post out of range, none when it holds."""
    problems = []
    for post, wanted in composition.items():
        have = counts.get(post, 0)
        if not wanted["min"] <= have <= wanted["max"]:
            problems.append(f"{labels.get(post, post)}应为 {_span(wanted).split('（')[0]}，现有 {have} 人")
    return problems


# Report periods and deadlines -------------------------------------------------------------------------------


def periods(kind: str, start: date, until: date) -> list[tuple[date, date]]:
    """Every whole period of the kind that began on or after ``start`` and ended before ``until``."""
    found, cursor = [], period_of(kind, start)[0]
    while True:
        first, last = period_of(kind, cursor)
        if last >= until:
            return found
        if first >= start:
            found.append((first, last))
        cursor = last + timedelta(days=1)


def period_of(kind: str, day: date) -> tuple[date, date]:
    if kind == "weekly":
        first = day - timedelta(days=day.weekday())
        return first, first + timedelta(days=6)
    month_end = day.replace(day=calendar.monthrange(day.year, day.month)[1])
    if kind == "half_monthly":
        return (
            (day.replace(day=1), day.replace(day=15)) if day.day <= 15 else (day.replace(day=16), month_end)
        )
    return day.replace(day=1), month_end


DEADLINE_RE = re.compile(r"^(\d{1,2})月(上旬|中旬|下旬|底)?$")


def parse_deadline(text: str, year: int) -> tuple[date | None, bool]:
    """'8月上旬' → 10 Aug, '中旬' → 20th, '下旬'/'底' → month end; '长期坚持' → (None, long-term)."""
    text = text.strip()
    if text in {"长期坚持", "长期"}:
        return None, True
    match = DEADLINE_RE.match(text)
    if not match:
        raise ValueError(f"无法识别的完成时限：{text}")
    month = int(match.group(1))
    last = calendar.monthrange(year, month)[1]
    day = {"上旬": 10, "中旬": 20}.get(match.group(2) or "", last)
    return date(year, month, day), False
