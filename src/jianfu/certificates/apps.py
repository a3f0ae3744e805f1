from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "jianfu.certificates"
    verbose_name = "证明事项"

    def ready(self):
        from . import checks  # noqa: F401  registers the deploy check on JIANFU_SITE_URL
