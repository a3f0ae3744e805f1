"""Consultation helpers: a topic walked to any step by 解放路社区's cadre (or the system), with dates that
keep every time limit unless a test moves them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jianfu.consultation import services
from jianfu.consultation.models import ConsultForm, Outcome, TopicStatus, VoteRule
from jianfu.consultation.services import outcomes

CADRE = object()  # the default actor: the community's cadre


def opinion(world, *, actor=CADRE, village=None, content="小区路灯坏了一半，晚上出门不安全"):
    return services.opinion_create(
        actor=world.community_cadre if actor is CADRE else actor,
        region=village or world.community_jiefang,
        source="box",
        content=content,
    )


def walk(
    world,
    *,
    to=TopicStatus.ANNOUNCED,
    form=ConsultForm.MEETING,
    yes=3,
    actor=CADRE,
    village=None,
    participants=("王大爷", "李阿姨", "赵师傅"),
    rule=VoteRule.HALF,
):
    """A topic from one opinion through the steps up to ``to``; returns (topic, codes)."""
    who = world.community_cadre if actor is CADRE else actor
    region = village or world.community_jiefang
    first = opinion(world, actor=who, village=region)
    topic = services.topic_create(actor=who, region=region, title="更换小区路灯", opinions=[first])
    codes = {}
    steps = [
        TopicStatus.SETTLED,
        TopicStatus.PLANNED,
        TopicStatus.NOTICED,
        TopicStatus.PARTICIPANTS,
        TopicStatus.HELD,
        TopicStatus.ANNOUNCED,
    ]
    for step in steps:
        if topic.status == to:
            break
        if step == TopicStatus.SETTLED:
            topic = services.topic_settle(actor=who, topic=topic)
        elif step == TopicStatus.PLANNED:
            topic = services.topic_plan(
                actor=who,
                topic=topic,
                form=form,
                place="社区议事厅",
                scheduled_at=timezone.now() + timedelta(days=3),
                plan_content="路灯更换范围和经费",
                plan_participants="居民代表、物业",
            )
        elif step == TopicStatus.NOTICED:
            topic = services.topic_notice(actor=who, topic=topic, notice_text=services.default_notice(topic))
        elif step == TopicStatus.PARTICIPANTS:
            for name in participants:
                services.participant_add(actor=who, topic=topic, name=name, capacity="居民代表")
            topic, codes = services.participants_settle(actor=who, topic=topic)
        elif step == TopicStatus.HELD:
            vote = outcomes.vote_open(actor=who, topic=topic, question="同意更换路灯", rule=rule)
            for index, person in enumerate(topic.participants.all()):
                outcomes.ballot_cast(
                    actor=who, vote=vote, participant=person, choice="yes" if index < yes else "no"
                )
            vote = outcomes.vote_close(actor=who, vote=vote)
            outcome = Outcome.AGREED if vote.status == "passed" else Outcome.DISAGREED
            topic = outcomes.topic_hold(
                actor=who, topic=topic, minutes="大家充分发表了意见。", outcome=outcome
            )
        elif step == TopicStatus.ANNOUNCED:
            topic = outcomes.topic_announce(actor=who, topic=topic, announcement="协商情况通报：……")
    return topic, codes


@pytest.fixture
def cadre(world):
    return world.community_cadre
