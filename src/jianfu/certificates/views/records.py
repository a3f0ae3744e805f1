"""What was issued, refused and committed: ledgers, one record, its print view and DOCX, the whole ID number
(issuing village and inspector only, audited), revoking, and the statistics with their Excel export."""

from datetime import date
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from jianfu.audit.exports import XLSX
from jianfu.core.filters import describe_filters, region_name
from jianfu.core.uploads import download_name
from jianfu.core.views_util import paginate
from jianfu.orgs import access
from jianfu.orgs.models import Level, Region, subtree_q
from jianfu.orgs.roles import Capability

from .. import selectors, services
from ..documents import qr_svg, sheet_for, stamp_revoked
from ..excel import export_ledger, export_stats
from ..forms import RevokeForm, StatsForm
from ..idnumbers import mask_ids_in_text
from ..models import CertificateType, DocumentStatus, InstitutionKind, RefusalReason
from ..numbering import display_code
from ..stats import DIMENSIONS, KINDS, certificate_stats, totals
from .desk import base_url, issuing_villages

KIND_TITLES = {"issuance": "出具记录", "refusal": "不予出具记录", "commitment": "告知承诺记录"}
CARRIED = (
    "region",
    "type",
    "institution_kind",
    "institution",
    "reason",
    "month",
)  # kept when the search box is used
DETAIL_ROUTES = {kind: f"certificates:{kind}_detail" for kind in KIND_TITLES}


def _kind(request) -> str:
    kind = request.GET.get("kind", "issuance")
    return kind if kind in KIND_TITLES else "issuance"


@login_required
def records(request):
    access.require(request.user, Capability.CERTIFICATES_VIEW)
    kind = _kind(request)
    filters = selectors.parse_filters(request.GET)
    page = paginate(request, selectors.record_list(request.user, kind, filters))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "certificates/records.html",
        {
            "kind": kind,
            "titles": KIND_TITLES,
            "page": page,
            "filters": filters,
            "query": query,
            "export_query": query.urlencode(),
            "carried": [(k, query[k]) for k in CARRIED if query.get(k)],
            "chips": _chips(query),
        },
    )


def _chips(query) -> list[str]:
    return describe_filters(
        query,
        {
            "region": ("区划", region_name),
            "type": ("证明", lambda code: "未列明的证明" if code == "-" else _type_name(code)),
            "institution_kind": ("要求单位类型", dict(InstitutionKind.choices)),
            "institution": ("要求单位", None),
            "reason": ("不予出具原因", dict(RefusalReason.choices)),
            "date_from": ("起始日期", None),
            "date_to": ("截止日期", None),
            "month": ("月份", None),
            "q": ("检索", None),
        },
    )


def _type_name(code: str) -> str | None:
    return CertificateType.objects.filter(code=code).values_list("name", flat=True).first() or code


@login_required
def records_export(request):
    access.require(request.user, Capability.CERTIFICATES_VIEW)
    kind = _kind(request)
    records = selectors.record_list(request.user, kind, selectors.parse_filters(request.GET))
    response = HttpResponse(content_type=XLSX)
    download_name(response, f"证明{KIND_TITLES[kind]}-{timezone.localdate():%Y%m%d}.xlsx")
    export_ledger(kind, records).save(response)
    return response


def _document_context(request, kind: str, record, *, full_id: str = "") -> dict:
    user = request.user
    return {
        "kind": kind,
        "record": record,
        "full_id": full_id,
        "code": display_code(record.verification_code),
        "body": record.body_text if full_id else mask_ids_in_text(record.body_text),
        "may_see_full": selectors.may_see_full_id(user, record.village),
        "may_revoke": record.status == DocumentStatus.ISSUED and record.village in issuing_villages(user),
        "revoke_form": RevokeForm(),
        "title": KIND_TITLES[kind],
    }


def _detail(request, kind: str, pk: int):
    record = selectors.record_get(request.user, kind, pk)
    return render(request, "certificates/document_detail.html", _document_context(request, kind, record))


def _full_id(request, kind: str, pk: int):
    """The record page with the whole ID number: allowed to few, and every view is written to the audit log."""
    record = selectors.record_get(request.user, kind, pk)
    full = services.full_id_view(actor=request.user, document=record, how="查看记录页面")
    return render(
        request, "certificates/document_detail.html", _document_context(request, kind, record, full_id=full)
    )


def _print(request, kind: str, pk: int):
    record = selectors.record_get(request.user, kind, pk)
    services.full_id_view(actor=request.user, document=record, how="打印")
    url = services.verify_url(base_url(request), record.verification_code)
    sheet = sheet_for(record, url, commitment=kind == "commitment")
    return render(
        request,
        "certificates/document_print.html",
        {
            "sheet": sheet,
            "record": record,
            "qr": qr_svg(url),
            "code": display_code(record.verification_code),
            "kind": kind,
        },
    )


def _docx(request, kind: str, pk: int):
    """The DOCX as issued; a revoked one is stamped 已作废 with the date and reason, and named so."""
    record = selectors.record_get(request.user, kind, pk, with_document=True)
    services.full_id_view(actor=request.user, document=record, how="下载 DOCX 文书")
    content, filename = bytes(record.document), record.number
    if record.status == DocumentStatus.REVOKED:
        revoked_on = timezone.localdate(record.revoked_at) if record.revoked_at else timezone.localdate()
        content = stamp_revoked(content, on=revoked_on, reason=record.revoke_reason)
        filename += "（已作废）"
    response = HttpResponse(
        content, content_type=("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    )
    return download_name(response, f"{record.type_name}-{filename}.docx")


def _revoke(request, kind: str, pk: int):
    record = selectors.record_get(request.user, kind, pk)
    form = RevokeForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors["reason"])
        services.document_revoke(actor=request.user, document=record, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"{record.number} 已作废；公开核验将显示“已作废”。")
    return redirect(DETAIL_ROUTES[kind], pk=pk)


def _bind(view, kind: str, *decorators):
    def bound(request, pk):
        return view(request, kind, pk)

    bound.__name__ = f"{kind}_{view.__name__.strip('_')}"
    for decorator in (*decorators, login_required):
        bound = decorator(bound)
    return bound


issuance_detail = _bind(_detail, "issuance")
issuance_id = _bind(_full_id, "issuance")
issuance_print = _bind(_print, "issuance")
issuance_docx = _bind(_docx, "issuance")
issuance_revoke = _bind(_revoke, "issuance", require_POST)
commitment_detail = _bind(_detail, "commitment")
commitment_id = _bind(_full_id, "commitment")
commitment_print = _bind(_print, "commitment")
commitment_docx = _bind(_docx, "commitment")
commitment_revoke = _bind(_revoke, "commitment", require_POST)


@login_required
def refusal_detail(request, pk):
    refusal = selectors.record_get(request.user, "refusal", pk)
    return render(request, "certificates/refusal_detail.html", {"record": refusal})


@login_required
def refusal_print(request, pk):
    refusal = selectors.record_get(request.user, "refusal", pk)
    return render(request, "certificates/refusal_print.html", {"record": refusal})


# Statistics ------------------------------------------------------------------------------------------------


def _stats_regions(user):
    prefixes = access.region_prefixes(user, Capability.CERTIFICATES_VIEW)
    return Region.objects.filter(
        subtree_q(prefixes), level__in=(Level.TOWNSHIP, Level.VILLAGE), is_active=True
    )


def _stats_form(request):
    today = timezone.localdate()
    regions = _stats_regions(request.user).select_related("parent").order_by("code")
    initial = {"date_from": date(today.year, 1, 1), "date_to": today, "region": ""}
    form = StatsForm(request.GET or None, regions=regions, initial=initial)
    params = form.cleaned_data if form.is_valid() else initial
    return form, params


def _chart(rows, dimension: str) -> dict:
    """ECharts data: labels, one series per kind and, for each bar, the records page it stands for."""
    records = reverse("certificates:records")
    series = [
        {
            "name": label,
            "kind": kind,
            "data": [r.count(kind) for r in rows],
            "links": [f"{records}?{urlencode({'kind': kind, **r.filters})}" for r in rows],
        }
        for kind, label, _ in KINDS
    ]
    return {"dimension": dimension, "labels": [r.label for r in rows], "series": series}


@login_required
def stats(request):
    access.require(request.user, Capability.CERTIFICATES_VIEW)
    form, params = _stats_form(request)
    result = certificate_stats(
        request.user,
        date_from=params["date_from"],
        date_to=params["date_to"],
        region_code=params.get("region") or "",
    )
    tables = [(dim, title, result[dim], totals(result[dim])) for dim, title in DIMENSIONS.items()]
    return render(
        request,
        "certificates/stats.html",
        {
            "form": form,
            "tables": tables,
            "kinds": KINDS,
            "month_chart": _chart(result["month"], "month"),
            "type_chart": _chart(result["type"][:15], "type"),
            "query": request.GET.urlencode(),
        },
    )


@login_required
def stats_export(request):
    access.require(request.user, Capability.CERTIFICATES_VIEW)
    _, params = _stats_form(request)
    result = certificate_stats(
        request.user,
        date_from=params["date_from"],
        date_to=params["date_to"],
        region_code=params.get("region") or "",
    )
    heading = f"证明事项统计（{params['date_from']:%Y-%m-%d} 至 {params['date_to']:%Y-%m-%d}）"
    response = HttpResponse(content_type=XLSX)
    download_name(response, f"{heading}.xlsx")
    export_stats(result, heading=heading).save(response)
    return response
