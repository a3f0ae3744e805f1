from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "jianfu.certificates"
    verbose_name = "证明事项"

    def ready(self):
        from jianfu.core import registry

        from . import audit_labels, demo, selectors

        registry.register_audit_labels(audit_labels.ACTION_LABELS)
        registry.register_home_section("certificates_home", selectors.home_section)
        registry.register_demo_loader("certificates", demo.load_demo_records, order=10)

        from . import checks  # noqa: F401  registers the deploy check on JIANFU_SITE_URL
