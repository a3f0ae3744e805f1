from django.db.models import Q
from django.shortcuts import get_object_or_404

from jianfu.orgs.models import Region

from .chain import LEGACY_CHAIN
from .models import AuditRecord, audit_prefixes
from .verify import VerifyResult, audit_verify

LEGACY_CHAIN_NAME = "分县成链之前的记录（历史链）"


def audit_search(user, *, query: str = "", action: str = "", success: str = "", date_from=None, date_to=None):
    records = AuditRecord.objects.visible_to(user)
    if query:
        records = records.filter(
            Q(actor_username__contains=query)
            | Q(actor_name__contains=query)
            | Q(object_repr__contains=query)
            | Q(ip__startswith=query)
        )
    if action:
        records = records.filter(action__startswith=action)
    if success in ("0", "1"):
        records = records.filter(success=success == "1")
    if date_from:
        records = records.filter(created_at__date__gte=date_from)
    if date_to:
        records = records.filter(created_at__date__lte=date_to)
    return records.order_by("-seq")


def recent_for_home(user, limit: int = 8):
    return list(AuditRecord.objects.visible_to(user).order_by("-seq")[:limit])


def audit_get(user, seq: int) -> AuditRecord:
    """One record, or 404 when it concerns a region outside the inspector's."""
    return get_object_or_404(AuditRecord.objects.visible_to(user), seq=seq)


def region_names(records) -> dict[str, str]:
    """Names of the regions the records concern, in one query."""
    codes = {r.region_code for r in records if r.region_code}
    return dict(Region.objects.filter(code__in=codes).values_list("code", "name"))


def chain_names(chains) -> dict[str, str]:
    """The Chinese name of each chain, for the pages: its county's (or prefecture's, the province's) name."""
    names = dict(
        Region.objects.filter(code__in=[c for c in chains if c.isdigit()]).values_list("code", "name")
    )
    special = {LEGACY_CHAIN: LEGACY_CHAIN_NAME, "": "未定区划的记录"}
    return {c: special.get(c) or names.get(c) or f"区划 {c}（已不在区划表中）" for c in chains}


def verify_for(user, checkpoints=()) -> VerifyResult:
    """Verify every chain, and report the ones whose records the user may read.

    Each chain is checked whole (a chain cannot be checked in part), but a county inspector is told about
    the chains of counties in their scope only; the legacy chain and records of no region belong to the
    province, like the records themselves (``AuditRecord.objects.visible_to``).
    """
    result = audit_verify(checkpoints)
    prefixes = audit_prefixes(user)
    province_wide = any(len(p) <= 2 for p in prefixes)

    def visible(chain: str) -> bool:
        if not chain.isdigit():
            return province_wide
        return any(chain.startswith(p) for p in prefixes)

    result.chains = [c for c in result.chains if visible(c.chain)]
    return result
