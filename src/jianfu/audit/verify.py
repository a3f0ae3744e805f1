"""Verifying the audit chain, and the signed checkpoints an inspector keeps outside the system.

Inside the database the keyed chain shows an edited, inserted or removed record, and an anchor (where the chain
starts after a purge) that no keyed purge record states. What the database alone cannot show is a chain cut
short at its newest end with the head rewound, or a chain rewritten by someone holding the key: a checkpoint
(the head's sequence number and hash, signed, exported and kept elsewhere) shows both.
"""

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .chain import GENESIS_HASH, canonical_json, chain_key, hmac_sm3_hex, record_hash, same_digest
from .models import AuditChainHead, AuditRecord
from .services import MIN_RETENTION_DAYS, audit_record, lock_chain_head

CHECKPOINT_FORMAT = "jianfu-audit-checkpoint/1"
CHECKPOINT_FIELDS = (
    "format",
    "seq",
    "hash",
    "record_time",
    "purged_through_seq",
    "exported_at",
    "exported_by",
)
ANCHOR_ACTIONS = ("audit.purge", "audit.rekey")  # the records that may say where the chain starts


@dataclass
class VerifyResult:
    checked: int
    first_broken_seq: int | None = None
    reason: str = ""
    checkpoints: int = 0

    @property
    def ok(self) -> bool:
        return self.first_broken_seq is None


class CheckpointError(ValueError):
    """A checkpoint file that is not one, in Chinese."""


def _anchor_of(record) -> tuple[int, str] | None:
    after = record.after if isinstance(record.after, dict) else {}
    if record.action in ANCHOR_ACTIONS and "through_seq" in after:
        return int(after["through_seq"]), str(after.get("anchor_hash", ""))
    return None


def _walk(head) -> VerifyResult:
    """Recompute every keyed hash in order; name the first record whose content or link does not match."""
    expected_prev = head.purged_anchor_hash if head and head.purged_through_seq else GENESIS_HASH
    checked, stated_anchor = 0, (0, "")
    for record in AuditRecord.objects.order_by("seq").iterator(chunk_size=2000):
        if record.prev_hash != expected_prev:
            return VerifyResult(checked, record.seq, "与前一条记录的哈希链接不一致（前一条记录被删除或修改）")
        if not same_digest(record_hash(record, record.prev_hash), record.hash):
            return VerifyResult(
                checked, record.seq, "记录内容与其哈希不符（记录被修改，或哈希不是用本系统密钥计算的）"
            )
        stated_anchor = _anchor_of(record) or stated_anchor
        expected_prev = record.hash
        checked += 1
    if head and head.last_seq and head.last_hash != expected_prev:  # also when every row was removed
        return VerifyResult(checked, head.last_seq, "链尾记录缺失（最新的记录被删除）")
    anchor = (
        (head.purged_through_seq, head.purged_anchor_hash) if head and head.purged_through_seq else (0, "")
    )
    if anchor != stated_anchor:
        return VerifyResult(
            checked,
            anchor[0] or stated_anchor[0],
            "审计链的起点与清理记录不符（最早的记录被删除，清理锚点被移动）",
        )
    return VerifyResult(checked)


def audit_verify(checkpoints=()) -> VerifyResult:
    """The whole chain, then each given checkpoint against it."""
    head = AuditChainHead.objects.filter(pk=1).first()
    result = _walk(head)
    if not result.ok:
        return result
    for checkpoint in checkpoints:
        problem = _checkpoint_problem(checkpoint, head)
        if problem:
            return VerifyResult(result.checked, checkpoint["seq"], problem, len(checkpoints))
    result.checkpoints = len(checkpoints)
    return result


# Checkpoints -------------------------------------------------------------------------------------------


def _signature(body: dict) -> str:
    return hmac_sm3_hex(chain_key(), b"checkpoint:" + canonical_json({k: body[k] for k in CHECKPOINT_FIELDS}))


def checkpoint_export(*, actor) -> dict:
    """A signed statement of the chain's head, for the inspector to keep outside the system (audited)."""
    with transaction.atomic():
        head = lock_chain_head()
        newest = AuditRecord.objects.filter(seq=head.last_seq).values_list("created_at", flat=True).first()
        body = {
            "format": CHECKPOINT_FORMAT,
            "seq": head.last_seq,
            "hash": head.last_hash,
            "record_time": newest.isoformat() if newest else None,
            "purged_through_seq": head.purged_through_seq,
            "exported_at": timezone.now().isoformat(),
            "exported_by": actor.username if actor else "命令行",
        }
        body["signature"] = _signature(body)
        audit_record(
            actor=actor,
            action="audit.checkpoint",
            message=f"导出审计链检查点（第 {head.last_seq} 条）",
            after={"seq": head.last_seq, "hash": head.last_hash},
        )
    return body


def checkpoint_parse(text: str | bytes, name: str = "检查点") -> dict:
    """A checkpoint read back from its file, with a Chinese message naming the file when it is not one."""
    try:
        body = json.loads(text)
    except (ValueError, UnicodeDecodeError):
        raise CheckpointError(f"{name} 不是检查点文件（无法按 JSON 读取）。") from None
    return checkpoint_shape(body, name)


def checkpoint_shape(body, name: str = "检查点") -> dict:
    """The checkpoint if it has every field a checkpoint has; its signature is checked by ``audit_verify``."""
    if not isinstance(body, dict) or body.get("format") != CHECKPOINT_FORMAT:
        raise CheckpointError(f"{name} 不是本系统导出的审计链检查点。")
    missing = [k for k in (*CHECKPOINT_FIELDS, "signature") if k not in body]
    if missing or not isinstance(body["seq"], int) or not isinstance(body["signature"], str):
        raise CheckpointError(f"{name} 缺少内容或格式不对（{'、'.join(missing) or 'seq/signature'}）。")
    return body


def _purged_legitimately(checkpoint: dict) -> bool:
    """A record may be gone only once it is older than the retention period (never fewer than 184 days)."""
    if not checkpoint["record_time"]:
        return True
    days = max(MIN_RETENTION_DAYS, settings.AUDIT_RETENTION_DAYS)
    return datetime.fromisoformat(checkpoint["record_time"]) < timezone.now() - timedelta(days=days)


def _checkpoint_problem(checkpoint: dict, head) -> str:
    seq, label = checkpoint["seq"], f"检查点（第 {checkpoint['seq']} 条）"
    if not same_digest(_signature(checkpoint), checkpoint["signature"]):
        return f"{label}签名不符：检查点被改动，或不是用本系统密钥签发的"
    last_seq = head.last_seq if head else 0
    purged_through = head.purged_through_seq if head else 0
    if seq > last_seq:
        return f"{label}之后的记录不见了：链尾被截短（最新的记录被删除）"
    if seq == 0:
        return ""
    if seq > purged_through:
        stored = AuditRecord.objects.filter(seq=seq).values_list("hash", flat=True).first()
        if stored is None or not same_digest(stored, checkpoint["hash"]):
            return f"{label}处的记录与检查点不符：该记录或它之前的记录被删除或改写"
        return ""
    if seq == purged_through and not same_digest(head.purged_anchor_hash, checkpoint["hash"]):
        return f"{label}与清理锚点不符：审计链的起点被改写"
    if not _purged_legitimately(checkpoint):
        return f"{label}的记录尚在保存期内却已不在库中：最早的记录被删除，清理锚点被移动"
    return ""
