"""Free texts get their limits (``core.text.BoundedTextField``).

The column stays ``text``: the limit is checked by Django, so only the state changes and no table is rebuilt.
"""

import jianfu.core.text
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('consultation', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='comment',
                    name='text',
                    field=jianfu.core.text.BoundedTextField(max_length=1000, verbose_name='意见'),
                ),
                migrations.AlterField(
                    model_name='followup',
                    name='comment',
                    field=jianfu.core.text.BoundedTextField(blank=True, max_length=1000, verbose_name='意见'),
                ),
                migrations.AlterField(
                    model_name='measureupdate',
                    name='note',
                    field=jianfu.core.text.BoundedTextField(max_length=2000, verbose_name='进展'),
                ),
                migrations.AlterField(
                    model_name='opinion',
                    name='answer',
                    field=jianfu.core.text.BoundedTextField(blank=True, max_length=2000, verbose_name='答复'),
                ),
                migrations.AlterField(
                    model_name='opinion',
                    name='content',
                    field=jianfu.core.text.BoundedTextField(max_length=2000, verbose_name='意见建议'),
                ),
                migrations.AlterField(
                    model_name='participant',
                    name='opinion',
                    field=jianfu.core.text.BoundedTextField(blank=True, max_length=2000, verbose_name='发表的意见'),
                ),
                migrations.AlterField(
                    model_name='participant',
                    name='reply',
                    field=jianfu.core.text.BoundedTextField(blank=True, max_length=2000, verbose_name='书面回复'),
                ),
                migrations.AlterField(
                    model_name='topic',
                    name='announcement',
                    field=jianfu.core.text.BoundedTextField(blank=True, max_length=5000, verbose_name='协商情况通报'),
                ),
                migrations.AlterField(
                    model_name='topic',
                    name='background',
                    field=jianfu.core.text.BoundedTextField(blank=True, max_length=2000, verbose_name='议题说明'),
                ),
                migrations.AlterField(
                    model_name='topic',
                    name='late_reason',
                    field=jianfu.core.text.BoundedTextField(blank=True, max_length=1000, verbose_name='逾期说明'),
                ),
                migrations.AlterField(
                    model_name='topic',
                    name='minutes',
                    field=jianfu.core.text.BoundedTextField(blank=True, max_length=10000, verbose_name='协商纪要'),
                ),
                migrations.AlterField(
                    model_name='topic',
                    name='notice_text',
                    field=jianfu.core.text.BoundedTextField(blank=True, max_length=5000, verbose_name='协商公告'),
                ),
                migrations.AlterField(
                    model_name='topic',
                    name='plan_content',
                    field=jianfu.core.text.BoundedTextField(blank=True, max_length=2000, verbose_name='协商内容'),
                ),
                migrations.AlterField(
                    model_name='topic',
                    name='plan_participants',
                    field=jianfu.core.text.BoundedTextField(blank=True, max_length=1000, verbose_name='参与主体'),
                ),
                migrations.AlterField(
                    model_name='topic',
                    name='referral_note',
                    field=jianfu.core.text.BoundedTextField(blank=True, max_length=1000, verbose_name='提交村（居）民会议说明'),
                ),
                migrations.AlterField(
                    model_name='topicstep',
                    name='note',
                    field=jianfu.core.text.BoundedTextField(blank=True, max_length=3000, verbose_name='说明'),
                ),
            ],
        ),
    ]
