from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "jianfu.jobs"
    verbose_name = "后台作业"

    def ready(self):
        from jianfu.core import registry

        from . import audit_labels

        registry.register_audit_labels(audit_labels.ACTION_LABELS)

        from jianfu.core import jobs as core_jobs

        from . import operations

        core_jobs.set_starter(operations.work_start)

        from jianfu.core import jobs

        jobs.register_job(
            "jobs.prune",
            label="清理过期的后台作业记录和文件",
            func="jianfu.jobs.housekeeping.prune",
            schedule="daily 04:10",
        )
        jobs.register_job(
            "jobs.sweep", label="找回中断的作业", func="jianfu.jobs.scheduler.sweep", schedule="every 10"
        )
