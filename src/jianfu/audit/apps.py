from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "jianfu.audit"
    verbose_name = "审计日志"

    def ready(self):
        from jianfu.core import jobs

        jobs.register_job(
            "audit.purge",
            label="清理超过保存期的审计记录",
            func="jianfu.audit.services.audit_purge",
            schedule="daily 03:30",
            summary="清理 {} 条",
        )
        from jianfu.core import partitions

        from . import retention

        partitions.register_table(
            "audit_auditrecord",
            column="created_at",
            label="审计记录",
            retention_months=retention.retention_months,
            guard=retention.covered_by_checkpoint,
            after_detach=retention.move_anchor,
        )
