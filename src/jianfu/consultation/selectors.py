"""Scoped reads for 协商议事: everything starts from ``visible_to(user)``, so another region's record is a 404."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from jianfu.orgs.models import Level, Region, subtree_q
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
