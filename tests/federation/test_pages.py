"""The national dashboards: one row per province from the received months, a chart that opens a province."""

import json

import pytest

from tests.federation.conftest import COUNTY, HUBEI, HUNAN, push, rollup

pytestmark = pytest.mark.django_db


@pytest.fixture
def received(nation, client):
    push(client, rollup(month="2026-09"), nation.keys[HUBEI])
    push(client, rollup(month="2026-10", events=7), nation.keys[HUBEI])
    push(client, rollup(month="2026-10", events=8, revision=2, reason="补录"), nation.keys[HUBEI])
    push(client, rollup(province=HUNAN, county="431121000000", events=4), nation.keys[HUNAN], sender=HUNAN)
    return nation


def test_it_shows_national_users_a_row_per_province_and_links_the_chart_to_it(received, client):
    client.force_login(received.national)
    page = client.get("/federation/", {"year": 2026})
    assert page.status_code == 200
    rows = {r["code"]: r for r in page.context["rows"]}
    assert (rows[HUBEI]["events"], rows[HUBEI]["months"], rows[HUBEI]["corrected"]) == (13, 2, True)
    assert rows[HUNAN]["events"] == 4 and page.context["totals"]["events"] == 17
    chart = page.context["chart"]
    assert chart["labels"] == ["湖北省", "湖南省"] and chart["links"][0] == f"/federation/{HUBEI}/?year=2026"
    html = page.content.decode()
    assert "有更正" in html and 'id="data-provinces"' in html and "<script>" not in html


def test_it_shows_a_province_its_counties_months_and_versions(received, client):
    client.force_login(received.national)
    page = client.get(f"/federation/{HUBEI}/", {"year": 2026})
    assert page.status_code == 200
    assert [(r["code"], r["events"]) for r in page.context["rows"]] == [(COUNTY, 13)]
    months = page.context["months"]
    assert months["series"][0]["data"][8:10] == [5, 8]
    html = page.content.decode()
    assert "第1版" in html and "（已被更正）" in html and "更正原因：补录" in html


def test_it_shows_nothing_beyond_the_users_provinces(received, client, world):
    client.force_login(world.office)  # federation.view on 清河县 only
    assert client.get("/federation/").context["rows"] == []
    assert client.get(f"/federation/{HUBEI}/").status_code == 404
    client.force_login(world.village_cadre)
    refused = client.get("/federation/")
    assert refused.status_code == 403 and "国家平台" in refused.content.decode()


def test_it_answers_the_provinces_over_the_api(received, client):
    client.force_login(received.national)
    body = client.get("/api/v1/federation/provinces", {"year": 2026}).json()
    assert [(p["name"], p["events"], p["months"]) for p in body] == [("湖北省", 13, 2), ("湖南省", 4, 1)]
    assert json.loads(json.dumps(body))[0]["violations"] == 4


def test_it_offers_the_national_page_on_the_home_page_only_where_provinces_are_read(received, client, world):
    client.force_login(received.national)
    assert "全国看板" in client.get("/home/").content.decode()
    client.force_login(world.office)
    assert "全国看板" not in client.get("/home/").content.decode()
