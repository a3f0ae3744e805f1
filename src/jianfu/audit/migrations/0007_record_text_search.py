"""Index for the audit list's text search over 账号, 姓名, 对象 and IP (jianfu.core.textsearch): pg_trgm GIN indexes
on the partitioned parent on PostgreSQL (each month's partition gets its own), an FTS5 trigram table kept in step
by triggers on SQLite. No model state changes."""

from django.db import migrations

from jianfu.core.textsearch import TextIndex, create, drop

INDEX = TextIndex("audit_auditrecord", ("actor_username", "actor_name", "object_repr", "ip"), key="seq")


def forwards(apps, schema_editor):
    create(schema_editor, INDEX)


def backwards(apps, schema_editor):
    drop(schema_editor, INDEX)


class Migration(migrations.Migration):
    dependencies = [("audit", "0006_one_audit_chain_per_county")]

    operations = [migrations.RunPython(forwards, backwards)]
