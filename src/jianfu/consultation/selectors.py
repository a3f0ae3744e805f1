"""Scoped reads for 协商议事: everything starts from ``visible_to(user)``, so another region's record is a 404."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from jianfu.core.registry import HomeTask
from jianfu.core.workdays import add_workdays
from jianfu.orgs import access
from jianfu.orgs.models import Level, Region, subtree_q
from jianfu.orgs.region_settings import setting_value
from jianfu.orgs.roles import Capability

from .models import (
    Council,
    Measure,
    MeasureStatus,
    Opinion,
    OpinionStatus,
    Outcome,
    Participant,
    Satisfaction,
    Topic,
    TopicStatus,
    Vote,
)
from .services import convening_regions, may_convene

ACTIVE = [
    TopicStatus.COLLECTING,
    TopicStatus.SETTLED,
    TopicStatus.PLANNED,
    TopicStatus.NOTICED,
    TopicStatus.PARTICIPANTS,
    TopicStatus.HELD,
]


def may_view(user) -> bool:
    return user.is_authenticated and user.has_capability(Capability.CONSULTATION_VIEW)


def topic_list(user, *, status: str = "", region_code: str = "", q: str = ""):
    topics = Topic.objects.visible_to(user).select_related("region")
    if status == "active":
        topics = topics.filter(status__in=ACTIVE)
    elif status:
        topics = topics.filter(status=status)
    if region_code:
        topics = topics.filter(Q(region__code=region_code) | Q(involved__code=region_code)).distinct()
    if q:
        topics = topics.filter(title__icontains=q)
    return topics


def topic_get(user, pk: int) -> Topic:
    return get_object_or_404(Topic.objects.visible_to(user).select_related("region", "previous"), pk=pk)


def opinion_list(user, *, status: str = "", region_code: str = ""):
    opinions = Opinion.objects.visible_to(user).select_related("region", "topic")
    if status:
        opinions = opinions.filter(status=status)
    if region_code:
        opinions = opinions.filter(region__code=region_code)
    return opinions


def opinion_get(user, pk: int) -> Opinion:
    return get_object_or_404(Opinion.objects.visible_to(user).select_related("region", "topic"), pk=pk)


def open_opinions_for(user, region: Region):
    return (
        Opinion.objects.visible_to(user)
        .filter(subtree_q([region.prefix], "region__code"), status=OpinionStatus.OPEN)
        .select_related("region")
    )


def council_list(user):
    return (
        Council.objects.visible_to(user)
        .select_related("region")
        .annotate(n_members=Count("members", filter=Q(members__is_active=True)))
    )


def council_get(user, pk: int) -> Council:
    return get_object_or_404(Council.objects.visible_to(user).select_related("region"), pk=pk)


def vote_get(user, pk: int) -> Vote:
    return get_object_or_404(Vote.objects.visible_to(user).select_related("topic__region"), pk=pk)


def participant_get(user, pk: int) -> Participant:
    return get_object_or_404(Participant.objects.visible_to(user).select_related("topic__region"), pk=pk)


def measure_get(user, pk: int) -> Measure:
    return get_object_or_404(Measure.objects.visible_to(user).select_related("topic__region"), pk=pk)


def measures_doing(user):
    return Measure.objects.visible_to(user).filter(status=MeasureStatus.DOING).select_related("topic__region")


def township_villages(region: Region):
    return Region.objects.filter(parent=region, level=Level.VILLAGE, is_active=True).order_by("code")


@dataclass(frozen=True)
class Overdue:
    topic: Topic
    step: str
    due: date


def overdue(user, today: date | None = None) -> list[Overdue]:
    """Steps past their time limit in the user's scope: a plan later than 2 working days after the topic was
    settled, an announcement later than the day after the consultation."""
    today = today or timezone.localdate()
    topics = Topic.objects.visible_to(user).select_related("region")
    late_plans = topics.filter(status=TopicStatus.SETTLED, plan_due__lt=today)
    rows = [Overdue(t, "制定协商方案", t.plan_due) for t in late_plans]
    for topic in topics.filter(status=TopicStatus.HELD, held_on__isnull=False):
        if topic.announce_due < today:
            rows.append(Overdue(topic, "通报协商情况", topic.announce_due))
    return sorted(rows, key=lambda r: r.due)


def satisfaction_summary(topic: Topic) -> dict:
    counts = dict(topic.followups.values_list("satisfaction").annotate(n=Count("id")))
    total = sum(counts.values())
    good = counts.get(Satisfaction.SATISFIED, 0) + counts.get(Satisfaction.BASIC, 0)
    return {
        "total": total,
        "counts": {s.label: counts.get(s.value, 0) for s in Satisfaction},
        "rate": round(100 * good / total) if total else None,
    }


def convenes(user, topic: Topic) -> bool:
    return may_convene(user, topic.region) and user.has_capability(Capability.CONSULTATION_MANAGE)


def home_region(user) -> Region | None:
    regions = convening_regions(user)
    return regions[0] if regions else None


# Public pages ---------------------------------------------------------------------------------------


def public_topics(region: Region | None = None):
    """Topics whose notice was published (step 4 onward), for 村务公开."""
    topics = Topic.objects.select_related("region").exclude(
        status__in=[TopicStatus.COLLECTING, TopicStatus.SETTLED, TopicStatus.PLANNED]
    )
    if region is not None:
        topics = topics.filter(subtree_q([region.prefix], "region__code") | Q(involved=region)).distinct()
    return topics


def public_topic_get(pk: int) -> Topic:
    return get_object_or_404(public_topics(), pk=pk)


def public_measures(region: Region | None = None):
    """Adopted measures still being carried out, published until done (村务公开); a village's list includes
    those of the cross-community topics that involve it, as ``public_topics`` does."""
    measures = Measure.objects.select_related("topic__region").filter(
        topic__status=TopicStatus.ANNOUNCED, topic__outcome=Outcome.AGREED, status=MeasureStatus.DOING
    )
    if region is not None:
        # a cross-community topic belongs to the township but its measures concern each involved community
        measures = measures.filter(
            subtree_q([region.prefix], "topic__region__code") | Q(topic__involved=region)
        ).distinct()
    return measures.order_by("due_on", "pk")


def public_villages(county: Region | None):
    """One county's villages and communities, township by township (the public pages' picker)."""
    if county is None:
        return Region.objects.none()
    return (
        Region.objects.filter(subtree_q([county.prefix]), level=Level.VILLAGE, is_active=True)
        .select_related("parent")
        .order_by("parent__code", "code")
    )


def by_township(villages) -> list[tuple[str, list]]:
    """[(township name, [village, ...]), ...] in code order, for a picker's option groups."""
    groups: dict[str, list] = {}
    for village in villages:
        groups.setdefault(village.parent.name if village.parent else "", []).append(village)
    return list(groups.items())


def home_card(user) -> dict | None:
    """What the home page shows this user about 协商议事; None hides the card."""
    if not may_view(user):
        return None
    topics = Topic.objects.visible_to(user)
    return {
        "active": topics.filter(status__in=ACTIVE).count(),
        "open_opinions": Opinion.objects.visible_to(user).filter(status=OpinionStatus.OPEN).count(),
        "overdue": len(overdue(user)),
        "measures": Measure.objects.visible_to(user).filter(status=MeasureStatus.DOING).count(),
    }


def home_tasks(user) -> list:
    """Residents' opinions waiting for an answer, for those who answer them."""
    if not access.may(user, Capability.CONSULTATION_MANAGE):
        return []
    return [
        HomeTask(
            "条群众意见待答复",
            Opinion.objects.visible_to(user).filter(status=OpinionStatus.OPEN).count(),
            f"{reverse('consultation:opinions')}?status=open",
            action="去答复",
        )
    ]


# The public write-in's status page --------------------------------------------------------------------------

ANSWER_DAYS = "consultation.opinion_answer_days"


@dataclass
class TimelineStep:
    label: str
    on: date | None  # the day it happened, or the day it is expected by (``done`` False)
    done: bool
    note: str = ""


def opinion_timeline(opinion: Opinion, *, today: date | None = None) -> list[TimelineStep]:
    """What became of a resident's opinion, dated step by step, and what comes next with its expected day (the
    county's answer time limit in working days, on the official calendar)."""
    today = today or timezone.localdate()
    received = timezone.localdate(opinion.created_at)
    steps = [TimelineStep("收到您的意见", received, True)]
    if opinion.status == OpinionStatus.ANSWERED:
        answered = timezone.localdate(opinion.answered_at) if opinion.answered_at else None
        steps.append(TimelineStep(f"{opinion.region.name}已答复", answered, True))
        return steps
    topic = opinion.topic if opinion.topic_id else None
    if opinion.status == OpinionStatus.TOPIC and topic is not None:
        steps.append(TimelineStep("纳入协商议题", timezone.localdate(topic.created_at), True, topic.title))
        stages = [
            ("确定议题", topic.settled_on, None),
            ("制定协商方案", topic.planned_on, topic.plan_due),
            ("发布协商公告", topic.noticed_on, None),
            (
                "开展协商",
                topic.held_on,
                timezone.localdate(topic.scheduled_at) if topic.scheduled_at else None,
            ),
            ("通报协商情况", topic.announced_on, None),
        ]
        for label, happened, expected in stages:
            if happened:
                steps.append(TimelineStep(label, happened, True))
            else:
                steps.append(TimelineStep(label, expected, False))
                break  # only the next step is shown ahead
        return steps
    days = setting_value(opinion.region, ANSWER_DAYS, on=received)
    due = add_workdays(received, days)
    note = f"{days} 个工作日内直接答复，或纳入协商议题"
    if due.estimated:
        note += f"（{due.note}）"
    if due.day < today:
        note += "；已超过预计日期，可以向村（社区）询问"
    steps.append(TimelineStep("答复或纳入协商议题", due.day, False, note))
    return steps
