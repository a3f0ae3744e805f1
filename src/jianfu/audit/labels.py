"""Chinese names of audit actions, for the inspector's pages and the Excel export.

The floor names its own actions here; every other app registers its names from its AppConfig (core.registry).
"""

from jianfu.core import registry

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
    "role.capabilities_set": "调整角色权限",
    "role.capabilities_reset": "恢复角色默认权限",
    "region_setting.set": "调整区划设置",
    "api_token.create": "创建 API 令牌",
    "api_token.revoke": "吊销 API 令牌",
    "audit.purge": "清理过期审计记录",
    "audit.checkpoint": "导出审计链检查点",
    "audit.rekey": "审计链改用密钥重新计算",
    "partition.create": "新建按月分区",
    "partition.detach": "分离过期的按月分区",
    "calendar.set_day": "录入节假日安排",
    "calendar.announce_year": "标记节假日安排已公布",
}


def action_label(action: str) -> str:
    """The Chinese name of an action: the floor's own, else the one its app registered (core.registry)."""
    return ACTION_LABELS.get(action) or registry.AUDIT_LABELS.get(action, action)


def action_choices() -> list[tuple[str, str]]:
    """Every named action as (code, Chinese name), by name: the audit log's 操作 filter offers these."""
    labels = {**registry.AUDIT_LABELS, **ACTION_LABELS}
    return sorted(labels.items(), key=lambda pair: (pair[0].split(".")[0], pair[1]))
