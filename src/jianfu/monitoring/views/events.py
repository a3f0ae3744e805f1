"""Pages: the monitor's phone form, the clue page, events and their checks, points, the dashboard."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from jianfu.core import fieldsync, keyset, partitions
from jianfu.core.filters import department_name, describe_filters, region_name
from jianfu.core.jobs import start_operation
from jianfu.core.keyset import keyset_page
from jianfu.core.uploads import file_response
from jianfu.core.views_util import add_service_errors, paginate
from jianfu.core.years import year_param
from jianfu.orgs import access
from jianfu.orgs.models import Level, subtree_q
from jianfu.orgs.pickers import region_picker
from jianfu.orgs.roles import Capability

from .. import dashboard as figures
from .. import selectors, services, verdicts
from ..forms import AssignForm, ClueForm, EventForm, NoteForm, PointForm
from ..models import VIEW_CAPABILITIES, ClueReview, EventKind, Origin, Verdict


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


@login_required
def index(request):
    user = request.user
    context = {
        "served": selectors.served_points(user) if selectors.may_record(user) else [],
        "can_view": selectors.may_view(user),
        "can_record": selectors.may_record(user),
        "can_report": selectors.may_report(user),
        "can_publish": selectors.may_publish(user),
        "can_manage": selectors.may_manage(user),
        "card": selectors.home_card(user),
    }
    return render(request, "monitoring/index.html", context)


def _event_form_page(request, *, form_class, villages, save, template_title, done):
    form = form_class(request.POST or None, request.FILES or None, villages=villages)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            event, created = save(data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            outcome = f"自动核验结果：{event.get_verdict_display()}。"
            text = (done if created else "这条记录已经保存过，没有重复保存。") + outcome
            if fieldsync.wants_json(request):  # the phone's offline outbox sending a stored entry
                return fieldsync.saved(
                    url=reverse("monitoring:event_detail", args=[event.pk]), created=created, message=text
                )
            messages.success(request, text)
            return redirect("monitoring:event_detail", pk=event.pk)
    if request.method == "POST" and fieldsync.wants_json(request):
        return fieldsync.refused(form)
    return render(
        request,
        "monitoring/event_form.html",
        {"form": form, "title": template_title, "field_form": "monitoring-event"},
    )


@login_required
@fieldsync.answers_refusals
def event_new(request):
    """The monitor's one-minute page: what, from whom, when, how long; the check runs on save."""
    _require(selectors.may_record(request.user), "只有减负监测员可以记录负担事件。")
    villages = [p.village for p in selectors.served_points(request.user)]
    if not villages:
        raise PermissionDenied("您还没有被指定服务任何监测点，请联系县减负办。")

    def save(data):
        return services.event_record(
            actor=request.user,
            village=data["village"],
            kind=data["kind"],
            department=data["department"],
            occurred_on=data["occurred_on"],
            hours=data["hours"],
            description=data["description"],
            subject=data["subject"],
            demanded_materials=data["demanded_materials"],
            certificate_code=data["certificate_code"],
            photo=data["photo"] or None,
            idempotency_key=data["idempotency_key"],
        )

    return _event_form_page(
        request,
        form_class=EventForm,
        villages=villages,
        save=save,
        template_title="记录负担事件",
        done="已记录。",
    )


@login_required
def clue_new(request):
    """问题线索直通车: any village or community cadre (or grid worker) reports, by name or anonymously."""
    _require(selectors.may_report(request.user), "您没有反映问题线索的权限。")
    villages = selectors.reporting_villages(request.user)
    if not villages:
        raise PermissionDenied("您没有可以反映问题的村（社区）。")

    def save(data):
        return services.clue_report(
            actor=request.user,
            village=data["village"],
            kind=data["kind"],
            department=data["department"],
            occurred_on=data["occurred_on"],
            hours=data["hours"],
            description=data["description"],
            subject=data["subject"],
            anonymous=data["anonymous"],
            demanded_materials=data["demanded_materials"],
            photo=data["photo"] or None,
            idempotency_key=data["idempotency_key"],
        )

    return _event_form_page(
        request,
        form_class=ClueForm,
        villages=villages,
        save=save,
        template_title="反映问题线索",
        done="已提交，纪检监察人员将受理。",
    )


@login_required
def my_clues(request):
    _require(selectors.may_report(request.user), "您没有反映问题线索的权限。")
    page = paginate(request, selectors.my_clues(request.user))
    return render(request, "monitoring/my_clues.html", {"page": page})


@login_required
def events(request):
    _require(selectors.may_view(request.user), "您没有查看负担事件的权限。")
    filters = selectors.parse_filters(request.GET)
    events, window = selectors.events_and_window(request.user, filters, newest_first=True)
    page = keyset_page(
        request,
        events,
        date_field="occurred_on",
        count_limit=keyset.SEARCH_COUNT_LIMIT if filters.get("q") else None,
        # One monthly partition at a time (PostgreSQL): a search's page is found in the newest months' matches.
        by_month=bool(filters.get("q")) and partitions.enabled(),
    )
    query = "&".join(f"{k}={v}" for k, v in filters.items() if v)
    context = {
        "page": page,
        "searched_window": f"{window:,}" if window else "",
        "filters": filters,
        "region_picker": region_picker(
            request.user,
            *VIEW_CAPABILITIES,
            label="村（社区）或乡镇",
            selected=filters["region"],
            blank="全部",
            id="f-region",
        ),
        "kinds": EventKind.choices,
        "verdicts": Verdict.choices,
        "origins": Origin.choices,
        "query": query,
        "chips": describe_filters(
            filters,
            {
                "region": ("区划", region_name),
                "kind": ("类型", dict(EventKind.choices)),
                "department": ("来源部门", department_name),
                "verdict": ("核验结果", dict(Verdict.choices)),
                "origin": ("来源", dict(Origin.choices)),
                "review": ("线索受理", dict(ClueReview.choices)),
                "year": ("年份", lambda y: f"{y}年"),
                "month": ("月份", None),
                "q": ("事项或描述", None),
            },
        ),
    }
    return render(request, "monitoring/events.html", context)


@login_required
def event_detail(request, pk):
    event = selectors.event(request.user, pk)
    # An event with a finding is judged on the finding's page, once (a clue's review and a correction of the
    # lists' verdict included); the page links there instead of offering a second judgement.
    finding = selectors.findings(request.user).filter(event=event).first()
    context = {
        "event": event,
        "finding": finding,
        "reporter": selectors.reporter_label(event, request.user),
        "can_review": finding is None
        and event.review == ClueReview.PENDING
        and services.may_act(request.user, "publish", event),
        "can_recheck": services.may_act(request.user, "recheck", event),
        "form": NoteForm(),
        "can_correct": finding is None and _judges(request.user, event),
    }
    if _judges(request.user, event):  # the inspector's view: the classifier's confidence and nearest items
        context["machine"] = verdicts.machine_verdict(event)
    return render(request, "monitoring/event_detail.html", context)


def _judges(user, event) -> bool:
    """The inspector of the village, on an event the lists' classifier checked."""
    return _judged_by_lists(event) and user.can(Capability.MONITORING_PUBLISH, event.village)


def _judged_by_lists(event) -> bool:
    """Task events and certificate demands without a code are checked by the list classifier."""
    return event.kind == EventKind.TASK or (
        event.kind == EventKind.CERTIFICATE and not event.certificate_code
    )


@login_required
def event_photo(request, pk):
    event = selectors.event(request.user, pk)
    if not event.photo:
        raise Http404
    return file_response(event.photo.open("rb"), filename=f"event-{event.pk}-photo", as_attachment=False)


@login_required
@require_POST
def clue_review(request, pk):
    event = selectors.event(request.user, pk)
    form = NoteForm(request.POST)
    form.is_valid()
    try:
        services.clue_review(
            actor=request.user,
            event=event,
            accept=request.POST.get("decision") == "accept",
            note=form.cleaned_data.get("note") or "",
            version=form.cleaned_data.get("version"),
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "已处理该问题线索。")
    return redirect("monitoring:event_detail", pk=pk)


@login_required
@require_POST
def event_recheck(request, pk):
    event = selectors.event(request.user, pk)
    event = services.event_recheck(actor=request.user, event=event)
    messages.success(request, f"已重新核验：{event.get_verdict_display()}。")
    return redirect("monitoring:event_detail", pk=pk)


# Points -------------------------------------------------------------------------------------------------


@login_required
def points(request):
    user = request.user
    _require(selectors.may_view(user) or selectors.may_record(user), "您没有查看监测点的权限。")
    form = PointForm(request.POST or None)
    form.fields["village"].set_scope(user, Capability.MONITORING_MANAGE, highest=Level.VILLAGE)
    if request.method == "POST":
        _require(selectors.may_manage(user), "只有县减负办（民政局）可以设立监测点。")
        if form.is_valid():
            village = form.cleaned_data["village"]
            try:
                if village is None or not user.can("monitoring.manage", village):
                    raise ValidationError({"village": "区划代码不存在，或不在您的管辖范围内。"})
                point = services.point_designate(actor=user, village=village, note=form.cleaned_data["note"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"已设立{point}。")
                return redirect("monitoring:point_detail", pk=point.pk)
    context = {"points": selectors.points(user), "form": form, "can_manage": selectors.may_manage(user)}
    return render(request, "monitoring/points.html", context)


@login_required
def point_detail(request, pk):
    point = selectors.point(request.user, pk)
    can_manage = request.user.can("monitoring.manage", point.village)
    form = AssignForm(request.POST or None)
    form.fields["monitor"].choices = [(u.pk, u.full_name) for u in selectors.monitors_for(point)]
    if request.method == "POST":
        _require(can_manage, "只有县减负办（民政局）可以指定监测员。")
        if form.is_valid():
            monitor = selectors.monitors_for(point).get(pk=form.cleaned_data["monitor"])
            try:
                services.monitor_assign(actor=request.user, point=point, monitor=monitor)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"已指定{monitor.full_name}服务{point.village.name}。")
                return redirect("monitoring:point_detail", pk=point.pk)
    assignments = point.assignments.select_related("monitor").order_by("-is_active", "-created_at")
    recent = selectors.events(request.user, {"region": point.village.code})[:10]
    context = {
        "point": point,
        "form": form,
        "can_manage": can_manage,
        "assignments": assignments,
        "recent": recent,
    }
    return render(request, "monitoring/point_detail.html", context)


@login_required
@require_POST
def assignment_end(request, pk):
    assignment = selectors.assignment(request.user, pk)
    try:
        services.monitor_unassign(actor=request.user, assignment=assignment)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("monitoring:point_detail", pk=assignment.point_id)


# Dashboard ----------------------------------------------------------------------------------------------


@login_required
def dashboard(request):
    user = request.user
    _require(selectors.may_view(user), "您没有查看减负监测看板的权限。")
    code = request.GET.get("region", "")
    region = selectors.visible_region(user, code) if code else selectors.home_region(user)
    year = year_param(request)
    coverage = services.coverage(
        selectors.points(user).filter(subtree_q([region.prefix], "village__code"), is_active=True)
    )
    context = {
        **figures.figures(region, year),
        "coverage": coverage,
        "coverage_on_time": sum(r.on_time for r in coverage),
        "coverage_silent": [r for r in coverage if r.silent],
        "children": figures.children(region, year),
        "ancestors": _visible_ancestors(user, region),
        "years": range(timezone.localdate().year, timezone.localdate().year - 4, -1),
        "can_rebuild": selectors.may_manage(user),
        "region_picker": region_picker(
            user, *VIEW_CAPABILITIES, label="范围", selected=region.code, id="d-region"
        ),
    }
    return render(request, "monitoring/dashboard.html", context)


@login_required
@require_POST
def rollup_rebuild(request):
    """The county office rebuilds the dashboards' rollup now (it is also rebuilt every night)."""
    _require(selectors.may_manage(request.user), "只有县减负办可以重建监测汇总。")
    work = start_operation(
        actor=request.user, kind="monitoring.rollup_rebuild", back_url=reverse("monitoring:dashboard")
    )
    return redirect("jobs:work_detail", pk=work.pk)


def _visible_ancestors(user, region) -> list:
    """The regions above ``region`` inside the user's scope, top first: one read (it was read, then read again
    filtered by the codes the first read found)."""
    prefixes = access.region_prefixes(user, *VIEW_CAPABILITIES)
    return [a for a in region.ancestors() if a.is_within(prefixes)]
