"""The pages: the phone report form (duplicates first, retries once, bad photo refused), an event's steps,
the figures linking to their records, the centre's grid and class upkeep, the resident's rating page."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile

from jianfu.grid.models import EventStatus, GridEvent
from jianfu.grid.services import events as workflow
from tests.grid.conftest import file_event, png_bytes


def _form(world, grids, **extra):
    return {
        "community": world.community_jiefang.pk,
        "event_class": grids["SR-01"].pk,
        "building": "解放路6号楼",
        "place": "6号楼门口",
        "description": "垃圾堆放",
        "idempotency_key": "page-1",
        **extra,
    }


def test_it_files_from_the_phone_page_once_even_when_the_form_is_sent_twice(world, grids, client):
    client.force_login(world.grid_worker)
    page = client.get("/grid/report/")
    assert page.status_code == 200 and "上报网格事件" in page.content.decode()
    photo = SimpleUploadedFile("p.png", png_bytes(), content_type="image/png")
    first = client.post("/grid/report/", {**_form(world, grids), "photo": photo})
    event = GridEvent.objects.get(idempotency_key="page-1")
    assert first.status_code == 302 and first["Location"] == f"/grid/events/{event.pk}/"
    second = client.post("/grid/report/", {**_form(world, grids), "ignore_duplicates": "1"})
    assert (
        second["Location"] == first["Location"]
        and GridEvent.objects.filter(idempotency_key="page-1").count() == 1
    )
    shown = client.get(first["Location"]).content.decode()
    assert event.number in shown and "全程记录" in shown and "县城管执法局" in shown
    assert client.get(f"/grid/events/{event.pk}/photo/")["Content-Type"] == "image/png"


def test_it_shows_a_likely_duplicate_before_filing_and_lets_the_worker_follow_it(world, grids, client):
    open_event = file_event(world, grids["SR-01"], building="解放路6号楼")
    client.force_login(world.grid_worker)
    page = client.post("/grid/report/", _form(world, grids, idempotency_key="page-2"))
    text = page.content.decode()
    assert page.status_code == 200 and "同类事件未办结" in text and open_event.number in text
    assert not GridEvent.objects.filter(idempotency_key="page-2").exists()
    followed = client.post(f"/grid/events/{open_event.pk}/follow/")
    assert followed.status_code == 302 and open_event.steps.last().action == "follow"
    anyway = client.post(
        "/grid/report/", _form(world, grids, idempotency_key="page-2", ignore_duplicates="1")
    )
    assert anyway.status_code == 302 and GridEvent.objects.filter(idempotency_key="page-2").exists()


def test_it_refuses_a_report_without_class_or_place_or_with_a_fake_photo_and_stores_nothing(
    world, grids, client
):
    client.force_login(world.grid_worker)
    count = GridEvent.objects.count()
    page = client.post("/grid/report/", _form(world, grids, event_class="", place=""))
    text = page.content.decode()
    assert (
        page.status_code == 200 and "事件分类：请选择事件分类" in text and "事发地点：请填写事发地点" in text
    )
    fake = SimpleUploadedFile("p.jpg", b"not an image at all", content_type="image/jpeg")
    page = client.post("/grid/report/", {**_form(world, grids, idempotency_key="page-3"), "photo": fake})
    assert "不是图片文件" in page.content.decode() and GridEvent.objects.count() == count


def test_it_takes_an_event_through_the_handler_and_verifier_pages(world, grids, client):
    event = file_event(world, grids["LB-01"])
    client.force_login(world.dept_clerk)
    assert "受理" in client.get(f"/grid/events/{event.pk}/").content.decode()
    client.post(f"/grid/events/{event.pk}/accept/", {"version": event.version})
    event.refresh_from_db()
    client.post(f"/grid/events/{event.pk}/feedback/", {"version": event.version, "result": "已补发"})
    stale = client.post(
        f"/grid/events/{event.pk}/feedback/", {"version": event.version, "result": "又一次"}, follow=True
    )
    assert "已被其他用户修改" in stale.content.decode() or "不能反馈" in stale.content.decode()
    client.force_login(world.grid_worker)
    event.refresh_from_db()
    client.post(f"/grid/events/{event.pk}/verify/", {"version": event.version, "passed": "1"})
    event.refresh_from_db()
    assert event.status == EventStatus.CLOSED


def test_it_links_every_figure_to_the_events_behind_it(world, grids, client):
    event = file_event(world, grids["LB-01"])
    workflow.event_accept(actor=world.dept_clerk, event=event)
    client.force_login(world.town_cg)
    text = client.get("/grid/stats/").content.decode()
    link = re.search(rf'href="(/grid/\?[^"]*department={world.dept_rs.pk}[^"]*)"', text.replace("&amp;", "&"))
    assert link, "no link from the handler row to its events"
    listed = client.get(link.group(1)).content.decode()
    assert event.number in listed


def test_it_lets_the_township_centre_divide_grids_but_not_overlap_them(world, grids, client):
    client.force_login(world.town_cg)
    page = client.post(
        "/grid/grids/new/",
        {"community": world.community_jiefang.pk, "name": "重叠网格", "buildings": "解放路1号楼"},
    )
    assert page.status_code == 200 and "已划入“第一网格”" in page.content.decode()
    assert "未划分网格" in client.get("/grid/grids/").content.decode()  # 文昌社区 and others have none yet


def test_it_lets_the_resident_rate_a_closed_event_once_with_the_code(world, grids, client):
    event = file_event(world, grids["SR-01"], resident_phone="13900000007")
    event = workflow.event_accept(actor=None, event=event)
    event = workflow.event_feedback(actor=None, event=event, result="已清运")
    event = workflow.event_verify(actor=world.grid_worker, event=event, passed=True)
    page = client.post("/public/grid/rate/", {"code": event.rating_code, "rating": "5", "comment": "很快"})
    assert "感谢您的评价" in page.content.decode()
    again = client.post("/public/grid/rate/", {"code": event.rating_code, "rating": "1"})
    assert "已经用过" in again.content.decode()
    event.refresh_from_db()
    assert event.rating == 5


def test_the_report_page_marks_every_field_the_service_requires(world, grids, client):
    client.force_login(world.grid_worker)
    page = client.get("/grid/report/").content.decode()
    marked = re.findall(r'<label class="form-label" for="id_(\w+)">[^<]*<span class="required"', page)
    assert sorted(marked) == ["community", "description", "event_class", "place"]
    for name in ("event_class", "place", "description"):
        assert re.search(rf'<[^>]*name="{name}"[^>]*aria-required="true"', page) or re.search(
            rf'<[^>]*aria-required="true"[^>]*name="{name}"', page
        ), name
