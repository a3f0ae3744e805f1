"""``jianfu worker``: runs background tasks and the scheduler.

With the database engine it runs django-tasks-db's worker loop; with Celery it starts a Celery worker. In both
a scheduler thread ticks every few seconds (claims due jobs; safe with several workers) and beats the heart
that /healthz reads. ``--once`` ticks, runs everything waiting and exits (for a cron-only host or a test).
"""

import os
import socket
import threading

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils import timezone
from django.utils.crypto import get_random_string

from jianfu.jobs import scheduler
from jianfu.jobs.models import WorkerHeartbeat

TICK_SECONDS = 15


def beat(worker_id: str, started_at) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "hostname": socket.gethostname()[:100],
            "pid": os.getpid(),
            "engine": settings.TASK_ENGINE,
            "started_at": started_at,
            "seen_at": timezone.now(),
        },
    )


def scheduler_loop(worker_id: str, stop: threading.Event, interval: float) -> None:
    started_at = timezone.now()
    while not stop.is_set():
        try:
            beat(worker_id, started_at)
            scheduler.tick(worker_id=worker_id)
        except Exception as exc:  # a database hiccup must not kill the clock; say so and try again
            print(f"调度出错：{type(exc).__name__}: {exc}", flush=True)
        finally:
            close_old_connections()
        stop.wait(interval)


class Command(BaseCommand):
    help = "运行后台任务和定时作业（数据库队列或 Celery，见 JIANFU_TASKS）。"

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="调度一次、运行完排队的任务后退出")
        parser.add_argument("--no-scheduler", action="store_true", help="只运行任务，不调度定时作业")
        parser.add_argument("--interval", type=float, default=1.0, help="队列为空时的轮询间隔（秒）")
        parser.add_argument("--concurrency", type=int, default=2, help="Celery 并发数")

    def handle(self, *args, once=False, no_scheduler=False, interval=1.0, concurrency=2, **options):
        worker_id = f"{socket.gethostname()[:40]}-{os.getpid()}-{get_random_string(6)}"
        if once:
            beat(worker_id, timezone.now())
            claimed = scheduler.tick(worker_id=worker_id)
            self.stdout.write(f"已调度 {len(claimed)} 个定时作业")
            self._run_database(worker_id, interval, batch=True)
            return
        stop = threading.Event()
        if not no_scheduler:
            thread = threading.Thread(
                target=scheduler_loop, args=(worker_id, stop, TICK_SECONDS), daemon=True
            )
            thread.start()
        self.stdout.write(f"后台工作进程已启动（{settings.TASK_ENGINE}，{worker_id}）", ending="\n")
        self.stdout.flush()
        try:
            if settings.TASK_ENGINE == "celery":
                self._run_celery(worker_id, concurrency)
            else:
                self._run_database(worker_id, interval, batch=False)
        finally:
            stop.set()
            WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()

    def _run_database(self, worker_id: str, interval: float, *, batch: bool) -> None:
        from django_tasks_db.management.commands.db_worker import Worker

        worker = Worker(
            queue_names=["*"],
            interval=interval,
            batch=batch,
            backend_name="default",
            startup_delay=not batch,
            max_tasks=None,
            worker_id=worker_id[:64],
            excluded_queue_names=[],
        )
        if not batch:
            worker.configure_signals()
        worker.run()

    def _run_celery(self, worker_id: str, concurrency: int) -> None:
        from jianfu.jobs.celery import app

        # Threads, not forks: the scheduler thread and Django's connections stay in one process.
        app.worker_main(
            [
                "worker",
                "--loglevel=INFO",
                "--pool=threads",
                f"--concurrency={concurrency}",
                f"--hostname=jianfu-{worker_id}@%h",
                "--without-gossip",
                "--without-mingle",
            ]
        )
