"""Burden events partitioned by month of ``occurred_on`` on PostgreSQL (core/partitions.py); nothing on SQLite.

The primary key becomes (id, occurred_on); ``event_once_per_key`` stays as a plain index and the recording
service takes an advisory lock per (reporter, key) instead; the foreign keys from findings and bulletin entries
to events are kept without a database constraint (the services that write them take the event from a query).
"""

from django.db import migrations

from jianfu.core import partitions

TABLE, UNIQUES = "monitoring_burdenevent", ("event_once_per_key",)


def forwards(apps, schema_editor):
    partitions.convert(schema_editor, TABLE, column="occurred_on", pk="id", uniques=UNIQUES)


def backwards(apps, schema_editor):
    partitions.unconvert(schema_editor, TABLE, pk="id", uniques=UNIQUES, apps=apps)


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0006_recent_indexes")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
