"""Findings (问题): every signal that a rule was broken at a village, from whichever module recorded it, judged by
the inspector and followed through bulletin and rectification.

A source (a burden event, a village's decline, a certificate refusal, an unplanned visit, a form outside the
annual list, a grid worker's off-duty report, a problem clue) hands its record to ``intake.finding_intake`` in
its own transaction. The finding names the department (a real ``Department``; when the source only had free
text and it matched several, the inspector confirms which), the rule by its document and clause, and links back
to the source record. States move only along ``FINDING_FLOW``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from jianfu.core import textsearch
from jianfu.core.choices import badge_choices
from jianfu.core.text import LONG, STEP_NOTE, BoundedTextField
from jianfu.core.workflow import Transition, Workflow
from jianfu.orgs import access
from jianfu.orgs.models import Department, Region, subtree_q
from jianfu.orgs.roles import Capability

from .events import VIEW_CAPABILITIES, BurdenEvent, RollupCell


class FindingSource(models.TextChoices):
    EVENT = "event", "监测员记录的负担事件"
    CLUE = "clue", "问题线索"
    GRID = "grid", "网格员反映的非网格任务"
    DECLINE = "decline", "村（社区）拒绝执行未准入工作"
    REFUSAL = "refusal", "不予出具的证明要求"
    VISIT = "visit", "计划外督查检查"
    FORM = "form", "清单外报表"


@badge_choices(
    {
        "pending": "warning",
        "confirmed": "danger",
        "dismissed": "secondary",
        "published": "primary",
        "rectifying": "info",
        "rectified": "success",
        "returned": "danger",
    }
)
class FindingState(models.TextChoices):
    PENDING = "pending", "待研判"
    CONFIRMED = "confirmed", "认定违规"
    DISMISSED = "dismissed", "不认定"
    PUBLISHED = "published", "已通报"
    RECTIFYING = "rectifying", "整改中"
    RECTIFIED = "rectified", "已整改"
    RETURNED = "returned", "退回"


class AutoVerdict(models.TextChoices):
    """What the source's automatic check said; the inspector's decision replaces it in every count."""

    VIOLATION = "violation", "违规"
    UNDECIDED = "undecided", "未能判定"
    OK = "ok", "合规"


S = FindingState
# The one table every move of a finding is checked by (core.workflow).
FINDING_FLOW = Workflow(
    FindingState,
    Transition("confirm", "认定违规", {S.PENDING, S.DISMISSED}, S.CONFIRMED),
    Transition("dismiss", "不认定", {S.PENDING, S.CONFIRMED}, S.DISMISSED),
    Transition("publish", "通报", {S.CONFIRMED}, S.PUBLISHED),
    Transition("rectify", "报告整改", {S.PUBLISHED, S.RETURNED}, S.RECTIFYING),
    Transition("accept", "确认整改", {S.RECTIFYING}, S.RECTIFIED),
    Transition("return", "退回重新整改", {S.RECTIFYING, S.RECTIFIED}, S.RETURNED),
    field="state",
)
DECIDED = (S.CONFIRMED, S.PUBLISHED, S.RECTIFYING, S.RECTIFIED, S.RETURNED)  # counted as violations
PUBLIC_STATES = (S.PUBLISHED, S.RECTIFYING, S.RECTIFIED, S.RETURNED)


class FindingQuerySet(models.QuerySet):
    def visible_to(self, user, *, newest_first: bool = False):
        """The subtree for those who view monitoring; a department sees its own findings once published.
        ``newest_first``: for a list down the ``finding_recent`` index (``subtree_q``)."""
        if not user.is_authenticated:
            return self.none()
        prefixes = access.region_prefixes(user, *VIEW_CAPABILITIES)
        q = subtree_q(prefixes, "region_code", newest_first=newest_first)
        departments = access.department_ids(user, Capability.MONITORING_RECTIFY)
        if departments:
            q |= Q(department_id__in=departments, state__in=PUBLIC_STATES)
        return self.filter(q)

    def violations(self):
        """Judged violations (the inspector's verdict, not the automatic one)."""
        return self.filter(state__in=DECIDED)


# The queue's search over 事项 and the source's unit name (created by migration 0009_event_text_search).
FINDING_TEXT = textsearch.register(textsearch.TextIndex("monitoring_finding", ("subject", "department_text")))


class Finding(models.Model):
    """One broken (or possibly broken) rule at a village, from any source, and its judgement."""

    source = models.CharField("来源", max_length=10, choices=FindingSource.choices)
    # "<source>:<pk>": one finding per source record, so a re-check updates it instead of adding another.
    source_key = models.CharField(max_length=40, unique=True)
    event = models.ForeignKey(BurdenEvent, models.PROTECT, null=True, blank=True, related_name="findings")
    village = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name="村（社区）")
    region_code = models.CharField(max_length=12, editable=False)
    department = models.ForeignKey(
        Department, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="责任部门"
    )
    department_text = models.CharField("来源记录中的单位名称", max_length=100, blank=True)
    department_candidates = models.JSONField(default=list, blank=True)  # pks the inspector chooses among
    occurred_on = models.DateField("发生日期")
    subject = models.CharField("事项", max_length=200)
    rule = models.CharField("违反的规定", max_length=200, blank=True)
    basis = models.CharField("依据（文件及条款）", max_length=300, blank=True)
    detail = BoundedTextField("核验说明", blank=True, max_length=LONG)
    automatic = models.CharField(
        "自动核验结果", max_length=10, choices=AutoVerdict.choices, default=AutoVerdict.UNDECIDED
    )
    evidence_url = models.CharField("原始记录", max_length=300, blank=True)
    evidence_label = models.CharField("原始记录名称", max_length=100, blank=True)
    state = models.CharField(
        "状态", max_length=10, choices=FindingState.choices, default=FindingState.PENDING
    )
    reason = models.CharField("研判理由", max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    objects = FindingQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "问题"
        ordering = ["-occurred_on", "-id"]
        indexes = [
            models.Index(fields=["region_code", "occurred_on"], name="finding_region_day"),
            models.Index(
                fields=["-occurred_on", "-id", "region_code"], name="finding_recent"
            ),  # the queue's order
            models.Index(fields=["state", "region_code"], name="finding_state_region"),
            models.Index(fields=["department", "occurred_on"], name="finding_department_day"),
        ]

    def __str__(self):
        return f"{self.village.name} {self.occurred_on:%Y-%m-%d} {self.subject}"

    @property
    def needs_department(self) -> bool:
        return self.department_id is None

    @property
    def counts_as_violation(self) -> bool:
        return self.state in DECIDED


class FindingRollup(RollupCell):
    """Findings per region (township and every level above) × month × source × department × rule, for the
    dashboards: all findings, those judged violations (the inspector's verdict) and those waiting.

    The findings services move a finding's cell whenever its state, department or rule changes
    (``services.finding_rollup``); the nightly ``monitoring.rollup`` job rebuilds it from the findings."""

    # ``month``: the first day of the month the finding occurred in.
    source = models.CharField(max_length=10, choices=FindingSource.choices)
    department_id = models.IntegerField(default=0)  # 0: the department is still to be confirmed
    rule = models.CharField(max_length=200, blank=True)
    findings = models.IntegerField(default=0)
    violations = models.IntegerField(default=0)
    pending = models.IntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "问题月度汇总"
        constraints = [
            models.UniqueConstraint(
                fields=["region_code", "month", "source", "department_id", "rule"], name="finding_rollup_cell"
            )
        ]
        indexes = [models.Index(fields=["region_code", "month"], name="finding_rollup_region_month")]

    def __str__(self):
        return f"{self.region_code} {self.month:%Y-%m} {self.source}"


class FindingStep(models.Model):
    """Every move of a finding, with who made it and why (append-only)."""

    finding = models.ForeignKey(Finding, models.CASCADE, related_name="steps")
    action = models.CharField(max_length=20)
    from_state = models.CharField(max_length=10, blank=True)
    to_state = models.CharField(max_length=10)
    note = BoundedTextField("说明", blank=True, max_length=STEP_NOTE)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.finding_id} {self.label}"

    @property
    def label(self) -> str:
        if self.action in FINDING_FLOW.transitions:
            return FINDING_FLOW.transitions[self.action].label
        return {"intake": "登记", "department": "确认责任部门"}.get(self.action, "处理")

    @property
    def to_label(self) -> str:
        return FindingState(self.to_state).label if self.to_state in FindingState.values else ""
