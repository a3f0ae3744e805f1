"""Long lists and dashboards on a 390 px phone (issue 21): the events list and the audit log show their first rows
and a "加载更多" button that shows more and then fetches the next page, instead of pages 10,000 px long; the
monitoring dashboard's charts come near the top and its tables fold. axe-core's WCAG 2.2 AA and best-practice rules on every page."""

import io

import pytest
from playwright.sync_api import expect

from .screenshots import PHONE
from .test_browser import AXE_JS, sign_in
from .test_public_door import violations

pytestmark = pytest.mark.skipif(not AXE_JS.exists(), reason="axe-core 未安装（npm install）")

SHOWN = "main table.table-stack tbody tr:not([hidden])"


def _height(page) -> int:
    return page.evaluate("document.documentElement.scrollHeight")


def test_long_lists_load_more_and_charts_come_first_on_a_phone(open_page):
    from django.core.management import call_command

    call_command("load_demo", stdout=io.StringIO())
    page = open_page(PHONE)
    sign_in(page, "jw_inspector")
    found = []
    page.goto("/audit/")
    assert page.locator(SHOWN).count() == 10 and _height(page) < 4500
    more = page.get_by_role("button", name="加载更多")
    for shown in (20, 30, 40, 50, 60):  # past the first page of 50: the next page is fetched and appended
        more.click()
        expect(page.locator(".load-more [role=status]")).to_have_text(f"已显示 {shown} 条")
    assert page.locator(SHOWN).count() == 60
    found += violations(page)
    page.goto("/monitoring/events/")
    assert page.locator(SHOWN).count() == 10 and _height(page) < 4500
    found += violations(page)
    page.goto("/monitoring/dashboard/")
    chart = page.locator("#chart-month")
    expect(chart).to_be_visible()
    assert chart.bounding_box()["y"] < 1000  # was 2,600 px down, under the stacked tables
    # The tables fold to a line each (was 11,350 px with the full demo); a tap opens one, its rows as cards.
    assert page.locator("details.fold-phone[open]").count() == 0 and _height(page) < 2500
    page.get_by_role("heading", name="违规事件按来源部门").click()
    expect(page.locator("details.fold-phone[open] tbody tr").first).to_be_visible()
    found += violations(page)
    assert not found, "\n".join(found)
