from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "jianfu.orgs"
    verbose_name = "组织与用户"

    def ready(self):
        from jianfu.core import jobs

        jobs.register_operation("orgs.import", label="导入组织架构", func="jianfu.orgs.work.import_file")
        jobs.register_operation("orgs.export", label="导出组织架构", func="jianfu.orgs.work.export_file")
