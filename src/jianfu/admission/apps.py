from django.apps import AppConfig


class AdmissionConfig(AppConfig):
    name = "jianfu.admission"
    verbose_name = "准入"

    def ready(self):
        from . import jobs, precheck

        precheck.register()  # admitted items join the classifier's work mode
        jobs.register()  # reminders of overdue and nearly due steps
