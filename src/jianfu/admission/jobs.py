"""Admission's scheduled jobs, registered with core.jobs from AdmissionConfig.ready()."""

from jianfu.core import jobs


def register() -> None:
    jobs.register_job(
        "admission.remind",
        label="准入环节逾期提醒",
        func="jianfu.admission.notify.remind_overdue",
        schedule="daily 08:00",
    )
    jobs.register_job(
        "admission.due_soon",
        label="准入环节到期前提醒",
        func="jianfu.admission.notify.remind_due_soon",
        schedule="daily 08:05",
    )
