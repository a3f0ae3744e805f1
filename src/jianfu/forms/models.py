"""一张表: the base table of village facts (indicators, values per period with history, validation rules, period
locks), department forms mapped onto it, the annual form list, the tasks forms become for villages, and the
work channels (WeChat/QQ groups, APPs, official accounts) aimed at villages.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from jianfu.core.choices import badge_choices
from jianfu.core.text import TEXT, BoundedTextField
from jianfu.core.workflow import Transition, Workflow
from jianfu.orgs import access
from jianfu.orgs.models import Department, Region
from jianfu.orgs.roles import DEPARTMENT_ROLES, Capability


class ValueType(models.TextChoices):
    INTEGER = "integer", "整数"
    DECIMAL = "decimal", "小数"
    TEXT = "text", "文本"


class Period(models.TextChoices):
    YEARLY = "yearly", "每年"
    QUARTERLY = "quarterly", "每季度"
    MONTHLY = "monthly", "每月"


# How often a form is filled; the annual list allows monthly at the most unless approved as an exception.
class Frequency(models.TextChoices):
    YEARLY = "yearly", "每年"
    HALF_YEARLY = "half_yearly", "每半年"
    QUARTERLY = "quarterly", "每季度"
    MONTHLY = "monthly", "每月"
    WEEKLY = "weekly", "每周"
    DAILY = "daily", "每日"
    ONCE = "once", "一次性"


FREQUENCY_RANK = {
    "once": 0,
    "yearly": 1,
    "half_yearly": 2,
    "quarterly": 3,
    "monthly": 4,
    "weekly": 5,
    "daily": 6,
}


class IndicatorQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Indicators of the counties (or above) the user works in; departments see their county's."""
        if not user.is_authenticated or not user.has_capability(Capability.FORMS_VIEW):
            return self.none()
        codes = set()
        for a in access.assignments(user):
            region = a.department.region if a.role in DEPARTMENT_ROLES else a.region
            codes |= {region.code[:n].ljust(12, "0") for n in (2, 4, 6)}
        return self.filter(Q(region__code__in=codes) | access.visible_subtree(user, "region__code"))


class Indicator(models.Model):
    """One fact of the base table a village reports once per period (常住人口, 户数, 村集体经济收入…)."""

    region = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name="制定区划")
    code = models.CharField("指标编码", max_length=30)
    name = models.CharField("指标名称", max_length=100)
    definition = BoundedTextField("指标解释", blank=True, max_length=TEXT)
    unit = models.CharField("计量单位", max_length=20, blank=True)
    value_type = models.CharField(
        "数据类型", max_length=10, choices=ValueType.choices, default=ValueType.INTEGER
    )
    period = models.CharField("填报周期", max_length=10, choices=Period.choices, default=Period.YEARLY)
    owner_department = models.ForeignKey(
        Department, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="责任部门"
    )
    min_value = models.DecimalField("最小值", max_digits=18, decimal_places=4, null=True, blank=True)
    max_value = models.DecimalField("最大值", max_digits=18, decimal_places=4, null=True, blank=True)
    is_active = models.BooleanField("有效", default=True)
    category_combo = models.ForeignKey(
        "forms.CategoryCombo",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name="分类组合",
        help_text="按分类组合分项填报时，指标值为各分项之和",
    )
    merged_into = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="merged", verbose_name="已合并到"
    )
    merged_at = models.DateTimeField("合并时间", null=True, blank=True)
    version = models.PositiveIntegerField("版本", default=1)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "基础指标"
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["region", "code"], name="forms_indicator_unique_code")]

    def __str__(self):
        return f"{self.name}（{self.unit}）" if self.unit else self.name


class ValueSource(models.TextChoices):
    ENTERED = "entered", "村（社区）录入"
    IMPORTED = "imported", "Excel 导入"
    CORRECTED = "corrected", "更正"
    CONFIRMED = "confirmed", "确认共享数据"


class VillageScoped(access.ScopedQuerySet):
    scope_field = "village__code"
    scope_capabilities = (Capability.FORMS_VIEW,)


class BaseValue(models.Model):
    """The current value of one indicator for one village and period; every change adds a ``ValueHistory`` row."""

    village = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name="村（社区）")
    indicator = models.ForeignKey(Indicator, models.PROTECT, related_name="values", verbose_name="指标")
    period = models.CharField("统计期", max_length=10, help_text="2026、2026Q1 或 2026-03")
    value = models.CharField("数值", max_length=200)
    number = models.DecimalField("数值（数字）", max_digits=18, decimal_places=4, null=True, blank=True)
    source = models.CharField("来源", max_length=10, choices=ValueSource.choices, default=ValueSource.ENTERED)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="录入人",
    )
    entered_at = models.DateTimeField("录入时间")
    version = models.PositiveIntegerField("版本", default=1)

    objects = VillageScoped.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "基础数据"
        ordering = ["village__code", "indicator__code", "period"]
        constraints = [
            models.UniqueConstraint(fields=["village", "indicator", "period"], name="forms_value_unique")
        ]

    def __str__(self):
        return f"{self.village} {self.indicator.name} {self.period}：{self.value}"


class HistoryQuerySet(VillageScoped):
    scope_field = "base_value__village__code"


class ValueHistory(models.Model):
    """Append-only: each value a base datum ever had, who set it, how, and (for a correction) why."""

    base_value = models.ForeignKey(BaseValue, models.PROTECT, related_name="history", verbose_name="基础数据")
    value = models.CharField("数值", max_length=200)
    previous = models.CharField("原值", max_length=200, blank=True)
    source = models.CharField("来源", max_length=10, choices=ValueSource.choices)
    reason = models.CharField("更正理由", max_length=300, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="操作人",
    )
    at = models.DateTimeField("时间")

    objects = HistoryQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "基础数据历史"
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.value}（{self.get_source_display()}）"


class PeriodLockQuerySet(access.ScopedQuerySet):
    scope_field = "township__code"
    scope_capabilities = (Capability.FORMS_VIEW,)


class PeriodLock(models.Model):
    """A township's review of a period: once locked, its villages' values change only through a correction."""

    township = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name="乡镇（街道）")
    period = models.CharField("统计期", max_length=10)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="锁定人",
    )
    locked_at = models.DateTimeField("锁定时间")
    note = models.CharField("审核意见", max_length=300, blank=True)
    # Retired, not erased, when an unlock request is approved: the lock stays in the record.
    unlocked_at = models.DateTimeField("解锁时间", null=True, blank=True)

    objects = PeriodLockQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "统计期锁定"
        constraints = [
            models.UniqueConstraint(
                fields=["township", "period"],
                condition=Q(unlocked_at__isnull=True),
                name="forms_lock_unique_active",
            )
        ]

    def __str__(self):
        return f"{self.township} {self.period} {'已解锁' if self.unlocked_at else '已锁定'}"


@badge_choices({"pending": "warning", "approved": "success", "refused": "secondary"})
class UnlockStatus(models.TextChoices):
    PENDING = "pending", "待审批"
    APPROVED = "approved", "已批准解锁"
    REFUSED = "refused", "未批准"


UNLOCK_FLOW = Workflow(
    UnlockStatus,
    Transition("approve", "批准解锁", {UnlockStatus.PENDING}, UnlockStatus.APPROVED),
    Transition("refuse", "不予批准", {UnlockStatus.PENDING}, UnlockStatus.REFUSED),
)


class UnlockQuerySet(access.ScopedQuerySet):
    scope_field = "lock__township__code"
    scope_capabilities = (Capability.FORMS_VIEW,)


class UnlockRequest(models.Model):
    """A request to unlock a township's locked period, with its reason, decided one level up (the county)."""

    lock = models.ForeignKey(PeriodLock, models.PROTECT, related_name="unlock_requests", verbose_name="锁定")
    reason = models.CharField("申请理由", max_length=300)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+", verbose_name="申请人"
    )
    requested_at = models.DateTimeField("申请时间")
    status = models.CharField(
        "状态", max_length=10, choices=UnlockStatus.choices, default=UnlockStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审批人",
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_note = models.CharField("审批意见", max_length=300, blank=True)
    version = models.PositiveIntegerField("版本", default=1)

    objects = UnlockQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "解锁申请"
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["lock"], condition=Q(status="pending"), name="forms_unlock_one_pending"
            )
        ]

    def __str__(self):
        return f"{self.lock} 解锁申请（{self.get_status_display()}）"


class Operator(models.TextChoices):
    LE = "le", "≤"
    LT = "lt", "<"
    GE = "ge", "≥"
    GT = "gt", ">"
    EQ = "eq", "="


@badge_choices({"error": "danger", "warning": "warning"})
class Severity(models.TextChoices):
    ERROR = "error", "错误（拒绝保存）"
    WARNING = "warning", "提醒（需核实）"


class RuleQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Rules follow their indicator's scope (an indicator is kept above and used below)."""
        return self.filter(left__in=Indicator.objects.visible_to(user))


class ValidationRule(models.Model):
    """Left ⋄ factor × right between two indicators of the same village and period, kept as data."""

    left = models.ForeignKey(Indicator, models.PROTECT, related_name="+", verbose_name="左侧指标")
    operator = models.CharField("关系", max_length=2, choices=Operator.choices)
    right = models.ForeignKey(Indicator, models.PROTECT, related_name="+", verbose_name="右侧指标")
    factor = models.DecimalField("右侧系数", max_digits=10, decimal_places=4, default=1)
    severity = models.CharField("严重程度", max_length=10, choices=Severity.choices, default=Severity.ERROR)
    message = models.CharField("提示语", max_length=200, blank=True)
    is_active = models.BooleanField("有效", default=True)
    version = models.PositiveIntegerField("版本", default=1)

    objects = RuleQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "校验规则"
        ordering = ["pk"]

    def __str__(self):
        factor = "" if self.factor == 1 else f"{self.factor.normalize()} × "
        return f"{self.left.name} {self.get_operator_display()} {factor}{self.right.name}"


@badge_choices(
    {
        "draft": "secondary",
        "submitted": "info",
        "approved": "success",
        "rejected": "danger",
        "merged": "warning",
        "retired": "dark",
        "superseded": "light",
    }
)
class FormStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待审定"
    APPROVED = "approved", "已列入清单"
    REJECTED = "rejected", "未予列入"
    MERGED = "merged", "已合并"
    RETIRED = "retired", "已撤销"
    SUPERSEDED = "superseded", "已由新版本替代"


# A department form's way into the annual form list (填报表格清单): registered as a draft, submitted, then listed,
# kept out or merged by the reviewer; only a listed form is scheduled and sent to villages.
FORM_FLOW = Workflow(
    FormStatus,
    Transition("edit", "修改栏目", {FormStatus.DRAFT}),
    Transition("submit", "提交审定", {FormStatus.DRAFT}, FormStatus.SUBMITTED),
    Transition("approve", "列入清单", {FormStatus.SUBMITTED}, FormStatus.APPROVED),
    Transition("reject", "不予列入", {FormStatus.SUBMITTED}, FormStatus.REJECTED),
    Transition("merge", "合并", {FormStatus.SUBMITTED}, FormStatus.MERGED),
    Transition("schedule", "安排填报", {FormStatus.APPROVED}),
    # A listed form whose fields change gets a new version (``revises``) that walks the same approval; once it is
    # listed, the old one is superseded: its periods already opened keep it, new periods use the new version.
    Transition("revise", "修订栏目", {FormStatus.APPROVED}),
    Transition("supersede", "由新版本替代", {FormStatus.APPROVED}, FormStatus.SUPERSEDED),
)


class FormQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Forms of the user's own department, or of departments in the regions the user sees."""
        if not user.is_authenticated or not user.has_capability(Capability.FORMS_VIEW):
            return self.none()
        scope = access.subtree_and_above(user, "region__code", Capability.FORMS_VIEW)
        return self.filter(scope | Q(department_id__in=user.department_ids()))


class DepartmentForm(models.Model):
    """A form a department wants villages to fill in a year; it reaches villages only once it is in the list."""

    department = models.ForeignKey(Department, models.PROTECT, related_name="+", verbose_name="报表部门")
    region = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name="适用区划")
    year = models.PositiveSmallIntegerField("年度")
    number = models.CharField("清单编号", max_length=40, blank=True)
    name = models.CharField("报表名称", max_length=120)
    legal_basis = models.CharField("填报依据", max_length=300)
    frequency = models.CharField("填报频次", max_length=12, choices=Frequency.choices)
    list_item_code = models.CharField("服务的清单事项编码", max_length=40, blank=True)
    list_item_text = models.CharField("服务的清单事项", max_length=300, blank=True)
    exception_reason = models.CharField("高频填报例外理由", max_length=300, blank=True)
    due_day = models.PositiveSmallIntegerField(
        "报送截止日", default=10, help_text="每期结束后次月的第几日前报送（1–28 日）"
    )
    status = models.CharField("状态", max_length=10, choices=FormStatus.choices, default=FormStatus.DRAFT)
    merged_into = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="合并到"
    )
    decision_note = models.CharField("审定意见", max_length=300, blank=True)
    revises = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="revisions", verbose_name="修订自"
    )
    edition = models.PositiveSmallIntegerField("报表版本", default=1)
    revision_reason = models.CharField("修订理由", max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="登记人",
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    version = models.PositiveIntegerField("版本", default=1)

    objects = FormQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "部门报表"
        ordering = ["-year", "department__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["revises"],
                condition=Q(status__in=["draft", "submitted"]),
                name="forms_form_one_open_revision",
            )
        ]

    def __str__(self):
        return f"{self.year}年 {self.name}"

    def earlier_ids(self) -> list[int]:
        """The forms this one revises, back to the first version: a period one of them opened is not opened again."""
        ids, current = [], self.revises_id
        while current is not None:
            ids.append(current)
            current = DepartmentForm.objects.filter(pk=current).values_list("revises_id", flat=True).first()
        return ids


class FormTransition(models.Model):
    """Append-only: every step of a form (登记, 提交, 列入, 不予列入, 合并, 下发)."""

    form = models.ForeignKey(DepartmentForm, models.PROTECT, related_name="transitions", verbose_name="报表")
    from_status = models.CharField("原状态", max_length=10, blank=True)
    to_status = models.CharField("新状态", max_length=10)
    note = models.CharField("说明", max_length=300, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    at = models.DateTimeField("时间")

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.from_status} → {self.to_status}"


class FormField(models.Model):
    """A column of a department's form: mapped to a base indicator (served) or new (typed by the village)."""

    form = models.ForeignKey(DepartmentForm, models.CASCADE, related_name="fields", verbose_name="报表")
    position = models.PositiveSmallIntegerField("列序")
    label = models.CharField("栏目名称", max_length=100)
    unit = models.CharField("单位", max_length=20, blank=True)
    value_type = models.CharField(
        "数据类型", max_length=10, choices=ValueType.choices, default=ValueType.INTEGER
    )
    indicator = models.ForeignKey(
        Indicator,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="form_fields",
        verbose_name="对应基础指标",
    )
    justification = models.CharField("新增理由", max_length=300, blank=True)
    proposals = models.JSONField("系统建议", default=list, blank=True, help_text="[{indicator, name, score}]")
    duplicates = models.JSONField("重复提示", default=list, blank=True, help_text="[{kind, id, name, score}]")

    class Meta:
        verbose_name = verbose_name_plural = "报表栏目"
        ordering = ["form", "position"]

    def __str__(self):
        return self.label

    @property
    def is_served(self) -> bool:
        return self.indicator_id is not None


class ListRules(models.Model):
    """The annual list's rules for a county (or above), with the defaults published practice uses."""

    region = models.OneToOneField(Region, models.PROTECT, related_name="+", verbose_name="区划")
    require_list_item = models.BooleanField("只列入服务依法履职或依法协助事项的报表", default=True)
    max_forms_per_department = models.PositiveSmallIntegerField("每个部门每年最多报表数", default=1)
    max_frequency = models.CharField(
        "最高填报频次", max_length=12, choices=Frequency.choices, default=Frequency.MONTHLY
    )
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = verbose_name_plural = "填报表格清单规则"

    def __str__(self):
        return f"{self.region} 填报表格清单规则"


@badge_choices(
    {
        "open": "warning",
        "submitted": "info",
        "returned": "danger",
        "approved": "primary",
        "accepted": "success",
    }
)
class FormTaskStatus(models.TextChoices):
    OPEN = "open", "待填报"
    SUBMITTED = "submitted", "已报送"
    RETURNED = "returned", "已退回"
    APPROVED = "approved", "乡镇已审核"
    ACCEPTED = "accepted", "县级已接收"


# Approval levels: the village submits, its township approves or returns it with a reason, the county accepts what
# the township approved (or returns it); a returned task is filled again and submitted again.
TASK_FLOW = Workflow(
    FormTaskStatus,
    Transition("submit", "报送", {FormTaskStatus.OPEN, FormTaskStatus.RETURNED}, FormTaskStatus.SUBMITTED),
    Transition("approve", "审核通过", {FormTaskStatus.SUBMITTED}, FormTaskStatus.APPROVED),
    Transition(
        "return", "退回", {FormTaskStatus.SUBMITTED, FormTaskStatus.APPROVED}, FormTaskStatus.RETURNED
    ),
    Transition("accept", "接收", {FormTaskStatus.APPROVED}, FormTaskStatus.ACCEPTED),
)
# What the reporting rates count as reported, as approved by the township and as accepted by the county; a
# returned task counts as not reported until it is submitted again.
REPORTED_STATES: tuple[str, ...] = (
    FormTaskStatus.SUBMITTED,
    FormTaskStatus.APPROVED,
    FormTaskStatus.ACCEPTED,
)
APPROVED_STATES: tuple[str, ...] = (FormTaskStatus.APPROVED, FormTaskStatus.ACCEPTED)
ACCEPTED_STATES: tuple[str, ...] = (FormTaskStatus.ACCEPTED,)


class TaskQuerySet(VillageScoped):
    def visible_to(self, user):
        """The tasks of the villages under the user's region roles, and the tasks of the forms of the departments
        the user acts for: a department reads how its own forms are being reported, in every village."""
        if not user.is_authenticated:
            return self.none()
        scope = access.subtree(user, self.scope_field, *self.scope_capabilities)
        departments = access.department_ids(user, *self.scope_capabilities)
        return self.filter(scope | Q(issue__form__department_id__in=departments) if departments else scope)


class ScheduleQuerySet(access.ScopedQuerySet):
    scope_field = "township__code"
    scope_capabilities = (Capability.FORMS_VIEW,)


class TownshipSchedule(models.Model):
    """A township's own schedule for a listed form: the listed frequency or less often (never more), and its due
    day. Without a row the township's villages follow the list."""

    form = models.ForeignKey(DepartmentForm, models.PROTECT, related_name="schedules", verbose_name="报表")
    township = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name="乡镇（街道）")
    frequency = models.CharField("填报频次", max_length=12, choices=Frequency.choices)
    due_day = models.PositiveSmallIntegerField("报送截止日")
    note = models.CharField("调整说明", max_length=300, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="调整人",
    )
    changed_at = models.DateTimeField("调整时间")
    version = models.PositiveIntegerField("版本", default=1)

    objects = ScheduleQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "乡镇填报安排"
        ordering = ["form", "township__code"]
        constraints = [
            models.UniqueConstraint(fields=["form", "township"], name="forms_schedule_unique_township")
        ]

    def __str__(self):
        return f"{self.township} {self.form.name} {self.get_frequency_display()}"


class FormIssue(models.Model):
    """One sending of an approved form for a period to the villages in its region."""

    form = models.ForeignKey(DepartmentForm, models.PROTECT, related_name="issues", verbose_name="报表")
    period = models.CharField("统计期", max_length=10)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="下发人",
    )
    issued_at = models.DateTimeField("下发时间")
    scheduled = models.BooleanField("按清单自动开放", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "报表下发"
        constraints = [models.UniqueConstraint(fields=["form", "period"], name="forms_issue_once")]

    def __str__(self):
        return f"{self.form.name} {self.period}"


class FormTask(models.Model):
    """What a form asks of one village: the new fields to type; served fields to confirm or correct."""

    # No index of its own: the unique (issue, village) constraint's index serves every lookup by issue, and one
    # index fewer is a fifth less work when a period opens 600,000 tasks.
    issue = models.ForeignKey(
        FormIssue, models.PROTECT, related_name="tasks", verbose_name="下发", db_index=False
    )
    village = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name="村（社区）")
    status = models.CharField(
        "状态", max_length=10, choices=FormTaskStatus.choices, default=FormTaskStatus.OPEN
    )
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    due_on = models.DateField("报送截止日期", null=True, blank=True)
    on_time = models.BooleanField("按时报送", null=True, blank=True)
    return_reason = models.CharField("退回理由", max_length=300, blank=True)
    typed = models.PositiveIntegerField("村（社区）填写栏目数", default=0)
    served = models.PositiveIntegerField("共享带出栏目数", default=0)
    version = models.PositiveIntegerField("版本", default=1)

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "报表填报任务"
        ordering = ["-issue__issued_at", "village__code"]
        constraints = [models.UniqueConstraint(fields=["issue", "village"], name="forms_task_unique")]
        indexes = [models.Index(fields=["status", "due_on"], name="forms_task_status_due")]

    def __str__(self):
        return f"{self.issue} · {self.village}"


class RollupQuerySet(access.ScopedQuerySet):
    scope_field = "township_code"
    scope_capabilities = (Capability.FORMS_VIEW,)

    def visible_to(self, user):
        """Cells of the townships under the user's region roles, and of the forms of the departments the user acts
        for (a department reads the reporting of its own forms in every township). A village role sees no cell: a
        cell adds up a whole township, so a village's own figures are read from its tasks."""
        if not user.is_authenticated:
            return self.none()
        scope = access.subtree(user, self.scope_field, Capability.FORMS_VIEW)
        departments = access.department_ids(user, Capability.FORMS_VIEW)
        return self.filter(scope | Q(form__department_id__in=departments) if departments else scope)


class ReportingRollup(models.Model):
    """The reporting-rate report's source: per issue (a form's period), township and due date, how many tasks were
    expected, reported, on time, late, approved by the township and accepted by the county. Overdue is read from
    it at query time (unreported cells whose due date has passed), so the cells never go stale with the calendar.

    The services that open periods and move tasks keep it current in their own transaction
    (``services.rollup``); ``jianfu forms_rollup`` rebuilds it from the tasks."""

    issue = models.ForeignKey(FormIssue, models.CASCADE, related_name="+", verbose_name="下发")
    form = models.ForeignKey(DepartmentForm, models.CASCADE, related_name="+", verbose_name="报表")
    year = models.PositiveSmallIntegerField("年度")
    period = models.CharField("统计期", max_length=10)
    township = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name="乡镇（街道）")
    township_code = models.CharField("乡镇（街道）代码", max_length=12)
    due_on = models.DateField("报送截止日期", null=True, blank=True)
    expected = models.PositiveIntegerField("应报", default=0)
    submitted = models.PositiveIntegerField("已报", default=0)
    timely = models.PositiveIntegerField("按时报送", default=0)
    late = models.PositiveIntegerField("逾期报送", default=0)
    approved = models.PositiveIntegerField("乡镇已审核", default=0)
    accepted = models.PositiveIntegerField("县级已接收", default=0)

    objects = RollupQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "报送情况汇总"
        constraints = [
            models.UniqueConstraint(fields=["issue", "township", "due_on"], name="forms_rollup_cell")
        ]
        indexes = [models.Index(fields=["year", "township_code"], name="forms_rollup_year_township")]

    def __str__(self):
        return f"{self.form_id} {self.period} {self.township_code}"


class FormTaskStep(models.Model):
    """Append-only: every step of a task (报送, 审核通过, 退回 with its reason, 接收) and who took it."""

    task = models.ForeignKey(FormTask, models.PROTECT, related_name="steps", verbose_name="填报任务")
    step = models.CharField("环节", max_length=10)
    from_status = models.CharField("原状态", max_length=10)
    to_status = models.CharField("新状态", max_length=10)
    note = models.CharField("意见或理由", max_length=300, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="操作人",
    )
    at = models.DateTimeField("时间")

    class Meta:
        verbose_name = verbose_name_plural = "填报任务环节"
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.task_id} {self.label}"

    @property
    def label(self) -> str:
        return TASK_FLOW.transitions[self.step].label if self.step in TASK_FLOW.transitions else self.step

    @property
    def to_label(self) -> str:
        return FormTaskStatus(self.to_status).label if self.to_status in FormTaskStatus.values else ""


class TaskValue(models.Model):
    """A typed value of a new field (served fields are read live from the base table)."""

    task = models.ForeignKey(FormTask, models.CASCADE, related_name="values")
    field = models.ForeignKey(FormField, models.PROTECT, related_name="+")
    value = models.CharField("数值", max_length=200)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["task", "field"], name="forms_taskvalue_unique")]

    def __str__(self):
        return self.value


class ChannelKind(models.TextChoices):
    WECHAT = "wechat", "微信工作群"
    QQ = "qq", "QQ 工作群"
    APP = "app", "政务 APP"
    OFFICIAL = "official", "公众号"
    OTHER = "other", "其他平台"


@badge_choices({"active": "info", "kept": "success", "merged": "warning", "closed": "secondary"})
class ChannelStatus(models.TextChoices):
    ACTIVE = "active", "待清理"
    KEPT = "kept", "保留"
    MERGED = "merged", "已整合"
    CLOSED = "closed", "已关停"


# The clean-up's decision on a channel; the county office may revisit a decision (a kept group later closed).
CHANNEL_FLOW = Workflow(
    ChannelStatus,
    Transition("kept", "保留", set(ChannelStatus.values), ChannelStatus.KEPT),
    Transition("merged", "整合", set(ChannelStatus.values), ChannelStatus.MERGED),
    Transition("closed", "关停", set(ChannelStatus.values), ChannelStatus.CLOSED),
)


class ChannelUse(models.TextChoices):
    """What the channel is used for; the last four alone mean closure (seed 004: 投票、积分、摊派指标、签到打卡)."""

    WORK = "work", "工作联络"
    SERVICE = "service", "为民服务"
    VOTING = "voting", "投票"
    POINTS = "points", "积分"
    QUOTA = "quota", "摊派指标"
    CHECKIN = "checkin", "签到打卡"


CLOSURE_USES = {ChannelUse.VOTING, ChannelUse.POINTS, ChannelUse.QUOTA, ChannelUse.CHECKIN}


class ChannelQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The county's channels reach the villages below, so a township sees its county's; plus the user's department's."""
        if not user.is_authenticated or not user.has_capability(Capability.FORMS_VIEW):
            return self.none()
        scope = access.subtree_and_above(user, "region__code", Capability.FORMS_VIEW)
        return self.filter(scope | Q(department_id__in=user.department_ids()))


class WorkChannel(models.Model):
    """A WeChat/QQ group, APP or official account pointed at villages, and what became of it in the clean-up."""

    kind = models.CharField("类型", max_length=10, choices=ChannelKind.choices)
    name = models.CharField("名称", max_length=100)
    department = models.ForeignKey(Department, models.PROTECT, related_name="+", verbose_name="主管部门")
    region = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name="覆盖区划")
    purpose = models.CharField("用途说明", max_length=300)
    uses = models.JSONField("用途", default=list)
    status = models.CharField(
        "状态", max_length=10, choices=ChannelStatus.choices, default=ChannelStatus.ACTIVE
    )
    merged_into = models.CharField("整合到", max_length=100, blank=True)
    status_note = models.CharField("处理说明", max_length=300, blank=True)
    status_changed_at = models.DateTimeField("处理时间", null=True, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    version = models.PositiveIntegerField("版本", default=1)

    objects = ChannelQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "工作群和政务APP"
        ordering = ["status", "kind", "name"]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.name}"

    @property
    def flagged_for_closure(self) -> bool:
        """Used only for voting, points, quota-pushing or check-ins, and still open."""
        uses = set(self.uses or [])
        return (
            bool(uses) and uses <= CLOSURE_USES and self.status in (ChannelStatus.ACTIVE, ChannelStatus.KEPT)
        )

    def uses_display(self) -> str:
        labels = dict(ChannelUse.choices)
        return "、".join(labels.get(u, u) for u in self.uses or [])


from .category_models import (  # noqa: E402,F401  (registered with the forms app; see category_models)
    BreakdownValue,
    Category,
    CategoryCombo,
    CategoryOption,
    ComboCategory,
)
from .models_quality import FLAG_FLOW, FlagKind, FlagStatus, ValueFlag  # noqa: E402, F401
