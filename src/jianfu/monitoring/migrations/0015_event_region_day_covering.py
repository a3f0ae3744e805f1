"""The events' ``(region_code, occurred_on)`` index with the columns a region's events are counted by included
(#23): a township's department chart counts its year from the index alone (index-only scans), where at 120M
events it read 20,041 scattered heap pages a dashboard. On the partitioned table (PostgreSQL) dropping and
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
                include=("department", "verdict", "hours", "review", "id"),
                name="event_region_day",
            ),
        ),
    ]
