from django.apps import AppConfig


class FederationConfig(AppConfig):
    name = "jianfu.federation"
    verbose_name = "全国汇总（各省报送）"

    def ready(self):
        from jianfu.core import registry

        from . import audit_labels, selectors

        registry.register_audit_labels(audit_labels.ACTION_LABELS)
        registry.register_home_card("federation", selectors.home_card)
