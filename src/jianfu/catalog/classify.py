"""The classifier over the lists in force: ``classify(text, region, on=date)``.

matching.py is pure (no models); this module feeds it the items that applied in a region on a date and
keeps the built indexes, keyed by the exact list versions they were built from.
"""

from collections import OrderedDict
from datetime import date
from threading import Lock

from django.utils import timezone

from jianfu.orgs.models import Region

from .matching import MatchIndex, MatchItem, Verdict, build_index, load_synonyms
from .models import CERTIFICATE_KINDS, WORK_KINDS
from .selectors import items_in_force, lists_in_force

MODES = {"work": WORK_KINDS, "certificate": CERTIFICATE_KINDS}
_CACHE_SIZE = 32
# Other apps add items to a mode (admission adds the admitted items): provider(region, on) returns a
# version key and a function giving the MatchItems, so the cache is rebuilt only when that key changes.
PROVIDERS: dict[str, list] = {"work": [], "certificate": []}
_cache: "OrderedDict[tuple, MatchIndex]" = OrderedDict()
_lock = Lock()


def as_match_item(item) -> MatchItem:
    return MatchItem(
        kind=item.work_list.kind, list_id=item.work_list_id, list_title=str(item.work_list), code=item.code,
        content=item.content, examples=tuple(item.examples), legal_basis=item.legal_basis_text(),
        category=item.category,
    )  # fmt: skip


def index_for(region: Region, on: date, mode: str = "work") -> MatchIndex:
    """The index of the items in force; rebuilt only when the set of list versions changes."""
    kinds = MODES[mode]
    versions = tuple(lists_in_force(region, on, kinds).values_list("pk", "revision"))
    extra = [provider(region, on) for provider in PROVIDERS[mode]]
    key = (mode, versions, tuple(k for k, _ in extra))
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    items = [as_match_item(i) for i in items_in_force(region, on, kinds)]
    items += [item for _, make_items in extra for item in make_items()]
    index = build_index(items, load_synonyms())
    with _lock:
        _cache[key] = index
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return index


def classify(text: str, region: Region, on: date | None = None, *, mode: str = "work") -> Verdict:
    """Where a piece of proposed work (or a certificate request) falls under the lists in force."""
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}")
    return index_for(region, on or timezone.localdate(), mode).classify(text, mode=mode)


def verdict_as_dict(verdict: Verdict) -> dict:
    return {
        "verdict": verdict.verdict,
        "confidence": round(verdict.confidence, 3),
        "explanation": verdict.explanation,
        "matches": [
            {
                "list": m.item.list_title,
                "list_id": m.item.list_id,
                "kind": m.item.kind,
                "code": m.item.code,
                "text": m.item.content,
                "matched_text": m.matched_text,
                "legal_basis": m.item.legal_basis,
                "score": round(m.score, 3),
            }  # fmt: skip
            for m in verdict.matches
        ],
    }
