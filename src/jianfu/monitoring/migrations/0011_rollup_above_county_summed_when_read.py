"""The event rollup keeps no prefecture or province cells any more: they are summed from the counties' cells when
read (``selectors.rollup_cells``), so the writers of a province no longer queue on one row (#23). The rows already
held above the county are deleted; going back sums them again from the county cells, as the old code kept them."""

from collections import defaultdict
from decimal import Decimal

from django.db import migrations

PREFECTURE, PROVINCE, COUNTY = 2, 1, 3
PREFIX = {PROVINCE: 2, PREFECTURE: 4}


def drop_cells_above_county(apps, schema_editor):
    apps.get_model("monitoring", "MonthlyRollup").objects.filter(level__lt=COUNTY).delete()


def sum_cells_above_county(apps, schema_editor):
    rollup = apps.get_model("monitoring", "MonthlyRollup")
    sums: dict = defaultdict(lambda: [0, Decimal(0), 0, 0])
    counties = rollup.objects.filter(level=COUNTY).values_list(
        "region_code", "month", "kind", "events", "hours", "violations", "undecided"
    )
    for code, month, kind, *amounts in counties.iterator():
        for level, n in PREFIX.items():
            cell = sums[(code[:n].ljust(12, "0"), level, month, kind)]
            for i, value in enumerate(amounts):
                cell[i] += value
    rollup.objects.bulk_create(
        (
            rollup(
                region_code=code, level=level, month=month, kind=kind, events=e, hours=h, violations=v, undecided=u
            )
            for (code, level, month, kind), (e, h, v, u) in sums.items()
        ),
        batch_size=2000,
    )


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0010_partition_findings_by_month")]

    operations = [migrations.RunPython(drop_cells_above_county, sum_cells_above_county)]
