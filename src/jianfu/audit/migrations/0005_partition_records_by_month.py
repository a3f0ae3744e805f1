"""Audit records partitioned by month of ``created_at`` on PostgreSQL (core/partitions.py); nothing on SQLite.

The primary key becomes (seq, created_at); the unique index on ``hash`` stays as a plain index (the keyed chain
shows a duplicated record anyway). Months are detached only behind a signed checkpoint (audit/retention.py).
"""

from django.db import migrations

from jianfu.core import partitions

TABLE = "audit_auditrecord"


def forwards(apps, schema_editor):
    partitions.convert(schema_editor, TABLE, column="created_at", pk="seq")


def backwards(apps, schema_editor):
    partitions.unconvert(schema_editor, TABLE, pk="seq", uniques=("audit_auditrecord_hash_key",))


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_region_backfill_and_keyed_chain")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
