"""A stamp per county and month of the event rollup (``RollupStamp``): the prefecture and province sums of a month
are cached under the stamps of its counties and summed again only when one moves (#23). The backfill gives every
county month that holds cells a stamp, so the months already rolled up are read (and cached) like new ones;
going back drops the table (nothing else reads it)."""

import secrets

from django.db import migrations, models

COUNTY = 3


def stamp_every_county_month(apps, schema_editor):
    rollup = apps.get_model("monitoring", "MonthlyRollup")
    stamp = apps.get_model("monitoring", "RollupStamp")
    held = rollup.objects.filter(level=COUNTY).values_list("region_code", "month").distinct().order_by()
    stamp.objects.bulk_create(
        (stamp(region_code=code, month=month, stamp=secrets.randbits(40)) for code, month in held.iterator()),
        batch_size=2000,
    )


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0011_rollup_above_county_summed_when_read")]

    operations = [
        migrations.CreateModel(
            name="RollupStamp",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("region_code", models.CharField(max_length=12)),
                ("month", models.DateField()),
                ("stamp", models.BigIntegerField()),
            ],
            options={
                "verbose_name": "负担事件汇总变更标记",
                "verbose_name_plural": "负担事件汇总变更标记",
                "constraints": [
                    models.UniqueConstraint(fields=("month", "region_code"), name="rollup_stamp_cell")
                ],
            },
        ),
        migrations.RunPython(stamp_every_county_month, migrations.RunPython.noop),
    ]
