from django.core.management.base import BaseCommand

from jianfu.admission.services.filing import send_reminders


class Command(BaseCommand):
    help = (
        "提醒逾期未办结的准入审核环节（审核委员会办公室和申请单位各一次）。建议每个工作日早上由 cron 运行。"
    )

    def handle(self, *args, **options):
        created = send_reminders()
        self.stdout.write(f"新增逾期提醒 {created} 条。")
