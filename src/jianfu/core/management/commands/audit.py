from django.core.management.base import BaseCommand, CommandError

from jianfu.audit.services import audit_purge, audit_verify


class Command(BaseCommand):
    help = "审计日志：verify 核验哈希链；purge 清理超过保存期（至少 184 天）的记录。"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify", "purge"])

    def handle(self, *args, action, **options):
        if action == "purge":
            self.stdout.write(f"已清理 {audit_purge()} 条过期审计记录。")
            return
        result = audit_verify()
        if not result.ok:
            raise CommandError(
                f"审计链被破坏：第一条异常记录 #{result.first_broken_seq}：{result.reason}（此前 {result.checked} 条正常）"
            )
        self.stdout.write(f"审计链完整：{result.checked} 条记录全部核验一致。")
