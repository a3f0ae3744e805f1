"""Every role on a 390 px phone (issue 21): the home page starts with 现在要办 and each count opens its list; the
region picker finds a village by name; a refused form starts with an error summary whose links reach the field;
the write-in shows its dated progress. axe-core's WCAG 2.2 AA and best-practice rules on every page: 0 violations."""

import io

import pytest
from playwright.sync_api import expect

from .screenshots import PHONE
from .test_browser import AXE_JS, sign_in
from .test_public_door import violations

ROLES = {
    "taoyuan": "村（社区）干部",
    "hk_town": "乡镇（街道）",
    "rs_clerk": "部门经办人",
    "mz_office": "减负办",
    "jw_inspector": "纪检监察",
    "monitor": "监测员",
    "grid_jf": "网格员",
}

# The first of each role's main actions, shown right under 现在要办 (the department and inspector keep theirs
# in their own panels).
MAIN_ACTION = {
    "taoyuan": "核对交办任务",
    "hk_town": "审核村（社区）基础数据",
    "mz_office": "受理准入申请",
    "monitor": "记录负担事件",
    "grid_jf": "上报事件",
}

pytestmark = pytest.mark.skipif(not AXE_JS.exists(), reason="axe-core 未安装（npm install）")


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url


def test_every_role_starts_its_phone_home_with_what_needs_it(open_page):
    from django.core.management import call_command

    call_command("load_demo", stdout=io.StringIO())
    found = []
    for username in ROLES:
        page = open_page(PHONE)
        sign_in(page, username)
        heading = page.get_by_role("heading", name="现在要办")
        expect(heading).to_be_visible()
        assert heading.bounding_box()["y"] < 900, username  # near the top, not under the figures
        found += violations(page)
        _fits(page)
        actions = page.get_by_role("navigation", name="主要操作")
        if username in MAIN_ACTION:
            expect(actions).to_be_visible()
            assert actions.bounding_box()["y"] > heading.bounding_box()["y"], username
            first = actions.get_by_role("link").first
            expect(first).to_have_text(MAIN_ACTION[username])
            assert first.bounding_box()["height"] >= 24, username  # WCAG 2.2 target size
        else:
            expect(actions).to_have_count(0)
        links = page.locator(".needs-me a.needs-link")
        if links.count():
            count = links.first.locator(".needs-count").inner_text()
            links.first.click()
            page.wait_for_load_state()
            assert page.locator("main").count() == 1 and int(count) > 0
            found += violations(page)
        page.context.close()
    assert not found, "\n".join(found)


def test_the_inspector_picks_a_village_by_name_on_the_dashboard(open_page):
    page = open_page(PHONE)
    sign_in(page, "jw_inspector")
    page.goto("/monitoring/dashboard/")
    search = page.get_by_label("输入名称查找，缩小下方选项")
    search.fill("桃园")
    picker = page.get_by_label("范围", exact=True)
    expect(picker).to_have_value("428521101201")
    expect(page.get_by_role("status").filter(has_text="找到")).to_have_count(1)
    search.press("Enter")  # moves to the select, never sends the form half-chosen
    expect(picker).to_be_focused()
    page.get_by_role("button", name="查看").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("桃园村")
    found = violations(page)
    _fits(page)
    page.goto("/monitoring/events/")
    found += violations(page)
    _fits(page)
    assert not found, "\n".join(found)


def test_a_refused_phone_form_starts_with_the_summary_and_its_links_reach_the_fields(open_page):
    page = open_page(PHONE)
    sign_in(page, "grid_jf")
    page.goto("/grid/report/")
    page.get_by_role("button", name="上报").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("提交未成功")
    link = summary.get_by_role("link").first
    target = link.get_attribute("href")[1:]
    link.click()
    assert page.evaluate("document.activeElement.id") == target
    found = violations(page)
    _fits(page)
    assert not found, "\n".join(found)


def test_a_resident_sees_the_dated_progress_of_a_write_in(open_page):
    page = open_page(PHONE)
    page.goto("/public/consultation/")
    page.get_by_label("输入名称查找，缩小下方选项").fill("桃园")
    expect(page.get_by_label("您所在的村（社区）")).to_have_value("428521101201")
    page.get_by_label("您的意见或建议").fill("村口的路灯坏了一个多月，晚上走路看不见。")
    page.get_by_role("button", name="提交意见").click()
    progress = page.get_by_role("list", name="办理进度")
    expect(progress).to_contain_text("收到您的意见")
    expect(progress).to_contain_text("预计")
    found = violations(page)
    _fits(page)
    assert not found, "\n".join(found)
