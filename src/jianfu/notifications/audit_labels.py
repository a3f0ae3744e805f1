"""Chinese names of the audit actions this app records (merged into jianfu.audit.labels)."""

ACTION_LABELS: dict[str, str] = {
    "notifications.preference_update": "修改消息设置",
    "notifications.push_subscribe": "手机开启消息推送",
    "notifications.push_unsubscribe": "手机关闭消息推送",
}
