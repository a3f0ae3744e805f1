from django.apps import AppConfig


class GridConfig(AppConfig):
    name = "jianfu.grid"
    verbose_name = "网格化服务管理"
