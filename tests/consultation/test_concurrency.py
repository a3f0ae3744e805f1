"""Votes under concurrency: the same participant's ballot sent at the same moment from several places is
counted once, the others are refused with a message, and the counts match the ballots (no lost update).

Each thread has its own database connection (SQLite file database with IMMEDIATE transactions, or PostgreSQL),
so the vote row's lock and the unique constraint are what keep the ballots apart."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from jianfu.consultation.models import Ballot, ConsultForm, TopicStatus, Vote, VoteRule
from jianfu.consultation.services import outcomes
from tests.consultation.conftest import walk

pytestmark = pytest.mark.django_db(transaction=True)
PEOPLE = ("甲", "乙", "丙", "丁", "戊", "己")


def _race(targets) -> list:
    errors, barrier = [], threading.Barrier(len(targets))

    def wrap(target):
        def run():
            try:
                barrier.wait()
                target()
            except BaseException as exc:  # noqa: BLE001 - every failure must reach the main thread
                errors.append(exc)
            finally:
                connections.close_all()

        return threading.Thread(target=run)

    threads = [wrap(t) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a voter hung"
    return errors


def test_it_counts_one_ballot_per_participant_when_they_race(world):
    cadre = world.community_cadre
    topic, _ = walk(world, to=TopicStatus.PARTICIPANTS, participants=PEOPLE)
    vote = outcomes.vote_open(actor=cadre, topic=topic, question="同意方案", rule=VoteRule.HALF)
    people = list(topic.participants.all())
    same = people[0]

    def cast(person, choice):
        return lambda: outcomes.ballot_cast(actor=cadre, vote=vote, participant=person, choice=choice)

    targets = [cast(same, "yes"), cast(same, "no"), cast(same, "yes"), cast(same, "abstain")]
    targets += [cast(person, "yes") for person in people[1:]]
    errors = _race(targets)
    assert len(errors) == 3 and all(isinstance(e, ValidationError) for e in errors), errors
    assert all("每人只能投一次" in " ".join(e.messages) for e in errors)
    vote = Vote.objects.get(pk=vote.pk)
    assert Ballot.objects.filter(vote=vote, participant=same).count() == 1
    assert vote.yes + vote.no + vote.abstain == Ballot.objects.filter(vote=vote).count() == len(PEOPLE)
    assert vote.version == 1 + len(PEOPLE)


def test_it_takes_one_online_submission_per_one_time_code_when_they_race(world):
    topic, codes = walk(world, to=TopicStatus.PARTICIPANTS, form=ConsultForm.ONLINE, participants=PEOPLE[:3])
    vote = outcomes.vote_open(
        actor=world.community_cadre, topic=topic, question="同意", rule=VoteRule.TWO_THIRDS
    )
    code = next(iter(codes.values()))

    def submit():
        outcomes.online_submit(topic=topic, code=code, comment="支持", choices={vote.pk: "yes"})

    errors = _race([submit] * 4)
    assert len(errors) == 3 and all("已经用过" in " ".join(e.messages) for e in errors), errors
    vote = Vote.objects.get(pk=vote.pk)
    assert vote.yes == 1 and topic.comments.count() == 1
