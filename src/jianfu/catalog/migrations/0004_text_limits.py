"""Free texts get their limits (``core.text.BoundedTextField``).

The column stays ``text``: the limit is checked by Django, so only the state changes and no table is rebuilt.
"""

import jianfu.core.text
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0003_verdict_correction'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='listitem',
                    name='alternative',
                    field=jianfu.core.text.BoundedTextField(blank=True, help_text='不应出具的证明：群众可以到哪里办理', max_length=2000, verbose_name='替代途径'),
                ),
                migrations.AlterField(
                    model_name='listitem',
                    name='content',
                    field=jianfu.core.text.BoundedTextField(max_length=2000, verbose_name='事项内容'),
                ),
                migrations.AlterField(
                    model_name='listitem',
                    name='process_basis',
                    field=jianfu.core.text.BoundedTextField(blank=True, max_length=2000, verbose_name='办理依据'),
                ),
                migrations.AlterField(
                    model_name='listitem',
                    name='process_conditions',
                    field=jianfu.core.text.BoundedTextField(blank=True, max_length=2000, verbose_name='办理条件'),
                ),
                migrations.AlterField(
                    model_name='listitem',
                    name='process_materials',
                    field=jianfu.core.text.BoundedTextField(blank=True, max_length=2000, verbose_name='所需材料'),
                ),
                migrations.AlterField(
                    model_name='listitem',
                    name='process_standard',
                    field=jianfu.core.text.BoundedTextField(blank=True, max_length=2000, verbose_name='办理标准'),
                ),
                migrations.AlterField(
                    model_name='verdictcorrection',
                    name='text',
                    field=jianfu.core.text.BoundedTextField(max_length=2000, verbose_name='比对文字'),
                ),
                migrations.AlterField(
                    model_name='worklist',
                    name='change_note',
                    field=jianfu.core.text.BoundedTextField(blank=True, max_length=5000, verbose_name='调整说明'),
                ),
            ],
        ),
    ]
