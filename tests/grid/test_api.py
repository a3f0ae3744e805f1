"""The JSON API: the same services; hotline inbound stored once per key; Chinese errors; 409 on stale."""

import json

from jianfu.grid.models import EventStatus, GridEvent
from tests.grid.conftest import file_event


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_it_takes_a_hotline_event_once_per_key_and_routes_it(world, grids, client):
    client.force_login(world.town_cg)
    body = {
        "source_system": "12345",
        "idempotency_key": "GD-2026-0001",
        "class_code": "SR-01",
        "community_code": world.community_jiefang.code,
        "place": "解放路菜场",
        "building": "农贸市场",
        "description": "市民来电：菜场门口垃圾",
        "resident_name": "张先生",
        "resident_phone": "13900000001",
    }
    first = _post(client, "/api/v1/grid/inbound", body)
    again = _post(client, "/api/v1/grid/inbound", body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["event"]["number"] == again.json()["event"]["number"]
    event = GridEvent.objects.get(source_system="12345", idempotency_key="GD-2026-0001")
    assert (event.source, event.grid.name, event.status) == ("hotline", "第三网格", EventStatus.DISPATCHED)
    assert event.rating_code


def test_it_refuses_a_report_without_class_or_place_in_chinese_and_stores_nothing(world, grids, client):
    client.force_login(world.grid_worker)
    response = _post(
        client,
        "/api/v1/grid/events",
        {"community_code": world.community_jiefang.code, "description": "没有分类和地点"},
    )
    error = response.json()["error"]
    assert response.status_code == 400 and set(error["fields"]) == {"event_class", "place"}
    assert "请选择事件分类" in error["message"] and GridEvent.objects.count() == 0


def test_it_answers_409_on_a_stale_version_and_runs_the_steps(world, grids, client):
    event = file_event(world, grids["LB-01"])
    client.force_login(world.dept_clerk)
    stale = _post(client, f"/api/v1/grid/events/{event.pk}/accept", {"version": event.version - 1})
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "stale"
    accepted = _post(client, f"/api/v1/grid/events/{event.pk}/accept", {"version": event.version})
    assert accepted.json()["status"] == "accepted"
    done = _post(client, f"/api/v1/grid/events/{event.pk}/feedback", {"result": "已处置"})
    assert done.json()["status"] == "handled"
    detail = client.get(f"/api/v1/grid/events/{event.pk}").json()
    assert [s["action"] for s in detail["steps"]] == ["report", "dispatch", "accept", "feedback"]
    stats = client.get("/api/v1/grid/stats").json()
    assert stats["totals"]["total"] == 1 and stats["department"][0]["label"] == "县人社局"


def test_it_lists_only_the_events_in_scope(world, grids, client):
    file_event(world, grids["SR-01"])
    client.force_login(world.town_hk)
    assert client.get("/api/v1/grid/events").json()["count"] == 0
    client.force_login(world.town_cg)
    assert client.get("/api/v1/grid/events").json()["count"] == 1
