from django.core.management.base import BaseCommand, CommandError

from jianfu.core.backup import BackupError, backup_database


class Command(BaseCommand):
    help = "在线备份数据库：SQLite 用 backup API 并做完整性检查；PostgreSQL 用 pg_dump。"

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        try:
            info = backup_database(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"已备份到 {path}（{info}）")
