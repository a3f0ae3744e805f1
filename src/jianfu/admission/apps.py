from django.apps import AppConfig


class AdmissionConfig(AppConfig):
    name = "jianfu.admission"
    verbose_name = "准入"

    def ready(self):
        from . import jobs, precheck, verdicts

        precheck.register()  # admitted items join the classifier's work mode
        verdicts.register()  # people's corrections replace the pre-check's and the decline's verdicts
        jobs.register()  # reminders of overdue and nearly due steps
