"""The phone's outbox sends the same form a person would, with X-Field-Sync: 1, and gets JSON back: stored
now (201) or before under the same key (200), or refused with a Chinese reason naming the field (400/409)."""

from jianfu.grid.models import GridEvent
from jianfu.monitoring.models import BurdenEvent, MonitorAssignment
from tests.grid.conftest import png_bytes
from tests.monitoring.conftest import make_point, yesterday

SYNC = {"HTTP_X_FIELD_SYNC": "1"}


def _event(world, key="phone-key-1", village=None):
    return {
        "village": village or world.village_taoyuan.code,
        "kind": "meeting",
        "department": world.dept_rs.pk,
        "occurred_on": yesterday().isoformat(),
        "hours": "2",
        "description": "要求村干部参加培训会",
        "idempotency_key": key,
    }


def test_it_stores_a_synced_burden_event_once_however_often_it_is_sent(world, client):
    make_point(world)
    client.force_login(world.monitor)
    first = client.post("/monitoring/record/", _event(world), **SYNC)
    assert first.status_code == 201 and first.json()["created"] is True
    assert first.json()["url"].startswith("/monitoring/events/")
    again = client.post(
        "/monitoring/record/", _event(world), **SYNC
    )  # the answer was lost; the phone resends
    assert again.status_code == 200 and again.json()["url"] == first.json()["url"]
    assert "没有重复保存" in again.json()["message"]
    assert BurdenEvent.objects.filter(idempotency_key="phone-key-1").count() == 1


def test_it_refuses_an_entry_whose_village_left_the_monitors_scope_with_the_reason(world, client):
    point = make_point(world)
    MonitorAssignment.objects.filter(point=point).delete()  # the monitor no longer serves 桃园村
    make_point(world, world.community_jiefang)
    client.force_login(world.monitor)
    response = client.post("/monitoring/record/", _event(world), **SYNC)
    assert response.status_code == 400
    body = response.json()
    assert body["reason"].startswith("监测点（村、社区）：该村（社区）已不在您服务的监测点中")
    assert list(body["errors"]) == ["监测点（村、社区）"]
    assert not BurdenEvent.objects.exists()


def test_it_answers_the_page_as_before_without_the_header(world, client):
    make_point(world)
    client.force_login(world.monitor)
    response = client.post("/monitoring/record/", _event(world, key="page-key"))
    assert response.status_code == 302 and response["Location"].startswith("/monitoring/events/")
    page = client.get("/monitoring/record/").content.decode()
    assert 'data-field-form="monitoring-event"' in page and "field/offline-form.js" in page
    assert 'id="field-outbox"' in page


def _report(world, key, **extra):
    from jianfu.grid.models import EventClass

    return {
        "community": world.community_jiefang.pk,
        "event_class": EventClass.objects.get(code="SR-01").pk,
        "building": "解放路7号楼",
        "place": "7号楼门口",
        "description": "路面塌陷",
        "idempotency_key": key,
        **extra,
    }


def test_it_syncs_a_grid_report_with_its_photo_and_holds_a_likely_duplicate(world, client, grids):
    client.force_login(world.grid_worker)
    photo = {"photo": _upload()}
    first = client.post("/grid/report/", {**_report(world, "g-1"), **photo}, **SYNC)
    assert first.status_code == 201, first.content
    event = GridEvent.objects.get(idempotency_key="g-1")
    assert event.photo and first.json()["url"] == f"/grid/events/{event.pk}/"
    assert client.post("/grid/report/", _report(world, "g-1"), **SYNC).status_code == 200
    second = client.post("/grid/report/", _report(world, "g-2"), **SYNC)
    assert second.status_code == 409  # the same building has an open event of the same class
    assert (
        event.number in second.json()["reason"] and second.json()["duplicates"][0]["number"] == event.number
    )
    confirmed = client.post("/grid/report/", _report(world, "g-2", ignore_duplicates="on"), **SYNC)
    assert confirmed.status_code == 201 and GridEvent.objects.count() == 2


def _upload():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("photo.png", png_bytes(), content_type="image/png")


def test_it_serves_the_manifest_and_the_service_worker_for_the_whole_site(db, client):
    manifest = client.get("/manifest.webmanifest")
    assert manifest["Content-Type"] == "application/manifest+json"
    data = manifest.json()
    assert data["display"] == "standalone" and data["short_name"] == "减负"
    assert {icon["sizes"] for icon in data["icons"]} == {"192x192", "512x512"}
    worker = client.get("/sw.js")
    assert worker["Service-Worker-Allowed"] == "/" and worker["Content-Type"].startswith("text/javascript")
    source = worker.content.decode()
    assert "/static/vendor/idb/umd.js" in source and "/static/field/offline-form.js" in source


def test_it_lists_only_the_field_forms_a_person_may_fill(world, client):
    client.force_login(world.monitor)
    assert [p["url"] for p in client.get("/field/pages.json").json()["pages"]] == [
        "/monitoring/record/",
        "/field/",
    ]
    client.force_login(world.grid_worker)
    assert [p["url"] for p in client.get("/field/pages.json").json()["pages"]] == ["/grid/report/", "/field/"]
    client.force_login(world.office)
    assert "记录负担事件" not in client.get("/field/").content.decode()


def test_it_gives_the_phone_the_reason_when_the_whole_page_is_refused(world, client):
    client.force_login(world.monitor)  # serves no monitoring point yet
    response = client.post("/monitoring/record/", _event(world), **SYNC)
    assert response.status_code == 403 and "没有被指定服务任何监测点" in response.json()["reason"]
    assert client.post("/monitoring/record/", _event(world)).status_code == 403  # the page as before


def test_it_needs_no_inline_script_or_style_on_the_field_pages(world, client, grids):
    """A strict Content-Security-Policy (script-src 'self'; style-src 'self') leaves these pages working."""
    import re

    from django.contrib.staticfiles import finders

    make_point(world)
    for user, url in (
        (world.monitor, "/monitoring/record/"),
        (world.grid_worker, "/grid/report/"),
        (world.monitor, "/field/"),
        (world.monitor, "/notifications/preferences/"),
    ):
        client.force_login(user)
        html = client.get(url).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url  # every script is a file
        assert not re.search(r"\son[a-z]+=", html) and not re.search(r"\sstyle=", html), url
    for name in ("outbox.js", "offline-form.js", "outbox-page.js", "register.js", "push.js"):
        source = open(finders.find(f"field/{name}"), encoding="utf-8").read()
        assert "innerHTML" not in source and "eval(" not in source and "new Function" not in source, name
