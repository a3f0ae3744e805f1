"""Every write about the base table: indicators, validation rules, values per village and period (with history),
the township's period lock and corrections after it. Forms and channels are in ``services.forms``."""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from jianfu.audit.services import audit_record, snapshot
from jianfu.core.exceptions import check_version
from jianfu.orgs import access
from jianfu.orgs.models import Level, Region
from jianfu.orgs.roles import Capability

from ..dedup import normalise_unit
from ..models import (
    BaseValue,
    Indicator,
    Operator,
    Period,
    PeriodLock,
    Severity,
    ValidationRule,
    ValueHistory,
    ValueSource,
    ValueType,
)
from . import quality

PERIOD_PATTERNS = {
    Period.YEARLY: re.compile(r"^(20\d\d)$"),
    Period.QUARTERLY: re.compile(r"^(20\d\d)Q[1-4]$"),
    Period.MONTHLY: re.compile(r"^(20\d\d)-(0[1-9]|1[0-2])$"),
}
PERIOD_HINT = {Period.YEARLY: "如 2026", Period.QUARTERLY: "如 2026Q1", Period.MONTHLY: "如 2026-03"}


def year_of(period: str) -> int:
    return int(period[:4])


def period_kind(period: str) -> str | None:
    return next((kind for kind, pattern in PERIOD_PATTERNS.items() if pattern.match(period or "")), None)


def indicator_period(kind: str, period: str) -> str:
    """The period of an indicator of ``kind`` that a form for ``period`` reads: a yearly fact serves every period
    of its year, a quarterly fact the months of its quarter, and a finer fact than the form asks for is read at
    the end of the form's period (a yearly form reads the fourth quarter or December)."""
    year, form_kind = period[:4], period_kind(period)
    half = re.match(r"^20\d\dH([12])$", period or "")
    if half:  # a half-year form reads its second or fourth quarter, June or December
        period, form_kind = f"{year}Q{int(half.group(1)) * 2}", Period.QUARTERLY
    if kind == Period.YEARLY:
        return year
    if kind == Period.QUARTERLY:
        if form_kind == Period.MONTHLY:
            return f"{year}Q{(int(period[5:7]) - 1) // 3 + 1}"
        return f"{year}Q4" if form_kind == Period.YEARLY else period
    if form_kind == Period.QUARTERLY:
        return f"{year}-{int(period[-1]) * 3:02d}"
    return f"{year}-12" if form_kind == Period.YEARLY else period


def check_period(indicator: Indicator, period: str) -> None:
    if not PERIOD_PATTERNS[indicator.period].match(period or ""):
        raise ValidationError(
            f"“{indicator.name}”按{indicator.get_period_display()}填报，统计期应写作{PERIOD_HINT[indicator.period]}。"
        )


# Indicators --------------------------------------------------------------------------------------------

INDICATOR_FIELDS = (
    "code",
    "name",
    "definition",
    "unit",
    "value_type",
    "period",
    "owner_department",
    "min_value",
    "max_value",
)


@transaction.atomic
def indicator_save(
    *, actor, region: Region, indicator: Indicator | None = None, expected_version=None, **values
) -> Indicator:
    """Create an indicator of a county (or above), or edit one; the county office keeps the base table."""
    access.require(actor, Capability.FORMS_MANAGE, region, message="只有县减负工作机构可以维护基础指标。")
    if region.level > Level.COUNTY:
        raise ValidationError({"region": "基础指标由县级及以上统一制定。"})
    if indicator is None:
        indicator, before = Indicator(region=region), None
    else:
        indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
        check_version(indicator, expected_version, "该指标")
        before, indicator.version = snapshot(indicator), indicator.version + 1
    for name in INDICATOR_FIELDS:
        if name in values:
            setattr(indicator, name, values[name])
    if Indicator.objects.filter(region=region, code=indicator.code).exclude(pk=indicator.pk).exists():
        raise ValidationError({"code": f"指标编码“{indicator.code}”已被使用。"})
    _check_range(indicator)
    indicator.full_clean(validate_constraints=False)
    indicator.save()
    audit_record(
        actor=actor, action="forms.indicator_save", obj=indicator, before=before, after=snapshot(indicator)
    )
    return indicator


def _check_range(indicator: Indicator) -> None:
    low, high = indicator.min_value, indicator.max_value
    if low is not None and high is not None and Decimal(low) > Decimal(high):
        raise ValidationError({"max_value": "最大值不能小于最小值。"})


@transaction.atomic
def indicator_merge(*, actor, duplicate: Indicator, keep: Indicator, expected_version=None) -> Indicator:
    """Retire a duplicate indicator into the one kept: form fields mapped to it now read the kept one."""
    access.require(
        actor, Capability.FORMS_MANAGE, duplicate.region, message="只有县减负工作机构可以合并指标。"
    )
    duplicate = Indicator.objects.select_for_update().get(pk=duplicate.pk)
    check_version(duplicate, expected_version, "该指标")
    if duplicate.pk == keep.pk:
        raise ValidationError({"keep": "不能把指标合并到它自己。"})
    if not duplicate.is_active or not keep.is_active:
        raise ValidationError({"keep": "只能合并两个有效的指标。"})
    if duplicate.unit and keep.unit and normalise_unit(duplicate.unit) != normalise_unit(keep.unit):
        raise ValidationError({"keep": f"计量单位不同（{duplicate.unit} / {keep.unit}），不是同一指标。"})
    before = snapshot(duplicate)
    duplicate.is_active, duplicate.merged_into, duplicate.merged_at = False, keep, timezone.now()
    duplicate.version += 1
    duplicate.save()
    duplicate.form_fields.update(indicator=keep)
    audit_record(
        actor=actor,
        action="forms.indicator_merge",
        obj=duplicate,
        before=before,
        after=snapshot(duplicate),
        message=f"合并到 {keep.code} {keep.name}",
    )
    return duplicate


RULE_LABELS = {"left": "左侧指标", "operator": "关系", "right": "右侧指标", "factor": "右侧系数"}


@transaction.atomic
def rule_save(
    *,
    actor,
    left: Indicator,
    operator: str,
    right: Indicator,
    factor=1,
    severity=Severity.ERROR,
    message: str = "",
    rule: ValidationRule | None = None,
    expected_version=None,
    is_active: bool = True,
) -> ValidationRule:
    """A validation rule between two indicators (e.g. 户数 ≤ 常住人口), kept as data; an edit keeps the rule's row
    (its old form is in the audit record) and applies to the next entry and the next lock."""
    access.require(
        actor, Capability.FORMS_MANAGE, left.region, message="只有县减负工作机构可以维护校验规则。"
    )
    if rule is None:
        rule, before = ValidationRule(), None
    else:
        rule = ValidationRule.objects.select_for_update().get(pk=rule.pk)
        access.require(
            actor, Capability.FORMS_MANAGE, rule.left.region, message="只有县减负工作机构可以维护校验规则。"
        )
        check_version(rule, expected_version, "该规则")
        before, rule.version = snapshot(rule), rule.version + 1
    _check_rule(left, operator, right, factor, severity)
    rule.left, rule.operator, rule.right, rule.factor = left, operator, right, Decimal(str(factor))
    rule.severity, rule.message, rule.is_active = severity, (message or "").strip(), is_active
    rule.full_clean()
    rule.save()
    audit_record(actor=actor, action="forms.rule_save", obj=rule, before=before, after=snapshot(rule))
    return rule


def _check_rule(left: Indicator, operator: str, right: Indicator, factor, severity) -> None:
    """Chinese refusals that name the field, before the model's own checks."""
    if operator not in Operator.values:
        raise ValidationError({"operator": "「关系」须为 ≤、<、≥、> 或 = 之一。"})
    if severity not in Severity.values:
        raise ValidationError({"severity": "「严重程度」须为“错误”或“提醒”。"})
    if left.pk == right.pk:
        raise ValidationError({"right": "「右侧指标」不能与左侧指标是同一个指标。"})
    if ValueType.TEXT in (left.value_type, right.value_type):
        raise ValidationError({"left": "「左侧指标」和「右侧指标」须为数值型，文本型指标不能参与数值校验。"})
    if left.period != right.period:
        raise ValidationError({"right": "「右侧指标」的填报周期须与左侧指标一致，才能在同一统计期比较。"})
    if not left.is_active or not right.is_active:
        raise ValidationError({"left": "「左侧指标」和「右侧指标」须为有效指标（已合并的指标不能用）。"})
    try:
        number = Decimal(str(factor))
    except InvalidOperation:
        raise ValidationError({"factor": "「右侧系数」应为数字。"}) from None
    if not number.is_finite() or number <= 0 or number >= Decimal("1000000"):
        raise ValidationError({"factor": "「右侧系数」须大于 0 且小于 1000000。"})


@transaction.atomic
def rule_set_active(*, actor, rule: ValidationRule, is_active: bool, expected_version=None) -> ValidationRule:
    """Stop (or restart) checking a rule; a rule is never erased, the audit keeps what it checked."""
    access.require(
        actor, Capability.FORMS_MANAGE, rule.left.region, message="只有县减负工作机构可以维护校验规则。"
    )
    rule = ValidationRule.objects.select_for_update().get(pk=rule.pk)
    check_version(rule, expected_version, "该规则")
    if rule.is_active == is_active:
        raise ValidationError({"is_active": f"该规则已经{'启用' if is_active else '停用'}。"})
    before = snapshot(rule)
    rule.is_active, rule.version = is_active, rule.version + 1
    rule.save(update_fields=["is_active", "version"])
    action = "forms.rule_activate" if is_active else "forms.rule_deactivate"
    audit_record(actor=actor, action=action, obj=rule, before=before, after=snapshot(rule))
    return rule


# Values --------------------------------------------------------------------------------------------------


def parse_value(indicator: Indicator, raw, unit: str = "") -> tuple[str, Decimal | None]:
    """The stored text and number of a value typed for ``indicator``; a wrong type, unit or range is refused."""
    text = str(raw if raw is not None else "").strip().replace(",", "").replace("，", "")
    if not text:
        raise ValidationError(f"“{indicator.name}”不能为空。")
    if unit and indicator.unit and normalise_unit(unit) != normalise_unit(indicator.unit):
        raise ValidationError(f"“{indicator.name}”的单位应为“{indicator.unit}”，不是“{unit}”。")
    if indicator.value_type == ValueType.TEXT:
        return text[:200], None
    try:
        number = Decimal(text)
    except InvalidOperation as exc:
        raise ValidationError(
            f"“{indicator.name}”应填{indicator.get_value_type_display()}，“{text}”不是数字。"
        ) from exc
    if not number.is_finite():
        raise ValidationError(f"“{indicator.name}”应填有限的数字。")
    if indicator.value_type == ValueType.INTEGER and number != number.to_integral_value():
        raise ValidationError(f"“{indicator.name}”应填整数，不能是“{text}”。")
    if indicator.min_value is not None and number < indicator.min_value:
        raise ValidationError(f"“{indicator.name}”不能小于 {indicator.min_value.normalize():f}。")
    if indicator.max_value is not None and number > indicator.max_value:
        raise ValidationError(f"“{indicator.name}”不能大于 {indicator.max_value.normalize():f}。")
    normalised = number.quantize(Decimal(1)) if indicator.value_type == ValueType.INTEGER else number
    return f"{normalised:f}", normalised


@dataclass(frozen=True)
class RuleProblem:
    rule: ValidationRule
    village: Region
    period: str
    left: Decimal
    right: Decimal

    @property
    def is_error(self) -> bool:
        return self.rule.severity == Severity.ERROR

    @property
    def text(self) -> str:
        return self.rule.message or (
            f"{self.rule}：{self.rule.left.name} {self.left.normalize():f}，"
            f"{self.rule.right.name} {self.right.normalize():f}"
        )


COMPARE = {
    Operator.LE: lambda a, b: a <= b,
    Operator.LT: lambda a, b: a < b,
    Operator.GE: lambda a, b: a >= b,
    Operator.GT: lambda a, b: a > b,
    Operator.EQ: lambda a, b: a == b,
}


def rule_problems(
    village: Region, period: str, pending: dict[int, Decimal] | None = None
) -> list[RuleProblem]:
    """The rules a village's values for the period break, with ``pending`` (indicator id → number) overriding the
    stored values: what a save would leave."""
    numbers = dict(
        BaseValue.objects.filter(village=village, period=period, number__isnull=False).values_list(
            "indicator_id", "number"
        )
    )
    numbers.update(pending or {})
    rules = ValidationRule.objects.filter(is_active=True, left_id__in=numbers, right_id__in=numbers)
    problems = []
    for rule in rules.select_related("left", "right"):
        left, right = numbers[rule.left_id], numbers[rule.right_id] * rule.factor
        if not COMPARE[rule.operator](left, right):
            problems.append(RuleProblem(rule, village, period, left, numbers[rule.right_id]))
    return problems


def refuse_total(indicator: Indicator) -> None:
    """A broken-down indicator's value is the sum of its cells (``services.categories``): never typed directly."""
    if indicator.category_combo_id is not None:
        raise ValidationError(
            f"“{indicator.name}”按“{indicator.category_combo.name}”分项填报，合计由各分项相加，请填写分项。"
        )


def is_locked(village: Region, period: str) -> bool:
    township_code = village.code[:9].ljust(12, "0")
    return PeriodLock.objects.filter(
        township__code=township_code, period=period, unlocked_at__isnull=True
    ).exists()


def require_village_role(actor, village: Region) -> None:
    if village.level != Level.VILLAGE or not village.is_active:
        raise ValidationError({"village": f"“{village.name}”不是有效的村（社区）。"})
    access.require(
        actor,
        Capability.FORMS_ENTER,
        village,
        message=f"只有“{village.name}”的干部可以录入本村（社区）基础数据。",
    )


@transaction.atomic
def values_enter(
    *,
    actor,
    village: Region,
    period: str,
    values: dict,
    units: dict | None = None,
    source: str = ValueSource.ENTERED,
) -> list[BaseValue]:
    """A village enters (or re-enters) its values for a period, each once; refused as a whole when one value is
    wrong or an error-level rule would break; a locked period changes only through ``value_correct``."""
    require_village_role(actor, village)
    _serialise(village)
    if is_locked(village, period):
        raise ValidationError(
            {"period": f"{period} 已由乡镇（街道）审核锁定，如需修改请提交更正并说明理由。"}
        )
    parsed, errors = _parse_all(village, period, values, units or {})
    if errors:
        raise ValidationError({"values": errors})
    broken = [
        p.text
        for p in rule_problems(village, period, {i.pk: n for i, (_, n) in parsed.items()})
        if p.is_error
    ]
    if broken:
        raise ValidationError({"values": [f"校验未通过：{t}" for t in broken]})
    saved = [
        _write_value(actor, village, indicator, period, text, number, source)
        for indicator, (text, number) in parsed.items()
    ]
    return [s for s in saved if s is not None]


def _serialise(village: Region) -> None:
    """One writer per village at a time: two cadres saving the same new value cannot both insert it, and the
    rules are checked against what the other just saved (no lost writes, no unique-constraint error). The
    township's row is the lock ``period_lock`` takes: an entry and the township's lock never cross."""
    Region.objects.select_for_update().filter(pk=village.pk).first()
    Region.objects.select_for_update().filter(code=village.code[:9].ljust(12, "0")).first()


def _parse_all(village, period, values, units) -> tuple[dict, list[str]]:
    parsed, errors = {}, []
    for indicator, raw in values.items():
        try:
            refuse_total(indicator)
            check_period(indicator, period)
            parsed[indicator] = parse_value(indicator, raw, units.get(indicator, ""))
        except ValidationError as exc:
            errors += exc.messages
    return parsed, errors


def _write_value(actor, village, indicator, period, text, number, source, reason="") -> BaseValue | None:
    now = timezone.now()
    current = (
        BaseValue.objects.select_for_update()
        .filter(village=village, indicator=indicator, period=period)
        .first()
    )
    if current is not None and current.value == text:
        return None  # entered once: the same value again changes nothing
    by = actor if actor is not None and actor.is_authenticated else None
    if current is None:
        current, previous, before = BaseValue(village=village, indicator=indicator, period=period), "", None
    else:
        previous, before = current.value, snapshot(current)
        current.version += 1
    current.value, current.number, current.source, current.entered_by, current.entered_at = (
        text,
        number,
        source,
        by,
        now,
    )
    current.save()
    ValueHistory.objects.create(
        base_value=current, value=text, previous=previous, source=source, reason=reason, by=by, at=now
    )
    action = "forms.value_correct" if source == ValueSource.CORRECTED else "forms.value_enter"
    audit_record(
        actor=actor, action=action, obj=current, before=before, after=snapshot(current), message=reason
    )
    quality.flag_value(actor=actor, value=current)
    return current


@transaction.atomic
def value_correct(
    *, actor, village: Region, indicator: Indicator, period: str, value, reason: str, expected_version=None
) -> BaseValue:
    """A recorded correction (locked period, or a served value a village found wrong): the village's cadre or the
    township's reviewer, with a reason; the history keeps the old value."""
    if actor is not None and not (
        actor.can(Capability.FORMS_ENTER, village) or actor.can(Capability.FORMS_REVIEW, village)
    ):
        raise PermissionDenied(f"只有“{village.name}”的干部或乡镇（街道）审核人员可以更正基础数据。")
    if not (reason or "").strip():
        raise ValidationError({"reason": "请说明更正理由。"})
    refuse_total(indicator)
    check_period(indicator, period)
    text, number = parse_value(indicator, value)
    _serialise(village)
    current = BaseValue.objects.filter(village=village, indicator=indicator, period=period).first()
    if current is not None:
        check_version(current, expected_version, "该数据")
    pending = {indicator.pk: number} if number is not None else {}
    broken = [p.text for p in rule_problems(village, period, pending) if p.is_error]
    if broken:
        raise ValidationError({"value": [f"校验未通过：{t}" for t in broken]})
    saved = _write_value(
        actor, village, indicator, period, text, number, ValueSource.CORRECTED, reason.strip()
    )
    return saved or current


@transaction.atomic
def period_lock(*, actor, township: Region, period: str, note: str = "") -> PeriodLock:
    """The township has reviewed its villages' values for the period and locks it; error-level rule problems
    must be corrected first (warnings are listed, and locking with them is the reviewer's call)."""
    access.require(
        actor, Capability.FORMS_REVIEW, township, message="只有乡镇（街道）审核人员可以锁定统计期。"
    )
    if township.level != Level.TOWNSHIP:
        raise ValidationError({"township": "统计期按乡镇（街道）锁定。"})
    if period_kind(period) is None:
        raise ValidationError({"period": "统计期应写作 2026、2026Q1 或 2026-03。"})
    Region.objects.select_for_update().get(pk=township.pk)
    if PeriodLock.objects.filter(township=township, period=period, unlocked_at__isnull=True).exists():
        raise ValidationError({"period": f"{township.name} {period} 已经锁定。"})
    errors = [
        f"{p.village.name}：{p.text}"
        for v in township.children.filter(is_active=True)
        for p in rule_problems(v, period)
        if p.is_error
    ]
    if errors:
        raise ValidationError({"period": ["以下错误须先更正："] + errors})
    by = actor if actor is not None else None
    lock = PeriodLock.objects.create(
        township=township, period=period, locked_by=by, locked_at=timezone.now(), note=note.strip()[:300]
    )
    audit_record(actor=actor, action="forms.period_lock", obj=lock, after=snapshot(lock))
    return lock
