"""A province's (or prefecture's) month rebuild runs one county at a time (#23): each county's part in its own
short transaction under that county's month lock, so a writer in another county never waits for it, a writer
in the county being rebuilt waits for that county's step only, and an event recorded meanwhile is counted once —
seen by the step's scan, or moving the cells the step has just replaced."""

from datetime import date

import pytest
from django.db import connection, transaction

from jianfu.monitoring.models import (
    DepartmentRollup,
    MonitorAssignment,
    MonitoringPoint,
    MonthlyRollup,
    RollupStamp,
)
from jianfu.monitoring.services import rollup
from jianfu.orgs.models import Level, Region, RoleAssignment, User
from jianfu.orgs.roles import Role
from tests.concurrency import interleave

from .conftest import make_point, record, yesterday
from .test_rollup_by_region import assert_rollup_is_live, live_cells

pytestmark = pytest.mark.django_db


def _other_county_writer(world):
    """A monitor of a village in 东岭县 (the other county), with its point."""
    village = Region.objects.filter(
        level=Level.VILLAGE, code__startswith=world.other_county.prefix, is_active=True
    ).first()
    monitor = User.objects.create(username="dl_monitor", full_name="东岭监测员", home_region=village)
    RoleAssignment.objects.create(user=monitor, role=Role.MONITOR, region=village)
    MonitorAssignment.objects.create(point=MonitoringPoint.objects.create(village=village), monitor=monitor)
    return monitor, village


def _two_counties(world):
    """Events of this month's yesterday in both counties; returns the writers, one per county in code order."""
    make_point(world)
    other = _other_county_writer(world)
    writers = {
        world.county.prefix: lambda n: record(world, description=f"清河县会议 {n}"),
        world.other_county.prefix: lambda n: record(
            world,
            actor=other[0],
            village=other[1],
            department=world.other_dept,
            kind="app",
            description=f"东岭县APP打卡 {n}",
            hours=1,
        ),
    }
    for write in writers.values():
        write(0)
        write(1)
    return writers


STRAY = "428599000000"  # no such county: cells and a stamp left behind by something else


def _damage(world, month: date):
    """Cells that a rebuild must put right: wrong figures, a lost department cell, a county holding cells and a
    stamp with no events, a county's stamp gone."""
    MonthlyRollup.objects.filter(month=month).update(events=99, hours=0)
    DepartmentRollup.objects.filter(month=month, region_code=world.county.code).first().delete()
    MonthlyRollup.objects.create(region_code=STRAY, level=Level.COUNTY, month=month, kind="form", events=5)
    RollupStamp.objects.update_or_create(region_code=STRAY, month=month, defaults={"stamp": 1})
    RollupStamp.objects.filter(month=month, region_code=world.other_county.code).delete()


def test_a_province_month_is_rebuilt_county_by_county_and_equals_a_direct_count(world):
    """Each county's part takes its own county's month lock (exclusively, once, in code order) and nothing else;
    the cells then equal a direct count at every level, for the province, a prefecture and everything."""
    _two_counties(world)
    month = yesterday().replace(day=1)
    expected = live_cells()
    taken = []
    lock = rollup.month_lock

    def recorded(month, *args, shared):
        taken.append((args[0][:6] if args else "", shared))
        lock(month, *args, shared=shared)

    prefecture = world.county.code[:4].ljust(12, "0")
    for region in (world.province.code, prefecture, None):
        _damage(world, month)
        prefix = Region.objects.get(code=region).prefix if region else ""
        under = Region.objects.filter(level=Level.COUNTY, code__startswith=prefix)
        steps = sorted({c[:6] for c in under.values_list("code", flat=True)} | {STRAY[:6]})
        taken.clear()
        rollup.month_lock = recorded
        try:
            cells = rollup.rebuild_month(month, region)
        finally:
            rollup.month_lock = lock
        assert live_cells() == expected
        assert_rollup_is_live()
        # one step per county, the stray one's cells gone with its step
        assert taken == [(county, False) for county in steps], region
        assert not MonthlyRollup.objects.filter(region_code=STRAY).exists()
        assert not RollupStamp.objects.filter(region_code=STRAY).exists()
        stamps = RollupStamp.objects.filter(month=month).values_list("region_code", flat=True)
        assert sorted(stamps) == [world.county.code, world.other_county.code]
        assert (
            cells
            == MonthlyRollup.objects.filter(month=month).count()
            + DepartmentRollup.objects.filter(month=month).count()
        )


def test_an_event_recorded_between_two_counties_steps_is_counted_once(world):
    """SQLite (one writer at a time): events recorded after the first county's step committed and before the
    second county's step — one in the county already rebuilt (its cells moved by ``apply``), one in the county
    not yet rebuilt (its step's scan sees it) — are each counted once."""
    writers = _two_counties(world)
    month = yesterday().replace(day=1)
    lock, written = rollup.month_lock, []

    def between(month, *args, shared):
        if not shared and args and args[0].startswith(world.other_county.prefix) and not written:
            written.extend(
                [writers[world.county.prefix](2)[0].pk, writers[world.other_county.prefix](2)[0].pk]
            )
        lock(month, *args, shared=shared)

    rollup.month_lock = between
    try:
        rollup.rebuild_month(month, world.province.code)
    finally:
        rollup.month_lock = lock
    assert len(written) == 2
    assert_rollup_is_live()
    counties = dict(
        MonthlyRollup.objects.filter(month=month, level=Level.COUNTY).values_list("region_code", "events")
    )
    assert counties == {world.county.code: 3, world.other_county.code: 3}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("held", ["first", "second"])
def test_on_postgresql_a_county_step_blocks_only_its_own_countys_writers(world, held):
    """Real transactions: the province's month rebuild is held inside one county's step (after its scan, its
    lock held). A writer in the other county commits meanwhile under a 5 s lock timeout — into a county not yet
    rebuilt (``held`` first: the later step's scan counts it) or already rebuilt (``held`` second: ``apply``
    moves the rebuilt cell); a writer in the held county waits for the step, then commits. Every event is
    counted once. On the code before, the rebuild held the whole month: the other county's writer timed out."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time for the whole database")
    writers = _two_counties(world)
    month = yesterday().replace(day=1)
    counties = [world.county.prefix, world.other_county.prefix]
    mine, other = counties if held == "first" else counties[::-1]
    fill, pause = rollup._fill_townships, []

    def paused(cursor, month, prefix):
        fill(cursor, month, prefix)
        if mine.startswith(prefix):  # the held county's step (the whole month's transaction before)
            pause[0]()

    def rebuild(hold):
        pause.append(hold)
        return rollup.rebuild_month(month, world.province.code)

    def other_county():  # no wait: a wait would end at the lock timeout and fail the test
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '5s'")
            writers[other](2)

    rollup._fill_townships = paused
    try:
        outcome = interleave(
            rebuild, lambda: writers[mine](2)[0].pk, before_second=other_county, atomic_first=False
        )
    finally:
        rollup._fill_townships = fill
    assert outcome.second_waited_for_first and outcome.both_committed, outcome
    assert_rollup_is_live()
    cells = dict(
        MonthlyRollup.objects.filter(month=month, level=Level.COUNTY).values_list("region_code", "events")
    )
    assert cells == {world.county.code: 3, world.other_county.code: 3}
