from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "jianfu.supervision"
    verbose_name = "督查检查与机制牌子"

    def ready(self):
        from jianfu.core import registry

        from . import audit_labels, demo, rules, selectors

        rules.register()  # the weekly limit of inspections a village receives, per county

        registry.register_audit_labels(audit_labels.ACTION_LABELS)
        registry.register_home_card("supervision", selectors.home_card)
        registry.register_home_tasks("supervision", selectors.home_tasks)
        registry.register_demo_loader("supervision", demo.load_demo_records, order=40)
