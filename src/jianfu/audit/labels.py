"""Chinese names of audit actions, for the inspector's pages and the Excel export."""

ACTION_LABELS = {
    "auth.login": "登录成功",
    "auth.login_failed": "登录失败",
    "auth.lockout": "账号锁定",
    "auth.login_locked": "锁定期间尝试登录",
    "auth.password_failed": "修改密码时当前密码错误",
    "auth.password_locked": "锁定期间尝试修改密码",
    "auth.logout": "退出登录",
    "region.create": "新增区划",
    "region.update": "修改区划",
    "region.retire": "撤销区划",
    "region.activate": "恢复区划",
    "region.import": "导入区划",
    "department.create": "新增部门",
    "department.update": "修改部门",
    "department.retire": "撤销部门",
    "department.activate": "恢复部门",
    "department.import": "导入部门",
    "user.create": "新增用户",
    "user.update": "修改用户",
    "user.activate": "启用账号",
    "user.deactivate": "停用账号",
    "user.set_password": "设置密码",
    "user.unlock": "解锁账号",
    "user.import": "导入用户",
    "role.grant": "授予角色",
    "role.revoke": "撤销角色",
    "api_token.create": "创建 API 令牌",
    "api_token.revoke": "吊销 API 令牌",
    "audit.purge": "清理过期审计记录",
    "audit.checkpoint": "导出审计链检查点",
    "audit.rekey": "审计链改用密钥重新计算",
    "calendar.set_day": "录入节假日安排",
    "calendar.announce_year": "标记节假日安排已公布",
    "worklist.start_draft": "新建清单草稿",
    "worklist.update_draft": "修改清单草稿",
    "worklist.import_items": "导入清单事项",
    "worklist.publish": "发布清单",
    "worklist.retire": "废止清单",
    "worklist.discard_draft": "删除清单草稿",
    "worklist.load_reference": "载入参考清单",
    "listitem.create": "新增清单事项",
    "listitem.update": "修改清单事项",
    "listitem.remove": "删除清单事项",
    "admission.create": "新建准入申请",
    "admission.update": "修改准入申请",
    "admission.attach": "上传申请附件",
    "admission.submit": "提交准入申请",
    "admission.withdraw": "撤回准入申请",
    "admission.review_simple": "初审：适用简易程序",
    "admission.review_ordinary": "初审：适用普通程序",
    "admission.review_urgent": "初审：报县委副书记批准",
    "admission.return": "退回修改",
    "admission.coordinate": "记录沟通协调",
    "admission.meeting": "记录成员单位会议",
    "admission.opinion": "出具审核意见",
    "admission.meeting_concluded": "会议审议完毕提请核准",
    "admission.approve": "核准准入",
    "admission.reject": "不予准入",
    "admission.notice": "下发工作告知单并备案",
    "admission.acknowledge": "签收工作告知单",
    "admission.item_end": "报备完结或退出",
    "admission.decline": "拒绝执行未经准入的工作",
    "admission.decline_corrected": "人工研判更正拒绝执行回执的核验结论",
    "admission.precheck_corrected": "人工研判更正准入申请的清单预检结论",
    "catalog.review_request": "提请人工研判比对结论",
    "catalog.verdict_correct": "人工研判确认或更正比对结论",
    "monitoring.event_corrected": "人工研判更正负担事件的核验结论",
    "admission.step_limits": "调整准入环节办理时限",
    "certificate.issue": "出具证明",
    "certificate.refuse": "登记不予出具",
    "certificate.commit": "登记告知承诺",
    "certificate.revoke": "作废证明或承诺书",
    "certificate.view_id": "查看完整身份证号码",
    "certificate_type.create": "新增证明事项模板",
    "certificate_type.update": "修改证明事项模板",
}


# Later apps keep their own names in ``jianfu/<app>/audit_labels.py``, so each app's actions live beside its code.
LABELLED_APPS = (
    "forms",
    "supervision",
    "monitoring",
    "campaign",
    "consultation",
    "grid",
    "jobs",
    "notifications",
)


def _merge_app_labels() -> None:
    import importlib

    for app in LABELLED_APPS:
        names = importlib.import_module(f"jianfu.{app}.audit_labels").ACTION_LABELS
        clash = set(names) & set(ACTION_LABELS)
        assert not clash, f"jianfu/{app}/audit_labels.py repeats {sorted(clash)}"
        ACTION_LABELS.update(names)


_merge_app_labels()


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)
