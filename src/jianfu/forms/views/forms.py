"""Pages of department forms: registration (page and Excel), mapping fields to indicators, approval into the
annual form list and its rules, issuing, the Excel export, the village's task, and typed-vs-served counts."""

from io import BytesIO
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from jianfu.core.uploads import download_name
from jianfu.core.views_util import add_service_errors, paginate
from jianfu.core.years import year_param
from jianfu.orgs import access
from jianfu.orgs.imports import ImportRefused
from jianfu.orgs.models import Department, subtree_q
from jianfu.orgs.roles import DEPARTMENT_ROLES, Capability

from .. import excel, selectors, selectors_quality, services
from ..models import TASK_FLOW, DepartmentForm, FormStatus, Frequency, Indicator
from ..webforms import DecideForm, FormRegisterForm, ImportForm, IssueForm, ListRulesForm
from .base_table import this_year


def own_departments(user):
    ids = [
        a.department_id for a in access.assignments(user) if a.role in DEPARTMENT_ROLES and a.department_id
    ]
    return Department.objects.filter(pk__in=ids, is_active=True)


def _year(request) -> int:
    return year_param(request, this_year())


@login_required
def form_list(request):
    access.require(request.user, Capability.FORMS_VIEW)
    year, status = _year(request), request.GET.get("status", "")
    rows = selectors.forms(request.user, year=year, status=status, query=request.GET.get("q", "").strip())
    context = {
        "page": paginate(request, rows),
        "year": year,
        "status": status,
        "statuses": FormStatus.choices,
        "can_register": request.user.has_capability(Capability.FORMS_REGISTER),
    }
    return render(request, "forms/form_list.html", context)


@login_required
def annual_list(request):
    access.require(request.user, Capability.FORMS_VIEW)
    year = _year(request)
    county = request.user.primary_assignment.region if request.user.primary_assignment else None
    rules = services.rules_for(county) if county is not None and county.level >= 3 else None
    context = {
        "year": year,
        "forms": selectors.annual_list(request.user, year),
        "rules": rules,
        "can_manage": request.user.has_capability(Capability.FORMS_MANAGE),
    }
    return render(request, "forms/annual_list.html", context)


@login_required
def list_rules(request):
    from .base_table import manage_region

    county = manage_region(request.user)
    rules = services.rules_for(county)
    initial = {
        "require_list_item": rules.require_list_item,
        "max_forms_per_department": rules.max_forms_per_department,
        "max_frequency": rules.max_frequency,
        "version": rules.version if rules.pk else None,
    }
    form = ListRulesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.list_rules_save(
                actor=request.user,
                region=county,
                expected_version=form.cleaned_data.pop("version"),
                **form.cleaned_data,
            )
            messages.success(request, "已保存填报表格清单规则。")
            return redirect("forms:annual_list")
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(request, "forms/list_rules.html", {"form": form, "county": county})


@login_required
def form_new(request):
    access.require(request.user, Capability.FORMS_REGISTER)
    departments = own_departments(request.user)
    form = FormRegisterForm(
        request.POST or None,
        departments=departments,
        initial={"year": this_year(), "frequency": Frequency.QUARTERLY},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = services.form_register(
                actor=request.user,
                department=data["department"],
                region=data["department"].region,
                year=data["year"],
                name=data["name"],
                legal_basis=data["legal_basis"],
                frequency=data["frequency"],
                list_item_code=data["list_item_code"],
                exception_reason=data["exception_reason"],
                fields=form.field_specs(),
            )
            messages.success(request, "已登记。请核对系统建议的对应指标，再提交审定。")
            return redirect("forms:form_detail", pk=made.pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(request, "forms/form_new.html", {"form": form})


@login_required
def forms_import(request):
    access.require(request.user, Capability.FORMS_REGISTER)
    departments = list(own_departments(request.user))
    form, errors = ImportForm(request.POST or None, request.FILES or None), []
    if request.method == "POST" and form.is_valid():
        if not departments:
            raise PermissionDenied("只有职能部门可以导入本部门的报表。")
        upload = form.cleaned_data["file"]
        try:
            made = excel.import_forms(
                actor=request.user,
                department=departments[0],
                region=departments[0].region,
                year=this_year(),
                fileobj=upload,
                filename=upload.name,
            )
            messages.success(request, f"已登记 {len(made)} 张报表。")
            return redirect("forms:form_list")
        except (ImportRefused, ValidationError) as exc:
            errors = getattr(exc, "errors", None) or exc.messages
    return render(
        request,
        "forms/import.html",
        {"form": form, "errors": errors, "columns": excel.FORM_COLUMNS, "title": "导入部门报表"},
    )


@login_required
def form_detail(request, pk):
    form = selectors.form_get(request.user, pk)
    user = request.user
    is_owner = services.acts_for(user, form.department)
    context = {
        "form": form,
        "fields": form.fields.select_related("indicator"),
        "transitions": form.transitions.select_related("by"),
        "is_owner": is_owner and user.has_capability(Capability.FORMS_REGISTER),
        "can_decide": services.may_decide_form(user, form) and form.status == FormStatus.SUBMITTED,
        "own_form_note": services.own_form_refusal(form)
        if form.status == FormStatus.SUBMITTED
        and access.works_in(user, form.department)
        and access.may(user, Capability.FORMS_REVIEW, form.region)
        else "",
        "breaches": services.rule_breaches(form) if form.status == FormStatus.SUBMITTED else [],
        "indicators": selectors.indicators(user),
        "issues": form.issues.all(),
        "decide_form": DecideForm(initial={"version": form.version}),
        "issue_form": IssueForm(),
        "approved": selectors.annual_list(user, form.year).exclude(pk=form.pk),
        "editions": selectors_quality.editions(form),
    }
    return render(request, "forms/form_detail.html", context)


def _back(form):
    return redirect("forms:form_detail", pk=form.pk)


@login_required
@require_POST
def form_map(request, pk):
    form = selectors.form_get(request.user, pk)
    version = request.POST.get("version")
    try:
        for field in form.fields.all():
            choice = request.POST.get(f"indicator_{field.pk}", "")
            indicator = (
                selectors.indicators(request.user).filter(pk=choice).first() if choice.isdigit() else None
            )
            services.field_map(
                actor=request.user,
                field=field,
                indicator=indicator,
                justification=request.POST.get(f"justification_{field.pk}", ""),
                expected_version=version,
            )
            version = None  # the first save moved the version; the rest of this one submission follows it
        messages.success(request, "已保存栏目对应关系。")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return _back(form)


@login_required
@require_POST
def form_submit(request, pk):
    form = selectors.form_get(request.user, pk)
    try:
        services.form_submit(actor=request.user, form=form, expected_version=request.POST.get("version"))
        messages.success(request, "已提交审定。")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return _back(form)


@login_required
@require_POST
def form_decide(request, pk):
    form = selectors.form_get(request.user, pk)
    access.require(request.user, Capability.FORMS_REVIEW)
    decide = DecideForm(request.POST)
    if not decide.is_valid():
        messages.error(request, "请选择审定结果。")
        return _back(form)
    data = decide.cleaned_data
    try:
        if data["decision"] == "approve":
            services.form_approve(
                actor=request.user, form=form, note=data["note"], expected_version=data["version"]
            )
        else:
            into = (
                selectors.forms(request.user).filter(pk=data["merge_into"]).first()
                if data["decision"] == "merge"
                else None
            )
            if data["decision"] == "merge" and into is None:
                raise ValidationError("请选择要合并到的报表。")
            services.form_reject(
                actor=request.user,
                form=form,
                note=data["note"],
                merge_into=into,
                expected_version=data["version"],
            )
        messages.success(request, "已审定。")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return _back(form)


@login_required
@require_POST
def form_issue(request, pk):
    form = selectors.form_get(request.user, pk)
    issue = IssueForm(request.POST)
    try:
        if not issue.is_valid():
            raise ValidationError("请填写统计期。")
        made = services.form_issue(actor=request.user, form=form, period=issue.cleaned_data["period"])
        messages.success(request, f"已下发到 {made.tasks.count()} 个村（社区）；共享栏目已从基础表带出。")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return _back(form)


@login_required
def form_export(request, pk):
    form = selectors.form_get(request.user, pk)
    period = request.GET.get("period") or (
        form.issues.values_list("period", flat=True).first() or str(form.year)
    )
    villages = list(selectors.visible_villages(request.user).filter(subtree_q([form.region.prefix])))
    if not villages and services.acts_for(request.user, form.department):
        villages = list(
            selectors.Region.objects.filter(subtree_q([form.region.prefix]), level=5, is_active=True)
        )
    buffer = BytesIO()
    excel.export_form(form, period, villages).save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return download_name(response, f"{form.name}-{period}.xlsx")


@login_required
def tasks(request):
    access.require(request.user, Capability.FORMS_VIEW)
    get = request.GET
    form_id = get.get("form", "")
    filters = {
        "status": get.get("status", "")[:10],
        "state": get.get("state", "")[:10],
        "year": year_param(request, this_year()) if get.get("year") else None,
        "form_id": int(form_id) if form_id.isdigit() else None,
        "period": get.get("period", "").strip()[:10],
        "township": get.get("township", "").strip()[:12],
        "village_code": get.get("village", "").strip()[:12],
        "area": get.get("area", "").strip()[:12],
    }
    rows = selectors.tasks(request.user, **filters)
    query = {k: v for k, v in get.items() if k != "page" and v}
    context = {
        "page": paginate(request, rows),
        "today": timezone.localdate(),
        "state_label": selectors.TASK_STATES.get(filters["state"], ("",))[0],
        "filtered": bool(query),
        "query": urlencode(query),
    }
    return render(request, "forms/tasks.html", context)


@login_required
def task_detail(request, pk):
    task = selectors.task_get(request.user, pk)
    can_fill = request.user.can(Capability.FORMS_ENTER, task.village) and TASK_FLOW.may(task, "submit")
    errors = []
    if request.method == "POST":
        if not request.user.can(Capability.FORMS_ENTER, task.village):
            raise PermissionDenied(f"只有“{task.village.name}”的干部可以填报。")
        fields = list(task.issue.form.fields.all())
        typed = {f.pk: request.POST.get(f"typed_{f.pk}", "") for f in fields if not f.indicator_id}
        corrections = {f.pk: request.POST.get(f"correct_{f.pk}", "") for f in fields if f.indicator_id}
        try:
            services.task_submit(
                actor=request.user,
                task=task,
                typed=typed,
                corrections=corrections,
                reason=request.POST.get("reason", ""),
                expected_version=request.POST.get("version"),
            )
            messages.success(request, "已报送。共享栏目的更正已写回基础数据。")
            return redirect("forms:task_detail", pk=task.pk)
        except ValidationError as exc:
            errors = exc.messages
    context = {
        "task": task,
        "rows": selectors.task_rows(task),
        "cards": selectors.task_cards(task),
        "can_fill": can_fill,
        "errors": errors,
        "posted": request.POST,
        "steps": task.steps.select_related("by"),
        "reviews": [
            t for t in TASK_FLOW.actions(task) if services.may_review_task(request.user, task, t.code)
        ],
    }
    return render(request, "forms/task_detail.html", context)


REVIEW_STEPS = {
    "approve": "已审核通过。",
    "return": "已退回，村（社区）将看到退回理由。",
    "accept": "已接收。",
}


@login_required
@require_POST
def task_review(request, pk):
    """The township approves or returns a village's task; the county accepts or returns what the township approved."""
    task = selectors.task_get(request.user, pk)
    step, note = request.POST.get("step", ""), request.POST.get("note", "")
    version = request.POST.get("version")
    try:
        if step == "approve":
            services.task_approve(actor=request.user, task=task, note=note, expected_version=version)
        elif step == "return":
            services.task_return(actor=request.user, task=task, reason=note, expected_version=version)
        elif step == "accept":
            services.task_accept(actor=request.user, task=task, note=note, expected_version=version)
        else:
            raise ValidationError({"step": "请选择审核通过、退回或接收。"})
        messages.success(request, REVIEW_STEPS[step])
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("forms:task_detail", pk=task.pk)


@login_required
def counts(request):
    access.require(request.user, Capability.FORMS_VIEW)
    year = _year(request)
    rows = selectors.village_counts(request.user, year=year)
    return render(
        request, "forms/counts.html", {"rows": rows, "year": year, "indicators": Indicator.objects.none()}
    )


def back_to(form: DepartmentForm) -> str:
    return reverse("forms:form_detail", kwargs={"pk": form.pk})
