"""The lists (清单): what a village does by law, what it assists with, what must never be pushed onto it,
and which certificates it may or may not issue. Every list is versioned and dated."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from jianfu.core.choices import badge_choices
from jianfu.core.text import LONG, TEXT, BoundedTextField
from jianfu.core.workflow import Transition, Workflow
from jianfu.orgs import access
from jianfu.orgs.models import Region, ancestor_codes_of
from jianfu.orgs.roles import Capability


class ListKind(models.TextChoices):
    DUTY = "duty", "依法履职事项清单"
    ASSIST = "assist", "依法协助事项清单"
    # 社区承办: work a department hands the community to carry out, neither a statutory duty nor assistance (the
    # middle column of the city guidance table). Permitted work: the classifier answers 依法协助事项 for it.
    UNDERTAKEN = "undertaken", "社区承办事项清单"
    NEGATIVE = "negative", "负面清单"
    CERT_ALLOWED = "certificate_allowed", "可出具证明事项清单"
    CERT_FORBIDDEN = "certificate_forbidden", "不应出具证明事项清单"


WORK_KINDS = (ListKind.DUTY, ListKind.ASSIST, ListKind.UNDERTAKEN, ListKind.NEGATIVE)
CERTIFICATE_KINDS = (ListKind.CERT_ALLOWED, ListKind.CERT_FORBIDDEN)
CODE_PREFIX = {
    "duty": "LZ",
    "assist": "XZ",
    "undertaken": "CB",
    "negative": "FM",
    "certificate_allowed": "ZM",
    "certificate_forbidden": "BZ",
}


@badge_choices({"draft": "warning", "published": "success", "retired": "secondary"})
class ListStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"
    RETIRED = "retired", "已废止"


# A list version is drafted, published with its approval record, and retired (or replaced by the next version,
# which ends it by date, not by state).
WORKLIST_FLOW = Workflow(
    ListStatus,
    Transition("edit", "修改", {ListStatus.DRAFT}, hint="已发布的清单请先“调整清单”生成新的草稿版本。"),
    Transition("publish", "发布", {ListStatus.DRAFT}, ListStatus.PUBLISHED),
    Transition("retire", "废止", {ListStatus.PUBLISHED}, ListStatus.RETIRED),
)

NATIONAL_NAME = "国家层面"
# Issuing level of a national list (region null): above every province, so it sorts first and is refined below.
NATIONAL_LEVEL = 0
# Order lists and items from the national layer down to the region itself.
LEVEL_ORDER = F("region__level").asc(nulls_first=True)


def ancestor_codes(region: Region) -> list[str]:
    """The region's own code and those of every level above it, from the top down."""
    return ancestor_codes_of(region.code)[::-1]


def above_q(region: Region, *, include_own: bool = True, field: str = "region") -> Q:
    """Lists issued by the national layer or by a region above this one (and by the region itself)."""
    codes = [c for c in ancestor_codes(region) if include_own or c != region.code]
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__code__in": codes})


class WorkListQuerySet(models.QuerySet):
    def issued(self):
        return self.exclude(status=ListStatus.DRAFT)

    def in_force(self, region: Region, on: date):
        """Lists issued nationally, by the region or by any region above it, that apply on the date."""
        return (
            self.issued()
            .filter(above_q(region), effective_from__lte=on)
            .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))
        )

    def visible_to(self, user):
        """Issued lists are public documents; drafts are seen only inside the drafting region's subtree."""
        if not user.is_authenticated:
            return self.issued()
        return self.filter(~Q(status=ListStatus.DRAFT) | access.visible_subtree(user, "region__code"))


class WorkList(models.Model):
    """One version of a list issued by a region. Editing a published list makes a new draft version.

    A list without a region is the national layer (国家层面): rules in force everywhere, beneath every
    province's lists. It is reference data, loaded from the published texts, never drafted on the platform.
    """

    kind = models.CharField("清单类型", max_length=32, choices=ListKind.choices)
    region = models.ForeignKey(
        Region,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="work_lists",
        verbose_name="发布区划",
        help_text="空表示国家层面（在所有地区施行）",
    )
    title = models.CharField("名称", max_length=200)
    document_number = models.CharField("文号", max_length=100, blank=True)
    version_no = models.PositiveIntegerField("版本号")
    status = models.CharField("状态", max_length=16, choices=ListStatus.choices, default=ListStatus.DRAFT)
    effective_from = models.DateField("生效日期", null=True, blank=True)
    effective_to = models.DateField("失效日期", null=True, blank=True, help_text="含当日；空表示现行有效")
    studied_by = models.CharField("研究机构", max_length=100, blank=True, help_text="如：县政府常务会议")
    studied_on = models.DateField("研究日期", null=True, blank=True)
    approved_by = models.CharField("审定机构", max_length=100, blank=True, help_text="如：县委常委会会议")
    approved_on = models.DateField("审定日期", null=True, blank=True)
    source = models.CharField("来源", max_length=300, blank=True)
    previous = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="上一版本"
    )
    change_note = BoundedTextField("调整说明", blank=True, max_length=LONG)
    # Separation of duties: whoever opened the draft does not publish it (services.worklist_publish).
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="起草人",
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="发布人",
    )
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    revision = models.PositiveIntegerField("修订号", default=1)

    objects = WorkListQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "清单"
        ordering = [F("region__code").asc(nulls_first=True), "kind", "-version_no"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "region", "version_no"], name="worklist_unique_version"),
            # NULLs are distinct in the constraint above, so the national versions need their own.
            models.UniqueConstraint(
                fields=["kind", "version_no"],
                condition=Q(region__isnull=True),
                name="worklist_unique_national_version",
            ),
            models.UniqueConstraint(
                fields=["kind", "region"],
                condition=Q(status="draft"),
                name="worklist_one_draft_per_kind_region",
            ),
        ]

    def __str__(self):
        return f"{self.full_title}（第 {self.version_no} 版）"

    @property
    def full_title(self) -> str:
        """The title with its issuer, as documents cite it: 湖北省…清单, 国家层面：…事项."""
        return f"{NATIONAL_NAME}：{self.title}" if self.is_national else f"{self.region.name}{self.title}"

    @property
    def is_national(self) -> bool:
        return self.region_id is None

    @property
    def issuer_name(self) -> str:
        return NATIONAL_NAME if self.is_national else self.region.name

    @property
    def issuer_level(self) -> int:
        return NATIONAL_LEVEL if self.is_national else self.region.level

    @property
    def is_draft(self) -> bool:
        return self.status == ListStatus.DRAFT

    def in_force_on(self, on: date) -> bool:
        return (
            self.status != ListStatus.DRAFT
            and self.effective_from is not None
            and self.effective_from <= on
            and (self.effective_to is None or self.effective_to >= on)
        )


class UndertakenSide(models.TextChoices):
    """How the classifier reads a 承办 item: the community's own work, or a department's work it carries out."""

    DUTY = "duty", "属社区自身工作（按依法履职处理）"
    ASSIST = "assist", "属部门工作由社区承办（按依法协助处理）"


class ListItem(models.Model):
    """One item of a list: 分类赋码, content, legal basis, and what the kind needs (reason, process, alternative)."""

    work_list = models.ForeignKey(WorkList, models.CASCADE, related_name="items", verbose_name="清单")
    position = models.PositiveIntegerField("序号", default=0)
    code = models.CharField("编码", max_length=40)
    content = BoundedTextField("事项内容", max_length=TEXT)
    category = models.CharField("类别", max_length=100, blank=True)
    legal_basis = models.JSONField("法律依据", default=list, blank=True, help_text="[{law, articles}]")
    departments = models.JSONField("涉及部门", default=list, blank=True)
    reason = models.CharField("列入负面清单的理由", max_length=200, blank=True)
    examples = models.JSONField("具体事项", default=list, blank=True)
    process_basis = BoundedTextField("办理依据", blank=True, max_length=TEXT)
    process_standard = BoundedTextField("办理标准", blank=True, max_length=TEXT)
    process_conditions = BoundedTextField("办理条件", blank=True, max_length=TEXT)
    process_materials = BoundedTextField("所需材料", blank=True, max_length=TEXT)
    alternative = BoundedTextField(
        "替代途径", blank=True, help_text="不应出具的证明：群众可以到哪里办理", max_length=TEXT
    )
    responsible_department = models.CharField("责任部门", max_length=100, blank=True)
    # A 承办 item is permitted work either way; whether it is the community's own work (its organisations,
    # self-governance, services for its residents) or a department's work it carries out decides the verdict.
    treated_as = models.CharField(
        "承办事项性质",
        max_length=16,
        choices=UndertakenSide.choices,
        blank=True,
        help_text="仅社区承办事项：属社区自身工作的按依法履职处理，属部门工作由社区承办的按依法协助处理（默认）",
    )
    revision = models.PositiveIntegerField("修订号", default=1)

    class Meta:
        verbose_name = verbose_name_plural = "清单事项"
        ordering = ["work_list", "position", "code"]
        constraints = [models.UniqueConstraint(fields=["work_list", "code"], name="listitem_unique_code")]

    def __str__(self):
        return f"{self.code} {self.content[:40]}"

    def legal_basis_text(self) -> str:
        return "；".join(
            f"《{c.get('law', '')}》{c.get('articles', '')}" for c in self.legal_basis if c.get("law")
        )

    # Fields compared when two versions are diffed.
    DIFF_FIELDS = (
        "content",
        "category",
        "legal_basis",
        "departments",
        "reason",
        "examples",
        "process_basis",
        "process_standard",
        "process_conditions",
        "process_materials",
        "alternative",
        "responsible_department",
        "treated_as",
    )

    def comparable(self) -> dict:
        return {name: getattr(self, name) for name in self.DIFF_FIELDS}


class VerdictKind(models.TextChoices):
    """What the classifier (or a person) says a text is."""

    DUTY = "duty", "依法履职事项"
    ASSIST = "assist", "依法协助事项"
    NEGATIVE = "negative", "负面清单事项"
    ADMITTED = "admitted", "已准入事项"
    UNLISTED = "unlisted", "清单外事项（须准入）"
    CERT_ALLOWED = "cert_allowed", "可出具的证明"
    CERT_FORBIDDEN = "cert_forbidden", "不应出具的证明"


# The list kind a corrected verdict's item must come from.
ITEM_KIND_FOR_VERDICT = {
    "duty": ListKind.DUTY,
    "assist": ListKind.ASSIST,
    "negative": ListKind.NEGATIVE,
    "cert_allowed": ListKind.CERT_ALLOWED,
    "cert_forbidden": ListKind.CERT_FORBIDDEN,
}


class CorrectionSource(models.TextChoices):
    PRECHECK = "precheck", "准入申请预检"
    VILLAGE_CHECK = "village_check", "村（社区）一键核验"
    DECLINE = "decline", "拒绝执行回执"
    MONITORING_EVENT = "monitoring_event", "负担事件核验"
    CLASSIFY = "classify", "事项比对"


@badge_choices({"pending": "warning", "decided": "success"})
class CorrectionStatus(models.TextChoices):
    PENDING = "pending", "待人工研判"
    DECIDED = "decided", "已研判"


# A person's judgement of a verdict is given once; a later change is a new correction on the original record.
CORRECTION_FLOW = Workflow(
    CorrectionStatus, Transition("decide", "研判", {CorrectionStatus.PENDING}, CorrectionStatus.DECIDED)
)


class VerdictCorrectionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The county's office and inspector see their county's reviews; the asker sees their own."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(access.visible_subtree(user, "county__code") | Q(requested_by=user))


class VerdictCorrection(models.Model):
    """A person's judgement of one automatic verdict: asked for (待人工研判) or decided (confirmed or corrected).

    A decided correction replaces the automatic verdict wherever it is used (the record it came from, and any
    later check of the same wording in the county) and teaches the classifier: its text becomes a phrasing of
    the item it names, for that county only."""

    county = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name="县（市、区）")
    region = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name="比对区划")
    mode = models.CharField(
        "比对类型", max_length=12, choices=[("work", "工作事项"), ("certificate", "证明事项")]
    )
    text = BoundedTextField("比对文字", max_length=TEXT)
    source = models.CharField("来源", max_length=20, choices=CorrectionSource.choices)
    source_id = models.PositiveIntegerField("来源记录", null=True, blank=True)
    original_verdict = models.CharField("系统结论", max_length=16, choices=VerdictKind.choices)
    original_item_code = models.CharField("系统比对事项编码", max_length=40, blank=True)
    original_confidence = models.FloatField("系统置信度", default=0)
    status = models.CharField(
        "状态", max_length=10, choices=CorrectionStatus.choices, default=CorrectionStatus.PENDING
    )
    corrected_verdict = models.CharField("研判结论", max_length=16, choices=VerdictKind.choices, blank=True)
    item = models.ForeignKey(
        ListItem,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name="对应清单事项",
    )
    reason = models.CharField("研判理由", max_length=500, blank=True)
    question = models.CharField("提请说明", max_length=500, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="提请人",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="研判人",
    )
    created_at = models.DateTimeField("提请时间", auto_now_add=True)
    decided_at = models.DateTimeField("研判时间", null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = VerdictCorrectionQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "比对结论人工研判"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["county", "status", "decided_at"], name="correction_county_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_id"],
                condition=Q(status="pending") & Q(source_id__isnull=False),
                name="correction_one_pending_per_record",
            )
        ]

    def __str__(self):
        return f"{self.get_source_display()}：{self.text[:30]}"

    @property
    def changed(self) -> bool:
        """Whether the person disagreed with the classifier."""
        return self.status == CorrectionStatus.DECIDED and self.corrected_verdict != self.original_verdict


# Process cards (流程卡) ----------------------------------------------------------------------------------------
# 谁交办任务、谁建立流程 (seed 000 三(二)): for each assist or undertaken item the department that hands it down
# writes how it is done — basis with articles, standard, conditions, materials, steps, the forms it uses — and the
# review office accepts or returns it. Every version stays; the newest accepted one is what villages are shown.

CARD_KINDS = (ListKind.ASSIST, ListKind.UNDERTAKEN)


@badge_choices({"draft": "secondary", "submitted": "warning", "accepted": "success", "returned": "danger"})
class CardState(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待审核"
    ACCEPTED = "accepted", "已采用"
    RETURNED = "returned", "已退回修改"


CARD_FLOW = Workflow(
    CardState,
    Transition("submit", "提交审核", {CardState.DRAFT, CardState.RETURNED}, CardState.SUBMITTED),
    Transition("accept", "采用", {CardState.SUBMITTED}, CardState.ACCEPTED),
    Transition("return", "退回修改", {CardState.SUBMITTED}, CardState.RETURNED),
    field="state",
)


class CardQuerySet(models.QuerySet):
    def accepted(self):
        return self.filter(state=CardState.ACCEPTED)

    def visible_to(self, user):
        """Accepted cards are public (villages follow them); drafts, submissions and returns are seen by the
        writing department and by the review office over the card's region."""
        q = Q(state=CardState.ACCEPTED)
        if not user.is_authenticated:
            return self.filter(q)
        q |= Q(department_id__in=access.department_ids(user, Capability.CATALOG_CARD))
        q |= access.subtree_and_above(user, "region__code", Capability.CATALOG_MANAGE)
        return self.filter(q)


class ProcessCard(models.Model):
    """One version of a department's process card for a list item (by its code, in the department's region)."""

    region = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name="区划")
    department = models.ForeignKey(
        "orgs.Department", models.PROTECT, related_name="process_cards", verbose_name="交办部门"
    )
    item_code = models.CharField("事项编码", max_length=40)
    item_content = BoundedTextField("事项内容", max_length=TEXT)
    number = models.PositiveIntegerField("版本号", default=1)
    state = models.CharField("状态", max_length=12, choices=CardState.choices, default=CardState.DRAFT)
    basis = BoundedTextField("办理依据（法律法规及条款）", max_length=TEXT, blank=True)
    standard = BoundedTextField("办理标准", max_length=TEXT, blank=True)
    conditions = BoundedTextField("办理条件", max_length=TEXT, blank=True)
    materials = BoundedTextField("所需材料", max_length=TEXT, blank=True)
    steps = BoundedTextField("办理步骤", max_length=TEXT, blank=True)
    forms_used = BoundedTextField(
        "其他表格", max_length=TEXT, blank=True, help_text="一张表之外的表格（说明来由）"
    )
    forms = models.ManyToManyField(
        "forms.DepartmentForm",
        blank=True,
        related_name="process_cards",
        verbose_name="使用的报表（一张表）",
        help_text="从年度填报表格清单中已列入的报表中选择",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="编写人",
    )
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审核人",
    )
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    decision_note = models.CharField("审核意见", max_length=300, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    objects = CardQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "办理流程卡"
        ordering = ["item_code", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["region", "item_code", "number"], name="card_one_number_per_item")
        ]

    def __str__(self):
        return f"{self.item_code} 流程卡（第 {self.number} 版）"
