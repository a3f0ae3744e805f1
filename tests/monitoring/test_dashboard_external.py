"""The dashboard's figures from the other apps (inspections, placards, the one form, refusals): this year and
last read together, one read a figure instead of one a figure and year (#23), with the same figures."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jianfu.monitoring import dashboard
from jianfu.supervision.demo import _year, load_demo_records
from jianfu.supervision.models import InspectionVisit, Placard, PlacardStatus

pytestmark = pytest.mark.django_db


def _values(rows) -> dict:
    return {(row["label"], name): (now, before) for row in rows for name, now, before in row["values"]}


def test_the_other_apps_figures_are_read_for_both_years_at_once_and_stay_the_same(world):
    load_demo_records()
    year = _year()
    with CaptureQueriesContext(connection) as queries:
        rows = dashboard.external_figures(world.county, year)
    # planned (named villages, numbered scopes), visits, placards, the one form, declines, refusals: 7 reads; it
    # was 12 with a read per figure and year.
    assert len(queries.captured_queries) <= 7
    found = _values(rows)
    prefix = world.county.prefix
    for y, at in ((year, 0), (year - 1, 1)):
        visits = InspectionVisit.objects.filter(village__code__startswith=prefix, on__year=y)
        assert found[("到村督查检查考核", "实际")][at] == visits.count()
        assert found[("到村督查检查考核", "计划外")][at] == visits.filter(unplanned=True).count()
        removed = Placard.objects.filter(
            village__code__startswith=prefix, status=PlacardStatus.REMOVED, removed_on__year=y
        )
        assert found[("摘除牌子和上墙制度", "上墙制度")][at] == removed.filter(kind="wall_rule").count()
    assert found[("到村督查检查考核", "计划")][0] == 16 and found[("到村督查检查考核", "实际")][0] == 9
    assert (
        found[("摘除牌子和上墙制度", "牌子")][0] == 11 and found[("摘除牌子和上墙制度", "上墙制度")][0] == 3
    )
    # last year's plans are the demo's −20%: a figure of last year, not this year's read twice
    assert found[("到村督查检查考核", "计划")][1] == 20
