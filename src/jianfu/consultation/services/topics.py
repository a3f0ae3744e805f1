"""Every write about the opinion ledger, councils and the seven steps of a topic (seed 003,
《关于完善城乡社区协商机制的意见》 四(四)). Votes, online consultation, measures and follow-up are in ``outcomes``.

Who acts: the village's or community's own cadres for its topics, the township for topics spanning two or more
communities (跨社区协商). A township role covers its villages for reading, not for convening: the community
party organisation proposes and convenes its own consultations, and officials "不得包办干涉".
"""

import hashlib
import secrets
from datetime import date, datetime
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from jianfu.audit.services import audit_record, snapshot
from jianfu.core.exceptions import check_version
from jianfu.core.ratelimit import Limit
from jianfu.core.workdays import add_workdays
from jianfu.orgs import access
from jianfu.orgs.models import Level, Region
from jianfu.orgs.roles import Capability

from .. import notify
from ..models import (
    OPINION_FLOW,
    TOPIC_FLOW,
    ConsultForm,
    Council,
    CouncilMember,
    MemberRole,
    Opinion,
    OpinionSource,
    Participant,
    Topic,
    TopicStatus,
    TopicStep,
)

PLAN_WORKDAYS = 2  # 议题确定后，议事会要在2个工作日内制定完成协商方案
TOPIC_FIELDS = (
    "id",
    "region",
    "title",
    "status",
    "settled_on",
    "plan_due",
    "form",
    "scheduled_at",
    "place",
    "planned_on",
    "noticed_on",
    "held_on",
    "outcome",
    "announced_on",
    "version",
)
RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: read out over the phone


def _today(actor, on: date | None) -> date:
    """Today; only the system (actor None: demo data, paper ledgers being entered) may date a step."""
    return on if (on is not None and actor is None) else timezone.localdate()


def convening_regions(user) -> list[Region]:
    """The regions whose consultations this user convenes: the exact region of a consultation.manage role."""
    if user is None or not user.is_authenticated:
        return []
    return access.regions(user, Capability.CONSULTATION_MANAGE)


def may_convene(user, region: Region) -> bool:
    return access.acts_at(user, Capability.CONSULTATION_MANAGE, region)


def require_convener(actor, region: Region) -> None:
    access.require(actor, Capability.CONSULTATION_MANAGE)
    who = "本村（社区）" if region.level == Level.VILLAGE else "本乡镇（街道）"
    access.require_at(
        actor,
        Capability.CONSULTATION_MANAGE,
        region,
        message=f"“{region.name}”的协商由{who}组织，您不能代为办理。",
    )


def _bump(obj, fields: list[str]) -> None:
    obj.version += 1
    obj.full_clean()
    obj.save(update_fields=[*fields, "version"])


def _step(topic: Topic, *, actor, to_status: str, note: str = "") -> None:
    TopicStep.objects.create(
        topic=topic, from_status=topic.status, to_status=to_status, actor=actor, note=note
    )
    topic.status = to_status


def _lock(topic: Topic) -> Topic:
    return Topic.objects.select_for_update(of=("self",)).select_related("region").get(pk=topic.pk)


def _require_step(topic: Topic, step: str) -> None:
    TOPIC_FLOW.check(topic, step, name="议题")


def _required(**values) -> None:
    labels = {
        "content": "意见建议",
        "title": "议题",
        "place": "协商地点",
        "plan_content": "协商内容",
        "plan_participants": "参与主体",
        "form": "协商形式",
        "scheduled_at": "协商时间",
        "notice_text": "公告内容",
        "name": "姓名",
        "capacity": "身份",
        "minutes": "协商纪要",
        "announcement": "通报内容",
        "convener": "召集人",
    }
    errors = {k: f"请填写{labels.get(k, k)}。" for k, v in values.items() if not str(v or "").strip()}
    if errors:
        raise ValidationError(errors)


# 群众意见台账 -------------------------------------------------------------------------------------------


def _receipt() -> str:
    while True:
        code = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(8))
        if not Opinion.objects.filter(receipt=code).exists():
            return code


def _village(region: Region | None) -> Region:
    if region is None or region.level != Level.VILLAGE or not region.is_active:
        raise ValidationError({"region": "请选择意见所在的村（社区）。"})
    return region


@transaction.atomic
def opinion_create(
    *, actor, region: Region, source: str, content: str, resident_name: str = "", contact: str = ""
) -> Opinion:
    """A cadre enters an opinion from the box, a visit, the forum or a meeting into the ledger; a township
    records those it collects itself for a cross-community topic."""
    if region is None or region.level not in (Level.VILLAGE, Level.TOWNSHIP):
        raise ValidationError({"region": "请选择意见所在的村（社区）。"})
    require_convener(actor, region)
    _required(content=content)
    if source not in OpinionSource.values or source == OpinionSource.PUBLIC:
        raise ValidationError({"source": "请选择意见来源（意见箱、入户走访、网上论坛或例会座谈）。"})
    opinion = Opinion(
        region=region,
        source=source,
        content=content.strip(),
        resident_name=resident_name.strip(),
        contact=contact.strip(),
        receipt=_receipt(),
        created_by=actor,
    )
    opinion.full_clean()
    opinion.save()
    audit_record(actor=actor, action="consultation.opinion_create", obj=opinion, after=snapshot(opinion))
    return opinion


def client_key_of(address: str) -> str:
    """The sender's address kept only as a digest: enough to trace a flood, nothing to identify anyone."""
    return hashlib.sha256(f"opinion:{address}".encode()).hexdigest()


@transaction.atomic
def opinion_submit_public(
    *,
    region: Region | None,
    content: str,
    resident_name: str = "",
    contact: str = "",
    client_key: str = "",
    limit: Limit | None = None,
) -> Opinion:
    """A resident writes in from the public page (no login; name and contact optional). ``limit`` counts the
    write-ins of the sender's address (settings.RATE_LIMITS["public_write"]) and refuses one too many."""
    region = _village(region)
    content = (content or "").strip()
    if len(content) < 5:
        raise ValidationError({"content": "请写下您的意见或建议（至少 5 个字）。"})
    if len(content) > 2000:
        raise ValidationError({"content": "内容太长了，请控制在 2000 字以内。"})
    if limit is not None:
        limit.hit()
    opinion = Opinion(
        region=region,
        source=OpinionSource.PUBLIC,
        content=content,
        resident_name=resident_name.strip(),
        contact=contact.strip(),
        receipt=_receipt(),
        client_key=client_key,
    )
    opinion.full_clean()
    opinion.save()
    audit_record(
        actor=None,
        action="consultation.opinion_submit",
        obj=opinion,
        after=snapshot(opinion, ("id", "region", "source", "receipt")),
    )
    return opinion


@transaction.atomic
def opinion_answer(*, actor, opinion: Opinion, answer: str, expected_version=None) -> Opinion:
    """Answer an opinion directly, without a consultation."""
    opinion = Opinion.objects.select_for_update(of=("self",)).select_related("region").get(pk=opinion.pk)
    require_convener(actor, opinion.region)
    check_version(opinion, expected_version, "群众意见")
    if not OPINION_FLOW.may(opinion, "answer"):
        raise ValidationError(f"这条意见已{opinion.get_status_display()}，不能再答复。")
    if not (answer or "").strip():
        raise ValidationError({"answer": "请填写答复内容。"})
    before = snapshot(opinion)
    OPINION_FLOW.move(opinion, "answer")
    opinion.answer = answer.strip()
    opinion.answered_at = timezone.now()
    _bump(opinion, ["answer", "answered_at", "status"])
    audit_record(
        actor=actor, action="consultation.opinion_answer", obj=opinion, before=before, after=snapshot(opinion)
    )
    transaction.on_commit(partial(notify.opinion_answered, opinion.pk))  # the resident is told by SMS
    return opinion


# 议事会 -------------------------------------------------------------------------------------------------


@transaction.atomic
def council_save(*, actor, region: Region, name: str, convener: str, expected_version=None) -> Council:
    require_convener(actor, region)
    _required(name=name, convener=convener)
    council = Council.objects.select_for_update().filter(region=region).first()
    before = snapshot(council) if council else None
    if council is None:
        council = Council(region=region, name=name.strip(), convener=convener.strip())
        council.full_clean()
        council.save()
    else:
        check_version(council, expected_version, "议事会")
        council.name, council.convener = name.strip(), convener.strip()
        _bump(council, ["name", "convener"])
    audit_record(
        actor=actor, action="consultation.council_save", obj=council, before=before, after=snapshot(council)
    )
    return council


@transaction.atomic
def member_add(*, actor, council: Council, name: str, role: str, affiliation: str = "") -> CouncilMember:
    # the council row is locked so that two chairs cannot be added at once and its version moves every time
    council = Council.objects.select_for_update(of=("self",)).select_related("region").get(pk=council.pk)
    require_convener(actor, council.region)
    _required(name=name)
    if role not in MemberRole.values:
        raise ValidationError({"role": "请选择成员身份。"})
    if role == MemberRole.CHAIR and council.members.filter(role=MemberRole.CHAIR, is_active=True).exists():
        raise ValidationError({"role": "议事会已有在任的主要负责人，请先让其离任。"})
    member = CouncilMember(council=council, name=name.strip(), role=role, affiliation=affiliation.strip())
    member.full_clean()
    member.save()
    _bump(council, [])
    audit_record(actor=actor, action="consultation.member_add", obj=member, after=snapshot(member))
    return member


@transaction.atomic
def member_retire(*, actor, member: CouncilMember) -> CouncilMember:
    member = (
        CouncilMember.objects.select_for_update(of=("self",))
        .select_related("council__region")
        .get(pk=member.pk)
    )
    require_convener(actor, member.council.region)
    if not member.is_active:
        raise ValidationError(f"{member.name}已离任。")
    member.is_active = False
    _bump(member, ["is_active"])
    audit_record(actor=actor, action="consultation.member_retire", obj=member, after=snapshot(member))
    return member


# 议题：七个步骤 ------------------------------------------------------------------------------------------


def _involved_villages(region: Region, involved) -> list[Region]:
    villages = [r for r in involved or [] if r.level == Level.VILLAGE and r.parent_id == region.pk]
    if region.level == Level.TOWNSHIP and len({v.pk for v in villages}) < 2:
        raise ValidationError({"involved": "跨社区协商须涉及本乡镇（街道）两个以上村（社区）。"})
    if region.level not in (Level.TOWNSHIP, Level.VILLAGE):
        raise ValidationError(
            {"region": "协商由村（社区）组织；涉及两个以上村（社区）的，由乡镇（街道）组织。"}
        )
    return villages


@transaction.atomic
def topic_create(
    *, actor, region: Region, title: str, background: str = "", opinions=(), involved=()
) -> Topic:
    """Step 1, 收集意见: the party organisation turns one or more ledger opinions into a topic."""
    require_convener(actor, region)
    _required(title=title)
    villages = _involved_villages(region, involved)
    ids = [o.pk for o in opinions]
    locked = list(Opinion.objects.select_for_update(of=("self",)).select_related("region").filter(pk__in=ids))
    for opinion in locked:
        if not opinion.region.code.startswith(region.prefix):
            raise ValidationError({"opinions": f"意见 {opinion.receipt} 不属于{region.name}。"})
        if not OPINION_FLOW.may(opinion, "take_into_topic"):
            raise ValidationError({"opinions": f"意见 {opinion.receipt} 已{opinion.get_status_display()}。"})
    topic = Topic(region=region, title=title.strip(), background=(background or "").strip())
    topic.full_clean()
    topic.save()
    topic.involved.set(villages)
    TopicStep.objects.create(
        topic=topic,
        to_status=TopicStatus.COLLECTING,
        actor=actor,
        note=f"由 {len(locked)} 条群众意见形成" if locked else "",
    )
    for opinion in locked:
        OPINION_FLOW.move(opinion, "take_into_topic")
        opinion.topic = topic
        _bump(opinion, ["status", "topic"])
    audit_record(
        actor=actor,
        action="consultation.topic_create",
        obj=topic,
        after={**snapshot(topic, TOPIC_FIELDS), "opinions": ids},
    )
    return topic


def _transition(topic, *, actor, action: str, before: dict, fields: list[str], note: str = ""):
    """The step named ``action`` in TOPIC_FLOW: write its TopicStep, move the topic, save and audit."""
    _step(topic, actor=actor, to_status=TOPIC_FLOW.transitions[action].target, note=note)
    _bump(topic, [*fields, "status"])
    audit_record(
        actor=actor,
        action=f"consultation.{action}",
        obj=topic,
        before=before,
        after=snapshot(topic, TOPIC_FIELDS),
    )
    return topic


def plan_overdue(topic: Topic, today: date) -> bool:
    return topic.status == TopicStatus.SETTLED and topic.plan_due is not None and today > topic.plan_due


@transaction.atomic
def topic_settle(*, actor, topic: Topic, expected_version=None, on: date | None = None) -> Topic:
    """Step 2, 研究确定议题: the plan is then due within 2 working days on the official calendar. A topic whose
    plan came too late can be settled again at a new working meeting (the lateness stays in its history)."""
    topic = _lock(topic)
    require_convener(actor, topic.region)
    check_version(topic, expected_version, "协商议题")
    today = _today(actor, on)
    if topic.status == TopicStatus.SETTLED and not plan_overdue(topic, today):
        raise ValidationError("议题已确定，方案制定期限尚未届满，不需要重新确定。")
    _require_step(topic, "topic_settle")
    before = snapshot(topic, TOPIC_FIELDS)
    deadline = add_workdays(today, PLAN_WORKDAYS)
    topic.settled_on, topic.plan_due, topic.plan_due_estimated = today, deadline.day, deadline.estimated
    note = "方案逾期未制定，重新确定议题" if before["status"] == TopicStatus.SETTLED else ""
    return _transition(
        topic,
        actor=actor,
        action="topic_settle",
        before=before,
        fields=["settled_on", "plan_due", "plan_due_estimated"],
        note=note,
    )


@transaction.atomic
def topic_plan(
    *,
    actor,
    topic: Topic,
    form: str,
    scheduled_at: datetime | None,
    place: str,
    plan_content: str,
    plan_participants: str,
    expected_version=None,
    on: date | None = None,
) -> Topic:
    """Step 3, 制定协商方案: time, place, content, participants and form, within 2 working days."""
    topic = _lock(topic)
    require_convener(actor, topic.region)
    check_version(topic, expected_version, "协商议题")
    _require_step(topic, "topic_plan")
    today = _today(actor, on)
    if today > topic.plan_due:
        raise ValidationError(
            f"协商方案应在议题确定后 {PLAN_WORKDAYS} 个工作日内（{topic.plan_due:%Y年%m月%d日}前）制定完成，"
            f"现已超期，不能登记。请重新召开工作例会确定议题后再制定方案。"
        )
    _required(
        form=form,
        scheduled_at=scheduled_at,
        place=place,
        plan_content=plan_content,
        plan_participants=plan_participants,
    )
    if form not in ConsultForm.values:
        raise ValidationError({"form": "请选择协商形式（会议、对话、书面或网络）。"})
    if timezone.is_naive(scheduled_at):  # an API client sent local time without an offset
        scheduled_at = timezone.make_aware(scheduled_at)
    if timezone.localtime(scheduled_at).date() < today:
        raise ValidationError({"scheduled_at": "协商时间不能早于今天。"})
    before = snapshot(topic, TOPIC_FIELDS)
    topic.form, topic.scheduled_at, topic.place = form, scheduled_at, place.strip()
    topic.plan_content, topic.plan_participants, topic.planned_on = (
        plan_content.strip(),
        plan_participants.strip(),
        today,
    )
    fields = ["form", "scheduled_at", "place", "plan_content", "plan_participants", "planned_on"]
    return _transition(topic, actor=actor, action="topic_plan", before=before, fields=fields)


def default_notice(topic: Topic) -> str:
    when = timezone.localtime(topic.scheduled_at).strftime("%Y年%m月%d日 %H:%M") if topic.scheduled_at else ""
    return (
        f"定于{when}在{topic.place}，以{topic.get_form_display()}形式，就“{topic.title}”开展协商。"
        f"协商内容：{topic.plan_content}。参与主体：{topic.plan_participants}。欢迎居民群众关注并提出意见建议。"
    )


@transaction.atomic
def topic_notice(
    *, actor, topic: Topic, notice_text: str, expected_version=None, on: date | None = None
) -> Topic:
    """Step 4, 发布协商公告: tell everyone taking part what will be discussed, in advance."""
    topic = _lock(topic)
    require_convener(actor, topic.region)
    check_version(topic, expected_version, "协商议题")
    _require_step(topic, "topic_notice")
    _required(notice_text=notice_text)
    before = snapshot(topic, TOPIC_FIELDS)
    topic.notice_text, topic.noticed_on = notice_text.strip(), _today(actor, on)
    return _transition(
        topic,
        actor=actor,
        action="topic_notice",
        before=before,
        fields=["notice_text", "noticed_on"],
    )


@transaction.atomic
def participant_add(*, actor, topic: Topic, name: str, capacity: str, contact: str = "") -> Participant:
    """Name one participant chosen (by election or recommendation) before the list is settled."""
    topic = _lock(topic)
    require_convener(actor, topic.region)
    _require_step(topic, "participant_add")
    _required(name=name, capacity=capacity)
    if topic.participants.filter(name=name.strip()).exists():
        raise ValidationError({"name": f"{name.strip()}已在协商人员名单中。"})
    participant = Participant(
        topic=topic, name=name.strip(), capacity=capacity.strip(), contact=contact.strip()
    )
    participant.full_clean()
    participant.save()
    _bump(topic, [])
    audit_record(
        actor=actor, action="consultation.participant_add", obj=participant, after=snapshot(participant)
    )
    return participant


def code_hash(code: str) -> str:
    return hashlib.sha256(f"consultation:{code.strip().upper()}".encode()).hexdigest()


def _issue_codes(topic: Topic) -> dict[int, str]:
    codes = {}
    for participant in topic.participants.all():
        code = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(10))
        participant.code_hash, participant.code_used_at = code_hash(code), None
        _bump(participant, ["code_hash", "code_used_at"])
        codes[participant.pk] = code
    return codes


@transaction.atomic
def participants_settle(*, actor, topic: Topic, expected_version=None) -> tuple[Topic, dict[int, str]]:
    """Step 5, 确定协商人员. For an online consultation each participant gets a one-time code, shown once."""
    topic = _lock(topic)
    require_convener(actor, topic.region)
    check_version(topic, expected_version, "协商议题")
    _require_step(topic, "participants_settle")
    count = topic.participants.count()
    if count < 2:
        raise ValidationError("请至少确定两名协商人员。")
    before = snapshot(topic, TOPIC_FIELDS)
    codes = _issue_codes(topic) if topic.form == ConsultForm.ONLINE else {}
    _transition(
        topic,
        actor=actor,
        action="participants_settle",
        before=before,
        fields=[],
        note=f"协商人员 {count} 名",
    )
    return topic, codes


@transaction.atomic
def codes_reissue(*, actor, topic: Topic) -> dict[int, str]:
    """New one-time codes for the participants who have not used theirs (a slip was lost)."""
    topic = _lock(topic)
    require_convener(actor, topic.region)
    _require_step(topic, "codes_reissue")
    if topic.form != ConsultForm.ONLINE:
        raise ValidationError("只有网络协商使用一次性码。")
    codes = {}
    for participant in topic.participants.filter(code_used_at__isnull=True):
        code = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(10))
        participant.code_hash = code_hash(code)
        _bump(participant, ["code_hash"])
        codes[participant.pk] = code
    audit_record(
        actor=actor, action="consultation.codes_reissue", obj=topic, after={"participants": list(codes)}
    )
    return codes


@transaction.atomic
def participant_record(
    *,
    actor,
    participant: Participant,
    attended=None,
    opinion: str = "",
    reply: str = "",
    expected_version=None,
    on: date | None = None,
) -> Participant:
    """During step 6: attendance and opinion at a meeting or dialogue, or the reply to a written consultation."""
    participant = (
        Participant.objects.select_for_update(of=("self",))
        .select_related("topic__region")
        .get(pk=participant.pk)
    )
    topic = participant.topic
    require_convener(actor, topic.region)
    check_version(participant, expected_version, "协商人员")
    _require_step(topic, "participant_record")
    before = snapshot(participant)
    if topic.form == ConsultForm.WRITTEN:
        if not (reply or "").strip():
            raise ValidationError({"reply": "请填写书面回复的内容。"})
        participant.reply, participant.replied_on = reply.strip(), _today(actor, on)
    else:
        if attended is None:
            raise ValidationError({"attended": "请选择是否出席。"})
        participant.attended, participant.opinion = bool(attended), (opinion or "").strip()
    _bump(participant, ["attended", "opinion", "reply", "replied_on"])
    audit_record(
        actor=actor,
        action="consultation.participant_record",
        obj=participant,
        before=before,
        after=snapshot(participant),
    )
    return participant
