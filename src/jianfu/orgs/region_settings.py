"""Numbers a county may choose (区划设置): step limits, weights, staffing numbers, thresholds.

An app registers each of its settings once, from ``AppConfig.ready()``::

    register_setting("admission.step_limit.accept", label="受理时限", default=5, kind="int",
                     unit="个工作日", minimum=1, maximum=60)

and reads it where it computes::

    setting_value(application.county, "admission.step_limit.accept", on=application.step_entered_on)

A value is a dated version (``orgs.RegionSetting``) set on a region: the one in force on a date is the newest
version with ``effective_from`` on or before it at the region itself or its nearest region above, else the
registered default. Versions are written only by ``orgs.services.region_setting_set`` (checked, audited); they
are never edited or deleted, so a figure computed on a past date can always be recomputed and explained.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

KINDS = ("int", "number", "percent", "bool", "weights", "range", "ranges")
RANGE_PARTS = {"min": "最少", "max": "最多"}


@dataclass(frozen=True)
class SettingSpec:
    """What a setting is: its Chinese label, default, kind and bounds.

    kinds: ``int``; ``number``; ``percent`` (0–100); ``bool``; ``weights`` (one percentage per part, summing to
    100); ``range`` ({"min", "max"}, max not below min); ``ranges`` (one range per part). ``parts`` names the parts
    of weights and ranges in Chinese. ``closed(region, since)`` tells, in words, which closed results in the
    region's subtree a version effective from ``since`` (a past date) would change ("" if none); a setting
    without it cannot be dated in the past.
    """

    key: str
    label: str
    default: Any
    kind: str
    help: str = ""
    validate: Callable[[Any], None] | None = None
    unit: str = ""
    minimum: float | None = None
    maximum: float | None = None
    parts: dict[str, str] = field(default_factory=dict)
    group: str = ""
    closed: Callable[[Any, date], str] | None = None

    def display(self, value) -> str:
        """The value as a person reads it."""
        if self.kind == "bool":
            return "是" if value else "否"
        if self.kind == "weights":
            return "，".join(f"{self.parts.get(k, k)} {_num(v)}%" for k, v in value.items())
        if self.kind == "range":
            return f"{_span(value)}{self.unit}"
        if self.kind == "ranges":
            return "，".join(f"{self.parts.get(k, k)} {_span(v)}{self.unit}" for k, v in value.items())
        suffix = "%" if self.kind == "percent" else self.unit
        return f"{_num(value)}{suffix}"


def _num(value) -> str:
    return str(int(value)) if float(value).is_integer() else f"{float(value):g}"


def _span(value: dict) -> str:
    low, high = value["min"], value["max"]
    return _num(low) if low == high else f"{_num(low)}–{_num(high)}"


SETTINGS: dict[str, SettingSpec] = {}


def register_setting(
    key: str,
    *,
    label: str,
    default,
    kind: str,
    help: str = "",
    validate: Callable[[Any], None] | None = None,
    **extra,
) -> SettingSpec:
    """Declare a setting (from ``AppConfig.ready()``). ``extra``: unit, minimum, maximum, parts, group, closed."""
    assert kind in KINDS, f"unknown setting kind {kind!r}"
    spec = SettingSpec(
        key=key, label=label, default=default, kind=kind, help=help, validate=validate, **extra
    )
    if kind == "range" and not spec.parts:
        spec = SettingSpec(**{**spec.__dict__, "parts": dict(RANGE_PARTS)})
    clean_value(spec, default)  # a default that its own rules refuse is a programming error
    SETTINGS.setdefault(key, spec)
    return SETTINGS[key]


def spec_of(key: str) -> SettingSpec:
    try:
        return SETTINGS[key]
    except KeyError:
        raise ValidationError({"key": f"没有名为“{key}”的设置项。"}) from None


@dataclass(frozen=True)
class InForce:
    """The value in force for a region on a date, and where it comes from (``version`` None: the default)."""

    spec: SettingSpec
    value: Any
    version: Any = None  # the RegionSetting row, if any
    region: Any = None  # the region that set it

    @property
    def source(self) -> str:
        return "平台默认" if self.version is None else self.version.region.name

    def describe(self) -> str:
        """E.g. "5 个工作日（清河县 2025-01-01 起施行）" for a computation page."""
        text = self.spec.display(self.value)
        if self.version is None:
            return f"{text}（平台默认）"
        return f"{text}（{self.version.region.name} {self.version.effective_from:%Y-%m-%d} 起施行）"


def _code(region) -> str:
    return region if isinstance(region, str) else region.code


def setting_in_force(region, key: str, on: date | None = None) -> InForce:
    """The version in force for ``region`` (a Region or its code) on ``on`` (default today)."""
    from .models import RegionSetting, ancestor_codes_of

    on = on or timezone.localdate()
    rows = RegionSetting.objects.filter(
        key=key, region__code__in=ancestor_codes_of(_code(region)), effective_from__lte=on
    ).select_related("region", "changed_by")
    return pick(spec_of(key), _code(region), rows, on)


def pick(spec: SettingSpec, code: str, rows, on: date) -> InForce:
    """Of a setting's versions at the region and above, the one in force on ``on``: the nearest region that has
    one dated on or before ``on``, and there the newest (the later entry wins on the same date)."""
    from .models import ancestor_codes_of

    best: dict[str, Any] = {}
    for row in rows:
        if row.key != spec.key or row.effective_from > on:
            continue
        current = best.get(row.region.code)
        if current is None or (row.effective_from, row.pk) > (current.effective_from, current.pk):
            best[row.region.code] = row
    row = next((best[c] for c in ancestor_codes_of(code) if c in best), None)
    if row is None:
        return InForce(spec, spec.default)
    return InForce(spec, row.value, row, row.region)


def setting_value(region, key: str, on: date | None = None):
    """The value in force for ``region`` on ``on`` (default today): the newest version dated on or before it at
    the region or its nearest region above, else the registered default."""
    return setting_in_force(region, key, on).value


def values_for(codes, key: str, on: date | dict[str, date] | None = None) -> dict[str, Any]:
    """The value in force for each region code in ``codes``, in one query however many there are (a page that
    shows every point of a province asks this once, not once a point). ``on`` is one date, or a date per code."""
    from .models import RegionSetting, ancestor_codes_of

    codes = list(dict.fromkeys(codes))
    today = timezone.localdate()
    days = on if isinstance(on, dict) else dict.fromkeys(codes, on or today)
    if not codes:
        return {}
    above = {c for code in codes for c in ancestor_codes_of(code)}
    rows = list(
        RegionSetting.objects.filter(
            key=key, region__code__in=above, effective_from__lte=max(days.values())
        ).select_related("region")
    )
    spec = spec_of(key)
    return {code: pick(spec, code, rows, days[code]).value for code in codes}


def largest_in_provinces(key: str) -> Any:
    """The largest value any province has in force (the default with no province): a node-wide rule that must
    satisfy every province on the node, as a retention period does (a month is detached for all of them)."""
    from .models import Level, Region

    provinces = Region.objects.filter(level=Level.PROVINCE).values_list("code", flat=True)
    return max((setting_value(code, key) for code in provinces), default=spec_of(key).default)


# Checking a value --------------------------------------------------------------------------------------------


def _refuse(message: str):
    raise ValidationError({"value": message})


def _number(spec: SettingSpec, value, what: str, *, integer: bool) -> float:
    if isinstance(value, str) and 0 < len(value.strip()) <= 20:
        try:
            value = float(value.strip())
        except ValueError:
            pass
    if isinstance(value, bool) or not isinstance(value, int | float):
        _refuse(f"「{what}」须填数字。")
    if value != value or not -(10**12) < value < 10**12:  # NaN, infinity and absurd sizes
        _refuse(f"「{what}」须填 1 万亿以内的数字。")
    if integer and not float(value).is_integer():
        _refuse(f"「{what}」须为整数。")
    return int(value) if integer or float(value).is_integer() else float(value)


def _bounded(spec: SettingSpec, value: float, what: str) -> float:
    percent = spec.kind in ("percent", "weights")
    low = 0 if percent and spec.minimum is None else spec.minimum
    high = 100 if percent and spec.maximum is None else spec.maximum
    if (low is None or value >= low) and (high is None or value <= high):
        return value
    unit = "%" if percent else spec.unit
    if low is not None and high is not None:
        _refuse(f"「{what}」须在 {_num(low)}–{_num(high)}{unit} 之间（现为 {_num(value)}）。")
    if low is not None:
        _refuse(f"「{what}」不能小于 {_num(low)}{unit}（现为 {_num(value)}）。")
    _refuse(f"「{what}」不能大于 {_num(high)}{unit}（现为 {_num(value)}）。")
    return value


def _parts(spec: SettingSpec, value) -> dict:
    if not isinstance(value, dict) or set(value) != set(spec.default):
        names = "、".join(spec.parts.get(k, k) for k in spec.default)
        _refuse(f"「{spec.label}」须逐项填写：{names}。")
    return {k: value[k] for k in spec.default}  # the registered order


def _range(spec: SettingSpec, value, what: str) -> dict:
    if not isinstance(value, dict) or set(value) != {"min", "max"}:
        _refuse(f"「{what}」须填写最少和最多。")
    low = _bounded(spec, _number(spec, value["min"], f"{what}（最少）", integer=True), f"{what}（最少）")
    high = _bounded(spec, _number(spec, value["max"], f"{what}（最多）", integer=True), f"{what}（最多）")
    if high < low:
        _refuse(f"「{what}」的最多（{_num(high)}）不能少于最少（{_num(low)}）。")
    return {"min": low, "max": high}


def clean_value(spec: SettingSpec, value):
    """The value in its stored form, or a ValidationError on ``value`` naming the setting in Chinese."""
    if spec.kind == "bool":
        if not isinstance(value, bool):
            _refuse(f"「{spec.label}」须为“是”或“否”。")
        cleaned: Any = value
    elif spec.kind in ("int", "number", "percent"):
        number = _number(spec, value, spec.label, integer=spec.kind == "int")
        cleaned = _bounded(spec, number, spec.label)
    elif spec.kind == "weights":
        parts = _parts(spec, value)
        cleaned = {
            k: _bounded(spec, _number(spec, v, _part(spec, k), integer=False), _part(spec, k))
            for k, v in parts.items()
        }
        cleaned = {k: int(v) if float(v).is_integer() else v for k, v in cleaned.items()}
        total = round(sum(cleaned.values()), 6)
        if total != 100:
            _refuse(f"「{spec.label}」各项权重之和须为 100%（现为 {_num(total)}%）。")
    elif spec.kind == "range":
        cleaned = _range(spec, value, spec.label)
    else:  # ranges
        cleaned = {k: _range(spec, v, _part(spec, k)) for k, v in _parts(spec, value).items()}
    if spec.validate is not None:
        try:
            spec.validate(cleaned)
        except ValidationError as exc:
            _refuse("；".join(exc.messages))
    return cleaned


def _part(spec: SettingSpec, part: str) -> str:
    return f"{spec.label}：{spec.parts.get(part, part)}"
