from django.core.management.base import BaseCommand, CommandError

from jianfu.core import partitions

BY = "命令行"


class Command(BaseCommand):
    help = (
        "按月分区（仅 PostgreSQL）：不带参数列出各分区表的月份和默认分区行数；--run 做每月任务（建后三个月的"
        "分区、报告默认分区、分离过期月份）；--create YYYY-MM 建某月分区（默认分区里该月的记录移入）；"
        "--detach-expired 分离过期月份（并补完上次中断的分离）。每次改动都记入审计日志。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--run", action="store_true")
        parser.add_argument("--create", metavar="YYYY-MM")
        parser.add_argument("--detach-expired", action="store_true")
        parser.add_argument("--table", help="只处理这张表（默认：全部分区表）")

    def handle(self, *args, run, create, detach_expired, table, **options):
        if not partitions.enabled():
            raise CommandError("当前数据库不是 PostgreSQL：SQLite 不分区，无需处理。")
        specs = [s for s in partitions.TABLES.values() if table in (None, s.table)]
        if not specs:
            raise CommandError(f"没有名为“{table}”的分区表：{'、'.join(partitions.TABLES)}")
        if run:
            self.stdout.write(partitions.maintain(by=BY))
        for spec in specs:
            if create:
                self._create(spec, create)
            if detach_expired:
                finished = partitions.finish_detached(spec, by=BY)
                done, held = partitions.detach_expired(spec, by=BY)
                self.stdout.write(f"{spec.label}：分离 {len(done)} 个月份{('；' + held) if held else ''}")
                if finished:
                    self.stdout.write(f"{spec.label}：补完 {len(finished)} 个上次中断的分离")
            self._show(spec)

    def _create(self, spec, text):
        try:
            month = partitions.parse_month(text)
        except ValueError as exc:
            raise CommandError(f"--create：{exc}") from exc
        made = [month] if partitions.create_month(spec.table, spec.column, month) else []
        partitions.record_created(spec, made, BY)
        self.stdout.write(f"{spec.label}：{month:%Y-%m} 分区{'已新建' if made else '已存在'}")

    def _show(self, spec):
        months = partitions.months(spec.table)
        span = f"{months[0]:%Y-%m} 至 {months[-1]:%Y-%m}，共 {len(months)} 个月" if months else "没有月份分区"
        self.stdout.write(
            f"{spec.label}（{spec.table}）：{span}；默认分区 {partitions.default_rows(spec.table)} 条"
        )
