"""Free texts get their limits (``core.text.BoundedTextField``).

The column stays ``text``: the limit is checked by Django, so only the state changes and no table is rebuilt.
"""

import jianfu.core.text
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('grid', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='eventstep',
                    name='note',
                    field=jianfu.core.text.BoundedTextField(blank=True, max_length=3000, verbose_name='说明'),
                ),
                migrations.AlterField(
                    model_name='gridevent',
                    name='description',
                    field=jianfu.core.text.BoundedTextField(max_length=2000, verbose_name='情况描述'),
                ),
                migrations.AlterField(
                    model_name='gridevent',
                    name='result',
                    field=jianfu.core.text.BoundedTextField(blank=True, max_length=2000, verbose_name='处置结果'),
                ),
            ],
        ),
    ]
