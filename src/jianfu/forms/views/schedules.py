"""Pages of the schedules from the annual form list and the reporting-rate report: which period of each listed
form is open and when it is due, a township's own (thinner) schedule, opening periods now, and DHIS2's reporting
rate summary with charts that open the tasks behind each bar."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from jianfu.core.views_util import add_service_errors
from jianfu.orgs import access
from jianfu.orgs.models import Level, Region, subtree_q
from jianfu.orgs.roles import Capability

from .. import periods, selectors, services
from ..models import TownshipSchedule
from ..webforms import DueDayForm, TownshipScheduleForm
from .forms import _year


@login_required
def schedule(request):
    access.require(request.user, Capability.FORMS_VIEW)
    year = _year(request)
    context = {
        "year": year,
        "rows": selectors.schedule_rows(request.user, year),
        "can_open": request.user.has_capability(Capability.FORMS_MANAGE),
        "rule": services.LIST_RULE,
    }
    return render(request, "forms/schedule.html", context)


@login_required
@require_POST
def schedule_open(request):
    result = services.periods_open(actor=request.user)
    messages.success(request, f"已开放 {result['periods']} 期，新建填报任务 {result['tasks']} 个。")
    return redirect("forms:schedule")


def _townships(user, form):
    """Townships of the form's scope this user may adjust (their own, or all of the county office's)."""
    prefixes = access.region_prefixes(user, Capability.FORMS_REVIEW)
    if not prefixes:
        return Region.objects.none()
    return Region.objects.filter(
        subtree_q([form.region.prefix]), subtree_q(prefixes), level=Level.TOWNSHIP, is_active=True
    ).order_by("code")


@login_required
def schedule_form(request, pk):
    form = selectors.form_get(request.user, pk)
    townships = list(_townships(request.user, form))
    adjust = TownshipScheduleForm(
        request.POST or None,
        townships=townships,
        frequencies=periods.township_choices(form.frequency),
        initial={"frequency": form.frequency, "due_day": form.due_day},
    )
    if request.method == "POST":
        access.require(request.user, Capability.FORMS_REVIEW)
        if adjust.is_valid():
            data = adjust.cleaned_data
            township = next(t for t in townships if t.code == data["township"])
            try:
                services.township_schedule_set(
                    actor=request.user,
                    form=form,
                    township=township,
                    frequency=data["frequency"],
                    due_day=data["due_day"],
                    note=data["note"],
                    expected_version=data["version"],
                )
                messages.success(request, f"已调整{township.name}的填报安排，下一期起按新安排开放。")
                return redirect("forms:schedule_form", pk=form.pk)
            except ValidationError as exc:
                add_service_errors(adjust, exc)
    context = {
        "form": form,
        "adjust": adjust,
        "can_adjust": bool(townships),
        "own": TownshipSchedule.objects.visible_to(request.user)
        .filter(form=form)
        .select_related("township", "changed_by"),
        "due_form": DueDayForm(initial={"due_day": form.due_day, "version": form.version}),
        "can_set_due": request.user.can(Capability.FORMS_MANAGE, form.region),
        "issues": form.issues.order_by("period"),
        "rule": services.LIST_RULE,
    }
    return render(request, "forms/schedule_form.html", context)


@login_required
@require_POST
def schedule_due_day(request, pk):
    form = selectors.form_get(request.user, pk)
    due = DueDayForm(request.POST)
    try:
        if not due.is_valid():
            raise ValidationError({"due_day": "请填写报送截止日。"})
        services.form_due_day_set(
            actor=request.user,
            form=form,
            due_day=due.cleaned_data["due_day"],
            expected_version=due.cleaned_data["version"],
        )
        messages.success(request, "已保存报送截止日，下一期起生效。")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("forms:schedule_form", pk=form.pk)


# The tasks list's state filter behind each count of the report.
STATES = {"timely": "on_time", "late": "late", "overdue": "overdue", "pending": "pending"}


def _chart(rows: list[dict], link) -> dict:
    """Stacked bars per place: on time, late, overdue, not yet due; each bar segment links to its tasks."""
    series = [
        ("按时报送", "timely"),
        ("逾期报送", "late"),
        ("逾期未报", "overdue"),
        ("未到截止日", "pending"),
    ]
    return {
        "labels": [r["name"] for r in rows],
        "series": [
            {"name": name, "data": [r[key] for r in rows], "links": [link(r, STATES[key]) for r in rows]}
            for name, key in series
        ],
    }


def _township_name(user, code: str) -> str:
    if not code:
        return ""
    prefixes = access.region_prefixes(user, Capability.FORMS_VIEW)
    found = Region.objects.filter(subtree_q(prefixes), code=code).first() if prefixes else None
    return found.name if found else ""


@login_required
def reporting(request):
    access.require(request.user, Capability.FORMS_VIEW)
    year = _year(request)
    form_id = request.GET.get("form", "")
    form_id = int(form_id) if form_id.isdigit() else None
    period = request.GET.get("period", "").strip()[:10]
    township = request.GET.get("township", "").strip()[:12]
    area = request.GET.get("area", "").strip()[:12]
    report = selectors.reporting_rates(
        request.user, year=year, form_id=form_id, period=period, township=township, area=area
    )
    base = {"year": year, "form": form_id or "", "period": period, "township": township, "area": area}

    def tasks_url(**extra) -> str:
        query = urlencode({k: v for k, v in {**base, **extra}.items() if v})
        return f"{reverse('forms:tasks')}?{query}"

    def place(row) -> dict:
        """The filter that opens a row's records: a village, a township, or a prefecture or county (``area``)."""
        if row["level"] == Level.VILLAGE:
            return {"village": row["code"]}
        if row["level"] == Level.TOWNSHIP:
            return {"township": row["code"], "area": ""}
        return {"area": row["code"]}

    def link(row, state):
        return tasks_url(**place(row), state=state)

    for row in report["places"]:
        row["label"] = row["name"]
        row["tasks_url"] = tasks_url(**place(row))
        if row["level"] < Level.VILLAGE:
            drill = {k: v for k, v in {**base, **place(row)}.items() if v}
            row["drill_url"] = f"{reverse('forms:reporting')}?{urlencode(drill)}"
    for row in report["forms"]:
        row["label"], row["tasks_url"] = row["form_name"], tasks_url(form=row["form"])
    for row in report["periods"]:
        row["label"], row["tasks_url"] = row["period"], tasks_url(period=row["period"])
    levels = {r["level"] for r in report["places"]}
    context = {
        **base,
        "report": report,
        "chart": _chart(report["places"], link),
        "forms": selectors.annual_list(request.user, year),
        "township_name": _township_name(request.user, township or area),
        "place_head": Level(min(levels)).label if levels else "乡镇（街道）",
        "query": urlencode({k: v for k, v in base.items() if v}),
    }
    return render(request, "forms/reporting.html", context)
