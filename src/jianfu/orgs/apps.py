from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "jianfu.orgs"
    verbose_name = "组织与用户"
