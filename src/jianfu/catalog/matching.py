"""The list classifier: which list a piece of work (or a certificate request) falls under.

Pure Python, no Django: the DB layer (``classify.py``), the CLI, the eval and the benchmark all build a
``MatchIndex`` from ``MatchItem`` rows and call ``classify``. Nothing here knows any county's item texts.

How a text is scored:
1. Both sides are normalised the same way: NFKC; every term of a synonym group (data/synonyms.yaml)
   becomes one concept token; dates and numbers are cut; rjieba words that only wrap a task (请各村, 协助,
   开展, 做好, 工作, 相关 …) are dropped and generic actions (组织, 检查, 管理 …) count half. Features are
   the remaining words (with their sub-words: 农贸市场 also gives 农贸) and the character bigrams.
2. An item is indexed as units: its content and examples, each clause of them and each term of an
   enumeration ("A、B等X" gives AX and BX). bm25s indexes the units; its inverted lists also give, for every
   unit at once (numpy), the IDF-weighted share of the text the unit covers and the share of the unit the
   text covers. Their F-measure, over words and over bigrams, is blended with a rapidfuzz character
   similarity for the best candidates (by F-measure and by BM25); an item scores as its best unit.
3. Verdict: if no item reaches ``MATCH_THRESHOLD`` the text is unlisted and must go through admission. A
   forbidding item (negative list, forbidden certificate) that matches wins unless an allowed item is
   better by more than ``FORBID_MARGIN``. Between duty and assist the better one wins; a text that asks
   to 协助/配合 gives assist items a small bonus.
"""

import logging
import math
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import bm25s
import numpy as np
import rjieba
import yaml
from rapidfuzz import fuzz

# bm25s sets its own logger to DEBUG on import and logs every index build; keep it quiet.
logging.getLogger("bm25s").setLevel(logging.WARNING)

MODES = {
    "work": ("duty", "assist", "negative", "admitted"),
    "certificate": ("certificate_allowed", "certificate_forbidden"),
}
FORBIDDING = frozenset({"negative", "certificate_forbidden"})
VERDICT_FOR_KIND = {
    "duty": "duty",
    "assist": "assist",
    "negative": "negative",
    "admitted": "admitted",  # work admitted through the admission procedure (准入) for this scope
    "certificate_allowed": "cert_allowed",
    "certificate_forbidden": "cert_forbidden",
}
UNLISTED = "unlisted"

# Calibrated on tests/data/classify_dev.jsonl, tuned on each half and checked on the other; the values
# sit inside a plateau (``python -m bench.eval_classifier --sweep``). Scores are shares of IDF weight,
# not raw BM25, so they mean the same for a list of 50 items or of 5,000.
MATCH_THRESHOLD = 0.24  # no item this good: unlisted
FORBID_THRESHOLD = 0.3  # a forbidding item this good wins ...
FORBID_MARGIN = 0.2  # ... unless an allowed item is better by more than this
ASSIST_CUE_BONUS = 0.1  # 协助/配合 in the text tips duty-or-assist towards assist (never the threshold)
BETA2 = 2.0  # F-measure: weight of unit coverage against text coverage
W_WORDS, W_BIGRAMS, W_CHARS = 0.36, 0.54, 0.1
GENERIC_WEIGHT = 0.5
GENERIC_ONLY_FACTOR = 0.6  # a unit that shares no specific word with the text
MIN_MASS = 0.8  # unit coverage divides by at least this share of a rare word's weight
UNKNOWN_WEIGHT = 0.8  # a word no list item uses, relative to the rarest word that one uses
CLAUSE_FACTOR = 0.95  # a clause of an item's content or example, alone
ENUM_FACTOR = 0.9  # one term of an enumeration
ENUM_PARALLEL = 2.0  # an enumeration without 等 is split only when its terms are this alike in length
CANDIDATES = 24  # best units by F-measure and by BM25 that get the character similarity
MIN_QUERY_CHARS = 2

DEFAULT_SYNONYMS = Path(__file__).resolve().parents[3] / "data" / "synonyms.yaml"

_MARKER_BASE = 0xE000  # concept tokens are private-use characters
_MARKER_LO, _MARKER_HI = "\ue000", "\uf8ff"
_MARKERS = re.compile("([\ue000-\uf8ff])")
_SEPARATOR_CHARS = frozenset(" \t\r\n\u3000,.;:!?，。；：！？、“”‘’\"'()（）[]【】《》<>〈〉{}—–-_·…/\\|~～")
_NUMBERS = re.compile(r"[0-9]+[0-9.]*[年月日号周天个岁%‰]?|第[0-9一二三四五六七八九十]+[次批项条]?")
_WRAPPERS = re.compile(
    r"请?各(?:个)?(?:行政村|村民小组|村委会|居委会|村居|村\(社区\)|村\(居\)|社区\(村\)|社区|村|乡镇\(街道\)|乡镇|街道)"
    r"|关于|的通知|限期|之前|以前|月底前?|年底前?|本周[一二三四五六日]?前?"
)
_NOTES = re.compile(r"[(（][^()（）]*[)）]")
_CLAUSE_SEPARATORS = re.compile(r"[，,；;。：:]")
_ASSIST_CUE = re.compile("协助|配合|协同|协办|帮助")
# Words that wrap a task rather than say what it is, legal boilerplate and request phrasing.
STOPWORDS = frozenset(
    """
    请 各 要 应 应当 可以 需要 要求 务必 必须 希望 麻烦 帮 帮忙 帮我 给 给我 我 我们 我家 你们 他 她 本人 一下 一个 这个
    那个 什么 能否 能不能 可不可以 是否 用 要用 用于 使用 的 了 和 与 及 以及 或 或者 等 等等 并 对 为 在 把 将 于 由 向
    协助 配合 协同 协办 帮助 开展 做好 搞好 抓好 落实 进行 负责 完成 工作 相关 有关 事项 任务 情况 具体 认真 切实 扎实
    积极 及时 按时 全面 进一步 加强 推进 推动 确保 通知 方案 专项 行动 上报 报送 汇总 填报 统一 每天 每周 每月 定期
    年度 本年度 今年 全年 本周 牵头 安排 依法 依照 按照 根据 规定 其他 多种 形式 主要 所属 范围 区域 本 内 辖区 辖区内
    本辖区 社区 村 村里 村委会 居委会 村民委员会 居民委员会 社区组织 村级组织 村级 乡镇 街道 街道办 街道办事处 办事处
    乡镇人民政府 人民政府 政府 派出机关 有关部门 相关部门 部门 各级 当地 本地 所在地 地方 居民 群众 居民群众 村民
    开具 出具 开 开个 开一个 出 出个 出一个 证明 办理 办 一份 份 立即 马上 尽快 目前 现在 已经 一直 好几年 多年 几年
    每个 每户 至少 所有 全部 各项 一些 有些 某 某个 这些 那些
    """.split()
)
# Generic actions say how, not what: they count half, so sharing only them is not a match.
GENERIC_WORDS = frozenset(
    """
    组织 参加 参与 开展 维护 管理 服务 建设 宣传 教育 检查 统计 登记 排查 整治 治理 监督 监管 指导 活动 发现 报告 实施
    提供 促进 保障 处理 核查 核实 收集 调查 走访 信息 日常 发放 申报 审核 协调 动员 引导 支持 帮扶 预防 防治 普及 知识
    措施 机制 制度 建立 健全 设立 成立 人员 对象 单位 家庭 公共 安全 生活 工作人员 合法权益 权益 相关知识
    """.split()
)
_FUNCTION_CHARS = frozenset(
    "的了和与及或等并对为在把将于由向之其而且也都就所以被让使请各要应给我你他她它们是有个份前底"
)


@dataclass(frozen=True)
class MatchItem:
    """One list item as the classifier sees it."""

    kind: str  # duty | assist | negative | admitted | certificate_allowed | certificate_forbidden
    list_id: int | str
    list_title: str
    code: str
    content: str
    examples: tuple[str, ...] = ()  # a negative category's concrete examples; matched too
    legal_basis: str = ""  # already formatted: 《…》第三条；《…》第五条
    category: str = ""


@dataclass(frozen=True)
class Match:
    item: MatchItem
    score: float
    matched_text: str  # the content, example or clause of them that matched best


@dataclass(frozen=True)
class Verdict:
    verdict: (
        str  # duty | assist | negative | admitted | unlisted, or cert_allowed | cert_forbidden | unlisted
    )
    confidence: float
    matches: tuple[Match, ...]
    explanation: str  # Chinese, one sentence


def _normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").lower().strip()


@lru_cache(maxsize=8)
def _read_groups(path: str) -> tuple[tuple[str, ...], ...]:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    groups = []
    for n, group in enumerate(data.get("groups") or [], start=1):
        terms = tuple(dict.fromkeys(_normalise(str(t)) for t in group if str(t).strip()))
        if len(terms) < 2:
            raise ValueError(f"{path}: group {n} needs at least two terms: {group!r}")
        groups.append(terms)
    return tuple(groups)


def load_synonyms(path=None) -> dict[str, tuple[str, ...]]:
    """Each term of the table mapped to the other terms of its group, first term first."""
    synonyms: dict[str, tuple[str, ...]] = {}
    for group in _read_groups(str(path or DEFAULT_SYNONYMS)):
        for term in group:
            others = tuple(t for t in group if t != term)
            synonyms[term] = tuple(dict.fromkeys(synonyms.get(term, ()) + others))
    return synonyms


def _trie_pattern(words: Iterable[str]) -> str:
    """One regex alternation shaped as a trie: fast, and longest match first at each position."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = True

    def emit(node: dict) -> str:
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(trie)


@lru_cache(maxsize=65536)
def _sub_words(token: str) -> tuple[str, ...]:
    return tuple(t for t in rjieba.cut_for_search(token) if t != token and t not in STOPWORDS)


@dataclass(frozen=True)
class _Analysis:
    words: tuple[str, ...]
    bigrams: tuple[str, ...]
    chars: str  # concept-marked, stopword-free text for the character similarity
    assist_cue: bool


class _Analyzer:
    """Text to concept-marked word and bigram features, the same for items and queries."""

    def __init__(self, synonyms: tuple[tuple[str, tuple[str, ...]], ...]):
        concept: dict[str, int] = {}
        self.names: list[str] = []
        for term, others in synonyms:  # groups sharing a term become one concept
            group = [_normalise(t) for t in (term, *others)]
            ids = {concept[t] for t in group if t in concept}
            target = min(ids) if ids else len(self.names)
            if not ids:
                self.names.append(group[0])
            for t, cid in concept.items():
                if cid in ids:
                    concept[t] = target
            concept.update((t, target) for t in group if t)
        self._marker = {t: chr(_MARKER_BASE + cid) for t, cid in concept.items()}
        self._synonym_re = re.compile(_trie_pattern(self._marker)) if self._marker else None

    def concept_name(self, token: str) -> str:
        return self.names[ord(token) - _MARKER_BASE] if _MARKERS.fullmatch(token) else token

    def analyze(self, text: str) -> _Analysis:
        text = _normalise(text)
        cue = bool(_ASSIST_CUE.search(text))
        text = _NUMBERS.sub("|", text)
        if self._synonym_re is not None:
            text = self._synonym_re.sub(lambda m: self._marker[m.group()], text)
        words: list[str] = []
        bigrams: list[str] = []
        segments: list[str] = []
        run: list[str] = []  # kept tokens of the current segment
        for token in rjieba.cut(_WRAPPERS.sub("|", text)):
            first = token[0]
            if first in _SEPARATOR_CHARS:
                _flush(run, segments, bigrams)
            elif len(token) == 1 and _MARKER_LO <= first <= _MARKER_HI:
                run.append(token)
                words.append(token)
            elif token in STOPWORDS:
                continue
            elif len(token) == 1:
                if token not in _FUNCTION_CHARS:
                    run.append(token)
            else:
                run.append(token)
                words.append(token)
                if len(token) > 2:  # 农贸市场 also matches 农贸 and 市场
                    words.extend(_sub_words(token))
        _flush(run, segments, bigrams)
        return _Analysis(tuple(dict.fromkeys(words)), tuple(dict.fromkeys(bigrams)), " ".join(segments), cue)


def _flush(run: list[str], segments: list[str], bigrams: list[str]) -> None:
    """End a segment: its text for the character similarity, its bigrams (a concept stands alone)."""
    if not run:
        return
    segments.append("".join(run))
    chain = ""
    for token in run:
        if len(token) == 1 and _MARKER_LO <= token <= _MARKER_HI:
            bigrams.append(token)
            bigrams.extend(chain[i : i + 2] for i in range(len(chain) - 1))
            chain = ""
        else:
            chain += token
    bigrams.extend(chain[i : i + 2] for i in range(len(chain) - 1))
    run.clear()


@lru_cache(maxsize=4)
def _analyzer_for(synonyms: tuple) -> _Analyzer:
    return _Analyzer(synonyms)


def _strip_notes(text: str) -> str:
    """Without bracketed notes: "农村土地承包经营情况证明（村集体作为发包方）" is matched without them too."""
    return _NOTES.sub("", text).strip()


def _clauses(text: str) -> list[str]:
    """The clauses of a note-free text, when it has more than one."""
    parts = [re.sub(r"等$", "", p.strip()) for p in _CLAUSE_SEPARATORS.split(text)]
    parts = [p for p in parts if p]
    return parts if len(parts) > 1 else []


def _enumeration(clause: str) -> list[str]:
    """Enumerations: "A、B、C等X" gives AX, BX, CX; parallel terms ("民主选举、民主协商") give each term, but not
    "住宅小区、居民自建房安全隐患排查整治", whose tail belongs to both."""
    parts = [p for p in clause.split("、") if p]
    if len(parts) < 2:
        return []
    head, sep, tail = parts[-1].partition("等")
    if sep and tail:
        return [p + tail for p in (*parts[:-1], head)]
    lengths = [len(p) for p in parts]
    return parts if max(lengths) <= ENUM_PARALLEL * min(lengths) else []


def _merge(analyses: list[_Analysis]) -> _Analysis:
    """The analysis of clauses joined by separators is the union of theirs."""
    return _Analysis(
        tuple(dict.fromkeys(w for a in analyses for w in a.words)),
        tuple(dict.fromkeys(b for a in analyses for b in a.bigrams)),
        " ".join(a.chars for a in analyses if a.chars),
        any(a.assist_cue for a in analyses),
    )


def _item_units(item: MatchItem, analyze) -> Iterator[tuple[str, float, _Analysis]]:
    """(text, score factor, analysis) of each unit an item is matched by: its content and examples (with
    and without bracketed notes), each of their clauses and each term of an enumeration in a clause."""
    for whole in (t.strip() for t in (item.content, *item.examples)):
        bare = _strip_notes(whole)
        clauses = [(c, analyze(c)) for c in _clauses(bare)]
        merged = _merge([a for _, a in clauses]) if clauses else analyze(bare)
        yield bare, 1.0, merged
        if whole != bare:
            yield whole, 1.0, analyze(whole)
        for clause, analysis in clauses or [(bare, merged)]:
            yield clause, CLAUSE_FACTOR, analysis
            for part in _enumeration(clause):
                yield part, ENUM_FACTOR, analyze(part)


def _bm25s_lists(docs: list[tuple[str, ...]]) -> tuple[dict[str, int], np.ndarray, np.ndarray, np.ndarray]:
    """bm25s's index of ``docs``: vocabulary and the inverted lists (CSC: indptr, units, BM25 weights)."""
    retriever = bm25s.BM25()
    retriever.index([list(d) for d in docs], show_progress=False)
    scores = retriever.scores
    return retriever.vocab_dict, scores["indptr"], scores["indices"], scores["data"]


def _numpy_lists(docs: list[tuple[str, ...]], k1: float = 1.5, b: float = 0.75):
    """The same lists built with numpy alone, for the many short bigram documents (each feature once per
    unit, so tf = 1). bm25s's per-document loop would double the build time for no other gain."""
    vocab: dict[str, int] = {}
    ids = np.array([vocab.setdefault(f, len(vocab)) for doc in docs for f in doc], dtype=np.int64)
    lengths = np.array([len(doc) for doc in docs], dtype=np.int64)
    units = np.repeat(np.arange(len(docs), dtype=np.int32), lengths)
    order = np.argsort(ids, kind="stable")
    indptr = np.concatenate(([0], np.cumsum(np.bincount(ids, minlength=len(vocab)))))
    df = np.diff(indptr)
    idf = np.log1p((len(docs) - df + 0.5) / (df + 0.5))  # Lucene's BM25 idf, as bm25s uses
    norm = k1 * (1 - b + b * lengths / max(lengths.mean(), 1e-9))
    weights = np.repeat(idf, df) * (k1 + 1) / (1 + norm[units[order]])
    return vocab, indptr, units[order], weights.astype(np.float32)


class _Features:
    """One feature family over the units: inverted lists with BM25 weights, IDF over items, unit weight."""

    def __init__(self, lists, unit_item: np.ndarray, n_items: int, n_units: int):
        self.vocab, self.indptr, self.indices, self.bm25_weight = lists
        n_terms = len(self.indptr) - 1
        term_of_entry = np.repeat(np.arange(n_terms), np.diff(self.indptr))
        # Document frequency counts items, not units: an item's clauses repeat its content.
        items = max(n_items, 1)
        pairs = np.unique(term_of_entry.astype(np.int64) * items + unit_item[self.indices])
        df = np.bincount(pairs // items, minlength=n_terms)
        generic = np.ones(n_terms)
        for word in GENERIC_WORDS & self.vocab.keys():
            if self.vocab[word] < n_terms:
                generic[self.vocab[word]] = GENERIC_WEIGHT
        self.idf = np.log1p((items - df + 0.5) / (df + 0.5)) * generic
        self.generic = generic < 1.0
        self.unknown_idf = UNKNOWN_WEIGHT * math.log1p((items + 0.5) / 0.5)
        mass = np.bincount(self.indices, weights=self.idf[term_of_entry], minlength=n_units)
        self.unit_mass = np.maximum(mass, MIN_MASS * math.log1p((items - 0.5) / 1.5))
        self.n_terms, self.n_units = n_terms, n_units

    def score(self, features: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """For every unit: F-measure of text and unit coverage, BM25, and whether a specific (not
        generic) feature is shared."""
        shared, bm25 = np.zeros(self.n_units), np.zeros(self.n_units)
        specific = np.zeros(self.n_units, dtype=bool)
        query_mass = 0.0
        for f in features:
            t = self.vocab.get(f)
            if t is None or t >= self.n_terms:
                query_mass += self.unknown_idf * (GENERIC_WEIGHT if f in GENERIC_WORDS else 1.0)
                continue
            lo, hi = self.indptr[t], self.indptr[t + 1]
            units = self.indices[lo:hi]
            shared[units] += self.idf[t]
            bm25[units] += self.bm25_weight[lo:hi]
            if not self.generic[t]:
                specific[units] = True
            query_mass += self.idf[t]
        if query_mass == 0:
            return shared, bm25, specific
        precision = shared / query_mass
        recall = shared / self.unit_mass
        denominator = BETA2 * precision + recall
        f = np.divide(
            (1 + BETA2) * precision * recall, denominator, out=np.zeros_like(shared), where=denominator > 0
        )
        return f, bm25, specific


class MatchIndex:
    """The items of the lists in force, their units and the feature indexes; build with ``build_index``."""

    def __init__(self, items: Iterable[MatchItem], synonyms: dict[str, tuple[str, ...]]):
        self.items: tuple[MatchItem, ...] = tuple(items)
        self.analyzer = _analyzer_for(tuple(synonyms.items()))
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
        if analyses:
            n = len(analyses)
            self.words = _Features(
                _bm25s_lists([a.words for a in analyses]), self.unit_item, len(self.items), n
            )
            bigram_lists = _numpy_lists([a.bigrams for a in analyses])
            self.bigrams = _Features(bigram_lists, self.unit_item, len(self.items), n)

    def _units(self):
        unit_item, factors, texts, analyses = [], [], [], []
        cache: dict[str, _Analysis] = {}

        def analyze(text: str) -> _Analysis:
            if text not in cache:
                cache[text] = self.analyzer.analyze(text)
            return cache[text]

        for n, item in enumerate(self.items):
            seen: dict[tuple, int] = {}
            for text, factor, analysis in _item_units(item, analyze):
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

    def __len__(self) -> int:
        return len(self.items)

    def _mask(self, kinds: tuple[str, ...]) -> np.ndarray:
        if kinds not in self._masks:
            codes = [n for n, k in enumerate(self._kinds) if k in kinds]
            self._masks[kinds] = np.isin(self.unit_kind, codes)
        return self._masks[kinds]

    def unit_scores(self, text: str, kinds: tuple[str, ...]) -> tuple[_Analysis, np.ndarray, np.ndarray]:
        """The text's analysis, the candidate units (only of ``kinds``) and their scores."""
        query = self.analyzer.analyze(text)
        if self.words is None or not (query.words or query.bigrams):
            return query, np.zeros(0, dtype=np.int64), np.zeros(0)
        fw, bw, specific = self.words.score(query.words)
        fb, bb, _ = self.bigrams.score(query.bigrams)
        mask = self._mask(kinds)
        lexical = (W_WORDS * fw + W_BIGRAMS * fb) / (W_WORDS + W_BIGRAMS) * mask
        lexical[~specific] *= GENERIC_ONLY_FACTOR  # sharing only 组织、参加、检查 … is no match
        bm25 = (bw + bb) * mask
        k = min(CANDIDATES, len(lexical))
        pool = np.union1d(np.argpartition(-lexical, k - 1)[:k], np.argpartition(-bm25, k - 1)[:k])
        pool = pool[lexical[pool] > 0]
        chars = np.array([fuzz.partial_ratio(query.chars, self.unit_chars[u]) for u in pool]) / 100.0
        scores = ((1.0 - W_CHARS) * lexical[pool] + W_CHARS * chars) * self.unit_factor[pool]
        return query, pool, scores

    def classify(self, text: str, *, mode: str = "work", top: int = 3) -> Verdict:
        """The verdict on ``text`` in ``mode`` "work" or "certificate", with the ``top`` best matches."""
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}: use 'work' or 'certificate'")
        if len(re.sub(r"\W", "", _normalise(text))) < MIN_QUERY_CHARS:
            return Verdict(
                UNLISTED, 1.0, (), "输入内容为空或过短，无法与清单比对，按清单外事项处理，须经准入审核。"
            )
        query, pool, scores = self.unit_scores(text, MODES[mode])
        return _decide(self._best_per_item(pool, scores), mode, max(top, 1), query.assist_cue)

    def _best_per_item(self, pool: np.ndarray, scores: np.ndarray) -> list[Match]:
        best: dict[int, Match] = {}
        for unit, score in zip(pool.tolist(), scores.tolist(), strict=True):
            n = int(self.unit_item[unit])
            if n not in best or score > best[n].score:
                best[n] = Match(self.items[n], round(min(score, 1.0), 4), self.unit_text[unit])
        return sorted(best.values(), key=lambda m: -m.score)


def build_index(items: Iterable[MatchItem], synonyms=None) -> MatchIndex:
    """Index list items for ``classify``; ``synonyms`` defaults to data/synonyms.yaml."""
    return MatchIndex(items, load_synonyms() if synonyms is None else synonyms)


def _decide(matches: list[Match], mode: str, top: int, assist_cue: bool) -> Verdict:
    best = {}
    for m in matches:  # sorted best first
        best.setdefault(m.item.kind, m)
    forbid = max((best[k] for k in best if k in FORBIDDING), key=lambda m: m.score, default=None)
    allowed = max((best[k] for k in best if k not in FORBIDDING), key=lambda m: m.score, default=None)
    if not matches or matches[0].score < MATCH_THRESHOLD:
        nearest = matches[0] if matches else None
        return Verdict(
            UNLISTED, _unlisted_confidence(nearest), tuple(matches[:top]), _explain_unlisted(mode, nearest)
        )
    if forbid and _forbidding_wins(forbid.score, allowed.score if allowed else 0.0):
        chosen = forbid
    elif "duty" in best and "assist" in best:
        cue = ASSIST_CUE_BONUS if assist_cue else 0.0
        chosen = best["assist"] if best["assist"].score + cue > best["duty"].score else best["duty"]
    else:
        chosen = allowed
    others = [m for m in matches if m is not chosen]
    verdict = VERDICT_FOR_KIND[chosen.item.kind]
    rival = max((m.score for m in others if VERDICT_FOR_KIND[m.item.kind] != verdict), default=0.0)
    return Verdict(verdict, _confidence(chosen.score, rival), (chosen, *others[: top - 1]), _explain(chosen))


def _forbidding_wins(forbid: float, allowed: float) -> bool:
    """A forbidding item that matches wins alone, and over an allowed item unless that one is clearly better."""
    if forbid < MATCH_THRESHOLD:
        return False
    return allowed < MATCH_THRESHOLD or (forbid >= FORBID_THRESHOLD and forbid >= allowed - FORBID_MARGIN)


def _confidence(score: float, rival: float) -> float:
    """High when the match is strong and the best item of another verdict is well behind."""
    strength = min(1.0, 0.5 + (score - MATCH_THRESHOLD) / (1.0 - MATCH_THRESHOLD))
    gap = min(1.0, max(0.0, score - rival) / 0.2)
    return round(max(0.05, 0.6 * strength + 0.4 * gap), 3)


def _unlisted_confidence(nearest: Match | None) -> float:
    if nearest is None:
        return 1.0
    return round(max(0.05, min(1.0, 0.5 + (MATCH_THRESHOLD - nearest.score) / MATCH_THRESHOLD)), 3)


def _quote(text: str) -> str:
    return text.strip().rstrip("。；;，,").replace("。", "；")  # the explanation stays one sentence


def _item_ref(item: MatchItem) -> str:
    return f"《{item.list_title}》{item.code}“{_quote(item.content)}”"


def _explain(match: Match) -> str:
    item = match.item
    ref = _item_ref(item)
    content = item.content.strip()
    if match.matched_text not in (content, _strip_notes(content)):
        ref += f"中的“{_quote(match.matched_text)}”"
    basis = f"（依据{item.legal_basis}）" if item.legal_basis else ""
    if item.kind == "negative":
        return f"该事项与负面清单{ref}相符，不应交由村（社区）承担，应由有关部门依职责自行办理。"
    if item.kind == "duty":
        return f"该事项属于依法履职事项清单{ref}{basis}，由村（社区）依法办理，无需另行准入。"
    if item.kind == "assist":
        return f"该事项属于依法协助事项清单{ref}{basis}，村（社区）依法协助，交办部门应提供经费和工作条件。"
    if item.kind == "admitted":
        return f"该事项已经审核准入（{ref}），村（社区）应按工作告知单执行，交办部门应落实人员和经费。"
    if item.kind == "certificate_forbidden":
        return (
            f"该证明属于{ref}，村（社区）不予出具，应引导群众通过数据共享查询、部门核查或书面承诺等方式办理。"
        )
    return f"该证明属于可出具证明事项清单{ref}{basis}，村（社区）可据实出具。"


def _explain_unlisted(mode: str, nearest: Match | None) -> str:
    near = (
        f"最接近的{_item_ref(nearest.item)}相似度仅{nearest.score:.2f}" if nearest else "没有相近的清单事项"
    )
    if mode == "certificate":
        return f"该证明不在可出具和不予出具证明事项清单之内（{near}），须经审核确认后再决定是否出具。"
    return f"该事项不在依法履职、依法协助和负面清单之内（{near}），须经准入审核批准后方可交由村（社区）承担。"
