"""The division tree's version (``RegionStamp``): one row, a random stamp that every write of regions replaces; the
region pickers' options are cached under it (``orgs.regioncache``, #23). The row is made on first use."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0004_region_level_code"),
    ]

    operations = [
        migrations.CreateModel(
            name="RegionStamp",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("stamp", models.BigIntegerField()),
            ],
            options={
                "verbose_name": "行政区划版本",
                "verbose_name_plural": "行政区划版本",
            },
        ),
    ]
