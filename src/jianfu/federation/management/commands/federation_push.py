"""Province side: build, sign and push one month's rollup to the national instance."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from jianfu.federation import services, signing


def month_arg(text: str) -> date:
    try:
        return date.fromisoformat(f"{text}-01")
    except ValueError as exc:
        raise CommandError(f"月份「{text}」应写成 2026-11 这样的年-月。") from exc


class Command(BaseCommand):
    help = "生成、签名并向国家平台报送本省某月的减负监测汇总（同一内容重复报送不会重复计入）"

    def add_arguments(self, parser):
        parser.add_argument("--month", required=True, help="年-月，如 2026-11")
        parser.add_argument("--to", default="", help="国家平台地址（默认 JIANFU_FEDERATION_NATIONAL_URL）")
        parser.add_argument("--correction", default="", help="更正原因：已报送的月份数字有变化时必须写明")
        parser.add_argument("--dry-run", action="store_true", help="只生成并显示，不发送")

    def handle(self, *args, month, to, correction, dry_run, **options):
        url = to or settings.FEDERATION_NATIONAL_URL
        if not url and not dry_run:
            raise CommandError("未指定国家平台地址：请用 --to 或设置 JIANFU_FEDERATION_NATIONAL_URL。")
        try:
            outgoing = services.outgoing_prepare(month=month_arg(month), reason=correction)
            self.stdout.write(
                f"{month} 第 {outgoing.revision} 版：{len(outgoing.payload['cells'])} 个汇总格，摘要 {outgoing.digest[:16]}…"
            )
            if dry_run:
                return
            answer = services.outgoing_push(
                outgoing=outgoing, url=url, private_key=signing.load_private_key()
            )
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        self.stdout.write(answer)
