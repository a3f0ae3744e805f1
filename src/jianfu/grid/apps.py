from django.apps import AppConfig


class GridConfig(AppConfig):
    name = "jianfu.grid"
    verbose_name = "网格化服务管理"

    def ready(self):
        from jianfu.core import registry

        from . import audit_labels, demo, selectors

        registry.register_audit_labels(audit_labels.ACTION_LABELS)
        registry.register_home_card("grid", selectors.home_card)
        registry.register_home_tasks("grid", selectors.home_tasks)
        registry.register_demo_loader("grid", demo.load_demo_records, order=70)

        from jianfu.core import jobs

        jobs.register_job(
            "grid.escalate",
            label="网格事件超期督办",
            func="jianfu.grid.services.events.escalate_overdue",
            schedule="hourly 5",
            summary="督办 {} 件",
        )
