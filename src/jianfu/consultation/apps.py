from django.apps import AppConfig


class ConsultationConfig(AppConfig):
    name = "jianfu.consultation"
    verbose_name = "协商议事"

    def ready(self):
        from jianfu.core import registry
        from jianfu.orgs.region_settings import register_setting

        from . import audit_labels, demo, selectors
        from .selectors import ANSWER_DAYS

        registry.register_audit_labels(audit_labels.ACTION_LABELS)
        registry.register_home_card("consultation", selectors.home_card)
        registry.register_home_tasks("consultation", selectors.home_tasks)
        registry.register_demo_loader("consultation", demo.load_demo_records, order=60)
        register_setting(
            ANSWER_DAYS,
            label="群众意见答复时限",
            default=15,
            kind="int",
            unit=" 个工作日",
            minimum=1,
            maximum=60,
            group="协商议事",
            help="居民写来的意见，村（社区）在此期限内直接答复或纳入协商议题；居民查询办理情况时看到预计日期。",
        )
