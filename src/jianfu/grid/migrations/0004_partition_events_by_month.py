"""Grid events partitioned by month of ``reported_at`` on PostgreSQL (core/partitions.py; month bounds at local
midnight); nothing on SQLite.

``reported_at`` because the list orders by it and an event is kept from when it was reported. The primary key
becomes (id, reported_at). Two unique rules lose their unique index (it would have to hold the month) and are
kept by the writer: ``number`` comes from the row-locked counter ``numbering.next_number`` (one number per
year, never given twice), and ``grid_event_idempotent`` (source system + key) by an advisory lock in
``services.events.event_report``. The steps point at events without a database constraint, so a month can be
detached (its steps move into an archive table beside it). The search indexes of 0003 (pg_trgm on number and
place) are made on the parent.
"""

from django.db import migrations

from jianfu.core import partitions

TABLE, UNIQUES = "grid_gridevent", ("grid_gridevent_number_key", "grid_event_idempotent")


def forwards(apps, schema_editor):
    partitions.convert(schema_editor, TABLE, column="reported_at", pk="id", uniques=UNIQUES)


def backwards(apps, schema_editor):
    partitions.unconvert(schema_editor, TABLE, pk="id", uniques=UNIQUES, apps=apps)


class Migration(migrations.Migration):
    dependencies = [("grid", "0003_event_text_search")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
