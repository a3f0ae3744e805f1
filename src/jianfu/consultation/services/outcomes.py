"""Votes, the online consultation, holding and announcing (steps 6 and 7), what happens without agreement,
and the adopted measures with their follow-up (seed 003 四(四)、(五)).

Votes count every settled participant, not those present: "经过半数或三分之二以上参与人员同意方可生效".
One ballot per participant and vote: a unique constraint, and the vote row locked while a ballot is counted.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from jianfu.audit.services import audit_record, snapshot
from jianfu.core.ratelimit import Limit

from ..models import (
    TOPIC_FLOW,
    VOTE_FLOW,
    Ballot,
    BallotChoice,
    Comment,
    ConsultForm,
    FollowUp,
    Measure,
    MeasureStatus,
    MeasureUpdate,
    Outcome,
    Participant,
    Satisfaction,
    Topic,
    TopicStatus,
    TopicStep,
    Vote,
    VoteRule,
    VoteStatus,
)
from .topics import (
    TOPIC_FIELDS,
    _bump,
    _lock,
    _require_step,
    _required,
    _today,
    _transition,
    check_version,
    code_hash,
    require_convener,
)

# 表决 ---------------------------------------------------------------------------------------------------


@transaction.atomic
def vote_open(*, actor, topic: Topic, question: str, rule: str) -> Vote:
    topic = _lock(topic)
    require_convener(actor, topic.region)
    _require_step(topic, "vote_open")
    if not (question or "").strip():
        raise ValidationError({"question": "请填写表决事项。"})
    if rule not in VoteRule.values:
        raise ValidationError({"rule": "请选择通过规则：过半数或三分之二以上参与人员同意。"})
    vote = Vote(topic=topic, question=question.strip(), rule=rule, electorate=topic.participants.count())
    vote.full_clean()
    vote.save()
    audit_record(actor=actor, action="consultation.vote_open", obj=vote, after=snapshot(vote))
    return vote


def _cast(vote: Vote, participant: Participant, choice: str, channel: str) -> Ballot:
    """Count one ballot on a vote row the caller has locked."""
    if not VOTE_FLOW.may(vote, "cast"):
        raise ValidationError(f"表决“{vote.question}”已结束，不能再投票。")
    if participant.topic_id != vote.topic_id:
        raise ValidationError({"participant": "投票人不是本议题的协商人员。"})
    if choice not in BallotChoice.values:
        raise ValidationError({"choice": "请选择同意、不同意或弃权。"})
    if Ballot.objects.filter(vote=vote, participant=participant).exists():
        raise ValidationError(
            {"participant": f"{participant.name}已经对“{vote.question}”投过票，每人只能投一次。"}
        )
    try:
        with transaction.atomic():
            ballot = Ballot.objects.create(vote=vote, participant=participant, choice=choice, channel=channel)
    except IntegrityError as exc:  # a racing request got there first
        raise ValidationError({"participant": f"{participant.name}已经投过票，每人只能投一次。"}) from exc
    setattr(vote, choice, getattr(vote, choice) + 1)
    _bump(vote, [choice])
    return ballot


@transaction.atomic
def ballot_cast(*, actor, vote: Vote, participant: Participant, choice: str) -> Ballot:
    """The convener records a participant's ballot at a meeting, a dialogue or from a written reply."""
    vote = Vote.objects.select_for_update(of=("self",)).select_related("topic__region").get(pk=vote.pk)
    require_convener(actor, vote.topic.region)
    _require_step(vote.topic, "ballot_cast")
    ballot = _cast(vote, participant, choice, channel=vote.topic.form)
    audit_record(
        actor=actor,
        action="consultation.ballot_cast",
        obj=vote,
        after={"participant": participant.pk, "choice": choice, "yes": vote.yes, "no": vote.no},
    )
    return ballot


@transaction.atomic
def vote_close(*, actor, vote: Vote) -> Vote:
    """Count it: passed only when the yes votes reach the rule's share of all participants."""
    vote = Vote.objects.select_for_update(of=("self",)).select_related("topic__region").get(pk=vote.pk)
    require_convener(actor, vote.topic.region)
    if not VOTE_FLOW.may(vote, "pass"):
        raise ValidationError("该表决已经结束。")
    VOTE_FLOW.move(vote, "pass" if vote.yes >= vote.needed else "fail")
    vote.closed_at = timezone.now()
    _bump(vote, ["status", "closed_at"])
    audit_record(actor=actor, action="consultation.vote_close", obj=vote, after=snapshot(vote))
    return vote


# 网络协商 -----------------------------------------------------------------------------------------------


@transaction.atomic
def online_submit(
    *, topic: Topic, code: str, comment: str = "", choices: dict | None = None, limit: Limit | None = None
) -> Participant:
    """An invited participant comments and votes on the public page with their one-time code (used once);
    ``limit`` counts the caller's wrong codes."""
    if limit is not None:
        limit.check()
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    if topic.form != ConsultForm.ONLINE or not TOPIC_FLOW.may(topic, "online_submit"):
        raise ValidationError("这个议题现在不在网络协商中。")
    digest = code_hash(code or "")
    participant = Participant.objects.select_for_update().filter(topic=topic, code_hash=digest).first()
    if not (code or "").strip() or participant is None:
        if limit is not None:
            limit.hit()
        raise ValidationError({"code": "一次性码不正确，请核对村（社区）发给您的码。"})
    if participant.code_used_at is not None:
        raise ValidationError({"code": "这个一次性码已经用过了，每位协商人员只能提交一次。"})
    choices = {int(k): v for k, v in (choices or {}).items() if v}
    if not (comment or "").strip() and not choices:
        raise ValidationError({"comment": "请写下您的意见，或对表决事项作出选择。"})
    votes = {v.pk: v for v in Vote.objects.select_for_update().filter(topic=topic, status=VoteStatus.OPEN)}
    for vote_id, choice in choices.items():
        if vote_id not in votes:
            raise ValidationError({"choices": "表决事项不存在或已经结束。"})
        _cast(votes[vote_id], participant, choice, channel="online")
    if (comment or "").strip():
        Comment.objects.create(topic=topic, participant=participant, text=comment.strip()[:2000])
    participant.code_used_at = timezone.now()
    _bump(participant, ["code_used_at"])
    audit_record(
        actor=None,
        action="consultation.online_submit",
        obj=participant,
        after={"topic": topic.pk, "votes": choices, "commented": bool((comment or "").strip())},
    )
    return participant


# 开展协商、通报 -------------------------------------------------------------------------------------------


def supported_outcome(topic: Topic) -> str:
    """What the votes show: agreement needs at least one vote, every vote closed and passed."""
    votes = list(topic.votes.all())
    if votes and all(v.status == VoteStatus.PASSED for v in votes):
        return Outcome.AGREED
    return Outcome.DISAGREED


@transaction.atomic
def topic_hold(
    *, actor, topic: Topic, minutes: str, outcome: str, expected_version=None, on: date | None = None
) -> Topic:
    """Step 6, 开展议事协商: the minutes and the outcome, which the votes must support."""
    topic = _lock(topic)
    require_convener(actor, topic.region)
    check_version(topic, expected_version, "协商议题")
    _require_step(topic, "topic_hold")
    _required(minutes=minutes)
    votes = list(topic.votes.all())
    if not votes:
        raise ValidationError("请先组织表决：协商意见须经过半数或三分之二以上参与人员同意方可生效。")
    if any(v.status == VoteStatus.OPEN for v in votes):
        raise ValidationError("还有表决没有结束，请先结束表决。")
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": "请选择协商结果。"})
    failed = [v for v in votes if v.status == VoteStatus.FAILED]
    if outcome == Outcome.AGREED and failed:
        v = failed[0]
        raise ValidationError(
            {
                "outcome": f"表决“{v.question}”同意 {v.yes} 票，未达到{v.get_rule_display()}"
                f"（共 {v.electorate} 人，至少 {v.needed} 票），不能认定达成一致。"
            }
        )
    if outcome != supported_outcome(topic):
        raise ValidationError({"outcome": "各项表决均已通过，协商结果应为“达成一致”。"})
    before = snapshot(topic, TOPIC_FIELDS)
    topic.minutes, topic.outcome, topic.held_on = minutes.strip(), outcome, _today(actor, on)
    return _transition(
        topic,
        actor=actor,
        action="topic_hold",
        before=before,
        fields=["minutes", "outcome", "held_on"],
    )


@transaction.atomic
def topic_announce(
    *,
    actor,
    topic: Topic,
    announcement: str,
    late_reason: str = "",
    expected_version=None,
    on: date | None = None,
) -> Topic:
    """Step 7, 通报协商情况: on the day of the consultation or the next; later needs a written reason."""
    topic = _lock(topic)
    require_convener(actor, topic.region)
    check_version(topic, expected_version, "协商议题")
    _require_step(topic, "topic_announce")
    _required(announcement=announcement)
    today = _today(actor, on)
    late = today > topic.announce_due
    if late and not (late_reason or "").strip():
        raise ValidationError(
            {
                "late_reason": f"协商情况应于协商当日或次日（{topic.announce_due:%m月%d日}前）公告，"
                f"现已逾期，请填写逾期说明。"
            }
        )
    before = snapshot(topic, TOPIC_FIELDS)
    topic.announcement, topic.announced_on = announcement.strip(), today
    topic.late_reason = late_reason.strip() if late else ""
    return _transition(
        topic,
        actor=actor,
        action="topic_announce",
        before=before,
        fields=["announcement", "announced_on", "late_reason"],
        note="逾期通报：" + topic.late_reason if late else "",
    )


def _require_disagreed(topic: Topic, step: str) -> None:
    _require_step(topic, step)
    if topic.outcome != Outcome.DISAGREED:
        raise ValidationError("该议题已达成一致，不需要另行协商或提交表决。")


@transaction.atomic
def topic_reconsult(*, actor, topic: Topic, note: str = "", expected_version=None) -> Topic:
    """No agreement: organise the consultation again; the new topic keeps the link to this one."""
    topic = _lock(topic)
    require_convener(actor, topic.region)
    check_version(topic, expected_version, "协商议题")
    _require_disagreed(topic, "topic_reconsult")
    follower = Topic(region=topic.region, title=topic.title, background=topic.background, previous=topic)
    follower.full_clean()
    follower.save()
    follower.involved.set(topic.involved.all())
    TopicStep.objects.create(
        topic=follower,
        to_status=TopicStatus.COLLECTING,
        actor=actor,
        note=f"第 {topic.pk} 号议题未达成一致，另行组织协商",
    )
    before = snapshot(topic, TOPIC_FIELDS)
    _transition(
        topic,
        actor=actor,
        action="topic_reconsult",
        before=before,
        fields=[],
        note=(note or "").strip() or f"另行协商：第 {follower.pk} 号议题",
    )
    return follower


@transaction.atomic
def topic_refer(*, actor, topic: Topic, note: str, expected_version=None) -> Topic:
    """Still no agreement: submit it to the villagers' (residents') meeting or representatives' meeting."""
    topic = _lock(topic)
    require_convener(actor, topic.region)
    check_version(topic, expected_version, "协商议题")
    _require_disagreed(topic, "topic_refer")
    if not (note or "").strip():
        raise ValidationError({"referral_note": "请写明提交哪一次村（居）民会议或代表会议表决。"})
    before = snapshot(topic, TOPIC_FIELDS)
    topic.referral_note = note.strip()
    return _transition(
        topic,
        actor=actor,
        action="topic_refer",
        before=before,
        fields=["referral_note"],
    )


# 协商成果落实、跟踪回访 -------------------------------------------------------------------------------------


def _require_adopted(topic: Topic) -> None:
    if not TOPIC_FLOW.may(topic, "measure_add") or topic.outcome != Outcome.AGREED:
        raise ValidationError("只有达成一致并已通报的协商，才能登记落实事项和回访。")


@transaction.atomic
def measure_add(*, actor, topic: Topic, title: str, owner: str, due_on: date | None) -> Measure:
    topic = _lock(topic)
    require_convener(actor, topic.region)
    _require_adopted(topic)
    errors = {}
    if not (title or "").strip():
        errors["title"] = "请填写落实事项。"
    if not (owner or "").strip():
        errors["owner"] = "请填写责任人或责任单位。"
    if due_on is None:
        errors["due_on"] = "请填写计划完成日期。"
    if errors:
        raise ValidationError(errors)
    measure = Measure(topic=topic, title=title.strip(), owner=owner.strip(), due_on=due_on)
    measure.full_clean()
    measure.save()
    _bump(topic, [])
    audit_record(actor=actor, action="consultation.measure_add", obj=measure, after=snapshot(measure))
    return measure


@transaction.atomic
def measure_progress(
    *, actor, measure: Measure, progress: int, note: str, expected_version=None, on: date | None = None
) -> Measure:
    """Report progress (公开进度); at 100% the measure is done and leaves the public list of open work."""
    measure = (
        Measure.objects.select_for_update(of=("self",)).select_related("topic__region").get(pk=measure.pk)
    )
    require_convener(actor, measure.topic.region)
    check_version(measure, expected_version, "落实事项")
    if measure.status == MeasureStatus.DONE:
        raise ValidationError("该事项已完成。")
    if progress is None or not 0 <= int(progress) <= 100:
        raise ValidationError({"progress": "进度请填写 0 到 100 之间的整数。"})
    if int(progress) < measure.progress:
        raise ValidationError({"progress": f"进度不能低于已登记的 {measure.progress}%。"})
    if not (note or "").strip():
        raise ValidationError({"note": "请写明进展情况。"})
    before = snapshot(measure)
    MeasureUpdate.objects.create(
        measure=measure, progress=int(progress), note=note.strip(), on=_today(actor, on)
    )
    measure.progress = int(progress)
    measure.status = MeasureStatus.DONE if measure.progress == 100 else MeasureStatus.DOING
    _bump(measure, ["progress", "status"])
    audit_record(
        actor=actor,
        action="consultation.measure_progress",
        obj=measure,
        before=before,
        after=snapshot(measure),
    )
    return measure


@transaction.atomic
def followup_add(
    *, actor, topic: Topic, satisfaction: str, respondent: str = "", comment: str = "", on: date | None = None
) -> FollowUp:
    """跟踪回访: one resident's satisfaction with how the agreed measures were carried out."""
    topic = _lock(topic)
    require_convener(actor, topic.region)
    _require_adopted(topic)
    if not topic.measures.exists():
        raise ValidationError("请先登记协商成果的落实事项，再开展回访。")
    if satisfaction not in Satisfaction.values:
        raise ValidationError({"satisfaction": "请选择满意、基本满意或不满意。"})
    followup = FollowUp(
        topic=topic,
        respondent=(respondent or "").strip(),
        satisfaction=satisfaction,
        comment=(comment or "").strip(),
        on=_today(actor, on),
    )
    followup.full_clean()
    followup.save()
    _bump(topic, [])
    audit_record(actor=actor, action="consultation.followup_add", obj=followup, after=snapshot(followup))
    return followup
