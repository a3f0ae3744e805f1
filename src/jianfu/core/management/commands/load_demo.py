from django.core.management import call_command
from django.core.management.base import BaseCommand

from jianfu.core import registry
from jianfu.orgs.demo import load_demo


class Command(BaseCommand):
    help = "加载演示数据（区划、部门、演示账号）、参考清单和各模块的示例记录；重复运行不会产生变化。"

    def handle(self, *args, **options):
        for kind, result in load_demo().items():
            self.stdout.write(
                f"{kind}: 新增 {result.created}，更新 {result.updated}，未变 {result.unchanged}"
            )
        call_command("load_reference", stdout=self.stdout)
        for _app, load_records in registry.demo_loaders():  # each app registers its own (AppConfig.ready)
            self.stdout.write(load_records())
