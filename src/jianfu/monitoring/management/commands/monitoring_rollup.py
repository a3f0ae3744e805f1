"""Rebuild the dashboards' monthly rollup from the events (all months, one month, or one region's part of a
month) and re-check what could not be decided."""

import re
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from jianfu.monitoring import services
from jianfu.monitoring.services import rollup


class Command(BaseCommand):
    help = "重建减负监测月度汇总（可只重算一个月、一个区划；可先重新核验“未能判定”的事件）"

    def add_arguments(self, parser):
        parser.add_argument("--recheck", action="store_true", help="先重新核验“未能判定”的事件")
        parser.add_argument("--limit", type=int, default=10000)
        parser.add_argument(
            "--month", default="", help="只重算这个月，如 2026-11（逐县重算，每个县一个短事务）"
        )
        parser.add_argument("--region", default="", help="只重算这个区划（省、市、县或乡镇的 12 位代码）")

    def handle(self, *args, recheck=False, limit=10000, month="", region="", **options):
        if recheck:
            counts = services.recheck_undecided(limit=limit)
            self.stdout.write(
                f"重新核验：合规 {counts['ok']}，违规 {counts['violation']}，仍未能判定 {counts['undecided']}"
            )
        if region and not month:
            raise CommandError("按区划重算时须同时写明月份（--month，如 2026-11）。")
        if not month:
            self.stdout.write(f"月度汇总已重建：{rollup.rebuild()} 行")
            return
        first = _month(month)
        try:
            cells = rollup.rebuild_month(first, region or None)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        where = f"区划 {region} " if region else ""
        self.stdout.write(f"{first:%Y年%m月}{where}的汇总已重算：{cells} 行")


def _month(text: str) -> date:
    found = re.fullmatch(r"(\d{4})-(\d{1,2})", text.strip())
    if not found or not 1 <= int(found[2]) <= 12:
        raise CommandError(f"月份「{text[:20]}」的格式不对：请写成 2026-11 这样的年-月。")
    return date(int(found[1]), int(found[2]), 1)
