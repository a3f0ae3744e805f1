"""The prefecture and province figures are their counties' cells summed, a month at a time, and each month's sums
are cached under its counties' stamps (#23): a second read sums nothing again, any write moves the figures at
once (never a stale sum), and the dashboard asks the same number of queries however many counties there are."""

from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jianfu.monitoring import dashboard, selectors
from jianfu.monitoring.models import BurdenEvent, RollupStamp, Verdict
from jianfu.monitoring.services import rollup
from jianfu.orgs.models import Department, Level, Region, RoleAssignment, User
from jianfu.orgs.roles import Role

from .conftest import judge, record, yesterday

pytestmark = pytest.mark.django_db


def live_totals(region: Region, year: int) -> tuple[int, Decimal, int]:
    """The region's events of the year counted straight from the events table."""
    mine = [
        e
        for e in BurdenEvent.objects.counted().filter(occurred_on__year=year)
        if e.region_code.startswith(region.prefix)
    ]
    return (
        len(mine),
        sum((Decimal(e.hours) for e in mine), Decimal(0)),
        sum(e.verdict == Verdict.VIOLATION for e in mine),
    )


def shown(region: Region, year: int) -> tuple[int, Decimal, int]:
    total = dashboard.event_figures(region, year)["totals"][0]
    return total["events"], Decimal(total["hours"]), total["violations"]


def prefecture_of(world) -> Region:
    return Region.objects.get(code=world.county.code[:4].ljust(12, "0"))


def rollup_reads(queries) -> list[str]:
    return [q["sql"] for q in queries if "monitoring_monthlyrollup" in q["sql"]]


def test_a_second_read_sums_no_county_cell_and_every_write_shows_at_once(world, point):
    year = timezone.localdate().year
    record(world)
    province, prefecture = world.province, prefecture_of(world)
    for region in (province, prefecture):
        assert shown(region, year) == live_totals(region, year)
    # read again: the sums come from the cache, under the stamps just read; no county cell is read
    with CaptureQueriesContext(connection) as queries:
        assert shown(province, year) == live_totals(province, year)
    assert not rollup_reads(queries.captured_queries)
    assert any("monitoring_rollupstamp" in q["sql"] for q in queries.captured_queries)
    # each kind of write moves the figures on the very next read
    record(world, kind="app", description="APP打卡", hours=1)  # a violation, another type
    for region in (province, prefecture):
        assert shown(region, year) == live_totals(region, year)
    assert shown(province, year)[2] == 1
    judge(world, decision="dismiss", reason="经核实不属于违规")  # the inspector's decision moves the verdict
    for region in (province, prefecture):
        assert shown(region, year) == live_totals(region, year)
    assert shown(province, year)[2] == 0


def test_a_rebuilt_month_and_a_changed_verdict_show_at_once(world, point):
    year = timezone.localdate().year
    month = yesterday().replace(day=1)
    record(world)
    assert shown(world.province, year) == live_totals(world.province, year)  # cached now
    # a rebuild replaces the month's cells (here: puts back a damaged county cell); the figures follow
    before = RollupStamp.objects.get(region_code=world.county.code, month=month).stamp
    rollup.rebuild_month(month)
    assert RollupStamp.objects.get(region_code=world.county.code, month=month).stamp != before
    assert shown(world.province, year) == live_totals(world.province, year)
    # one county's rebuild restamps that county only
    other = RollupStamp.objects.create(
        region_code=world.other_county.code, month=month, stamp=rollup.new_stamp()
    )
    rollup.rebuild_month(month, world.county.code)
    assert RollupStamp.objects.get(pk=other.pk).stamp == other.stamp
    # an event taken out under the rollup's feet (no service) is seen once the rebuild moves the stamp
    BurdenEvent.objects.filter(kind="meeting").update(review="dismissed")
    rollup.rebuild_month(month, world.county.code)
    assert shown(world.province, year) == live_totals(world.province, year) == (0, Decimal(0), 0)


def test_the_dashboard_asks_as_many_queries_for_three_counties_as_for_one(world, point, client):
    """A province's dashboard: its figures from the cached sums of its counties (no county cell read on a repeat),
    and the query count does not grow with the counties. Before the cache (#23) the page read the county
    cells twice (the province's sums and the prefectures' for the table below)."""
    year = timezone.localdate().year
    url = f"/monitoring/dashboard/?region={world.province.code}&year={year}"
    inspector = User.objects.create(username="hb_inspector_t", full_name="省纪委", home_region=world.province)
    RoleAssignment.objects.create(user=inspector, role=Role.INSPECTOR, region=world.province)
    client.force_login(inspector)
    record(world)

    def page() -> tuple[int, list[str]]:
        client.get(url)  # the first read fills the cache
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return len(queries.captured_queries), rollup_reads(queries.captured_queries)

    one, read = page()
    assert not read  # the county cells are not read again
    # two more counties with events of their own
    prefecture = prefecture_of(world)
    for n in (31, 32):
        county = Region.objects.create(
            code=f"{prefecture.prefix}{n}000000",
            name=f"新县{n}",
            level=Level.COUNTY,
            parent=prefecture,
            kind="county",
        )
        town = Region.objects.create(
            code=f"{county.prefix}101000", name=f"新镇{n}", level=Level.TOWNSHIP, parent=county, kind="town"
        )
        village = Region.objects.create(
            code=f"{town.prefix}201", name=f"新村{n}", level=Level.VILLAGE, parent=town, kind="village"
        )
        department = Department.objects.create(name=f"新县{n}人社局", region=county)
        event = BurdenEvent.objects.create(
            village=village,
            region_code=village.code,
            kind="meeting",
            department=department,
            occurred_on=yesterday(),
            hours=1,
            description="参加会议",
            reporter=world.monitor,
        )
        with transaction.atomic():  # the rollup's own write path, as the services call it
            rollup.apply(event, rollup.contribution(event))
    three, read = page()
    assert not read
    assert three == one <= 32  # before: four more (each year of the signals and the inspections read alone)
    assert shown(world.province, year) == live_totals(world.province, year)


def test_the_stamps_are_backfilled_for_every_county_month_that_holds_cells(world, point):
    from importlib import import_module

    from django.apps import apps

    record(world)
    RollupStamp.objects.all().delete()
    import_module("jianfu.monitoring.migrations.0012_rollup_stamps").stamp_every_county_month(apps, None)
    held = set(
        selectors.MonthlyRollup.objects.filter(level=Level.COUNTY)
        .values_list("region_code", "month")
        .distinct()
    )
    assert set(RollupStamp.objects.values_list("region_code", "month")) == held and held
