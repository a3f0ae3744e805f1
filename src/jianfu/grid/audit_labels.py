"""Chinese names of the audit actions this app records (merged into jianfu.audit.labels)."""

ACTION_LABELS: dict[str, str] = {
    "grid.class_save": "维护网格事件分类",
    "grid.grid_save": "划分（调整）网格",
    "grid.event_report": "上报网格事件",
    "grid.event_dispatch": "派遣网格事件",
    "grid.event_accept": "受理网格事件",
    "grid.event_return": "退回网格事件至指挥中心",
    "grid.event_feedback": "反馈网格事件处置结果",
    "grid.event_verify": "核查网格事件",
    "grid.event_follow": "跟进疑似重复的网格事件",
    "grid.event_rate": "群众评价网格事件",
    "grid.event_escalate": "网格事件超期督办",
}
