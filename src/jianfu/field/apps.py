from django.apps import AppConfig


class FieldConfig(AppConfig):
    name = "jianfu.field"
    verbose_name = "外勤离线填报"
