"""Open the reporting periods the annual form list schedules (the job ``forms.open_periods`` runs it daily):

jianfu forms_open_periods [--on 2026-04-01]
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from jianfu.forms.services import periods_open


class Command(BaseCommand):
    help = "按年度填报表格清单开放已开始且未过截止日的填报周期（可重复运行，不会重复开放）"

    def add_arguments(self, parser):
        parser.add_argument("--on", help="按哪一天开放（默认今天），如 2026-04-01")

    def handle(self, *args, **options):
        try:
            on = date.fromisoformat(options["on"]) if options["on"] else None
        except ValueError:
            raise CommandError("--on 应写作 2026-04-01") from None
        result = periods_open(on=on)
        self.stdout.write(f"开放 {result['periods']} 期，新建填报任务 {result['tasks']} 个")
