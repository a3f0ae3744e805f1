"""Reads for the jobs page (administrators) and for each person's own background work."""

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from jianfu.core import jobs as registry
from jianfu.orgs import access
from jianfu.orgs.roles import Capability

from .models import JobRun, RunStatus, Work, WorkerHeartbeat


def may_view_jobs(user) -> bool:
    return access.may(user, Capability.ORGS_MANAGE)


def require_jobs_viewer(user) -> None:
    access.require(user, Capability.ORGS_MANAGE, message="只有系统管理员可以查看定时作业。")


def job_rows(now=None) -> list[dict]:
    """Each registered job with its schedule, next run, last run and recent failures."""
    now = now or timezone.now()
    names = list(registry.JOBS)
    last = {}
    for run in JobRun.objects.filter(job__in=names).order_by("job", "-claimed_at", "-id"):
        last.setdefault(run.job, run)
    failures = dict(
        JobRun.objects.filter(job__in=names, status__in=(RunStatus.FAILED, RunStatus.RETRYING))
        .values_list("job")
        .annotate(n=Count("id"))
    )
    rows = []
    for job in registry.jobs():
        schedule = job.current_schedule
        rows.append(
            {
                "job": job,
                "schedule": schedule.describe(),
                "slot": job.is_slot,
                "next_run": None if job.is_slot else schedule.next_run(now),
                "last": last.get(job.name),
                "failures": failures.get(job.name, 0),
            }
        )
    return rows


def recent_failures(limit: int = 20):
    return JobRun.objects.filter(Q(status=RunStatus.FAILED) | Q(status=RunStatus.RETRYING))[:limit]


def workers():
    return WorkerHeartbeat.objects.order_by("-seen_at")


def my_work(user):
    return Work.objects.visible_to(user)


def work_for(user, pk: int) -> Work:
    return get_object_or_404(Work.objects.visible_to(user), pk=pk)
