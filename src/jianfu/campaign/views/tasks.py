"""Pages for campaigns: the overview, the ledger (task table, per-unit figures, reports), tasks,
progress reports and joint meetings. Thin: parse, call a service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jianfu.core.uploads import file_response
from jianfu.core.views_util import add_service_errors
from jianfu.orgs.roles import Capability

from .. import excel, permissions, selectors, services
from ..forms import CampaignForm, DecisionForm, MeetingForm, PhaseForm, ReportForm, TaskEditForm, TaskForm
from ..models import MeetingDecision, ReportAttachment, TaskStatus
from ..permissions import may_lead, may_report, unit_ids


def _can_manage(user, region) -> bool:
    return user.can(Capability.CAMPAIGN_MANAGE, region)


@login_required
def index(request):
    user = request.user
    context = {
        "can_view": user.has_capability(Capability.CAMPAIGN_VIEW),
        "can_evaluate": user.has_capability(Capability.EVALUATION_MANAGE),
        "can_score": user.has_capability(Capability.EVALUATION_SCORE),
    }
    if context["can_view"]:
        rows = list(selectors.campaigns(user))
        context["campaigns"] = rows
        today = timezone.localdate()
        mine = [t for c in rows for t in selectors.my_tasks(user, c)] if may_report(user) else []
        context["my_tasks"] = [(t, t.is_overdue(today)) for t in mine]
        context["can_create"] = user.has_capability(Capability.CAMPAIGN_MANAGE)
    return render(request, "campaign/index.html", context)


@login_required
def campaign_create(request):
    region = request.user.home_region
    if not _can_manage(request.user, region):
        raise PermissionDenied("只有县减负工作专班可以发起专项行动。")
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create(actor=request.user, region=region, **form.cleaned_data)
            messages.success(request, "已建立专项行动。")
            return redirect("campaign:detail", campaign.pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(request, "campaign/form.html", {"form": form, "title": "发起专项行动"})


@login_required
def detail(request, pk):
    return _detail(request, selectors.campaign(request.user, pk), PhaseForm())


def _detail(request, campaign, phase_form, status=200):
    data = selectors.ledger(campaign)
    unit = request.GET.get("unit")
    unit_id = int(unit) if unit and unit.isdigit() else None
    state = request.GET.get("state", "")
    state = state if state in selectors.STATES else ""
    rows = selectors.by_state(selectors.by_unit(data["rows"], unit_id), state, unit_ids(request.user))
    context = {
        "campaign": campaign,
        "data": data,
        "rows": rows,
        "unit_id": unit_id,
        "state": selectors.STATES.get(state, ""),
        "chart": selectors.status_chart(data, campaign),
        "phases": campaign.phases.all(),
        "can_manage": _can_manage(request.user, campaign.region),
        "phase_form": phase_form,
        "mine": unit_ids(request.user),
        "meetings": campaign.meetings.all(),
    }
    return render(request, "campaign/detail.html", context, status=status)


@login_required
@require_POST
def phase_set(request, pk):
    campaign = selectors.campaign(request.user, pk)
    form = PhaseForm(request.POST)
    if form.is_valid():
        try:
            services.phase_set(actor=request.user, campaign=campaign, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "已设置阶段。")
            return redirect("campaign:detail", campaign.pk)
    return _detail(request, campaign, form)  # the form opens again with its error summary


@login_required
def task_add(request, pk):
    campaign = selectors.campaign(request.user, pk)
    permissions.require_manage(request.user, campaign.region)
    form = TaskForm(request.POST or None, region=campaign.region)
    if request.method == "POST" and form.is_valid():
        try:
            task = services.task_add(actor=request.user, campaign=campaign, **form.cleaned_data)
            messages.success(request, f"已添加任务第 {task.number} 项。")
            return redirect("campaign:task_detail", task.pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(request, "campaign/form.html", {"form": form, "title": "添加任务", "back": campaign})


@login_required
def task_detail(request, pk):
    task = selectors.task(request.user, pk)
    is_lead = may_lead(request.user, task)
    form = ReportForm(
        initial={
            "kind": task.campaign.cadence,
            "period_start": timezone.localdate(),
            "progress": task.progress,
        }
    )
    context = {
        "task": task,
        "reports": task.reports.select_related("department").prefetch_related("attachments"),
        "is_lead": is_lead,
        "form": form,
        "today": timezone.localdate(),
        "can_manage": _can_manage(request.user, task.campaign.region),
        "can_close": task.status == TaskStatus.REPORTED and services.may_close(request.user, task),
        "own_task_note": services.own_task_refusal(task)
        if task.status == TaskStatus.REPORTED
        and _can_manage(request.user, task.campaign.region)
        and not services.may_close(request.user, task)
        else "",
    }
    return render(request, "campaign/task_detail.html", context)


@login_required
@require_POST
def task_close(request, pk):
    """The leading group's office confirms a reported task (办结) or sends it back with the reason."""
    task = selectors.task(request.user, pk)
    version = request.POST.get("version")
    try:
        services.task_close(
            actor=request.user,
            task=task,
            close=request.POST.get("decision") == "close",
            note=request.POST.get("note", ""),
            version=int(version) if str(version or "").isdigit() else None,
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(
            request, "任务已办结。" if request.POST.get("decision") == "close" else "已退回牵头单位继续推进。"
        )
    return redirect("campaign:task_detail", task.pk)


@login_required
def task_edit(request, pk):
    task = selectors.task(request.user, pk)
    permissions.require_manage(request.user, task.campaign.region)
    initial = {
        "area": task.area,
        "measures": task.measures,
        "lead_department": task.lead_department,
        "responsible": task.responsible_departments.all(),
        "responsible_text": task.responsible_text,
        "deadline": task.deadline,
        "long_term": task.long_term,
        "version": task.version,
    }
    form = TaskEditForm(request.POST or None, initial=initial, region=task.campaign.region)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version, responsible = data.pop("version"), list(data.pop("responsible"))
        try:
            services.task_update(
                actor=request.user, task=task, version=version, responsible=responsible, **data
            )
            messages.success(request, "已保存任务。")
            return redirect("campaign:task_detail", task.pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(request, "campaign/form.html", {"form": form, "title": f"修改任务第 {task.number} 项"})


@login_required
def report_file(request, pk):
    task = selectors.task(request.user, pk)
    permissions.require_lead(request.user, task)
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "attachments"}
        try:
            services.report_file(
                actor=request.user, task=task, attachments=request.FILES.getlist("attachments"), **data
            )
            messages.success(request, "已报送进展。")
            return redirect("campaign:task_detail", task.pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(
        request, "campaign/form.html", {"form": form, "title": f"报送进展：{task}", "multipart": True}
    )


@login_required
def attachment(request, pk):
    item = get_object_or_404(ReportAttachment.objects.select_related("report__task"), pk=pk)
    selectors.task(request.user, item.report.task_id)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("附件文件缺失") from exc
    return file_response(handle, filename=item.name)


@login_required
def ledger_export(request, pk):
    campaign = selectors.campaign(request.user, pk)
    return excel.ledger_response(campaign, selectors.ledger(campaign))


# Joint meetings ---------------------------------------------------------------------------------------------


@login_required
def meetings(request):
    rows = selectors.meetings(request.user)
    region = request.user.home_region
    can_manage = _can_manage(request.user, region)
    form = MeetingForm(request.POST or None, region=region) if can_manage else None
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied("只有县减负工作专班可以登记联席会议。")
        if form.is_valid():
            try:
                campaign = selectors.campaigns(request.user).filter(region=region).first()
                meeting = services.meeting_record(
                    actor=request.user, region=region, campaign=campaign, **form.cleaned_data
                )
                messages.success(request, "已登记联席会议。")
                return redirect("campaign:meeting_detail", meeting.pk)
            except ValidationError as exc:
                add_service_errors(form, exc)
    return render(request, "campaign/meetings.html", {"meetings": rows, "form": form})


@login_required
def meeting_detail(request, pk):
    meeting = selectors.meeting(request.user, pk)
    can_manage = _can_manage(request.user, meeting.region)
    context = {
        "meeting": meeting,
        "decisions": meeting.decisions.select_related("lead_department", "task"),
        "can_manage": can_manage,
        "form": DecisionForm(region=meeting.region) if can_manage else None,
        "campaigns": selectors.campaigns(request.user).filter(region=meeting.region),
    }
    return render(request, "campaign/meeting_detail.html", context)


@login_required
@require_POST
def decision_add(request, pk):
    meeting = selectors.meeting(request.user, pk)
    permissions.require_manage(request.user, meeting.region)
    form = DecisionForm(request.POST, region=meeting.region)
    if form.is_valid():
        try:
            services.decision_add(actor=request.user, meeting=meeting, **form.cleaned_data)
            messages.success(request, "已记录议定事项。")
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
    else:
        messages.error(request, "议定事项不完整：请填写内容、牵头单位和完成时限。")
    return redirect("campaign:meeting_detail", meeting.pk)


@login_required
@require_POST
def decision_task(request, pk):
    decision = get_object_or_404(MeetingDecision, pk=pk, meeting__in=selectors.meetings(request.user))
    permissions.require_manage(request.user, decision.meeting.region)
    campaign_pk = request.POST.get("campaign", "")
    campaign = get_object_or_404(
        selectors.campaigns(request.user), pk=int(campaign_pk) if campaign_pk.isdigit() else 0
    )
    try:
        task = services.decision_to_task(actor=request.user, decision=decision, campaign=campaign)
        messages.success(request, f"已转为“{campaign}”任务第 {task.number} 项。")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("campaign:meeting_detail", decision.meeting_id)
