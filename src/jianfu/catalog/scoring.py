"""Feature families over the indexed units, scored for every unit at once with numpy.

``Features`` keeps one family's inverted lists (BM25 weights from bm25s, IDF counted over items) and scores a
text against every unit: the F-measure of the share of the text the unit covers and the share of the unit
the text covers. ``SoftLinks`` lets a text word also meet the indexed words that mean nearly the same
(word vectors and 词林 groups of ``semantic.Lexicon``), at the weight of their similarity. Pure numpy.
"""

import math
from dataclasses import dataclass

import bm25s
import numpy as np
from threadpoolctl import threadpool_limits

from .analysis import GENERIC_WORDS, is_marker
from .semantic import CILIN_SIMILARITY, Lexicon

# The classifier's matrix products are small (a text against 20,000 units of 64 numbers): BLAS threads only
# contend with the web server's own, and on a busy two-core machine made them eighty times slower. One
# thread per process, set once when the classifier is first imported.
threadpool_limits(limits=1, user_api="blas")


def bm25s_lists(docs: list[tuple[str, ...]]) -> tuple[dict[str, int], np.ndarray, np.ndarray, np.ndarray]:
    """bm25s's index of ``docs``: vocabulary and the inverted lists (CSC: indptr, units, BM25 weights)."""
    retriever = bm25s.BM25()
    retriever.index([list(d) for d in docs], show_progress=False)
    scores = retriever.scores
    return retriever.vocab_dict, scores["indptr"], scores["indices"], scores["data"]


def numpy_lists(docs: list[tuple[str, ...]], k1: float = 1.5, b: float = 0.75):
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


@dataclass(frozen=True)
class Shape:
    """The scoring numbers ``Features`` needs (from ``MatchSettings``)."""

    beta2: float
    generic_weight: float
    min_mass: float
    unknown_weight: float


class SoftLinks:
    """Which indexed words are near a text word: cosine of word vectors, or one 词林 group (fifth level).

    Candidates come from the reduced vectors (one small matrix product), their cosine from the full ones;
    a word's neighbours are remembered, since texts keep using the same words."""

    CACHE = 20_000

    def __init__(
        self, vocab: dict[str, int], n_terms: int, lexicon: Lexicon, min_similarity: float, top: int
    ):
        self.lexicon, self.min_similarity, self.top = lexicon, min_similarity, top
        linked = [
            (t, lexicon.row[w]) for w, t in vocab.items() if t < n_terms and _linkable(w) and w in lexicon.row
        ]
        self.terms = np.array([t for t, _ in linked], dtype=np.int64)
        self.rows = np.array([r for _, r in linked], dtype=np.int64)
        self.reduced_t = np.ascontiguousarray(lexicon.reduced[self.rows].T) if linked else None
        self.by_code: dict[str, list[int]] = {}
        for word, t in vocab.items():
            if t < n_terms and _linkable(word) and not lexicon.is_function_word(word):
                for code in lexicon.codes.get(word, ()):
                    self.by_code.setdefault(code, []).append(t)
        self._known: dict[str, dict[int, float]] = {}

    def neighbours(self, words: tuple[str, ...], vocab: dict[str, int]) -> list[dict[int, float]]:
        """For each word, the indexed terms near it (not itself) and their similarity."""
        missing = [
            w
            for w in dict.fromkeys(words)
            if w not in self._known and _linkable(w) and not self.lexicon.is_function_word(w)
        ]
        if missing:
            found = self._find(missing, vocab)
            if len(self._known) > self.CACHE:
                self._known.clear()
            self._known.update(zip(missing, found, strict=True))
        return [self._known.get(w, {}) for w in words]

    def _find(self, words: list[str], vocab: dict[str, int]) -> list[dict[int, float]]:
        result: list[dict[int, float]] = [{} for _ in words]
        rows = [(n, self.lexicon.row[w]) for n, w in enumerate(words) if w in self.lexicon.row]
        if rows and self.reduced_t is not None:
            rough = self.lexicon.reduced[[r for _, r in rows]] @ self.reduced_t
            wide = min(4 * self.top, rough.shape[1])
            for (n, row), line in zip(rows, rough, strict=True):
                picked = np.argpartition(-line, wide - 1)[:wide]
                exact = self.lexicon.vectors[self.rows[picked]] @ self.lexicon.vectors[row]
                keep = np.flatnonzero(exact >= self.min_similarity)
                keep = keep[np.argsort(-exact[keep])][: self.top]
                result[n].update(zip(self.terms[picked[keep]].tolist(), exact[keep].tolist(), strict=True))
        for n, word in enumerate(words):
            for code in self.lexicon.codes.get(word, ()):
                for t in self.by_code.get(code, ()):
                    result[n][t] = max(result[n].get(t, 0.0), CILIN_SIMILARITY)
            result[n].pop(vocab.get(word), None)
        return result


def _linkable(word: str) -> bool:
    """Words worth a semantic link: two characters or more, not a concept token, not a generic action."""
    return len(word) >= 2 and not is_marker(word[0]) and word not in GENERIC_WORDS


class Features:
    """One feature family over the units: inverted lists with BM25 weights, IDF over items, unit weight."""

    def __init__(self, lists, unit_item: np.ndarray, n_items: int, n_units: int, shape: Shape):
        self.vocab, self.indptr, self.indices, self.bm25_weight = lists
        self.shape = shape
        n_terms = len(self.indptr) - 1
        term_of_entry = np.repeat(np.arange(n_terms), np.diff(self.indptr))
        # Document frequency counts items, not units: an item's clauses repeat its content.
        items = max(n_items, 1)
        pairs = np.unique(term_of_entry.astype(np.int64) * items + unit_item[self.indices])
        df = np.bincount(pairs // items, minlength=n_terms)
        generic = np.ones(n_terms)
        for word in GENERIC_WORDS & self.vocab.keys():
            if self.vocab[word] < n_terms:
                generic[self.vocab[word]] = shape.generic_weight
        self.idf = np.log1p((items - df + 0.5) / (df + 0.5)) * generic
        self.generic = generic < 1.0
        self.unknown_idf = shape.unknown_weight * math.log1p((items + 0.5) / 0.5)
        mass = np.bincount(self.indices, weights=self.idf[term_of_entry], minlength=n_units)
        self.unit_mass = np.maximum(mass, shape.min_mass * math.log1p((items - 0.5) / 1.5))
        self.n_terms, self.n_units = n_terms, n_units
        self.soft: SoftLinks | None = None

    def link(self, lexicon: Lexicon, min_similarity: float, top: int) -> None:
        self.soft = SoftLinks(self.vocab, self.n_terms, lexicon, min_similarity, top)

    def weight_of(self, feature: str) -> float:
        """A feature's IDF here, or the weight of a word no item uses."""
        t = self._term(feature)
        if t is not None:
            return float(self.idf[t])
        return self.unknown_idf * (self.shape.generic_weight if feature in GENERIC_WORDS else 1.0)

    def _term(self, feature: str) -> int | None:
        t = self.vocab.get(feature)
        return None if t is None or t >= self.n_terms else t

    def score(self, features: tuple[str, ...], soft_factor: float = 0.0):
        """For every unit: F-measure of text and unit coverage, BM25, and whether a specific (not
        generic) feature is shared. With links, a word counts for a unit as its best exact-or-near term."""
        shared, bm25 = np.zeros(self.n_units), np.zeros(self.n_units)
        specific = np.zeros(self.n_units, dtype=bool)
        near = (
            self.soft.neighbours(features, self.vocab) if self.soft is not None and soft_factor > 0 else None
        )
        query_mass, exact = 0.0, []
        for n, f in enumerate(features):
            t = self._term(f)
            weight = self.unknown_idf * (self.shape.generic_weight if f in GENERIC_WORDS else 1.0)
            if t is not None:
                weight = self.idf[t]
            query_mass += weight
            if near and near[n]:
                self._add_best(t, near[n], weight, soft_factor, shared, bm25, specific)
            elif t is not None:
                exact.append(t)
        if exact:
            self._add_exact(np.array(exact, dtype=np.int64), shared, bm25, specific)
        if query_mass == 0:
            return shared, bm25, specific
        # Only the units the text shares something with score above 0: the F-measure is computed for them alone (a
        # text meets a few hundred of tens of thousands of units), the same numbers as over every unit.
        touched = np.flatnonzero(shared)
        hit = shared[touched]
        precision = np.minimum(hit / query_mass, 1.0)
        recall = np.minimum(hit / self.unit_mass[touched], 1.0)
        b2 = self.shape.beta2
        denominator = b2 * precision + recall
        f = np.zeros_like(shared)
        f[touched] = np.divide(
            (1 + b2) * precision * recall, denominator, out=np.zeros_like(hit), where=denominator > 0
        )
        return f, bm25, specific

    def _add_exact(self, terms: np.ndarray, shared, bm25, specific) -> None:
        """Words met exactly, all at once: their postings gathered into one array and summed per unit."""
        lo, hi = self.indptr[terms], self.indptr[terms + 1]
        lengths = hi - lo
        total = int(lengths.sum())
        if total == 0:
            return
        starts = np.repeat(lo - np.cumsum(lengths) + lengths, lengths)
        entries = starts + np.arange(total)
        units = self.indices[entries]
        shared += np.bincount(units, weights=np.repeat(self.idf[terms], lengths), minlength=self.n_units)
        bm25 += np.bincount(units, weights=self.bm25_weight[entries], minlength=self.n_units)
        specific[units[np.repeat(~self.generic[terms], lengths)]] = True

    def _add_best(self, t, near: dict[int, float], weight: float, factor: float, shared, bm25, specific):
        """One text word with near terms: each unit gets its best exact or near term (never their sum)."""
        terms = np.array(([t] if t is not None else []) + list(near), dtype=np.int64)
        scale = np.array(([1.0] if t is not None else []) + [s * factor for s in near.values()])
        values = scale * np.minimum(self.idf[terms], weight)
        if t is not None:
            values[0] = self.idf[t]
        lo, hi = self.indptr[terms], self.indptr[terms + 1]
        lengths = hi - lo
        total = int(lengths.sum())
        if total == 0:
            return
        entries = np.repeat(lo - np.cumsum(lengths) + lengths, lengths) + np.arange(total)
        units = self.indices[entries]
        bm25 += np.bincount(
            units, weights=np.repeat(scale, lengths) * self.bm25_weight[entries], minlength=self.n_units
        )
        specific[units[np.repeat(~self.generic[terms], lengths)]] = True
        # Each unit's best term: a scatter-max (ufunc.at is a C loop since numpy 1.25; sorting the entries by unit,
        # as this did before, cost more than the rest of the word's scoring). Units the word does not reach add 0.
        best = np.zeros(self.n_units)
        np.maximum.at(best, units, np.repeat(values, lengths))
        shared += best


class DenseUnits:
    """Each unit as one vector: the IDF-weighted sum of its words' reduced vectors (concept tokens by their
    name), unit length. A text is compared with every unit by one matrix product; what the cosine adds is
    meaning shared without shared words ("给没有工作的居民做失业登记" near "就业失业人员统计")."""

    def __init__(self, unit_words: list[tuple[str, ...]], weight_of, lexicon: Lexicon, name_of):
        self.lexicon, self.weight_of, self.name_of = lexicon, weight_of, name_of
        known: dict[str, tuple[int, float] | None] = {}  # each distinct word looked up once
        rows, units, weights = [], [], []
        for u, words in enumerate(unit_words):
            for word in words:
                if word not in known:
                    known[word] = self._row(word)
                found = known[word]
                if found is not None:
                    rows.append(found[0])
                    units.append(u)
                    weights.append(found[1])
        dim = lexicon.reduced.shape[1]
        matrix = np.zeros((len(unit_words), dim), dtype=np.float32)
        if rows:  # rows come unit by unit: one segment sum per unit (np.add.at would be ten times slower)
            units_arr = np.array(units)
            starts = np.flatnonzero(np.r_[True, units_arr[1:] != units_arr[:-1]])
            weighted = lexicon.reduced[rows] * np.array(weights, dtype=np.float32)[:, None]
            matrix[units_arr[starts]] = np.add.reduceat(weighted, starts, axis=0)
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        self.matrix = np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0)

    def _row(self, word: str) -> tuple[int, float] | None:
        name = self.name_of(word)
        row = self.lexicon.row.get(name)
        if row is None or len(name) < 2 or self.lexicon.is_function_word(name):
            return None
        return row, self.weight_of(word)

    def _rows(self, words: tuple[str, ...]):
        for word in words:
            found = self._row(word)
            if found is not None:
                yield found

    def cosines(self, words: tuple[str, ...]) -> np.ndarray:
        pairs = list(self._rows(words))
        if not pairs:
            return np.zeros(len(self.matrix), dtype=np.float32)
        weights = np.array([w for _, w in pairs], dtype=np.float32)
        vector = weights @ self.lexicon.reduced[[r for r, _ in pairs]]
        norm = float(np.linalg.norm(vector))
        return (
            self.matrix @ (vector / norm).astype(np.float32)
            if norm > 0
            else np.zeros(len(self.matrix), np.float32)
        )
