"""Pages of the base table: overview, indicators and their duplicates, validation rules, a village's values for a
period (entry, correction, Excel import) and the township's review and lock. Thin: parse, call a service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from jianfu.core.jobs import start_operation
from jianfu.core.views_util import add_service_errors, paginate
from jianfu.orgs import access
from jianfu.orgs.models import Department, Level, Region, subtree_q
from jianfu.orgs.roles import Capability

from .. import excel, selectors, selectors_quality, services
from ..models import Indicator
from ..webforms import CorrectForm, ImportForm, IndicatorForm, LockForm, MergeForm, RuleForm


def manage_region(user) -> Region:
    """The county whose base table the user keeps (the county office's own county)."""
    access.require(user, Capability.FORMS_MANAGE)
    for a in access.assignments(user):
        if a.region.level <= Level.COUNTY and user.can(Capability.FORMS_MANAGE, a.region):
            return a.region
    raise PermissionDenied("只有县减负工作机构可以维护基础指标。")


def this_year() -> int:
    return timezone.localdate().year


@login_required
def index(request):
    user = request.user
    context = {
        "can_view": selectors.may_view(user),
        "villages": selectors.entry_villages(user),
        "townships": selectors.review_townships(user),
        "unlocks": selectors.pending_unlocks(user),
        "year": this_year(),
    }
    if context["can_view"]:
        context["card"] = selectors.home_card(user)
        context["figures"] = selectors.cleanup_figures(user, [this_year()])[0]
    return render(request, "forms/index.html", context)


@login_required
def indicators(request):
    access.require(request.user, Capability.FORMS_VIEW)
    query = request.GET.get("q", "").strip()
    page = paginate(
        request, selectors.indicators(request.user, query=query, include_retired=bool(request.GET.get("all")))
    )
    can_manage = request.user.has_capability(Capability.FORMS_MANAGE)
    return render(request, "forms/indicators.html", {"page": page, "query": query, "can_manage": can_manage})


def _departments(user, region):
    return Department.objects.filter(
        Q(region=region) | subtree_q([region.prefix], "region__code"), is_active=True
    )


@login_required
def indicator_new(request):
    return _indicator_edit(request, None)


@login_required
def indicator_edit(request, pk):
    return _indicator_edit(request, selectors.indicator_get(request.user, pk))


def _indicator_edit(request, indicator):
    region = manage_region(request.user) if indicator is None else indicator.region
    if indicator is not None and not request.user.can(Capability.FORMS_MANAGE, region):
        raise PermissionDenied("只有县减负工作机构可以维护基础指标。")
    form = IndicatorForm(
        request.POST or None, instance=indicator, departments=_departments(request.user, region)
    )
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            saved = services.indicator_save(
                actor=request.user,
                region=region,
                indicator=indicator,
                expected_version=form.cleaned_data.get("version"),
                **values,
            )
            messages.success(request, f"已保存指标“{saved.name}”。")
            return redirect("forms:indicators")
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(request, "forms/indicator_edit.html", {"form": form, "indicator": indicator})


@login_required
@require_POST
def indicator_merge(request, pk):
    duplicate = selectors.indicator_get(request.user, pk)
    if not request.user.can(Capability.FORMS_MANAGE, duplicate.region):
        raise PermissionDenied("只有县减负工作机构可以合并指标。")
    form = MergeForm(request.POST)
    form.fields["keep"].queryset = selectors.indicators(request.user)
    if not form.is_valid():
        messages.error(request, "请选择要保留的指标。")
        return redirect("forms:duplicates")
    try:
        services.indicator_merge(
            actor=request.user,
            duplicate=duplicate,
            keep=form.cleaned_data["keep"],
            expected_version=form.cleaned_data["version"],
        )
        messages.success(request, f"已将“{duplicate.name}”合并到“{form.cleaned_data['keep'].name}”。")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("forms:duplicates")


@login_required
def duplicates(request):
    access.require(request.user, Capability.FORMS_VIEW)
    groups = selectors.duplicate_groups(request.user)
    can_manage = request.user.has_capability(Capability.FORMS_MANAGE)
    return render(request, "forms/duplicates.html", {"groups": groups, "can_manage": can_manage})


@login_required
def rules(request):
    access.require(request.user, Capability.FORMS_VIEW)
    can_manage = request.user.has_capability(Capability.FORMS_MANAGE)
    form = RuleForm(
        request.POST or None, indicators=selectors.indicators(request.user).exclude(value_type="text")
    )
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied("只有县减负工作机构可以维护校验规则。")
        if form.is_valid():
            try:
                services.rule_save(actor=request.user, **form.cleaned_data)
                messages.success(request, "已保存校验规则。")
                return redirect("forms:rules")
            except ValidationError as exc:
                add_service_errors(form, exc)
    return render(
        request,
        "forms/rules.html",
        {"rules": selectors.rules(request.user), "form": form, "can_manage": can_manage},
    )


def _period(request) -> str:
    period = (request.GET.get("period") or request.POST.get("period") or str(this_year())).strip()
    return period if services.period_kind(period) else str(this_year())


@login_required
def village_values(request, code):
    access.require(request.user, Capability.FORMS_VIEW)
    village = selectors.village_get(request.user, code)
    period = _period(request)
    rows = selectors.village_values(request.user, village, period)
    can_enter = request.user.can(Capability.FORMS_ENTER, village)
    errors = []
    if request.method == "POST":
        if not can_enter:
            raise PermissionDenied(f"只有“{village.name}”的干部可以录入本村（社区）基础数据。")
        values = {
            i: request.POST.get(f"v_{i.pk}", "") for i, _ in rows if request.POST.get(f"v_{i.pk}", "").strip()
        }
        try:
            saved = services.values_enter(actor=request.user, village=village, period=period, values=values)
            messages.success(request, f"已保存 {len(saved)} 个数值（未改动的不重复记录）。")
            flagged = selectors_quality.village_flags(request.user, village, period)
            if flagged:
                messages.warning(
                    request,
                    f"有 {len(flagged)} 个数值与往期或本乡镇其他村差异较大，已保存并提示乡镇（街道）核实。",
                )
            return redirect(f"{reverse('forms:village_values', args=[village.code])}?period={period}")
        except ValidationError as exc:
            errors = exc.messages
    correct = CorrectForm(initial={"period": period})
    correct.fields["indicator"].queryset = Indicator.objects.filter(pk__in=[i.pk for i, _ in rows])
    context = {
        "village": village,
        "period": period,
        "rows": rows,
        "can_enter": can_enter,
        "errors": errors,
        "posted": request.POST,
        "locked": services.is_locked(village, period),
        "unlock": selectors.village_lock(village, period),
        "may_request_unlock": services.is_locked(village, period)
        and services.may_request_unlock(request.user, village.parent),
        "problems": services.rule_problems(village, period),
        "correct_form": correct,
        "history": selectors.value_history(request.user, village, period)[:30],
        "flags": selectors_quality.village_flags(request.user, village, period),
        "can_correct": can_enter or request.user.can(Capability.FORMS_REVIEW, village),
    }
    return render(request, "forms/village_values.html", context)


@login_required
@require_POST
def value_correct(request, code):
    village = selectors.village_get(request.user, code)
    user = request.user
    if not (user.can(Capability.FORMS_ENTER, village) or user.can(Capability.FORMS_REVIEW, village)):
        raise PermissionDenied(f"只有“{village.name}”的干部或乡镇（街道）审核人员可以更正基础数据。")
    period = _period(request)
    form = CorrectForm(request.POST)
    form.fields["indicator"].queryset = selectors.indicators(request.user)
    target = f"{reverse('forms:village_values', args=[village.code])}?period={period}"
    if not form.is_valid():
        messages.error(request, "更正未保存：" + "；".join(e for errs in form.errors.values() for e in errs))
        return redirect(target)
    data = form.cleaned_data
    try:
        services.value_correct(
            actor=request.user,
            village=village,
            indicator=data["indicator"],
            period=period,
            value=data["value"],
            reason=data["reason"],
            expected_version=data.get("version"),
        )
        messages.success(request, f"已更正“{data['indicator'].name}”，原值保留在历史中。")
    except ValidationError as exc:
        messages.error(request, "更正未保存：" + "；".join(exc.messages))
    return redirect(target)


@login_required
def values_import(request):
    access.require(request.user, Capability.FORMS_ENTER)
    form, errors = ImportForm(request.POST or None, request.FILES or None), []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            work = start_operation(
                actor=request.user,
                kind="forms.import_values",
                upload=upload,
                label=f"导入基础数据：{upload.name}"[:200],
                back_url=reverse("forms:index"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("jobs:work_detail", pk=work.pk)
    return render(
        request,
        "forms/import.html",
        {"form": form, "errors": errors, "columns": excel.VALUE_COLUMNS, "title": "导入基础数据"},
    )


@login_required
def township_review(request, code):
    access.require(request.user, Capability.FORMS_VIEW)
    township = selectors.township_get(request.user, code)
    period = _period(request)
    can_lock = request.user.can(Capability.FORMS_REVIEW, township)
    form = LockForm(request.POST or None, initial={"period": period})
    if request.method == "POST":
        if not can_lock:
            raise PermissionDenied("只有乡镇（街道）审核人员可以锁定统计期。")
        if form.is_valid():
            try:
                services.period_lock(
                    actor=request.user,
                    township=township,
                    period=form.cleaned_data["period"],
                    note=form.cleaned_data["note"],
                )
                messages.success(request, f"已锁定 {form.cleaned_data['period']}。")
                return redirect(
                    f"{reverse('forms:township_review', args=[code])}?period={form.cleaned_data['period']}"
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
    context = {
        "township": township,
        "period": period,
        "form": form,
        "can_lock": can_lock,
        "may_request_unlock": services.may_request_unlock(request.user, township),
        "may_decide_unlock": request.user.can(Capability.FORMS_MANAGE, township),
        "flags": selectors_quality.township_flags(request.user, township, period),
        **selectors.township_review(request.user, township, period),
    }
    return render(request, "forms/township_review.html", context)


def region_or_404(user, code: str) -> Region:
    return get_object_or_404(Region.objects.visible_to(user), code=code)


@login_required
@require_POST
def unlock_request(request, code):
    """The township (or one of its villages) asks the county to unlock a locked period."""
    township = selectors.township_get(request.user, code)
    period = request.POST.get("period", "")[:10]
    lock = selectors.township_review(request.user, township, period)["lock"] if period else None
    back = f"{reverse('forms:township_review', args=[code])}?period={period}"
    if lock is None:
        messages.error(request, f"{township.name} {period} 没有锁定，无需解锁。")
        return redirect(back)
    try:
        services.unlock_request(actor=request.user, lock=lock, reason=request.POST.get("reason", ""))
        messages.success(request, "已提交解锁申请，等待县减负工作机构审批。")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect(back)


@login_required
@require_POST
def village_unlock_request(request, code):
    """A village cadre who found an error in a locked period asks the county to unlock it (the township's lock)."""
    village = selectors.village_get(request.user, code)
    period = request.POST.get("period", "")[:10]
    lock = selectors.village_lock(village, period)["lock"] if period else None
    back = f"{reverse('forms:village_values', args=[village.code])}?period={period}"
    if lock is None:
        messages.error(request, f"{village.name} {period} 没有锁定，无需解锁。")
        return redirect(back)
    try:
        services.unlock_request(actor=request.user, lock=lock, reason=request.POST.get("reason", "")[:300])
        messages.success(request, "已提交解锁申请，等待县减负工作机构审批。")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect(back)


@login_required
@require_POST
def unlock_decide(request, pk):
    """The county office approves (the period opens again for entry) or refuses an unlock request."""
    unlock = selectors.unlock_get(request.user, pk)
    try:
        services.unlock_decide(
            actor=request.user,
            request=unlock,
            approve=request.POST.get("decision") == "approve",
            note=request.POST.get("note", ""),
            expected_version=request.POST.get("version") or None,
        )
        messages.success(request, "已审批解锁申请。")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    township = unlock.lock.township
    return redirect(f"{reverse('forms:township_review', args=[township.code])}?period={unlock.lock.period}")
