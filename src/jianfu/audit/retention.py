"""Detaching the audit table's old months (PostgreSQL, core/partitions.py) without breaking any chain.

A month is detached only when it is wholly older than the retention period (never fewer than 184 days) and a
signed checkpoint exported after it covers every chain's newest record in it, so the archived month can still be
verified against a statement kept outside the system. The detach moves each chain's anchor as ``audit_purge``
does and states it in a keyed ``audit.purge`` record in that chain, so ``audit_verify`` accepts what remains.
"""

import math
from datetime import date, timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone

from .chain import LEGACY_CHAIN
from .models import AuditChainHead, AuditRecord
from .services import MIN_RETENTION_DAYS, audit_record, lock_chain_head


def _days() -> int:
    return max(MIN_RETENTION_DAYS, settings.AUDIT_RETENTION_DAYS)


def retention_months() -> int:
    return math.ceil(_days() / 28)  # generous: the guard checks the exact days


def _newest(table: str) -> dict[str, tuple[int, str, int]]:
    """Each chain's newest record in ``table`` (a month's partition): chain → (seq, hash, records in the month)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT DISTINCT ON (chain) chain, seq, hash, count(*) OVER (PARTITION BY chain) FROM "{table}" '
            "ORDER BY chain, seq DESC"
        )
        return {chain: (seq, hash_, count) for chain, seq, hash_, count in cursor.fetchall()}


def _covered(after, newest: dict[str, tuple[int, str, int]]) -> bool:
    """Whether a checkpoint's record states every chain's head at or beyond its newest record in the month."""
    if not isinstance(after, dict):
        return False
    # a checkpoint exported before there was a chain per county stated the single chain, now the legacy one
    heads = after.get("chains") or {LEGACY_CHAIN: after.get("seq", 0)}
    return all(int(heads.get(chain, -1)) >= seq for chain, (seq, _, _) in newest.items())


def covered_by_checkpoint(partition: str, start: date, end: date) -> str:
    """Why ``partition`` may not be detached yet, or "" when it may."""
    cutoff = timezone.localdate() - timedelta(days=_days())
    if end > cutoff:
        return f"审计记录 {start:%Y-%m} 尚在保存期内"
    newest = _newest(partition)
    if not newest:
        return ""
    top = max(seq for seq, _, _ in newest.values())
    checkpoints = AuditRecord.objects.filter(action="audit.checkpoint", after__seq__gte=top)
    covered = any(_covered(after, newest) for after in checkpoints.values_list("after", flat=True))
    return "" if covered else f"审计记录 {start:%Y-%m} 之后尚未导出签名检查点，暂不分离"


def move_anchor(partition: str, start: date, end: date) -> None:
    """Each chain now starts after its newest record in the detached month: say so in its head and in a keyed
    record in that chain. Chains in code order, so two jobs never lock heads in opposite orders."""
    for chain, (seq, hash_, count) in sorted(_newest(partition).items()):
        head = lock_chain_head(chain)
        if seq <= head.purged_through_seq:
            continue
        AuditChainHead.objects.filter(pk=head.pk).update(purged_through_seq=seq, purged_anchor_hash=hash_)
        audit_record(
            actor=None,
            action="audit.purge",
            username="定时任务",
            message=f"分离 {start:%Y-%m} 的审计记录分区（本链 {count} 条，已有签名检查点）",
            after={"through_seq": seq, "anchor_hash": hash_, "count": count, "chain": chain},
            region_code=chain if chain.isdigit() else "",
            chain=chain,
        )
