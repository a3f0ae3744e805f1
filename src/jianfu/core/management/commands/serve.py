import os
import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "用 gunicorn 启动平台（默认 127.0.0.1:8000）。"

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("JIANFU_BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("JIANFU_WORKERS", 2)))

    def handle(self, *args, **options):
        self.stdout.write(f"减负平台已启动：http://{options['bind']}/  （Ctrl+C 停止）", ending="\n")
        self.stdout.flush()
        argv = [sys.executable, "-m", "gunicorn", "jianfu.wsgi:application", "--bind", options["bind"],
                "--workers", str(options["workers"]), "--threads", "4", "--access-logfile", "-"]  # fmt: skip
        os.execv(sys.executable, argv)
