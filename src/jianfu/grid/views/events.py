"""Pages of 网格化服务管理: thin views over the selectors and services."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from jianfu.core import fieldsync
from jianfu.core.filters import department_name, describe_filters, region_name
from jianfu.core.uploads import bytes_response
from jianfu.core.views_util import add_service_errors, paginate

from .. import selectors, stats
from ..forms import DispatchForm, ReportForm
from ..models import STEP_LABELS, EventStatus, Grid, GridEvent, Source
from ..rules import (
    may_handle,
    may_manage,
    may_report,
    may_report_somewhere,
    may_see_rating_code,
    may_verify,
    require_reporter,
)
from ..services import events as workflow


def _viewer(request) -> None:
    selectors.require_viewer(request.user)


@login_required
def index(request):
    """The event list: the worker's, the handler's and the centre's queue, with the figures' filters."""
    _viewer(request)
    events = selectors.filter_events(selectors.events_for(request.user), request.GET)
    page = paginate(request, events)
    query = {k: v for k, v in request.GET.items() if k in selectors.FILTERS and v}
    return render(
        request,
        "grid/index.html",
        {
            "page": page,
            "query": urlencode(query),
            "filters": query,
            "chips": _chips(request.user, query),
            "statuses": EventStatus.choices,
            "classes": selectors.classes_for(request.user),
            "card": selectors.home_card(request.user),
            "can_report": may_report_somewhere(request.user),
            "now": timezone.now(),
        },
    )


FLAGS = {
    "overdue": "已超期",
    "escalated": "已升级督办",
    "on_time": "按时办结",
    "late": "超时办结",
    "reopened": "重新办理过",
    "rated": "已评价",
    "open": "未办结",
    "closed": "已结案",
}


def _chips(user, query: dict) -> list[str]:
    classes = {str(c.pk): c.name for c in selectors.classes_for(user)}
    return describe_filters(
        query,
        {
            "status": ("状态", dict(EventStatus.choices)),
            "flag": ("范围", FLAGS),
            "event_class": ("类别", lambda v: "未分类" if v == "none" else classes.get(v)),
            "grid": ("网格", lambda v: "未划入网格" if v == "none" else _grid_name(v)),
            "department": ("处置部门", lambda v: "未派遣" if v == "none" else department_name(v)),
            "community": ("社区", region_name),
            "year": ("年份", lambda y: f"{y}年"),
            "month": ("月份", None),
            "q": ("编号、地点或楼栋", None),
        },
    )


def _grid_name(pk: str) -> str | None:
    return Grid.objects.filter(pk=pk).values_list("name", flat=True).first() if pk.isdigit() else None


def _report_form(request, data=None, files=None):
    communities = selectors.communities_for(request.user)
    community_id = (data or {}).get("community") or (communities.first().pk if communities.exists() else None)
    community = communities.filter(pk=community_id).first() if str(community_id or "").isdigit() else None
    classes = selectors.classes_for_region(community) if community else selectors.classes_for(request.user)
    return ReportForm(data, files, communities=communities, classes=classes.filter(is_active=True))


@login_required
@fieldsync.answers_refusals
def report(request):
    """The phone page: fill in, see likely duplicates first, then file or follow the open one."""
    require_reporter(request.user)
    form = _report_form(request, request.POST or None, request.FILES or None)
    duplicates = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not data["ignore_duplicates"] and not _already_filed(request.user, data["idempotency_key"]):
            duplicates = workflow.find_duplicates(
                event_class=data["event_class"],
                community=data["community"],
                building=data["building"],
                lat=data["lat"],
                lng=data["lng"],
            )
        if not duplicates:
            try:
                event, created = _file_report(request.user, data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                done = (
                    f"已上报，事件编号 {event.number}。"
                    if created
                    else f"此事件已上报过（{event.number}），未重复登记。"
                )
                if fieldsync.wants_json(request):  # the phone's offline outbox sending a stored entry
                    return fieldsync.saved(
                        url=reverse("grid:event", args=[event.pk]), created=created, message=done
                    )
                messages.success(request, done)
                return redirect("grid:event", pk=event.pk)
    if request.method == "POST" and fieldsync.wants_json(request):
        return _refused_json(form, duplicates)
    return render(
        request, "grid/report.html", {"form": form, "duplicates": duplicates, "field_form": "grid-report"}
    )


def _already_filed(user, key: str) -> bool:
    """A resent form (a phone's outbox retrying after a lost answer) is the stored event, not a duplicate."""
    return (
        bool(key) and GridEvent.objects.filter(source_system=f"web:{user.pk}", idempotency_key=key).exists()
    )


def _refused_json(form, duplicates):
    """A stored entry that looks like an open event nearby waits on the phone for the worker to decide."""
    if duplicates:
        numbers = "、".join(d.number for d in duplicates[:5])
        form.add_error(
            None, f"附近已有同类事件未办结（{numbers}），可能是同一件事；请跟进已有事件，或确认后仍然上报。"
        )
        return fieldsync.refused(
            form,
            status=409,
            extra={
                "duplicates": [
                    {"number": d.number, "url": reverse("grid:event", args=[d.pk])} for d in duplicates[:5]
                ]
            },
        )
    return fieldsync.refused(form)


def _file_report(user, data):
    entry = workflow.Report(
        event_class=data["event_class"],
        community=data["community"],
        place=data["place"],
        description=data["description"],
        building=data["building"],
        lat=data["lat"],
        lng=data["lng"],
        photo=data["photo"],
        resident_phone=data["resident_phone"],
    )
    source = Source.RESIDENT if data["resident_phone"] else Source.GRID
    # The hidden key is per form and per reporter: a resent form is the same report, another person's is not.
    return workflow.event_report(
        actor=user,
        report=entry,
        source=source,
        source_system=f"web:{user.pk}",
        idempotency_key=data["idempotency_key"],
    )


@login_required
def event(request, pk):
    _viewer(request)
    found = selectors.event_for(request.user, pk)
    user = request.user
    waiting = found.status in (EventStatus.REPORTED, EventStatus.RETURNED)
    dispatch_form = DispatchForm(
        departments=selectors.departments_for_dispatch(found.community),
        initial={"department": found.event_class.department_id},
    )
    return render(
        request,
        "grid/event.html",
        {
            "event": found,
            "steps": found.steps.all(),
            "labels": STEP_LABELS,
            "dispatch_form": dispatch_form,
            "may_dispatch": waiting and may_manage(user, found.community),
            "may_handle": may_handle(user, found),
            "may_verify": found.status == EventStatus.HANDLED and may_verify(user, found),
            "may_follow": found.is_open and may_report(user, found.community),
            "overdue": found.is_overdue(timezone.now()),
            "may_see_rating_code": may_see_rating_code(user, found),
        },
    )


@login_required
def event_photo(request, pk):
    _viewer(request)
    found = selectors.event_for(request.user, pk)
    if not found.photo:
        raise Http404("此事件没有照片。")
    return bytes_response(bytes(found.photo), filename=f"event-{found.pk}-photo")


def _act(request, found, action):
    data, version = request.POST, request.POST.get("version")
    expected = int(version) if (version or "").isdigit() else None
    if action == "dispatch":
        form = DispatchForm(data, departments=selectors.departments_for_dispatch(found.community))
        department = form.cleaned_data["department"] if form.is_valid() else None
        return workflow.event_dispatch(
            actor=request.user,
            event=found,
            department=department,
            note=data.get("note", ""),
            expected_version=expected,
        ), "已分拨。"
    if action == "accept":
        return workflow.event_accept(actor=request.user, event=found, expected_version=expected), "已受理。"
    if action == "return":
        return workflow.event_return(
            actor=request.user, event=found, reason=data.get("reason", ""), expected_version=expected
        ), "已退回指挥中心重新分拨。"
    if action == "feedback":
        return workflow.event_feedback(
            actor=request.user, event=found, result=data.get("result", ""), expected_version=expected
        ), "已反馈处置结果，等待核查。"
    if action == "verify":
        passed = data.get("passed") == "1"
        done = workflow.event_verify(
            actor=request.user,
            event=found,
            passed=passed,
            note=data.get("note", ""),
            expected_version=expected,
        )
        return done, "核查通过，已结案。" if passed else "核查不通过，已退回处置部门重办。"
    if action == "follow":
        return workflow.event_follow(
            actor=request.user, event=found, note=data.get("note", "")
        ), "已跟进此事件，未新建重复事件。"
    raise Http404("没有这个操作。")


@login_required
@require_POST
def event_act(request, pk, action):
    _viewer(request)
    found = selectors.event_for(request.user, pk)
    try:
        _, message = _act(request, found, action)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, message)
    return redirect(reverse("grid:event", kwargs={"pk": found.pk}))


@login_required
def figures(request):
    """Events by class, grid, handler and month; every number links to the records behind it."""
    _viewer(request)
    params = {k: v for k, v in request.GET.items() if k in ("year", "community") and v}
    events = selectors.filter_events(selectors.events_for(request.user), params)
    base = reverse("grid:index")
    link = lambda filters: f"{base}?{urlencode({**params, **filters})}"  # noqa: E731
    tables = [(d, stats.DIMENSIONS[d][0], stats.figures(events, d)) for d in stats.DIMENSIONS]
    months = next(rows for d, _, rows in tables if d == "month")
    by_class = next(rows for d, _, rows in tables if d == "event_class")
    return render(
        request,
        "grid/stats.html",
        {
            "tables": tables,
            "totals": stats.totals(events),
            "params": params,
            "link_base": f"{base}?{urlencode(params)}",
            "month_chart": stats.month_chart(months, link),
            "rate_chart": stats.rate_chart(by_class, link),
        },
    )
