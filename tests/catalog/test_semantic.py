"""The semantic lexicon: read only from the installed package, class-free unpickling, a cache that is never
trusted as code and is rebuilt when damaged."""

import io
import pickle

import numpy as np
import pytest

from jianfu.catalog import semantic
from jianfu.catalog.matching import DEFAULT_CACHE_DIR


class Payload:  # any class: the unpickler must refuse to build it
    def __reduce__(self):
        return (print, ("this must never run",))


def test_the_unpickler_refuses_anything_but_plain_data():
    plain = pickle.dumps((["的 0.1 0.2"], {"人": "Aa01A01"}, {"Aa01A01": "人"}))
    assert semantic._PlainDataUnpickler(io.BytesIO(plain)).load()[1] == {"人": "Aa01A01"}
    with pytest.raises(pickle.UnpicklingError, match="refused"):
        semantic._PlainDataUnpickler(io.BytesIO(pickle.dumps(Payload()))).load()


def test_the_model_file_is_the_installed_packages_and_its_checksum_is_known():
    path, expected = semantic._model_path()
    assert "site-packages" in str(path) and path.name == "test.model" and expected


def test_a_damaged_or_foreign_cache_is_not_used(tmp_path):
    lexicon = semantic._lexicon(("修建", "兴修"), np.eye(2, 200, dtype=np.float32), {"修建": ("Hd01A01",)})
    key = semantic._cache_key()
    semantic._write_cache(tmp_path, key, lexicon)
    assert semantic._read_cache(tmp_path, key).words == ("修建", "兴修")
    assert semantic._read_cache(tmp_path, "another-version") is None
    (tmp_path / "vectors.npy").write_bytes(b"\x93NUMPY broken")
    assert semantic._read_cache(tmp_path, key) is None
    (tmp_path / "lexicon.json").write_text("{not json", encoding="utf-8")
    assert semantic._read_cache(tmp_path, key) is None


def test_words_of_one_cilin_group_are_alike_and_function_words_are_never_linked():
    lexicon = semantic.load_lexicon(str(DEFAULT_CACHE_DIR))
    assert lexicon.similarity("修建", "兴修") >= semantic.CILIN_SIMILARITY
    assert lexicon.is_function_word("没有") and not lexicon.is_function_word("选举")
