"""Pages of the work-channel registry (WeChat/QQ groups, APPs, official accounts) and the clean-up figures."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse

from jianfu.core.views_util import add_service_errors
from jianfu.core.years import year_param
from jianfu.orgs import access
from jianfu.orgs.models import Department, Region, subtree_q
from jianfu.orgs.roles import Capability

from .. import selectors, services
from ..models import ChannelStatus
from ..webforms import ChannelForm, ChannelStatusForm
from .base_table import this_year
from .forms import own_departments


@login_required
def channels(request):
    access.require(request.user, Capability.FORMS_VIEW)
    flagged = bool(request.GET.get("flagged"))
    status = request.GET.get("status", "")
    rows = selectors.channels(
        request.user, status=status, flagged=flagged, query=request.GET.get("q", "").strip()
    )
    context = {
        "channels": rows,
        "flagged": flagged,
        "status": status,
        "statuses": ChannelStatus.choices,
        "can_register": request.user.has_capability(Capability.FORMS_REGISTER)
        or request.user.has_capability(Capability.FORMS_MANAGE),
        "can_manage": request.user.has_capability(Capability.FORMS_MANAGE),
    }
    return render(request, "forms/channels.html", context)


def _channel_departments(user):
    if user.has_capability(Capability.FORMS_MANAGE):
        prefixes = [
            a.region.prefix for a in access.assignments(user) if user.can(Capability.FORMS_MANAGE, a.region)
        ]
        q = Q(pk__in=[])
        for prefix in prefixes:
            q |= subtree_q([prefix], "region__code")
        return Department.objects.filter(q, is_active=True)
    return own_departments(user)


@login_required
def channel_new(request):
    user = request.user
    if not (user.has_capability(Capability.FORMS_REGISTER) or user.has_capability(Capability.FORMS_MANAGE)):
        raise PermissionDenied("只有职能部门或县减负工作机构可以登记工作群和政务APP。")
    form = ChannelForm(request.POST or None, departments=_channel_departments(user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        region = Region.objects.filter(code=data["region"]).first()
        try:
            if region is None:
                raise ValidationError({"region": "没有这个区划代码。"})
            services.channel_register(
                actor=user,
                kind=data["kind"],
                name=data["name"],
                department=data["department"],
                region=region,
                purpose=data["purpose"],
                uses=data["uses"],
            )
            messages.success(request, "已登记。")
            return redirect("forms:channels")
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(request, "forms/channel_new.html", {"form": form})


@login_required
def channel_detail(request, pk):
    channel = selectors.channel_get(request.user, pk)
    can_manage = request.user.can(Capability.FORMS_MANAGE, channel.region)
    form = ChannelStatusForm(request.POST or None, initial={"version": channel.version})
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied("只有县减负工作机构可以处理工作群和政务APP。")
        if form.is_valid():
            try:
                services.channel_set_status(
                    actor=request.user,
                    channel=channel,
                    **{
                        "status": form.cleaned_data["status"],
                        "note": form.cleaned_data["note"],
                        "merged_into": form.cleaned_data["merged_into"],
                        "expected_version": form.cleaned_data["version"],
                    },
                )
                messages.success(request, "已记录处理结果。")
                return redirect("forms:channels")
            except ValidationError as exc:
                add_service_errors(form, exc)
    return render(
        request, "forms/channel_detail.html", {"channel": channel, "form": form, "can_manage": can_manage}
    )


@login_required
def stats(request):
    access.require(request.user, Capability.FORMS_VIEW)
    year = year_param(request, this_year())
    years = [year - 2, year - 1, year]
    figures = selectors.cleanup_figures(request.user, years)
    link = reverse("forms:form_list")
    chart = {
        "labels": [str(y) for y in years],
        "series": [
            {
                "name": name,
                "data": [f[key] for f in figures],
                "links": [
                    f"{link}?year={f['year']}&status={status}" if status is not None else "" for f in figures
                ],
            }
            for name, key, status in (
                ("登记报表", "registered", ""),
                ("列入清单", "approved", "approved"),
                ("合并", "merged", "merged"),
                ("不予列入", "rejected", "rejected"),
            )
        ],
    }
    serving = {
        "labels": chart["labels"],
        "series": [
            {
                "name": "共享带出栏目",
                "data": [f["served"] for f in figures],
                "links": [reverse("forms:counts") + f"?year={y}" for y in years],
            },
            {
                "name": "村（社区）填写栏目",
                "data": [f["typed"] for f in figures],
                "links": [reverse("forms:counts") + f"?year={y}" for y in years],
            },
        ],
    }
    current, previous = figures[-1], figures[-2]
    change = {k: current[k] - previous[k] for k in current if k != "year"}
    context = {
        "figures": figures,
        "year": year,
        "chart": chart,
        "serving": serving,
        "current": current,
        "previous": previous,
        "change": change,
    }
    return render(request, "forms/stats.html", context)
