"""Pages: the overview, departments' plans and the office's approval, visits recorded at villages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jianfu.core.views_util import add_service_errors, paginate
from jianfu.core.years import year_param
from jianfu.orgs import access
from jianfu.orgs.roles import Capability

from .. import selectors, services, stats
from ..forms import DecideForm, ItemForm, PlanForm, SupplementForm, VisitForm
from ..models import PLAN_FLOW, PlanStatus


def _year(request) -> int:
    return year_param(request)


@login_required
def index(request):
    """The overview: planned against actual village inspections (year on year), by department, placards."""
    user = request.user
    region = selectors.home_region(user) if selectors.may_view(user) else None
    if request.GET.get("region") and region is not None:
        region = selectors.region_get(user, request.GET["region"])
    year = _year(request)
    context = {
        "region": region,
        "year": year,
        "villages": selectors.recording_villages(user),
        "planners": selectors.planning_departments(user),
        "approver": user.has_capability(Capability.SUPERVISION_APPROVE),
    }
    if region is not None:
        context.update(
            yoy=stats.year_on_year(region, year),
            months=stats.by_month(region, year),
            departments=stats.by_department(region, year),
            counts=selectors.inspection_counts(region=region, year=year),
            removals=selectors.placard_removals(region=region, year=year),
            seed=stats.SEED_REMOVED,
        )
    return render(request, "supervision/index.html", context)


# Plans --------------------------------------------------------------------------------------------------------


@login_required
def plans(request):
    user = request.user
    access.require(user, Capability.SUPERVISION_VIEW)
    departments = selectors.planning_departments(user)
    form = PlanForm(request.POST or None, departments=departments)
    if request.method == "POST":
        if not departments:
            raise PermissionDenied("只有部门可以编制督查检查考核计划。")
        if form.is_valid():
            try:
                plan = services.plan_create(actor=user, **form.cleaned_data)
                messages.success(request, f"已新建“{plan}”，请添加事项后报送。")
                return redirect("supervision:plan_detail", pk=plan.pk)
            except ValidationError as exc:
                add_service_errors(form, exc)
    status = request.GET.get("status", "")
    plan_page = paginate(
        request, selectors.plan_list(user, status=status if status in PlanStatus.values else "")
    )
    return render(
        request,
        "supervision/plans.html",
        {
            "page": plan_page,
            "form": form if departments else None,
            "statuses": PlanStatus.choices,
            "status": status,
        },
    )


def _plan_context(request, plan, item_form=None, decide_form=None, supplement_form=None) -> dict:
    user = request.user
    can_edit = plan.editable and plan.department_id in [d.pk for d in selectors.planning_departments(user)]
    submitted = plan.status == PlanStatus.SUBMITTED
    can_decide = submitted and services.may_decide(user, plan)
    own_plan = (
        submitted
        and access.works_in(user, plan.department)
        and access.may(user, Capability.SUPERVISION_APPROVE, plan.department.region)
    )
    items = selectors.plan_items(plan)
    planner = plan.department_id in [d.pk for d in selectors.planning_departments(user)]
    may_decide_supplements = access.may(
        user, Capability.SUPERVISION_APPROVE, plan.department.region
    ) and not access.works_in(user, plan.department)
    return {
        "supplements": selectors.plan_supplements(plan),
        "can_supplement": planner and PLAN_FLOW.may(plan, "supplement"),
        "can_decide_supplements": may_decide_supplements,
        "own_supplement_note": services.supplement_refusal(plan)
        if access.works_in(user, plan.department)
        and access.may(user, Capability.SUPERVISION_APPROVE, plan.department.region)
        else "",
        "supplement_form": supplement_form
        or SupplementForm(initial={"version": plan.version}, region=plan.department.region),
        "plan": plan,
        "items": items,
        "totals": selectors.plan_totals(plan, items),
        "transitions": plan.transitions.all(),
        "can_edit": can_edit,
        "can_decide": can_decide,
        "own_plan_note": services.own_plan_refusal(plan) if own_plan else "",
        "item_form": item_form or ItemForm(initial={"version": plan.version}, region=plan.department.region),
        "decide_form": decide_form or DecideForm(initial={"version": plan.version}),
    }


@login_required
def plan_detail(request, pk):
    plan = selectors.plan_get(request.user, pk)
    return render(request, "supervision/plan_detail.html", _plan_context(request, plan))


@login_required
@require_POST
def plan_item_add(request, pk):
    plan = selectors.plan_get(request.user, pk)
    form = ItemForm(request.POST, region=plan.department.region)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.item_add(
                actor=request.user,
                plan=plan,
                kind=data["kind"],
                subject=data["subject"],
                month=data["month"],
                villages=data["villages"],
                scope=data["scope"],
                village_count=data["village_count"] or 0,
                demands_materials=data["demands_materials"],
                veto=data["veto"],
                version=data["version"],
            )
            messages.success(request, "已添加计划事项。")
            return redirect("supervision:plan_detail", pk=plan.pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(
        request, "supervision/plan_detail.html", _plan_context(request, plan, item_form=form), status=400
    )


@login_required
@require_POST
def plan_item_remove(request, pk):
    item = selectors.item_get(request.user, pk)
    try:
        plan = services.item_remove(actor=request.user, item=item, version=_int(request.POST.get("version")))
        messages.success(request, "已删除计划事项。")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        plan = item.plan
    return redirect("supervision:plan_detail", pk=plan.pk)


def _int(value):
    return int(value) if str(value or "").isdigit() else None


@login_required
@require_POST
def plan_submit(request, pk):
    plan = selectors.plan_get(request.user, pk)
    try:
        services.plan_submit(actor=request.user, plan=plan, version=_int(request.POST.get("version")))
        messages.success(request, "计划已报送县减负工作办公室审批。")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("supervision:plan_detail", pk=plan.pk)


@login_required
@require_POST
def plan_decide(request, pk):
    plan = selectors.plan_get(request.user, pk)
    form = DecideForm(request.POST)
    if form.is_valid():
        approve = request.POST.get("decision") == "approve"
        try:
            services.plan_decide(
                actor=request.user,
                plan=plan,
                approve=approve,
                note=form.cleaned_data["note"],
                version=form.cleaned_data["version"],
            )
            messages.success(request, "计划已批准。" if approve else "计划已退回部门修改。")
            return redirect("supervision:plan_detail", pk=plan.pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(
        request, "supervision/plan_detail.html", _plan_context(request, plan, decide_form=form), status=400
    )


@login_required
@require_POST
def plan_supplement_add(request, pk):
    """The department adds a visit to its approved plan, with the reason; the office decides."""
    plan = selectors.plan_get(request.user, pk)
    form = SupplementForm(request.POST, region=plan.department.region)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.supplement_submit(
                actor=request.user,
                plan=plan,
                reason=data["reason"],
                version=data["version"],
                items=[
                    {
                        "kind": data["kind"],
                        "subject": data["subject"],
                        "month": data["month"],
                        "villages": data["villages"],
                        "scope": data["scope"],
                        "village_count": data["village_count"] or 0,
                        "demands_materials": data["demands_materials"],
                        "veto": data["veto"],
                    }
                ],
            )
            messages.success(request, "计划补充已报送，批准后方可到村开展。")
            return redirect("supervision:plan_detail", pk=plan.pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(
        request,
        "supervision/plan_detail.html",
        _plan_context(request, plan, supplement_form=form),
        status=400,
    )


@login_required
@require_POST
def supplement_decide(request, pk):
    supplement = selectors.supplement_get(request.user, pk)
    approve = request.POST.get("decision") == "approve"
    try:
        services.supplement_decide(
            actor=request.user,
            supplement=supplement,
            approve=approve,
            note=request.POST.get("note", ""),
            version=_int(request.POST.get("version")),
        )
        messages.success(request, "已批准计划补充。" if approve else "已不予批准计划补充。")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("supervision:plan_detail", pk=supplement.plan_id)


# Visits -------------------------------------------------------------------------------------------------------


@login_required
def visits(request):
    user = request.user
    access.require(user, Capability.SUPERVISION_VIEW)
    filters = selectors.parse_filters(request.GET)
    visit_page = paginate(request, selectors.visit_list(user, filters))
    return render(
        request,
        "supervision/visits.html",
        {"page": visit_page, "filters": filters, "can_record": bool(selectors.recording_villages(user))},
    )


@login_required
def visit_record(request):
    """The village's phone page: who came, when, what for, and whether they wanted briefing materials."""
    user = request.user
    villages = selectors.recording_villages(user)
    if not villages:
        raise PermissionDenied("只有村（社区）干部、乡镇（街道）和监测员可以登记到村督查检查。")
    form = VisitForm(request.POST or None, villages=villages)
    if request.method == "POST" and form.is_valid():
        try:
            visit = services.visit_record(actor=user, **form.cleaned_data)
            if visit.flagged:
                messages.warning(request, f"已登记。核对结果：{visit.rule}。{visit.detail}")
            else:
                messages.success(request, f"已登记。核对结果：列入年度计划。{visit.detail}")
            return redirect("supervision:visit_detail", pk=visit.pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(
        request, "supervision/visit_record.html", {"form": form}, status=400 if form.errors else 200
    )


@login_required
def visit_detail(request, pk):
    visit = selectors.visit_get(request.user, pk)
    return render(
        request,
        "supervision/visit_detail.html",
        {"visit": visit, "sees_recorder": selectors.sees_recorder(request.user, visit)},
    )
