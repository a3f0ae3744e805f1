"""Free texts get their limits (``core.text.BoundedTextField``).

The column stays ``text``: the limit is checked by Django, so only the state changes and no table is rebuilt.
"""

import jianfu.core.text
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('admission', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='admitteditem',
                    name='content',
                    field=jianfu.core.text.BoundedTextField(max_length=2000, verbose_name='事项内容'),
                ),
                migrations.AlterField(
                    model_name='admitteditem',
                    name='end_reason',
                    field=jianfu.core.text.BoundedTextField(blank=True, max_length=1000, verbose_name='完结/退出说明'),
                ),
                migrations.AlterField(
                    model_name='application',
                    name='consultation_record',
                    field=jianfu.core.text.BoundedTextField(blank=True, help_text='与审核委员会办公室、乡镇的沟通情况', max_length=2000, verbose_name='事前沟通记录'),
                ),
                migrations.AlterField(
                    model_name='application',
                    name='decision_reason',
                    field=jianfu.core.text.BoundedTextField(blank=True, max_length=2000, verbose_name='决定理由'),
                ),
                migrations.AlterField(
                    model_name='application',
                    name='description',
                    field=jianfu.core.text.BoundedTextField(help_text='需要村（社区）做什么，写具体', max_length=2000, verbose_name='事项内容'),
                ),
                migrations.AlterField(
                    model_name='application',
                    name='materials',
                    field=jianfu.core.text.BoundedTextField(blank=True, max_length=1000, verbose_name='场地、物资保障'),
                ),
                migrations.AlterField(
                    model_name='application',
                    name='people',
                    field=jianfu.core.text.BoundedTextField(blank=True, help_text='部门派出或保障的人员', max_length=1000, verbose_name='落实人员'),
                ),
                migrations.AlterField(
                    model_name='application',
                    name='plan_division',
                    field=jianfu.core.text.BoundedTextField(blank=True, max_length=2000, verbose_name='职责分工'),
                ),
                migrations.AlterField(
                    model_name='application',
                    name='plan_milestones',
                    field=jianfu.core.text.BoundedTextField(blank=True, max_length=2000, verbose_name='时间节点'),
                ),
                migrations.AlterField(
                    model_name='application',
                    name='plan_process',
                    field=jianfu.core.text.BoundedTextField(blank=True, max_length=2000, verbose_name='操作流程'),
                ),
                migrations.AlterField(
                    model_name='application',
                    name='plan_requirements',
                    field=jianfu.core.text.BoundedTextField(blank=True, max_length=2000, verbose_name='工作要求'),
                ),
                migrations.AlterField(
                    model_name='application',
                    name='training',
                    field=jianfu.core.text.BoundedTextField(blank=True, max_length=1000, verbose_name='培训和指导'),
                ),
                migrations.AlterField(
                    model_name='application',
                    name='urgency_reason',
                    field=jianfu.core.text.BoundedTextField(blank=True, max_length=1000, verbose_name='紧急事由'),
                ),
                migrations.AlterField(
                    model_name='decline',
                    name='work_text',
                    field=jianfu.core.text.BoundedTextField(max_length=2000, verbose_name='交办的工作'),
                ),
                migrations.AlterField(
                    model_name='opinion',
                    name='text',
                    field=jianfu.core.text.BoundedTextField(blank=True, max_length=2000, verbose_name='具体意见'),
                ),
                migrations.AlterField(
                    model_name='reviewmeeting',
                    name='applicant_report',
                    field=jianfu.core.text.BoundedTextField(max_length=5000, verbose_name='申请主体专题汇报'),
                ),
                migrations.AlterField(
                    model_name='reviewmeeting',
                    name='minutes',
                    field=jianfu.core.text.BoundedTextField(blank=True, max_length=10000, verbose_name='会议纪要'),
                ),
                migrations.AlterField(
                    model_name='transition',
                    name='note',
                    field=jianfu.core.text.BoundedTextField(blank=True, max_length=3000, verbose_name='说明'),
                ),
            ],
        ),
    ]
