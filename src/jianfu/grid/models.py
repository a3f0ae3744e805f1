"""网格化服务管理 (seed 003, 《关于深化网格化服务管理提升社区治理水平的实施意见》): grids that cover each community
without gaps or overlaps, the classification of parts and events (部件/事件) with a handling deadline per class, and
the events themselves from report to dispatch, handling, feedback, verification, close and the resident's rating.

Every step of an event is one ``EventStep`` row (全程留痕); the event's own row carries the current state.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from jianfu.core import textsearch
from jianfu.core.choices import badge_choices
from jianfu.core.text import STEP_NOTE, TEXT, BoundedTextField
from jianfu.core.workflow import Transition, Workflow
from jianfu.orgs import access
from jianfu.orgs.models import Department, Region


class ClassKind(models.TextChoices):
    COMPONENT = "component", "部件"
    EVENT = "event", "事件"


class DeadlineUnit(models.TextChoices):
    WORKDAYS = "workdays", "个工作日"
    HOURS = "hours", "小时"


class EventClass(models.Model):
    """One class of the county's classification: who handles it and within what time."""

    region = models.ForeignKey(Region, models.PROTECT, related_name="grid_classes", verbose_name="制定区划")
    code = models.CharField("分类代码", max_length=20)
    name = models.CharField("分类名称", max_length=60)
    kind = models.CharField("类别", max_length=12, choices=ClassKind.choices, default=ClassKind.EVENT)
    department = models.ForeignKey(
        Department,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="grid_classes",
        verbose_name="责任部门",
        help_text="按分类自动派遣到此部门；不填则由指挥中心人工分拨",
    )
    deadline_value = models.PositiveSmallIntegerField("处置时限", default=3)
    deadline_unit = models.CharField(
        "时限单位", max_length=10, choices=DeadlineUnit.choices, default=DeadlineUnit.WORKDAYS
    )
    duplicate_metres = models.PositiveIntegerField(
        "疑似重复距离（米）", default=100, help_text="同类未结事件在此距离内或同一楼栋，上报前提示"
    )
    is_public = models.BooleanField(
        "可对外公开（Open311）", default=True, help_text="涉及个人隐私的分类（如矛盾纠纷、特殊人群）不公开"
    )
    is_active = models.BooleanField("启用", default=True)
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = verbose_name_plural = "事件分类"
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["region", "code"], name="grid_class_unique_code")]

    def __str__(self):
        return self.name  # pickers and pages show the name; the code is for exchanges (Open311)

    @property
    def deadline_label(self) -> str:
        return f"{self.deadline_value} {self.get_deadline_unit_display()}"


class GridQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Any region role over the community: grids are the frame grid work runs in."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(access.visible_subtree(user, "community__code"))


class Grid(models.Model):
    """A named part of one community: a set of buildings or groups no other grid of the community holds."""

    community = models.ForeignKey(Region, models.PROTECT, related_name="grids", verbose_name="所属村（社区）")
    name = models.CharField("网格名称", max_length=60)
    buildings = models.JSONField("楼栋（村民小组）", default=list)
    polygon = models.JSONField("范围（GeoJSON Polygon）", null=True, blank=True)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="grids_led",
        verbose_name="网格长",
    )
    workers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="grids_served", verbose_name="网格员"
    )
    is_active = models.BooleanField("有效", default=True)
    version = models.PositiveIntegerField("版本", default=1)

    objects = GridQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "网格"
        ordering = ["community__code", "name"]
        constraints = [models.UniqueConstraint(fields=["community", "name"], name="grid_unique_name")]

    def __str__(self):
        return f"{self.community.name}{self.name}"

    def centre(self) -> tuple[float, float] | None:
        """The mean of the polygon's outer ring as (lat, lng); GeoJSON stores [lng, lat]."""
        ring = ((self.polygon or {}).get("coordinates") or [[]])[0]
        if not ring:
            return None
        return sum(p[1] for p in ring) / len(ring), sum(p[0] for p in ring) / len(ring)


@badge_choices(
    {
        "reported": "warning",
        "dispatched": "info",
        "accepted": "primary",
        "handled": "secondary",
        "returned": "danger",
        "closed": "success",
    }
)
class EventStatus(models.TextChoices):
    REPORTED = "reported", "待分拨"
    DISPATCHED = "dispatched", "待受理"
    ACCEPTED = "accepted", "处置中"
    HANDLED = "handled", "待核查"
    RETURNED = "returned", "退回指挥中心"
    CLOSED = "closed", "已结案"


OPEN_STATUSES = [s for s in EventStatus.values if s != EventStatus.CLOSED]
# Statuses in which the handler's clock is running (the deadline counts from dispatch).
RUNNING = [EventStatus.DISPATCHED, EventStatus.ACCEPTED]

# An event's arrows (信息采集上报、指挥派遣、处置反馈、核查结案); one service per step in services/events.py.
EVENT_FLOW = Workflow(
    EventStatus,
    Transition("dispatch", "分拨", {EventStatus.REPORTED, EventStatus.RETURNED}, EventStatus.DISPATCHED),
    Transition("accept", "受理", {EventStatus.DISPATCHED}, EventStatus.ACCEPTED),
    Transition("return", "退回", RUNNING, EventStatus.RETURNED),
    Transition("feedback", "反馈处置结果", {EventStatus.ACCEPTED}, EventStatus.HANDLED),
    Transition("verify_pass", "核查", {EventStatus.HANDLED}, EventStatus.CLOSED),
    Transition("verify_reject", "核查", {EventStatus.HANDLED}, EventStatus.ACCEPTED),
    Transition("follow", "跟进", OPEN_STATUSES),
    Transition("rate", "评价", {EventStatus.CLOSED}),
)


class Source(models.TextChoices):
    GRID = "grid", "网格员巡查"
    RESIDENT = "resident", "群众反映"
    HOTLINE = "hotline", "12345 热线"
    PLATFORM = "platform", "其他平台"
    OPEN311 = "open311", "Open311 客户端"


class GridEventQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Events in the user's region subtree, and those dispatched to the user's department."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            access.visible_subtree(user, "community__code") | Q(department_id__in=user.department_ids())
        )


# The list's search over 事件编号 and 地点 (created by migration 0003_event_text_search).
EVENT_TEXT = textsearch.register(textsearch.TextIndex("grid_gridevent", ("number", "place")))


class GridEvent(models.Model):
    """One part or event found in a grid, from report to close (上报→派遣→处置→反馈→核查→结案→评价)."""

    number = models.CharField("事件编号", max_length=30, unique=True)
    event_class = models.ForeignKey(EventClass, models.PROTECT, related_name="events", verbose_name="分类")
    community = models.ForeignKey(
        Region, models.PROTECT, related_name="grid_events", verbose_name="村（社区）"
    )
    grid = models.ForeignKey(
        Grid, models.PROTECT, null=True, blank=True, related_name="events", verbose_name="网格"
    )
    place = models.CharField("地点", max_length=200)
    building = models.CharField("楼栋（村民小组）", max_length=60, blank=True)
    lat = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    lng = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    description = BoundedTextField("情况描述", max_length=TEXT)
    photo = models.BinaryField("照片", null=True, blank=True)
    photo_type = models.CharField("照片格式", max_length=30, blank=True)
    media_url = models.URLField("外部图片地址", blank=True)
    source = models.CharField("来源", max_length=12, choices=Source.choices, default=Source.GRID)
    source_system = models.CharField("来源系统", max_length=40, blank=True)
    idempotency_key = models.CharField("幂等键", max_length=100, blank=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="grid_events",
        verbose_name="上报人",
    )
    resident_name = models.CharField("反映群众", max_length=50, blank=True)
    resident_phone = models.CharField("群众联系电话", max_length=20, blank=True)
    rating_code = models.CharField("评价码", max_length=12, blank=True)
    status = models.CharField(
        "状态", max_length=12, choices=EventStatus.choices, default=EventStatus.REPORTED
    )
    department = models.ForeignKey(
        Department, models.PROTECT, null=True, blank=True, related_name="grid_events", verbose_name="处置部门"
    )
    reported_at = models.DateTimeField("上报时间")
    dispatched_at = models.DateTimeField("派遣时间", null=True, blank=True)
    deadline = models.DateTimeField("处置时限", null=True, blank=True)
    deadline_estimated = models.BooleanField("时限按周一至周五估算", default=False)
    accepted_at = models.DateTimeField("受理时间", null=True, blank=True)
    handled_at = models.DateTimeField("反馈时间", null=True, blank=True)
    closed_at = models.DateTimeField("结案时间", null=True, blank=True)
    result = BoundedTextField("处置结果", blank=True, max_length=TEXT)
    reopen_count = models.PositiveSmallIntegerField("退回重办次数", default=0)
    escalation = models.PositiveSmallIntegerField("超期督办级别", default=0)
    escalated_at = models.DateTimeField("最近督办时间", null=True, blank=True)
    rating = models.PositiveSmallIntegerField("群众评价", null=True, blank=True)
    rating_comment = models.CharField("评价意见", max_length=300, blank=True)
    rated_at = models.DateTimeField("评价时间", null=True, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    version = models.PositiveIntegerField("版本", default=1)

    objects = GridEventQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "网格事件"
        ordering = ["-reported_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_system", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="grid_event_idempotent",
            )
        ]
        indexes = [models.Index(fields=["status", "deadline"]), models.Index(fields=["community", "status"])]

    def __str__(self):
        return f"{self.number} {self.event_class.name}"

    @property
    def is_open(self) -> bool:
        return self.status != EventStatus.CLOSED

    def is_overdue(self, now) -> bool:
        """The handler's clock ran out before a report back."""
        return self.status in RUNNING and self.deadline is not None and now > self.deadline

    @property
    def on_time(self) -> bool | None:
        if self.handled_at is None or self.deadline is None:
            return None
        return self.handled_at <= self.deadline


class EventStep(models.Model):
    """One step of an event (全程留痕): append-only, never edited."""

    event = models.ForeignKey(GridEvent, models.PROTECT, related_name="steps", verbose_name="事件")
    action = models.CharField("环节", max_length=20)
    from_status = models.CharField("原状态", max_length=12, blank=True)
    to_status = models.CharField("新状态", max_length=12, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="办理人",
    )
    actor_label = models.CharField("办理人（单位）", max_length=100, blank=True)
    note = BoundedTextField("说明", blank=True, max_length=STEP_NOTE)
    at = models.DateTimeField("时间")

    class Meta:
        verbose_name = verbose_name_plural = "事件流转记录"
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.event.number} {self.action}"


STEP_LABELS = {
    "report": "上报",
    "dispatch": "派遣",
    "accept": "受理",
    "return": "退回指挥中心",
    "feedback": "处置反馈",
    "verify_pass": "核查通过，结案",
    "verify_reject": "核查不通过，退回重办",
    "rate": "群众评价",
    "escalate": "超期督办",
    "follow": "重复上报，跟进",
    "burden": "登记为负担事件",
}
