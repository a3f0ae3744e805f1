"""Admission (准入), change (变更) and exit (退出) of work pushed down to villages and communities.

Seed 003 (《关于建立社区工作事项准入、变更及退出制度的指导意见》 arts. 3–12): a department applies to the county's
review committee, whose office (县民政局) reviews first and puts the item to the simple or ordinary procedure;
the committee approves, a numbered work notice (工作告知单) goes to the townships and villages in scope, and the
admitted item joins the lists in force there. Seed 004 adds a fast path for special urgent items.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q

from jianfu.core.choices import badge_choices
from jianfu.core.text import DOCUMENT, LONG, NOTE, STEP_NOTE, TEXT, BoundedTextField
from jianfu.core.workflow import Transition as Arrow
from jianfu.core.workflow import Workflow
from jianfu.orgs import access
from jianfu.orgs.models import Department, Region
from jianfu.orgs.roles import Capability, Role

from .levels import body_name


class Kind(models.TextChoices):
    NEW = "new", "新增准入"
    CHANGE = "change", "变更"
    EXIT = "exit", "完结/退出"


class Origin(models.TextChoices):
    APPLIED = "applied", "部门申请"
    RETROACTIVE = "retroactive", "补办确认（第九条）"


class WorkType(models.TextChoices):
    UNDERTAKE = "undertake", "需村（社区）承办"
    ASSIST = "assist", "需村（社区）协助"


class Urgency(models.TextChoices):
    NORMAL = "normal", "一般事项"
    URGENT = "urgent", "特殊紧急事项"


class Procedure(models.TextChoices):
    SIMPLE = "simple", "简易程序"
    ORDINARY = "ordinary", "普通程序"
    URGENT = "urgent", "紧急程序（县委副书记批准）"


class TownshipStance(models.TextChoices):
    NO_OBJECTION = "no_objection", "乡镇（街道）、村（社区）无异议"
    OBJECTION = "objection", "存在异议"
    NOT_CONSULTED = "not_consulted", "尚未征询"


@badge_choices(
    {
        "draft": "secondary",
        "submitted": "info",
        "returned": "warning",
        "coordinating": "info",
        "meeting": "primary",
        "decision": "primary",
        "approved": "success",
        "rejected": "danger",
        "withdrawn": "secondary",
        "filed": "success",
    }
)
class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待初审"
    RETURNED = "returned", "退回修改"
    COORDINATING = "coordinating", "沟通协调"
    MEETING = "meeting", "待成员单位会议审议"
    DECISION = "decision", "待审核委员会核准"
    APPROVED = "approved", "已准入"
    REJECTED = "rejected", "不予准入"
    WITHDRAWN = "withdrawn", "已撤回"
    FILED = "filed", "已备案"


Status = ApplicationStatus
OPEN_STATES = (Status.SUBMITTED, Status.COORDINATING, Status.MEETING, Status.DECISION)
EDITABLE_STATES = (Status.DRAFT, Status.RETURNED)

# The procedure of 《…村级组织工作事项准入制度》 arts. 6–9 as arrows. Initial review sends an item to the
# ordinary procedure (coordination, then the member-unit meeting) or straight to the decision (simple or urgent
# procedure). A filing of completion or exit (art. 10) is created 已备案 and never moves.
APPLICATION_FLOW = Workflow(
    ApplicationStatus,
    Arrow("edit", "修改", EDITABLE_STATES),
    Arrow("submit", "提交", EDITABLE_STATES, Status.SUBMITTED),
    Arrow("withdraw", "撤回", {*EDITABLE_STATES, Status.SUBMITTED, Status.COORDINATING}, Status.WITHDRAWN),
    Arrow("review", "初审", {Status.SUBMITTED}),
    Arrow("review_ordinary", "转入沟通协调", {Status.SUBMITTED}, Status.COORDINATING),
    Arrow("review_fast", "直接提请核准", {Status.SUBMITTED}, Status.DECISION),
    Arrow("return", "退回修改", {Status.SUBMITTED, Status.DECISION}, Status.RETURNED),
    Arrow("coordinate", "提请会议审议", {Status.COORDINATING}, Status.MEETING),
    Arrow("meet", "记录会议和意见", {Status.MEETING}),
    Arrow("conclude", "提请核准", {Status.MEETING}, Status.DECISION),
    Arrow("approve", "核准准入", {Status.DECISION}, Status.APPROVED),
    Arrow("reject", "不予准入", {Status.DECISION}, Status.REJECTED),
)


def _county_visibility(user) -> Q:
    """Region roles see their subtree; department roles their own applications; member units and townships
    every application of their county past the draft stage (they give opinions on them). A draft is the
    department's own until submitted, except one the office registers for retroactive confirmation (art. 9)."""
    opining = [a for a in access.assignments(user) if a.role in (Role.COMMITTEE_MEMBER, Role.TOWNSHIP)]
    counties = [
        (a.department.region if a.department_id else a.region).code[:6].ljust(12, "0") for a in opining
    ]
    # A prefecture's item reaches the counties under it: their offices, member units and townships see it too
    # (the county office gives its county's opinion at the joint meeting).
    above = access.ancestors_of(counties + access.anchor_codes(user, Capability.ADMISSION_REVIEW))
    own = Q(applicant_id__in=user.department_ids())
    not_draft = ~Q(status=Status.DRAFT)
    in_scope = access.visible_subtree(user, "county__code") & (not_draft | Q(origin=Origin.RETROACTIVE))
    return (
        in_scope | own | (Q(county__code__in=counties) & not_draft) | (Q(county__code__in=above) & not_draft)
    )


class ApplicationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Not one subtree: departments see their own drafts, member units and townships their county's."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(_county_visibility(user))

    def open(self):
        return self.filter(status__in=OPEN_STATES)


class Application(models.Model):
    """One application to push work down to villages and communities (or to change or end such work)."""

    number = models.CharField("申请编号", max_length=40, blank=True, db_index=True)
    kind = models.CharField("申请类型", max_length=16, choices=Kind.choices, default=Kind.NEW)
    origin = models.CharField("来源", max_length=16, choices=Origin.choices, default=Origin.APPLIED)
    county = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name="审核县（市、区）")
    applicant = models.ForeignKey(
        Department, models.PROTECT, related_name="admission_applications", verbose_name="申请主体"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="填报人",
    )
    related_item = models.ForeignKey(
        "AdmittedItem",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name="关联的已准入事项",
        help_text="变更、退出时必填",
    )
    title = models.CharField("事项名称", max_length=200)
    description = BoundedTextField("事项内容", help_text="需要村（社区）做什么，写具体", max_length=TEXT)
    work_type = models.CharField("事项性质", max_length=16, choices=WorkType.choices, default=WorkType.ASSIST)
    scope_all = models.BooleanField("覆盖全县所有村（社区）", default=True)
    scope_regions = models.ManyToManyField(Region, blank=True, related_name="+", verbose_name="实施范围")
    period_start = models.DateField("实施起始日期", null=True, blank=True)
    period_end = models.DateField("实施截止日期", null=True, blank=True, help_text="空表示长期")
    plan_requirements = BoundedTextField("工作要求", blank=True, max_length=TEXT)
    plan_division = BoundedTextField("职责分工", blank=True, max_length=TEXT)
    plan_process = BoundedTextField("操作流程", blank=True, max_length=TEXT)
    plan_milestones = BoundedTextField("时间节点", blank=True, max_length=TEXT)
    people = BoundedTextField("落实人员", blank=True, help_text="部门派出或保障的人员", max_length=NOTE)
    funds_amount = models.DecimalField(
        "经费金额（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    funds_source = models.CharField("经费来源", max_length=200, blank=True)
    training = BoundedTextField("培训和指导", blank=True, max_length=NOTE)
    materials = BoundedTextField("场地、物资保障", blank=True, max_length=NOTE)
    consultation_record = BoundedTextField(
        "事前沟通记录",
        blank=True,
        help_text="与审核委员会办公室、乡镇的沟通情况",
        max_length=TEXT,
    )
    township_stance = models.CharField(
        "乡镇（街道）意见",
        max_length=16,
        choices=TownshipStance.choices,
        default=TownshipStance.NOT_CONSULTED,
    )
    urgency = models.CharField("紧急程度", max_length=16, choices=Urgency.choices, default=Urgency.NORMAL)
    urgency_reason = BoundedTextField("紧急事由", blank=True, max_length=NOTE)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.DRAFT)
    procedure = models.CharField("审核程序", max_length=16, choices=Procedure.choices, blank=True)
    precheck = models.JSONField("清单预检结果", default=dict, blank=True)
    step_started_on = models.DateField("本环节开始", null=True, blank=True)
    step_due_on = models.DateField("本环节办理期限", null=True, blank=True)
    step_due_estimated = models.BooleanField("期限为估算", default=False)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    decided_at = models.DateTimeField("核准时间", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="核准人",
    )
    decision_body = models.CharField("审定机构", max_length=100, blank=True)
    decision_reason = BoundedTextField("决定理由", blank=True, max_length=TEXT)
    version = models.PositiveIntegerField("版本", default=1)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "准入申请"
        ordering = ["-id"]
        indexes = [models.Index(fields=["county", "status"])]

    def __str__(self):
        return f"{self.number or '草稿'} {self.title}"

    @property
    def is_overdue(self) -> bool:
        from django.utils import timezone

        return bool(
            self.status in OPEN_STATES and self.step_due_on and self.step_due_on < timezone.localdate()
        )

    def scope_label(self) -> str:
        if self.scope_all:
            return f"{self.county.name}全部村（社区）"
        return "、".join(r.name for r in self.scope_regions.all()) or "（未选择）"

    @property
    def review_body(self) -> str:
        """The body that reviews it: the county's committee, the prefecture's joint meeting, the township's."""
        return body_name(self.county)


class Attachment(models.Model):
    application = models.ForeignKey(Application, models.CASCADE, related_name="attachments")
    file = models.FileField("附件", upload_to="admission/%Y/%m/")
    name = models.CharField("文件名", max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "申请附件"
        ordering = ["id"]

    def __str__(self):
        return self.name


class Transition(models.Model):
    """One step of an application's history (Healthchecks' Flip): who moved it from where to where."""

    application = models.ForeignKey(Application, models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")
    actor_name = models.CharField(max_length=100, blank=True)
    note = BoundedTextField("说明", blank=True, max_length=STEP_NOTE)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class Stance(models.TextChoices):
    AGREE = "agree", "同意"
    AGREE_WITH_CHANGES = "changes", "原则同意，建议修改"
    DISAGREE = "disagree", "不同意"


class OpinionStage(models.TextChoices):
    INITIAL = "initial", "初审意见"
    COORDINATION = "coordination", "沟通协调意见"
    MEETING = "meeting", "成员单位会议意见"


class ReviewMeeting(models.Model):
    """成员单位会议 (art. 8): the applicant reports, member units, townships and communities give opinions."""

    application = models.ForeignKey(Application, models.CASCADE, related_name="meetings")
    held_on = models.DateField("会议日期")
    place = models.CharField("会议地点", max_length=100, blank=True)
    convener = models.CharField(
        "召集人", max_length=100, help_text="审核委员会主任（副主任），或经授权的办公室"
    )
    applicant_report = BoundedTextField("申请主体专题汇报", max_length=LONG)
    minutes = BoundedTextField("会议纪要", blank=True, max_length=DOCUMENT)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "成员单位会议"
        ordering = ["id"]

    def __str__(self):
        return f"成员单位会议 {self.held_on}"


class Opinion(models.Model):
    """An opinion of the office, a member unit, a township or a community on an application."""

    application = models.ForeignKey(Application, models.CASCADE, related_name="opinions")
    meeting = models.ForeignKey(ReviewMeeting, models.CASCADE, null=True, blank=True, related_name="opinions")
    stage = models.CharField("环节", max_length=16, choices=OpinionStage.choices)
    department = models.ForeignKey(Department, models.PROTECT, null=True, blank=True, related_name="+")
    region = models.ForeignKey(Region, models.PROTECT, null=True, blank=True, related_name="+")
    unit_name = models.CharField("单位", max_length=100)
    stance = models.CharField("意见", max_length=16, choices=Stance.choices)
    text = BoundedTextField("具体意见", blank=True, max_length=TEXT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The office may minute a unit's meeting opinion, but then says so (代录) and names who in the unit confirmed
    # it: an opinion is never passed off as the unit's own entry.
    proxy_entered = models.BooleanField("代录", default=False)
    confirmed_by = models.CharField("单位确认人", max_length=50, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "审核意见"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "department"],
                condition=Q(department__isnull=False),
                name="opinion_once_per_unit",
            ),
            models.UniqueConstraint(
                fields=["meeting", "region"],
                condition=Q(region__isnull=False),
                name="opinion_once_per_region",
            ),
        ]

    def __str__(self):
        return f"{self.unit_name}：{self.get_stance_display()}"


class AdmittedItemStatus(models.TextChoices):
    ACTIVE = "active", "实施中"
    ENDED = "ended", "已完结/退出"
    SUPERSEDED = "superseded", "已变更"


ItemStatus = badge_choices({"active": "success", "ended": "secondary", "superseded": "warning"})(
    AdmittedItemStatus
)
# An admitted item is in force until a change replaces it or its department files its end (art. 10).
ITEM_FLOW = Workflow(
    AdmittedItemStatus,
    Arrow("change", "变更", {AdmittedItemStatus.ACTIVE}, AdmittedItemStatus.SUPERSEDED),
    Arrow("end", "完结或退出", {AdmittedItemStatus.ACTIVE}, AdmittedItemStatus.ENDED),
)


class AdmittedItemQuerySet(models.QuerySet):
    def in_force(self, region: Region, on: date):
        """Items whose scope covers the region (or all of its county) on the date."""
        ancestors = [region.code[:n].ljust(12, "0") for n in (2, 4, 6, 9, 12)]
        return (
            self.filter(effective_from__lte=on)
            .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))
            .filter(Q(scope_all=True, county__code__in=ancestors) | Q(scope_regions__code__in=ancestors))
            .distinct()
        )

    def visible_to(self, user):
        """Admitted items are public (公示); this is the staff view, the same set."""
        return self.all()


class AdmittedItem(models.Model):
    """Work admitted for villages and communities by an approved application: part of the lists in force."""

    code = models.CharField("准入事项编码", max_length=40, unique=True)
    application = models.OneToOneField(Application, models.PROTECT, related_name="admitted_item")
    county = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name="审核县（市、区）")
    department = models.ForeignKey(Department, models.PROTECT, related_name="+", verbose_name="交办部门")
    title = models.CharField("事项名称", max_length=200)
    content = BoundedTextField("事项内容", max_length=TEXT)
    work_type = models.CharField("事项性质", max_length=16, choices=WorkType.choices)
    scope_all = models.BooleanField("覆盖全县", default=True)
    scope_regions = models.ManyToManyField(Region, blank=True, related_name="+", verbose_name="实施范围")
    effective_from = models.DateField("准入日期")
    effective_to = models.DateField("截止日期", null=True, blank=True)
    status = models.CharField("状态", max_length=16, choices=ItemStatus.choices, default=ItemStatus.ACTIVE)
    end_reason = BoundedTextField("完结/退出说明", blank=True, max_length=NOTE)
    version = models.PositiveIntegerField("版本", default=1)

    objects = AdmittedItemQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "已准入事项"
        ordering = ["-effective_from", "code"]

    def __str__(self):
        return f"{self.code} {self.title}"

    def scope_label(self) -> str:
        if self.scope_all:
            return f"{self.county.name}全部村（社区）"
        return "、".join(r.name for r in self.scope_regions.all())


class OverlapAction(models.TextChoices):
    KEEP = "keep", "保留"
    STOP = "stop", "停止"
    REVISE = "revise", "修订"
    MERGE = "merge", "合并"


class OverlapResolution(models.Model):
    """What the admission decision makes of existing work that overlaps the new item."""

    application = models.ForeignKey(Application, models.CASCADE, related_name="overlaps")
    existing = models.CharField("重叠的现有工作", max_length=300)
    action = models.CharField("处理方式", max_length=16, choices=OverlapAction.choices)
    note = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"{self.existing}：{self.get_action_display()}"


class WorkNotice(models.Model):
    """工作告知单: the numbered notice approval issues to the townships and villages in scope, and its filing."""

    number = models.CharField("告知单编号", max_length=60, unique=True)
    application = models.OneToOneField(Application, models.PROTECT, related_name="notice")
    item = models.OneToOneField(AdmittedItem, models.PROTECT, related_name="notice")
    issued_at = models.DateTimeField("下发时间", auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    filed_on = models.DateField("备案日期")

    class Meta:
        verbose_name = verbose_name_plural = "工作告知单"
        ordering = ["-id"]

    def __str__(self):
        return self.number


class NoticeRecipient(models.Model):
    notice = models.ForeignKey(WorkNotice, models.CASCADE, related_name="recipients")
    region = models.ForeignKey(Region, models.PROTECT, related_name="+")
    acknowledged_at = models.DateTimeField("签收时间", null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["region__code"]
        constraints = [models.UniqueConstraint(fields=["notice", "region"], name="notice_recipient_once")]

    def __str__(self):
        return f"{self.notice} → {self.region}"


class Decline(models.Model):
    """A village's refusal of work that is neither listed nor admitted (未经审批准入的工作事项，有权拒绝执行)."""

    number = models.CharField("回执编号", max_length=60, unique=True)
    region = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name="村（社区）")
    department = models.ForeignKey(Department, models.PROTECT, null=True, blank=True, related_name="+")
    department_name = models.CharField("交办单位", max_length=100)
    work_text = BoundedTextField("交办的工作", max_length=TEXT)
    received_on = models.DateField("交办日期")
    verdict = models.JSONField("核验结果", default=dict)
    declined_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "拒绝执行记录"
        ordering = ["-id"]

    def __str__(self):
        return self.number


class Reminder(models.Model):
    """An overdue step, told once per person and step."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="admission_reminders")
    application = models.ForeignKey(Application, models.CASCADE, related_name="reminders")
    status = models.CharField(max_length=16, choices=Status.choices)
    due_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "application", "status", "due_on"], name="reminder_once")
        ]

    def __str__(self):
        return f"{self.application} {self.due_on}"


class ConsultStatus(models.TextChoices):
    PENDING = "pending", "待答复"
    NO_OBJECTION = "no_objection", "无异议"
    OBJECTION = "objection", "有异议"


# A township answers once; the answer decides whether the simple procedure may be used (art. 7).
CONSULT_FLOW = Workflow(
    ConsultStatus,
    Arrow("no_objection", "无异议", {ConsultStatus.PENDING}, ConsultStatus.NO_OBJECTION),
    Arrow("objection", "有异议", {ConsultStatus.PENDING}, ConsultStatus.OBJECTION),
)


class TownshipConsultQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Whoever sees the application sees its townships' answers."""
        return self.filter(application__in=Application.objects.visible_to(user))


class TownshipConsult(models.Model):
    """征询乡镇（街道）意见: each township an item reaches gives its own stance on its page, by a deadline.

    《关于建立社区工作事项准入、变更及退出制度的指导意见》第七条: only an item the townships and communities raised no
    objection to may take the simple procedure. The stance is the township's own record, never the applicant's
    declaration."""

    application = models.ForeignKey(Application, models.CASCADE, related_name="consults")
    township = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name="乡镇（街道）")
    status = models.CharField(
        "意见", max_length=16, choices=ConsultStatus.choices, default=ConsultStatus.PENDING
    )
    note = BoundedTextField("意见说明", blank=True, max_length=NOTE)
    asked_on = models.DateField("征询日期")
    due_on = models.DateField("答复期限")
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="答复人",
    )
    version = models.PositiveIntegerField("版本", default=1)

    objects = TownshipConsultQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "乡镇（街道）意见征询"
        ordering = ["township__code"]
        constraints = [
            models.UniqueConstraint(fields=["application", "township"], name="consult_once_per_township")
        ]

    def __str__(self):
        return f"{self.application} {self.township.name}：{self.get_status_display()}"

    @property
    def late(self) -> bool:
        """Answered after the deadline, or still unanswered past it."""
        from django.utils import timezone

        day = timezone.localtime(self.answered_at).date() if self.answered_at else timezone.localdate()
        return day > self.due_on


# 费随事转 lives in its own module; importing it here registers its models with the admission app.
from .funding.models import (  # noqa: E402,F401
    ALLOCATION_FLOW,
    SURVEY_FLOW,
    AllocationState,
    FundingAllocation,
    FundingLedger,
    FundingSurvey,
    Guarantee,
    SurveyRow,
    SurveyState,
)
