import os
import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "用 gunicorn 启动平台（默认 127.0.0.1:8000），并在旁边启动后台工作进程；两者一起停止。"

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("JIANFU_BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("JIANFU_WORKERS", 2)))
        parser.add_argument(
            "--no-worker", action="store_true", help="不启动后台工作进程（另行运行 jianfu worker）"
        )

    def handle(self, *args, **options):
        web = [
            sys.executable,
            "-m",
            "gunicorn",
            "jianfu.wsgi:application",
            "--bind",
            options["bind"],
            "--workers",
            str(options["workers"]),
            "--threads",
            "4",
            "--access-logfile",
            "-",
        ]
        if options["no_worker"]:
            self._announce(options["bind"], worker=False)
            os.execv(sys.executable, web)
        children = [subprocess.Popen(web), subprocess.Popen([sys.executable, "-m", "jianfu.cli", "worker"])]
        self._announce(options["bind"], worker=True)
        stopping = []

        def stop(signum, frame):
            stopping.append(signum)

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        # Both stop together: a signal stops both, and either one ending stops the other.
        while not stopping and all(child.poll() is None for child in children):
            time.sleep(0.5)
        for child in children:
            if child.poll() is None:
                child.terminate()
        for child in children:
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()
        failed = [c.returncode for c in children if c.returncode not in (0, -signal.SIGTERM, -signal.SIGINT)]
        if failed and not stopping:
            sys.exit(1)

    def _announce(self, bind: str, *, worker: bool) -> None:
        extra = "，后台工作进程同时运行" if worker else ""
        self.stdout.write(f"减负平台已启动：http://{bind}/{extra}（Ctrl+C 停止）", ending="\n")
        self.stdout.flush()
