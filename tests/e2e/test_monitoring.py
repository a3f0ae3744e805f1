"""Monitoring in a real browser on a phone: the monitor records an app check-in demand in under a minute, sees it
flagged as a violation with the rule it broke, and the county office follows the dashboard figure to it."""

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

from .screenshots import DESKTOP, PHONE  # noqa: E402
from .test_browser import serious_violations, sign_in  # noqa: E402

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def point(live_world, settings, tmp_path):
    from jianfu.monitoring import services
    from jianfu.orgs.models import Region, User

    settings.MEDIA_ROOT = tmp_path
    office, monitor = User.objects.get(username="mz_office"), User.objects.get(username="monitor")
    point = services.point_designate(actor=office, village=Region.objects.get(code="428521101201"))
    services.monitor_assign(actor=office, point=point, monitor=monitor)
    return point


def _no_sideways_scroll(page, viewport):
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], "page scrolls sideways"


def test_a_monitor_records_a_violation_on_a_phone(open_page, point):
    from jianfu.monitoring.models import BurdenEvent

    page = open_page(PHONE)
    sign_in(page, "monitor")
    page.goto("/monitoring/")
    page.get_by_role("link", name="记录负担事件").first.click()
    expect(page.get_by_role("heading", name="记录负担事件")).to_be_visible()
    assert serious_violations(page) == []
    _no_sideways_scroll(page, PHONE)
    page.get_by_label("负担类型").select_option(label="政务APP打卡、积分、考核指标")
    page.get_by_label(re.compile(r"^来源部门")).select_option(label="县人社局")
    page.get_by_label(re.compile(r"^耗费工时")).fill("0.5")
    page.get_by_label(re.compile(r"^情况描述")).fill("要求村干部每天在就业APP上签到打卡")
    submit = page.locator("main").get_by_role("button", name="提交")
    submit.dblclick()  # a double tap is stored once
    expect(page.get_by_role("status").first).to_contain_text("违规")
    expect(page.locator("main")).to_contain_text("不得通过政务APP要求村（社区）签到打卡")
    assert BurdenEvent.objects.count() == 1
    assert serious_violations(page) == []
    _no_sideways_scroll(page, PHONE)

    office = open_page(DESKTOP)
    sign_in(office, "mz_office")
    office.goto("/monitoring/dashboard/")
    expect(office.get_by_role("heading", name=re.compile("减负监测看板"))).to_be_visible()
    assert serious_violations(office) == []
    office.locator("tr", has_text="政务APP打卡").get_by_role("link").nth(1).click()  # the violations figure
    expect(office.locator("main")).to_contain_text("要求村干部每天在就业APP上签到打卡")


def test_a_monitor_files_nothing_new_for_the_period_on_a_phone(open_page, point):
    from jianfu.monitoring.models import PointReturn

    page = open_page(PHONE)
    sign_in(page, "monitor")
    page.goto("/monitoring/returns/")
    expect(page.get_by_role("heading", name="监测点定期报送负担情况")).to_be_visible()
    assert serious_violations(page) == []
    _no_sideways_scroll(page, PHONE)
    page.get_by_label("本期无新增负担").check()
    page.get_by_label(re.compile(r"^情况说明")).fill("本期未接到新的会议和表格要求")
    page.locator("main").get_by_role("button", name="报送").click()
    expect(page.get_by_role("status").first).to_contain_text("已报送")
    assert PointReturn.objects.filter(nothing_new=True).count() == 1
    assert serious_violations(page) == []
    _no_sideways_scroll(page, PHONE)
