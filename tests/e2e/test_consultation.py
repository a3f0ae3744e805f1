"""One consultation end to end in a real browser at a phone viewport: a resident writes in without logging in,
解放路社区's cadre turns the opinion into a topic and takes it through the seven steps (a second ballot by the
same person is refused on the way), adopts a measure, and the resident sees it on the public board."""

import re
import shutil

import pytest

if shutil.which("chromium") is None:
    pytest.skip(
        "Chromium 未安装（需要 /usr/bin/chromium，Debian 包 chromium）：跳过浏览器测试",
        allow_module_level=True,
    )
pytest.importorskip("playwright.sync_api", reason="playwright Python 包未安装")

from playwright.sync_api import expect  # noqa: E402

from .screenshots import PHONE  # noqa: E402
from .test_browser import serious_violations, sign_in  # noqa: E402

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "page scrolls sideways"


def _act(page, heading, button=None):
    """The card of one step: its heading names it, its button submits it."""
    card = page.locator("section.card").filter(has=page.get_by_role("heading", name=heading))
    return card, card.get_by_role("button", name=button or heading)


def test_it_runs_one_consultation_from_a_residents_opinion_to_the_public_board(open_page):
    resident = open_page(PHONE)
    resident.goto("/public/consultation/")
    resident.get_by_label("您所在的村（社区）").select_option(label="解放路社区")
    resident.get_by_label("您的意见或建议").fill("3号楼门口的路灯坏了好久，晚上看不见路")
    assert serious_violations(resident) == []
    resident.get_by_role("button", name="提交意见").click()
    expect(resident.get_by_role("status")).to_contain_text("已经收到您的意见")
    receipt = resident.locator("strong.font-monospace").inner_text()
    _fits(resident)

    page = open_page(PHONE)
    sign_in(page, "jiefang")
    page.goto("/consultation/opinions/")
    page.get_by_role("link", name=receipt).click()
    page.get_by_role("link", name="纳入协商议题").click()
    page.get_by_label(re.compile(r"^议题( \*)?$")).fill("修复3号楼门口路灯")
    expect(page.get_by_label(re.compile(receipt))).to_be_checked()
    page.get_by_role("button", name="形成议题").click()
    expect(page.get_by_role("heading", name="修复3号楼门口路灯")).to_be_visible()

    page.get_by_role("button", name="确定议题").click()
    expect(page.locator("main")).to_contain_text("协商方案请于")
    card, submit = _act(page, "保存协商方案")
    card.get_by_label("协商形式").select_option(label="会议协商")
    card.get_by_label("协商时间").fill("2099-06-01T19:00")
    card.get_by_label("协商地点").fill("社区议事厅")
    card.get_by_label("协商内容").fill("路灯修复方案和费用")
    card.get_by_label("参与主体").fill("居民代表、物业")
    submit.click()
    _act(page, "发布公告")[1].click()
    for name in ("王大爷", "李阿姨", "赵师傅"):
        card, submit = _act(page, "加入名单")
        card.get_by_label("姓名或单位").fill(name)
        card.get_by_label("身份").fill("居民代表")
        submit.click()
        expect(page.get_by_role("status").or_(page.locator(".alert-success")).first).to_contain_text("已加入")
    _act(page, "确定协商人员")[1].click()
    card, submit = _act(page, "发起表决")
    card.get_by_label("表决事项").fill("同意修复路灯")
    submit.click()
    for person, choice in (("王大爷", "同意"), ("李阿姨", "同意"), ("王大爷", "不同意")):
        page.get_by_label("投票人", exact=True).select_option(label=person)
        page.get_by_label("意见", exact=True).select_option(label=choice)
        page.get_by_role("button", name="登记选票").click()
    expect(page.locator("main")).to_contain_text("王大爷已经对“同意修复路灯”投过票，每人只能投一次")
    expect(page.locator("main")).to_contain_text("同意 2 · 不同意 0 · 弃权 0")
    page.get_by_role("button", name=re.compile("结束表决并计票")).click()
    assert serious_violations(page) == []
    _fits(page)
    card, submit = _act(page, "登记协商纪要和结果")
    card.get_by_label("协商纪要").fill("三位居民代表充分发表意见，2 票同意。")
    card.get_by_label("协商结果").select_option(label="达成一致")
    submit.click()
    card, submit = _act(page, "通报协商情况")
    card.get_by_label("协商情况通报").fill("路灯修复方案经协商通过，下周施工。")
    submit.click()
    card, submit = _act(page, "登记落实事项")
    card.get_by_label("落实事项").fill("更换3号楼门口路灯")
    card.get_by_label("责任人或单位").fill("社区物业")
    card.get_by_label("计划完成日期").fill("2099-06-30")
    submit.click()
    expect(page.locator("main")).to_contain_text("⑦ 已通报协商情况")
    assert serious_violations(page) == []

    resident.goto("/public/consultation/board/?village=428521001001")
    expect(resident.locator("main")).to_contain_text("更换3号楼门口路灯")
    assert serious_violations(resident) == []
    _fits(resident)
