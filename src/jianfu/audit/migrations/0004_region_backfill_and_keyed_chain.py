"""Existing audit records get the region they concern, and the chain is re-keyed from the start.

1. The old chain (plain SM3, without ``region_code``) is verified first; the result is written into the new
   chain as an ``audit.rekey`` record, so re-keying can never hide earlier tampering.
2. ``region_code`` is derived where it can be: the object's region through its foreign keys, the county of a
   failed login's account, the actor's region, otherwise the province.
3. Every record is hashed again with HMAC-SM3 under ``JIANFU_AUDIT_KEY`` (from the environment), in order.

The code is frozen here on purpose: later changes to ``audit/chain.py`` must not change what this did.
"""

import json
from datetime import datetime, timezone

from cryptography.hazmat.primitives import hashes, hmac
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import migrations

GENESIS = "0" * 64
OLD_FIELDS = (
    "created_at", "actor_id", "actor_username", "actor_name", "actor_role", "actor_region_code", "action",
    "object_type", "object_id", "object_repr", "before", "after", "ip", "request_id", "channel", "success",
    "message",
)
NEW_FIELDS = (*OLD_FIELDS, "region_code")


def _payload(record, fields) -> bytes:
    def value(v):
        return v.isoformat(timespec="microseconds") if hasattr(v, "isoformat") else v

    body = {name: value(getattr(record, name)) for name in fields}
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode()


def _old_hash(record, prev: str) -> str:
    digest = hashes.Hash(hashes.SM3())
    digest.update(prev.encode() + _payload(record, OLD_FIELDS))
    return digest.finalize().hex()


def _new_hash(key: bytes, record, prev: str) -> str:
    mac = hmac.HMAC(key, hashes.SM3())
    mac.update(b"record:" + prev.encode() + _payload(record, NEW_FIELDS))
    return mac.finalize().hex()


def _old_chain_result(records, head) -> str:
    expected = head.purged_anchor_hash if head and head.purged_through_seq else GENESIS
    for record in records:
        if record.prev_hash != expected or _old_hash(record, record.prev_hash) != record.hash:
            return f"原审计链自第 {record.seq} 条起核验不通过"
        expected = record.hash
    if head and head.last_seq and head.last_hash != expected:
        return "原审计链链尾记录缺失"
    return "原审计链核验一致"


class _Regions:
    """Derives the region a record concerns from the historical models (see audit/regions.py)."""

    def __init__(self, apps):
        self.apps = apps
        self.Region = apps.get_model("orgs", "Region")
        self.province = (
            self.Region.objects.filter(level=1).order_by("code").values_list("code", flat=True).first() or ""
        )
        self.cache = {}

    def _code(self, region_id) -> str:
        return self.Region.objects.filter(pk=region_id).values_list("code", flat=True).first() or ""

    def of_object(self, obj, depth=0) -> str:
        if obj is None or depth > 3:
            return ""
        label = obj._meta.label
        if label == "orgs.Region":
            return obj.code
        if label == "orgs.User":
            return self._code(obj.home_region_id)
        relations = [f for f in obj._meta.concrete_fields if f.is_relation]
        for field in relations:
            if field.related_model._meta.label == "orgs.Region" and getattr(obj, field.attname):
                return self._code(getattr(obj, field.attname))
        own = getattr(obj, "region_code", "")
        if isinstance(own, str) and len(own) == 12:
            return own
        for field in relations:
            target = field.related_model._meta.label
            if target not in ("orgs.Region", "orgs.User", label) and getattr(obj, field.attname):
                code = self.of_object(getattr(obj, field.name), depth + 1)
                if code:
                    return code
        return ""

    def of_record(self, record) -> str:
        key = (record.object_type, record.object_id)
        if record.object_type and key not in self.cache:
            try:
                model = self.apps.get_model(record.object_type)
                self.cache[key] = self.of_object(model._default_manager.filter(pk=record.object_id).first())
            except (LookupError, ValueError):
                self.cache[key] = ""
        code = self.cache.get(key, "")
        if record.action.startswith("auth.") and record.actor_id is None and record.actor_region_code:
            code = record.actor_region_code[:6] + "0" * 6  # a failed login: its account's county
        return code or record.actor_region_code or self.province


def forwards(apps, schema_editor):
    if not settings.AUDIT_KEY:
        raise ImproperlyConfigured("迁移审计链需要 JIANFU_AUDIT_KEY（审计链密钥），请先在环境变量中设置。")
    key = settings.AUDIT_KEY.encode()
    Record = apps.get_model("audit", "AuditRecord")
    Head = apps.get_model("audit", "AuditChainHead")
    head = Head.objects.filter(pk=1).first()
    records = list(Record.objects.order_by("seq"))
    if not records and not (head and head.last_seq):
        return  # a new database: nothing to carry over
    old_result = _old_chain_result(records, head)
    regions = _Regions(apps)
    prev = head.purged_anchor_hash if head and head.purged_through_seq else GENESIS
    for record in records:
        record.region_code = regions.of_record(record)
        record.prev_hash, record.hash = prev, _new_hash(key, record, prev)
        Record.objects.filter(seq=record.seq).update(
            region_code=record.region_code, prev_hash=record.prev_hash, hash=record.hash
        )
        prev = record.hash
    rekey = Record(
        created_at=datetime.now(timezone.utc), action="audit.rekey", channel="cli", success=True,
        region_code=regions.province, prev_hash=prev,
        message=f"审计链改用 HMAC-SM3 密钥重新计算（{len(records)} 条）；{old_result}",
        after={"through_seq": head.purged_through_seq if head else 0,
               "anchor_hash": head.purged_anchor_hash if head and head.purged_through_seq else "",
               "records": len(records), "old_chain": old_result},
    )
    rekey.hash = _new_hash(key, rekey, prev)
    rekey.save()
    Head.objects.update_or_create(pk=1, defaults={"last_seq": rekey.seq, "last_hash": rekey.hash})


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_auditrecord_region_code"),
        # The objects records point at are read to find their region.
        ("orgs", "0001_initial"),
        ("catalog", "0001_initial"),
        ("admission", "0001_initial"),
        ("certificates", "0001_initial"),
        ("forms", "0001_initial"),
        ("supervision", "0001_initial"),
        ("monitoring", "0001_initial"),
        ("campaign", "0001_initial"),
        ("consultation", "0001_initial"),
        ("grid", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
