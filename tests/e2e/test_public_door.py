"""A resident on a phone: the front door, writing in and following the write-in, with axe-core's WCAG 2.2 AA and
best-practice rules on every page visited (issue 21)."""

import pytest
from playwright.sync_api import expect

from .axe import AXE_JS, violations
from .screenshots import PHONE


@pytest.mark.skipif(not AXE_JS.exists(), reason="axe-core 未安装（npm install）")
def test_it_lets_a_resident_find_the_services_write_in_and_follow_it_on_a_phone(open_page):
    page = open_page(PHONE)
    found = []
    page.goto("/")
    page.get_by_role("link", name="群众办事：查清单、提意见、验证明").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("群众办事")
    found += violations(page)
    page.get_by_role("link", name="写意见建议").click()
    found += violations(page)
    picker = page.get_by_label("您所在的村（社区）")
    assert picker.locator("optgroup").count() >= 2  # township by township
    picker.select_option(label="桃园村")
    page.get_by_label("您的意见或建议").fill("村口的路灯坏了一个多月，晚上走路看不见。")
    page.get_by_role("button", name="提交意见").click()
    expect(page.get_by_role("status")).to_contain_text("已经收到您的意见")
    found += violations(page)
    receipt = page.locator("strong.font-monospace").first.inner_text()
    page.goto("/public/")
    page.get_by_label("已经提过？输入查询码看办理情况").fill(receipt)
    page.get_by_role("search", name="查询意见办理情况").get_by_role("button", name="查询").click()
    expect(page.locator("main")).to_contain_text("桃园村")
    for url in ["/public/", "/public/consultation/board/", "/public/certificates/verify/"]:
        page.goto(url)
        found += violations(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # no sideways scrolling
    assert not found, "\n".join(found)
