from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from ninja import Router, Schema
from ninja.pagination import paginate

from jianfu.audit import selectors
from jianfu.audit.services import audit_verify

from .orgs import Page

router = Router(tags=["审计"])


class AuditOut(Schema):
    seq: int
    created_at: datetime
    actor_username: str
    actor_name: str
    actor_role: str
    actor_region_code: str
    action: str
    object_type: str
    object_repr: str
    success: bool
    message: str
    ip: str
    hash: str


class VerifyOut(Schema):
    ok: bool
    checked: int
    first_broken_seq: int | None
    reason: str


def _require_auditor(user):
    if not user.has_capability("audit.view"):
        raise PermissionDenied("只有纪检监察（审计员）可以查阅审计日志。")


@router.get("/records", response=list[AuditOut], summary="审计记录检索")
@paginate(Page)
def records(
    request, q: str = "", action: str = "", date_from: date | None = None, date_to: date | None = None
):
    _require_auditor(request.user)
    return selectors.audit_search(request.user, query=q, action=action, date_from=date_from, date_to=date_to)


@router.post("/verify", response=VerifyOut, summary="核验审计链完整性")
def verify(request):
    _require_auditor(request.user)
    result = audit_verify()
    return {
        "ok": result.ok,
        "checked": result.checked,
        "first_broken_seq": result.first_broken_seq,
        "reason": result.reason,
    }
