"""Findings partitioned by month of ``occurred_on`` on PostgreSQL (core/partitions.py); nothing on SQLite.

``occurred_on`` because the queue orders by it (``finding_recent``), the figures and the findings rollup count
by its month, and a finding is kept as long as what happened is: the month of the event, not of the intake.
The primary key becomes (id, occurred_on); the unique ``source_key`` (one finding per source record) stays as a
plain index and ``finding_intake`` takes an advisory lock per key instead; the steps and the bulletin entries
point at findings without a database constraint (their services take the finding from a query), so a month can
be detached. The search indexes of 0009 (pg_trgm on subject and department_text) are made on the parent.
"""

from django.db import migrations

from jianfu.core import partitions

TABLE, UNIQUES = "monitoring_finding", ("monitoring_finding_source_key_key",)


def forwards(apps, schema_editor):
    partitions.convert(schema_editor, TABLE, column="occurred_on", pk="id", uniques=UNIQUES)


def backwards(apps, schema_editor):
    partitions.unconvert(schema_editor, TABLE, pk="id", uniques=UNIQUES, apps=apps)


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0009_event_text_search")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
