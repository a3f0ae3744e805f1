"""What a province's, prefecture's or county's inspector opens every day stays cheap as the events grow (#23): the
home card's figures come from the rollup and equal a live count, the pending clues are counted on their own
index, and the findings queue's rule filter reads the rules, not every finding."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jianfu.monitoring import selectors
from jianfu.monitoring.models import BurdenEvent, Finding, Verdict
from jianfu.orgs.models import Region, RoleAssignment, User
from jianfu.orgs.roles import Role

from .conftest import make_point, record

pytestmark = pytest.mark.django_db


def inspector_on(region: Region) -> User:
    user = User.objects.create(username=f"insp_{region.code}", full_name="纪检", home_region=region)
    RoleAssignment.objects.create(user=user, role=Role.INSPECTOR, region=region)
    return user


def live(region: Region) -> tuple[int, int]:
    year_start = timezone.localdate().replace(month=1, day=1)
    mine = BurdenEvent.objects.counted().filter(
        occurred_on__gte=year_start, region_code__startswith=region.prefix
    )
    return mine.count(), mine.filter(verdict=Verdict.VIOLATION).count()


def test_the_home_card_shows_a_live_count_of_the_year_read_from_the_rollup(world, point):
    make_point(world, village=world.community_jiefang)
    record(world)
    record(world, village=world.community_jiefang, kind="app", description="APP打卡", hours=1)
    prefecture = Region.objects.get(code=world.county.code[:4].ljust(12, "0"))
    regions = (world.province, prefecture, world.county, world.township_hk, world.village_taoyuan)
    for region in regions:
        user = inspector_on(region)
        with CaptureQueriesContext(connection) as queries:
            card = selectors.home_card(user)
        assert (card["events"], card["violations"]) == live(region), region.name
        if (
            region.level < 5
        ):  # above a village no event is read for the year's figures (the pending clues aside)
            read = [q["sql"] for q in queries.captured_queries if "monitoring_burdenevent" in q["sql"]]
            assert all("\"review\" = 'pending'" in sql for sql in read), (region.name, read)
    assert live(world.province) == (2, 1)


def test_the_home_page_counts_pending_clues_on_their_own_index(world, point, client):
    user = inspector_on(world.province)
    client.force_login(user)
    record(world)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/home/").status_code == 200
    events = [q["sql"] for q in queries.captured_queries if "monitoring_burdenevent" in q["sql"]]
    # only the pending clues (the partial index event_pending_clue), never the year's events
    assert events and all("\"review\" = 'pending'" in sql for sql in events), events
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + events[0].replace("COUNT(*)", "1", 1))
            assert "event_pending_clue" in " ".join(str(row) for row in cursor.fetchall())


def test_the_findings_rule_filter_reads_each_rule_once(world, point):
    for n in range(3):
        record(world, kind="app", description=f"APP打卡{n}", hours=Decimal(1))
    rules = Finding.objects.exclude(rule="").values_list("rule", flat=True)
    assert len(rules) >= 3 and len(set(rules)) < len(rules)  # several findings, one rule
    with CaptureQueriesContext(connection) as queries:
        assert selectors.finding_rules(world.inspector) == sorted(set(rules))
    (sql,) = [q["sql"] for q in queries.captured_queries if "monitoring_finding" in q["sql"]]
    # DISTINCT of the rule alone: with the model's order it was DISTINCT (rule, occurred_on, id), every finding
    assert "occurred_on" not in sql.split("FROM")[0], sql


def test_the_findings_department_filter_lists_the_departments_the_findings_name(world, point):
    record(world, kind="app", description="APP打卡", hours=Decimal(1))
    named = set(Finding.objects.exclude(department=None).values_list("department_id", flat=True))
    assert named
    for user in (world.inspector, inspector_on(world.province)):  # from the rollup of the user's region
        assert set(selectors.finding_departments(user).values_list("pk", flat=True)) == named
