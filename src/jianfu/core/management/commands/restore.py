from django.core.management.base import BaseCommand, CommandError

from jianfu.core.backup import BackupError, restore


class Command(BaseCommand):
    help = "校验备份归档（清单中每个文件的 SHA-256）后恢复数据库和上传文件（覆盖当前的全部内容）。"

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--yes", action="store_true", help="确认覆盖当前数据库")

    def handle(self, *args, path, yes=False, **options):
        if not yes:
            raise CommandError("恢复会覆盖当前数据库和上传文件的全部内容；确认请加 --yes。")
        try:
            info = restore(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"已从 {path} 恢复（{info}）")
