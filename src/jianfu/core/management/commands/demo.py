from django.core.management import call_command
from django.core.management.base import BaseCommand

from jianfu.orgs.demo import DEMO_PASSWORD, demo_accounts


class Command(BaseCommand):
    help = "迁移数据库、加载演示数据，并在 127.0.0.1:8000 启动平台。"

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="只准备数据，不启动服务")
        parser.add_argument("--bind", default="127.0.0.1:8000")

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("load_demo")
        self.stdout.write(f"\n演示账号（密码均为 {DEMO_PASSWORD}）：")
        for row in demo_accounts():
            self.stdout.write(f"  {row['账号']:<14} {row['角色']:<16} {row['姓名']}")
        if not options["no_serve"]:
            call_command("serve", bind=options["bind"])
