"""Department cells at county level only (#23): the township ones are deleted.

A township's department chart now counts the events of its township (``dashboard._departments``), and the
services and ``rebuild_month`` keep department cells for counties only. At province scale the township cells
were as many as a month's events (2,000 townships × 20 departments × 9 types; 1.78 GB of rollup at 10M events).

Reversed, the township cells are recomputed from the events (one grouped read of every counted event by
township, month, department and type, what the older code's ``rebuild_month`` wrote), so the older code finds
the cells it reads.
"""

from django.db import migrations

TOWNSHIP = 4  # orgs.models.Level.TOWNSHIP


def drop_township_cells(apps, schema_editor):
    apps.get_model("monitoring", "DepartmentRollup").objects.filter(level=TOWNSHIP).delete()


def rebuild_township_cells(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        township, month = "substr(region_code, 1, 9) || '000'", "strftime('%%Y-%%m-01', occurred_on)"
    else:
        township, month = "substring(region_code, 1, 9) || '000'", "date_trunc('month', occurred_on)::date"
    apps.get_model("monitoring", "DepartmentRollup").objects.filter(level=TOWNSHIP).delete()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO monitoring_departmentrollup (region_code, level, month, department_id, kind, events,"
            f" hours, violations, undecided) SELECT {township}, %s, {month}, department_id, kind, COUNT(*),"
            " COALESCE(SUM(hours), 0), SUM(CASE WHEN verdict = 'violation' THEN 1 ELSE 0 END),"
            " SUM(CASE WHEN verdict = 'undecided' THEN 1 ELSE 0 END) FROM monitoring_burdenevent"
            " WHERE review NOT IN ('pending', 'dismissed') GROUP BY 1, 3, 4, 5",
            [TOWNSHIP],
        )


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0013_pending_clue_index")]

    operations = [migrations.RunPython(drop_township_cells, rebuild_township_cells)]
