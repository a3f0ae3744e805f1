from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "jianfu.audit"
    verbose_name = "审计日志"
