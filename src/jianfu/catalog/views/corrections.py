"""Pages for people's judgements of the classifier: the list with the agreement rate by month, one request or
correction, and deciding (confirming or correcting) a verdict."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from jianfu.core.views_util import add_service_errors, paginate
from jianfu.orgs.models import Region

from .. import corrections, selectors
from ..classify import county_of
from ..forms import CorrectionForm
from ..models import CorrectionSource, CorrectionStatus


def _filtered(request):
    rows = selectors.corrections_for(request.user)
    status = request.GET.get("status", "")
    if status in CorrectionStatus.values:
        rows = rows.filter(status=status)
    source = request.GET.get("source", "")
    if source in CorrectionSource.values:
        rows = rows.filter(source=source)
    month = request.GET.get("month", "")
    try:
        start = date.fromisoformat(f"{month}-01") if month else None
    except ValueError:
        start = None
    if start:
        end = date(start.year + start.month // 12, start.month % 12 + 1, 1)
        rows = rows.filter(decided_at__date__gte=start, decided_at__date__lt=end)
    if request.GET.get("changed") == "1":
        rows = [r for r in rows if r.changed]
    return rows, {"status": status, "source": source, "month": month if start else ""}


@login_required
def index(request):
    rows, filters = _filtered(request)
    months = selectors.agreement_by_month(selectors.corrections_for(request.user))
    link = reverse("catalog:corrections")
    chart = {
        "labels": [f"{m['month']:%Y-%m}" for m in months],
        "judged": [m["judged"] for m in months],
        "changed": [m["changed"] for m in months],
        "agreement": [round(m["agreement"] * 100, 1) for m in months],
        "links": [f"{link}?status=decided&month={m['month']:%Y-%m}" for m in months],
    }
    context = {
        "page": paginate(request, rows),
        "filters": filters,
        "months": months,
        "chart": chart,
        "statuses": CorrectionStatus.choices,
        "sources": CorrectionSource.choices,
    }
    return render(request, "catalog/corrections.html", context)


def _form_for(correction, data=None) -> CorrectionForm:
    items = corrections.item_choices(correction.county, correction.mode)
    return CorrectionForm(
        data,
        verdicts=corrections.VERDICTS_FOR_MODE[correction.mode],
        items=items,
        initial={"corrected_verdict": correction.original_verdict},
    )


def _may_decide(user, correction) -> bool:
    return user.can(corrections.DECIDER[correction.source], correction.county)


@login_required
def detail(request, pk):
    correction = get_object_or_404(selectors.corrections_for(request.user), pk=pk)
    may_decide = correction.status == CorrectionStatus.PENDING and _may_decide(request.user, correction)
    form = _form_for(correction, request.POST or None) if may_decide else None
    if request.method == "POST":
        if not may_decide:
            raise PermissionDenied("您不能研判这条请求。")
        if form.is_valid():
            try:
                corrections.verdict_correct(
                    actor=request.user,
                    request=correction,
                    expected_version=int(request.POST.get("version") or 0) or None,
                    **_decision(form),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "研判结论已保存，并已替换原比对结论。")
                return redirect("catalog:correction", pk=pk)
    return render(request, "catalog/correction.html", {"correction": correction, "form": form})


@login_required
def new(request):
    """Correct a verdict directly: of a record (``source`` and ``id``) or of a text on the comparison page."""
    source = request.GET.get("source") or request.POST.get("source") or CorrectionSource.CLASSIFY
    if source not in CorrectionSource.values:
        source = CorrectionSource.CLASSIFY
    if not request.user.has_capability(corrections.DECIDER[source]):
        raise PermissionDenied("比对结论由准入审核委员会办公室（负担事件由纪检监察人员）研判更正。")
    source_id = request.GET.get("id") or request.POST.get("id")
    text = (request.GET.get("text") or request.POST.get("text") or "").strip()
    mode = request.GET.get("mode") or request.POST.get("mode") or "work"
    region = _region(request)
    try:
        draft = corrections.draft(
            source=source,
            source_id=int(source_id) if source_id else None,
            region=region,
            text=text,
            mode=mode if mode in ("work", "certificate") else "work",
        )
    except (ValidationError, ValueError) as exc:
        messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
        return redirect("catalog:corrections")
    if not _may_decide(request.user, draft):
        raise PermissionDenied("比对结论由准入审核委员会办公室（负担事件由纪检监察人员）研判更正。")
    form = _form_for(draft, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            saved = corrections.verdict_correct(
                actor=request.user,
                source=source,
                source_id=draft.source_id,
                region=draft.region,
                text=draft.text,
                mode=draft.mode,
                **_decision(form),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "研判结论已保存，并已替换原比对结论。")
            return redirect("catalog:correction", pk=saved.pk)
    return render(request, "catalog/correction.html", {"correction": draft, "form": form, "new": True})


def _decision(form) -> dict:
    data = form.cleaned_data
    return {"corrected_verdict": data["corrected_verdict"], "item_id": data["item"], "reason": data["reason"]}


def _region(request) -> Region | None:
    code = request.GET.get("region") or request.POST.get("region")
    if code:
        return Region.objects.visible_to(request.user).filter(code=code).first()
    assignment = request.user.primary_assignment
    region = assignment.region if assignment else request.user.home_region
    return region if region is not None and county_of(region) is not None else None
