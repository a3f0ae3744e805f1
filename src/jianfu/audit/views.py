from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jianfu.core.views_util import paginate

from . import selectors
from .exports import audit_workbook_response
from .services import audit_verify


def _require_auditor(user):
    if not user.has_capability("audit.view"):
        raise PermissionDenied("只有纪检监察（审计员）可以查阅审计日志。")


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
    _require_auditor(request.user)
    records = selectors.audit_search(request.user, **_filters(request))
    return render(request, "audit/list.html", {"page": paginate(request, records)})


@login_required
def audit_export(request):
    _require_auditor(request.user)
    records = selectors.audit_search(request.user, **_filters(request))
    return audit_workbook_response(records)


@login_required
@require_POST
def audit_verify_view(request):
    _require_auditor(request.user)
    result = audit_verify()
    if result.ok:
        messages.success(request, f"审计链完整：已核验 {result.checked} 条记录，全部一致。")
    else:
        messages.error(
            request, f"审计链被破坏：第一条异常记录为 #{result.first_broken_seq}，{result.reason}。"
        )
    return redirect("audit:list")
