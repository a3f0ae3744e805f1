from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "jianfu.monitoring"
    verbose_name = "减负监测"

    def ready(self):
        from . import verdicts

        verdicts.register()  # the inspector's corrections replace the events' automatic checks
