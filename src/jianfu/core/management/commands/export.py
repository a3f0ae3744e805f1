from django.core.management.base import BaseCommand

from jianfu.orgs.imports import export_workbook
from jianfu.orgs.models import Department, Region, User


class Command(BaseCommand):
    help = "导出区划、部门或用户为 Excel：jianfu export regions FILE.xlsx"

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["regions", "departments", "users"])
        parser.add_argument("path")

    def handle(self, *args, kind, path, **options):
        source = {
            "regions": Region.objects.order_by("code"),
            "departments": Department.objects.all(),
            "users": User.objects.all(),
        }[kind]
        export_workbook(kind, source).save(path)
        self.stdout.write(f"已导出到 {path}")
