"""Indexes for the 事项或描述 search of events and findings (jianfu.core.textsearch): pg_trgm GIN indexes on
PostgreSQL, FTS5 trigram tables kept in step by triggers on SQLite. No model state changes."""

from django.db import migrations

from jianfu.core.textsearch import TextIndex, create, drop

INDEXES = [
    TextIndex("monitoring_burdenevent", ("subject", "description")),
    TextIndex("monitoring_finding", ("subject", "department_text")),
]


def forwards(apps, schema_editor):
    for index in INDEXES:
        create(schema_editor, index)


def backwards(apps, schema_editor):
    for index in INDEXES:
        drop(schema_editor, index)


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0008_rollup_by_region")]

    operations = [migrations.RunPython(forwards, backwards)]
