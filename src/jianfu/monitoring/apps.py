from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "jianfu.monitoring"
    verbose_name = "减负监测"
