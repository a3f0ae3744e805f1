"""Detaching the audit table's old months (PostgreSQL, core/partitions.py) without breaking the chain.

A month is detached only when it is wholly older than the retention period (never fewer than 184 days) and a
signed checkpoint exported after its newest record covers it, so the archived month can still be verified
against a statement kept outside the system. The detach moves the chain's anchor as ``audit_purge`` does and
states it in a keyed ``audit.purge`` record, so ``audit_verify`` accepts the chain that remains.
"""

import math
from datetime import date, timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone

from .models import AuditChainHead, AuditRecord
from .services import MIN_RETENTION_DAYS, audit_record, lock_chain_head


def _days() -> int:
    return max(MIN_RETENTION_DAYS, settings.AUDIT_RETENTION_DAYS)


def retention_months() -> int:
    return math.ceil(_days() / 28)  # generous: the guard checks the exact days


def _newest(table: str) -> tuple[int, str, int] | None:
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT seq, hash, (SELECT count(*) FROM "{table}") FROM "{table}" ORDER BY seq DESC LIMIT 1'
        )
        return cursor.fetchone()


def covered_by_checkpoint(partition: str, start: date, end: date) -> str:
    """Why ``partition`` may not be detached yet, or "" when it may."""
    cutoff = timezone.localdate() - timedelta(days=_days())
    if end > cutoff:
        return f"审计记录 {start:%Y-%m} 尚在保存期内"
    newest = _newest(partition)
    if newest is None:
        return ""
    covered = AuditRecord.objects.filter(action="audit.checkpoint", after__seq__gte=newest[0]).exists()
    return "" if covered else f"审计记录 {start:%Y-%m} 之后尚未导出签名检查点，暂不分离"


def move_anchor(partition: str, start: date, end: date) -> None:
    """The chain now starts after the detached month's newest record: say so in the head and a keyed record."""
    newest = _newest(partition)
    head = lock_chain_head()
    if newest is None or newest[0] <= head.purged_through_seq:
        return
    seq, hash_, count = newest
    AuditChainHead.objects.filter(pk=head.pk).update(purged_through_seq=seq, purged_anchor_hash=hash_)
    audit_record(
        actor=None,
        action="audit.purge",
        username="定时任务",
        message=f"分离 {start:%Y-%m} 的审计记录分区（{count} 条，已有签名检查点）",
        after={"through_seq": seq, "anchor_hash": hash_, "count": count},
    )
