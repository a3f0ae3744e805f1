"""Rebuild the reporting-rate rollup from the tasks (the services keep it current; run this after tasks were
written around them, or to check it):

jianfu forms_rollup
"""

from django.core.management.base import BaseCommand

from jianfu.forms.services import rollup


class Command(BaseCommand):
    help = "从填报任务重建报送情况汇总（报送率、及时率的数据源）"

    def handle(self, *args, **options):
        self.stdout.write(f"报送情况汇总已重建：{rollup.rebuild()} 行")
