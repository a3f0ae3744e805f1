from django.apps import AppConfig


class GridConfig(AppConfig):
    name = "jianfu.grid"
    verbose_name = "网格化服务管理"

    def ready(self):
        from jianfu.core import jobs

        jobs.register_job("grid.escalate", label="网格事件超期督办", func="jianfu.grid.workflow.escalate_overdue",
                          schedule="hourly 5", summary="督办 {} 件")  # fmt: skip
