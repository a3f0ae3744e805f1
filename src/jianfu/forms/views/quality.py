"""Pages of data quality: editing and stopping validation rules, following up a flagged value, and revising the
fields of a listed form (a new version through the same approval). Thin: parse, call a service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from jianfu.core.views_util import add_service_errors
from jianfu.orgs import access
from jianfu.orgs.roles import Capability

from .. import selectors, selectors_quality, services
from ..services.versions import current_fields
from ..webforms import FollowUpForm, ReviseForm, RuleEditForm


@login_required
def rule_edit(request, pk):
    rule = selectors.rule_get(request.user, pk)
    if not access.may(request.user, Capability.FORMS_MANAGE, rule.left.region):
        raise PermissionDenied("只有县减负工作机构可以维护校验规则。")
    initial = {
        "left": rule.left,
        "operator": rule.operator,
        "factor": rule.factor,
        "right": rule.right,
        "severity": rule.severity,
        "message": rule.message,
        "version": rule.version,
    }
    form = RuleEditForm(
        request.POST or None,
        initial=initial,
        indicators=selectors.indicators(request.user).exclude(value_type="text"),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.rule_save(
                actor=request.user, rule=rule, expected_version=version, is_active=rule.is_active, **data
            )
            messages.success(request, "已修改校验规则，下次录入和锁定时按新规则校验。")
            return redirect("forms:rules")
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(request, "forms/rule_edit.html", {"form": form, "rule": rule})


@login_required
@require_POST
def rule_active(request, pk):
    rule = selectors.rule_get(request.user, pk)
    active = request.POST.get("active") == "1"
    try:
        services.rule_set_active(
            actor=request.user,
            rule=rule,
            is_active=active,
            expected_version=request.POST.get("version") or None,
        )
        messages.success(request, f"已{'启用' if active else '停用'}规则“{rule}”。")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("forms:rules")


@login_required
@require_POST
def flag_follow_up(request, pk):
    """The township's "已核实" on a flagged value, with what it found; back to its approval view."""
    flag = selectors_quality.flag_get(request.user, pk)
    form = FollowUpForm(request.POST)
    township_code = flag.village.code[:9].ljust(12, "0")
    back = f"{reverse('forms:township_review', args=[township_code])}?period={flag.period}#flag-{flag.pk}"
    if not form.is_valid():
        messages.error(request, "未保存：" + "；".join(e for errs in form.errors.values() for e in errs))
        return redirect(back)
    try:
        services.flag_follow_up(
            actor=request.user,
            flag=flag,
            note=form.cleaned_data["note"],
            expected_version=form.cleaned_data.get("version"),
        )
        messages.success(request, f"已记录“{flag.village.name} {flag.indicator.name}”的核实情况。")
    except ValidationError as exc:
        messages.error(request, "未保存：" + "；".join(exc.messages))
    return redirect(back)


@login_required
def form_revise(request, pk):
    """The department edits the fields of its listed form: a new version, submitted and approved like the first."""
    form = selectors.form_get(request.user, pk)
    if not (
        request.user.has_capability(Capability.FORMS_REGISTER)
        and services.acts_for(request.user, form.department)
    ):
        raise PermissionDenied("只能修订本部门的报表。")
    page = ReviseForm(request.POST or None, fields=current_fields(form), initial={"version": form.version})
    if request.method == "POST" and page.is_valid():
        try:
            new = services.form_revise(
                actor=request.user,
                form=form,
                fields=page.field_specs(),
                reason=page.cleaned_data["revision_reason"],
                expected_version=page.cleaned_data.get("version"),
            )
            messages.success(
                request,
                f"已建立第 {new.edition} 版（草稿）。请核对栏目对应的基础指标，再提交审定；审定前仍按第 {form.edition} 版填报。",
            )
            return redirect("forms:form_detail", pk=new.pk)
        except ValidationError as exc:
            add_service_errors(page, exc)
    context = {"form": form, "page": page, "pending": services.open_revision(form)}
    return render(request, "forms/form_revise.html", context)
