"""Department cells at county level only (#23): an event moves its county's department cell and no township
one; a township's department chart counts its own events; the data migration deletes the township cells and,
backwards, recomputes them from the events."""

from collections import Counter
from datetime import date
from types import SimpleNamespace

import pytest
from django.db import connection
from django.utils import timezone

from jianfu.monitoring import dashboard
from jianfu.monitoring.models import BurdenEvent, DepartmentRollup, Verdict
from jianfu.monitoring.services import rollup
from jianfu.orgs.models import Department, Level

from .conftest import make_point, record, yesterday

pytestmark = pytest.mark.django_db


def _cells() -> dict:
    return {
        (c.region_code, c.level, c.month, c.department_id, c.kind): (c.events, c.hours, c.violations)
        for c in DepartmentRollup.objects.all()
    }


def test_an_event_recorded_through_the_service_moves_only_its_county_department_cell(world, point):
    record(world)
    before = _cells()
    record(world, kind="app", description="APP打卡", hours=1)
    after = _cells()
    changed = {key for key in after if after[key] != before.get(key)}
    county = world.county.code
    assert changed == {(county, int(Level.COUNTY), yesterday().replace(day=1), world.dept_rs.pk, "app")}
    assert not DepartmentRollup.objects.exclude(level=Level.COUNTY).exists()


def _township_departments(township, year: int) -> dict:
    """(violations, events, hours) per department, counted straight from the township's events of the year."""
    out: dict = {}
    counted = BurdenEvent.objects.counted().filter(occurred_on__year=year)
    for event in counted.filter(region_code__startswith=township.prefix):
        v, n, h = out.get(event.department_id, (0, 0, 0))
        out[event.department_id] = (v + (event.verdict == Verdict.VIOLATION), n + 1, h + float(event.hours))
    return out


def test_the_township_department_chart_counts_the_townships_own_events(world, point):
    make_point(world, village=world.community_jiefang)  # another township of the county
    record(world)
    record(world, kind="app", description="APP打卡", hours=1)
    record(world, department=world.dept_rs, village=world.community_jiefang, description="另一个乡镇的会议")
    # the county's cells hold all three; no township cell is there to read (the migration deleted them)
    DepartmentRollup.objects.filter(level=Level.TOWNSHIP).delete()
    year = timezone.localdate().year
    chart = dashboard.figures(world.township_hk, year)["department_chart"]
    expected = _township_departments(world.township_hk, year)
    assert sum(n for _, n, _ in expected.values()) == 2  # the other township's event is not the chart's
    names = dict(Department.objects.values_list("pk", "name"))
    shown = {r["name"]: (r["violations"], r["events"], r["hours"]) for r in chart["rows"]}
    assert shown == {names[pk]: figures for pk, figures in expected.items()}
    assert chart["rows"][0]["link"].count(f"region={world.township_hk.code}") == 1


def test_a_township_rebuild_recomputes_its_countys_department_cells_from_the_events(world, point):
    make_point(world, village=world.community_jiefang)
    record(world)
    record(world, village=world.community_jiefang, kind="app", description="APP打卡", hours=1)
    incremental = _cells()
    month = yesterday().replace(day=1)
    DepartmentRollup.objects.filter(month=month).update(events=99)  # damaged
    rollup.rebuild_month(month, world.township_hk.code)
    assert _cells() == incremental


def test_the_migration_deletes_township_cells_and_backwards_recomputes_them(world, point):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("jianfu.monitoring.migrations.0014_township_department_cells_dropped")
    make_point(world, village=world.community_jiefang)
    record(world)
    record(world, kind="app", description="APP打卡", hours=1)
    record(world, village=world.community_jiefang, description="另一个乡镇的会议")
    county_cells = {k: v for k, v in _cells().items() if k[1] == Level.COUNTY}
    editor = SimpleNamespace(connection=connection)
    migration.rebuild_township_cells(apps, editor)
    expected: Counter = Counter()
    for e in BurdenEvent.objects.counted():
        key = (
            e.region_code[:9] + "000",
            int(Level.TOWNSHIP),
            e.occurred_on.replace(day=1),
            e.department_id,
            e.kind,
        )
        expected[key] += 1
    townships = {k: v[0] for k, v in _cells().items() if k[1] == Level.TOWNSHIP}
    assert {
        (c, lv, date.fromisoformat(str(m)[:10]), d, k): n for (c, lv, m, d, k), n in townships.items()
    } == dict(expected)
    migration.drop_township_cells(apps, editor)
    assert _cells() == county_cells
