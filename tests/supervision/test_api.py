"""The API: same services and scope as the pages, Chinese errors, 409 on a stale version."""

import base64
from datetime import date
from urllib.parse import urlencode

import pytest
from django.core.exceptions import ValidationError

from jianfu.supervision import rules, services
from jianfu.supervision.models import InspectionPlan, Placard, PlacardStandard, PlanStatus

from .conftest import YEAR, approved_plan, placards, png_bytes

pytestmark = pytest.mark.django_db


def test_a_plan_through_the_api(world, login, client):
    login(world.dept_clerk)
    response = client.post(
        "/api/v1/supervision/plans",
        {"department_id": world.dept_rs.pk, "year": YEAR},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    item = {"kind": "inspection", "subject": "社保检查", "month": 3, "villages": [world.village_taoyuan.code]}
    assert (
        client.post(
            f"/api/v1/supervision/plans/{pk}/items", item, content_type="application/json"
        ).status_code
        == 201
    )
    bad = client.post(
        f"/api/v1/supervision/plans/{pk}/items",
        {**item, "villages": ["428521999999"]},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "428521999999" in bad.json()["error"]["message"]
    stale = client.post(
        f"/api/v1/supervision/plans/{pk}/submit", {"version": 1}, content_type="application/json"
    )
    assert stale.status_code == 409 and "旧版本" in stale.json()["error"]["message"]
    client.post(f"/api/v1/supervision/plans/{pk}/submit", {}, content_type="application/json")
    assert (
        client.post(
            f"/api/v1/supervision/plans/{pk}/decide", {"approve": True}, content_type="application/json"
        ).status_code
        == 403
    )
    login(world.office)
    response = client.post(
        f"/api/v1/supervision/plans/{pk}/decide", {"approve": True}, content_type="application/json"
    )
    assert response.json()["status"] == PlanStatus.APPROVED
    detail = client.get(f"/api/v1/supervision/plans/{pk}").json()
    assert detail["items"][0]["villages"] == [world.village_taoyuan.code]
    assert InspectionPlan.objects.get().status == PlanStatus.APPROVED


def test_a_visit_and_the_check_through_the_api(world, login, client):
    approved_plan(world)
    login(world.village_cadre)
    body = {
        "village_code": world.village_taoyuan.code,
        "department_id": world.dept_rs.pk,
        "on": f"{YEAR}-03-10",
        "kind": "inspection",
        "subject": "社保检查",
    }
    query = urlencode({**body, "demanded_materials": "true"})
    check = client.get(f"/api/v1/supervision/check?{query}").json()
    assert check["passed"] is False and check["rule"] == "要求村（社区）准备汇报材料"
    response = client.post("/api/v1/supervision/visits", body, content_type="application/json")
    assert (
        response.status_code == 201 and response.json()["plan_item_id"] and not response.json()["unplanned"]
    )
    other = client.post(
        "/api/v1/supervision/visits",
        {**body, "village_code": world.community_jiefang.code},
        content_type="application/json",
    )
    assert other.status_code == 404
    listing = client.get(f"/api/v1/supervision/visits?year={YEAR}").json()
    assert listing["count"] == 1
    stats = client.get(
        f"/api/v1/supervision/stats?year={YEAR}&region_code={world.village_taoyuan.code}"
    ).json()
    assert stats["actual"] == 1 and stats["planned"] == 3  # 2 named + 3 of 5 河口镇 villages, pro rata


def test_placards_through_the_api(world, login, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    placards(world)
    login(world.village_cadre)
    code = world.village_taoyuan.code
    village = client.get(f"/api/v1/supervision/villages/{code}").json()
    assert len(village["must_come_down"]) == 4 and village["standard"]["inside_max"] == 9
    photo = base64.b64encode(png_bytes()).decode()
    url = f"/api/v1/supervision/villages/{code}/placards"
    body = {"kind": "wall_rule", "title": "财务公开制度", "photo_base64": photo, "photo_name": "p.png"}
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 201 and response.json()["has_photo"]
    assert Placard.objects.get(title="财务公开制度").photo.read() == png_bytes()
    fake = base64.b64encode(b"GIF89a not really").decode()
    response = client.post(url, {**body, "photo_base64": fake}, content_type="application/json")
    assert response.status_code == 400 and "图片" in response.json()["error"]["message"]
    response = client.post(url, {**body, "photo_base64": "@@@"}, content_type="application/json")
    assert response.status_code == 400 and "base64" in response.json()["error"]["message"]
    target = Placard.objects.get(title="桃园村老年人协会")
    removed = client.post(
        f"/api/v1/supervision/placards/{target.pk}/remove",
        {"removed_on": str(date.today())},
        content_type="application/json",
    )
    assert (
        removed.json()["status"] == "removed"
        and removed.json()["removed_by"] == world.village_cadre.full_name
    )
    assert client.get("/api/v1/supervision/placards?status=removed").json()["count"] == 1


def test_the_standard_through_the_api(world, login, client):
    login(world.office)
    body = {
        "outside_placards": [{"name": "村党组织", "keywords": ["支部委员会"]}],
        "outside_signs": [],
        "inside_max": 5,
        "wall_rules": ["村务公开"],
    }
    response = client.put(
        f"/api/v1/supervision/standard/{world.county.code}", body, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["version"] == 1
    assert client.get("/api/v1/supervision/standard").json()["inside_max"] == 5
    stale = client.put(
        f"/api/v1/supervision/standard/{world.county.code}",
        {**body, "version": 7},
        content_type="application/json",
    )
    assert stale.status_code == 409


def test_it_refuses_a_malformed_standard_and_the_county_keeps_working(world, login, client):
    login(world.office)
    url = f"/api/v1/supervision/standard/{world.county.code}"
    body = {"outside_placards": [{"x": 1}], "outside_signs": [], "inside_max": 4, "wall_rules": []}
    response = client.put(url, body, content_type="application/json")
    assert response.status_code == 422, response.content.decode()
    error = response.json()["error"]
    assert "outside_placards.0.name" in error["fields"] and "必须填写" in error["message"], error
    assert not PlacardStandard.objects.exists()
    assert client.get(f"/api/v1/supervision/villages/{world.village_taoyuan.code}").status_code == 200


def test_the_service_refuses_a_standard_entry_without_a_name_and_changes_nothing(world):
    with pytest.raises(ValidationError) as refused:
        services.standard_save(
            actor=world.office,
            region=world.county,
            outside_placards=[{"x": 1}],
            outside_signs=[],
            inside_max=4,
            wall_rules=[],
        )
    assert refused.value.message_dict["outside_placards"][0] == "外部标牌第 1 项名称格式不正确：必须填写。"
    assert not PlacardStandard.objects.exists()
    assert (
        rules.standard_for(world.village_taoyuan)["outside_placards"]
        == rules.DEFAULT_STANDARD["outside_placards"]
    )
