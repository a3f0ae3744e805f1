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
        from jianfu.orgs.region_settings import register_setting

        register_setting(
            "grid.retention_months",
            label="网格事件保存月数",
            default=60,
            kind="int",
            unit="个月",
            minimum=24,
            maximum=240,
            group="网格化服务管理",
            help="按上报月份计。超过保存期、且该月事件均已结案的月份，由每月的分区任务整月分离（仅 PostgreSQL），"
            "归档后删除；各省取其设置中最长者。默认五年（村（社区）两委一届），不少于两年。",
        )
        from jianfu.core import partitions

        from . import retention

        partitions.register_table(
            "grid_gridevent",
            column="reported_at",
            label="网格事件",
            retention_months=retention.retention_months,
            guard=retention.events_closed,
            children=(("grid_eventstep", "event_id"),),
        )
