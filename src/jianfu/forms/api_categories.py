"""Categories and savings over JSON (routes on the forms router, ``forms.api``): the same selectors and services as
the pages."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from ninja import Field, Schema, Status

from jianfu.core.api_types import Year
from jianfu.forms import selectors, services
from jianfu.forms.views.base_table import manage_region
from jianfu.orgs.roles import Capability

from .api import _indicator, _require, router


class CategoryIn(Schema):
    name: str = Field(..., max_length=20)
    options: list[str] = Field(..., max_length=20, description="选项，2 至 20 个")


class ComboIn(Schema):
    name: str = Field(..., max_length=60)
    categories: list[int] = Field(..., max_length=3, description="分类 id，1 至 3 个，第一个为行")


class IndicatorComboIn(Schema):
    indicator_code: str = Field(..., max_length=30)
    combo: int | None = Field(None, description="分类组合 id；不填为不分项")
    version: int | None = None


class BreakdownIn(Schema):
    period: str = Field(..., max_length=10)
    values: dict[str, str] = Field(..., description="分项（选项 id 以 - 连接）→ 数值")


def _category(c) -> dict:
    return {"id": c.pk, "name": c.name, "options": [{"id": o.pk, "name": o.name} for o in c.options.all()]}


def _combo(combo) -> dict:
    return {
        "id": combo.pk,
        "name": combo.name,
        "categories": [m.category.name for m in combo.members.all()],
        "cells": [{"key": k, "label": label} for k, label in services.cells(combo)],
        "indicators": [i.code for i in combo.indicators.all()],
    }


@router.get("/categories", response=dict, url_name="forms_categories", summary="分类和分类组合")
def categories(request):
    _require(request.user, Capability.FORMS_VIEW)
    return {
        "categories": [_category(c) for c in selectors.categories(request.user)],
        "combos": [_combo(c) for c in selectors.combos(request.user)],
    }


@router.post("/categories", response={201: dict}, url_name="forms_category_save", summary="添加分类")
def category_save(request, payload: CategoryIn):
    made = services.category_save(
        actor=request.user, region=manage_region(request.user), name=payload.name, options=payload.options
    )
    return Status(201, _category(made))


@router.post("/combos", response={201: dict}, url_name="forms_combo_save", summary="添加分类组合")
def combo_save(request, payload: ComboIn):
    region = manage_region(request.user)
    found = {c.pk: c for c in selectors.categories(request.user).filter(pk__in=payload.categories)}
    missing = [str(pk) for pk in payload.categories if pk not in found]
    if missing:
        raise ValidationError({"categories": f"没有这些分类：{'、'.join(missing)}。"})
    made = services.combo_save(
        actor=request.user,
        region=region,
        name=payload.name,
        categories=[found[pk] for pk in payload.categories],
    )
    return Status(201, _combo(made))


@router.post(
    "/indicators/combo", response=dict, url_name="forms_indicator_combo", summary="设置指标按分类组合分项填报"
)
def indicator_combo(request, payload: IndicatorComboIn):
    _require(request.user, Capability.FORMS_MANAGE)
    indicator = _indicator(request.user, payload.indicator_code)
    combo = selectors.combo_get(request.user, payload.combo) if payload.combo else None
    saved = services.indicator_combo_set(
        actor=request.user, indicator=indicator, combo=combo, expected_version=payload.version
    )
    return {"indicator_code": saved.code, "combo": saved.category_combo_id, "version": saved.version}


def _broken_down(user, code: str):
    return get_object_or_404(selectors.broken_down(user), code=code[:30])


@router.get(
    "/values/{code}/breakdown/{indicator_code}",
    response=dict,
    url_name="forms_breakdown",
    summary="一个村（社区）某指标某期的分项数据",
)
def breakdown(request, code: str, indicator_code: str, period: str):
    _require(request.user, Capability.FORMS_VIEW)
    village = selectors.village_get(request.user, code[:12])
    indicator = _broken_down(request.user, indicator_code)
    cells = selectors.breakdown_cells(village, indicator, period[:10])
    return {
        "village_code": village.code,
        "indicator_code": indicator.code,
        "period": period[:10],
        "cells": [
            {"key": k, "label": label, "value": f"{cells[k].normalize():f}" if k in cells else None}
            for k, label in services.cells(indicator.category_combo)
        ],
    }


@router.post(
    "/values/{code}/breakdown/{indicator_code}",
    response=dict,
    url_name="forms_breakdown_enter",
    summary="录入分项数据（每个分项一次，指标值为各分项之和）",
)
def breakdown_enter(request, code: str, indicator_code: str, payload: BreakdownIn):
    village = selectors.village_get(request.user, code[:12])
    indicator = _broken_down(request.user, indicator_code)
    saved = services.breakdown_enter(
        actor=request.user, village=village, indicator=indicator, period=payload.period, values=payload.values
    )
    total = selectors.breakdown_total(village, indicator, payload.period)
    return {
        "indicator_code": indicator.code,
        "period": payload.period,
        "total": total,
        "changed": saved is not None,
    }


@router.get(
    "/categories/report/{indicator_code}",
    response=dict,
    url_name="forms_breakdown_report",
    summary="分项汇总：各分项在可见村（社区）的合计",
)
def breakdown_report(request, indicator_code: str, period: str, area: str = ""):
    _require(request.user, Capability.FORMS_VIEW)
    indicator = _broken_down(request.user, indicator_code)
    report = selectors.breakdown_report(
        request.user,
        indicator=indicator,
        period=period[:10],
        area=selectors.area_get(request.user, area[:12]),
    )
    return {
        "indicator_code": indicator.code,
        "period": period[:10],
        "cells": [{**c, "number": str(c["number"])} for c in report["cells"]],
        "total": str(report["total"]),
        "base_total": str(report["base_total"]),
        "villages": report["villages"],
    }


@router.get(
    "/savings/{code}",
    response=dict,
    url_name="forms_savings",
    summary="一个村（社区）各报表共享带出与填写栏目",
)
def savings(request, code: str, year: Year):
    _require(request.user, Capability.FORMS_VIEW)
    village = selectors.village_get(request.user, code[:12])
    return {
        "village_code": village.code,
        "year": year,
        **selectors.village_savings(request.user, village, year),
        "county": selectors.cleanup_before_after(request.user, year),
    }
