"""Chinese indicator names: normalising, proposing the matching indicator, and finding duplicate groups at scale.

Pure functions (no database): the registration page, the duplicates page, the ``forms_duplicates`` command and
``bench/bench_forms.py`` all call these, so the figures the bench prints are the app's own behaviour.

Near-duplicates in real form inventories differ by filler words (本村、全村、的、总、数量/数), brackets holding the
unit, synonyms (户籍/户口, 老年人/老人) and full-width punctuation. Names that differ in a number (60岁以上 vs
80岁以上), a sex, an opposite (已/未) or a unit are different facts however alike they look, so those pairs are
never merged.
"""

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

import rjieba
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

THRESHOLD = 88  # similarity() at or above this flags a field at registration as a duplicate
CANDIDATE = 75  # fuzz.ratio on normalised names for a pair to be examined at all in duplicate_groups
SLIP_RATIO = 5  # a changed character whose bigrams are this many times rarer than the other side's is a slip
PROPOSE_MIN = 60  # below this a proposal is not worth showing

SYNONYMS = {
    "户口": "户籍",
    "老年人": "老人",
    "岁及以上": "岁以上",
    "周岁": "岁",
    "居民": "人口",
    "家庭户": "户",
    "农户": "户",
    "低保户": "低保",
    "最低生活保障": "低保",
    "特困供养": "特困",
    "数量": "数",
    "总数": "数",
    "人数": "数",
    "个数": "数",
    "合计": "",
    "总计": "",
    "情况": "",
}
FILLERS = ("本村", "全村", "村级", "本社区", "社区", "村", "的", "年末", "当年", "总", "共")
BRACKETS = re.compile(r"[（(\[【][^）)\]】]*[）)\]】]")
NOISE = re.compile(r"[\s\W_]+", re.UNICODE)
# What tells two look-alike names apart as different facts: numbers (Arabic or Chinese), halves of the year,
# sex, and opposites (已/未, 新增/减少, 以上/以下).
MARKERS = re.compile(r"\d+|[一二三四五六七八九十]|上半年|下半年|男|女|已|未|新增|减少|以上|以下|不")

UNIT_ALIASES = {
    "人": "人",
    "个": "个",
    "名": "人",
    "位": "人",
    "户": "户",
    "家": "户",
    "元": "元",
    "万元": "万元",
    "亩": "亩",
    "平方米": "平方米",
    "㎡": "平方米",
    "平方公里": "平方公里",
    "km²": "平方公里",
    "%": "%",
    "％": "%",
    "百分比": "%",
    "": "",
}


def normalise(name: str) -> str:
    """The comparable core of a name: half-width, no brackets or punctuation, synonyms folded, fillers dropped."""
    text = unicodedata.normalize("NFKC", name or "").lower()
    text = BRACKETS.sub("", text)
    text = NOISE.sub("", text)
    for word, canonical in SYNONYMS.items():
        text = text.replace(word, canonical)
    for filler in FILLERS:
        if len(text) > len(filler) + 1:
            text = text.replace(filler, "")
    return text


def normalise_unit(unit: str) -> str:
    text = unicodedata.normalize("NFKC", unit or "").strip().strip("()（）")
    return UNIT_ALIASES.get(text, text)


def numbers(name: str) -> tuple[str, ...]:
    """The distinguishing markers of a name, in order (two names with different markers are different facts)."""
    return tuple(MARKERS.findall(normalise(name)))


def tokens(name: str) -> str:
    """rjieba words of the normalised name, space-joined for rapidfuzz's token scorers."""
    return " ".join(w for w in rjieba.cut(normalise(name)) if w.strip())


def similarity(a: str, b: str, unit_a: str = "", unit_b: str = "") -> float:
    """0-100: character similarity of the normalised names or of their word sets, whichever is higher; a
    different number in the names or a different (known) unit makes them different facts (0)."""
    if numbers(a) != numbers(b):
        return 0.0
    ua, ub = normalise_unit(unit_a), normalise_unit(unit_b)
    if ua and ub and ua != ub:
        return 0.0
    na, nb = normalise(a), normalise(b)
    if na == nb:
        return 100.0
    return max(fuzz.ratio(na, nb), fuzz.token_set_ratio(tokens(a), tokens(b)) - 5)


@dataclass(frozen=True)
class Proposal:
    key: object  # what the caller passed with the candidate (an Indicator pk, a field pk)
    name: str
    score: float

    @property
    def is_duplicate(self) -> bool:
        return self.score >= THRESHOLD


def propose(name: str, unit: str, candidates, limit: int = 3) -> list[Proposal]:
    """The best matches for a proposed field among ``candidates`` (iterable of (key, name, unit)), best first."""
    scored = [
        Proposal(key, cand_name, similarity(name, cand_name, unit, cand_unit))
        for key, cand_name, cand_unit in candidates
    ]
    scored = [p for p in scored if p.score >= PROPOSE_MIN]
    return sorted(scored, key=lambda p: -p.score)[:limit]


# Duplicate groups at scale -----------------------------------------------------------------------------


class UnionFind:
    def __init__(self, n: int):
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)

    def groups(self) -> list[list[int]]:
        members = defaultdict(list)
        for i in range(len(self.parent)):
            members[self.find(i)].append(i)
        return sorted((g for g in members.values() if len(g) > 1), key=lambda g: g[0])


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)} or {text}


def blocks(normalised: list[str], keys_per_name: int = 3, max_block: int = 400) -> list[list[int]]:
    """Candidate blocks: each name joins the blocks of its ``keys_per_name`` rarest character bigrams, so two
    near-duplicates (which share most bigrams) meet in at least one block while common bigrams (人口, 以上) never
    make a block of thousands. A block larger than ``max_block`` is dropped as uninformative."""
    grams = [_bigrams(t) for t in normalised]
    frequency: dict[str, int] = defaultdict(int)
    for gs in grams:
        for g in gs:
            frequency[g] += 1
    buckets: dict[str, list[int]] = defaultdict(list)
    for i, gs in enumerate(grams):
        for g in sorted(gs, key=lambda g: (frequency[g], g))[:keys_per_name]:
            buckets[g].append(i)
    return [b for b in buckets.values() if 1 < len(b) <= max_block]


def _accept(i: int, j: int, digits, units) -> bool:
    return digits[i] == digits[j] and (not units[i] or not units[j] or units[i] == units[j])


def document_frequency(normalised: list[str]) -> dict[str, int]:
    frequency: dict[str, int] = defaultdict(int)
    for text in normalised:
        for gram in _bigrams(text):
            frequency[gram] += 1
    return frequency


def _rarest(text: str, at: int, frequency) -> int:
    grams = [text[k : k + 2] for k in (at - 1, at) if 0 <= k and k + 2 <= len(text)]
    return min((frequency.get(g, 0) for g in grams), default=0)


def same_fact(a: str, b: str, frequency) -> bool:
    """Two normalised names that look alike name the same fact when they are equal, or differ by one character
    that is missing on one side (常住人口 / 常住人口数), or by one character whose bigrams are far rarer across the
    whole inventory than the other side's (a slip: 人口 / 入口). Two common words (茶园 / 果园, 新建 / 改造) are
    different facts however similar the rest of the name is."""
    ops = Levenshtein.editops(a, b)
    if len(ops) == 0:
        return True
    if len(ops) > 1:
        return False
    op = ops[0]
    if op.tag != "replace":
        return True
    rare_a, rare_b = _rarest(a, op.src_pos, frequency), _rarest(b, op.dest_pos, frequency)
    return min(rare_a, rare_b) * SLIP_RATIO < max(rare_a, rare_b)


def duplicate_pairs(
    names: list[str], units: list[str] | None = None, threshold: int = CANDIDATE, workers: int = 2
) -> set[tuple[int, int]]:
    """Index pairs (i < j) naming the same fact: candidates scoring ``threshold`` or more within blocks, kept when
    their markers and units agree and ``same_fact`` holds."""
    normalised = [normalise(n) for n in names]
    frequency = document_frequency(normalised)
    digits = [numbers(n) for n in names]
    units_n = [normalise_unit(u) for u in (units or [""] * len(names))]
    exact: dict[str, list[int]] = defaultdict(list)
    for i, text in enumerate(normalised):
        exact[text].append(i)
    pairs: set[tuple[int, int]] = set()
    for same in exact.values():
        pairs |= {(a, b) for x, a in enumerate(same) for b in same[x + 1 :] if _accept(a, b, digits, units_n)}
    for block in blocks(normalised):
        texts = [normalised[i] for i in block]
        matrix = process.cdist(
            texts, texts, scorer=fuzz.ratio, score_cutoff=threshold, dtype="uint8", workers=workers
        )
        rows, cols = matrix.nonzero()
        for r, c in zip(rows.tolist(), cols.tolist(), strict=True):
            a, b = block[r], block[c]
            if (
                a < b
                and _accept(a, b, digits, units_n)
                and same_fact(normalised[a], normalised[b], frequency)
            ):
                pairs.add((a, b))
    return pairs


def duplicate_groups(
    names: list[str], units: list[str] | None = None, threshold: int = CANDIDATE, workers: int = 2
) -> list[list[int]]:
    """Groups of indices naming the same fact (transitive closure of the matching pairs)."""
    found = UnionFind(len(names))
    for a, b in duplicate_pairs(names, units, threshold, workers):
        found.union(a, b)
    return found.groups()


def naive_pairs(
    names: list[str],
    units: list[str] | None = None,
    threshold: int = CANDIDATE,
    workers: int = 2,
    rows: range | None = None,
    chunk: int = 500,
) -> set[tuple[int, int]]:
    """All-pairs comparison (the baseline the blocking is measured against), optionally only for ``rows``.

    Each pair is scored once: row ``a`` against the names after it (the upper triangle, n(n−1)/2 scores for
    all rows), as a fair all-pairs method would; scoring the full n×n matrix would do every pair twice and
    overstate what blocking saves."""
    normalised = [normalise(n) for n in names]
    frequency = document_frequency(normalised)
    digits = [numbers(n) for n in names]
    units_n = [normalise_unit(u) for u in (units or [""] * len(names))]
    rows = rows if rows is not None else range(len(names))
    pairs: set[tuple[int, int]] = set()
    for start in range(rows.start, rows.stop, chunk):
        stop = min(start + chunk, rows.stop)
        matrix = process.cdist(
            normalised[start:stop],
            normalised[start:],  # the chunk's own block and everything after it: each pair once, below
            scorer=fuzz.ratio,
            score_cutoff=threshold,
            dtype="uint8",
            workers=workers,
        )
        r_idx, c_idx = matrix.nonzero()
        for r, c_offset in zip(r_idx.tolist(), c_idx.tolist(), strict=True):
            a, c = start + r, start + c_offset
            if (
                a < c  # the chunk's block holds each of its pairs twice: keep one
                and _accept(a, c, digits, units_n)
                and same_fact(normalised[a], normalised[c], frequency)
            ):
                pairs.add((min(a, c), max(a, c)))
    return pairs
