"""Chinese names of the audit actions this app records (merged into jianfu.audit.labels)."""

ACTION_LABELS: dict[str, str] = {
    "forms.indicator_save": "保存基础指标",
    "forms.indicator_merge": "合并重复指标",
    "forms.rule_save": "保存校验规则",
    "forms.value_enter": "录入基础数据",
    "forms.value_correct": "更正基础数据",
    "forms.values_import": "导入基础数据",
    "forms.period_lock": "审核锁定统计期",
    "forms.form_register": "登记部门报表",
    "forms.forms_import": "导入部门报表",
    "forms.field_map": "对应报表栏目与基础指标",
    "forms.form_submit": "提交报表审定",
    "forms.form_approve": "报表列入年度填报表格清单",
    "forms.form_reject": "报表不予列入清单",
    "forms.form_merge": "报表合并",
    "forms.form_issue": "下发报表",
    "forms.task_submit": "村（社区）报送报表",
    "forms.list_rules_save": "设置填报表格清单规则",
    "forms.channel_register": "登记工作群（APP）",
    "forms.channel_status": "处理工作群（APP）",
}
