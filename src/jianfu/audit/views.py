import json
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jianfu.core.keyset import keyset_page
from jianfu.orgs import access
from jianfu.orgs.roles import Capability

from . import selectors
from .exports import audit_workbook_response
from .labels import action_choices
from .verify import CheckpointError, checkpoint_export, checkpoint_parse

MAX_CHECKPOINT_BYTES = 1024 * 1024  # a checkpoint states every county's chain head: ~150 bytes a county


def _parse_date(value):
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _filters(request) -> dict:
    return {
        "query": request.GET.get("q", "").strip(),
        "action": request.GET.get("action", "").strip(),
        "success": request.GET.get("success", ""),
        "date_from": _parse_date(request.GET.get("from")),
        "date_to": _parse_date(request.GET.get("to")),
    }


@login_required
def audit_list(request):
    access.require(request.user, Capability.AUDIT_VIEW)
    # Seek paging in sequence order (the primary key; on PostgreSQL each month's partition has it first in its
    # key): a late page costs what the first does, where COUNT + OFFSET read every record before it.
    records, window = selectors.audit_search_and_window(request.user, **_filters(request))
    page = keyset_page(request, records, date_field=None)
    context = {
        "page": page,
        "regions": selectors.region_names(page),
        "actions": action_choices(),
        "searched_window": window,
    }
    return render(request, "audit/list.html", context)


@login_required
def audit_detail(request, seq):
    access.require(request.user, Capability.AUDIT_VIEW)
    record = selectors.audit_get(request.user, seq)
    pretty = {
        name: json.dumps(getattr(record, name), ensure_ascii=False, indent=2, default=str)
        for name in ("before", "after")
        if getattr(record, name) is not None
    }
    context = {
        "record": record,
        "pretty": pretty,
        "region": selectors.region_names([record]).get(record.region_code),
    }
    return render(request, "audit/detail.html", context)


@login_required
def audit_export(request):
    access.require(request.user, Capability.AUDIT_VIEW)
    records = selectors.audit_search(request.user, **_filters(request))
    return audit_workbook_response(records)


def _uploaded_checkpoints(request) -> list[dict]:
    checkpoints = []
    for upload in request.FILES.getlist("checkpoints"):
        if upload.size > MAX_CHECKPOINT_BYTES:
            raise CheckpointError(f"{upload.name} 过大，不是检查点文件。")
        checkpoints.append(checkpoint_parse(upload.read(), upload.name))
    return checkpoints


@login_required
@require_POST
def audit_verify_view(request):
    access.require(request.user, Capability.AUDIT_VIEW)
    try:
        checkpoints = _uploaded_checkpoints(request)
    except CheckpointError as exc:
        messages.error(request, str(exc))
        return redirect("audit:list")
    result = selectors.verify_for(request.user, checkpoints)
    names = selectors.chain_names([c.chain for c in result.chains])
    if result.ok:
        against = f"，并与 {result.checkpoints} 个检查点相符" if result.checkpoints else ""
        summary = f"审计链完整：{len(result.chains)} 条链共核验 {result.checked} 条记录，全部一致{against}。"
    else:
        summary = (
            "；".join(
                f"{names[c.chain]}的审计链被破坏：第一条异常记录为 #{c.first_broken_seq}，{c.reason}"
                for c in result.broken
            )
            or f"审计链被破坏：{result.reason}"
        )
        summary += "。"
    # Broken chains first, then by code (a province's counties in order).
    rows = [(names[c.chain], c) for c in sorted(result.chains, key=lambda c: (c.ok, c.chain))]
    return render(request, "audit/verify.html", {"result": result, "summary": summary, "rows": rows})


@login_required
@require_POST
def audit_checkpoint(request):
    """Download a signed checkpoint of the chain's head, to keep outside the system."""
    access.require(request.user, Capability.AUDIT_VIEW)
    body = checkpoint_export(actor=request.user)
    response = HttpResponse(json.dumps(body, ensure_ascii=False, indent=2), content_type="application/json")
    filename = f"audit-checkpoint-{body['seq']}-{timezone.localdate():%Y%m%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
