"""Step limits were one global table; they become region settings (区划设置). A limit that differed from the
default applied to every county, so it moves to each province as a version in force from today: every county
keeps its deadlines until it sets its own."""

from django.db import migrations
from django.utils import timezone

DEFAULTS = {"submitted": 5, "coordinating": 10, "meeting": 15, "decision": 5, "decision_urgent": 2, "returned": 10}


def forward(apps, schema_editor):
    StepLimit = apps.get_model("admission", "StepLimit")
    Region = apps.get_model("orgs", "Region")
    RegionSetting = apps.get_model("orgs", "RegionSetting")
    today = timezone.localdate()
    for limit in StepLimit.objects.all():
        if DEFAULTS.get(limit.step) in (None, limit.workdays):
            continue
        for province in Region.objects.filter(level=1):
            RegionSetting.objects.create(
                region=province,
                key=f"admission.step_limit.{limit.step}",
                value=limit.workdays,
                effective_from=today,
                reason="由原全平台统一的办理时限迁入",
            )


class Migration(migrations.Migration):
    dependencies = [
        ("admission", "0002_text_limits"),
        ("orgs", "0003_region_settings"),
    ]

    operations = [
        migrations.RunPython(forward, migrations.RunPython.noop),
        migrations.DeleteModel(name="StepLimit"),
    ]
