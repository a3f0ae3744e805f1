"""费随事转: funding and people follow the work pushed down to villages and communities.

《关于开展村（社区）减负工作的实施方案》二（四）"强化基层工作保障"：全面梳理部门延伸至社区的服务事项落实经费和人员
保障情况，建立实行"费随事转"机制; seed 003 三（三）"权随责转、人随事转、费随事转". For each admitted item, and each
assist item that carries money, a yearly ledger holds what the department promised; the township enters what
reached each village and the village confirms it (or objects). Each department also files the yearly survey
(梳理表) of its services reaching communities, with their funds and people.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from jianfu.core.choices import badge_choices
from jianfu.core.text import NOTE, BoundedTextField
from jianfu.core.workflow import Transition as Arrow
from jianfu.core.workflow import Workflow
from jianfu.orgs import access
from jianfu.orgs.models import Department, Region, subtree_q
from jianfu.orgs.roles import Capability

SOURCE_DOCUMENT = "《关于开展村（社区）减负工作的实施方案》"
SURVEY_CLAUSE = (
    f"{SOURCE_DOCUMENT}二（四）“强化基层工作保障”："
    "全面梳理部门延伸至社区的服务事项落实经费和人员保障情况，建立实行“费随事转”机制"
)


def money_field(label: str) -> models.DecimalField:
    """An amount in yuan, never negative."""
    return models.DecimalField(
        label, max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )


FUNDING_CAPS = (Capability.FUNDING_REVIEW, Capability.FUNDING_VIEW)


def _reaches(user) -> Q:
    """Ledgers whose item reaches the user's townships: no admitted item or one covering the whole county, or one
    whose 实施范围 names the township or one of its villages."""
    townships = access.region_prefixes(user, Capability.FUNDING_ENTER)
    return (
        Q(admitted_item__isnull=True)
        | Q(admitted_item__scope_all=True)
        | subtree_q(townships, "admitted_item__scope_regions__code")
    )


class LedgerQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Not one subtree: the county's reviewers see its ledgers, a department its own, a township those of its
        county whose item reaches one of its villages (to enter what reached them; the rule of
        ``services.in_scope``) or which already have entries for them, and a village those that reached it."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            access.subtree(user, "county__code", *FUNDING_CAPS)
            | (access.subtree_and_above(user, "county__code", Capability.FUNDING_ENTER) & _reaches(user))
            | Q(department_id__in=access.department_ids(user, Capability.FUNDING_LEDGER))
            | Q(
                pk__in=FundingAllocation.objects.filter(
                    access.subtree(
                        user, "village__code", Capability.FUNDING_ENTER, Capability.FUNDING_CONFIRM
                    )
                ).values("ledger")
            )
        ).distinct()


class FundingLedger(models.Model):
    """One item's funding and people for one year: what its department promised to the villages it reaches."""

    county = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name="县（市、区）")
    year = models.PositiveIntegerField("年度")
    department = models.ForeignKey(Department, models.PROTECT, related_name="+", verbose_name="交办部门")
    admitted_item = models.ForeignKey(
        "admission.AdmittedItem",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="funding_ledgers",
        verbose_name="已准入事项",
    )
    item_code = models.CharField("事项编码", max_length=40)
    item_title = models.CharField("事项名称", max_length=200)
    promised_amount = money_field("承诺下拨经费（元）")
    promised_people = models.PositiveIntegerField("承诺保障人员（人）", default=0)
    people_note = BoundedTextField("人员保障说明", blank=True, max_length=NOTE)
    funds_source = models.CharField("经费来源", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="建立人",
    )
    created_at = models.DateTimeField("建立时间", auto_now_add=True)
    version = models.PositiveIntegerField("版本", default=1)

    objects = LedgerQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "费随事转台账"
        ordering = ["-year", "item_code"]
        constraints = [
            models.UniqueConstraint(fields=["county", "year", "item_code"], name="funding_ledger_once_a_year")
        ]

    def __str__(self):
        return f"{self.year}年 {self.item_code} {self.item_title}"


@badge_choices({"entered": "warning", "confirmed": "success", "disputed": "danger"})
class AllocationState(models.TextChoices):
    ENTERED = "entered", "待村（社区）确认"
    CONFIRMED = "confirmed", "村（社区）已确认"
    DISPUTED = "disputed", "村（社区）有异议"


# The township enters what reached a village; the village confirms it or objects; the township corrects an
# entry (also one objected to), which asks the village again. A confirmed entry is final.
ALLOCATION_FLOW = Workflow(
    AllocationState,
    Arrow("confirm", "确认到位", {AllocationState.ENTERED}, AllocationState.CONFIRMED),
    Arrow("dispute", "提出异议", {AllocationState.ENTERED}, AllocationState.DISPUTED),
    Arrow(
        "correct",
        "更正",
        {AllocationState.ENTERED, AllocationState.DISPUTED},
        AllocationState.ENTERED,
        hint="村（社区）已确认的记录不能再改；如有出入，请另行说明。",
    ),
    field="state",
)


class AllocationQuerySet(access.ScopedQuerySet):
    scope_field = "village__code"
    scope_capabilities = (
        Capability.FUNDING_ENTER,
        Capability.FUNDING_CONFIRM,
        Capability.FUNDING_REVIEW,
        Capability.FUNDING_VIEW,
    )


class FundingAllocation(models.Model):
    """What reached one village of a ledger: money and people, entered by its township, confirmed by the village."""

    ledger = models.ForeignKey(FundingLedger, models.PROTECT, related_name="allocations", verbose_name="台账")
    township = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name="乡镇（街道）")
    village = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name="村（社区）")
    amount = money_field("到位经费（元）")
    people = models.PositiveIntegerField("到位人员（人）", default=0)
    people_names = models.CharField("人员姓名或岗位", max_length=300, blank=True)
    state = models.CharField(
        "状态", max_length=12, choices=AllocationState.choices, default=AllocationState.ENTERED
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+", verbose_name="录入人"
    )
    entered_at = models.DateTimeField("录入时间")
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="确认人",
    )
    answered_at = models.DateTimeField("确认时间", null=True, blank=True)
    village_note = models.CharField("村（社区）说明", max_length=300, blank=True)
    version = models.PositiveIntegerField("版本", default=1)

    objects = AllocationQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "经费人员到位记录"
        ordering = ["village__code"]
        constraints = [
            models.UniqueConstraint(fields=["ledger", "village"], name="funding_allocation_once_per_village")
        ]

    def __str__(self):
        return f"{self.ledger.item_code} → {self.village.name}"


@badge_choices({"draft": "secondary", "submitted": "warning", "accepted": "success", "returned": "danger"})
class SurveyState(models.TextChoices):
    DRAFT = "draft", "填报中"
    SUBMITTED = "submitted", "已报送"
    ACCEPTED = "accepted", "已受理"
    RETURNED = "returned", "已退回"


SURVEY_FLOW = Workflow(
    SurveyState,
    Arrow("fill", "填报", {SurveyState.DRAFT, SurveyState.RETURNED}),
    Arrow("submit", "报送", {SurveyState.DRAFT, SurveyState.RETURNED}, SurveyState.SUBMITTED),
    Arrow("accept", "受理", {SurveyState.SUBMITTED}, SurveyState.ACCEPTED),
    Arrow("return", "退回", {SurveyState.SUBMITTED}, SurveyState.RETURNED),
    field="state",
)


class SurveyQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A department's own returns, and every return of the county for its reviewers."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            access.subtree(user, "department__region__code", *FUNDING_CAPS)
            | Q(department_id__in=access.department_ids(user, Capability.FUNDING_LEDGER))
        )


class FundingSurvey(models.Model):
    """A department's yearly return: its services reaching villages and communities, with their funds and people."""

    department = models.ForeignKey(Department, models.PROTECT, related_name="+", verbose_name="填报部门")
    year = models.PositiveIntegerField("年度")
    state = models.CharField("状态", max_length=12, choices=SurveyState.choices, default=SurveyState.DRAFT)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="报送人",
    )
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    decision_note = models.CharField("受理意见", max_length=300, blank=True)
    version = models.PositiveIntegerField("版本", default=1)

    objects = SurveyQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "经费和人员保障情况梳理表"
        ordering = ["-year", "department__name"]
        constraints = [
            models.UniqueConstraint(fields=["department", "year"], name="funding_survey_once_a_year")
        ]

    def __str__(self):
        return f"{self.department.name} {self.year}年经费和人员保障情况梳理表"


class Guarantee(models.TextChoices):
    FULL = "full", "足额保障"
    PARTIAL = "partial", "部分保障"
    NONE = "none", "未保障"


class SurveyRow(models.Model):
    """One service of the department that reaches villages or communities."""

    survey = models.ForeignKey(FundingSurvey, models.CASCADE, related_name="rows")
    line = models.PositiveIntegerField("序号")
    service = models.CharField("服务事项", max_length=200)
    item_code = models.CharField("事项编码", max_length=40, blank=True)
    villages = models.PositiveIntegerField("涉及村（社区）数", default=0)
    funds = money_field("年度落实经费（元）")
    funds_source = models.CharField("经费来源", max_length=200, blank=True)
    people = models.PositiveIntegerField("落实人员（人）", default=0)
    guarantee = models.CharField("保障情况", max_length=12, choices=Guarantee.choices)
    note = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "梳理表行"
        ordering = ["line"]

    def __str__(self):
        return f"{self.line}. {self.service}"
