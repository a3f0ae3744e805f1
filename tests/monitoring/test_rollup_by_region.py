"""The rollup by region × month × type (and by department within a county and a township): equal to a live count
of the events after every kind of write, rebuilt one month or one region at a time without losing a write to
another month, and read by every dashboard level."""

import io
from collections import defaultdict
from datetime import timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone

from jianfu.catalog.corrections import verdict_correct
from jianfu.core.checks import Check
from jianfu.monitoring import dashboard, selectors, services
from jianfu.monitoring.models import BurdenEvent, DepartmentRollup, MonthlyRollup, Verdict
from jianfu.monitoring.services import rollup
from jianfu.orgs.models import Region
from tests.catalog.test_corrections import UNLISTED_WORK, duty_item

from .conftest import judge, load_lists, make_point, record, yesterday

pytestmark = pytest.mark.django_db


def live_cells() -> tuple[dict, dict]:
    """The cells counted straight from the events, the way a dashboard would without a rollup."""
    regions: dict = defaultdict(lambda: [0, Decimal(0), 0, 0])
    departments: dict = defaultdict(lambda: [0, Decimal(0), 0, 0])
    for event in BurdenEvent.objects.counted():
        month = event.occurred_on.replace(day=1)
        amounts = (
            1,
            Decimal(event.hours),
            event.verdict == Verdict.VIOLATION,
            event.verdict == Verdict.UNDECIDED,
        )
        for _, code in rollup.region_codes(event.region_code):
            _add(regions[(code, month, event.kind)], amounts)
        for _, code in rollup.region_codes(event.region_code, rollup.DEPARTMENT_LEVELS):
            _add(departments[(code, month, event.department_id, event.kind)], amounts)
    return dict(regions), dict(departments)


def _add(cell, amounts):
    for i, value in enumerate(amounts):
        cell[i] += value


def held_cells() -> tuple[dict, dict]:
    measures = ("events", "hours", "violations", "undecided")
    # Every level through the one selector: the county and township cells as stored, the prefecture and
    # province ones summed from their counties' when read.
    regions = {
        (c["code"], c["month"], c["kind"]): [c["e"], c["h"], c["v"], c["u"]]
        for level in rollup.REGION_LEVELS
        for c in selectors.rollup_cells(level)
        if c["e"]
    }
    departments = {
        (c, m, d, k): [e, h, v, u]
        for c, m, d, k, e, h, v, u in DepartmentRollup.objects.filter(events__gt=0).values_list(
            "region_code", "month", "department_id", "kind", *measures
        )
    }
    return regions, departments


def assert_rollup_is_live():
    assert held_cells() == live_cells()


def clue(world, **overrides):
    arguments = dict(
        village=world.village_taoyuan,
        kind="form",
        department=world.dept_rs,
        occurred_on=yesterday(),
        description="要求填报《社保扩面进度表》",
        subject="社保扩面进度表",
    )
    arguments.update(overrides)
    return services.clue_report(actor=world.village_cadre, **arguments)


def test_the_rollup_equals_a_live_count_after_each_kind_of_write(world, point):
    make_point(world, village=world.community_jiefang)
    record(world)
    assert_rollup_is_live()  # a monitor's record
    record(world, village=world.community_jiefang, kind="app", description="APP打卡", hours=1)
    assert_rollup_is_live()  # another township, a violation
    with mock.patch("jianfu.forms.checks.form_check", return_value=Check.unknown("尚未启用")):
        undecided, _ = record(world, kind="form", subject="人口表", description="填表", hours="1.5")
    assert_rollup_is_live()  # an undecided one
    accepted, _ = clue(world, idempotency_key="c-1")
    dismissed, _ = clue(world, kind="meeting", description="会议", idempotency_key="c-2")
    assert_rollup_is_live()  # pending clues do not count
    services.clue_review(actor=world.inspector, event=accepted, accept=True, note="经核实属实")
    assert_rollup_is_live()  # accepted: it counts
    services.clue_review(actor=world.inspector, event=dismissed, accept=False, note="查无此事")
    assert_rollup_is_live()  # dismissed: still not
    with mock.patch("jianfu.forms.checks.form_check", return_value=Check.broken("未列入清单")):
        services.event_recheck(actor=world.inspector, event=undecided)
    assert_rollup_is_live()  # rechecked: undecided → violation
    judge(world, decision="dismiss", reason="经核实不属于违规")
    assert_rollup_is_live()  # the inspector's findings: the events' verdicts follow
    assert held_cells()[0]  # something was counted


def test_an_inspectors_correction_of_a_verdict_moves_the_rollup(world):
    load_lists()
    make_point(world)
    event, _ = record(world, kind="task", subject=UNLISTED_WORK, description=UNLISTED_WORK)
    assert event.verdict == Verdict.VIOLATION
    assert_rollup_is_live()
    verdict_correct(
        actor=world.inspector,
        source="monitoring_event",
        source_id=event.pk,
        corrected_verdict="duty",
        item_id=duty_item().pk,
        reason="属于居民的公共事务",
    )
    assert BurdenEvent.objects.get(pk=event.pk).verdict == Verdict.OK
    assert_rollup_is_live()


def _two_months(world):
    make_point(world, village=world.community_jiefang)
    today = timezone.localdate()
    earlier = (today.replace(day=1) - timedelta(days=1)).replace(day=10)
    record(world)
    record(world, kind="app", description="APP打卡", hours=1, occurred_on=earlier)
    record(world, village=world.community_jiefang, kind="meeting", description="开会", occurred_on=earlier)
    return today.replace(day=1), earlier.replace(day=1)


def test_a_rebuilt_month_or_region_equals_the_incremental_rollup(world, point):
    this_month, earlier = _two_months(world)
    incremental = held_cells()
    MonthlyRollup.objects.filter(month=earlier).update(events=99)  # a damaged month
    DepartmentRollup.objects.filter(month=earlier).delete()
    assert rollup.rebuild_month(earlier) > 0
    assert held_cells() == incremental
    MonthlyRollup.objects.filter(month=earlier, region_code=world.township_hk.code).update(events=7, hours=0)
    rollup.rebuild_month(earlier, world.township_hk.code)  # one township; its county follows
    assert held_cells() == incremental
    rollup.rebuild_month(this_month, world.county.code)
    assert held_cells() == incremental == live_cells()
    with pytest.raises(ValueError, match="不是省、市、县或乡镇级区划"):
        rollup.rebuild_month(earlier, world.village_taoyuan.code)


def test_a_write_to_another_month_during_a_rebuild_is_not_lost(world, point):
    this_month, earlier = _two_months(world)
    fill, written = rollup._fill_townships, []

    def while_computing(cursor, month, prefix):
        fill(cursor, month, prefix)
        if not written:  # this month, recorded once while `earlier` is being rebuilt (county by county)
            written.append(record(world, kind="meeting", description="重建期间记录", hours=3))

    with mock.patch.object(rollup, "_fill_townships", while_computing):
        rollup.rebuild_month(earlier)
    assert_rollup_is_live()
    county = MonthlyRollup.objects.get(region_code=world.county.code, month=this_month, kind="meeting")
    assert county.events == 2


def test_the_command_rebuilds_a_month_or_everything(world, point):
    _, earlier = _two_months(world)
    expected = held_cells()
    MonthlyRollup.objects.all().update(events=0)
    out = io.StringIO()
    call_command(
        "monitoring_rollup", "--month", f"{earlier:%Y-%m}", "--region", world.county.code, stdout=out
    )
    assert "2" in out.getvalue() and held_cells() != expected
    call_command("monitoring_rollup", stdout=out)
    assert held_cells() == expected


def test_the_command_refuses_a_bad_month_in_chinese(world):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="月份"):
        call_command("monitoring_rollup", "--month", "2026-13", stdout=io.StringIO())


def test_every_dashboard_level_reads_the_figures_of_a_live_count(world, point):
    make_point(world, village=world.community_jiefang)
    record(world)
    record(world, village=world.community_jiefang, kind="app", description="APP打卡", hours=1)
    year = timezone.localdate().year
    province = world.province
    prefecture = Region.objects.get(code=world.county.code[:4].ljust(12, "0"))
    counted = BurdenEvent.objects.counted().filter(occurred_on__year=year)
    for region in (province, prefecture, world.county, world.township_hk, world.village_taoyuan):
        mine = [e for e in counted if e.region_code.startswith(region.prefix)]
        figures = dashboard.figures(region, year)
        total = figures["totals"][0]
        assert total["events"] == len(mine), region.name
        assert total["violations"] == sum(e.verdict == Verdict.VIOLATION for e in mine)
        assert total["hours"] == sum(Decimal(e.hours) for e in mine)
        assert f"region={region.code}" in total["link"]  # the figure opens its records
        by_kind = {r["key"]: r["events"] for r in figures["totals"][1:]}
        assert by_kind == {k: sum(e.kind == k for e in mine) for k in by_kind}
        months = [sum(s["data"][m] for s in figures["month_chart"]["series"]) for m in range(12)]
        assert months == [sum(e.occurred_on.month == m + 1 for e in mine) for m in range(12)]
        departments = {r["name"]: r["events"] for r in figures["department_chart"]["rows"]}
        if region.level >= 3:  # county, township, village: ranked by department
            assert departments == {world.dept_rs.name: len(mine)}
        else:  # prefecture, province: the counties are ranked instead, and the page says so
            assert departments == {} and "县" in figures["department_chart"]["note"]


def test_on_postgresql_a_rebuild_blocks_only_its_own_months_writers_and_loses_none(
    world, point, transactional_db
):
    """Real concurrency: the rebuild of one month holds its transaction open; a writer to another month goes
    straight through (under a lock timeout), a writer to the same month waits for it and is then counted."""
    from django.db import connection, transaction

    from tests.concurrency import interleave

    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises every writer; the month lock is PostgreSQL's")
    this_month, earlier = _two_months(world)
    fill, pause = rollup._fill_townships, []

    def paused(cursor, month, prefix):
        fill(cursor, month, prefix)
        pause[0]()

    def rebuild(hold):
        pause.append(hold)
        rollup.rebuild_month(earlier)

    def other_month():  # this month: no wait (a wait would end at the lock timeout)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '5s'")
            record(world, kind="meeting", description="重建期间记录", hours=3)

    def same_month():
        record(world, kind="app", description="APP打卡", hours=1, occurred_on=earlier.replace(day=20))

    with mock.patch.object(rollup, "_fill_townships", paused):
        outcome = interleave(rebuild, same_month, before_second=other_month)
    # the rebuilt month's writer waited for the rebuild, and both were then counted
    assert outcome.second_waited_for_first and outcome.both_committed, outcome
    assert_rollup_is_live()


def test_the_migration_drops_the_cells_above_the_county_and_backwards_sums_them_again(world, point):
    """Backwards, the prefecture and province rows are the old code's (its counties' sums, equal to a live
    count); forwards they are deleted and the figures, now summed when read, are unchanged."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module("jianfu.monitoring.migrations.0011_rollup_above_county_summed_when_read")
    _two_months(world)
    live = live_cells()[0]
    migration.sum_cells_above_county(apps, None)
    upper = MonthlyRollup.objects.filter(level__lt=3)
    restored = {
        (c.region_code, c.month, c.kind): [c.events, c.hours, c.violations, c.undecided] for c in upper
    }
    assert restored and restored == {key: cell for key, cell in live.items() if key[0][4:] == "00000000"}
    migration.drop_cells_above_county(apps, None)
    assert not MonthlyRollup.objects.filter(level__lt=3).exists() and held_cells()[0] == live
