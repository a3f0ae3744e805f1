"""Pages of categories (the county's categories and combinations, a village's grid of cells, the cells added up)
and of the savings a village sees per form. Thin: parse, call a service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from jianfu.core.years import year_param
from jianfu.orgs import access
from jianfu.orgs.roles import Capability

from .. import selectors, services
from ..jiangxi import JIANGXI
from .base_table import _period, manage_region, this_year


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").replace("、", "\n").replace(",", "\n").splitlines()]


@login_required
def categories(request):
    """The county's categories and combinations; the county office adds them and attaches one to an indicator."""
    access.require(request.user, Capability.FORMS_VIEW)
    user = request.user
    can_manage = user.has_capability(Capability.FORMS_MANAGE)
    errors: list[str] = []
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied(services.categories.MANAGE_ONLY)
        try:
            _save(request, manage_region(user))
            messages.success(request, "已保存。")
            return redirect("forms:categories")
        except ValidationError as exc:
            errors = exc.messages
    context = {
        "categories": selectors.categories(user),
        "combos": selectors.combos(user),
        "indicators": selectors.indicators(user).filter(value_type__in=("integer", "decimal")),
        "can_manage": can_manage,
        "errors": errors,
        "posted": request.POST,
    }
    return render(request, "forms/categories.html", context)


def _save(request, region) -> None:
    post, user = request.POST, request.user
    what = post.get("what", "")
    if what == "category":
        services.category_save(
            actor=user,
            region=region,
            name=post.get("name", "")[:20],
            options=_lines(post.get("options", "")[:600]),
        )
    elif what == "combo":
        ids = [int(i) for i in post.getlist("categories") if i.isdigit()]
        found = {c.pk: c for c in selectors.categories(user).filter(pk__in=ids)}
        services.combo_save(
            actor=user,
            region=region,
            name=post.get("name", "")[:60],
            categories=[found[i] for i in ids if i in found],
        )
    elif what == "indicator":
        pk = post.get("indicator", "")
        indicator = selectors.indicator_get(user, int(pk)) if pk.isdigit() else None
        if indicator is None:
            raise ValidationError({"indicator": "请选择「指标」。"})
        combo_pk = post.get("combo", "")
        combo = selectors.combo_get(user, int(combo_pk)) if combo_pk.isdigit() else None
        services.indicator_combo_set(actor=user, indicator=indicator, combo=combo)
    else:
        raise ValidationError({"what": "请选择要保存的内容。"})


@login_required
def breakdown(request, code, pk):
    """A village's grid of cells for one broken-down indicator and period: one input per cell, phone-friendly."""
    access.require(request.user, Capability.FORMS_VIEW)
    village = selectors.village_get(request.user, code)
    indicator = get_object_or_404(selectors.broken_down(request.user), pk=pk)
    period = _period(request)
    can_enter = request.user.can(Capability.FORMS_ENTER, village)
    errors: list[str] = []
    if request.method == "POST":
        if not can_enter:
            raise PermissionDenied(f"只有“{village.name}”的干部可以录入本村（社区）基础数据。")
        values = {k[2:]: v[:30] for k, v in request.POST.items() if k.startswith("c_")}
        try:
            services.breakdown_enter(
                actor=request.user, village=village, indicator=indicator, period=period, values=values
            )
            messages.success(request, f"已保存，{indicator.name}合计已更新。")
            return redirect(f"{reverse('forms:village_values', args=[village.code])}?period={period}")
        except ValidationError as exc:
            errors = exc.messages
    current = selectors.breakdown_cells(village, indicator, period)
    posted = {k[2:]: v for k, v in request.POST.items() if k.startswith("c_")}
    grid = services.grid(indicator.category_combo)
    for row in grid["rows"]:
        for cell in row["cells"]:
            number = current.get(cell["key"])
            cell["value"] = posted.get(cell["key"], f"{number.normalize():f}" if number is not None else "")
    context = {
        "village": village,
        "indicator": indicator,
        "period": period,
        "grid": grid,
        "total": sum(current.values()) if current else None,
        "can_enter": can_enter,
        "locked": services.is_locked(village, period),
        "errors": errors,
    }
    return render(request, "forms/breakdown.html", context)


@login_required
def breakdown_report(request, pk):
    """One broken-down indicator's cells added up over the villages the user sees (or one area), with the values'
    total beside them; each figure opens the villages' values."""
    access.require(request.user, Capability.FORMS_VIEW)
    indicator = get_object_or_404(selectors.broken_down(request.user), pk=pk)
    period = _period(request)
    area = selectors.area_get(request.user, request.GET.get("area", "")[:12])
    report = selectors.breakdown_report(request.user, indicator=indicator, period=period, area=area)
    context = {"indicator": indicator, "period": period, "area": area, "report": report}
    return render(request, "forms/breakdown_report.html", context)


@login_required
def savings(request, code):
    """What the one table saved one village, per form and year: fields served from the base table against fields
    typed; and the county's forms and indicators before and after the clean-up, beside Jiangxi's figures."""
    access.require(request.user, Capability.FORMS_VIEW)
    village = selectors.village_get(request.user, code)
    year = year_param(request, this_year())
    saved = selectors.village_savings(request.user, village, year)
    tasks_url = reverse("forms:tasks")
    chart = {
        "labels": [f["name"] for f in saved["forms"]],
        "series": [
            {
                "name": name,
                "data": [f[key] for f in saved["forms"]],
                "links": [
                    f"{tasks_url}?village={village.code}&year={year}&form={f['form']}&state=submitted"
                    for f in saved["forms"]
                ],
            }
            for name, key in (("共享带出栏目", "served"), ("村（社区）填写栏目", "typed"))
        ],
    }
    context = {
        "village": village,
        "year": year,
        "saved": saved,
        "chart": chart,
        "county": selectors.cleanup_before_after(request.user, year),
        "jiangxi": JIANGXI,
    }
    return render(request, "forms/savings.html", context)
