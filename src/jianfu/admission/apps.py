from django.apps import AppConfig


class AdmissionConfig(AppConfig):
    name = "jianfu.admission"
    verbose_name = "准入"

    def ready(self):
        from jianfu.core import registry

        from . import audit_labels, demo, selectors

        registry.register_audit_labels(audit_labels.ACTION_LABELS)
        registry.register_home_section("admission", selectors.home_summary)
        registry.register_home_tasks("admission", selectors.home_tasks)
        registry.register_demo_loader("admission", demo.load_demo_records, order=20)

        from . import cards, jobs, limits, precheck, verdicts

        cards.register()  # admitted items carry process cards written by their owner department

        limits.register()  # step limits are each region's own settings

        precheck.register()  # admitted items join the classifier's work mode
        verdicts.register()  # people's corrections replace the pre-check's and the decline's verdicts
        jobs.register()  # reminders of overdue and nearly due steps
