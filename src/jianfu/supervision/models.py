"""督查检查考核计划与到村记录，工作机制和牌子: data and invariants.

Seed 004: inspections of villages need an approved annual plan ("凡未列入年度计划的，原则上不得组织开展"), and
research visits may not demand briefing materials; seeds 001/004: outside a village's premises only 4 placards
and 2 signs, 9 placards inside, and work mechanisms only where a law or the central/provincial level requires.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from jianfu.core.choices import badge_choices
from jianfu.core.text import STEP_NOTE, TEXT, BoundedTextField
from jianfu.core.workflow import Transition, Workflow
from jianfu.orgs import access
from jianfu.orgs.models import Department, Region, subtree_q
from jianfu.orgs.roles import Capability

from .standard_schema import clean_entries, clean_wall_rules


class InspectionKind(models.TextChoices):
    SUPERVISION = "supervision", "督查"
    INSPECTION = "inspection", "检查"
    ASSESSMENT = "assessment", "考核"
    RESEARCH = "research", "调研"


@badge_choices({"draft": "secondary", "submitted": "info", "approved": "success", "returned": "warning"})
class PlanStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已报送"
    APPROVED = "approved", "已批准"
    RETURNED = "returned", "已退回"


# A plan's arrows; one service per arrow (services.py). Approved is final (supplements are their own records).
PLAN_FLOW = Workflow(
    PlanStatus,
    Transition("edit", "修改", {PlanStatus.DRAFT, PlanStatus.RETURNED}),
    Transition("submitted", "报送", {PlanStatus.DRAFT, PlanStatus.RETURNED}, PlanStatus.SUBMITTED),
    Transition("approved", "批准", {PlanStatus.SUBMITTED}, PlanStatus.APPROVED),
    Transition("returned", "退回", {PlanStatus.SUBMITTED}, PlanStatus.RETURNED),
    Transition("supplement", "报送补充", {PlanStatus.APPROVED}),
)


class PlanQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The plans of departments in the user's region subtree once submitted, and their own department's
        plans in every state: a draft is the department's own until it sends it."""
        prefixes = access.region_prefixes(user, Capability.SUPERVISION_VIEW)
        return self.filter(
            (subtree_q(prefixes, "department__region__code") & ~Q(status=PlanStatus.DRAFT))
            | Q(department_id__in=access.department_ids(user, Capability.SUPERVISION_VIEW))
        )


class InspectionPlan(models.Model):
    """One department's annual plan of supervision, inspection, assessment and research visits to villages."""

    department = models.ForeignKey(Department, models.PROTECT, related_name="+", verbose_name="部门")
    year = models.PositiveSmallIntegerField("年度")
    status = models.CharField("状态", max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    note = BoundedTextField("说明", blank=True, max_length=TEXT)
    decision_note = BoundedTextField("审批意见", blank=True, max_length=TEXT)
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    version = models.PositiveIntegerField("版本", default=1)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "督查检查考核计划"
        ordering = ["-year", "department__name"]
        constraints = [models.UniqueConstraint(fields=["department", "year"], name="supervision_plan_unique")]

    def __str__(self):
        return f"{self.department.name}{self.year}年度督查检查考核计划"

    @property
    def editable(self) -> bool:
        return PLAN_FLOW.may(self, "edit")


@badge_choices({"submitted": "info", "approved": "success", "refused": "danger"})
class SupplementStatus(models.TextChoices):
    SUBMITTED = "submitted", "待审批"
    APPROVED = "approved", "已批准"
    REFUSED = "refused", "不予批准"


# Seed 004: what is not in the annual plan is in principle not held ("原则上不得"): a supplement to an approved
# plan is its own record, with its reason, approved or refused by the office (never the department's own staff).
SUPPLEMENT_FLOW = Workflow(
    SupplementStatus,
    Transition("approved", "批准", {SupplementStatus.SUBMITTED}, SupplementStatus.APPROVED),
    Transition("refused", "不予批准", {SupplementStatus.SUBMITTED}, SupplementStatus.REFUSED),
)


class PlanSupplement(models.Model):
    """A supplement to an approved annual plan: the visits added, why, and the office's decision."""

    plan = models.ForeignKey(InspectionPlan, models.CASCADE, related_name="supplements", verbose_name="计划")
    reason = BoundedTextField("补充理由", max_length=TEXT)
    status = models.CharField(
        "状态", max_length=16, choices=SupplementStatus.choices, default=SupplementStatus.SUBMITTED
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="报送人",
    )
    submitted_at = models.DateTimeField("报送时间", auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审批人",
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_note = BoundedTextField("审批意见", blank=True, max_length=TEXT)
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = verbose_name_plural = "督查检查考核计划补充"
        ordering = ["id"]

    def __str__(self):
        return (
            f"{self.plan}的补充（{self.submitted_at:%Y-%m-%d}）"
            if self.submitted_at
            else f"{self.plan}的补充"
        )


# The items a visit is matched against: the approved plan's own, and those of its approved supplements.
ITEMS_IN_FORCE = Q(supplement__isnull=True) | Q(supplement__status=SupplementStatus.APPROVED)


class PlanItem(models.Model):
    """One planned visit: what, when (month) and where (named villages, or a number of villages in a scope)."""

    plan = models.ForeignKey(InspectionPlan, models.CASCADE, related_name="items", verbose_name="计划")
    kind = models.CharField("类型", max_length=16, choices=InspectionKind.choices)
    subject = models.CharField("事项", max_length=200)
    month = models.PositiveSmallIntegerField("月份")
    villages = models.ManyToManyField(Region, blank=True, related_name="+", verbose_name="到村（社区）")
    scope = models.ForeignKey(
        Region, models.PROTECT, related_name="+", verbose_name="范围", help_text="按村数计划时，村所在的区划"
    )
    village_count = models.PositiveIntegerField("村（社区）数", default=0)
    demands_materials = models.BooleanField("要求准备汇报材料", default=False)
    veto = models.BooleanField("含一票否决事项", default=False)
    supplement = models.ForeignKey(
        PlanSupplement,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="items",
        verbose_name="所属补充",
        help_text="空为年度计划本身的事项",
    )

    class Meta:
        verbose_name = verbose_name_plural = "计划事项"
        ordering = ["month", "id"]

    def __str__(self):
        return f"{self.month}月 {self.get_kind_display()}：{self.subject}"


class PlanTransition(models.Model):
    """One step of a plan's history: who moved it from where to where, and why."""

    plan = models.ForeignKey(InspectionPlan, models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=16, choices=PlanStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=PlanStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField(max_length=100, blank=True)
    note = BoundedTextField("说明", blank=True, max_length=STEP_NOTE)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class VillageQuerySet(access.ScopedQuerySet):
    scope_field = "village__code"
    scope_capabilities = (Capability.SUPERVISION_VIEW,)


class VisitQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Visits at villages in the user's subtree, and the visits of their own department."""
        prefixes = access.region_prefixes(user, Capability.SUPERVISION_VIEW)
        return self.filter(
            subtree_q(prefixes, "village__code")
            | Q(department_id__in=access.department_ids(user, Capability.SUPERVISION_VIEW))
        )


class InspectionVisit(models.Model):
    """A visit a village received, as the village (or township, or monitor) recorded it, with its verdict.

    Append-only: the verdict is the plan check at the time of recording."""

    village = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name="村（社区）")
    department = models.ForeignKey(Department, models.PROTECT, related_name="+", verbose_name="部门")
    on = models.DateField("日期", db_index=True)
    kind = models.CharField("类型", max_length=16, choices=InspectionKind.choices)
    subject = models.CharField("事项", max_length=200)
    demanded_materials = models.BooleanField("要求准备汇报材料", default=False)
    note = models.CharField("说明", max_length=300, blank=True)
    plan_item = models.ForeignKey(
        PlanItem, models.PROTECT, null=True, blank=True, related_name="visits", verbose_name="对应计划事项"
    )
    unplanned = models.BooleanField("计划外", default=False)
    materials_flag = models.BooleanField("要求汇报材料", default=False)
    veto_flag = models.BooleanField("一票否决", default=False)
    over_limit = models.BooleanField("超过每周次数上限", default=False)
    rule = models.CharField("违反的规定", max_length=100, blank=True)
    detail = models.CharField("核对情况", max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = VisitQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "到村督查检查记录"
        ordering = ["-on", "-id"]
        indexes = [models.Index(fields=["department", "on"], name="supervision_visit_dept_on")]

    def __str__(self):
        return f"{self.on} {self.department.name}{self.get_kind_display()}（{self.village.name}）"

    @property
    def flagged(self) -> bool:
        return self.unplanned or self.materials_flag or self.veto_flag or self.over_limit


# The visits something is wrong with (unplanned, materials demanded, a one-vote veto, over the weekly limit).
FLAGGED = Q(unplanned=True) | Q(materials_flag=True) | Q(veto_flag=True) | Q(over_limit=True)


class PlacardKind(models.TextChoices):
    OUTSIDE_PLACARD = "outside_placard", "外部标牌"
    OUTSIDE_SIGN = "outside_sign", "外部标识"
    INSIDE_PLACARD = "inside_placard", "内部标牌"
    WALL_RULE = "wall_rule", "上墙制度"


PLACARD_KINDS = (PlacardKind.OUTSIDE_PLACARD, PlacardKind.OUTSIDE_SIGN, PlacardKind.INSIDE_PLACARD)


@badge_choices({"up": "primary", "removed": "secondary"})
class PlacardStatus(models.TextChoices):
    UP = "up", "在挂"
    REMOVED = "removed", "已摘除"


# A placard (or a mechanism, which shares the states) comes down once; it stays on record with the date.
PLACARD_FLOW = Workflow(
    PlacardStatus, Transition("remove", "摘除", {PlacardStatus.UP}, PlacardStatus.REMOVED)
)


class Placard(models.Model):
    """A placard, sign or rule on the wall of a village's premises, with its photo; removed, never deleted."""

    village = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name="村（社区）")
    kind = models.CharField("类别", max_length=16, choices=PlacardKind.choices)
    title = models.CharField("名称", max_length=100)
    department_name = models.CharField("要求挂牌的单位", max_length=100, blank=True)
    photo = models.FileField("照片", upload_to="supervision/placards/%Y/", blank=True)
    status = models.CharField("状态", max_length=16, choices=PlacardStatus.choices, default=PlacardStatus.UP)
    removed_on = models.DateField("摘除日期", null=True, blank=True, db_index=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="摘除人",
    )
    removal_note = models.CharField("摘除说明", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    version = models.PositiveIntegerField("版本", default=1)

    objects = VillageQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "牌子和上墙制度"
        ordering = ["village__code", "kind", "id"]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.title}（{self.village.name}）"


class Mechanism(models.Model):
    """A work mechanism (工作机制: a branch, centre, station, required post) set up in a village."""

    village = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name="村（社区）")
    name = models.CharField("名称", max_length=100)
    department_name = models.CharField("设立单位", max_length=100)
    legal_basis = models.CharField(
        "依据", max_length=300, blank=True, help_text="法律法规或中央、省级文件；没有请留空"
    )
    status = models.CharField("状态", max_length=16, choices=PlacardStatus.choices, default=PlacardStatus.UP)
    removed_on = models.DateField("撤销日期", null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    version = models.PositiveIntegerField("版本", default=1)

    objects = VillageQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "村级工作机制"
        ordering = ["village__code", "id"]

    def __str__(self):
        return f"{self.name}（{self.village.name}）"


class PlacardStandard(models.Model):
    """A region's standard for placards (applies to its subtree; the nearest one up the tree wins).

    Each entry of ``outside_placards``/``outside_signs`` is ``{"name": ..., "keywords": [...]}``: a registered
    placard whose title contains a keyword fills that entry, once. ``wall_rules`` lists the keywords of the
    rules that may stay on the wall (the reference catalogue of seed 004)."""

    region = models.OneToOneField(Region, models.PROTECT, related_name="+", verbose_name="区划")
    outside_placards = models.JSONField("外部标牌", default=list, blank=True)
    outside_signs = models.JSONField("外部标识", default=list, blank=True)
    inside_max = models.PositiveSmallIntegerField("内部标牌上限", default=9)
    wall_rules = models.JSONField("可上墙的制度（关键词）", default=list, blank=True)
    source = models.CharField("依据", max_length=300, blank=True)
    version = models.PositiveIntegerField("版本", default=1)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "牌子标准"

    def __str__(self):
        return f"{self.region.name}牌子标准"

    def clean(self):
        # Also guards the admin: an entry without a name would break every village check below the region.
        clean_entries(self.outside_placards, "outside_placards", "外部标牌")
        clean_entries(self.outside_signs, "outside_signs", "外部标识")
        clean_wall_rules(self.wall_rules)
