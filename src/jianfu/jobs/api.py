"""Scheduled jobs (administrators) and each person's background work."""

from datetime import datetime

from django.http import FileResponse, Http404
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from jianfu.core.api_types import Page
from jianfu.jobs import scheduler, selectors
from jianfu.jobs.queue import queue_depth
from jianfu.notifications.selectors import failed_deliveries

router = Router(tags=["后台作业"])


class RunOut(Schema):
    period: str
    status: str
    status_label: str
    attempts: int
    summary: str
    error: str
    claimed_at: datetime
    finished_at: datetime | None
    next_attempt_at: datetime | None

    @staticmethod
    def resolve_status_label(obj):
        return obj.get_status_display()


class JobOut(Schema):
    name: str
    label: str
    schedule: str
    waiting_for_module: bool
    next_run: datetime | None
    failures: int
    last: RunOut | None


class WorkerOut(Schema):
    hostname: str
    pid: int
    engine: str
    seen_at: datetime


class DeliveryOut(Schema):
    channel: str
    status: str
    recipient: str
    attempts: int
    last_error: str
    next_attempt_at: datetime | None


class JobsPageOut(Schema):
    queue_depth: int | None
    workers: list[WorkerOut]
    jobs: list[JobOut]
    failed_deliveries: list[DeliveryOut]


class WorkOut(Schema):
    id: int
    kind: str
    label: str
    status: str
    status_label: str
    percent: int
    done: int
    total: int
    stage: str
    message: str
    errors: list[str]
    result_name: str
    has_file: bool
    created_at: datetime
    finished_at: datetime | None

    @staticmethod
    def resolve_status_label(obj):
        return obj.get_status_display()

    @staticmethod
    def resolve_has_file(obj):
        return bool(obj.result_path)


@router.get("/jobs", response=JobsPageOut, url_name="jobs_page", summary="定时作业、工作进程和未能发出的消息")
def jobs_page(request):
    selectors.require_jobs_viewer(request.user)
    rows = [
        {
            "name": r["job"].name,
            "label": r["job"].label,
            "schedule": r["schedule"],
            "waiting_for_module": r["slot"],
            "next_run": r["next_run"],
            "failures": r["failures"],
            "last": r["last"],
        }
        for r in selectors.job_rows()
    ]
    deliveries = [
        {
            "channel": d.get_channel_display(),
            "status": d.get_status_display(),
            "attempts": d.attempts,
            "recipient": d.recipient.full_name if d.recipient_id else "",
            "last_error": d.last_error,
            "next_attempt_at": d.next_attempt_at,
        }
        for d in failed_deliveries(request.user)[:50]
    ]
    return {
        "queue_depth": queue_depth(),
        "workers": list(selectors.workers()[:10]),
        "jobs": rows,
        "failed_deliveries": deliveries,
    }


@router.post("/jobs/{name}/run", response={202: RunOut}, url_name="jobs_run_now", summary="立即运行定时作业")
def run_now(request, name: str):
    selectors.require_jobs_viewer(request.user)
    try:
        return Status(202, scheduler.run_now(actor=request.user, job_name=name))
    except KeyError:
        raise Http404("没有这个定时作业。") from None


@router.get("/work", response=list[WorkOut], url_name="jobs_my_work", summary="我的后台任务")
@paginate(Page)
def my_work(request):
    return selectors.my_work(request.user)


@router.get("/work/{int:pk}", response=WorkOut, url_name="jobs_work", summary="后台任务进度和结果")
def work(request, pk: int):
    return selectors.work_for(request.user, pk)


@router.get("/work/{int:pk}/file", url_name="jobs_work_file", summary="下载后台任务生成的文件（仅发起人）")
def work_file(request, pk: int):
    found = selectors.work_for(request.user, pk)
    if not found.result_path:
        raise Http404("文件已过期或不存在。")
    try:
        return FileResponse(open(found.result_path, "rb"), as_attachment=True, filename=found.result_name)  # noqa: SIM115
    except FileNotFoundError:
        raise Http404("文件已过期或不存在。") from None
