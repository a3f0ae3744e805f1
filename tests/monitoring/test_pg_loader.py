"""The bench's database-speed loader (bench/pg_loader.py) at small scale on PostgreSQL: the events it writes are
whole (each village's own code, a department of the village's county, the day the row number gives), and the
rollup cells it leaves are what the services would hold — every stored cell equals a direct count of the
events (department cells for the counties only), the county dashboard's figures equal the events', and one more event recorded through the real
service moves its cells by exactly itself."""

from collections import Counter
from datetime import date
from decimal import Decimal

import pytest
from bench import bench_monitoring, pg_loader
from django.db import connection

from jianfu.monitoring import dashboard, services
from jianfu.monitoring.models import (
    BurdenEvent,
    DepartmentRollup,
    MonitorAssignment,
    MonitoringPoint,
    MonthlyRollup,
)
from jianfu.orgs.models import Department, Level, Region, RoleAssignment, User
from jianfu.orgs.roles import Role

ROWS = 5000


@pytest.fixture
def province(db, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("the loader writes monthly partitions: PostgreSQL only")
    monkeypatch.setattr(bench_monitoring, "SHAPE", (2, 2, 2, 3))  # 24 villages in 4 counties
    monkeypatch.setattr(bench_monitoring, "PROVINCE", "61")
    ids = bench_monitoring.build_geography()
    took = pg_loader.load(0, ROWS, ids["monitor"].pk)
    assert took["rows"] == ROWS
    return ids


def _direct(level_length: int, *, department: bool) -> Counter:
    """events, hours, violations per (region at that level, month, [department,] type), from the events."""
    out: Counter = Counter()
    for code, day, dep, kind, hours, verdict in BurdenEvent.objects.values_list(
        "region_code", "occurred_on", "department_id", "kind", "hours", "verdict"
    ):
        key = (
            (code[:level_length].ljust(12, "0"), day.replace(day=1))
            + ((dep,) if department else ())
            + (kind,)
        )
        out[key + ("events",)] += 1
        out[key + ("hours",)] += Decimal(hours)
        out[key + ("violations",)] += verdict == "violation"
    return out


def _stored(model, level: int, *, department: bool) -> Counter:
    out: Counter = Counter()
    fields = ["region_code", "month"] + (["department_id"] if department else []) + ["kind"]
    for row in model.objects.filter(level=level).values_list(*fields, "events", "hours", "violations"):
        key = tuple(row[: len(fields)])
        for name, value in zip(("events", "hours", "violations"), row[len(fields) :], strict=True):
            if value:
                out[key + (name,)] += value
    return out


def test_loaded_events_are_whole_rows_of_the_province(province):
    assert BurdenEvent.objects.count() == ROWS
    with connection.cursor() as c:
        c.execute(
            "SELECT count(*) FROM monitoring_burdenevent e JOIN orgs_region v ON v.id = e.village_id"
            " JOIN orgs_department d ON d.id = e.department_id JOIN orgs_region dr ON dr.id = d.region_id"
            " WHERE v.code <> e.region_code OR v.level <> %s OR dr.code <> substring(v.code, 1, 6) || '000000'",
            [int(Level.VILLAGE)],
        )
        assert c.fetchone()[0] == 0
        c.execute("SELECT count(*) FROM monitoring_burdenevent_default")
        assert c.fetchone()[0] == 0  # every row in its month's partition
    first = BurdenEvent.objects.order_by("id").first()
    expected = pg_loader.row(0)
    assert (first.occurred_on, first.kind, first.verdict) == (
        expected["day"],
        expected["kind"],
        expected["verdict"],
    )
    assert BurdenEvent.objects.filter(occurred_on__gte=date(2025, 12, 1)).exists()
    assert not BurdenEvent.objects.filter(occurred_on__gt=date(2025, 12, 31)).exists()
    assert len(set(BurdenEvent.objects.values_list("village_id", flat=True))) == 24


def test_every_rollup_cell_equals_a_direct_count_of_the_events(province):
    for level, length in ((Level.COUNTY, 6), (Level.TOWNSHIP, 9)):
        direct = _direct(length, department=False)
        assert _stored(MonthlyRollup, level, department=False) == +direct
    # department cells: the county's only (a township's chart counts its events)
    assert _stored(DepartmentRollup, Level.COUNTY, department=True) == +_direct(6, department=True)
    assert not DepartmentRollup.objects.exclude(level=Level.COUNTY).exists()
    assert sum(v for k, v in _direct(6, department=False).items() if k[-1] == "events") == ROWS


def test_the_county_dashboard_reads_what_the_events_say(province):
    county = province["county"]
    figures = dashboard.event_figures(county, 2025)
    events = BurdenEvent.objects.filter(region_code__startswith=county.prefix, occurred_on__year=2025)
    total = figures["totals"][0]
    assert total["events"] == events.count() > 0
    assert total["violations"] == events.filter(verdict="violation").count()


def test_an_event_recorded_through_the_service_afterwards_moves_its_cells_by_itself(province):
    village = Region.objects.filter(level=Level.VILLAGE).order_by("code").first()
    monitor = User.objects.create(username="loader_monitor", full_name="监测员", home_region=village)
    RoleAssignment.objects.create(user=monitor, role=Role.MONITOR, region=village)
    MonitorAssignment.objects.create(point=MonitoringPoint.objects.create(village=village), monitor=monitor)
    department = (
        Department.objects.filter(region__code=village.code[:6].ljust(12, "0")).order_by("id").first()
    )
    month = date(2025, 3, 1)
    cells = MonthlyRollup.objects.filter(
        month=month,
        kind="meeting",
        region_code__in=[village.code[:6].ljust(12, "0"), village.code[:9].ljust(12, "0")],
    )
    before = dict(cells.values_list("region_code", "events"))
    departments = DepartmentRollup.objects.filter(month=month, kind="meeting", department_id=department.pk)
    department_before = dict(departments.values_list("region_code", "events"))
    assert len(before) == 2  # the loader left both cells (the month has meetings in that township)
    services.event_record(
        actor=monitor,
        village=village,
        kind="meeting",
        department=department,
        occurred_on=date(2025, 3, 9),
        hours=1,
        description="参加培训会",
    )
    after = dict(cells.values_list("region_code", "events"))
    assert after == {code: n + 1 for code, n in before.items()}
    county = village.code[:6].ljust(12, "0")
    assert dict(departments.values_list("region_code", "events")) == {
        county: department_before.get(county, 0) + 1
    }  # the county's department cell, and no township one
    assert _stored(MonthlyRollup, Level.COUNTY, department=False) == +_direct(6, department=False)
