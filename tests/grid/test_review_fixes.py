"""Defects found in review, each pinned by a test that failed before its fix."""

import json

from jianfu.grid.models import GridEvent
from tests.grid.conftest import file_event


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def _hotline(community, key="GD-2026-0777", **extra):
    return {
        "source_system": "12345",
        "idempotency_key": key,
        "class_code": "SR-01",
        "community_code": community,
        "place": "菜场门口",
        "description": "市民来电：垃圾",
        "resident_name": "张先生",
        "resident_phone": "13900000001",
        **extra,
    }


def test_a_reused_hotline_key_from_another_township_neither_reveals_nor_returns_the_stored_event(
    world, grids, client
):
    client.force_login(world.town_cg)
    first = _post(client, "/api/v1/grid/inbound", _hotline(world.community_jiefang.code))
    assert first.status_code == 201
    client.force_login(world.town_hk)
    other = _post(client, "/api/v1/grid/inbound", _hotline(world.village_taoyuan.code))
    assert other.status_code == 400, other.content
    body = other.content.decode()
    assert "idempotency_key" in other.json()["error"]["fields"]
    assert first.json()["event"]["number"] not in body and "13900000001" not in body
    assert GridEvent.objects.count() == 1


def test_the_handling_department_never_sees_the_residents_rating_code(world, grids, client):
    event = file_event(world, grids["LB-01"], resident_phone="13900000002")  # LB-01 routes to 人社局
    assert event.rating_code and event.department_id == world.dept_rs.pk
    client.force_login(world.dept_clerk)  # the handler must not be able to rate its own work
    api = client.get(f"/api/v1/grid/events/{event.pk}")
    page = client.get(f"/grid/events/{event.pk}/")
    assert api.status_code == page.status_code == 200
    assert event.rating_code not in api.content.decode() and event.rating_code not in page.content.decode()
    client.force_login(world.grid_worker)  # the reporter tells the resident the code
    assert event.rating_code in client.get(f"/api/v1/grid/events/{event.pk}").content.decode()
    assert event.rating_code in client.get(f"/grid/events/{event.pk}/").content.decode()


def test_open311_honours_jurisdiction_id_so_one_county_reads_only_its_own(world, grids, client):
    from jianfu.grid.models import EventClass

    event = file_event(world, grids["SR-01"])
    EventClass.objects.create(region=world.other_county, code="SR-01", name="东岭县垃圾", is_public=True)
    own = client.get("/open311/v2/requests.json", {"jurisdiction_id": world.county.code}).json()
    other = client.get("/open311/v2/requests.json", {"jurisdiction_id": world.other_county.code}).json()
    assert [r["service_request_id"] for r in own] == [event.number] and other == []
    single = client.get(
        f"/open311/v2/requests/{event.number}.json", {"jurisdiction_id": world.other_county.code}
    )
    assert single.status_code == 404
    names = {
        s["service_name"]
        for s in client.get("/open311/v2/services.json", {"jurisdiction_id": world.other_county.code}).json()
    }
    assert names == {"东岭县垃圾"}
    county_names = {
        s["service_name"]
        for s in client.get("/open311/v2/services.json", {"jurisdiction_id": world.county.code}).json()
    }
    assert "东岭县垃圾" not in county_names and grids["SR-01"].name in county_names
    unknown = client.get("/open311/v2/services.json", {"jurisdiction_id": "999999999999"})
    assert unknown.status_code == 404 and unknown.json()[0]["code"] == 404


def test_a_burden_tap_names_only_a_department_above_the_workers_village(world, client):
    client.force_login(world.grid_worker)
    body = {
        "kind": "form",
        "department_id": world.other_dept.pk,
        "occurred_on": "2026-01-05",
        "description": "外县部门要求填表",
    }
    response = _post(client, "/api/v1/grid/burden", body)
    assert response.status_code == 400 and "source_department" in response.json()["error"]["fields"]
    assert "上级部门" in response.json()["error"]["message"]


def test_no_one_verifies_the_work_of_their_own_department_even_with_a_centre_role(world, grids):
    import pytest
    from django.core.exceptions import PermissionDenied

    from jianfu.grid.services import events as workflow
    from jianfu.orgs.models import RoleAssignment, User

    RoleAssignment.objects.create(
        user=world.town_cg, role="department", region=world.dept_rs.region, department=world.dept_rs
    )
    both = User.objects.get(pk=world.town_cg.pk)  # 城关街道 centre who also works in 人社局
    event = file_event(world, grids["LB-01"])
    event = workflow.event_accept(actor=both, event=event)
    event = workflow.event_feedback(actor=both, event=event, result="已处置")
    with pytest.raises(PermissionDenied):
        workflow.event_verify(actor=both, event=event, passed=True)
    event = workflow.event_verify(actor=world.grid_worker, event=event, passed=True)  # the reporter may
    assert event.status == "closed"


def test_open311_reads_mask_the_residents_name_and_mobile_numbers_typed_into_free_text(world, grids, client):
    client.force_login(world.town_cg)
    body = _hotline(
        world.community_jiefang.code,
        key="GD-2026-0888",
        description="张先生（13900000001）来电：菜场门口垃圾，另一电话 13712345678",
    )
    assert _post(client, "/api/v1/grid/inbound", body).status_code == 201
    client.logout()
    listed = client.get("/open311/v2/requests.json").content.decode()
    assert "13900000001" not in listed and "13712345678" not in listed and "张先生" not in listed
    assert "137****5678" in listed and "菜场门口垃圾" in listed
