"""The events' ``(region_code, occurred_on)`` index with the columns a region's events are counted by included
(#23): a township's department chart counts its year, and a drill-down list (a county's month of one type and
verdict) its bounded total, from the index alone (index-only scans), where at 120M events they read 20,041 and
16,871 scattered heap pages. On the partitioned table (PostgreSQL) dropping and
adding the parent's index does the same on every month's partition; SQLite has no included columns and keeps a
plain index on the key."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0014_township_department_cells_dropped")]

    operations = [
        migrations.RemoveIndex(model_name="burdenevent", name="event_region_day"),
        migrations.AddIndex(
            model_name="burdenevent",
            index=models.Index(
                fields=["region_code", "occurred_on"],
                include=("department", "verdict", "hours", "review", "id", "kind"),
                name="event_region_day",
            ),
        ),
    ]
