"""费随事转 pages: the department's ledgers and survey, the township's entries, the village's confirmation (a phone
page), and the county report of items pushed down with no or partial funding."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jianfu.audit.exports import XLSX
from jianfu.core.excel import ImportRefused
from jianfu.core.uploads import download_name
from jianfu.core.views_util import add_service_errors
from jianfu.core.years import year_param
from jianfu.orgs import access
from jianfu.orgs.models import Region
from jianfu.orgs.roles import Capability

from .. import services
from ..funding import excel, selectors
from ..funding.forms import EntryForm, LedgerForm, SheetForm
from ..funding.models import ALLOCATION_FLOW, SURVEY_CLAUSE, SURVEY_FLOW, FundingLedger


def _version(request) -> int | None:
    value = request.POST.get("version", "")
    return int(value) if value.isdigit() else None


def _xlsx(workbook, filename: str) -> HttpResponse:
    response = HttpResponse(content_type=XLSX)
    workbook.save(response)
    return download_name(response, filename)


def _refusal(request, exc) -> None:
    messages.error(request, "；".join(getattr(exc, "errors", None) or exc.messages))


@login_required
def index(request):
    """Each person's part: the department's items and ledgers, the township's ledgers, the village's entries."""
    user = request.user
    selectors.require_view(user)
    year = year_param(request)
    departments = selectors.my_departments(user)
    opened = {b.item_code: b for b in selectors.ledgers(user, year).filter(department__in=departments)}
    context = {
        "year": year,
        "clause": SURVEY_CLAUSE,
        "mine": [(d, _items(d, year, opened)) for d in departments],
        "ledgers": selectors.ledgers(user, year).order_by("department__name", "item_code"),
        "townships": selectors.enter_townships(user),
        "villages": selectors.own_villages(user),
        "reviewer": bool(selectors.report_counties(user)),
    }
    return render(request, "admission/funding/index.html", context)


def _items(department, year, opened) -> list:
    return [(code, title, opened.get(code)) for code, title, _ in services.ledger_items(department, year)]


@login_required
@require_POST
def ledger_open(request):
    departments = selectors.my_departments(request.user)
    if not departments:
        raise PermissionDenied("只有交办部门可以建立本部门事项的经费和人员台账。")
    year = year_param(request)
    try:
        ledger = services.ledger_open(
            actor=request.user, department=departments[0], year=year, item_code=request.POST.get("code", "")
        )
    except ValidationError as exc:
        _refusal(request, exc)
        return redirect(f"{_index()}?year={year}")
    messages.success(request, "台账已建立，请核对承诺下拨的经费和人员。")
    return redirect("admission:funding_ledger", pk=ledger.pk)


def _index() -> str:
    from django.urls import reverse

    return reverse("admission:funding")


@login_required
def ledger(request, pk):
    user = request.user
    book = selectors.ledger(user, pk)
    may_promise = access.acts_for(user, Capability.FUNDING_LEDGER, book.department)
    form = LedgerForm(
        request.POST or None,
        initial={
            "promised_amount": book.promised_amount,
            "promised_people": book.promised_people,
            "funds_source": book.funds_source,
            "people_note": book.people_note,
            "version": book.version,
        },
    )
    if request.method == "POST":
        if not may_promise:
            raise PermissionDenied("只有交办部门可以修改本部门的台账。")
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            try:
                services.ledger_update(actor=user, ledger=book, version=form.cleaned_data["version"], **data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "台账已修改。")
                return redirect("admission:funding_ledger", pk=pk)
    townships = [t for t in selectors.enter_townships(user) if t.is_within([book.county.prefix])]
    context = {
        "ledger": book,
        "rows": selectors.allocations_of(user, book),
        "form": form if may_promise else None,
        "entries": [
            (t, EntryForm(villages=selectors.townships_villages(book, t), prefix=f"t{t.pk}"))
            for t in townships
        ],
        "sheet_form": SheetForm(),
        "total": services.entered_total(book),
    }
    return render(request, "admission/funding/ledger.html", context)


def _township_for(user, book: FundingLedger, code: str) -> Region:
    township = next((t for t in selectors.enter_townships(user) if t.code == code), None)
    if township is None:
        raise PermissionDenied("只有乡镇（街道）可以录入经费和人员到位情况。")
    return township


@login_required
@require_POST
def enter(request, pk):
    book = selectors.ledger(request.user, pk)
    township = _township_for(request.user, book, request.POST.get("township", ""))
    villages = selectors.townships_villages(book, township)
    form = EntryForm(request.POST, villages=villages, prefix=f"t{township.pk}")
    if form.is_valid():
        village = next(v for v in villages if v.code == form.cleaned_data["village"])
        try:
            services.allocation_enter(
                actor=request.user,
                ledger=book,
                village=village,
                amount=form.cleaned_data["amount"],
                people=form.cleaned_data["people"],
                people_names=form.cleaned_data["people_names"],
            )
        except ValidationError as exc:
            _refusal(request, exc)
        else:
            messages.success(request, f"已录入“{village.name}”的到位情况，待村（社区）确认。")
    else:
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    return redirect("admission:funding_ledger", pk=pk)


@login_required
def entry_sheet(request, pk):
    """The township's spreadsheet: its villages the item reaches, with what is entered so far."""
    book = selectors.ledger(request.user, pk)
    township = _township_for(request.user, book, request.GET.get("township", ""))
    entered = {a.village_id: a for a in book.allocations.all()}
    workbook = excel.allocation_workbook(book, selectors.townships_villages(book, township), entered)
    return _xlsx(workbook, f"到位情况-{book.item_code}-{township.name}.xlsx")


@login_required
@require_POST
def entry_import(request, pk):
    book = selectors.ledger(request.user, pk)
    if not selectors.enter_townships(request.user):
        raise PermissionDenied("只有乡镇（街道）可以录入经费和人员到位情况。")
    form = SheetForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return redirect("admission:funding_ledger", pk=pk)
    try:
        rows = excel.read_allocations(form.cleaned_data["file"])
        done = services.allocations_import(actor=request.user, ledger=book, rows=rows)
    except (ImportRefused, ValidationError) as exc:
        _refusal(request, exc)
    else:
        messages.success(request, f"已导入 {done} 个村（社区）的到位情况，待各村（社区）确认。")
    return redirect("admission:funding_ledger", pk=pk)


# The village ------------------------------------------------------------------------------------------------


@login_required
def village(request):
    """The village's phone page: what reached it, to confirm or object to."""
    if not selectors.own_villages(request.user):
        raise PermissionDenied("确认经费和人员到位情况由村（社区）干部办理。")
    rows = list(selectors.village_allocations(request.user))
    context = {
        "rows": [(a, ALLOCATION_FLOW.may(a, "confirm")) for a in rows],
        "waiting": sum(a.state == "entered" for a in rows),
    }
    return render(request, "admission/funding/village.html", context)


@login_required
@require_POST
def answer(request, pk):
    allocation = selectors.allocation(request.user, pk)
    try:
        if request.POST.get("answer") == "confirm":
            services.allocation_confirm(actor=request.user, allocation=allocation, version=_version(request))
            messages.success(request, f"已确认“{allocation.ledger.item_title}”的经费和人员到位。")
        else:
            services.allocation_dispute(
                actor=request.user,
                allocation=allocation,
                note=request.POST.get("note", "")[:300],
                version=_version(request),
            )
            messages.success(request, "异议已提交，乡镇（街道）将核实更正。")
    except ValidationError as exc:
        _refusal(request, exc)
    return redirect("admission:funding_village")


# The county report and the surveys ----------------------------------------------------------------------------


def _report_county(request) -> Region:
    counties = selectors.report_counties(request.user)
    if not counties:
        raise PermissionDenied("您没有查看费随事转报告的权限。")
    code = request.GET.get("county", "")
    return next((c for c in counties if c.code == code), counties[0])


@login_required
def report(request):
    county = _report_county(request)
    year = year_param(request)
    groups = selectors.funding_report(county, year)
    context = {
        "county": county,
        "year": year,
        "groups": groups,
        "show_all": request.GET.get("all") == "1",
        "missing_surveys": selectors.missing_surveys(county, year),
    }
    return render(request, "admission/funding/report.html", context)


@login_required
def report_export(request):
    county = _report_county(request)
    year = year_param(request)
    workbook = excel.report_workbook(county, year, selectors.funding_report(county, year))
    return _xlsx(workbook, f"费随事转-{county.name}-{year}.xlsx")


@login_required
def surveys(request):
    user = request.user
    year = year_param(request)
    context = {
        "year": year,
        "clause": SURVEY_CLAUSE,
        "rows": selectors.surveys(user, year).order_by("department__name"),
        "departments": selectors.my_departments(user),
    }
    return render(request, "admission/funding/surveys.html", context)


@login_required
@require_POST
def survey_open(request):
    departments = selectors.my_departments(request.user)
    if not departments:
        raise PermissionDenied("只有本部门可以填报本部门的梳理表。")
    survey = services.survey_open(actor=request.user, department=departments[0], year=year_param(request))
    return redirect("admission:funding_survey", pk=survey.pk)


@login_required
def survey(request, pk):
    user = request.user
    record = selectors.survey(user, pk)
    writer = access.acts_for(user, Capability.FUNDING_LEDGER, record.department)
    reviewer = access.may(user, Capability.FUNDING_REVIEW, record.department.region)
    context = {
        "survey": record,
        "clause": SURVEY_CLAUSE,
        "rows": record.rows.all(),
        "sheet_form": SheetForm(),
        "may_fill": writer and SURVEY_FLOW.may(record, "fill"),
        "may_submit": writer and SURVEY_FLOW.may(record, "submit"),
        "may_decide": reviewer
        and SURVEY_FLOW.may(record, "accept")
        and not access.works_in(user, record.department),
    }
    return render(request, "admission/funding/survey.html", context)


@login_required
def survey_sheet(request, pk):
    record = selectors.survey(request.user, pk)
    books = FundingLedger.objects.filter(department=record.department, year=record.year)
    return _xlsx(excel.survey_workbook(record, books), f"梳理表-{record.department.name}-{record.year}.xlsx")


@login_required
@require_POST
def survey_import(request, pk):
    record = selectors.survey(request.user, pk)
    if not access.acts_for(request.user, Capability.FUNDING_LEDGER, record.department):
        raise PermissionDenied("只有本部门可以填报本部门的梳理表。")
    form = SheetForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return redirect("admission:funding_survey", pk=pk)
    try:
        rows = excel.read_survey(io.BytesIO(form.cleaned_data["file"].read()))
        services.survey_fill(actor=request.user, survey=record, rows=rows, version=_version(request))
    except (ImportRefused, ValidationError) as exc:
        _refusal(request, exc)
    else:
        messages.success(request, f"已导入 {len(rows)} 行。")
    return redirect("admission:funding_survey", pk=pk)


@login_required
@require_POST
def survey_submit(request, pk):
    record = selectors.survey(request.user, pk)
    try:
        services.survey_submit(actor=request.user, survey=record, version=_version(request))
    except ValidationError as exc:
        _refusal(request, exc)
    else:
        messages.success(request, "梳理表已报送县准入审核委员会办公室。")
    return redirect("admission:funding_survey", pk=pk)


@login_required
@require_POST
def survey_decide(request, pk):
    record = selectors.survey(request.user, pk)
    try:
        services.survey_decide(
            actor=request.user,
            survey=record,
            accept=request.POST.get("decision") == "accept",
            note=request.POST.get("note", "")[:300],
            version=_version(request),
        )
    except ValidationError as exc:
        _refusal(request, exc)
    else:
        messages.success(request, "已办理。")
    return redirect("admission:funding_survey", pk=pk)
