from django.apps import AppConfig


class FormsConfig(AppConfig):
    name = "jianfu.forms"
    verbose_name = "一张表"

    def ready(self):
        from jianfu.core import registry

        from . import audit_labels, demo, notify, selectors

        registry.register_audit_labels(audit_labels.ACTION_LABELS)
        registry.register_home_card("forms", selectors.home_card)
        registry.register_home_tasks("forms", selectors.home_tasks)
        registry.register_demo_loader("forms", demo.load_demo_records, order=30)
        notify.register_settings()
        from .services import quality

        quality.register_settings()

        from jianfu.core import jobs

        # Daily, not monthly: a form approved or a township's schedule changed mid-month opens by the next morning;
        # opening is idempotent, so the extra runs open nothing new.
        jobs.register_job(
            "forms.open_periods",
            label="按填报表格清单开放填报周期",
            func="jianfu.forms.services.schedules.open_periods",
            schedule="daily 00:10",
        )
        jobs.register_job(
            "forms.remind_due",
            label="填报任务到期和逾期提醒",
            func="jianfu.forms.notify.remind_due",
            schedule="daily 08:30",
        )
        jobs.register_operation(
            "forms.import_values", label="导入基础数据", func="jianfu.forms.work.import_values"
        )
