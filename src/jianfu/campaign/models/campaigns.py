"""专项行动 (campaigns) with their phases, the task division table, progress reports and joint meetings."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from jianfu.core.choices import badge_choices
from jianfu.core.text import DOCUMENT, TEXT, BoundedTextField
from jianfu.core.workflow import Transition, Workflow
from jianfu.orgs import access
from jianfu.orgs.models import Department, Region
from jianfu.orgs.roles import Capability


class Phase(models.TextChoices):
    """Seed 002 三、进度安排: the four phases of a campaign."""

    IMPLEMENTATION = "implementation", "实施阶段"
    INSPECTION = "inspection", "检查评估阶段"
    RECTIFICATION = "rectification", "整改落实阶段"
    CONSOLIDATION = "consolidation", "持续巩固阶段"


class Cadence(models.TextChoices):
    """How often lead units report: weekly (seed 000 周报告) or every half month (seed 004 半月调度)."""

    WEEKLY = "weekly", "每周报告"
    HALF_MONTHLY = "half_monthly", "半月调度"


class ReportKind(models.TextChoices):
    WEEKLY = "weekly", "周报告"
    HALF_MONTHLY = "half_monthly", "半月调度报告"
    MONTHLY = "monthly", "月小结"


@badge_choices({"not_started": "secondary", "in_progress": "primary", "reported": "info", "done": "success"})
class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", "未启动"
    IN_PROGRESS = "in_progress", "推进中"
    REPORTED = "reported", "已报告完成，待办结"
    DONE = "done", "已完成"


# A task's arrows. The lead unit reports; only the leading group's office closes a task, after the lead unit has
# reported it complete, and never a task its own department leads (services/tasks.py task_close).
TASK_FLOW = Workflow(
    TaskStatus,
    Transition(
        "report", "报送进展", {TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS}, TaskStatus.IN_PROGRESS
    ),
    Transition(
        "report_done", "报告完成", {TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS}, TaskStatus.REPORTED
    ),
    Transition("close", "确认办结", {TaskStatus.REPORTED}, TaskStatus.DONE),
    Transition("reopen", "退回继续推进", {TaskStatus.REPORTED}, TaskStatus.IN_PROGRESS),
)


class CampaignQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Up and down: a township and a department take part in their county's campaign."""
        return self.filter(access.up_and_down(user, "region__code", Capability.CAMPAIGN_VIEW))


class Campaign(models.Model):
    """A special action (专项行动) run by a region, with a report cadence for its lead units."""

    title = models.CharField("名称", max_length=200)
    region = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name="组织区划")
    document_number = models.CharField("文号", max_length=100, blank=True)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期", null=True, blank=True)
    cadence = models.CharField("报告频次", max_length=16, choices=Cadence.choices, default=Cadence.WEEKLY)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField("版本", default=1)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "专项行动"
        ordering = ["-starts_on", "id"]

    def __str__(self):
        return self.title


class CampaignPhase(models.Model):
    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="phases")
    phase = models.CharField("阶段", max_length=16, choices=Phase.choices)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期", null=True, blank=True)
    note = BoundedTextField("工作要求", blank=True, max_length=TEXT)
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = verbose_name_plural = "行动阶段"
        ordering = ["starts_on", "id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "phase"], name="campaign_phase_once")]

    def __str__(self):
        return self.get_phase_display()


class Task(models.Model):
    """One row of the task division table (任务分工一览表): task, measures, units, deadline."""

    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="tasks")
    number = models.PositiveIntegerField("序号")
    area = models.CharField("工作任务", max_length=100)
    measures = BoundedTextField("推进措施", max_length=TEXT)
    lead_department = models.ForeignKey(Department, models.PROTECT, related_name="+", verbose_name="牵头单位")
    responsible_text = models.CharField("责任单位", max_length=300, blank=True)
    responsible_departments = models.ManyToManyField(Department, related_name="+", blank=True)
    deadline = models.DateField("完成时限", null=True, blank=True)
    deadline_text = models.CharField("时限（原文）", max_length=50, blank=True)
    long_term = models.BooleanField("长期坚持", default=False)
    status = models.CharField(
        "状态", max_length=16, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED
    )
    progress = models.PositiveSmallIntegerField("进度（%）", default=0, validators=[MaxValueValidator(100)])
    completed_on = models.DateField("完成日期", null=True, blank=True)
    version = models.PositiveIntegerField("版本", default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "任务分工"
        ordering = ["campaign", "number"]
        constraints = [models.UniqueConstraint(fields=["campaign", "number"], name="campaign_task_number")]

    def __str__(self):
        return f"{self.number}. {self.area}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if not self.long_term and not self.deadline:
            raise ValidationError({"deadline": "请填写完成时限，或勾选“长期坚持”。"})

    def is_overdue(self, today) -> bool:
        return bool(
            not self.long_term
            and self.deadline
            and self.deadline < (self.completed_on or today)
            and self.status != TaskStatus.DONE
        )

    @property
    def deadline_label(self) -> str:
        if self.long_term:
            return "长期坚持"
        return self.deadline.isoformat() if self.deadline else ""


class ProgressReport(models.Model):
    """A lead unit's report on one task for one period (append-only)."""

    task = models.ForeignKey(Task, models.CASCADE, related_name="reports")
    department = models.ForeignKey(Department, models.PROTECT, related_name="+", verbose_name="报送单位")
    kind = models.CharField("报告类型", max_length=16, choices=ReportKind.choices)
    period_start = models.DateField("报告期起")
    period_end = models.DateField("报告期止")
    summary = BoundedTextField("工作进展", max_length=TEXT)
    problems = BoundedTextField("存在问题", blank=True, max_length=TEXT)
    next_steps = BoundedTextField("下步打算", blank=True, max_length=TEXT)
    progress = models.PositiveSmallIntegerField(
        "完成进度（%）", validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    completes = models.BooleanField("任务已完成", default=False)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    filed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "进度报告"
        ordering = ["-period_start", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "kind", "period_start"], name="campaign_report_once_per_period"
            )
        ]

    def __str__(self):
        return f"{self.task}：{self.get_kind_display()}（{self.period_start}—{self.period_end}）"


class ReportAttachment(models.Model):
    report = models.ForeignKey(ProgressReport, models.CASCADE, related_name="attachments")
    file = models.FileField("附件", upload_to="campaign/%Y/%m/")
    name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField("大小（字节）")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "报告附件"
        ordering = ["id"]

    def __str__(self):
        return self.name


class JointMeetingQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Up and down, as campaigns: the units attend the county's joint meeting."""
        return self.filter(access.up_and_down(user, "region__code", Capability.CAMPAIGN_VIEW))


class JointMeeting(models.Model):
    """联席会议 (seed 000 三(二)、附件1): agenda, attending units, minutes and decisions."""

    region = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name="召集区划")
    campaign = models.ForeignKey(
        Campaign, models.PROTECT, null=True, blank=True, related_name="meetings", verbose_name="专项行动"
    )
    title = models.CharField("会议名称", max_length=200)
    held_on = models.DateField("召开日期")
    place = models.CharField("地点", max_length=100, blank=True)
    agenda = BoundedTextField("议程", max_length=TEXT)
    attendees = models.ManyToManyField(Department, related_name="+", blank=True, verbose_name="参会单位")
    attendee_names = BoundedTextField("参会人员", blank=True, max_length=TEXT)
    minutes = BoundedTextField("会议纪要", blank=True, max_length=DOCUMENT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField("版本", default=1)

    objects = JointMeetingQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "联席会议"
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return self.title


class MeetingDecision(models.Model):
    """A joint meeting's decision; assigned, it becomes a campaign task with a lead unit and deadline."""

    meeting = models.ForeignKey(JointMeeting, models.CASCADE, related_name="decisions")
    content = BoundedTextField("议定事项", max_length=TEXT)
    lead_department = models.ForeignKey(Department, models.PROTECT, related_name="+", verbose_name="牵头单位")
    deadline = models.DateField("完成时限")
    task = models.OneToOneField(Task, models.PROTECT, null=True, blank=True, related_name="decision")
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = verbose_name_plural = "会议议定事项"
        ordering = ["id"]

    def __str__(self):
        return self.content[:40]
