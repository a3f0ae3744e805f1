"""Rebuild the dashboards' monthly rollup from the events and re-check what could not be decided."""

from django.core.management.base import BaseCommand

from jianfu.monitoring import services
from jianfu.monitoring.services import rollup


class Command(BaseCommand):
    help = "重建减负监测月度汇总（可选：先重新核验“未能判定”的事件）"

    def add_arguments(self, parser):
        parser.add_argument("--recheck", action="store_true", help="先重新核验“未能判定”的事件")
        parser.add_argument("--limit", type=int, default=10000)

    def handle(self, *args, recheck=False, limit=10000, **options):
        if recheck:
            counts = services.recheck_undecided(limit=limit)
            self.stdout.write(
                f"重新核验：合规 {counts['ok']}，违规 {counts['violation']}，仍未能判定 {counts['undecided']}"
            )
        self.stdout.write(f"月度汇总已重建：{rollup.rebuild()} 行")
