"""Pages: the inspector's queue of findings (filters, bulk decisions with a reason), a finding's page (its source
record, the department to confirm, its steps), and the village monitor's confirmation of its rectification."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jianfu.core import keyset
from jianfu.core.keyset import keyset_page
from jianfu.core.years import year_param
from jianfu.orgs.models import Department

from .. import figures, selectors, services
from ..models import FindingSource, FindingState


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


@login_required
def findings(request):
    _require(selectors.may_view(request.user), "您没有查看问题的权限。")
    filters = selectors.parse_finding_filters(request.GET)
    if not request.GET and selectors.may_publish(request.user):
        filters["state"] = FindingState.PENDING  # the inspector's queue opens on what waits for them
    found, window = selectors.findings_and_window(request.user, filters, newest_first=True)
    page = keyset_page(
        request,
        found,
        date_field="occurred_on",
        count_limit=keyset.SEARCH_COUNT_LIMIT if filters.get("q") else None,
    )
    context = {
        "page": page,
        "searched_window": f"{window:,}" if window else "",
        "filters": filters,
        "states": [("violations", "违规（已认定）"), *FindingState.choices],
        "sources": FindingSource.choices,
        "departments": selectors.finding_departments(request.user),
        "rules": selectors.finding_rules(request.user),
        "can_decide": selectors.may_publish(request.user),
        "query": "&".join(f"{k}={v}" for k, v in filters.items() if v),
    }
    return render(request, "monitoring/findings.html", context)


@login_required
def finding_detail(request, pk):
    finding = selectors.finding(request.user, pk)
    can_decide = request.user.can("monitoring.publish", finding.village)
    context = {
        "finding": finding,
        "steps": finding.steps.select_related("actor"),
        "can_decide": can_decide,
        "can_confirm": finding.state == FindingState.RECTIFYING
        and services.may_confirm_rectification(request.user, finding),
        "can_return": finding.state in (FindingState.RECTIFYING, FindingState.RECTIFIED)
        and services.may_confirm_rectification(request.user, finding),
        "departments": selectors.department_choices(finding) if can_decide else [],
        "listed_items": selectors.listed_items(finding) if can_decide else [],
        "entries": finding.entries.select_related("bulletin"),
    }
    return render(request, "monitoring/finding_detail.html", context)


def _items(request) -> list[tuple[int, int | None]]:
    """ "<pk>:<version>" values of the ticked findings (the version the page was showing)."""
    items = []
    for value in request.POST.getlist("finding"):
        pk, _, version = value.partition(":")
        if pk.isdigit():
            items.append((int(pk), int(version) if version.isdigit() else None))
    return items


@login_required
@require_POST
def findings_decide(request):
    _require(selectors.may_publish(request.user), "只有纪检监察人员可以研判问题。")
    items = _items(request)
    visible = set(
        selectors.findings(request.user).filter(pk__in=[pk for pk, _ in items]).values_list("pk", flat=True)
    )
    items = [(pk, version) for pk, version in items if pk in visible]
    item = request.POST.get("item", "")
    try:
        decided = services.findings_decide(
            actor=request.user,
            items=items,
            decision=request.POST.get("decision", ""),
            reason=request.POST.get("reason", ""),
            item_id=int(item) if item.isdigit() else None,
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages) + "（未作任何更改）")
    else:
        label = services.DECISIONS[request.POST["decision"]]
        messages.success(request, f"已将 {len(decided)} 个问题研判为“{label}”。")
    back = request.POST.get("next", "")
    return redirect(back if back.startswith("/monitoring/") else "monitoring:findings")


@login_required
@require_POST
def finding_department(request, pk):
    finding = selectors.finding(request.user, pk)
    department = Department.objects.filter(pk=request.POST.get("department") or 0).first()
    version = request.POST.get("version", "")
    try:
        services.finding_department_set(
            actor=request.user,
            finding=finding,
            department=department,
            version=int(version) if version.isdigit() else None,
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已确认责任部门：{department.name if department else ''}。")
    return redirect("monitoring:finding_detail", pk=pk)


@login_required
@require_POST
def finding_rectification(request, pk):
    """The village's monitor (or the inspector) confirms the rectification on the ground, or returns it."""
    finding = selectors.finding(request.user, pk)
    version = request.POST.get("version", "")
    action = services.finding_accept if request.POST.get("decision") == "accept" else services.finding_return
    try:
        action(
            actor=request.user,
            finding=finding,
            note=request.POST.get("note", ""),
            version=int(version) if version.isdigit() else None,
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "已记录整改核实结果。")
    return redirect("monitoring:finding_detail", pk=pk)


@login_required
def findings_figures(request):
    _require(selectors.may_view(request.user), "您没有查看问题的权限。")
    year = year_param(request)
    region = request.GET.get("region", "").strip()
    visible = selectors.findings(request.user, {"region": region} if region else None)
    context = {"figures": figures.finding_figures(visible, year=year, region_code=region), "year": year}
    return render(request, "monitoring/findings_figures.html", context)
