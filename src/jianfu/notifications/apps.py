from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "jianfu.notifications"
    verbose_name = "消息"

    def ready(self):
        from jianfu.core import registry

        from . import audit_labels

        registry.register_audit_labels(audit_labels.ACTION_LABELS)

        from jianfu.core import jobs

        from . import receivers

        jobs.register_job(
            "notifications.digest",
            label="发送每日消息汇总",
            func="jianfu.notifications.delivery.send_digests",
            schedule="daily 17:30",
        )
        jobs.register_job(
            "notifications.sweep",
            label="重发中断的消息",
            func="jianfu.notifications.delivery.sweep",
            schedule="every 10",
        )
        jobs.job_failed.connect(receivers.tell_administrators, dispatch_uid="jianfu_job_failed_notify")
