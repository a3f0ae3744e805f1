"""A certificate of identity or residence is not cut into an identity card or a residence permit (issue 15).

jieba's search mode cuts "身份证明" into "身份证" too; kept as a word, that sub-word made a plain request for a
村民身份证明 — a certificate the lists allow — match the 身份证遗失证明 (a lost-card certificate the national
layer forbids) and be refused. The texts are made up for the test. No database: matching imports no models.
"""

from pathlib import Path

import pytest
import yaml

from jianfu.catalog.matching import MatchItem, build_index

LISTS = Path(__file__).resolve().parents[2] / "data" / "lists"
CERTIFICATE_LISTS = (
    "national_certificates_allowed.yaml",
    "national_certificates_forbidden.yaml",
    "certificates_allowed.yaml",
)


def _items(name: str) -> list[MatchItem]:
    data = yaml.safe_load((LISTS / name).read_text(encoding="utf-8"))
    kind, title = data["list"]["kind"], data["list"]["title"]
    return [
        MatchItem(kind, name, title, row["code"], row["content"], tuple(row.get("examples") or ()), "")
        for row in data["items"]
    ]


@pytest.fixture(scope="module")
def shipped():
    return build_index([item for name in CERTIFICATE_LISTS for item in _items(name)])


def test_a_proof_of_identity_or_residence_keeps_its_proof_whole(shipped):
    words = shipped.analyzer.analyze
    assert "身份证" not in words("村民身份证明").words
    assert "居住证" not in words("流动人员居住证明").words
    assert "身份证" in words("身份证遗失证明").words  # the card itself is still a word


def test_a_plain_request_for_a_villagers_identity_certificate_is_not_refused(shipped):
    verdict = shipped.classify("请村委会开具村民身份证明", mode="certificate")
    assert verdict.verdict != "cert_forbidden"
    # the lost card's certificate is still refused by the national layer
    lost = shipped.classify("身份证丢了，请村里开一张身份证遗失证明", mode="certificate")
    assert lost.verdict == "cert_forbidden"
