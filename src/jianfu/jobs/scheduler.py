"""The clock: each tick claims the jobs that are due, one run per job and period, and the worker runs them.

A failed run is tried again after ``settings.RETRY_DELAYS`` (1 min, 5 min, 30 min, 2 h by default), then
marked failed and reported to the administrators (``core.jobs.job_failed``).
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from jianfu.core import jobs as registry

from . import queue
from .models import JobRun, RunStatus

# A run whose worker vanished (killed mid-run, machine restarted) is taken back after this long.
RUNNING_TIMEOUT = timedelta(hours=2)
QUEUED_TIMEOUT = timedelta(minutes=30)
MANUAL = "手动"


def tick(*, now: datetime | None = None, worker_id: str = "") -> list[JobRun]:
    """Claim and enqueue every job whose current period has no run yet; returns the runs this call claimed."""
    now = now or timezone.now()
    claimed = []
    for job in registry.jobs():
        if job.is_slot:
            continue
        run = claim(job.name, job.current_schedule.period(now), worker_id=worker_id)
        if run is not None:
            claimed.append(run)
    return claimed


def claim(job_name: str, period: str, *, worker_id: str = "") -> JobRun | None:
    """Insert the (job, period) row and enqueue its run in one transaction; None when another scheduler
    already holds it."""
    from .tasks import run_job

    try:
        with transaction.atomic():
            run = JobRun.objects.create(job=job_name, period=period, claimed_by=worker_id[:100])
            queue.enqueue(run_job, run.pk)
    except IntegrityError:
        return None
    return run


def run_now(*, actor, job_name: str) -> JobRun:
    """An administrator runs a job outside its schedule (e.g. after fixing what made it fail)."""
    from jianfu.audit.services import audit_record

    if job_name not in registry.JOBS or registry.JOBS[job_name].is_slot:
        raise KeyError(job_name)
    period = f"{MANUAL} {timezone.localtime():%Y-%m-%d %H:%M:%S}"
    with transaction.atomic():
        run = claim(job_name, period, worker_id=f"user:{actor.pk}")
        if run is None:
            from django.core.exceptions import ValidationError

            raise ValidationError("这一秒内已经手动运行过该作业。")
        audit_record(actor=actor, action="jobs.run_now", obj=run, after={"job": job_name, "period": period})
    return run


def run(run_id: int) -> str:
    """The worker's side: run the job once, record the outcome, schedule a retry or report the failure."""
    started = _start(run_id)
    if started is None:
        return "skipped"
    try:
        job = registry.JOBS[started.job]
        result = job.call()
    except Exception as exc:  # any failure of the job is recorded and retried; the worker keeps going
        _failed(started, f"{type(exc).__name__}: {exc}")
        return "failed"
    JobRun.objects.filter(pk=started.pk).update(
        status=RunStatus.SUCCEEDED,
        finished_at=timezone.now(),
        summary=_summary(job, result),
        error="",
        next_attempt_at=None,
    )
    return "succeeded"


def _start(run_id: int) -> JobRun | None:
    with transaction.atomic():
        run = JobRun.objects.select_for_update().filter(pk=run_id).first()
        # A second copy of the task (a re-enqueued stale run) finds it running or done and leaves it.
        if run is None or run.status not in (RunStatus.QUEUED, RunStatus.RETRYING):
            return None
        if run.job not in registry.JOBS:
            run.status, run.error = RunStatus.FAILED, "该作业已不再登记"
            run.save(update_fields=["status", "error"])
            return None
        run.status, run.attempts, run.started_at = RunStatus.RUNNING, run.attempts + 1, timezone.now()
        run.save(update_fields=["status", "attempts", "started_at"])
    return run


def _failed(run: JobRun, error: str) -> None:
    from .tasks import run_job

    delays = settings.RETRY_DELAYS
    now = timezone.now()
    with transaction.atomic():
        if run.attempts <= len(delays):
            retry_at = now + timedelta(seconds=delays[run.attempts - 1])
            JobRun.objects.filter(pk=run.pk).update(
                status=RunStatus.RETRYING, error=error[:2000], finished_at=now, next_attempt_at=retry_at
            )
            queue.enqueue(run_job, run.pk, run_after=retry_at)
            return
        JobRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED, error=error[:2000], finished_at=now, next_attempt_at=None, reported=True
        )
        job = registry.JOBS[run.job]
        transaction.on_commit(
            lambda: registry.job_failed.send(
                sender=JobRun, job=job.label, period=run.period, error=error, url="/jobs/"
            )
        )


def _summary(job, result) -> str:
    if result is None:
        return "完成"
    if job.summary:
        return job.summary.format(**result) if isinstance(result, dict) else job.summary.format(result)
    if isinstance(result, dict):
        return "，".join(f"{k} {v}" for k, v in result.items())[:500]
    return str(result)[:500]


def sweep(*, now: datetime | None = None) -> str:
    """Take back runs whose worker vanished: a run "running" far too long counts as a failed attempt; a run
    queued or due for retry long ago is put on the queue again (the run itself refuses to start twice)."""
    from .tasks import run_job

    now = now or timezone.now()
    lost = JobRun.objects.filter(status=RunStatus.RUNNING, started_at__lt=now - RUNNING_TIMEOUT)
    for run in lost:
        _failed(run, "工作进程中断，运行未完成")
    stale = JobRun.objects.filter(
        status=RunStatus.QUEUED, claimed_at__lt=now - QUEUED_TIMEOUT
    ) | JobRun.objects.filter(status=RunStatus.RETRYING, next_attempt_at__lt=now - QUEUED_TIMEOUT)
    requeued = 0
    for run in stale:
        queue.enqueue(run_job, run.pk)
        requeued += 1
    return f"中断 {len(lost)} 次，重新排队 {requeued} 次"
