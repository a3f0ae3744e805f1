"""Escalate grid events past their handling deadline (run from cron, e.g. every hour):

jianfu grid_escalate
"""

from django.core.management.base import BaseCommand

from jianfu.grid.services.events import escalate_overdue


class Command(BaseCommand):
    help = "超期未反馈的网格事件逐级督办（每件每天至多一次），供 cron 定时运行"

    def handle(self, *args, **options):
        count = escalate_overdue()
        self.stdout.write(f"已督办 {count} 件超期网格事件")
