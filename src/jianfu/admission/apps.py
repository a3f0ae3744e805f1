from django.apps import AppConfig


class AdmissionConfig(AppConfig):
    name = "jianfu.admission"
    verbose_name = "准入"
