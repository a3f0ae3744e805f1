"""The certificates API: the same services, masked ID numbers, one error shape, public endpoints without login."""

import json

import pytest

from jianfu.audit.models import AuditRecord
from jianfu.certificates.models import Commitment, Issuance, Refusal

from .conftest import LI_XIUYING, RESIDENCE, WANG_JIANGUO, issue

pytestmark = pytest.mark.usefixtures("lists")
BASE = "/api/v1/certificates"
ISSUE = {
    "type_code": "ZM-001",
    "resident_name": "李秀英",
    "resident_id_number": LI_XIUYING,
    "values": RESIDENCE,
    "institution_kind": "school",
    "institution_name": "清河县第一中学",
    "purpose": "子女入学",
}


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_it_issues_and_answers_with_the_number_masked(world, client):
    client.force_login(world.village_cadre)
    response = post(client, f"{BASE}/issuances", ISSUE)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["number"].startswith("428521101201-") and data["resident_id_masked"] == "428521********0244"
    assert LI_XIUYING not in response.content.decode() and "428521********0244" in data["body_text"]
    listed = client.get(f"{BASE}/issuances").json()
    assert listed["count"] == 1 and LI_XIUYING not in json.dumps(listed)


def test_it_gives_the_whole_number_to_the_issuing_village_and_the_inspector_and_audits_it(world, client):
    issuance = issue(world)
    for who, status in (
        ("village_cadre", 200),
        ("inspector", 200),
        ("town_hk", 403),
        ("community_cadre", 404),
    ):
        client.force_login(world.people[who])
        response = client.get(f"{BASE}/issuances/{issuance.pk}/id-number")
        assert response.status_code == status, who
        if status == 200:
            assert response.json() == {"number": issuance.number, "resident_id_number": LI_XIUYING}
    views = AuditRecord.objects.filter(action="certificate.view_id", message__endswith="API")
    assert views.filter(success=True).count() == 2
    assert list(views.filter(success=False).values_list("actor_username", flat=True)) == ["hk_town"]


def test_it_refuses_bad_input_with_chinese_messages_naming_the_fields(world, client):
    client.force_login(world.village_cadre)
    response = post(
        client,
        f"{BASE}/issuances",
        {
            **ISSUE,
            "resident_id_number": "428521196803120241",
            "values": {"address": "三组"},
            "institution_kind": "飞船",
        },
    )
    error = response.json()["error"]
    assert response.status_code == 400 and error["code"] == "invalid"
    assert set(error["fields"]) == {"resident_id_number", "institution_kind", "since", "verified_by"}
    assert "校验码错误" in error["message"] and "请填写“居住起始日期”" in error["message"]
    forbidden = post(client, f"{BASE}/issuances", {**ISSUE, "type_code": "BZ-008"})
    assert (
        forbidden.status_code == 400
        and "“婚姻状况证明”（BZ-008）列入不应出具证明事项清单" in forbidden.json()["error"]["message"]
    )
    assert not Issuance.objects.exists()


def test_it_refuses_issuing_for_a_village_that_is_not_the_callers(world, client):
    client.force_login(world.village_cadre)
    other = post(client, f"{BASE}/issuances", {**ISSUE, "village_code": world.community_jiefang.code})
    assert other.status_code == 404  # not even named: outside 桃园村's scope
    client.force_login(world.town_hk)
    own_village = post(client, f"{BASE}/issuances", {**ISSUE, "village_code": world.village_taoyuan.code})
    assert own_village.status_code == 403 and own_village.json()["error"]["code"] == "forbidden"
    assert not Issuance.objects.exists()


def test_it_refuses_and_commits_through_the_api(world, client):
    client.force_login(world.village_cadre)
    refusal = post(
        client,
        f"{BASE}/refusals",
        {"type_code": "BZ-001", "institution_kind": "bank", "institution_name": "清河农商银行河口支行"},
    )
    assert refusal.status_code == 201 and refusal.json()["reason"] == "forbidden"
    assert "公安" in refusal.json()["alternative"]
    commitment = post(
        client,
        f"{BASE}/commitments",
        {
            **ISSUE,
            "type_code": "BZ-008",
            "resident_name": "王建国",
            "resident_id_number": WANG_JIANGUO,
            "values": {"marital_status": "已婚"},
        },
    )
    assert commitment.status_code == 201 and commitment.json()["number"].endswith("-CN0001")
    assert WANG_JIANGUO not in commitment.content.decode()
    assert (Refusal.objects.count(), Commitment.objects.count()) == (1, 1)


def test_it_proposes_a_type_for_the_residents_words(world, client):
    client.force_login(world.community_cadre)
    answer = post(client, f"{BASE}/check", {"text": "开一个受灾证明"}).json()
    assert answer["verdict"] == "cert_allowed" and answer["proposed"]["code"] == "ZM-008"
    assert [f["name"] for f in answer["proposed"]["fields"]] == ["disaster", "occurred_on", "loss"]


def test_it_counts_by_institution_the_same_as_the_page(world, client):
    issue(world)
    post_as = world.village_cadre
    client.force_login(post_as)
    post(
        client,
        f"{BASE}/refusals",
        {"type_code": "BZ-008", "institution_kind": "bank", "institution_name": "某银行"},
    )
    client.force_login(world.office)
    stats = client.get(f"{BASE}/stats", {"date_from": "2000-01-01", "date_to": "2100-12-31"}).json()
    assert {r["label"]: (r["issuance"], r["refusal"]) for r in stats["institution"]} == {
        "清河县第一中学（学校、幼儿园）": (1, 0),
        "某银行（银行等金融机构）": (0, 1),
    }
    assert client.get(f"{BASE}/refusals", {"institution": "某银行"}).json()["count"] == 1


def test_it_answers_the_public_without_login(world, client):
    issuance = issue(world)
    verified = client.get(f"{BASE}/verify/{issuance.verification_code.lower()}").json()
    assert verified == {
        "found": True,
        "kind": "证明",
        "status": "issued",
        "status_label": "有效",
        "type_name": "居住证明",
        "village": "湖北省清江市清河县河口镇桃园村",
        "on": issuance.on.isoformat(),
        "holder": "李*英",
    }
    assert client.get(f"{BASE}/verify/NOSUCHCODE").json() == {
        "found": False,
        "kind": "",
        "status": "",
        "status_label": "",
        "type_name": "",
        "village": "",
        "on": None,
        "holder": "",
    }
    answer = client.get(f"{BASE}/lookup", {"region_code": world.village_taoyuan.code, "q": "养狗证明"}).json()
    assert answer["answer"]["code"] == "BZ-004" and answer["answer"]["allowed"] is False
    types = client.get(f"{BASE}/types", {"region_code": world.village_taoyuan.code}).json()
    assert len(types) == 29 and sum(t["allowed"] for t in types) == 9
