from django.core.management.base import BaseCommand, CommandError

from jianfu.core.backup import BackupError, backup


class Command(BaseCommand):
    help = "备份为一个归档：数据库（SQLite 在线备份并做完整性检查；PostgreSQL 用 pg_dump）和全部上传文件，附 SHA-256 清单。"

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        try:
            info = backup(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"已备份到 {path}（{info}）")
