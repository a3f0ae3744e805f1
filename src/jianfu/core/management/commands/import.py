from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jianfu.orgs.imports import IMPORTERS, ImportRefused, run_import
from jianfu.orgs.models import User


class Command(BaseCommand):
    help = "从 Excel 导入区划、部门或用户：jianfu import regions FILE.xlsx [--as 账号]"

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(IMPORTERS))
        parser.add_argument("path")
        parser.add_argument(
            "--as", dest="username", help="以该用户身份导入（按其管辖范围检查）；默认以系统身份"
        )

    def handle(self, *args, kind, path, username=None, **options):
        actor = User.objects.get(username=username) if username else None
        try:
            with Path(path).open("rb") as handle:
                result = run_import(kind, actor=actor, fileobj=handle, filename=Path(path).name)
        except ImportRefused as refusal:
            raise CommandError("文件未导入：\n" + "\n".join(refusal.errors)) from refusal
        self.stdout.write(f"导入成功：新增 {result.created}，更新 {result.updated}，未变 {result.unchanged}")
