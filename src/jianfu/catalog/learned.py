"""A learned reading of a text's kind: a linear model (multinomial logistic regression) over hashed character
n-grams, the 词林 codes of the text's words and the mean of their word vectors (``semantic.Lexicon``).

It is trained only on what the project ships: every item of data/lists/ (content and examples, with its list's
kind: duty / assist / negative / certificates allowed or forbidden, the national layer included) and the tuned
rows of the evaluation sets (never a held-out half, never the frozen set). ``python -m jianfu.catalog.learned``
writes the weights to ``WEIGHTS`` (an .npz of plain arrays, read with ``allow_pickle=False``); the file is
committed, so the index build only reads it. Pure numpy, no Django.

``matching.relearn`` asks it, after ``decide`` and only when ``MatchSettings.learned`` is on (the default; a county
may turn it off, region setting ``catalog.learned_reading``; bench/README.md has the held-out figures), where the items alone decide least well: duty or assist once the
text is judged a committee's work; duty, assist or negative for work no item decided; allowed or forbidden for a
certificate no item settled. ``bench.eval_classifier --no-learned`` measures without it, ``--learned-cv`` cross-validates it.
It reads a text without who asks and whom at the head of a clause (``strip_framing``), in training and in use: the
tuned unlisted rows are nearly all requests ("请社区……"), so read, the wrapper taught it that a request is 清单外.
"""

import hashlib
import json
import re
import sys
import unicodedata
import zlib
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import rjieba

from .semantic import Lexicon

ROOT = Path(__file__).resolve().parents[3]
WEIGHTS = Path(__file__).resolve().parent / "data" / "learned.npz"
BUCKETS = 1 << 18  # hashed sparse features
DENSE = 64  # the reduced word vectors' dimension
CLASSES = ("duty", "assist", "negative", "unlisted", "cert_allowed", "cert_forbidden")
MODE_CLASSES = {"work": (0, 1, 2, 3), "certificate": (4, 5)}
KIND_CLASS = {
    "duty": "duty",
    "assist": "assist",
    "negative": "negative",
    "certificate_allowed": "cert_allowed",
    "certificate_forbidden": "cert_forbidden",
}
_CLEAN = re.compile(r"[\s0-9a-z,.;:!?，。；：！？、“”‘’\"'()（）\[\]【】《》<>〈〉{}—–\-_·…/\\|~～]+")


def _hash(feature: str) -> int:
    return zlib.crc32(feature.encode("utf-8")) % BUCKETS


# Who asks and whom, at the head of a clause: "请各社区……", "县住建局要求各村……", "近日，村两委……". They say nothing of
# what the work is, yet the tuned unlisted rows are nearly all worded as requests ("请社区……"), so read as features they
# taught the model that a request is unlisted work: "请各社区" before a duty item raised its unlisted probability by
# a fifth. Left out of what the model reads, in training and in use alike.
_ASKER = r"(?:[^，,。；;：:|]{0,16}?(?:局|办|所|委|中心|部门|站|队|街道|政府|党委|镇里|乡里|县里|区里)(?:下发通知|发文|印发通知|发函)?[，,]?)?"
_ASK = r"(?:近日|日前|近期|今年以来|连日来|目前)?[，,]?(?:请|要求|让|通知|务必|责令|安排|由)?"
_ASKED = (
    r"(?:各(?:个)?)?(?:村民委员会|居民委员会|村\(居\)民委员会|村委会|居委会|村两委|村\(社区\)|村\(居\)|社区\(村\)"
    r"|村居|村里|村级组织|网格员|村干部|社区干部|社区工作人员|行政村|社区(?=[^矫卫服戒康养医])|村(?=[^民规务庄级组集]))?"
)
_FRAMING = re.compile(rf"(?:^|(?<=[，,。；;：:]))(?:{_ASKER}(?=请|要求|让|通知|责令|安排))?{_ASK}{_ASKED}")


def strip_framing(text: str) -> str:
    """``text`` without who asks and whom at the head of each clause (see ``_FRAMING``)."""
    return _FRAMING.sub("", text)


def text_features(text: str, lexicon: Lexicon | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sparse hashed features (indices, values) and the dense mean word vector of a text, without who asks and
    whom (``strip_framing``). Deterministic: crc32, not Python's salted hash."""
    clean = _CLEAN.sub("|", strip_framing(unicodedata.normalize("NFKC", text).lower()))
    grams: dict[int, float] = {}
    for piece in clean.split("|"):
        for n in (1, 2, 3):
            for i in range(len(piece) - n + 1):
                grams[_hash(f"c{n}{piece[i : i + n]}")] = 1.0
    dense = np.zeros(DENSE, dtype=np.float32)
    if lexicon is not None:
        count = 0
        for word in rjieba.cut(clean.replace("|", "，")):
            if len(word) < 2:
                continue
            for code in lexicon.codes.get(word, ()):
                for size in (2, 4, 5):
                    grams[_hash(f"l{code[:size]}")] = 1.0
            row = lexicon.row.get(word)
            if row is not None and not lexicon.is_function_word(word):
                dense += lexicon.reduced[row]
                count += 1
        if count:
            dense /= max(float(np.linalg.norm(dense)), 1e-9)
    indices = np.fromiter(grams, dtype=np.int64, count=len(grams))
    values = np.full(len(indices), 1.0 / max(np.sqrt(len(indices)), 1.0), dtype=np.float32)
    return indices, values, dense


@dataclass(frozen=True)
class Model:
    weights: np.ndarray  # (len(CLASSES), BUCKETS) float32
    dense: np.ndarray  # (len(CLASSES), DENSE) float32
    bias: np.ndarray  # (len(CLASSES),) float32
    trained_on: str = (
        ""  # training_digest() of the rows it was trained on: the test of stale weights reads it
    )

    def logits(self, text: str, lexicon: Lexicon | None) -> np.ndarray:
        indices, values, dense = text_features(text, lexicon)
        return self.weights[:, indices] @ values + self.dense @ dense + self.bias

    def proba(self, text: str, mode: str, lexicon: Lexicon | None) -> dict[str, float]:
        """The probability of each verdict of ``mode`` (work: duty, assist, negative, unlisted)."""
        z = self.logits(text, lexicon)[list(MODE_CLASSES[mode])]
        p = np.exp(z - z.max())
        p /= p.sum()
        return {CLASSES[c]: float(v) for c, v in zip(MODE_CLASSES[mode], p, strict=True)}

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as fh:
            np.savez_compressed(
                fh,
                weights=self.weights.astype(np.float16),
                dense=self.dense,
                bias=self.bias,
                classes=np.array(CLASSES),
                buckets=np.array([BUCKETS]),
                trained_on=np.array([self.trained_on]),
            )


def load(path: Path = WEIGHTS) -> Model | None:
    """The shipped weights (plain arrays, no pickle), or None when the file is absent or not of this layout."""
    try:
        with np.load(path, allow_pickle=False) as data:
            if tuple(data["classes"].tolist()) != CLASSES or int(data["buckets"][0]) != BUCKETS:
                return None
            return Model(
                data["weights"].astype(np.float32),
                data["dense"].astype(np.float32),
                data["bias"].astype(np.float32),
                str(data["trained_on"][0]) if "trained_on" in data else "",
            )
    except (OSError, KeyError, ValueError):
        return None


_loaded: dict[str, Model | None] = {}


def shipped() -> Model | None:
    """The committed weights, once per process."""
    if "model" not in _loaded:
        _loaded["model"] = load()
    return _loaded["model"]


def train(
    texts: list[str],
    labels: list[str],
    lexicon: Lexicon | None,
    *,
    l2: float = 1e-3,
    steps: int = 300,
    rate: float = 0.5,
) -> Model:
    """Multinomial logistic regression by full-batch Adam over the sparse hashed rows (numpy only), each class
    weighted by the inverse of its count (the lists hold four forbidden certificates for one allowed, and no
    unlisted work at all); deterministic (no random start, no shuffling). ``l2`` and the weighting were chosen
    by cross-validation over the tuned rows (bench/README.md)."""
    k = len(CLASSES)
    feats = [text_features(t, lexicon) for t in texts]
    lengths = np.array([len(f[0]) for f in feats])
    rows = np.repeat(np.arange(len(texts)), lengths)
    cols = np.concatenate([f[0] for f in feats]) if feats else np.zeros(0, np.int64)
    vals = np.concatenate([f[1] for f in feats]).astype(np.float64) if feats else np.zeros(0)
    dense_x = np.stack([f[2] for f in feats]).astype(np.float64)
    y = np.zeros((len(texts), k))
    y[np.arange(len(texts)), [CLASSES.index(label) for label in labels]] = 1.0
    counts = y.sum(axis=0)
    sw = (y / np.maximum(counts, 1.0)).sum(axis=1)
    sw = sw / sw.sum()
    used = np.unique(cols)  # only the buckets training saw get weights
    local = np.searchsorted(used, cols)
    w = np.zeros((k, len(used)))
    d = np.zeros((k, DENSE))
    b = np.zeros(k)
    params = [w, d, b]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    for step in range(1, steps + 1):
        z = np.zeros((len(texts), k))
        contrib = w[:, local].T * vals[:, None]  # (nnz, k)
        nonempty = lengths > 0
        z[nonempty] = np.add.reduceat(contrib, starts[nonempty], axis=0)
        z += dense_x @ d.T + b
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        g = (p - y) * sw[:, None]  # (n, k)
        gw = np.stack([np.bincount(local, weights=vals * g[rows, c], minlength=len(used)) for c in range(k)])
        grads = [gw + l2 * w, g.T @ dense_x + l2 * d, g.sum(axis=0)]
        for n, (param, grad) in enumerate(zip(params, grads, strict=True)):
            m[n] = 0.9 * m[n] + 0.1 * grad
            v[n] = 0.999 * v[n] + 0.001 * grad * grad
            hat_m, hat_v = m[n] / (1 - 0.9**step), v[n] / (1 - 0.999**step)
            param -= rate * 0.01 * hat_m / (np.sqrt(hat_v) + 1e-8)
    weights = np.zeros((k, BUCKETS), dtype=np.float32)
    weights[:, used] = w
    return Model(weights, d.astype(np.float32), b.astype(np.float32))


# Training data: what the project ships.

TUNED_SETS = (
    "classify_dev",
    "classify_dev_real",
    "classify_dev_wild",
    "classify_dev_fresh",
    "classify_dev_round7",
)


def list_rows(directory: Path = ROOT / "data" / "lists") -> list[tuple[str, str]]:
    """(text, class) for every list item's content and examples, every text version (the national layer too)."""
    import yaml

    rows: dict[tuple[str, str], None] = {}
    for path in sorted(directory.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        kind = data["list"]["kind"]
        for item in data.get("items") or ():
            side = kind
            if kind == "undertaken":
                side = item.get("treated_as") if item.get("treated_as") in ("duty", "assist") else "assist"
            label = KIND_CLASS.get(side)
            if label is None:
                continue
            for text in (item["content"], *(item.get("examples") or ())):
                rows[(str(text), label)] = None
    return list(rows)


def tuned_rows(directory: Path = ROOT / "tests" / "data") -> list[dict]:
    """The tuned rows of the evaluation sets: a split set's ``hold`` half is never read."""
    rows = []
    for name in TUNED_SETS:
        path = directory / f"{name}.jsonl"
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                if row.get("split", "tune") == "tune":
                    rows.append(row)
    return rows


def training_data(dev_rows: list[dict], lists: list[tuple[str, str]]):
    texts = [t for t, _ in lists] + [r["text"] for r in dev_rows]
    labels = [c for _, c in lists] + [r["label"] for r in dev_rows]
    return texts, labels


def training_digest(texts: list[str], labels: list[str]) -> str:
    """A digest of the training rows: the weights keep it, so a change of a list or a tuned set without
    ``python -m jianfu.catalog.learned`` fails ``test_shipped_weights_are_trained_on_what_ships``."""
    digest = hashlib.sha256()
    for text, label in zip(texts, labels, strict=True):
        digest.update(f"{label}\t{text}\n".encode())
    return digest.hexdigest()


def build(lexicon: Lexicon | None = None) -> Model:
    from .matching import default_lexicon

    lexicon = default_lexicon() if lexicon is None else lexicon
    texts, labels = training_data(tuned_rows(), list_rows())
    return replace(train(texts, labels, lexicon), trained_on=training_digest(texts, labels))


def main() -> None:
    model = build()
    model.save(WEIGHTS)
    print(
        f"{WEIGHTS}: {int((model.weights != 0).any(axis=0).sum())} hashed features with weights",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
