"""Chinese names of the audit actions this app records (merged into jianfu.audit.labels)."""

ACTION_LABELS: dict[str, str] = {
    "jobs.run_now": "手动运行定时作业",
    "jobs.work_start": "提交后台任务",
}
