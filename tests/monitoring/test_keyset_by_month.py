"""A text-searched events list reads its pages one month at a time, newest month first (``keyset_page(...,
by_month=True)``, #23): paged forward it gives every matching row once, in the list's order, across months with
no match, months with many, and pages that end inside a month; the events page itself lists the same rows."""

from datetime import date

from django.test import RequestFactory
from django.urls import reverse

from jianfu.core import keyset
from jianfu.monitoring import selectors
from jianfu.monitoring.models import BurdenEvent

# Days in five months (none in 2025-04), written out of date order so ids do not follow the dates.
DAYS = (date(2025, 2, 3), date(2025, 5, 20), date(2024, 12, 31), date(2025, 5, 1), date(2025, 3, 15))


def _events(world) -> list[int]:
    BurdenEvent.objects.bulk_create(
        BurdenEvent(
            village=world.village_taoyuan,
            region_code=world.village_taoyuan.code,
            kind="meeting",
            department=world.dept_rs,
            subject=f"召开会议{n}",
            occurred_on=DAYS[n % len(DAYS)],
            description="要求报送防汛值班表" if n % 3 else "参加县人社局会议",
            reporter=world.monitor,
            verdict="ok",
        )
        for n in range(45)
    )
    matching = BurdenEvent.objects.filter(description__contains="防汛值班表")
    return list(matching.order_by("-occurred_on", "-id").values_list("pk", flat=True))


def _page(world, **get) -> keyset.KeysetPage:
    listed, _ = selectors.events_and_window(world.inspector, {"q": "防汛值班表"}, newest_first=True)
    request = RequestFactory().get("/", get)
    return keyset.keyset_page(request, listed, date_field="occurred_on", per_page=4, by_month=True)


def test_month_by_month_pages_give_every_match_once_in_order(world):
    expected = _events(world)
    assert len(expected) == 30
    pages = [_page(world)]
    while pages[-1].has_next:
        pages.append(_page(world, before=pages[-1].next_cursor))
    assert [event.pk for page in pages for event in page] == expected
    assert [len(page) for page in pages] == [4] * 7 + [2]
    assert pages[0].is_first and all(page.has_previous for page in pages[1:])
    # "较新的记录" from the third page walks back to the second, as without by_month.
    back = _page(world, after=pages[2].previous_cursor)
    assert [event.pk for event in back] == [event.pk for event in pages[1]]


def test_the_events_page_lists_the_searched_rows_newest_first(world, client):
    expected = _events(world)
    client.force_login(world.inspector)
    response = client.get(reverse("monitoring:events"), {"q": "防汛值班表"})
    assert response.status_code == 200
    assert [event.pk for event in response.context["page"]] == expected[: keyset.PAGE_SIZE]
