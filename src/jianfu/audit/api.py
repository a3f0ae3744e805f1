from datetime import date, datetime

from django.core.exceptions import ValidationError
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from jianfu.audit import selectors
from jianfu.audit.verify import CheckpointError, checkpoint_export, checkpoint_shape
from jianfu.core.api_types import Page
from jianfu.orgs import access
from jianfu.orgs.roles import Capability

router = Router(tags=["审计"])


class AuditOut(Schema):
    seq: int
    created_at: datetime
    actor_username: str
    actor_name: str
    actor_role: str
    actor_region_code: str
    region_code: str
    action: str
    object_type: str
    object_repr: str
    success: bool
    message: str
    ip: str
    hash: str


class AuditDetailOut(AuditOut):
    object_id: str
    before: dict | list | None
    after: dict | list | None
    request_id: str
    channel: str
    prev_hash: str


class VerifyIn(Schema):
    checkpoints: list[dict] = Field(default_factory=list, description="以前导出的检查点（原样提交）")


class ChainOut(Schema):
    chain: str = Field(
        description="审计链：县级区划代码（地市、全省的记录为其代码；legacy 为分县成链之前的记录）"
    )
    name: str = Field(description="审计链所属地区的名称")
    ok: bool
    checked: int
    first_broken_seq: int | None
    reason: str


class VerifyOut(Schema):
    ok: bool
    checked: int
    first_broken_seq: int | None
    reason: str
    checkpoints: int
    chains: list[ChainOut]


class ChainHeadOut(Schema):
    seq: int
    hash: str
    record_time: str | None
    purged_through_seq: int


class CheckpointOut(Schema):
    format: str
    seq: int
    chains: dict[str, ChainHeadOut]
    exported_at: str
    exported_by: str
    signature: str


@router.get("/records", response=list[AuditOut], summary="审计记录检索")
@paginate(Page)
def records(
    request, q: str = "", action: str = "", date_from: date | None = None, date_to: date | None = None
):
    access.require(request.user, Capability.AUDIT_VIEW)
    return selectors.audit_search(request.user, query=q, action=action, date_from=date_from, date_to=date_to)


@router.get("/records/{int:seq}", response=AuditDetailOut, url_name="audit_record", summary="一条审计记录")
def record(request, seq: int):
    access.require(request.user, Capability.AUDIT_VIEW)
    return selectors.audit_get(request.user, seq)


@router.post("/verify", response=VerifyOut, summary="核验审计链完整性（可附以前导出的检查点）")
def verify(request, payload: VerifyIn | None = None):
    access.require(request.user, Capability.AUDIT_VIEW)
    given = payload.checkpoints if payload else []
    try:
        checkpoints = [checkpoint_shape(c, f"第 {n} 个检查点") for n, c in enumerate(given, 1)]
    except CheckpointError as exc:
        raise ValidationError({"checkpoints": [str(exc)]}) from None
    result = selectors.verify_for(request.user, checkpoints)
    names = selectors.chain_names([c.chain for c in result.chains])
    return {
        "ok": result.ok,
        "checked": result.checked,
        "first_broken_seq": result.first_broken_seq,
        "reason": result.reason,
        "checkpoints": result.checkpoints,
        "chains": [
            {
                "chain": c.chain,
                "name": names[c.chain],
                "ok": c.ok,
                "checked": c.checked,
                "first_broken_seq": c.first_broken_seq,
                "reason": c.reason,
            }
            for c in result.chains
        ],
    }


@router.post(
    "/checkpoint",
    response=CheckpointOut,
    url_name="audit_checkpoint",
    summary="导出审计链检查点（签名的各链链头，请保存在系统之外）",
)
def checkpoint(request):
    access.require(request.user, Capability.AUDIT_VIEW)
    return checkpoint_export(actor=request.user)
