"""Free texts get their limits (``core.text.BoundedTextField``).

The column stays ``text``: the limit is checked by Django, so only the state changes and no table is rebuilt.
"""

import jianfu.core.text
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('supervision', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='inspectionplan',
                    name='decision_note',
                    field=jianfu.core.text.BoundedTextField(blank=True, max_length=2000, verbose_name='审批意见'),
                ),
                migrations.AlterField(
                    model_name='inspectionplan',
                    name='note',
                    field=jianfu.core.text.BoundedTextField(blank=True, max_length=2000, verbose_name='说明'),
                ),
                migrations.AlterField(
                    model_name='plantransition',
                    name='note',
                    field=jianfu.core.text.BoundedTextField(blank=True, max_length=3000, verbose_name='说明'),
                ),
            ],
        ),
    ]
