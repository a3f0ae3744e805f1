"""A year out of range is refused with the field named, on the API and on the pages, never a server error."""

import json

import pytest

from jianfu.campaign.models import EvaluationScheme
from jianfu.core.years import year_or_none


def test_it_reads_a_filter_year_only_within_range():
    assert [year_or_none(v) for v in ("2026", "0", "0000", "1999", "2101", "-1", "二〇二六", "", None)] == [
        2026,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
    ]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/forms/stats?year=0",
        "/api/v1/forms/counts?year=99999",
        "/api/v1/forms/forms?year=-1",
        "/api/v1/monitoring/dashboard?year=-59134",
        "/api/v1/supervision/stats?year=0",
        "/api/v1/supervision/visits?year=-28025018110",
        "/api/v1/supervision/plans?year=1",
    ],
)
def test_it_refuses_an_api_year_out_of_range_naming_the_field(world, client, url):
    client.force_login(world.admin)
    response = client.get(url)
    assert response.status_code == 422, (url, response.content.decode()[:300])
    error = response.json()["error"]
    assert "year" in error["fields"] and error["message"].startswith("请求数据格式不正确：年度"), error


def test_it_refuses_an_evaluation_scheme_with_a_huge_year_and_stores_nothing(world, client):
    client.force_login(world.office)
    body = {"year": 288230376151711743, "township_code": world.township_hk.code}
    response = client.post("/api/v1/campaign/evaluations", json.dumps(body), content_type="application/json")
    assert response.status_code == 422 and "year" in response.json()["error"]["fields"]
    assert not EvaluationScheme.objects.exists()


@pytest.mark.parametrize(
    "persona, url",
    [
        ("office", "/monitoring/dashboard/?year=0"),
        ("office", "/forms/stats/?year=1"),
        ("office", "/forms/forms/?year=-5"),
        ("office", "/supervision/?year=0"),
        ("office", "/supervision/placards/list/?year=0"),
        ("office", "/grid/stats/?year=0"),
        ("office", "/grid/?year=0000"),
    ],
)
def test_it_tells_a_page_the_year_is_out_of_range_and_shows_this_year(world, login, persona, url):
    response = login(getattr(world, persona)).get(url)
    assert response.status_code == 200, url
    if "grid" not in url:  # the grid's filters ignore a year that is not one
        assert "年度须为 2000 至 2100 之间的整数" in response.content.decode()
