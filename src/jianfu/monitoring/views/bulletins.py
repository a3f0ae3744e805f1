"""Bulletin pages: draft (inspector), the page and its DOCX, publish, rectify (department), confirm or reopen."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from jianfu.core.jobs import start_operation
from jianfu.core.uploads import download_name
from jianfu.core.views_util import add_service_errors, paginate
from jianfu.orgs import access
from jianfu.orgs.models import Level
from jianfu.orgs.pickers import group_regions, scoped_regions
from jianfu.orgs.roles import Capability

from .. import documents, selectors
from ..forms import BulletinForm
from ..models import BulletinStatus, RectificationStatus
from ..services import bulletins as service


@login_required
def bulletin_list(request):
    user = request.user
    page = paginate(request, selectors.bulletins(user))
    if not (
        selectors.may_view(user)
        or selectors.may_record(user)
        or user.has_capability(Capability.MONITORING_RECTIFY)
    ):
        raise PermissionDenied("您没有查看通报的权限。")
    return render(
        request, "monitoring/bulletins.html", {"page": page, "can_publish": selectors.may_publish(user)}
    )


def _regions_for(user):
    return scoped_regions(user, Capability.MONITORING_PUBLISH, lowest=Level.TOWNSHIP)


@login_required
def bulletin_new(request):
    user = request.user
    if not selectors.may_publish(user):
        raise PermissionDenied("只有纪检监察人员可以起草通报。")
    regions = {r.code: r for r in _regions_for(user)}
    today = timezone.localdate()
    form = BulletinForm(
        request.POST or None, initial={"period_start": today.replace(day=1, month=1), "period_end": today}
    )
    form.fields["region"].choices = group_regions(regions.values(), lowest=Level.TOWNSHIP)
    ranking = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            bulletin = service.bulletin_draft(
                actor=user,
                region=regions[data["region"]],
                title=data["title"],
                period_start=data["period_start"],
                period_end=data["period_end"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "通报草稿已生成，请核对后发布。")
            return redirect("monitoring:bulletin_detail", pk=bulletin.pk)
    return render(request, "monitoring/bulletin_form.html", {"form": form, "ranking": ranking})


@login_required
def bulletin_detail(request, pk):
    user = request.user
    bulletin = selectors.bulletin(user, pk)
    entries = selectors.entries_for(user, bulletin)
    departments = set(access.department_ids(user, Capability.MONITORING_RECTIFY))
    context = {
        "bulletin": bulletin,
        "entries": entries,
        "departments": departments,
        "can_publish": bulletin.status == BulletinStatus.DRAFT
        and user.can(Capability.MONITORING_PUBLISH, bulletin.region),
        "can_confirm": bulletin.status == BulletinStatus.PUBLISHED
        and (
            user.can(Capability.MONITORING_RECORD, bulletin.region)
            or user.can(Capability.MONITORING_PUBLISH, bulletin.region)
        ),
        "steps": bulletin.steps.select_related("actor", "entry__department"),
        "statuses": RectificationStatus,
    }
    return render(request, "monitoring/bulletin_detail.html", context)


@login_required
def bulletin_docx(request, pk):
    bulletin = selectors.bulletin(request.user, pk)
    response = HttpResponse(
        documents.bulletin_docx(bulletin),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    return download_name(response, f"{bulletin.title}.docx")


@login_required
@require_POST
def bulletin_docx_work(request, pk):
    """A bulletin over many findings takes a while: the DOCX is built in the background with progress."""
    bulletin = selectors.bulletin(request.user, pk)
    work = start_operation(
        actor=request.user,
        kind="monitoring.bulletin_docx",
        params={"bulletin_id": bulletin.pk},
        label=f"生成通报 DOCX：{bulletin.title}"[:200],
        back_url=reverse("monitoring:bulletin_detail", args=[bulletin.pk]),
    )
    return redirect("jobs:work_detail", pk=work.pk)


def _version(request):
    value = request.POST.get("version", "")
    return int(value) if value.isdigit() else None


@login_required
@require_POST
def bulletin_publish(request, pk):
    bulletin = selectors.bulletin(request.user, pk)
    try:
        bulletin = service.bulletin_publish(actor=request.user, bulletin=bulletin, version=_version(request))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"通报已发布：{bulletin.number}。")
    return redirect("monitoring:bulletin_detail", pk=pk)


def _entry_action(request, pk, action):
    entry = selectors.entry(request.user, pk)
    text = request.POST.get("text", "")
    try:
        if action == "rectify":
            service.entry_rectify(
                actor=request.user, entry=entry, rectification=text, version=_version(request)
            )
        elif action == "confirm":
            service.entry_confirm(actor=request.user, entry=entry, note=text, version=_version(request))
        else:
            service.entry_reopen(actor=request.user, entry=entry, note=text, version=_version(request))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(
            request,
            {"rectify": "已报告整改情况。", "confirm": "已确认整改。", "reopen": "已退回重新整改。"}[action],
        )
    return redirect("monitoring:bulletin_detail", pk=entry.bulletin_id)


@login_required
@require_POST
def entry_rectify(request, pk):
    return _entry_action(request, pk, "rectify")


@login_required
@require_POST
def entry_confirm(request, pk):
    return _entry_action(request, pk, "confirm")


@login_required
@require_POST
def entry_reopen(request, pk):
    return _entry_action(request, pk, "reopen")
