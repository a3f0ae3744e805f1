"""协商议事 over JSON: the same selectors and services as the pages.

The seven steps are one endpoint each under ``/topics/{id}/``; the public endpoints (a resident writing in,
following an opinion, an invited participant's online submission, the published measures) need no login.
"""

from datetime import date, datetime

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from jianfu.consultation import selectors, services
from jianfu.consultation.services import outcomes
from jianfu.consultation.views.public import opinion_by_receipt, public_sender
from jianfu.core import ratelimit
from jianfu.core.api_types import Page
from jianfu.core.text import text_input
from jianfu.orgs import access
from jianfu.orgs.models import Level, Region
from jianfu.orgs.roles import Capability

router = Router(tags=["协商议事"])


class OpinionOut(Schema):
    id: int
    receipt: str
    region_code: str = Field(..., alias="region.code")
    region_name: str = Field(..., alias="region.name")
    source: str
    content: str
    resident_name: str
    status: str
    answer: str
    topic_id: int | None = None
    version: int


class OpinionIn(Schema):
    source: str
    content: text_input("consultation.Opinion", "content")
    resident_name: str = ""
    contact: str = ""
    region_code: str = ""


class PublicOpinionIn(Schema):
    content: text_input("consultation.Opinion", "content")
    resident_name: str = ""
    contact: str = ""


class PublicOpinionOut(Schema):
    receipt: str
    region_name: str = Field(..., alias="region.name")
    status: str
    answer: str


class AnswerIn(Schema):
    answer: text_input("consultation.Opinion", "answer")
    version: int


class CouncilOut(Schema):
    id: int
    region_code: str = Field(..., alias="region.code")
    name: str
    convener: str
    n_members: int


class ParticipantOut(Schema):
    id: int
    name: str
    capacity: str
    attended: bool | None
    opinion: str
    reply: str
    code_used: bool = False
    version: int

    @staticmethod
    def resolve_code_used(obj):
        return obj.code_used_at is not None


class VoteOut(Schema):
    id: int
    question: str
    rule: str
    status: str
    electorate: int
    needed: int
    yes: int
    no: int
    abstain: int


class MeasureOut(Schema):
    id: int
    topic_id: int
    title: str
    owner: str
    due_on: date
    progress: int
    status: str
    version: int


class StepOut(Schema):
    to_status: str
    at: datetime
    note: str


class TopicOut(Schema):
    id: int
    region_code: str = Field(..., alias="region.code")
    title: str
    status: str
    outcome: str
    form: str
    settled_on: date | None
    plan_due: date | None
    scheduled_at: datetime | None
    place: str
    noticed_on: date | None
    held_on: date | None
    announced_on: date | None
    previous_id: int | None
    version: int


class TopicDetailOut(TopicOut):
    background: str
    plan_content: str
    plan_participants: str
    notice_text: str
    minutes: str
    announcement: str
    late_reason: str
    referral_note: str
    participants: list[ParticipantOut]
    votes: list[VoteOut]
    measures: list[MeasureOut]
    steps: list[StepOut]

    @staticmethod
    def resolve_participants(obj):
        return list(obj.participants.all())

    @staticmethod
    def resolve_votes(obj):
        return list(obj.votes.all())

    @staticmethod
    def resolve_measures(obj):
        return list(obj.measures.all())

    @staticmethod
    def resolve_steps(obj):
        return list(obj.steps.all())


class TopicIn(Schema):
    title: str
    background: text_input("consultation.Topic", "background") = ""
    opinion_ids: list[int] = []
    involved_codes: list[str] = []
    region_code: str = ""


class VersionIn(Schema):
    version: int


class PlanIn(VersionIn):
    form: str
    scheduled_at: datetime | None = None
    place: str = ""
    plan_content: text_input("consultation.Topic", "plan_content") = ""
    plan_participants: text_input("consultation.Topic", "plan_participants") = ""


class NoticeIn(VersionIn):
    notice_text: text_input("consultation.Topic", "notice_text")


class ParticipantIn(Schema):
    name: str
    capacity: str
    contact: str = ""


class SettledOut(Schema):
    topic: TopicOut
    codes: dict[int, str]


class RecordIn(VersionIn):
    attended: bool | None = None
    opinion: text_input("consultation.Participant", "opinion") = ""
    reply: text_input("consultation.Participant", "reply") = ""


class VoteIn(Schema):
    question: str
    rule: str


class BallotIn(Schema):
    participant_id: int
    choice: str


class HoldIn(VersionIn):
    minutes: text_input("consultation.Topic", "minutes")
    outcome: str


class AnnounceIn(VersionIn):
    announcement: text_input("consultation.Topic", "announcement")
    late_reason: text_input("consultation.Topic", "late_reason") = ""


class NoteIn(VersionIn):
    note: str = ""


class MeasureIn(Schema):
    title: str
    owner: str
    due_on: date | None = None


class ProgressIn(VersionIn):
    progress: int
    note: text_input("consultation.MeasureUpdate", "note")


class FollowUpIn(Schema):
    satisfaction: str
    respondent: str = ""
    comment: text_input("consultation.FollowUp", "comment") = ""


class FollowUpOut(Schema):
    id: int
    satisfaction: str
    respondent: str
    on: date


class OnlineIn(Schema):
    code: str
    comment: text_input("consultation.Comment", "text") = ""
    choices: dict[int, str] = {}


class OverdueOut(Schema):
    topic_id: int
    title: str
    region_name: str
    step: str
    due: date


def _region(request, code: str) -> Region:
    """The named region (in the caller's scope, else 404), or the one the caller convenes."""
    if code:
        return get_object_or_404(Region.objects.visible_to(request.user), code=code)
    region = selectors.home_region(request.user)
    if region is None:
        access.refuse(Capability.CONSULTATION_MANAGE)
    return region


# 群众意见台账 ------------------------------------------------------------------------------------------


@router.get(
    "/opinions", response=list[OpinionOut], url_name="consultation_opinion_list", summary="群众意见台账"
)
@paginate(Page)
def opinion_list(request, status: str = "", region_code: str = ""):
    access.require(request.user, Capability.CONSULTATION_VIEW)
    return selectors.opinion_list(request.user, status=status, region_code=region_code)


@router.post(
    "/opinions", response={201: OpinionOut}, url_name="consultation_opinion_create", summary="登记群众意见"
)
def opinion_create(request, payload: OpinionIn):
    data = payload.dict()
    region = _region(request, data.pop("region_code"))
    return Status(201, services.opinion_create(actor=request.user, region=region, **data))


@router.get(
    "/opinions/{int:pk}", response=OpinionOut, url_name="consultation_opinion_detail", summary="群众意见"
)
def opinion_detail(request, pk: int):
    return selectors.opinion_get(request.user, pk)


@router.post(
    "/opinions/{int:pk}/answer",
    response=OpinionOut,
    url_name="consultation_opinion_answer",
    summary="直接答复群众意见",
)
def opinion_answer(request, pk: int, payload: AnswerIn):
    opinion = selectors.opinion_get(request.user, pk)
    return services.opinion_answer(
        actor=request.user, opinion=opinion, answer=payload.answer, expected_version=payload.version
    )


@router.post(
    "/public/villages/{code}/opinions",
    response={201: PublicOpinionOut},
    auth=None,
    url_name="consultation_public_opinion",
    summary="公开：群众提交意见（不需登录，可不留姓名）",
)
def public_opinion(request, code: str, payload: PublicOpinionIn):
    region = get_object_or_404(Region, code=code, level=Level.VILLAGE, is_active=True)
    sender = public_sender(request)
    return Status(201, services.opinion_submit_public(region=region, **sender, **payload.dict()))


@router.get(
    "/public/opinions/{receipt}",
    response=PublicOpinionOut,
    auth=None,
    url_name="consultation_public_opinion_status",
    summary="公开：用查询码查看意见办理情况",
)
def public_opinion_status(request, receipt: str):
    opinion = opinion_by_receipt(request, receipt)
    if opinion is None:
        raise Http404
    return opinion


@router.get("/councils", response=list[CouncilOut], url_name="consultation_council_list", summary="议事会")
def council_list(request):
    access.require(request.user, Capability.CONSULTATION_VIEW)
    return list(selectors.council_list(request.user))


# 议题：七个步骤 ------------------------------------------------------------------------------------------


@router.get("/topics", response=list[TopicOut], url_name="consultation_topic_list", summary="协商议题")
@paginate(Page)
def topic_list(request, status: str = "", region_code: str = "", q: str = ""):
    access.require(request.user, Capability.CONSULTATION_VIEW)
    return selectors.topic_list(request.user, status=status, region_code=region_code, q=q)


@router.post(
    "/topics",
    response={201: TopicDetailOut},
    url_name="consultation_topic_create",
    summary="①收集意见：由群众意见形成协商议题",
)
def topic_create(request, payload: TopicIn):
    region = _region(request, payload.region_code)
    opinions = [selectors.opinion_get(request.user, pk) for pk in payload.opinion_ids]
    involved = [
        get_object_or_404(Region.objects.visible_to(request.user), code=c) for c in payload.involved_codes
    ]
    return Status(
        201,
        services.topic_create(
            actor=request.user,
            region=region,
            title=payload.title,
            background=payload.background,
            opinions=opinions,
            involved=involved,
        ),
    )


@router.get(
    "/topics/{int:pk}", response=TopicDetailOut, url_name="consultation_topic_detail", summary="议题详情"
)
def topic_detail(request, pk: int):
    return selectors.topic_get(request.user, pk)


@router.post(
    "/topics/{int:pk}/settle",
    response=TopicOut,
    url_name="consultation_topic_settle",
    summary="②确定议题（方案须在 2 个工作日内制定）",
)
def topic_settle(request, pk: int, payload: VersionIn):
    topic = selectors.topic_get(request.user, pk)
    return services.topic_settle(actor=request.user, topic=topic, expected_version=payload.version)


@router.post(
    "/topics/{int:pk}/plan", response=TopicOut, url_name="consultation_topic_plan", summary="③制定协商方案"
)
def topic_plan(request, pk: int, payload: PlanIn):
    topic = selectors.topic_get(request.user, pk)
    data = payload.dict()
    return services.topic_plan(actor=request.user, topic=topic, expected_version=data.pop("version"), **data)


@router.post(
    "/topics/{int:pk}/notice",
    response=TopicOut,
    url_name="consultation_topic_notice",
    summary="④发布协商公告",
)
def topic_notice(request, pk: int, payload: NoticeIn):
    topic = selectors.topic_get(request.user, pk)
    return services.topic_notice(
        actor=request.user, topic=topic, notice_text=payload.notice_text, expected_version=payload.version
    )


@router.post(
    "/topics/{int:pk}/participants",
    response={201: ParticipantOut},
    url_name="consultation_participant_add",
    summary="增加协商人员",
)
def participant_add(request, pk: int, payload: ParticipantIn):
    topic = selectors.topic_get(request.user, pk)
    return Status(201, services.participant_add(actor=request.user, topic=topic, **payload.dict()))


@router.post(
    "/topics/{int:pk}/participants/settle",
    response=SettledOut,
    url_name="consultation_participants_settle",
    summary="⑤确定协商人员（网络协商返回一次性码，仅此一次）",
)
def participants_settle(request, pk: int, payload: VersionIn):
    topic = selectors.topic_get(request.user, pk)
    topic, codes = services.participants_settle(
        actor=request.user, topic=topic, expected_version=payload.version
    )
    return {"topic": topic, "codes": codes}


@router.post(
    "/participants/{int:pk}/record",
    response=ParticipantOut,
    url_name="consultation_participant_record",
    summary="登记出席和意见，或书面回复",
)
def participant_record(request, pk: int, payload: RecordIn):
    participant = selectors.participant_get(request.user, pk)
    data = payload.dict()
    return services.participant_record(
        actor=request.user, participant=participant, expected_version=data.pop("version"), **data
    )


@router.post(
    "/topics/{int:pk}/votes",
    response={201: VoteOut},
    url_name="consultation_vote_open",
    summary="发起表决（过半数或三分之二以上参与人员同意）",
)
def vote_open(request, pk: int, payload: VoteIn):
    topic = selectors.topic_get(request.user, pk)
    return Status(201, outcomes.vote_open(actor=request.user, topic=topic, **payload.dict()))


@router.post(
    "/votes/{int:pk}/ballots",
    response={201: VoteOut},
    url_name="consultation_ballot_cast",
    summary="登记选票（每人一次）",
)
def ballot_cast(request, pk: int, payload: BallotIn):
    vote = selectors.vote_get(request.user, pk)
    participant = get_object_or_404(vote.topic.participants, pk=payload.participant_id)
    outcomes.ballot_cast(actor=request.user, vote=vote, participant=participant, choice=payload.choice)
    vote.refresh_from_db()
    return Status(201, vote)


@router.post(
    "/votes/{int:pk}/close", response=VoteOut, url_name="consultation_vote_close", summary="结束表决并计票"
)
def vote_close(request, pk: int):
    return outcomes.vote_close(actor=request.user, vote=selectors.vote_get(request.user, pk))


@router.post(
    "/topics/{int:pk}/hold",
    response=TopicOut,
    url_name="consultation_topic_hold",
    summary="⑥开展协商：纪要和结果（须有表决支持）",
)
def topic_hold(request, pk: int, payload: HoldIn):
    topic = selectors.topic_get(request.user, pk)
    return outcomes.topic_hold(
        actor=request.user,
        topic=topic,
        minutes=payload.minutes,
        outcome=payload.outcome,
        expected_version=payload.version,
    )


@router.post(
    "/topics/{int:pk}/announce",
    response=TopicOut,
    url_name="consultation_topic_announce",
    summary="⑦通报协商情况（当日或次日）",
)
def topic_announce(request, pk: int, payload: AnnounceIn):
    topic = selectors.topic_get(request.user, pk)
    return outcomes.topic_announce(
        actor=request.user,
        topic=topic,
        announcement=payload.announcement,
        late_reason=payload.late_reason,
        expected_version=payload.version,
    )


@router.post(
    "/topics/{int:pk}/reconsult",
    response={201: TopicOut},
    url_name="consultation_topic_reconsult",
    summary="未达成一致：另行组织协商（返回新议题）",
)
def topic_reconsult(request, pk: int, payload: NoteIn):
    topic = selectors.topic_get(request.user, pk)
    return Status(
        201,
        outcomes.topic_reconsult(
            actor=request.user, topic=topic, note=payload.note, expected_version=payload.version
        ),
    )


@router.post(
    "/topics/{int:pk}/refer",
    response=TopicOut,
    url_name="consultation_topic_refer",
    summary="未达成一致：提交村（居）民会议表决",
)
def topic_refer(request, pk: int, payload: NoteIn):
    topic = selectors.topic_get(request.user, pk)
    return outcomes.topic_refer(
        actor=request.user, topic=topic, note=payload.note, expected_version=payload.version
    )


@router.post(
    "/topics/{int:pk}/measures",
    response={201: MeasureOut},
    url_name="consultation_measure_add",
    summary="登记协商成果落实事项",
)
def measure_add(request, pk: int, payload: MeasureIn):
    topic = selectors.topic_get(request.user, pk)
    return Status(201, outcomes.measure_add(actor=request.user, topic=topic, **payload.dict()))


@router.post(
    "/measures/{int:pk}/progress",
    response=MeasureOut,
    url_name="consultation_measure_progress",
    summary="登记落实进展（100% 即完成）",
)
def measure_progress(request, pk: int, payload: ProgressIn):
    measure = selectors.measure_get(request.user, pk)
    return outcomes.measure_progress(
        actor=request.user,
        measure=measure,
        progress=payload.progress,
        note=payload.note,
        expected_version=payload.version,
    )


@router.post(
    "/topics/{int:pk}/followups",
    response={201: FollowUpOut},
    url_name="consultation_followup_add",
    summary="登记跟踪回访（满意度）",
)
def followup_add(request, pk: int, payload: FollowUpIn):
    topic = selectors.topic_get(request.user, pk)
    return Status(201, outcomes.followup_add(actor=request.user, topic=topic, **payload.dict()))


@router.get("/overdue", response=list[OverdueOut], url_name="consultation_overdue", summary="逾期的步骤")
def overdue(request):
    access.require(request.user, Capability.CONSULTATION_VIEW)
    return [
        {
            "topic_id": r.topic.pk,
            "title": r.topic.title,
            "region_name": r.topic.region.name,
            "step": r.step,
            "due": r.due,
        }
        for r in selectors.overdue(request.user)
    ]


# Public --------------------------------------------------------------------------------------------------


@router.post(
    "/public/topics/{int:pk}/online",
    response=ParticipantOut,
    auth=None,
    url_name="consultation_public_online",
    summary="公开：网络协商凭一次性码发表意见和投票",
)
def public_online(request, pk: int, payload: OnlineIn):
    topic = selectors.public_topic_get(pk)
    return outcomes.online_submit(
        topic=topic,
        code=payload.code,
        comment=payload.comment,
        choices=payload.choices,
        limit=ratelimit.wrong_codes(request),
    )


@router.get(
    "/public/measures",
    response=list[MeasureOut],
    auth=None,
    url_name="consultation_public_measures",
    summary="公开：村务公开中的协商成果落实进度",
)
@paginate(Page)
def public_measures(request, village_code: str = ""):
    region = get_object_or_404(Region, code=village_code, is_active=True) if village_code else None
    return selectors.public_measures(region)
