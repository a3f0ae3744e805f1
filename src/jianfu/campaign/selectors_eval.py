"""Scoped reads for the evaluations: village scores and ranking, agencies, classification, workers."""

from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Avg, Count, Q
from django.shortcuts import get_object_or_404

from jianfu.orgs.models import Kind, Level, Region
from jianfu.orgs.roles import Capability

from . import local_rules, rules
from .models import (
    AgencyEvaluation,
    ClassificationRound,
    CommunityProfile,
    CommunityWorker,
    EvaluationScheme,
    Post,
    SurveyAnswer,
    VillageScore,
    WorkerStatus,
)


def require_any(user, *capabilities) -> None:
    if not any(user.has_capability(c) for c in capabilities):
        raise PermissionDenied("您没有查看考评的权限。")


EVAL_VIEWERS = (Capability.EVALUATION_MANAGE, Capability.EVALUATION_SCORE, Capability.CAMPAIGN_VIEW)


def schemes(user):
    require_any(user, Capability.EVALUATION_MANAGE, Capability.CAMPAIGN_VIEW)
    return EvaluationScheme.objects.visible_to(user).select_related("township")


def scheme(user, pk) -> EvaluationScheme:
    return get_object_or_404(schemes(user), pk=pk)


def villages_of(scheme: EvaluationScheme):
    return Region.objects.filter(parent=scheme.township, level=Level.VILLAGE, is_active=True).order_by("code")


def missing_scores(scheme: EvaluationScheme) -> list[str]:
    have = set(VillageScore.objects.filter(scheme=scheme).values_list("village_id", "indicator_id"))
    answered = set(SurveyAnswer.objects.filter(scheme=scheme).values_list("village_id", flat=True))
    missing = []
    for village in villages_of(scheme):
        for indicator in scheme.indicators.all():
            if indicator.is_satisfaction:
                if village.pk not in answered:
                    missing.append(f"{village.name}：尚无满意度答卷")
            elif (village.pk, indicator.pk) not in have:
                missing.append(f"{village.name}：{indicator.name}")
    return missing


def results(scheme: EvaluationScheme) -> list[dict]:
    """Each village's scores, satisfaction from the survey, weighted total and rank (ties share a rank)."""
    indicators = list(scheme.indicators.all())
    scores = defaultdict(dict)
    for row in VillageScore.objects.filter(scheme=scheme):
        scores[row.village_id][row.indicator_id] = row
    survey = {
        row["village_id"]: row
        for row in SurveyAnswer.objects.filter(scheme=scheme)
        .values("village_id")
        .annotate(mean=Avg("score"), n=Count("id"))
    }
    issued = dict(scheme.codes.values("village_id").annotate(n=Count("id")).values_list("village_id", "n"))
    rows = []
    for village in villages_of(scheme):
        values, complete = {}, True
        for ind in indicators:
            if ind.is_satisfaction:
                mean = survey.get(village.pk, {}).get("mean")
                values[ind.pk] = rules.q2(mean) if mean is not None else None
            else:
                row = scores[village.pk].get(ind.pk)
                values[ind.pk] = row.score if row else None
            complete &= values[ind.pk] is not None
        total = rules.weighted_total((ind.weight, values[ind.pk] or 0) for ind in indicators)
        rows.append(
            {
                "village": village,
                "values": values,
                "cells": [values[i.pk] for i in indicators],
                "total": total,
                "complete": complete,
                "answers": survey.get(village.pk, {}).get("n", 0),
                "codes": issued.get(village.pk, 0),
                "score_rows": scores[village.pk],
            }
        )
    rows.sort(key=lambda r: (-r["total"], r["village"].code))
    rank, previous = 0, None
    for n, row in enumerate(rows, start=1):
        if row["total"] != previous:
            rank, previous = n, row["total"]
        row["rank"] = rank
    return rows


def ranking_chart(rows: list, scheme: EvaluationScheme) -> dict:
    from django.urls import reverse

    base = reverse("campaign:scheme_detail", args=[scheme.pk])
    return {
        "labels": [r["village"].name for r in rows],
        "series": [
            {
                "name": "综合得分",
                "data": [float(r["total"]) for r in rows],
                "links": [f"{base}#v-{r['village'].pk}" for r in rows],
            }
        ],
    }


# Agencies ---------------------------------------------------------------------------------------------------


def agencies(user):
    require_any(user, *EVAL_VIEWERS)
    return AgencyEvaluation.objects.visible_to(user).select_related("township", "department")


def agency(user, pk) -> AgencyEvaluation:
    return get_object_or_404(agencies(user), pk=pk)


def agency_figures(evaluation: AgencyEvaluation) -> dict:
    """The grid app's figures for the agency in its township: evidence for the territorial part."""
    from jianfu.grid.selectors import agency_figures as grid_figures

    return grid_figures(department=evaluation.department, township=evaluation.township, year=evaluation.year)


# Classification ---------------------------------------------------------------------------------------------


def rounds(user):
    require_any(user, Capability.EVALUATION_MANAGE, Capability.CAMPAIGN_VIEW)
    return ClassificationRound.objects.visible_to(user).select_related("county")


def round_detail(user, pk) -> ClassificationRound:
    return get_object_or_404(rounds(user), pk=pk)


def classification(round: ClassificationRound):
    figures = round.figures.select_related("township")
    weights = local_rules.class_weights(round.county, round.year)
    return rules.classify_townships(
        figures, round.class1_min, round.class2_min, local_rules.fractions(weights.value)
    )


def classification_weights(round: ClassificationRound):
    """The weights version the round is computed with (in force on the last day of its year)."""
    return local_rules.class_weights(round.county, round.year)


# Community workers ------------------------------------------------------------------------------------------


def communities(user):
    require_any(user, Capability.EVALUATION_MANAGE, Capability.CAMPAIGN_VIEW)
    return (
        Region.objects.visible_to(user)
        .filter(level=Level.VILLAGE, kind=Kind.COMMUNITY, is_active=True)
        .select_related("parent")
    )


def community(user, code) -> Region:
    return get_object_or_404(communities(user), code=code)


def staffing(communities_qs) -> list[dict]:
    """The staffing check for each community: active service-station staff against the residents (第七条)."""
    profiles = {p.community_id: p for p in CommunityProfile.objects.filter(community__in=communities_qs)}
    counts = dict(
        CommunityWorker.objects.filter(community__in=communities_qs)
        .values("community_id")
        .annotate(n=Count("id", filter=Q(status=WorkerStatus.ACTIVE, post=Post.SERVICE)))
        .values_list("community_id", "n")
    )
    totals = dict(
        CommunityWorker.objects.filter(community__in=communities_qs, status=WorkerStatus.ACTIVE)
        .values("community_id")
        .annotate(n=Count("id"))
        .values_list("community_id", "n")
    )
    posts: dict = defaultdict(dict)
    for row in (
        CommunityWorker.objects.filter(community__in=communities_qs, status=WorkerStatus.ACTIVE)
        .values("community_id", "post")
        .annotate(n=Count("id"))
    ):
        posts[row["community_id"]][row["post"]] = row["n"]
    rules_of: dict[str, dict] = {}  # the county's numbers, looked up once per county
    rows = []
    for c in communities_qs:
        numbers = rules_of.get(c.code[:6]) or rules_of.setdefault(c.code[:6], _staffing_numbers(c))
        profile = profiles.get(c.pk)
        check = rules.staffing_check(
            profile.residents if profile else None,
            counts.get(c.pk, 0),
            bands=numbers["bands"].value,
            staff=numbers["staff"].value,
        )
        composition = rules.composition_check(
            posts[c.pk], numbers["committee"].value, dict(local_rules.COMMITTEE_PARTS)
        )
        rows.append(
            {
                "community": c,
                "profile": profile,
                "check": check,
                "composition": composition,
                "numbers": numbers,
                "active": totals.get(c.pk, 0),
            }
        )
    return rows


def _staffing_numbers(community: Region) -> dict:
    return {
        "bands": local_rules.in_force(community, local_rules.STATION_POPULATION),
        "staff": local_rules.in_force(community, local_rules.STATION_STAFF),
        "committee": local_rules.in_force(community, local_rules.COMMITTEE),
    }


def workers(user, community: Region):
    return CommunityWorker.objects.visible_to(user).filter(community=community).prefetch_related("appraisals")


def worker(user, pk) -> CommunityWorker:
    require_any(user, Capability.EVALUATION_MANAGE, Capability.CAMPAIGN_VIEW)
    return get_object_or_404(CommunityWorker.objects.visible_to(user).select_related("community"), pk=pk)


def decimal_or_none(value) -> Decimal | None:
    return None if value is None else Decimal(value)
