from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "jianfu.supervision"
    verbose_name = "督查检查与机制牌子"
