"""The township's department chart and a drill-down's bounded total read the events' ``event_region_day`` index
alone (#23): at 120M events the heap outgrew memory and the chart's 20,041 heap pages made the township dashboard
224-300 ms; with the counted columns included in the index it was index-only, 7,524 buffers, 80-86 ms
(docs/scale.md)."""

import re

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from jianfu.core import keyset
from jianfu.monitoring import dashboard, selectors
from jianfu.monitoring.dashboard import EVENT_MEASURES
from jianfu.monitoring.models import BurdenEvent

from .conftest import record, yesterday

pytestmark = pytest.mark.django_db


def _region_day_index():
    return next(i for i in BurdenEvent._meta.indexes if i.name == "event_region_day")


def _index_columns() -> set[str]:
    index = _region_day_index()
    return {BurdenEvent._meta.get_field(name).column for name in (*index.fields, *index.include)}


def test_every_column_the_township_chart_reads_is_in_the_index(world, point):
    record(world, kind="app", description="APP每日打卡")
    chart = dashboard._departments(world.township_hk, yesterday().year, None, EVENT_MEASURES)
    sql, _ = chart.query.sql_with_params()
    read = set(re.findall(r'"monitoring_burdenevent"\."(\w+)"', sql))
    assert {"region_code", "occurred_on", "department_id", "verdict", "hours", "review", "id"} <= read
    assert read <= _index_columns(), read - _index_columns()
    assert list(chart.values_list("department_id", "n")) == [(world.dept_rs.pk, 1)]


def test_on_postgresql_the_parent_and_each_months_index_include_the_counted_columns(world):
    if connection.vendor != "postgresql":
        pytest.skip("included columns and partitions are PostgreSQL's")
    with connection.cursor() as c:
        c.execute(
            "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i"
            " JOIN pg_class c ON c.oid = i.indrelid"
            " WHERE c.relname LIKE 'monitoring_burdenevent%%' AND pg_get_indexdef(i.indexrelid) LIKE %s",
            ["%(region_code, occurred_on)%"],
        )
        defs = dict(c.fetchall())
    assert "monitoring_burdenevent" in defs and len(defs) > 1  # the parent and its months
    for table, definition in defs.items():
        assert "INCLUDE (department_id, verdict, hours, review, id, kind)" in definition, (table, definition)


def test_a_drill_downs_bounded_total_reads_only_the_indexs_columns(world, point):
    day = yesterday()
    record(world, kind="app", description="APP每日打卡", occurred_on=day)
    filters = {"region": world.county.code, "kind": "app", "month": f"{day:%Y-%m}", "verdict": "violation"}
    with CaptureQueriesContext(connection) as reads:
        events, _ = selectors.events_and_window(world.inspector, filters, newest_first=True)
        rows = list(keyset.keyset_page(RequestFactory().get("/"), events, date_field="occurred_on"))
    assert len(rows) == 1
    (total,) = [q["sql"] for q in reads.captured_queries if q["sql"].startswith("SELECT COUNT(*)")]
    read = set(re.findall(r'"monitoring_burdenevent"\."(\w+)"', total))
    assert {"region_code", "occurred_on", "kind", "verdict"} <= read
    assert read <= _index_columns(), read - _index_columns()
