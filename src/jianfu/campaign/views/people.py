"""Pages for the dispatched-agency evaluation, township classification and community workers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jianfu.core.views_util import add_service_errors
from jianfu.orgs.roles import Capability

from .. import local_rules, rules, selectors_eval, services
from ..forms import (
    AgencyForm,
    AppraisalForm,
    ContractForm,
    DepartmentScoreForm,
    FiguresForm,
    ProfileForm,
    RateForm,
    RoundForm,
    TownshipScoreForm,
    TrainingForm,
    WorkerForm,
)
from ..permissions import unit_ids


def _flash(request, exc: ValidationError) -> None:
    messages.error(request, "；".join(exc.messages))


def _post(request, form, action, **kwargs) -> bool:
    """Run a service with the form's data; errors go to the form (or the flash), True on success."""
    if not form.is_valid():
        messages.error(
            request,
            "请检查填写的内容："
            + "；".join(
                f"{form.fields[k].label}：{v[0]}" if k in form.fields else v[0]
                for k, v in form.errors.items()
            ),
        )
        return False
    try:
        action(actor=request.user, **kwargs, **form.cleaned_data)
        return True
    except ValidationError as exc:
        add_service_errors(form, exc)
        _flash(request, exc)
        return False


# Dispatched agencies ----------------------------------------------------------------------------------------


@login_required
def agencies(request):
    rows = selectors_eval.agencies(request.user)
    can_register = request.user.has_capability(Capability.EVALUATION_MANAGE)
    form = AgencyForm(request.POST or None, user=request.user) if can_register else None
    if request.method == "POST":
        if not can_register:
            raise PermissionDenied("只有乡镇（街道）可以登记派驻机构。")
        if _post(request, form, services.agency_register):
            messages.success(request, "已登记派驻机构。")
            return redirect("campaign:agencies")
    return render(request, "campaign/agencies.html", {"agencies": rows, "form": form})


@login_required
def agency_detail(request, pk):
    item = selectors_eval.agency(request.user, pk)
    user = request.user
    context = {
        "agency": item,
        "figures": selectors_eval.agency_figures(item),
        "threshold": local_rules.in_force(
            item.township, local_rules.AGENCY_EXCELLENT_RATE, local_rules.year_end(item.year)
        ),
        "head_rule": local_rules.in_force(
            item.township, local_rules.AGENCY_HEAD_RULE, local_rules.year_end(item.year)
        ),
        "weights": local_rules.in_force(
            item.township, local_rules.AGENCY_WEIGHTS, local_rules.year_end(item.year)
        ),
        "can_township": user.can(Capability.EVALUATION_MANAGE, item.township),
        "can_department": user.has_capability(Capability.EVALUATION_SCORE)
        and item.department_id in unit_ids(user),
        "township_form": TownshipScoreForm(
            auto_id="town_%s",
            initial={
                "version": item.version,
                "territorial": item.territorial_score,
                "satisfaction": item.satisfaction_score,
            },
        ),
        "department_form": DepartmentScoreForm(
            auto_id="dept_%s", initial={"version": item.version, "statutory": item.statutory_score}
        ),
        "rate_form": RateForm(
            auto_id="rate_%s",
            initial={
                "version": item.version,
                "agency_grade": item.agency_grade or "good",
                "head_grade": item.head_grade or "competent",
            },
        ),
    }
    return render(request, "campaign/agency_detail.html", context)


@login_required
@require_POST
def agency_score(request, pk, part):
    item = selectors_eval.agency(request.user, pk)
    forms = {
        "township": (TownshipScoreForm, services.agency_score_township),
        "department": (DepartmentScoreForm, services.agency_score_department),
        "rate": (RateForm, services.agency_rate),
    }
    form_class, action = forms[part]
    if _post(request, form_class(request.POST), action, evaluation=item):
        messages.success(request, "已保存。")
    return redirect("campaign:agency_detail", item.pk)


# Township classification ------------------------------------------------------------------------------------


@login_required
def rounds(request):
    rows = selectors_eval.rounds(request.user)
    county = request.user.home_region
    can_create = request.user.can(Capability.EVALUATION_MANAGE, county) and county.level == 3
    form = RoundForm(request.POST or None) if can_create else None
    if request.method == "POST":
        if not can_create:
            raise PermissionDenied("只有县（市、区）可以组织乡镇（街道）分类。")
        if _post(request, form, services.round_create, county=county):
            messages.success(request, "已建立分类，请录入各乡镇（街道）指标。")
            return redirect("campaign:rounds")
    return render(request, "campaign/rounds.html", {"rounds": rows, "form": form})


@login_required
def round_detail(request, pk):
    item = selectors_eval.round_detail(request.user, pk)
    can_edit = request.user.can(Capability.EVALUATION_MANAGE, item.county)
    form = FiguresForm(request.POST or None, county=item.county) if can_edit else None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("只有组织分类的县（市、区）可以录入指标。")
        if _post(request, form, services.figures_set, round=item):
            messages.success(request, "已保存指标。")
            return redirect("campaign:round_detail", item.pk)
    context = {
        "round": item,
        "rows": selectors_eval.classification(item),
        "form": form,
        "weights": selectors_eval.classification_weights(item),
        "parts": local_rules.CLASS_PARTS,
        "posts": rules.LEADERSHIP_POSTS,
    }
    return render(request, "campaign/round_detail.html", context)


# Community workers ------------------------------------------------------------------------------------------


@login_required
def communities(request):
    rows = selectors_eval.staffing(selectors_eval.communities(request.user))
    return render(request, "campaign/communities.html", {"rows": rows})


@login_required
def community(request, code):
    region = selectors_eval.community(request.user, code)
    can_edit = request.user.can(Capability.EVALUATION_MANAGE, region)
    worker_form = WorkerForm(request.POST or None) if can_edit else None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("只有社区所在的街道可以管理社区工作者。")
        if _post(request, worker_form, services.worker_add, community=region):
            messages.success(request, "已登记社区工作者。")
            return redirect("campaign:community", region.code)
    staffing = selectors_eval.staffing([region])[0]
    context = {
        "community": region,
        "workers": selectors_eval.workers(request.user, region),
        "staffing": staffing,
        "can_edit": can_edit,
        "worker_form": worker_form,
        "profile_form": ProfileForm(initial={"residents": staffing["check"].residents}),
    }
    return render(request, "campaign/community.html", context)


@login_required
@require_POST
def profile_set(request, code):
    region = selectors_eval.community(request.user, code)
    if _post(request, ProfileForm(request.POST), services.profile_set, community=region):
        messages.success(request, "已登记常住人口。")
    return redirect("campaign:community", region.code)


@login_required
def worker_detail(request, pk):
    worker = selectors_eval.worker(request.user, pk)
    context = {
        "worker": worker,
        "can_edit": request.user.can(Capability.EVALUATION_MANAGE, worker.community),
        "contract_form": ContractForm(initial={"version": worker.version}),
        "training_form": TrainingForm(),
        "appraisal_form": AppraisalForm(),
    }
    return render(request, "campaign/worker_detail.html", context)


@login_required
@require_POST
def worker_record(request, pk, what):
    worker = selectors_eval.worker(request.user, pk)
    forms = {
        "contract": (ContractForm, services.contract_sign),
        "training": (TrainingForm, services.training_record),
        "appraisal": (AppraisalForm, services.appraisal_record),
    }
    form_class, action = forms[what]
    if _post(request, form_class(request.POST), action, worker=worker):
        messages.success(request, "已登记。")
    return redirect("campaign:worker_detail", worker.pk)
