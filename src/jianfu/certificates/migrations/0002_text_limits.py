"""Free texts get their limits (``core.text.BoundedTextField``).

The column stays ``text``: the limit is checked by Django, so only the state changes and no table is rebuilt.
"""

import jianfu.core.text
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('certificates', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='certificatetype',
                    name='body',
                    field=jianfu.core.text.BoundedTextField(blank=True, help_text='用 {字段名} 引用字段', max_length=5000, verbose_name='正文模板'),
                ),
                migrations.AlterField(
                    model_name='certificatetype',
                    name='commitment_body',
                    field=jianfu.core.text.BoundedTextField(blank=True, max_length=5000, verbose_name='承诺书正文'),
                ),
                migrations.AlterField(
                    model_name='certificatetype',
                    name='conditions',
                    field=jianfu.core.text.BoundedTextField(blank=True, max_length=2000, verbose_name='出具条件'),
                ),
                migrations.AlterField(
                    model_name='certificatetype',
                    name='materials',
                    field=jianfu.core.text.BoundedTextField(blank=True, max_length=2000, verbose_name='所需材料'),
                ),
                migrations.AlterField(
                    model_name='certificatetype',
                    name='requesters',
                    field=jianfu.core.text.BoundedTextField(blank=True, max_length=1000, verbose_name='申请人范围'),
                ),
                migrations.AlterField(
                    model_name='commitment',
                    name='body_text',
                    field=jianfu.core.text.BoundedTextField(max_length=10000, verbose_name='正文'),
                ),
                migrations.AlterField(
                    model_name='issuance',
                    name='body_text',
                    field=jianfu.core.text.BoundedTextField(max_length=10000, verbose_name='正文'),
                ),
                migrations.AlterField(
                    model_name='refusal',
                    name='alternative',
                    field=jianfu.core.text.BoundedTextField(max_length=2000, verbose_name='替代途径'),
                ),
            ],
        ),
    ]
