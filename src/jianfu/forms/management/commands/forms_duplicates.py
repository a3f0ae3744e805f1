"""List groups of duplicate indicators (the same dedup code as the page and bench/bench_forms.py)."""

from django.core.management.base import BaseCommand

from jianfu.forms import dedup
from jianfu.forms.models import Indicator


class Command(BaseCommand):
    help = "列出疑似重复的基础指标组（名称归一化、按字二元组分块比对、并查集合并）。"

    def add_arguments(self, parser):
        parser.add_argument("--region", default="", help="只看该区划代码制定的指标")

    def handle(self, *args, region="", **options):
        rows = Indicator.objects.filter(is_active=True).select_related("region").order_by("code")
        if region:
            rows = rows.filter(region__code=region)
        rows = list(rows)
        groups = dedup.duplicate_groups([i.name for i in rows], [i.unit for i in rows])
        for n, group in enumerate(groups, 1):
            names = "；".join(f"{rows[i].code} {rows[i].name}（{rows[i].unit or '无单位'}）" for i in group)
            self.stdout.write(f"第 {n} 组：{names}")
        self.stdout.write(f"共 {len(groups)} 组，涉及 {sum(len(g) for g in groups)} 个指标。")
