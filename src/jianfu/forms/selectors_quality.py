"""Scoped reads of data quality: outlier flags and form versions."""

from django.shortcuts import get_object_or_404

from jianfu.orgs.models import Region, subtree_q

from .models import DepartmentForm, FlagStatus, ValueFlag


def flags(user, *, status: str = ""):
    rows = ValueFlag.objects.visible_to(user).select_related("village", "indicator", "followed_by")
    return rows.filter(status=status) if status else rows


def township_flags(user, township: Region, period: str):
    """The flags of a township's villages for a period, open ones first: what its approval view lists."""
    rows = flags(user).filter(subtree_q([township.prefix], "village__code"), period=period)
    return rows.exclude(status=FlagStatus.CLEARED).order_by("-status", "village__code", "indicator__code")


def village_flags(user, village: Region, period: str):
    return flags(user, status=FlagStatus.OPEN).filter(village=village, period=period)


def flag_get(user, pk: int) -> ValueFlag:
    return get_object_or_404(flags(user), pk=pk)


def editions(form: DepartmentForm) -> list[DepartmentForm]:
    """Every version of ``form``, first to last (the chain through ``revises`` both ways)."""
    first = form
    while first.revises_id is not None:
        first = DepartmentForm.objects.get(pk=first.revises_id)
    chain = [first]
    while True:
        following = (
            DepartmentForm.objects.filter(revises=chain[-1])
            .exclude(status="rejected")
            .order_by("-pk")
            .first()
        )
        if following is None:
            return chain
        chain.append(following)
