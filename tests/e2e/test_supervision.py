"""Supervision in a real browser: a village cadre on a phone records an inspection that is in no approved plan
and sees it flagged, then looks at the village's placards; every page passes the axe-core check."""

import shutil
from datetime import date

import pytest

if shutil.which("chromium") is None:
    pytest.skip(
        "Chromium 未安装（需要 /usr/bin/chromium，Debian 包 chromium）：跳过浏览器测试",
        allow_module_level=True,
    )
pytest.importorskip("playwright.sync_api", reason="playwright Python 包未安装")

from playwright.sync_api import expect  # noqa: E402

from .screenshots import PHONE  # noqa: E402
from .test_browser import AXE_JS, serious_violations, sign_in  # noqa: E402

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def plan_and_placards(live_world):
    """县人社局's approved plan (桃园村 in March) and 桃园村's placards, some over the standard."""
    from jianfu.orgs.models import Department, Region
    from jianfu.supervision import services

    taoyuan = Region.objects.get(code="428521101201")
    department = Department.objects.get(name="县人社局")
    plan = services.plan_create(actor=None, department=department, year=date.today().year)
    services.item_add(
        actor=None, plan=plan, kind="inspection", subject="社保经办检查", month=3, villages=[taoyuan]
    )
    services.plan_submit(actor=None, plan=plan)
    services.plan_decide(actor=None, plan=plan, approve=True)
    for kind, title in [("outside_placard", "桃园村村民委员会"), ("outside_placard", "桃园村老年人协会")]:
        services.placard_register(actor=None, village=taoyuan, kind=kind, title=title)


def _no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "page scrolls sideways"


def test_a_village_cadre_records_an_unplanned_visit_on_a_phone(open_page, plan_and_placards):
    page = open_page(PHONE)
    sign_in(page, "taoyuan")
    page.goto("/supervision/visits/new/")
    expect(page.get_by_role("heading", name="登记到村督查检查")).to_be_visible()
    _no_sideways_scroll(page)
    if AXE_JS.exists():
        assert not serious_violations(page)
    main = page.locator("main")
    main.get_by_label("来督查检查的部门").select_option(label="县人社局")
    main.get_by_label("日期").fill(date.today().isoformat())
    main.get_by_label("类型").select_option(label="考核")
    main.get_by_label("事项").fill("就业工作年度考核")
    main.get_by_label("要求我们准备汇报材料").check()
    main.get_by_role("button", name="登记并核对").click()
    expect(page.get_by_role("status").first).to_contain_text("未列入年度督查检查计划")
    expect(main).to_contain_text("县人社局到桃园村考核")
    _no_sideways_scroll(page)
    if AXE_JS.exists():
        assert not serious_violations(page)
    page.goto("/supervision/villages/428521101201/")
    expect(main).to_contain_text("外部标牌只保留4个")
    if AXE_JS.exists():
        assert not serious_violations(page)
