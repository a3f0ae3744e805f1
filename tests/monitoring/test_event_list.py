"""The events list pages by seek ("更早的记录") in the newest-first order its index matches, counts up to a bound,
and bounds a text search to the newest events the other filters leave."""

import re
from datetime import date, timedelta

import pytest
from django.db import connection

from jianfu.core import keyset
from jianfu.monitoring import selectors
from jianfu.monitoring.models import BurdenEvent
from jianfu.orgs.models import subtree_q


def _events(world, n: int, *, first=date(2025, 1, 1), subject="召开会议"):
    """``n`` events at 桃园村, two a day from ``first`` on (rows straight into the table: paging is the point)."""
    BurdenEvent.objects.bulk_create(
        BurdenEvent(
            village=world.village_taoyuan,
            region_code=world.village_taoyuan.code,
            kind="meeting",
            department=world.dept_rs,
            subject=f"{subject}{i}",
            occurred_on=first + timedelta(days=i // 2),
            description="参加县人社局会议",
            reporter=world.monitor,
            verdict="ok",
        )
        for i in range(n)
    )
    return list(BurdenEvent.objects.order_by("-occurred_on", "-id").values_list("pk", flat=True))


def _shown(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'href="/monitoring/events/(\d+)/"', html)]


def test_earlier_pages_follow_on_without_gaps_or_repeats(world, client, login):
    newest_first = _events(world, 120)
    inspector = login(world.inspector)
    page = inspector.get("/monitoring/events/", {"region": world.county.code}).content.decode()
    assert "共 120 条" in page and "最新的记录" not in page
    seen = _shown(page)
    while "更早的记录" in page:
        cursor = re.search(r'before=([^"&]+)">更早的记录', page).group(1)
        page = inspector.get("/monitoring/events/", {"region": world.county.code, "before": cursor})
        page = page.content.decode()
        assert "最新的记录" in page
        seen += _shown(page)
    assert seen == newest_first  # 50 + 50 + 20, in order, none twice
    # A cursor someone typed by hand is the first page, not an error.
    assert _shown(inspector.get("/monitoring/events/", {"before": "昨天"}).content.decode()) == seen[:50]


def test_a_long_list_is_counted_up_to_the_bound(world, client, login, monkeypatch):
    _events(world, 30)
    monkeypatch.setattr(keyset, "COUNT_LIMIT", 20)
    page = login(world.inspector).get("/monitoring/events/").content.decode()
    assert "超过 20 条" in page and len(_shown(page)) == 30


def test_a_text_search_reads_only_the_newest_events_and_says_so(world, client, login, monkeypatch):
    _events(world, 10, first=date(2024, 1, 1), subject="迎检材料")
    _events(world, 30, first=date(2025, 1, 1), subject="召开会议")
    inspector = login(world.inspector)
    assert len(_shown(inspector.get("/monitoring/events/", {"q": "迎检"}).content.decode())) == 10

    monkeypatch.setattr(selectors, "SEARCH_WINDOW", 30)
    page = inspector.get("/monitoring/events/", {"q": "迎检"}).content.decode()
    assert _shown(page) == [] and "只在最近 30 条中查找" in page
    page = inspector.get("/monitoring/events/", {"q": "迎检", "year": "2024"}).content.decode()
    assert len(_shown(page)) == 10 and "只在最近" not in page


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's plan wording")
def test_a_wide_list_walks_the_recent_index_and_a_county_reads_by_code(world):
    def plan(prefix: str) -> str:
        listed = BurdenEvent.objects.filter(subtree_q([prefix], "region_code", newest_first=True))
        sql, params = listed.order_by("-occurred_on", "-id")[:51].query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            return " | ".join(row[-1] for row in cursor.fetchall())

    wide = plan(world.province.prefix)
    assert "event_recent" in wide and "TEMP B-TREE" not in wide, wide
    assert "event_region_day" in plan(world.county.prefix)


def test_a_searched_list_is_counted_to_a_lower_bound(world, client, login, monkeypatch):
    _events(world, 30, subject="迎检材料")
    monkeypatch.setattr(keyset, "SEARCH_COUNT_LIMIT", 20)
    inspector = login(world.inspector)
    searched = inspector.get("/monitoring/events/", {"q": "迎检材料"}).content.decode()
    assert "超过 20 条" in searched and len(_shown(searched)) == 30
    assert "共 30 条" in inspector.get("/monitoring/events/").content.decode()  # no search: the usual bound
