from django.apps import AppConfig


class CampaignConfig(AppConfig):
    name = "jianfu.campaign"
    verbose_name = "专项行动与考评"

    def ready(self):
        from jianfu.core import registry

        from . import audit_labels, demo, selectors

        registry.register_audit_labels(audit_labels.ACTION_LABELS)
        registry.register_home_card("campaign", selectors.home_card)
        registry.register_home_tasks("campaign", selectors.home_tasks)
        registry.register_demo_loader("campaign", demo.load_demo_records, order=50)

        from . import local_rules

        local_rules.register()  # weights, rules and staffing numbers are each county's settings
