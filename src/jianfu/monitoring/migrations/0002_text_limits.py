"""Free texts get their limits (``core.text.BoundedTextField``).

The column stays ``text``: the limit is checked by Django, so only the state changes and no table is rebuilt.
"""

import jianfu.core.text
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('monitoring', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='bulletinentry',
                    name='rectification',
                    field=jianfu.core.text.BoundedTextField(blank=True, max_length=2000, verbose_name='整改情况'),
                ),
                migrations.AlterField(
                    model_name='bulletinstep',
                    name='note',
                    field=jianfu.core.text.BoundedTextField(blank=True, max_length=3000, verbose_name='说明'),
                ),
                migrations.AlterField(
                    model_name='burdenevent',
                    name='check_detail',
                    field=jianfu.core.text.BoundedTextField(blank=True, max_length=5000, verbose_name='核验说明'),
                ),
                migrations.AlterField(
                    model_name='burdenevent',
                    name='description',
                    field=jianfu.core.text.BoundedTextField(max_length=2000, verbose_name='情况描述'),
                ),
            ],
        ),
    ]
