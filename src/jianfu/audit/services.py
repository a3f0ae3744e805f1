"""Writing and purging the audit chains, one per county (verifying them is ``verify.py``). Every business service
calls ``audit_record``."""

import json
from datetime import timedelta

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from jianfu.core.context import current_meta

from .chain import GENESIS_HASH, chain_of, record_hash
from .models import AuditChainHead, AuditRecord
from .regions import object_region_code, province_code

MIN_RETENTION_DAYS = 184


def snapshot(instance: models.Model, fields=None) -> dict:
    """A JSON-ready copy of a model's concrete fields, for before/after."""
    data = {}
    for field in instance._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        if field.name in {"password"}:
            continue
        data[field.attname] = field.value_from_object(instance)
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def _actor_fields(actor) -> dict:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return {
            "actor": None,
            "actor_username": "",
            "actor_name": "",
            "actor_role": "",
            "actor_region_code": "",
        }
    assignment = actor.primary_assignment
    return {
        "actor": actor,
        "actor_username": actor.username,
        "actor_name": actor.full_name,
        "actor_role": assignment.role if assignment else "",
        "actor_region_code": assignment.region.code if assignment else actor.home_region.code,
    }


def lock_chain_head(chain: str) -> AuditChainHead:
    """Lock one chain's head until the caller's transaction ends: writers to other chains (other counties) go on.

    The head is made on the chain's first record. ``get_or_create`` under the unique ``chain`` key settles two
    first writers racing (the loser's insert waits for the winner's commit, then reads its row), and only then
    is the row locked, so no writer ever locks a row that another is still creating."""
    head = AuditChainHead.objects.select_for_update().filter(chain=chain).first()
    if head is None:
        AuditChainHead.objects.get_or_create(chain=chain, defaults={"last_hash": GENESIS_HASH})
        head = AuditChainHead.objects.select_for_update().get(chain=chain)
    return head


def audit_record(
    *,
    actor,
    action: str,
    obj=None,
    before=None,
    after=None,
    success: bool = True,
    message: str = "",
    username: str = "",
    region_code: str = "",
    chain: str | None = None,
) -> AuditRecord:
    """Append one record to its county's chain, inside the caller's transaction.

    ``region_code`` names the region the record concerns when the object alone does not say it; otherwise the
    object's region, the actor's, or the province (audit/regions.py). Only inspectors above it read the record,
    and its county's chain holds it. ``chain`` is for the audit app's own anchor records (a purge states where
    that chain now starts, in that chain), never for business services.
    """
    meta = current_meta()
    with transaction.atomic():
        record = AuditRecord(
            action=action,
            before=before,
            after=after,
            success=success,
            message=message[:500],
            ip=meta.ip,
            request_id=meta.request_id,
            channel=meta.channel,
            object_type=obj._meta.label if obj is not None else "",
            object_id=str(obj.pk) if obj is not None else "",
            object_repr=str(obj)[:200] if obj is not None else "",
            **_actor_fields(actor),
        )
        if username and not record.actor_username:
            record.actor_username = username
        record.region_code = (
            region_code or object_region_code(obj) or record.actor_region_code or province_code()
        )
        record.chain = chain_of(record.region_code) if chain is None else chain
        # Locked as late as possible: the region lookups above need no lock, and the lock is held to commit.
        head = lock_chain_head(record.chain)
        # Stamped under the lock, so time never runs backwards along a chain: a purge or a detached month (cut
        # by time) then always takes a chain's oldest records and never leaves a hole.
        record.created_at = timezone.now()
        record.prev_hash = head.last_hash
        record.hash = record_hash(record, head.last_hash)
        record.save()
        AuditChainHead.objects.filter(pk=head.pk).update(last_seq=record.seq, last_hash=record.hash)
    return record


def audit_purge(*, actor=None, now=None) -> int:
    """Remove records older than the retention period (never fewer than 184 days) from every chain, keeping each
    chain's anchor. One short transaction a chain: only that county's writers wait for it."""
    # 网络安全法 art. 21: logs are kept at least six months, whatever a mistaken setting says.
    days = max(MIN_RETENTION_DAYS, settings.AUDIT_RETENTION_DAYS)
    cutoff = (now or timezone.now()) - timedelta(days=days)
    chains = (
        AuditRecord.objects.filter(created_at__lt=cutoff).order_by("chain").values_list("chain", flat=True)
    )
    chains = chains.distinct()
    return sum(purge_chain(chain, cutoff, actor=actor) for chain in sorted(set(chains)))


def purge_chain(chain: str, cutoff, *, actor=None) -> int:
    with transaction.atomic():
        head = lock_chain_head(chain)
        old = AuditRecord.objects.filter(chain=chain, created_at__lt=cutoff).order_by("seq")
        last = old.last()
        if last is None:
            return 0
        count = old.count()
        # The one sanctioned removal path: QuerySet.delete is refused everywhere else.
        models.QuerySet.delete(
            AuditRecord.objects.filter(chain=chain, seq__lte=last.seq, created_at__lt=cutoff)
        )
        AuditChainHead.objects.filter(pk=head.pk).update(
            purged_through_seq=last.seq, purged_anchor_hash=last.hash
        )
        # The keyed record of where the chain now starts, in that chain: verify refuses an anchor that no such
        # record states, so deleting the oldest rows and moving the anchor by hand shows.
        audit_record(
            actor=actor,
            action="audit.purge",
            message=f"清理 {cutoff:%Y-%m-%d} 之前的 {count} 条审计记录",
            after={"through_seq": last.seq, "anchor_hash": last.hash, "count": count, "chain": chain},
            region_code=chain if chain.isdigit() else "",  # the legacy chain's purge: the province's
            chain=chain,
        )
    return count
