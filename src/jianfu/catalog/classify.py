"""The classifier over the lists in force: ``classify(text, region, on=date)``.

matching.py is pure (no models); this module feeds it the items that applied in a region on a date, the
phrasings the county's people attached to items by their corrections, and keeps the built indexes, keyed by
the exact list versions and corrections they were built from. A decided correction of the very wording
(same text after normalisation) in the county answers for the classifier.
"""

import re
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date
from threading import Lock

from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils import timezone

from jianfu.orgs.models import PREFIX_LENGTH, Level, Region

from . import semantic, thresholds
from .analysis import normalise
from .matching import (
    Match,
    MatchIndex,
    MatchItem,
    MatchSettings,
    Verdict,
    build_index,
    explain,
    load_synonyms,
    text_problem,
)
from .models import CERTIFICATE_KINDS, WORK_KINDS, CorrectionStatus, VerdictCorrection
from .selectors import items_in_force, lists_in_force

MODES = {"work": WORK_KINDS, "certificate": CERTIFICATE_KINDS}
_CACHE_SIZE = 32
# Other apps add items to a mode (admission adds the admitted items): provider(region, on) returns a
# version key and a function giving the MatchItems, so the cache is rebuilt only when that key changes.
PROVIDERS: dict[str, list] = {"work": [], "certificate": []}
_cache: "OrderedDict[tuple, _Built]" = OrderedDict()
_lock = Lock()


@dataclass(frozen=True)
class _Built:
    index: MatchIndex
    decided: dict[
        str, tuple[str, int | None]
    ]  # normalised text -> (corrected verdict, item position or None)


def check_text(text: str, field: str = "text") -> str:
    """The text, stripped, or a ValidationError naming the field: empty, over-long or not Chinese."""
    problem = text_problem(text)
    if problem:
        raise ValidationError({field: problem})
    return text.strip()


def match_settings(region: Region | None = None, on: date | None = None) -> MatchSettings:
    """The classifier's numbers: the platform's, with the thresholds the region's county chose in force on the
    date (catalog.thresholds, 区划设置)."""
    return thresholds.for_region(region, on)


def lexicon() -> semantic.Lexicon:
    return semantic.load_lexicon(str(django_settings.VAR_DIR / "cache" / "semantic"))


def county_of(region: Region) -> Region | None:
    if region.level < Level.COUNTY:
        return None
    if region.level == Level.COUNTY:
        return region
    return Region.objects.filter(code=region.code[: PREFIX_LENGTH[Level.COUNTY]].ljust(12, "0")).first()


def list_title(work_list) -> str:
    """The title a department reads: the issuing region and the list's name (no version number); a national
    list is cited as 国家层面 with its own title."""
    if work_list.is_national:
        return work_list.full_title
    region = work_list.region.name
    return work_list.title if work_list.title.startswith(region) else f"{region}{work_list.title}"


def as_match_item(item, phrasings: tuple[str, ...] = ()) -> MatchItem:
    return MatchItem(
        kind=item.work_list.kind,
        list_id=item.work_list_id,
        list_title=list_title(item.work_list),
        code=item.code,
        content=item.content,
        examples=tuple(item.examples),
        legal_basis=item.legal_basis_text(),
        category=item.category,
        phrasings=phrasings,
        treated_as=item.treated_as,
    )


def _decided(county: Region | None, mode: str):
    if county is None:
        return VerdictCorrection.objects.none()
    return VerdictCorrection.objects.filter(county=county, mode=mode, status=CorrectionStatus.DECIDED)


def index_for(region: Region, on: date, mode: str = "work") -> MatchIndex:
    return _built(region, on, mode).index


def _built(region: Region, on: date, mode: str) -> _Built:
    """The index of the items in force; rebuilt only when the list versions or the corrections change."""
    kinds = MODES[mode]
    versions = tuple(lists_in_force(region, on, kinds).values_list("pk", "revision"))
    extra = [provider(region, on) for provider in PROVIDERS[mode]]
    corrections = _decided(county_of(region), mode)
    stamp = corrections.aggregate(n=Max("id"), v=Max("version"), at=Max("decided_at"))
    settings = match_settings(region, on)
    key = (mode, versions, tuple(k for k, _ in extra), tuple(stamp.values()), settings)
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    built = _build(region, on, kinds, extra, corrections, settings)
    with _lock:
        _cache[key] = built
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return built


def _build(region, on, kinds, extra, corrections, settings: MatchSettings) -> _Built:
    rows = list(corrections.order_by("decided_at", "id").values_list("text", "corrected_verdict", "item_id"))
    phrasings: dict[int, list[str]] = {}
    for text, _, item_id in rows:
        if item_id:
            phrasings.setdefault(item_id, []).append(text)
    listed = items_in_force(region, on, kinds)
    items = [as_match_item(i, tuple(phrasings.get(i.pk, ()))) for i in listed]
    position = {i.pk: n for n, i in enumerate(listed)}
    items += [item for _, make_items in extra for item in make_items()]
    decided = {}
    for text, verdict, item_id in rows:  # the latest decision on a wording wins
        if item_id is None or item_id in position:  # an item no longer in force decides nothing
            decided[_key(text)] = (verdict, position.get(item_id))
    index = build_index(
        items, load_synonyms(), settings=settings, lexicon=lexicon() if settings.semantic else None
    )
    return _Built(index, decided)


def _key(text: str) -> str:
    return re.sub(r"\W", "", normalise(text))


def classify(text: str, region: Region, on: date | None = None, *, mode: str = "work") -> Verdict:
    """Where a piece of proposed work (or a certificate request) falls under the lists in force; a decided
    correction of the same wording in the county answers instead of the classifier."""
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}")
    built = _built(region, on or timezone.localdate(), mode)
    decided = built.decided.get(_key(text))
    if decided is not None:
        return _by_person(built.index, text, mode, *decided)
    return built.index.classify(text, mode=mode)


def _by_person(index: MatchIndex, text: str, mode: str, verdict: str, position: int | None) -> Verdict:
    if position is None:
        automatic = index.classify(text, mode=mode)
        explanation = (
            "经人工研判，该证明不在证明事项清单之内，须经审核确认后再决定是否出具。"
            if mode == "certificate"
            else "经人工研判，该事项不在依法履职、依法协助和负面清单之内，须经准入审核批准后方可交由村（社区）承担。"
        )
        return Verdict(verdict, 1.0, automatic.matches, explanation, by_person=True)
    match = Match(index.items[position], 1.0, text)
    return Verdict(verdict, 1.0, (match,), "经人工研判，" + explain(match), by_person=True)


def listed_answer(verdict: Verdict) -> bool:
    """Whether a list item decided the verdict (its first match), so a resident may be told that item: not for
    unlisted work, nor for a verdict the wording or a general rule gave (no item near it)."""
    return bool(verdict.matches) and verdict.verdict != "unlisted" and not verdict.by_rule_wording


VERDICT_LABELS = {
    "duty": "依法履职事项",
    "assist": "依法协助事项",
    "negative": "负面清单事项",
    "admitted": "已准入事项",
    "unlisted": "清单外事项",
    "cert_allowed": "可出具的证明",
    "cert_forbidden": "不应出具的证明",
}


def verdict_as_dict(verdict: Verdict) -> dict:
    """The verdict for pages and the API. ``explanation`` and ``label`` are what a department or a resident
    reads; ``matches`` (codes, scores, nearest items) are for the office's detail view only."""
    return {
        "verdict": verdict.verdict,
        "label": VERDICT_LABELS.get(verdict.verdict, verdict.verdict),
        "confidence": round(verdict.confidence, 3),
        "needs_review": verdict.needs_review,
        "by_person": verdict.by_person,
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
            }
            for m in verdict.matches
        ],
    }
