"""A partial index of the clues waiting for the inspector (``review = 'pending'``) by region (#23): the home page
counts them for the inspector's whole scope, which without it read every event of a province."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0012_rollup_stamps")]

    operations = [
        migrations.AddIndex(
            model_name="burdenevent",
            index=models.Index(
                condition=models.Q(("review", "pending")), fields=["region_code"], name="event_pending_clue"
            ),
        ),
    ]
