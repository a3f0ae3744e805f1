from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "jianfu.certificates"
    verbose_name = "证明事项"
