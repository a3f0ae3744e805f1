"""Append-only audit records, chained by a keyed hash (HMAC-SM3, audit/chain.py), one chain per county."""

from django.core.exceptions import PermissionDenied
from django.db import models

from jianfu.core import textsearch
from jianfu.orgs import access
from jianfu.orgs.models import subtree_q

from .labels import action_label


def audit_prefixes(user) -> list[str]:
    """The code prefixes of the regions whose audit records the user may read (none without the capability)."""
    if not (user.is_authenticated and user.has_capability("audit.view")):
        return []
    return [a.region.prefix for a in access.assignments(user) if "audit.view" in a.capabilities]


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionDenied("审计记录不可修改。")

    def delete(self):
        raise PermissionDenied("审计记录不可删除；过期记录只能由保存期清理任务移除。")

    def visible_to(self, user):
        """Records about a region in the inspector's subtree. Records about no region at all (written before
        any region existed) are the province's: only an inspector granted a whole province reads them."""
        prefixes = audit_prefixes(user)
        if not prefixes:
            return self.none()
        unplaced = models.Q(region_code="") if any(len(p) <= 2 for p in prefixes) else models.Q(pk__in=[])
        return self.filter(subtree_q(prefixes, "region_code") | unplaced)


class AuditRecord(models.Model):
    """One thing that happened: who, what, when, from where, and whether it succeeded.

    ``hash`` = HMAC-SM3(key, prev_hash + canonical JSON of the other fields and the chain), so an edit, a removed
    row or a record moved to another chain breaks the chain, and without the key nobody can recompute it.

    ``chain`` is the county the record concerns (``chain_of(region_code)``): each county's records form their own
    chain with its own head, so writers in different counties never wait for each other (docs/scale.md).
    """

    seq = models.BigAutoField(primary_key=True)
    created_at = models.DateTimeField("时间", db_index=True)
    actor = models.ForeignKey(
        "orgs.User", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="操作人"
    )
    actor_username = models.CharField("账号", max_length=150, blank=True)
    actor_name = models.CharField("姓名", max_length=50, blank=True)
    actor_role = models.CharField("角色", max_length=32, blank=True)
    actor_region_code = models.CharField("操作人区划代码", max_length=12, blank=True)
    # The region the record concerns (audit/regions.py): what decides which inspectors may read it.
    region_code = models.CharField("所涉区划代码", max_length=12, blank=True, db_index=True)
    action = models.CharField("操作", max_length=64, db_index=True)
    object_type = models.CharField("对象类型", max_length=64, blank=True)
    object_id = models.CharField("对象编号", max_length=64, blank=True)
    object_repr = models.CharField("对象", max_length=200, blank=True)
    before = models.JSONField("变更前", null=True, blank=True)
    after = models.JSONField("变更后", null=True, blank=True)
    ip = models.CharField("IP 地址", max_length=45, blank=True)
    request_id = models.CharField("请求编号", max_length=64, blank=True)
    channel = models.CharField("渠道", max_length=8, blank=True)
    success = models.BooleanField("成功", default=True)
    message = models.CharField("说明", max_length=500, blank=True)
    # The chain the record belongs to: its county's code (chain.chain_of), or LEGACY_CHAIN for the records written
    # while the deployment had one chain (migration 0006).
    chain = models.CharField("审计链", max_length=12, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "审计记录"
        ordering = ["-seq"]
        # verify walks each chain in order, and a writer's chain head is found by it
        indexes = [models.Index(fields=["chain", "seq"], name="audit_record_chain_seq")]

    def __str__(self):
        return f"#{self.seq} {self.action}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionDenied("审计记录不可修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("审计记录不可删除。")

    @property
    def action_label(self) -> str:
        return action_label(self.action)

    HASHED_FIELDS = (
        "created_at",
        "actor_id",
        "actor_username",
        "actor_name",
        "actor_role",
        "actor_region_code",
        "action",
        "object_type",
        "object_id",
        "object_repr",
        "before",
        "after",
        "ip",
        "request_id",
        "channel",
        "success",
        "message",
        "region_code",
    )


# The list's text search (who, their name, the object, the address), from a trigram index (core.textsearch;
# made by migration 0007_record_text_search).
AUDIT_TEXT = textsearch.register(
    textsearch.TextIndex(
        "audit_auditrecord", ("actor_username", "actor_name", "object_repr", "ip"), key="seq"
    )
)


class AuditChainHead(models.Model):
    """One chain's head: the row a writer to that county's chain locks to append; also the anchor kept after a
    purge. Made on a chain's first record (``services.lock_chain_head``)."""

    chain = models.CharField("审计链", max_length=12, unique=True)
    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)
    purged_through_seq = models.BigIntegerField(default=0)
    purged_anchor_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "审计链头"

    def __str__(self):
        return f"审计链头 {self.chain} #{self.last_seq}"
