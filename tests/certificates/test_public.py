"""The public pages, no login: can my village issue this, and is this certificate genuine."""

import pytest

from jianfu.certificates import services
from jianfu.certificates.numbering import display_code

from .conftest import commit, issue

pytestmark = pytest.mark.usefixtures("lists")


def test_it_tells_a_resident_the_village_can_issue_it_and_what_to_bring(world, client):
    page = client.get(
        "/public/certificates/", {"village": world.village_taoyuan.code, "q": "孩子上学要居住证明"}
    )
    assert page.context["answer"].code == "ZM-001"
    body = page.content.decode()
    assert "可以开：居住证明" in body and "申请人居民身份证" in body and "桃园村可以据实出具" in body


def test_it_tells_a_resident_where_to_go_instead(world, client):
    page = client.get("/public/certificates/", {"village": world.village_taoyuan.code, "q": "亲属关系证明"})
    body = page.content.decode()
    assert (
        "村（社区）不开：亲属关系证明" in body
        and "公安机关（户籍管理部门）" in body
        and "公安户籍信息共享查询核验" in body
    )
    page = client.get("/public/certificates/", {"q": "证明我家房子是我的"})
    assert page.context["village"] is None and page.context["answer"] is None
    assert "不在证明事项清单内" in page.content.decode() and "书面承诺" in page.content.decode()


def test_it_lists_the_county_lists_and_ignores_a_village_outside_the_county(world, client):
    page = client.get(
        "/public/certificates/", {"county": world.county.code, "village": world.other_village.code}
    )
    assert page.context["village"] is None and len(page.context["standings"]) == 29
    assert "可以出具 9 项，不出具 20 项" in page.content.decode()


def test_it_verifies_a_code_typed_or_scanned(world, client):
    issuance = issue(world)
    typed = client.get(
        "/public/certificates/verify/", {"code": display_code(issuance.verification_code).lower()}
    )
    scanned = client.get(f"/public/certificates/v/{issuance.verification_code}/")
    for page in (typed, scanned):
        body = page.content.decode()
        assert "真实有效的证明" in body and "湖北省清江市清河县河口镇桃园村" in body and "李*英" in body
        assert "李秀英" not in body and issuance.number not in body and "清河县第一中学" not in body


def test_it_says_when_a_document_was_revoked_or_is_unknown(world, client):
    commitment = commit(world)
    services.document_revoke(actor=world.village_cadre, document=commitment, reason="承诺人撤回")
    body = client.get(f"/public/certificates/v/{commitment.verification_code}/").content.decode()
    assert "该告知承诺书已作废" in body and "真实有效" not in body
    body = client.get("/public/certificates/verify/", {"code": "AAAA-BBBB-CCCC"}).content.decode()
    assert "没有找到核验码为“AAAA-BBBB-CCCC”的证明或承诺书" in body
