"""The seven steps, each transition and each refusal (seed 003 《关于完善城乡社区协商机制的意见》)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory
from django.utils import timezone

from jianfu.audit.models import AuditRecord
from jianfu.consultation import services
from jianfu.consultation.models import (
    Ballot,
    ConsultForm,
    MeasureStatus,
    Opinion,
    OpinionStatus,
    Outcome,
    Topic,
    TopicStatus,
    VoteRule,
    VoteStatus,
)
from jianfu.consultation.selectors import overdue
from jianfu.consultation.services import outcomes
from jianfu.core import ratelimit
from jianfu.core.workdays import add_workdays
from tests.consultation.conftest import opinion, walk

pytestmark = pytest.mark.django_db


def test_it_counts_the_plan_deadline_across_the_spring_festival():
    # 2026: 2月15日至23日放假, 2月14日（周六）上班. Settled on Friday 13th: Saturday 14th is the first
    # working day, the next is Tuesday 24th after the holiday.
    assert add_workdays(date(2026, 2, 13), 2).day == date(2026, 2, 24)
    assert add_workdays(date(2026, 2, 12), 2).day == date(2026, 2, 14)
    estimate = add_workdays(date(2099, 12, 30), 2)  # a year not yet announced: Monday–Friday, marked
    assert estimate.estimated and estimate.day == date(2100, 1, 1)


def test_it_walks_a_topic_through_the_seven_steps_with_a_step_row_and_audit_each(world):
    topic, _ = walk(world)
    assert topic.status == TopicStatus.ANNOUNCED and topic.outcome == Outcome.AGREED
    steps = [s.to_status for s in topic.steps.all()]
    assert steps == ["collecting", "settled", "planned", "noticed", "participants", "held", "announced"]
    actions = set(
        AuditRecord.objects.filter(action__startswith="consultation.").values_list("action", flat=True)
    )
    assert {
        "consultation.topic_create",
        "consultation.topic_settle",
        "consultation.topic_plan",
        "consultation.topic_notice",
        "consultation.participants_settle",
        "consultation.topic_hold",
        "consultation.topic_announce",
        "consultation.ballot_cast",
    } <= actions
    assert topic.opinions.get().status == OpinionStatus.TOPIC


def test_it_settles_the_plan_deadline_on_the_official_calendar(world):
    topic, _ = walk(world, to=TopicStatus.SETTLED)
    assert topic.plan_due == add_workdays(timezone.localdate(), 2).day


def test_it_refuses_a_plan_later_than_two_working_days_and_changes_nothing(world):
    topic, _ = walk(world, to=TopicStatus.SETTLED)
    Topic.objects.filter(pk=topic.pk).update(settled_on=date(2026, 2, 13), plan_due=date(2026, 2, 24))
    topic.refresh_from_db()
    with pytest.raises(ValidationError, match="2 个工作日内（2026年02月24日前）"):
        services.topic_plan(
            actor=world.community_cadre,
            topic=topic,
            form=ConsultForm.MEETING,
            place="议事厅",
            scheduled_at=timezone.now() + timedelta(days=1),
            plan_content="内容",
            plan_participants="居民代表",
        )
    topic.refresh_from_db()
    assert topic.status == TopicStatus.SETTLED and topic.version == 2 and not topic.place
    assert [o.step for o in overdue(world.town_cg)] == ["制定协商方案"]
    assert overdue(world.town_hk) == []  # 河口镇 does not see 城关街道's community
    again = services.topic_settle(actor=world.community_cadre, topic=topic)  # a new working meeting
    assert again.plan_due >= timezone.localdate() and again.steps.last().note.startswith("方案逾期")


def test_it_refuses_settling_again_before_the_plan_is_late(world):
    topic, _ = walk(world, to=TopicStatus.SETTLED)
    with pytest.raises(ValidationError, match="不需要重新确定"):
        services.topic_settle(actor=world.community_cadre, topic=topic)


def test_it_refuses_a_step_out_of_order(world):
    topic, _ = walk(world, to=TopicStatus.COLLECTING)
    with pytest.raises(ValidationError, match="不能制定协商方案（只有“② 议题已确定”时可以）"):
        services.topic_plan(
            actor=world.community_cadre,
            topic=topic,
            form="meeting",
            place="x",
            scheduled_at=timezone.now(),
            plan_content="x",
            plan_participants="x",
        )
    with pytest.raises(ValidationError):
        services.topic_notice(actor=world.community_cadre, topic=topic, notice_text="公告")


def test_it_names_each_missing_plan_field(world):
    topic, _ = walk(world, to=TopicStatus.SETTLED)
    with pytest.raises(ValidationError) as caught:
        services.topic_plan(
            actor=world.community_cadre,
            topic=topic,
            form="",
            place="",
            scheduled_at=None,
            plan_content="",
            plan_participants="",
        )
    assert set(caught.value.message_dict) == {
        "form",
        "place",
        "scheduled_at",
        "plan_content",
        "plan_participants",
    }


def test_it_lets_only_the_community_itself_convene_its_topics(world):
    topic, _ = walk(world, to=TopicStatus.COLLECTING)
    for person in (world.town_cg, world.village_cadre, world.office, world.inspector):
        with pytest.raises(PermissionDenied):
            services.topic_settle(actor=person, topic=topic)
    with pytest.raises(PermissionDenied):
        opinion(world, actor=world.village_cadre)  # 桃园村's cadre cannot enter 解放路社区's ledger


def test_it_lets_the_township_convene_a_topic_spanning_two_communities(world):
    second = world.township_cg.children.exclude(pk=world.community_jiefang.pk).first()
    topic = services.topic_create(
        actor=world.town_cg,
        region=world.township_cg,
        title="两社区之间的道路改造",
        involved=[world.community_jiefang, second],
    )
    assert topic.is_cross_community and topic.involved.count() == 2
    with pytest.raises(ValidationError, match="两个以上村（社区）"):
        services.topic_create(
            actor=world.town_cg,
            region=world.township_cg,
            title="只涉及一个社区",
            involved=[world.community_jiefang],
        )
    with pytest.raises(PermissionDenied):
        services.topic_settle(actor=world.community_cadre, topic=topic)


def test_it_fails_a_vote_below_half_of_all_participants_not_of_those_present(world):
    # 4 participants, 2 yes and 2 absent: 2 of 4 is not more than half, though 2 of 2 present would be.
    topic, _ = walk(world, to=TopicStatus.PARTICIPANTS, participants=("甲", "乙", "丙", "丁"))
    vote = outcomes.vote_open(
        actor=world.community_cadre, topic=topic, question="同意方案", rule=VoteRule.HALF
    )
    for person in topic.participants.all()[:2]:
        outcomes.ballot_cast(actor=world.community_cadre, vote=vote, participant=person, choice="yes")
    vote = outcomes.vote_close(actor=world.community_cadre, vote=vote)
    assert (vote.status, vote.needed) == (VoteStatus.FAILED, 3)
    before = topic.version
    with pytest.raises(ValidationError, match="同意 2 票，未达到过半数参与人员同意（共 4 人，至少 3 票）"):
        outcomes.topic_hold(actor=world.community_cadre, topic=topic, minutes="纪要", outcome=Outcome.AGREED)
    topic.refresh_from_db()
    assert topic.status == TopicStatus.PARTICIPANTS and topic.version == before


def test_it_needs_two_thirds_when_the_vote_says_so(world):
    topic, _ = walk(
        world, to=TopicStatus.HELD, participants=("甲", "乙", "丙"), yes=2, rule=VoteRule.TWO_THIRDS
    )
    assert topic.outcome == Outcome.AGREED  # 2 of 3 is two thirds
    topic, _ = walk(
        world, to=TopicStatus.HELD, participants=("甲", "乙", "丙", "丁"), yes=2, rule=VoteRule.TWO_THIRDS
    )
    assert topic.outcome == Outcome.DISAGREED  # 2 of 4 is not


def test_it_refuses_a_second_ballot_by_the_same_participant(world):
    topic, _ = walk(world, to=TopicStatus.PARTICIPANTS)
    vote = outcomes.vote_open(actor=world.community_cadre, topic=topic, question="同意", rule=VoteRule.HALF)
    person = topic.participants.first()
    outcomes.ballot_cast(actor=world.community_cadre, vote=vote, participant=person, choice="yes")
    with pytest.raises(ValidationError, match="已经对“同意”投过票"):
        outcomes.ballot_cast(actor=world.community_cadre, vote=vote, participant=person, choice="no")
    vote.refresh_from_db()
    assert (vote.yes, vote.no, Ballot.objects.filter(vote=vote).count()) == (1, 0, 1)


def test_it_lets_an_invited_participant_comment_and_vote_online_once(world):
    topic, codes = walk(world, to=TopicStatus.PARTICIPANTS, form=ConsultForm.ONLINE)
    assert len(codes) == 3
    vote = outcomes.vote_open(actor=world.community_cadre, topic=topic, question="同意", rule=VoteRule.HALF)
    pk, code = next(iter(codes.items()))
    outcomes.online_submit(topic=topic, code=code.lower(), comment="支持", choices={vote.pk: "yes"})
    with pytest.raises(ValidationError, match="已经用过"):
        outcomes.online_submit(topic=topic, code=code, comment="再来一次", choices={vote.pk: "yes"})
    with pytest.raises(ValidationError, match="一次性码不正确"):
        outcomes.online_submit(topic=topic, code="WRONGCODE", comment="x")
    vote.refresh_from_db()
    assert vote.yes == 1 and topic.comments.get().text == "支持"


def test_it_records_replies_to_a_written_consultation(world):
    topic, _ = walk(world, to=TopicStatus.PARTICIPANTS, form=ConsultForm.WRITTEN)
    person = topic.participants.first()
    with pytest.raises(ValidationError, match="书面回复"):
        services.participant_record(actor=world.community_cadre, participant=person, reply="")
    person = services.participant_record(
        actor=world.community_cadre, participant=person, reply="同意，建议用LED灯"
    )
    assert person.replied_on == timezone.localdate()


def test_it_reconsults_or_refers_a_topic_without_agreement_keeping_the_link(world):
    topic, _ = walk(world, yes=1)
    assert topic.outcome == Outcome.DISAGREED
    with pytest.raises(ValidationError, match="达成一致并已通报"):
        outcomes.measure_add(
            actor=world.community_cadre, topic=topic, title="换灯", owner="物业", due_on=date(2030, 1, 1)
        )
    follower = outcomes.topic_reconsult(actor=world.community_cadre, topic=topic)
    topic.refresh_from_db()
    assert topic.status == TopicStatus.RECONSULTED and follower.previous == topic
    assert follower.status == TopicStatus.COLLECTING
    second, _ = walk(world, yes=0)
    with pytest.raises(ValidationError, match="提交哪一次"):
        outcomes.topic_refer(actor=world.community_cadre, topic=second, note="")
    second = outcomes.topic_refer(actor=world.community_cadre, topic=second, note="提交12月居民代表会议表决")
    assert second.status == TopicStatus.REFERRED


def test_it_needs_a_reason_for_an_announcement_later_than_the_next_day(world):
    topic, _ = walk(world, to=TopicStatus.HELD)
    Topic.objects.filter(pk=topic.pk).update(held_on=timezone.localdate() - timedelta(days=3))
    topic.refresh_from_db()
    assert [o.step for o in overdue(world.community_cadre)] == ["通报协商情况"]
    with pytest.raises(ValidationError, match="协商当日或次日"):
        outcomes.topic_announce(actor=world.community_cadre, topic=topic, announcement="通报")
    topic = outcomes.topic_announce(
        actor=world.community_cadre, topic=topic, announcement="通报", late_reason="停电"
    )
    assert topic.late_reason == "停电" and topic.steps.last().note == "逾期通报：停电"


def test_it_tracks_measures_to_done_and_follows_up(world):
    topic, _ = walk(world)
    measure = outcomes.measure_add(
        actor=world.community_cadre,
        topic=topic,
        title="更换 40 盏路灯",
        owner="社区物业",
        due_on=date(2030, 1, 1),
    )
    with pytest.raises(ValidationError, match="请先登记协商成果"):
        outcomes.followup_add(
            actor=world.community_cadre,
            topic=Topic.objects.create(
                region=world.community_jiefang, title="x", status="announced", outcome="agreed"
            ),
            satisfaction="satisfied",
        )
    measure = outcomes.measure_progress(
        actor=world.community_cadre, measure=measure, progress=50, note="换了一半"
    )
    with pytest.raises(ValidationError, match="不能低于"):
        outcomes.measure_progress(actor=world.community_cadre, measure=measure, progress=40, note="x")
    measure = outcomes.measure_progress(
        actor=world.community_cadre, measure=measure, progress=100, note="完工"
    )
    assert measure.status == MeasureStatus.DONE and measure.updates.count() == 2
    outcomes.followup_add(
        actor=world.community_cadre, topic=topic, satisfaction="satisfied", respondent="王大爷"
    )


def test_it_takes_public_opinions_without_login_and_slows_down_a_flood(world, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "public_write": "3/h"}
    request = RequestFactory().post("/public/consultation/opinions/new/", REMOTE_ADDR="10.0.0.9")
    limit = ratelimit.limit(request, "public_write", "过于频繁，请约 {minutes} 分钟后再试。")
    for n in range(3):
        services.opinion_submit_public(
            region=world.village_taoyuan, content=f"村口垃圾没人清理 {n}", limit=limit
        )
    with pytest.raises(ratelimit.Throttled, match="过于频繁"):
        services.opinion_submit_public(region=world.village_taoyuan, content="再提一条意见", limit=limit)
    with pytest.raises(ValidationError, match="至少 5 个字"):
        services.opinion_submit_public(region=world.village_taoyuan, content="差", limit=limit)
    assert Opinion.objects.filter(region=world.village_taoyuan).count() == 3


def test_it_answers_an_opinion_directly_once(world):
    first = opinion(world)
    first = services.opinion_answer(actor=world.community_cadre, opinion=first, answer="已报修，本周修好")
    assert first.status == OpinionStatus.ANSWERED
    with pytest.raises(ValidationError, match="已直接答复"):
        services.opinion_answer(actor=world.community_cadre, opinion=first, answer="again")
