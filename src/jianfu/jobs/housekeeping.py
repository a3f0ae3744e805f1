"""Daily clean-up: files produced by background work expire; finished task rows and old runs are removed."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from .models import JobRun, Work
from .operations import remove_files

RUNS_KEPT_DAYS = 180
TASK_ROWS_KEPT_DAYS = 7


def prune(*, now=None) -> str:
    now = now or timezone.now()
    expired = Work.objects.filter(finished_at__lt=now - timedelta(days=settings.WORK_FILE_DAYS)).exclude(
        result_path="", input_path=""
    )
    files = 0
    for work in expired:
        remove_files(work)
        Work.objects.filter(pk=work.pk).update(result_path="", input_path="")
        files += 1
    runs, _ = JobRun.objects.filter(claimed_at__lt=now - timedelta(days=RUNS_KEPT_DAYS)).delete()
    tasks = 0
    if settings.TASK_ENGINE == "database":
        from django_tasks_db.models import DBTaskResult

        tasks, _ = (
            DBTaskResult.objects.finished()
            .filter(finished_at__lt=now - timedelta(days=TASK_ROWS_KEPT_DAYS))
            .delete()
        )
    return f"过期文件 {files} 个，旧运行记录 {runs} 条，已完成的任务行 {tasks} 条"
