"""Pages after the decision: admitted items and their archive, notices and acknowledgements, the village's
one-step check and decline, step limits and reminders, and the documents (DOCX, print, Excel)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from jianfu.audit.exports import XLSX
from jianfu.catalog.corrections import review_request
from jianfu.catalog.forms import ReviewAskForm
from jianfu.catalog.models import CorrectionSource
from jianfu.core.uploads import download_name
from jianfu.core.views_util import add_service_errors, paginate
from jianfu.orgs import access
from jianfu.orgs import selectors as orgs_selectors
from jianfu.orgs.models import Department, Level
from jianfu.orgs.roles import Capability

from .. import archive, documents, selectors, services
from ..cards import attach_cards, card_for
from ..forms import CheckForm, EndForm
from ..models import ITEM_FLOW, Application, Kind, Reminder
from ..services import filing

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    return download_name(HttpResponse(content, content_type=content_type), filename)


@login_required
def items(request):
    include_ended = request.GET.get("ended") == "1"
    rows = selectors.items_for(request.user, include_ended=include_ended).prefetch_related("scope_regions")
    return render(
        request, "admission/items.html", {"page": paginate(request, rows), "include_ended": include_ended}
    )


@login_required
def item_detail(request, pk):
    """The item's archive (art. 11): every application in its chain, its notice, acknowledgements, exit."""
    item = selectors.item_detail(request.user, pk)
    receipts = selectors.notice_receipts(request.user, item.notice)
    chain = _chain(item)
    visible = set(
        Application.objects.visible_to(request.user)
        .filter(pk__in=[a.pk for a in chain])
        .values_list("pk", flat=True)
    )
    may_end = ITEM_FLOW.may(item, "end") and access.acts_for(
        request.user, Capability.ADMISSION_APPLY, item.department
    )
    context = {
        "item": item,
        "chain": chain,
        "visible": visible,
        "notice": item.notice,
        "recipients": receipts.select_related("region", "acknowledged_by").order_by("region__code"),
        "entries": archive.archive_entries(item.application, receipts),
        "may_end": may_end,
        "card": card_for(item.county, [item.code]),
        "may_card": access.acts_for(request.user, Capability.CATALOG_CARD, item.department),
        "end_form": EndForm(initial={"version": item.version, "end_on": timezone.localdate()}),
    }
    return render(request, "admission/item_detail.html", context)


def _chain(item) -> list[Application]:
    """The approving application, the changes and exit filed against the item, and what it replaced."""
    chain = [item.application, *item.applications.exclude(pk=item.application_id).order_by("id")]
    if item.application.related_item_id:
        chain.insert(0, item.application.related_item.application)
    return chain


@login_required
@require_POST
def item_end(request, pk):
    item = selectors.item_detail(request.user, pk)
    form = EndForm(request.POST)
    if form.is_valid():
        try:
            filing.item_end(
                actor=request.user,
                item=item,
                end_on=form.cleaned_data["end_on"],
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "完结（退出）已报备，事项将于该日期后退出村（社区）工作清单。")
    else:
        messages.error(request, "请填写完结日期和情况说明。")
    return redirect("admission:item_detail", pk=pk)


@login_required
@require_POST
def item_change(request, pk):
    """Start a change (art. 10): a new application linked to the item, prefilled from the one that admitted it."""
    item = selectors.item_detail(request.user, pk)
    source = item.application
    fields = {name: getattr(source, name) for name in services.EDITABLE_FIELDS}
    fields["title"] = f"{item.title}（变更）"
    try:
        change = services.application_create(
            actor=request.user,
            applicant=item.department,
            kind=Kind.CHANGE,
            related_item=item,
            scope_regions=source.scope_regions.all(),
            **fields,
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("admission:item_detail", pk=pk)
    messages.success(request, "已生成变更申请草稿，请修改变更内容后提交。")
    return redirect("admission:edit", pk=change.pk)


@login_required
def notices(request):
    rows = selectors.notices_for(request.user)
    unsigned = request.GET.get("unsigned") == "1"  # the home page's "待签收" count opens these
    if unsigned:
        rows = selectors.unsigned(rows)
    page = paginate(request, rows)
    attach_cards(page.object_list)
    context = {
        "page": page,
        "unsigned": unsigned,
        "can_check": _own_village(request.user) is not None,
    }
    return render(request, "admission/notices.html", context)


@login_required
@require_POST
def acknowledge(request, pk):
    recipient = selectors.recipient_detail(request.user, pk)
    try:
        filing.notice_acknowledge(actor=request.user, recipient=recipient)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已签收告知单 {recipient.notice.number}。")
    return redirect("admission:notices")


@login_required
def notice_print(request, pk):
    notice = selectors.notice_detail(request.user, pk)
    return render(
        request,
        "admission/notice_print.html",
        {"notice": notice, "item": notice.item, "application": notice.application},
    )


@login_required
def notice_docx(request, pk):
    notice = selectors.notice_detail(request.user, pk)
    return _attachment(documents.notice_docx(notice), DOCX, f"工作告知单-{notice.number}.docx")


@login_required
def archive_export(request, pk):
    application = selectors.application_detail(request.user, pk)
    notice = getattr(application, "notice", None)
    receipts = selectors.notice_receipts(request.user, notice) if notice is not None else None
    workbook = archive.application_archive_workbook(application, receipts)
    response = HttpResponse(content_type=XLSX)
    workbook.save(response)
    return download_name(response, f"准入档案-{application.number or application.title}.xlsx")


def _own_village(user):
    """The village or community the user checks and declines work for, or None."""
    villages = [
        a.region
        for a in access.assignments(user)
        if a.region.level == Level.VILLAGE and user.can(Capability.WORK_DECLINE, a.region)
    ]
    return villages[0] if villages else None


def _village_of(user):
    village = _own_village(user)
    if village is None:
        raise PermissionDenied("一键核验和拒绝执行由村（社区）干部使用。")
    return village


def _county_departments(village):
    """The units that may hand a village work: its county's departments and its own township."""
    codes = [village.code[:6].ljust(12, "0"), village.code[:9].ljust(12, "0")]
    return Department.objects.filter(region__code__in=codes, is_active=True).order_by("region__level", "name")


@login_required
def check(request):
    """The village's one-step check of work it is handed; when owed nothing, it can decline on the spot."""
    village = _village_of(request.user)
    form = CheckForm(request.POST or None, initial={"received_on": timezone.localdate()})
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = filing.check_work(form.cleaned_data["text"], village)
        except ValidationError as exc:
            add_service_errors(form, exc)
    departments = Department.objects.filter(
        region__code=village.code[:6].ljust(12, "0"), is_active=True
    ).order_by("name")
    return render(
        request,
        "admission/check.html",
        {"form": form, "result": result, "village": village, "departments": departments},
    )


@login_required
@require_POST
def check_ask(request):
    """The village asks the review office to judge a check it doubts or the classifier was unsure of."""
    village = _village_of(request.user)
    form = ReviewAskForm(request.POST)
    if form.is_valid():
        try:
            review_request(
                actor=request.user,
                source=CorrectionSource.VILLAGE_CHECK,
                region=village,
                text=form.cleaned_data["text"],
                question=form.cleaned_data["question"],
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "已提请县准入审核委员会办公室研判，研判结果会替换本次核验结论。")
            return redirect("admission:check")
    else:
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    return redirect("admission:check")


@login_required
@require_POST
def decline(request):
    village = _village_of(request.user)
    form = CheckForm(request.POST)
    department_id = request.POST.get("department") or None
    department = _county_departments(village).filter(pk=department_id).first() if department_id else None
    if form.is_valid():
        try:
            record = filing.work_decline(
                actor=request.user,
                region=village,
                text=form.cleaned_data["text"],
                department=department,
                department_name=form.cleaned_data["department_name"],
                received_on=form.cleaned_data["received_on"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已记录拒绝执行，回执编号 {record.number}。请打印回执交交办单位。")
            return redirect("admission:decline_print", pk=record.pk)
    return render(
        request,
        "admission/check.html",
        {"form": form, "result": None, "village": village, "departments": Department.objects.none()},
    )


@login_required
def declines(request):
    rows = selectors.declines_for(request.user)
    unit = request.GET.get("unit", "").strip()
    if unit:
        rows = rows.filter(department_name=unit)
    return render(
        request,
        "admission/declines.html",
        {"page": paginate(request, rows), "unit": unit, "by_unit": selectors.decline_counts(request.user)},
    )


@login_required
def decline_print(request, pk):
    record = get_object_or_404(selectors.declines_for(request.user), pk=pk)
    return render(request, "admission/decline_print.html", {"decline": record})


@login_required
def decline_docx(request, pk):
    record = get_object_or_404(selectors.declines_for(request.user), pk=pk)
    return _attachment(documents.decline_docx(record), DOCX, f"不予承担回执-{record.number}.docx")


@login_required
@require_GET
def limits(request):
    """The step limits in force in the user's county today, and where each comes from (set on the county's
    settings page: 区划设置)."""
    county = next((r for r in orgs_selectors.settings_regions(request.user) if r.level == Level.COUNTY), None)
    context = {
        "county": county,
        "rows": selectors.step_limits(county),
        "can_edit": county is not None and access.may(request.user, Capability.REGION_SETTINGS, county),
    }
    return render(request, "admission/limits.html", context)


@login_required
@require_POST
def reminder_dismiss(request, pk):
    reminder = Reminder.objects.filter(user=request.user, pk=pk).first()
    if reminder is None:
        raise Http404
    filing.reminder_dismiss(actor=request.user, reminder=reminder)
    return redirect("admission:index")
