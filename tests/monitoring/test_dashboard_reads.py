"""The dashboard's reads of regions and findings (#23): the findings' rollup of both years read at once, each
row in its own year's figures (equal to the village's figures counted from its findings); the regions above
read once; the page's links unchanged."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from jianfu.monitoring import dashboard
from jianfu.monitoring.figures import finding_figures
from jianfu.monitoring.models import Finding

from .conftest import judge, record, yesterday


def _findings(region, year):
    return dashboard.figures(region, year)["findings"]


def test_both_years_of_the_findings_rollup_are_read_at_once_each_in_its_year(world, point):
    this = yesterday()
    last = this - timedelta(days=364)  # the same weekday, last year's same months
    record(world, kind="app", description="APP每日打卡", occurred_on=this)
    record(world, kind="app", description="APP积分排名", occurred_on=last)
    record(world, kind="app", description="APP每日签到", occurred_on=last)
    judge(world)
    year = this.year
    with CaptureQueriesContext(connection) as reads:
        county = _findings(world.county, year)
    rollup_reads = [q["sql"] for q in reads.captured_queries if '"monitoring_findingrollup"' in q["sql"]]
    assert len(rollup_reads) == 2  # both years' cells, and the pending sum
    village = _findings(world.village_taoyuan, year)  # counted from the village's own findings
    for field in ("source", "department", "rule", "month"):  # the same rows, but for the region in the links
        assert [r | {"query": ""} for r in county[field]] == [r | {"query": ""} for r in village[field]], (
            field
        )
    if last.year == year:
        assert county["total"]["count"] == 3
    else:
        assert (county["total"]["count"], county["total"]["last_year"]) == (1, 2)
    assert county["total"]["count"] == village["total"]["count"]
    assert county["total"]["last_year"] == village["total"]["last_year"]


def test_a_villages_findings_are_read_once_for_both_years_and_equal_a_count_per_dimension(world, point):
    this = yesterday()
    last = this - timedelta(days=364)
    record(world, kind="app", description="APP每日打卡", occurred_on=this)
    record(world, kind="app", description="APP积分排名", occurred_on=this)
    record(world, kind="app", description="APP每日签到", occurred_on=last)
    judge(world)
    village, year = world.village_taoyuan, this.year
    with CaptureQueriesContext(connection) as reads:
        figures = _findings(village, year)
    finding_reads = [q["sql"] for q in reads.captured_queries if '"monitoring_finding"' in q["sql"]]
    assert len(finding_reads) == 2  # both years grouped at once (were eight reads), and the pending count
    # the generic path counts each dimension and year with its own query over the same findings
    counted = finding_figures(
        Finding.objects.filter(region_code=village.code), year=year, region_code=village.code
    )
    for field in ("source", "department", "rule", "month"):
        assert [(r["label"], r["count"], r["last_year"]) for r in figures[field]] == [
            (r["label"], r["count"], r["last_year"]) for r in counted[field]
        ], field
    assert (figures["total"]["count"], figures["total"]["last_year"]) == (
        counted["total"]["count"],
        counted["total"]["last_year"],
    )
    assert figures["total"]["count"] + figures["total"]["last_year"] == 3


def test_the_regions_above_are_read_once_and_linked_as_before(world, login):
    client = login(world.inspector)
    with CaptureQueriesContext(connection) as reads:
        page = client.get("/monitoring/dashboard/", {"region": world.village_taoyuan.code, "year": 2025})
    html = page.content.decode()
    above = [q for q in reads.captured_queries if 'ORDER BY "orgs_region"."level"' in q["sql"]]
    assert len(above) == 1
    assert (
        f'上级：<a href="?region={world.county.code}&amp;year=2025">{world.county.name}</a> › '
        f'<a href="?region={world.township_hk.code}&amp;year=2025">{world.township_hk.name}</a></p>'
    ) in html


def test_the_next_level_and_the_findings_link_to_their_lists(world, point, login):
    record(world, kind="app", description="APP每日打卡")
    judge(world)
    year = yesterday().year
    client = login(world.inspector)
    html = client.get("/monitoring/dashboard/", {"year": year}).content.decode()
    code = world.township_hk.code
    assert f'<a href="/monitoring/events/?region={code}&amp;year={year}">' in html
    assert f'<a href="/monitoring/events/?region={code}&amp;year={year}&amp;verdict=violation">' in html
    assert (
        f'<a href="/monitoring/findings/?state=violations&amp;year={year}&amp;region={world.county.code}&amp;source='
        in html
    )
