from django.apps import AppConfig


class ConsultationConfig(AppConfig):
    name = "jianfu.consultation"
    verbose_name = "协商议事"

    def ready(self):
        from jianfu.core import registry

        from . import audit_labels, demo, selectors

        registry.register_audit_labels(audit_labels.ACTION_LABELS)
        registry.register_home_card("consultation", selectors.home_card)
        registry.register_demo_loader("consultation", demo.load_demo_records, order=60)
