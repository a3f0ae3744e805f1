from django.apps import AppConfig


class FormsConfig(AppConfig):
    name = "jianfu.forms"
    verbose_name = "一张表"
