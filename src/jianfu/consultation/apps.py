from django.apps import AppConfig


class ConsultationConfig(AppConfig):
    name = "jianfu.consultation"
    verbose_name = "协商议事"
