"""监测点、监测员、负担事件、问题线索、通报和看板: data and invariants.

A burden event (负担事件) is what a monitor records at a monitoring point, or what any village cadre or grid
worker reports as a problem clue (问题线索); each is checked against the rules as it arrives and a failed
check makes it a violation. Violations roll up into bulletins (通报) that name departments, who report their
rectification; the monitor confirms or reopens it. ``MonthlyRollup`` keeps the counts the dashboards read.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from jianfu.core import textsearch
from jianfu.core.choices import badge_choices
from jianfu.core.text import LONG, STEP_NOTE, TEXT, BoundedTextField
from jianfu.core.workflow import Transition, Workflow
from jianfu.orgs import access
from jianfu.orgs.models import Department, Region, subtree_q
from jianfu.orgs.roles import Capability

VIEW_CAPABILITIES = (Capability.MONITORING_VIEW, Capability.MONITORING_PUBLISH, Capability.MONITORING_MANAGE)


class EventKind(models.TextChoices):
    MEETING = "meeting", "参加会议"
    INSPECTION = "inspection", "迎接督查检查考核"
    FORM = "form", "填报表格、索要材料"
    CERTIFICATE = "certificate", "要求出具证明"
    TASK = "task", "交办工作任务"
    APP = "app", "政务APP打卡、积分、考核指标"
    GROUP = "group", "工作群（微信、QQ）要求"
    PLACARD = "placard", "挂牌、上墙要求"
    OTHER = "other", "其他"


class Origin(models.TextChoices):
    MONITOR = "monitor", "监测员记录"
    CLUE = "clue", "问题线索"
    GRID = "grid", "网格员反映"


@badge_choices({"ok": "success", "violation": "danger", "undecided": "warning"})
class Verdict(models.TextChoices):
    OK = "ok", "合规"
    VIOLATION = "violation", "违规"
    UNDECIDED = "undecided", "未能判定"


@badge_choices({"pending": "warning", "accepted": "success", "dismissed": "secondary"})
class ClueReview(models.TextChoices):
    """A clue reaches the inspector, who accepts it (it counts) or dismisses it (it does not)."""

    NOT_A_CLUE = "", "—"
    PENDING = "pending", "待受理"
    ACCEPTED = "accepted", "已受理"
    DISMISSED = "dismissed", "不予采信"


class PointQuerySet(access.ScopedQuerySet):
    scope_field = "village__code"
    scope_capabilities = (*VIEW_CAPABILITIES, Capability.MONITORING_RECORD)


class MonitoringPoint(models.Model):
    """A village or community the county designated as a burden monitoring point (减负监测点)."""

    village = models.OneToOneField(Region, models.PROTECT, related_name="+", verbose_name="村（社区）")
    note = models.CharField("说明", max_length=200, blank=True)
    is_active = models.BooleanField("在用", default=True)
    designated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    objects = PointQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "减负监测点"
        ordering = ["village__code"]

    def __str__(self):
        return f"{self.village.name}监测点"


class MonitorAssignment(models.Model):
    """Which monitor serves which point; ended assignments stay for the record."""

    point = models.ForeignKey(MonitoringPoint, models.PROTECT, related_name="assignments")
    monitor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="监测员"
    )
    is_active = models.BooleanField(default=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = verbose_name_plural = "监测员服务的监测点"
        constraints = [
            models.UniqueConstraint(
                fields=["point", "monitor"], condition=Q(is_active=True), name="monitor_serves_point_once"
            )
        ]

    def __str__(self):
        return f"{self.monitor} → {self.point}"


class EventQuerySet(models.QuerySet):
    def visible_to(self, user, *, newest_first: bool = False):
        """Events under the regions where the user views monitoring; a department sees the events behind the
        published bulletins that name it; a reporter sees their own clues. ``newest_first``: for a list down
        the ``event_recent`` index (``subtree_q``)."""
        if not user.is_authenticated:
            return self.none()
        prefixes = access.region_prefixes(user, *VIEW_CAPABILITIES)
        q = subtree_q(prefixes, "region_code", newest_first=newest_first)
        departments = access.department_ids(user, Capability.MONITORING_RECTIFY)
        if departments:
            q |= Q(
                pk__in=BulletinEntry.events.through.objects.filter(
                    bulletinentry__department_id__in=departments,
                    bulletinentry__bulletin__status=BulletinStatus.PUBLISHED,
                ).values("burdenevent_id")
            )
        viewed = access.region_prefixes(user, *VIEW_CAPABILITIES)
        reported = access.region_prefixes(user, Capability.MONITORING_REPORT)
        if any(not r.startswith(tuple(viewed)) for r in reported):
            # A reporter who views nothing there (a grid worker) follows their own clues. Added only then:
            # the OR would keep the database from using the region index for everyone else.
            q |= Q(reporter=user) & ~Q(origin=Origin.MONITOR)
        return self.filter(q)

    def counted(self):
        """What counts: monitors' records and accepted clues (a pending or dismissed clue does not)."""
        return self.exclude(review__in=[ClueReview.PENDING, ClueReview.DISMISSED])


# The lists' 事项或描述 search (core.textsearch; created by migration 0009_event_text_search).
EVENT_TEXT = textsearch.register(textsearch.TextIndex("monitoring_burdenevent", ("subject", "description")))


# The columns a region's events are counted by, beside its key (region_code, occurred_on): the township's
# department chart and a drill-down list's bounded total (a county's month of one type and verdict) read them
# from the index alone (see ``event_region_day``).
COUNTED_BY_REGION_DAY = ["department", "verdict", "hours", "review", "id", "kind"]


class BurdenEvent(models.Model):
    """One burden as it happened at a village: who pushed it down, what, when and how long it took."""

    village = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name="村（社区）")
    # The village's code, denormalised: every scoped read and every dashboard filters on a code range.
    region_code = models.CharField(max_length=12, editable=False)
    point = models.ForeignKey(MonitoringPoint, models.PROTECT, null=True, blank=True, related_name="events")
    kind = models.CharField("类型", max_length=16, choices=EventKind.choices)
    department = models.ForeignKey(Department, models.PROTECT, related_name="+", verbose_name="来源部门")
    subject = models.CharField("事项名称", max_length=200, blank=True)
    occurred_on = models.DateField("发生日期")
    hours = models.DecimalField("耗费工时（小时）", max_digits=5, decimal_places=1, default=0)
    description = BoundedTextField("情况描述", max_length=TEXT)
    demanded_materials = models.BooleanField("要求准备汇报材料", default=False)
    certificate_code = models.CharField("证明事项编码", max_length=20, blank=True)
    photo = models.ImageField("照片", upload_to="monitoring/photos/%Y/%m/", blank=True)
    origin = models.CharField("来源", max_length=8, choices=Origin.choices, default=Origin.MONITOR)
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    anonymous = models.BooleanField("匿名", default=False)
    review = models.CharField("受理", max_length=10, choices=ClueReview.choices, blank=True, default="")
    review_note = models.CharField("受理意见", max_length=300, blank=True)
    idempotency_key = models.CharField(max_length=64, blank=True)
    verdict = models.CharField("核验结果", max_length=10, choices=Verdict.choices, default=Verdict.UNDECIDED)
    check_rule = models.CharField("违反的规定", max_length=200, blank=True)
    check_detail = BoundedTextField("核验说明", blank=True, max_length=LONG)
    check_url = models.CharField(max_length=300, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "负担事件"
        ordering = ["-occurred_on", "-id"]
        indexes = [
            # A region's days; the columns its events are counted by ride along (``dashboard._departments`` counts
            # a township's year per department, the events list its bounded total), so those counts read this
            # index only and never the heap: at 120M events the heap outgrew memory and the chart read 20,041
            # scattered pages (224-300 ms a dashboard), a drill-down's total 16,871 (138 ms) (#23).
            # PostgreSQL only; on SQLite it is a plain (region_code, occurred_on) index (check W040 silenced).
            models.Index(
                fields=["region_code", "occurred_on"],
                name="event_region_day",
                include=COUNTED_BY_REGION_DAY,
            ),
            # The lists' order (newest first): page 1 and every "更早的记录" page walk it, never sort.
            models.Index(fields=["-occurred_on", "-id", "region_code"], name="event_recent"),
            models.Index(fields=["department", "occurred_on"], name="event_department_day"),
            models.Index(fields=["verdict", "checked_at"], name="event_verdict"),
            # Clues waiting for the inspector (the home page counts them, the events list filters them): a few
            # rows however many events, where without it a province's count read every event of the province.
            models.Index(fields=["region_code"], name="event_pending_clue", condition=Q(review="pending")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["reporter", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="event_once_per_key",
            )
        ]

    def __str__(self):
        return f"{self.village.name} {self.occurred_on:%Y-%m-%d} {self.get_kind_display()}"

    @property
    def is_clue(self) -> bool:
        return self.origin != Origin.MONITOR

    @property
    def is_violation(self) -> bool:
        return self.verdict == Verdict.VIOLATION


class RollupCell(models.Model):
    """Where a rollup row counts: a region (township and every level above; or the county or township of a
    department's row) and the first day of a month. The event and finding rollups share it (no table of its own:
    each keeps its columns, so the schema is as before)."""

    region_code = models.CharField(max_length=12)
    level = models.PositiveSmallIntegerField()
    month = models.DateField()  # the first day of the month

    class Meta:
        abstract = True


class EventCounts(RollupCell):
    """The burden events' counters of a cell: events, their hours, those judged violations and those waiting
    for a check (``services.rollup`` adds and rebuilds them)."""

    events = models.IntegerField(default=0)
    hours = models.DecimalField(max_digits=12, decimal_places=1, default=0)
    violations = models.IntegerField(default=0)
    undecided = models.IntegerField(default=0)

    class Meta:
        abstract = True


class MonthlyRollup(EventCounts):
    """Counts per region (township and every level above) × month × type, for the dashboards and the federation.

    Keyed by region, not by department: a province's year is 9 types × 12 months = 108 cells however many
    departments it has, so every dashboard reads O(cells of its area). The services add to it as events are
    recorded and checked; ``monitoring_rollup`` rebuilds it one month (and optionally one region) at a time.
    Only events that count (``EventQuerySet.counted``) are rolled up."""

    kind = models.CharField(max_length=16)

    class Meta:
        verbose_name = verbose_name_plural = "负担事件月度汇总"
        constraints = [
            models.UniqueConstraint(fields=["region_code", "month", "kind"], name="rollup_region_cell")
        ]
        indexes = [models.Index(fields=["level", "region_code", "month"], name="rollup_level_region_month")]

    def __str__(self):
        return f"{self.region_code} {self.month:%Y-%m} {self.kind}"


class RollupStamp(models.Model):
    """A county's month of event cells changed: a new random stamp each time (``services.rollup`` sets it in the
    transaction that moves the county's ``MonthlyRollup`` cells, or rebuilds the month). A prefecture's or
    province's figures are summed from its counties' cells when read; the sums of a month are cached under the
    sum and count of its counties' stamps (``selectors.rollup_cells``), so a sum is reused until a county of it
    changes that month, and never after. One row per county and month: only that county's writers touch it, and
    they already queue on the county's audit chain head, so it adds no wait between counties. Random rather than
    counted, so a restored or re-made database never repeats a key a cache already holds."""

    region_code = models.CharField(max_length=12)  # the county
    month = models.DateField()
    stamp = models.BigIntegerField()

    class Meta:
        verbose_name = verbose_name_plural = "负担事件汇总变更标记"
        constraints = [models.UniqueConstraint(fields=["month", "region_code"], name="rollup_stamp_cell")]

    def __str__(self):
        return f"{self.region_code} {self.month:%Y-%m}"


class DepartmentRollup(EventCounts):
    """Counts per department × type × month within a county, for the county dashboard's department chart (a
    county holds a few dozen departments; above the county the department count would grow the cells again, so
    prefectures and provinces rank their counties instead). Its ``region_code`` is the event's county. Not kept
    per township (#23: as many cells as a month's events at province scale); a township's chart counts its own
    events."""

    department_id = models.IntegerField()
    kind = models.CharField(max_length=16)

    class Meta:
        verbose_name = verbose_name_plural = "负担事件部门月度汇总"
        constraints = [
            models.UniqueConstraint(
                fields=["region_code", "month", "department_id", "kind"], name="department_rollup_cell"
            )
        ]

    def __str__(self):
        return f"{self.region_code} {self.month:%Y-%m} {self.department_id} {self.kind}"


@badge_choices({"draft": "secondary", "published": "primary"})
class BulletinStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"


@badge_choices({"pending": "danger", "reported": "warning", "confirmed": "success"})
class RectificationStatus(models.TextChoices):
    PENDING = "pending", "待整改"
    REPORTED = "reported", "已报告整改"
    CONFIRMED = "confirmed", "整改已确认"


BULLETIN_FLOW = Workflow(
    BulletinStatus, Transition("publish", "发布", {BulletinStatus.DRAFT}, BulletinStatus.PUBLISHED)
)
# A named department's entry: it reports rectification, the village's monitor confirms or sends it back.
ENTRY_FLOW = Workflow(
    RectificationStatus,
    Transition("rectify", "报告整改", {RectificationStatus.PENDING}, RectificationStatus.REPORTED),
    Transition("confirm", "确认整改", {RectificationStatus.REPORTED}, RectificationStatus.CONFIRMED),
    Transition(
        "reopen",
        "退回重新整改",
        {RectificationStatus.REPORTED, RectificationStatus.CONFIRMED},
        RectificationStatus.PENDING,
    ),
)


class BulletinQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The subtree for those who view or record; a department sees published bulletins that name it."""
        q = subtree_q(
            access.region_prefixes(user, *VIEW_CAPABILITIES, Capability.MONITORING_RECORD), "region__code"
        )
        departments = access.department_ids(user, Capability.MONITORING_RECTIFY)
        if departments:
            q |= Q(status=BulletinStatus.PUBLISHED, entries__department_id__in=departments)
        return self.filter(q).distinct()


class Bulletin(models.Model):
    """A bulletin (通报) ranking the departments by violations in a region over a period."""

    number = models.CharField("通报编号", max_length=60, blank=True)
    region = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name="区划")
    period_start = models.DateField("起始日期")
    period_end = models.DateField("截止日期")
    title = models.CharField("标题", max_length=200)
    status = models.CharField(max_length=10, choices=BulletinStatus.choices, default=BulletinStatus.DRAFT)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    rectify_days = models.PositiveSmallIntegerField("整改时限（工作日）", default=15)
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    objects = BulletinQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "通报"
        ordering = ["-created_at"]

    def __str__(self):
        return self.number or self.title


class BulletinEntry(models.Model):
    """One named department in a bulletin: its rank, its violations and their events, its rectification."""

    bulletin = models.ForeignKey(Bulletin, models.CASCADE, related_name="entries")
    department = models.ForeignKey(Department, models.PROTECT, related_name="+")
    rank = models.PositiveSmallIntegerField()
    violations = models.PositiveIntegerField()
    hours = models.DecimalField(max_digits=8, decimal_places=1, default=0)
    rules = models.JSONField(default=list)  # [[rule, count], ...]
    events = models.ManyToManyField(BurdenEvent, related_name="+")
    findings = models.ManyToManyField("monitoring.Finding", related_name="entries")
    deadline = models.DateField("整改期限", null=True, blank=True)
    reminded_on = models.DateField("最近催办日期", null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=RectificationStatus.choices, default=RectificationStatus.PENDING
    )
    rectification = BoundedTextField("整改情况", blank=True, max_length=TEXT)
    reported_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = verbose_name_plural = "通报事项"
        ordering = ["bulletin", "rank"]

    def __str__(self):
        return f"{self.bulletin} {self.rank}. {self.department.name}"

    @property
    def is_overdue(self) -> bool:
        from django.utils import timezone

        return bool(
            self.deadline
            and self.status == RectificationStatus.PENDING
            and self.deadline < timezone.localdate()
        )


class BulletinStep(models.Model):
    """Every step of a bulletin and its rectifications, timestamped (append-only)."""

    bulletin = models.ForeignKey(Bulletin, models.CASCADE, related_name="steps")
    entry = models.ForeignKey(BulletinEntry, models.CASCADE, null=True, blank=True, related_name="steps")
    action = models.CharField(max_length=20)
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10)
    note = BoundedTextField("说明", blank=True, max_length=STEP_NOTE)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.bulletin} {self.label}"

    @property
    def label(self) -> str:
        return STEP_LABELS.get(self.action, self.action)

    @property
    def to_label(self) -> str:
        labels = dict(BulletinStatus.choices) | dict(RectificationStatus.choices)
        return labels.get(self.to_status, self.to_status)


STEP_LABELS = {
    "draft": "起草",
    "publish": "发布",
    "rectify": "报告整改",
    "confirm": "确认整改",
    "reopen": "退回重新整改",
}
