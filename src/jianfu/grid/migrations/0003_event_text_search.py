"""Index for the grid events list's search over 事件编号 and 地点 (jianfu.core.textsearch): a pg_trgm GIN index
on PostgreSQL, an FTS5 trigram table kept in step by triggers on SQLite. No model state changes."""

from django.db import migrations

from jianfu.core.textsearch import TextIndex, create, drop

INDEX = TextIndex("grid_gridevent", ("number", "place"))


def forwards(apps, schema_editor):
    create(schema_editor, INDEX)


def backwards(apps, schema_editor):
    drop(schema_editor, INDEX)


class Migration(migrations.Migration):
    dependencies = [("grid", "0002_text_limits")]

    operations = [migrations.RunPython(forwards, backwards)]
