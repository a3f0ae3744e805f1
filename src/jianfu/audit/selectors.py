from django.shortcuts import get_object_or_404

from jianfu.core import textsearch
from jianfu.orgs.models import Region

from .chain import LEGACY_CHAIN
from .models import AUDIT_TEXT, AuditRecord, audit_prefixes
from .verify import VerifyResult, audit_verify

LEGACY_CHAIN_NAME = "分县成链之前的记录（历史链）"


# A search of three characters or more is answered by the trigram index over every record the user sees
# (core.textsearch, AUDIT_TEXT). One or two characters give a trigram index nothing to look up, so such a search
# reads at most this many of the newest records the other filters leave (the list says so), never the table.
SEARCH_WINDOW = 50_000


def audit_search(user, **filters):
    """The records the user may read, narrowed by the list's filters, newest first (a queryset)."""
    return audit_search_and_window(user, **filters)[0]


def audit_search_and_window(
    user, *, query: str = "", action: str = "", success: str = "", date_from=None, date_to=None
) -> tuple:
    """``audit_search`` and, when its text search was bounded to the newest SEARCH_WINDOW records, that number
    (0 when the index answered over all of them)."""
    records = AuditRecord.objects.visible_to(user)
    if action:
        records = records.filter(action__startswith=action)
    if success in ("0", "1"):
        records = records.filter(success=success == "1")
    if date_from:
        records = records.filter(created_at__date__gte=date_from)
    if date_to:
        records = records.filter(created_at__date__lte=date_to)
    records = records.order_by("-seq")
    query = (query or "").strip()
    if not query:
        return records, 0
    if textsearch.indexed(query):
        return textsearch.matching(records, AUDIT_TEXT, query), 0
    edge = list(records.values_list("seq", flat=True)[SEARCH_WINDOW - 1 : SEARCH_WINDOW])
    if not edge:
        return textsearch.matching(records, AUDIT_TEXT, query), 0
    newest = records.filter(seq__gte=edge[0])  # one bound on the key the pages seek by
    return textsearch.matching(newest, AUDIT_TEXT, query), SEARCH_WINDOW


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
