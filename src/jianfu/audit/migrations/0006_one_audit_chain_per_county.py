"""One audit chain per county: each record carries its chain, each chain has its own head (docs/scale.md).

The records written before this migration stay as they are, as one closed **legacy chain** (``chain =
"legacy"``), rather than being re-chained by county. Why:

- re-chaining recomputes every hash, on a province node hundreds of millions of rows in one migration (on
  PostgreSQL a rewrite of every month's partition), where keeping them costs a column added with a constant
  default, which PostgreSQL records in the catalogue without touching a row;
- the checkpoints inspectors exported before keep their meaning: they state this very chain (format /1, checked
  against the legacy chain by ``audit_verify``), where a re-chained history would no longer match any of them
  and an edit made before the migration would be laundered into valid new hashes;
- the legacy chain is hashed as before (without the chain field, audit/chain.py), verifies as before, and is
  purged and detached like any other chain; no new record joins it.

Backwards, the county chains are joined again into the one chain in ``seq`` order (hashed as before this
migration, under ``JIANFU_AUDIT_KEY``), after the legacy chain's last record. That is refused once a county chain
has been purged: its anchor would no longer be where the single chain starts.

The code is frozen here on purpose: later changes to ``audit/chain.py`` must not change what this did.
"""

import json

from cryptography.hazmat.primitives import hashes, hmac
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import migrations, models

LEGACY = "legacy"
GENESIS = "0" * 64
SINGLE_CHAIN_FIELDS = (
    "created_at", "actor_id", "actor_username", "actor_name", "actor_role", "actor_region_code", "action",
    "object_type", "object_id", "object_repr", "before", "after", "ip", "request_id", "channel", "success",
    "message", "region_code",
)


def _single_chain_hash(key: bytes, record, prev: str) -> str:
    def value(v):
        return v.isoformat(timespec="microseconds") if hasattr(v, "isoformat") else v

    body = {name: value(getattr(record, name)) for name in SINGLE_CHAIN_FIELDS}
    payload = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode()
    mac = hmac.HMAC(key, hashes.SM3())
    mac.update(b"record:" + prev.encode() + payload)
    return mac.finalize().hex()


def forwards(apps, schema_editor):
    """The existing records and head are the legacy chain already (the columns' defaults); a new database's
    empty head is dropped, so it shows no empty legacy chain."""
    Record = apps.get_model("audit", "AuditRecord")
    Head = apps.get_model("audit", "AuditChainHead")
    if not Record.objects.filter(chain=LEGACY).exists():
        Head.objects.filter(chain=LEGACY, last_seq=0, purged_through_seq=0).delete()


def backwards(apps, schema_editor):
    Record = apps.get_model("audit", "AuditRecord")
    Head = apps.get_model("audit", "AuditChainHead")
    counties = Head.objects.exclude(chain=LEGACY)
    if counties.filter(purged_through_seq__gt=0).exists():
        raise ImproperlyConfigured("已有按县审计链做过清理，无法合并回单一审计链；请从迁移前的备份恢复。")
    joined = Record.objects.exclude(chain=LEGACY).order_by("seq")
    legacy = Head.objects.filter(chain=LEGACY).first()
    if joined.exists():
        if not settings.AUDIT_KEY:
            raise ImproperlyConfigured("合并审计链需要 JIANFU_AUDIT_KEY（审计链密钥），请先在环境变量中设置。")
        key = settings.AUDIT_KEY.encode()
        prev, last_seq = (legacy.last_hash, legacy.last_seq) if legacy else (GENESIS, 0)
        for record in joined.iterator(chunk_size=2000):
            new_hash = _single_chain_hash(key, record, prev)
            Record.objects.filter(seq=record.seq).update(prev_hash=prev, hash=new_hash)
            prev, last_seq = new_hash, record.seq
        if legacy is None:
            legacy = Head.objects.create(chain=LEGACY, last_seq=last_seq, last_hash=prev)
        Head.objects.filter(pk=legacy.pk).update(last_seq=last_seq, last_hash=prev)
    counties.delete()
    # The single chain's head was row 1, and the code before this migration looks for it there.
    if legacy is not None and legacy.pk != 1:
        Head.objects.filter(pk=1).delete()
        Head.objects.filter(pk=legacy.pk).update(id=1)


class Migration(migrations.Migration):
    dependencies = [("audit", "0005_partition_records_by_month")]

    operations = [
        # A constant default: PostgreSQL adds the column in the catalogue only (no rewrite of any partition),
        # and every existing record reads "legacy". Added on the partitioned parent, it reaches every month.
        migrations.AddField(
            model_name="auditrecord",
            name="chain",
            field=models.CharField("审计链", max_length=12, blank=True, default=LEGACY),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditchainhead",
            name="chain",
            field=models.CharField("审计链", max_length=12, unique=True, default=LEGACY),
            preserve_default=False,
        ),
        # On the parent: PostgreSQL makes it on every month's partition, and on each new one as it is attached.
        migrations.AddIndex(
            model_name="auditrecord",
            index=models.Index(fields=["chain", "seq"], name="audit_record_chain_seq"),
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
