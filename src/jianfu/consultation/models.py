"""协商议事 (seed 003, 《关于完善城乡社区协商机制的意见》): the opinion ledger, councils, topics walking the
seven steps, participants, votes and ballots, adopted measures with their progress, and the follow-up survey.

A topic belongs to one village or community (社区协商), or to a township when it spans two or more of them
(跨社区协商, convened by the township's party committee). Every step is a state with a ``TopicStep`` row.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models

from jianfu.core.choices import badge_choices
from jianfu.core.text import DOCUMENT, LONG, NOTE, STEP_NOTE, TEXT, BoundedTextField
from jianfu.core.workflow import Transition, Workflow
from jianfu.orgs import access
from jianfu.orgs.models import Region, subtree_q
from jianfu.orgs.roles import Capability


class ScopedQuerySet(access.ScopedQuerySet):
    """Records of the regions under those where the user may view consultations."""

    scope_capabilities = (Capability.CONSULTATION_VIEW,)


class TopicQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Topics of the regions under the user's view, and cross-community topics that involve one of them."""
        prefixes = access.region_prefixes(user, Capability.CONSULTATION_VIEW)
        involving = Topic.involved.through.objects.filter(subtree_q(prefixes, "region__code")).values(
            "topic_id"
        )
        return self.filter(subtree_q(prefixes, "region__code") | models.Q(pk__in=involving))


class TopicScopedQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A topic's parts follow the topic, cross-community topics included."""
        return self.filter(topic__in=Topic.objects.visible_to(user).values("pk"))


class OpinionSource(models.TextChoices):
    BOX = "box", "群众意见箱"
    VISIT = "visit", "入户走访"
    FORUM = "forum", "网上居民论坛"
    PUBLIC = "public", "网上提交（公开页面）"
    MEETING = "meeting", "工作例会、座谈"


@badge_choices({"open": "warning", "topic": "primary", "answered": "success"})
class OpinionStatus(models.TextChoices):
    OPEN = "open", "待处理"
    TOPIC = "topic", "已纳入协商议题"
    ANSWERED = "answered", "已直接答复"


# An opinion is either answered directly or taken into a topic, once.
OPINION_FLOW = Workflow(
    OpinionStatus,
    Transition("answer", "答复", {OpinionStatus.OPEN}, OpinionStatus.ANSWERED),
    Transition("take_into_topic", "纳入协商议题", {OpinionStatus.OPEN}, OpinionStatus.TOPIC),
)


class Opinion(models.Model):
    """One line of the 群众意见台账: what a resident asked for, where it came from, and what became of it."""

    region = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name="村（社区）")
    source = models.CharField("来源", max_length=16, choices=OpinionSource.choices)
    content = BoundedTextField("意见建议", max_length=TEXT)
    resident_name = models.CharField("反映人", max_length=50, blank=True)
    contact = models.CharField("联系方式", max_length=50, blank=True)
    receipt = models.CharField("查询码", max_length=12, unique=True)
    status = models.CharField(
        "状态", max_length=16, choices=OpinionStatus.choices, default=OpinionStatus.OPEN
    )
    answer = BoundedTextField("答复", blank=True, max_length=TEXT)
    topic = models.ForeignKey(
        "Topic", models.PROTECT, null=True, blank=True, related_name="opinions", verbose_name="协商议题"
    )
    client_key = models.CharField("来源标识", max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="登记人",
    )
    version = models.PositiveIntegerField("版本", default=1)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "群众意见"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.receipt} {self.content[:20]}"


class Council(models.Model):
    """村(居)民议事会 of one village or community, or the township's 联席议事会 for cross-community topics."""

    region = models.OneToOneField(Region, models.PROTECT, related_name="+", verbose_name="区划")
    name = models.CharField("名称", max_length=100)
    convener = models.CharField("召集人", max_length=100, help_text="如：社区党组织书记 张某")
    version = models.PositiveIntegerField("版本", default=1)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "议事会"
        ordering = ["region__code"]

    def __str__(self):
        return self.name


class MemberRole(models.TextChoices):
    CHAIR = "chair", "议事会主要负责人"
    PARTY = "party", "社区党组织成员"
    COMMITTEE = "committee", "村（居）民委员会成员"
    COLLECTIVE = "collective", "集体经济组织负责人"
    REPRESENTATIVE = "representative", "村（居）民代表"
    GRID = "grid", "网格负责人"
    OWNERS = "owners", "业主委员会成员"
    DEPUTY = "deputy", "党代表、人大代表、政协委员"
    OTHER = "other", "其他成员"


class CouncilMember(models.Model):
    council = models.ForeignKey(Council, models.PROTECT, related_name="members", verbose_name="议事会")
    name = models.CharField("姓名", max_length=50)
    role = models.CharField("身份", max_length=20, choices=MemberRole.choices)
    affiliation = models.CharField("单位或住址", max_length=100, blank=True)
    is_active = models.BooleanField("在任", default=True)
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = verbose_name_plural = "议事会成员"
        ordering = ["council", "role", "id"]

    def __str__(self):
        return f"{self.name}（{self.get_role_display()}）"


class ConsultForm(models.TextChoices):
    MEETING = "meeting", "会议协商"
    DIALOGUE = "dialogue", "对话协商"
    WRITTEN = "written", "书面协商"
    ONLINE = "online", "网络协商"


@badge_choices(
    {
        "collecting": "secondary",
        "settled": "info",
        "planned": "info",
        "noticed": "info",
        "participants": "info",
        "held": "primary",
        "announced": "success",
        "reconsulted": "warning",
        "referred": "warning",
    }
)
class TopicStatus(models.TextChoices):
    COLLECTING = "collecting", "① 收集意见"
    SETTLED = "settled", "② 议题已确定"
    PLANNED = "planned", "③ 方案已制定"
    NOTICED = "noticed", "④ 公告已发布"
    PARTICIPANTS = "participants", "⑤ 协商人员已确定"
    HELD = "held", "⑥ 已开展协商"
    ANNOUNCED = "announced", "⑦ 已通报协商情况"
    RECONSULTED = "reconsulted", "未达成一致，另行组织协商"
    REFERRED = "referred", "未达成一致，提交村（居）民会议表决"


STEP_ORDER = [s.value for s in TopicStatus][:7]

# A topic's arrows: the seven steps of 协商 in order, the steps allowed while a state lasts (target None), and the two
# ways on when no agreement is reached. Services name the step; services/topics.py and outcomes.py hold one each.
TOPIC_FLOW = Workflow(
    TopicStatus,
    Transition(
        "topic_settle", "确定议题", {TopicStatus.COLLECTING, TopicStatus.SETTLED}, TopicStatus.SETTLED
    ),
    Transition("topic_plan", "制定协商方案", {TopicStatus.SETTLED}, TopicStatus.PLANNED),
    Transition("topic_notice", "发布协商公告", {TopicStatus.PLANNED}, TopicStatus.NOTICED),
    Transition("participant_add", "增加协商人员", {TopicStatus.NOTICED}),
    Transition("participants_settle", "确定协商人员", {TopicStatus.NOTICED}, TopicStatus.PARTICIPANTS),
    Transition("codes_reissue", "重发参与码", {TopicStatus.PARTICIPANTS}),
    Transition("participant_record", "记录协商意见", {TopicStatus.PARTICIPANTS}),
    Transition("vote_open", "发起表决", {TopicStatus.PARTICIPANTS}),
    Transition("ballot_cast", "投票", {TopicStatus.PARTICIPANTS}),
    Transition("online_submit", "在线提交意见", {TopicStatus.PARTICIPANTS}),
    Transition("topic_hold", "开展协商", {TopicStatus.PARTICIPANTS}, TopicStatus.HELD),
    Transition("topic_announce", "通报协商情况", {TopicStatus.HELD}, TopicStatus.ANNOUNCED),
    Transition("topic_reconsult", "另行组织协商", {TopicStatus.ANNOUNCED}, TopicStatus.RECONSULTED),
    Transition("topic_refer", "提交表决", {TopicStatus.ANNOUNCED}, TopicStatus.REFERRED),
    Transition("measure_add", "增加落实措施", {TopicStatus.ANNOUNCED}),
)


@badge_choices({"": "secondary", "agreed": "success", "disagreed": "danger"})
class Outcome(models.TextChoices):
    AGREED = "agreed", "达成一致"
    DISAGREED = "disagreed", "未达成一致"


class Topic(models.Model):
    """A 协商议题 and its whole record: plan, notice, participants, minutes, votes, announcement."""

    region = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name="组织单位")
    involved = models.ManyToManyField(Region, blank=True, related_name="+", verbose_name="涉及的村（社区）")
    title = models.CharField("议题", max_length=200)
    background = BoundedTextField("议题说明", blank=True, max_length=TEXT)
    status = models.CharField(
        "步骤", max_length=16, choices=TopicStatus.choices, default=TopicStatus.COLLECTING
    )
    settled_on = models.DateField("议题确定日期", null=True, blank=True)
    plan_due = models.DateField("方案应完成日期", null=True, blank=True)
    plan_due_estimated = models.BooleanField("期限为估算", default=False)
    form = models.CharField("协商形式", max_length=16, choices=ConsultForm.choices, blank=True)
    scheduled_at = models.DateTimeField("协商时间", null=True, blank=True)
    place = models.CharField("协商地点", max_length=200, blank=True)
    plan_content = BoundedTextField("协商内容", blank=True, max_length=TEXT)
    plan_participants = BoundedTextField("参与主体", blank=True, max_length=NOTE)
    planned_on = models.DateField("方案制定日期", null=True, blank=True)
    notice_text = BoundedTextField("协商公告", blank=True, max_length=LONG)
    noticed_on = models.DateField("公告发布日期", null=True, blank=True)
    held_on = models.DateField("协商日期", null=True, blank=True)
    minutes = BoundedTextField("协商纪要", blank=True, max_length=DOCUMENT)
    outcome = models.CharField("协商结果", max_length=16, choices=Outcome.choices, blank=True)
    announcement = BoundedTextField("协商情况通报", blank=True, max_length=LONG)
    announced_on = models.DateField("通报日期", null=True, blank=True)
    late_reason = BoundedTextField("逾期说明", blank=True, max_length=NOTE)
    previous = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="followers", verbose_name="前次协商"
    )
    referral_note = BoundedTextField("提交村（居）民会议说明", blank=True, max_length=NOTE)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    version = models.PositiveIntegerField("版本", default=1)

    objects = TopicQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "协商议题"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.title

    @property
    def is_cross_community(self) -> bool:
        return self.region.level < 5

    @property
    def step_index(self) -> int:
        return STEP_ORDER.index(self.status) + 1 if self.status in STEP_ORDER else 7

    @property
    def announce_due(self):
        """The announcement is due the same day as the consultation or the next (seed 003)."""
        return self.held_on + timedelta(days=1) if self.held_on else None


class TopicStep(models.Model):
    """One step of a topic, timestamped, with who did it (append-only)."""

    topic = models.ForeignKey(Topic, models.PROTECT, related_name="steps", verbose_name="议题")
    from_status = models.CharField("原步骤", max_length=16, choices=TopicStatus.choices, blank=True)
    to_status = models.CharField("新步骤", max_length=16, choices=TopicStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="操作人",
    )
    note = BoundedTextField("说明", blank=True, max_length=STEP_NOTE)
    at = models.DateTimeField("时间", auto_now_add=True)

    objects = TopicScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "协商步骤记录"
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.topic_id} {self.get_to_status_display()}"


class Participant(models.Model):
    """A participant settled for one topic (step 5): attendance and opinion at a meeting or dialogue, the
    reply to a written consultation, or the one-time code of an online consultation."""

    topic = models.ForeignKey(Topic, models.PROTECT, related_name="participants", verbose_name="议题")
    name = models.CharField("姓名或单位", max_length=100)
    capacity = models.CharField("身份", max_length=100, help_text="如：居民代表、驻社区单位、业主委员会")
    contact = models.CharField("联系方式", max_length=50, blank=True)
    attended = models.BooleanField("出席", null=True, blank=True)
    opinion = BoundedTextField("发表的意见", blank=True, max_length=TEXT)
    reply = BoundedTextField("书面回复", blank=True, max_length=TEXT)
    replied_on = models.DateField("回复日期", null=True, blank=True)
    code_hash = models.CharField("一次性码摘要", max_length=64, blank=True, db_index=True)
    code_used_at = models.DateTimeField("一次性码使用时间", null=True, blank=True)
    version = models.PositiveIntegerField("版本", default=1)

    objects = TopicScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "协商人员"
        ordering = ["topic", "id"]

    def __str__(self):
        return self.name


class VoteRule(models.TextChoices):
    HALF = "half", "过半数参与人员同意"
    TWO_THIRDS = "two_thirds", "三分之二以上参与人员同意"


@badge_choices({"open": "info", "passed": "success", "failed": "danger"})
class VoteStatus(models.TextChoices):
    OPEN = "open", "表决中"
    PASSED = "passed", "通过"
    FAILED = "failed", "未通过"


VOTE_FLOW = Workflow(
    VoteStatus,
    Transition("cast", "投票", {VoteStatus.OPEN}),
    Transition("pass", "计票（通过）", {VoteStatus.OPEN}, VoteStatus.PASSED),
    Transition("fail", "计票（未通过）", {VoteStatus.OPEN}, VoteStatus.FAILED),
)


class Vote(models.Model):
    """A vote on one question; the threshold counts every settled participant, not those present (seed 003)."""

    topic = models.ForeignKey(Topic, models.PROTECT, related_name="votes", verbose_name="议题")
    question = models.CharField("表决事项", max_length=200)
    rule = models.CharField("通过规则", max_length=16, choices=VoteRule.choices)
    status = models.CharField("状态", max_length=16, choices=VoteStatus.choices, default=VoteStatus.OPEN)
    electorate = models.PositiveIntegerField("参与人员数", default=0)
    yes = models.PositiveIntegerField("同意", default=0)
    no = models.PositiveIntegerField("不同意", default=0)
    abstain = models.PositiveIntegerField("弃权", default=0)
    closed_at = models.DateTimeField("结束时间", null=True, blank=True)
    version = models.PositiveIntegerField("版本", default=1)

    objects = TopicScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "表决"
        ordering = ["topic", "id"]

    def __str__(self):
        return self.question

    @property
    def needed(self) -> int:
        """Yes votes needed: more than half, or at least two thirds, of all participants."""
        n = self.electorate
        return n // 2 + 1 if self.rule == VoteRule.HALF else -(-2 * n // 3)


class BallotChoice(models.TextChoices):
    YES = "yes", "同意"
    NO = "no", "不同意"
    ABSTAIN = "abstain", "弃权"


class Ballot(models.Model):
    """One participant's ballot on one vote: once, enforced by the database (append-only)."""

    vote = models.ForeignKey(Vote, models.PROTECT, related_name="ballots", verbose_name="表决")
    participant = models.ForeignKey(
        Participant, models.PROTECT, related_name="ballots", verbose_name="投票人"
    )
    choice = models.CharField("意见", max_length=8, choices=BallotChoice.choices)
    channel = models.CharField("方式", max_length=16, default="meeting")
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "选票"
        constraints = [models.UniqueConstraint(fields=["vote", "participant"], name="consult_ballot_once")]

    def __str__(self):
        return f"{self.participant_id}: {self.get_choice_display()}"


class Comment(models.Model):
    """An invited participant's comment on an online consultation (append-only)."""

    topic = models.ForeignKey(Topic, models.PROTECT, related_name="comments", verbose_name="议题")
    participant = models.ForeignKey(Participant, models.PROTECT, related_name="+", verbose_name="协商人员")
    text = BoundedTextField("意见", max_length=NOTE)
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "网络协商意见"
        ordering = ["at", "id"]

    def __str__(self):
        return self.text[:30]


@badge_choices({"doing": "warning", "done": "success"})
class MeasureStatus(models.TextChoices):
    DOING = "doing", "落实中"
    DONE = "done", "已完成"


class Measure(models.Model):
    """An adopted measure (协商成果), tracked and published (村务公开) until done."""

    topic = models.ForeignKey(Topic, models.PROTECT, related_name="measures", verbose_name="议题")
    title = models.CharField("落实事项", max_length=200)
    owner = models.CharField("责任人或单位", max_length=100)
    due_on = models.DateField("计划完成日期")
    progress = models.PositiveSmallIntegerField("进度（%）", default=0)
    status = models.CharField(
        "状态", max_length=8, choices=MeasureStatus.choices, default=MeasureStatus.DOING
    )
    version = models.PositiveIntegerField("版本", default=1)

    objects = TopicScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "协商成果落实事项"
        ordering = ["topic", "id"]

    def __str__(self):
        return self.title


class MeasureUpdate(models.Model):
    measure = models.ForeignKey(Measure, models.PROTECT, related_name="updates", verbose_name="落实事项")
    progress = models.PositiveSmallIntegerField("进度（%）")
    note = BoundedTextField("进展", max_length=TEXT)
    on = models.DateField("日期")
    at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "落实进展"
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.progress}% {self.note[:20]}"


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASIC = "basic", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"


class FollowUp(models.Model):
    """跟踪回访: one resident's satisfaction with how the outcome was carried out (append-only)."""

    topic = models.ForeignKey(Topic, models.PROTECT, related_name="followups", verbose_name="议题")
    respondent = models.CharField("回访对象", max_length=50, blank=True)
    satisfaction = models.CharField("满意度", max_length=16, choices=Satisfaction.choices)
    comment = BoundedTextField("意见", blank=True, max_length=NOTE)
    on = models.DateField("回访日期")

    class Meta:
        verbose_name = verbose_name_plural = "跟踪回访"
        ordering = ["on", "id"]

    def __str__(self):
        return f"{self.on} {self.get_satisfaction_display()}"
