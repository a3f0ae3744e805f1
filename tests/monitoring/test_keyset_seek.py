"""Seek paging (core/keyset.py) where many rows share a day, so cursors fall inside a day: forward ("更早的记录")
and back ("较新的记录") every row comes once, in order, on SQLite and PostgreSQL. On PostgreSQL the seek reaches
each monthly partition's index scan as an index condition, not as a filter on rows already read (EXPLAIN)."""

import re
from datetime import date

import pytest
from django.db import connection, transaction
from django.test import RequestFactory

from jianfu.core import keyset, partitions
from jianfu.monitoring import selectors
from jianfu.monitoring.models import BurdenEvent

# Forty events on three days in three months, written in an order that does not follow the dates (so ids do
# not follow the dates either): pages of four end inside a day, and a cursor's day holds rows on both sides.
DAYS = (date(2025, 2, 1), date(2025, 1, 31), date(2025, 3, 15), date(2025, 2, 1), date(2025, 1, 31))


def _events(world) -> list[int]:
    BurdenEvent.objects.bulk_create(
        BurdenEvent(
            village=world.village_taoyuan,
            region_code=world.village_taoyuan.code,
            kind="meeting",
            department=world.dept_rs,
            subject=f"召开会议{n}",
            occurred_on=DAYS[n % len(DAYS)],
            description="参加县人社局会议",
            reporter=world.monitor,
            verdict="ok",
        )
        for n in range(40)
    )
    return list(BurdenEvent.objects.order_by("-occurred_on", "-id").values_list("pk", flat=True))


def _page(world, **get) -> keyset.KeysetPage:
    listed, _ = selectors.events_and_window(world.inspector, {}, newest_first=True)
    request = RequestFactory().get("/", get)
    return keyset.keyset_page(request, listed, date_field="occurred_on", per_page=4)


def _pks(page) -> list[int]:
    return [event.pk for event in page]


def test_pages_forward_and_back_give_every_row_once_across_equal_dates(world):
    newest_first = _events(world)
    forward = [_page(world)]
    while forward[-1].has_next:
        forward.append(_page(world, before=forward[-1].next_cursor))
    assert [pk for page in forward for pk in _pks(page)] == newest_first
    assert [len(page) for page in forward] == [4] * 10
    assert forward[0].is_first and not forward[0].has_previous
    assert all(not page.is_first and page.has_previous for page in forward[1:])

    # Back from the last page, one "较新的记录" at a time: the same pages, in reverse, down to the first.
    back = [forward[-1]]
    while back[-1].has_previous:
        back.append(_page(world, after=back[-1].previous_cursor))
    assert [_pks(page) for page in reversed(back)] == [_pks(page) for page in forward]
    assert back[-1].is_first and back[-1].has_next

    # A cursor in the middle of a day (the 2nd of its day's nine rows): the next page starts right after it.
    day = date(2025, 2, 1)
    same_day = [pk for pk in newest_first if BurdenEvent.objects.get(pk=pk).occurred_on == day]
    at = newest_first.index(same_day[1])
    assert _pks(_page(world, before=f"{day}.{same_day[1]}")) == newest_first[at + 1 : at + 5]
    assert _pks(_page(world, after=f"{day}.{same_day[1]}")) == newest_first[max(at - 4, 0) : at]


def test_the_events_page_links_back_to_newer_records(world, client, login):
    for _ in range(3):  # 120 rows on three days
        _events(world)
    newest_first = list(BurdenEvent.objects.order_by("-occurred_on", "-id").values_list("pk", flat=True))
    inspector = login(world.inspector)

    def shown(html: str) -> list[int]:
        return [int(pk) for pk in re.findall(r'href="/monitoring/events/(\d+)/"', html)]

    def follow(html: str, label: str) -> str:
        link = re.search(r'href="\?([^"]*)">' + label, html).group(1).replace("&amp;", "&")
        return inspector.get("/monitoring/events/?" + link).content.decode()

    pages = [inspector.get("/monitoring/events/").content.decode()]
    while "更早的记录" in pages[-1]:
        pages.append(follow(pages[-1], "更早的记录"))
    assert [pk for page in pages for pk in shown(page)] == newest_first and len(pages) == 3
    back = follow(pages[2], "较新的记录")
    assert shown(back) == shown(pages[1]) and "较新的记录" in back
    first = follow(back, "较新的记录")
    assert shown(first) == shown(pages[0]) and "较新的记录" not in first and "最新的记录" not in first


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's monthly partitions and plan")
def test_the_seek_is_an_index_condition_on_every_partition(world):
    for month in (date(2025, 1, 1), date(2025, 2, 1), date(2025, 3, 1)):
        partitions.create_month("monitoring_burdenevent", "occurred_on", month)
    newest_first = _events(world)
    cursor = (date(2025, 2, 1), newest_first[12])
    listed, _ = selectors.events_and_window(world.inspector, {}, newest_first=True)
    sql, params = listed.filter(keyset.after("occurred_on", cursor))[:51].query.sql_with_params()
    with transaction.atomic(), connection.cursor() as c:
        # A few rows a partition: without these the planner reads them whole whatever the condition says.
        c.execute("SET LOCAL enable_seqscan = off")
        c.execute("SET LOCAL enable_bitmapscan = off")
        c.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = c.fetchone()[0][0]["Plan"]

    scans = []

    def walk(node):
        if node.get("Relation Name", "").startswith("monitoring_burdenevent"):  # not the joined village
            scans.append(node)
        for child in node.get("Plans", []):
            walk(child)

    walk(plan)
    tables = sorted(scan["Relation Name"] for scan in scans)
    # Pruned to the cursor's month and before: 2025-03 is not read at all; DEFAULT is (it may hold any date).
    assert "monitoring_burdenevent_p202503" not in tables and "monitoring_burdenevent_p202502" in tables
    for scan in scans:
        assert scan["Node Type"] != "Seq Scan", scan
        assert re.search(r"ROW\(occurred_on, id\) < ROW\(", scan.get("Index Cond", "")), scan
