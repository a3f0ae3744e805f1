"""Free texts get their limits (``core.text.BoundedTextField``).

The column stays ``text``: the limit is checked by Django, so only the state changes and no table is rebuilt.
"""

import jianfu.core.text
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('campaign', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='campaignphase',
                    name='note',
                    field=jianfu.core.text.BoundedTextField(blank=True, max_length=2000, verbose_name='工作要求'),
                ),
                migrations.AlterField(
                    model_name='jointmeeting',
                    name='agenda',
                    field=jianfu.core.text.BoundedTextField(max_length=2000, verbose_name='议程'),
                ),
                migrations.AlterField(
                    model_name='jointmeeting',
                    name='attendee_names',
                    field=jianfu.core.text.BoundedTextField(blank=True, max_length=2000, verbose_name='参会人员'),
                ),
                migrations.AlterField(
                    model_name='jointmeeting',
                    name='minutes',
                    field=jianfu.core.text.BoundedTextField(blank=True, max_length=10000, verbose_name='会议纪要'),
                ),
                migrations.AlterField(
                    model_name='meetingdecision',
                    name='content',
                    field=jianfu.core.text.BoundedTextField(max_length=2000, verbose_name='议定事项'),
                ),
                migrations.AlterField(
                    model_name='progressreport',
                    name='next_steps',
                    field=jianfu.core.text.BoundedTextField(blank=True, max_length=2000, verbose_name='下步打算'),
                ),
                migrations.AlterField(
                    model_name='progressreport',
                    name='problems',
                    field=jianfu.core.text.BoundedTextField(blank=True, max_length=2000, verbose_name='存在问题'),
                ),
                migrations.AlterField(
                    model_name='progressreport',
                    name='summary',
                    field=jianfu.core.text.BoundedTextField(max_length=2000, verbose_name='工作进展'),
                ),
                migrations.AlterField(
                    model_name='surveyanswer',
                    name='comment',
                    field=jianfu.core.text.BoundedTextField(blank=True, max_length=1000, verbose_name='意见建议'),
                ),
                migrations.AlterField(
                    model_name='task',
                    name='measures',
                    field=jianfu.core.text.BoundedTextField(max_length=2000, verbose_name='推进措施'),
                ),
            ],
        ),
    ]
