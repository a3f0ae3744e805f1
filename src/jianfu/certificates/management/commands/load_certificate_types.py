from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from jianfu.certificates.reference import TYPES_FILE, load_certificate_types


class Command(BaseCommand):
    help = "载入证明事项模板（data/certificates/types.yaml）；已有的模板保持不变，可重复运行。"

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(TYPES_FILE), help="模板文件（YAML）")

    def handle(self, *args, **options):
        try:
            created = load_certificate_types(Path(options["file"]))
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        for certificate_type in created:
            self.stdout.write(f"已载入：{certificate_type.region.name} {certificate_type}")
        self.stdout.write(f"新增模板 {len(created)} 个。")
