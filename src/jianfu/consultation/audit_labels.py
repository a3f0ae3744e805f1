"""Chinese names of the audit actions this app records (merged into jianfu.audit.labels)."""

ACTION_LABELS: dict[str, str] = {}
