"""Chinese names of the audit actions this app records (merged into jianfu.audit.labels)."""

ACTION_LABELS: dict[str, str] = {
    "supervision.plan_create": "新建督查检查考核计划",
    "supervision.item_add": "添加计划事项",
    "supervision.item_remove": "删除计划事项",
    "supervision.plan_submitted": "报送督查检查考核计划",
    "supervision.plan_approved": "批准督查检查考核计划",
    "supervision.supplement_submit": "报送督查检查考核计划补充",
    "supervision.supplement_approved": "批准督查检查考核计划补充",
    "supervision.supplement_refused": "不予批准督查检查考核计划补充",
    "supervision.plan_returned": "退回督查检查考核计划",
    "supervision.visit_record": "登记到村督查检查",
    "supervision.placard_register": "登记牌子或上墙制度",
    "supervision.placard_remove": "摘除牌子或上墙制度",
    "supervision.mechanism_register": "登记村级工作机制",
    "supervision.mechanism_remove": "撤销村级工作机制",
    "supervision.standard_save": "修改牌子标准",
}
