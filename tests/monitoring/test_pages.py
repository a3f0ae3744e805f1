"""The pages: the monitor's form (idempotency, refusals), clues and anonymity, the dashboard's links."""

import re

import pytest

from jianfu.monitoring.models import BurdenEvent, Verdict

from .conftest import png, record, yesterday


def _event_form(client, url):
    page = client.get(url)
    assert page.status_code == 200
    key = re.search(r'name="idempotency_key" value="([0-9a-f]+)"', page.content.decode()).group(1)
    return key


def _post(world, key, **extra):
    data = {
        "village": world.village_taoyuan.code,
        "kind": "app",
        "department": world.dept_rs.pk,
        "occurred_on": yesterday().isoformat(),
        "hours": "0.5",
        "subject": "",
        "description": "要求每天APP打卡",
        "idempotency_key": key,
    }
    data.update(extra)
    return data


def test_it_lets_a_monitor_record_once_even_when_tapped_twice(world, point, login):
    client = login(world.monitor)
    key = _event_form(client, "/monitoring/record/")
    first = client.post("/monitoring/record/", _post(world, key, photo=png()))
    second = client.post("/monitoring/record/", _post(world, key))
    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
    event = BurdenEvent.objects.get()
    assert event.verdict == Verdict.VIOLATION and event.photo
    detail = client.get(first["Location"]).content.decode()
    assert "违规" in detail and "APP" in detail
    assert client.get(f"/monitoring/events/{event.pk}/photo/")["Content-Type"] == "image/png"


def test_it_shows_the_photo_refusal_on_the_form(world, point, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(world.monitor)
    key = _event_form(client, "/monitoring/record/")
    bad = SimpleUploadedFile("x.png", b"plain text", content_type="image/png")
    page = client.post("/monitoring/record/", _post(world, key, photo=bad))
    assert page.status_code == 200 and "不是图片" in page.content.decode()
    assert not BurdenEvent.objects.exists()


def test_it_offers_only_the_points_the_monitor_serves(world, point, login):
    client = login(world.monitor)
    key = _event_form(client, "/monitoring/record/")
    page = client.post("/monitoring/record/", _post(world, key, village=world.community_jiefang.code))
    assert page.status_code == 200 and "village" in page.context["form"].errors
    assert not BurdenEvent.objects.exists()


def test_a_monitor_without_a_point_is_told_so(world, login):
    assert login(world.monitor).get("/monitoring/record/").status_code == 403


def test_the_dashboard_links_every_figure_to_its_events(world, point, login):
    record(world, kind="app", description="APP打卡", hours=1)
    record(world)
    page = login(world.office).get("/monitoring/dashboard/")
    assert page.status_code == 200
    html = page.content.decode()
    link = f"/monitoring/events/?region={world.county.code}&amp;year={yesterday().year}&amp;kind=app&amp;verdict=violation"
    assert link in html
    events = login(world.office).get(link.replace("&amp;", "&"))
    assert len(events.context["page"]) == 1
    village = login(world.office).get(f"/monitoring/dashboard/?region={world.village_taoyuan.code}")
    assert village.context["totals"][0]["events"] == 2


def test_it_keeps_a_clue_reporter_from_the_department(world, point, login, lists):
    from jianfu.monitoring import services
    from jianfu.monitoring.services import bulletins

    client = login(world.village_cadre)
    key = _event_form(client, "/monitoring/report/")
    data = _post(
        world,
        key,
        kind="task",
        subject="为企业招商引资下达任务指标",
        description="镇里转来县人社局的招商任务",
    )
    data.pop("hours")
    response = client.post("/monitoring/report/", {**data, "hours": "1"})
    assert response.status_code == 302
    clue = BurdenEvent.objects.get()
    assert clue.reporter == world.village_cadre and not clue.anonymous
    inspector_view = login(world.inspector).get(f"/monitoring/events/{clue.pk}/").content.decode()
    assert world.village_cadre.full_name in inspector_view
    services.clue_review(
        actor=world.inspector, event=clue, accept=True, note="经核实属实"
    )  # decides its finding
    draft = bulletins.bulletin_draft(
        actor=world.inspector, region=world.county, period_start=yesterday(), period_end=yesterday()
    )
    bulletins.bulletin_publish(actor=world.inspector, bulletin=draft)
    department = login(world.dept_clerk)
    page = department.get(f"/monitoring/events/{clue.pk}/").content.decode()
    assert world.village_cadre.full_name not in page and world.village_cadre.username not in page
    api = department.get(f"/api/v1/monitoring/events/{clue.pk}").json()
    assert world.village_cadre.full_name not in str(api) and api["reporter"] == "（不向被反映单位显示）"
    bulletin_page = department.get(f"/monitoring/bulletins/{draft.pk}/").content.decode()
    assert world.village_cadre.full_name not in bulletin_page
    finding_page = department.get(f"/monitoring/findings/{clue.findings.get().pk}/").content.decode()
    assert "县人社局" in finding_page and world.village_cadre.full_name not in finding_page


def test_an_anonymous_clue_names_nobody_not_even_to_the_inspector(world, login):
    client = login(world.village_cadre)
    key = _event_form(client, "/monitoring/report/")
    client.post("/monitoring/report/", {**_post(world, key), "anonymous": "on"})
    clue = BurdenEvent.objects.get()
    assert clue.anonymous
    for user in (world.inspector, world.office, world.town_hk):
        html = login(user).get(f"/monitoring/events/{clue.pk}/").content.decode()
        assert world.village_cadre.full_name not in html and "匿名反映" in html
        assert login(user).get(f"/api/v1/monitoring/events/{clue.pk}").json()["reporter"] == "匿名反映"


@pytest.mark.parametrize("persona", ["community_cadre", "grid_worker"])
def test_a_cadre_reports_only_for_their_own_village(world, login, persona):
    client = login(getattr(world, persona))
    key = _event_form(client, "/monitoring/report/")
    page = client.post("/monitoring/report/", _post(world, key))  # 桃园村 is not theirs
    assert page.status_code == 200 and "village" in page.context["form"].errors


def test_the_demo_province_inspector_sees_the_province_dashboard_and_the_administrator_does_not(
    world, point, login
):
    from jianfu.orgs.models import User

    record(world)  # in 清河县, under the province
    inspector = User.objects.get(username="hb_inspector")
    page = login(inspector).get("/monitoring/dashboard/")
    assert page.status_code == 200
    assert page.context["region"] == world.province  # the home region: the province
    assert page.context["totals"][0]["events"] == 1
    html = page.content.decode()
    assert "湖北省" in html and "清江市" in html  # the province and its prefecture ranked below it
    # Departments are ranked on county dashboards: the province's page shows no empty department chart frame.
    assert 'id="chart-department"' not in html and "违规事件按来源部门（前 15）" not in html
    record(world, kind="app", description="要求每天在政务APP打卡并截图上报")
    county = login(world.inspector).get("/monitoring/dashboard/")
    assert county.context["department_chart"]["rows"] and 'id="chart-department"' in county.content.decode()
    # Separation of duties: the county administrator manages accounts, not the monitoring of the province.
    assert login(world.admin).get(f"/monitoring/dashboard/?region={world.province.code}").status_code == 403


def test_the_dashboard_links_follow_the_script_prefix_the_site_is_served_under(world, point):
    """The event list's path is reversed once per script prefix (#23): a site served under a prefix links there."""
    from urllib.parse import urlencode

    from django.urls import reverse, set_script_prefix

    from jianfu.monitoring import dashboard

    record(world, kind="app", description="APP打卡", hours=1)
    year = yesterday().year
    expected = "?" + urlencode({"region": world.county.code, "year": year, "kind": "app"})
    try:
        for prefix in ("/", "/jianfu/", "/"):
            set_script_prefix(prefix)
            figures = dashboard.event_figures(world.county, year)
            app = next(row for row in figures["totals"] if row["key"] == "app")
            assert app["link"] == reverse("monitoring:events") + expected
            assert app["link"].startswith(f"{prefix}monitoring/events/")
            assert figures["month_chart"]["hour_links"][0].startswith(f"{prefix}monitoring/events/?")
    finally:
        set_script_prefix("/")
