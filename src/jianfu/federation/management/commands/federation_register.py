"""National side: register (or re-key) a province's deployment from the command line (the system acts)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from jianfu.federation import services
from jianfu.orgs.models import Region


class Command(BaseCommand):
    help = "国家平台：登记省级部署及其签名公钥（由该省 federation_keygen 生成）"

    def add_arguments(self, parser):
        parser.add_argument("province_code", help="省级区划代码，如 430000000000")
        parser.add_argument("public_key", help="该省的 Ed25519 公钥（Base64）")

    def handle(self, *args, province_code, public_key, **options):
        region = Region.objects.filter(code=province_code).first()
        if region is None:
            raise CommandError(f"没有区划代码为「{province_code}」的区划，请先导入各省区划。")
        try:
            services.peer_register(actor=None, region=region, public_key=public_key)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        self.stdout.write(f"已登记{region.name}的省级部署。")
