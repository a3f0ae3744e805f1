"""Runs of scheduled jobs, workers' heartbeats, and the long work people start (imports, exports, DOCX)."""

from django.conf import settings
from django.db import models

from jianfu.core.text import TEXT, BoundedTextField


class RunStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "运行中"
    SUCCEEDED = "succeeded", "成功"
    RETRYING = "retrying", "失败，等待重试"
    FAILED = "failed", "失败"


RUN_COLOURS = {
    RunStatus.QUEUED: "secondary",
    RunStatus.RUNNING: "info",
    RunStatus.SUCCEEDED: "success",
    RunStatus.RETRYING: "warning",
    RunStatus.FAILED: "danger",
}


class JobRun(models.Model):
    """One run of a scheduled job for one period. The unique (job, period) row is the claim: two schedulers
    ticking at once insert it once, so each period runs once however many workers there are."""

    job = models.CharField("作业", max_length=80)
    period = models.CharField("周期", max_length=40)
    status = models.CharField("状态", max_length=12, choices=RunStatus.choices, default=RunStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField("已尝试次数", default=0)
    claimed_by = models.CharField("认领的工作进程", max_length=100, blank=True)
    claimed_at = models.DateTimeField("认领时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    next_attempt_at = models.DateTimeField("下次重试", null=True, blank=True)
    summary = models.CharField("结果", max_length=500, blank=True)
    error = BoundedTextField("错误", blank=True, max_length=TEXT)
    reported = models.BooleanField("已报告失败", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "定时作业运行记录"
        ordering = ["-claimed_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["job", "period"], name="job_run_once_per_period")]
        indexes = [models.Index(fields=["job", "-claimed_at"]), models.Index(fields=["status"])]

    def __str__(self):
        return f"{self.job} {self.period}"

    @property
    def colour(self) -> str:
        return RUN_COLOURS[self.status]


class WorkerHeartbeat(models.Model):
    """A worker process says it is alive every few seconds; /healthz reads the latest."""

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=100)
    pid = models.PositiveIntegerField()
    engine = models.CharField(max_length=12)
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "工作进程心跳"

    def __str__(self):
        return f"{self.hostname}:{self.pid}"


class WorkStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "进行中"
    DONE = "done", "已完成"
    REFUSED = "refused", "未通过校验，未做任何修改"
    FAILED = "failed", "出错"


WORK_COLOURS = {
    WorkStatus.QUEUED: "secondary",
    WorkStatus.RUNNING: "info",
    WorkStatus.DONE: "success",
    WorkStatus.REFUSED: "warning",
    WorkStatus.FAILED: "danger",
}


class WorkQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Work and the files it produced are private to the person who started it."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(owner=user)


class Work(models.Model):
    """A long operation a person started (an Excel import, a large export, a bulletin's DOCX, a rollup
    rebuild): its progress while it runs, then its outcome and the file it produced."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="work", verbose_name="发起人"
    )
    kind = models.CharField("类型", max_length=60)
    label = models.CharField("名称", max_length=200)
    params = models.JSONField("参数", default=dict, blank=True)
    input_name = models.CharField("上传文件", max_length=200, blank=True)
    input_path = models.CharField(max_length=300, blank=True)
    status = models.CharField("状态", max_length=12, choices=WorkStatus.choices, default=WorkStatus.QUEUED)
    done = models.IntegerField("已完成", default=0)
    total = models.IntegerField("总数", default=0)
    stage = models.CharField("当前步骤", max_length=200, blank=True)
    message = models.CharField("结果", max_length=500, blank=True)
    errors = models.JSONField("错误", default=list, blank=True)
    result_name = models.CharField("结果文件", max_length=200, blank=True)
    result_path = models.CharField(max_length=300, blank=True)
    back_url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    objects = WorkQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "后台任务"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "-created_at"])]

    def __str__(self):
        return self.label

    @property
    def finished(self) -> bool:
        return self.status in (WorkStatus.DONE, WorkStatus.REFUSED, WorkStatus.FAILED)

    @property
    def percent(self) -> int:
        if self.status == WorkStatus.DONE:
            return 100
        if self.total <= 0:
            return 0
        return max(0, min(99, round(self.done * 100 / self.total)))

    @property
    def colour(self) -> str:
        return WORK_COLOURS[self.status]
