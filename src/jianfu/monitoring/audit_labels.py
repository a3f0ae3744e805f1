"""Chinese names of the audit actions this app records (merged into jianfu.audit.labels)."""

ACTION_LABELS: dict[str, str] = {
    "monitoring.event_corrected": "人工研判更正负担事件的核验结论",
    "monitoring.point_designate": "设立减负监测点",
    "monitoring.monitor_assign": "指定监测员",
    "monitoring.monitor_unassign": "调整监测员",
    "monitoring.event_record": "记录负担事件",
    "monitoring.clue_report": "反映问题线索",
    "monitoring.clue_review": "受理问题线索",
    "monitoring.event_recheck": "重新核验负担事件",
    "monitoring.bulletin_draft": "起草通报",
    "monitoring.bulletin_publish": "发布通报",
    "monitoring.entry_rectify": "报告整改情况",
    "monitoring.entry_confirm": "确认整改",
    "monitoring.entry_reopen": "退回重新整改",
}
