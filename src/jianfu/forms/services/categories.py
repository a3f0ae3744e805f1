"""Categories (DHIS2's category combinations): the county defines categories and their combinations, attaches a
combination to a count indicator, and a village enters each cell once; the indicator's value for the period is
the sum of its cells, written through the base table's own path (history, audit, rules, the township's lock), so
every form that asks for the total is served it and every report adding values up adds the totals."""

from decimal import Decimal
from itertools import product

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from jianfu.audit.services import audit_record, snapshot
from jianfu.core.exceptions import check_version
from jianfu.orgs import access
from jianfu.orgs.models import Level, Region
from jianfu.orgs.roles import Capability

from ..category_models import (
    MAX_CATEGORIES,
    MAX_CELLS,
    MAX_OPTIONS,
    OPTION_NAME_MAX,
    BreakdownValue,
    Category,
    CategoryCombo,
    CategoryOption,
    ComboCategory,
)
from ..models import BaseValue, Indicator, ValueSource, ValueType
from . import base_table

MANAGE_ONLY = "只有县减负工作机构可以维护分类和分类组合。"


def _require_manager(actor, region: Region) -> None:
    access.require(actor, Capability.FORMS_MANAGE, region, message=MANAGE_ONLY)
    if region.level > Level.COUNTY:
        raise ValidationError({"region": "分类和分类组合由县级及以上统一制定。"})


def _option_names(options) -> list[str]:
    names = [str(o).strip() for o in options if str(o).strip()]
    if len(names) < 2:
        raise ValidationError({"options": "「选项」至少要有两个（如“男”“女”），每行一个。"})
    if len(names) > MAX_OPTIONS:
        raise ValidationError({"options": f"「选项」最多 {MAX_OPTIONS} 个（现为 {len(names)} 个）。"})
    for name in names:
        if len(name) > OPTION_NAME_MAX:
            raise ValidationError({"options": f"选项“{name[:30]}”超过 {OPTION_NAME_MAX} 字。"})
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ValidationError({"options": f"选项“{'、'.join(repeated)}”重复。"})
    return names


@transaction.atomic
def category_save(
    *, actor, region: Region, name: str, options, category: Category | None = None, expected_version=None
) -> Category:
    """Create a category with its options, or rename it and add options; an option values use cannot go."""
    _require_manager(actor, region if category is None else category.region)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "请填写「分类名称」（如“性别”）。"})
    names = _option_names(options)
    if category is None:
        category, before = Category(region=region), None
    else:
        category = Category.objects.select_for_update().get(pk=category.pk)
        check_version(category, expected_version, "该分类")
        before, category.version = snapshot(category), category.version + 1
    if Category.objects.filter(region=category.region, name=name).exclude(pk=category.pk).exists():
        raise ValidationError({"name": f"分类“{name}”已经有了。"})
    category.name = name
    category.full_clean(validate_constraints=False)
    category.save()
    _set_options(category, names)
    audit_record(
        actor=actor,
        action="forms.category_save",
        obj=category,
        before=before,
        after={**snapshot(category), "options": names},
    )
    return category


def _set_options(category: Category, names: list[str]) -> None:
    current = {o.name: o for o in category.options.all()}
    dropped = [o for n, o in current.items() if n not in names]
    for option in dropped:
        if BreakdownValue.objects.filter(cell__regex=rf"(^|-){option.pk}(-|$)").exists():
            raise ValidationError({"options": f"选项“{option.name}”已有村（社区）填报的数据，不能删除。"})
        option.delete()
    for position, name in enumerate(names, 1):
        option = current.get(name) or CategoryOption(category=category, name=name)
        option.position = position
        option.save()
    if dropped or len(names) != len(current):
        for combo in CategoryCombo.objects.filter(members__category=category):
            check_cells(combo)


def check_cells(combo: CategoryCombo) -> None:
    count = len(cells(combo))
    if count > MAX_CELLS:
        raise ValidationError(
            {"categories": f"分类组合“{combo.name}”有 {count} 个分项，最多 {MAX_CELLS} 个。"}
        )


@transaction.atomic
def combo_save(
    *,
    actor,
    region: Region,
    name: str,
    categories: list[Category],
    combo: CategoryCombo | None = None,
    expected_version=None,
) -> CategoryCombo:
    """A combination of one to three categories (the first the grid's rows); a combination in use keeps its
    categories (the cells villages filled would no longer add up), only its name may change."""
    _require_manager(actor, region if combo is None else combo.region)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "请填写「分类组合名称」（如“性别×年龄段”）。"})
    ids = [c.pk for c in categories]
    if not 1 <= len(ids) <= MAX_CATEGORIES or len(set(ids)) != len(ids):
        raise ValidationError({"categories": f"「分类」请选 1 至 {MAX_CATEGORIES} 个不同的分类。"})
    if combo is None:
        combo, before = CategoryCombo(region=region), None
    else:
        combo = CategoryCombo.objects.select_for_update().get(pk=combo.pk)
        check_version(combo, expected_version, "该分类组合")
        before, combo.version = snapshot(combo), combo.version + 1
        if combo_categories(combo) != categories and combo.indicators.exists():
            raise ValidationError({"categories": f"“{combo.name}”已用于指标，不能改变其中的分类。"})
    if CategoryCombo.objects.filter(region=combo.region, name=name).exclude(pk=combo.pk).exists():
        raise ValidationError({"name": f"分类组合“{name}”已经有了。"})
    combo.name = name
    combo.full_clean(validate_constraints=False)
    combo.save()
    combo.members.all().delete()
    ComboCategory.objects.bulk_create(
        [ComboCategory(combo=combo, category=c, position=n) for n, c in enumerate(categories, 1)]
    )
    check_cells(combo)
    audit_record(
        actor=actor,
        action="forms.combo_save",
        obj=combo,
        before=before,
        after={**snapshot(combo), "categories": [c.name for c in categories]},
    )
    return combo


@transaction.atomic
def indicator_combo_set(
    *, actor, indicator: Indicator, combo: CategoryCombo | None, expected_version=None
) -> Indicator:
    """Break a count indicator down by a combination (or stop: None). Once villages entered cells, the
    combination stays: their cells would no longer add up to the value."""
    access.require(actor, Capability.FORMS_MANAGE, indicator.region, message=MANAGE_ONLY)
    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
    check_version(indicator, expected_version, "该指标")
    if combo is not None and indicator.value_type == ValueType.TEXT:
        raise ValidationError({"category_combo": f"“{indicator.name}”是文本型指标，不能分项填报。"})
    if combo is not None and not indicator.region.code.startswith(combo.region.prefix):
        raise ValidationError({"category_combo": "只能使用本县或上级制定的分类组合。"})
    if indicator.category_combo_id != (combo.pk if combo else None) and indicator.breakdown.exists():
        raise ValidationError(
            {"category_combo": f"“{indicator.name}”已有村（社区）按分项填报的数据，不能更换分类组合。"}
        )
    before = snapshot(indicator)
    indicator.category_combo, indicator.version = combo, indicator.version + 1
    indicator.save(update_fields=["category_combo", "version"])
    audit_record(
        actor=actor, action="forms.indicator_combo", obj=indicator, before=before, after=snapshot(indicator)
    )
    return indicator


# Cells ----------------------------------------------------------------------------------------------------


def combo_categories(combo: CategoryCombo) -> list[Category]:
    return [m.category for m in combo.members.select_related("category").order_by("position")]


def cells(combo: CategoryCombo) -> list[tuple[str, str]]:
    """Every cell of the combination in grid order: (key, label), the key the option ids joined by '-'."""
    options = [list(c.options.order_by("position")) for c in combo_categories(combo)]
    return [
        ("-".join(str(o.pk) for o in choice), " · ".join(o.name for o in choice))
        for choice in product(*options)
    ]


def grid(combo: CategoryCombo) -> dict:
    """The entry grid: rows are the first category's options, columns every choice of the others' (one column,
    the row's only cell, for a single category)."""
    categories = combo_categories(combo)
    rows = list(categories[0].options.order_by("position"))
    rest = [list(c.options.order_by("position")) for c in categories[1:]]
    columns = list(product(*rest)) if rest else [()]
    return {
        "categories": categories,
        "rows": [
            {
                "option": row,
                "cells": [
                    {
                        "key": "-".join(str(o.pk) for o in (row, *col)),
                        "label": " · ".join(o.name for o in (row, *col)),
                    }
                    for col in columns
                ],
            }
            for row in rows
        ],
        "columns": [" · ".join(o.name for o in col) or "数值" for col in columns],
    }


def _parse_cells(indicator: Indicator, combo: CategoryCombo, raw: dict) -> tuple[dict, list[str]]:
    parsed, errors = {}, []
    for key, label in cells(combo):
        text = str(raw.get(key, "") if raw.get(key) is not None else "").strip().replace(",", "")
        if not text:
            errors.append(f"“{indicator.name}”的「{label}」不能为空（没有请填 0）。")
            continue
        try:
            number = Decimal(text)
        except ArithmeticError:
            errors.append(f"“{indicator.name}”的「{label}」应填数字，“{text[:20]}”不是数字。")
            continue
        if not number.is_finite() or number < 0:
            errors.append(f"“{indicator.name}”的「{label}」不能小于 0。")
        elif indicator.value_type == ValueType.INTEGER and number != number.to_integral_value():
            errors.append(f"“{indicator.name}”的「{label}」应填整数，不能是“{text[:20]}”。")
        elif abs(number) >= Decimal(10) ** 14:
            errors.append(f"“{indicator.name}”的「{label}」数值过大。")
        else:
            parsed[key] = number
    unknown = set(raw) - {k for k, _ in cells(combo)}
    if unknown:
        errors.append(f"“{indicator.name}”没有这些分项：{'、'.join(sorted(str(k)[:20] for k in unknown))}。")
    return parsed, errors


@transaction.atomic
def breakdown_enter(
    *, actor, village: Region, indicator: Indicator, period: str, values: dict
) -> BaseValue | None:
    """A village enters every cell of a broken-down indicator for a period, once; the indicator's value becomes
    their sum, checked against its range and the validation rules like any value. Refused as a whole when one
    cell is wrong; a period the township locked is refused as ``values_enter`` refuses it."""
    base_table.require_village_role(actor, village)
    combo = indicator.category_combo
    if combo is None:
        raise ValidationError({"indicator": f"“{indicator.name}”不分项填报，请直接填写数值。"})
    base_table.check_period(indicator, period)
    base_table._serialise(village)
    if base_table.is_locked(village, period):
        raise ValidationError({"period": f"{period} 已由乡镇（街道）审核锁定，不能再改分项数据。"})
    parsed, errors = _parse_cells(indicator, combo, values)
    if errors:
        raise ValidationError({"values": errors})
    total = sum(parsed.values(), Decimal(0))
    try:
        text, number = base_table.parse_value(indicator, total)
    except ValidationError as exc:
        raise ValidationError(
            {"values": [f"分项合计 {total.normalize():f}：{m}" for m in exc.messages]}
        ) from None
    pending = {indicator.pk: number} if number is not None else {}
    broken = [p.text for p in base_table.rule_problems(village, period, pending) if p.is_error]
    if broken:
        raise ValidationError({"values": [f"校验未通过：{t}" for t in broken]})
    _write_cells(actor, village, indicator, period, parsed)
    return base_table._write_value(actor, village, indicator, period, text, number, ValueSource.ENTERED)


def _write_cells(actor, village, indicator, period, parsed: dict) -> None:
    now, by = timezone.now(), actor if actor is not None and actor.is_authenticated else None
    current = {
        v.cell: v
        for v in BreakdownValue.objects.select_for_update().filter(
            village=village, indicator=indicator, period=period
        )
    }
    before = {k: f"{v.number.normalize():f}" for k, v in current.items()}
    for key, number in parsed.items():
        row = current.get(key) or BreakdownValue(
            village=village, indicator=indicator, period=period, cell=key
        )
        if row.pk is None or row.number != number:
            row.number, row.entered_by, row.entered_at = number, by, now
            row.save()
    after = {k: f"{n.normalize():f}" for k, n in parsed.items()}
    if after != before:
        audit_record(
            actor=actor,
            action="forms.breakdown_enter",
            obj=village,
            before={"indicator": indicator.code, "period": period, "cells": before} if before else None,
            after={"indicator": indicator.code, "period": period, "cells": after},
        )
