"""Data quality in a real browser: 桃园村's cadre saves a value far from the village's own history on a phone and is
warned (not refused); 河口镇's township staff finds it in the review on a phone and follows it up with a note."""

import re
import shutil
from types import SimpleNamespace

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
def history(live_world):
    from jianfu.forms import services
    from jianfu.orgs.models import Department, Region
    from tests.forms.conftest import make_indicators
    from tests.forms.test_quality import HISTORY

    world = SimpleNamespace(
        county=Region.objects.get(code="428521000000"), dept_mz=Department.objects.get(name="县民政局")
    )
    made = make_indicators(world, with_lists=False)
    village = Region.objects.get(code="428521101201")
    for period, value in HISTORY.items():
        services.values_enter(actor=None, village=village, period=period, values={made["JC-001"]: value})
    return made


def _no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "page scrolls sideways"


def test_a_township_follows_up_a_flagged_value_on_a_phone(open_page, history):
    page = open_page(PHONE)
    sign_in(page, "taoyuan")
    page.goto("/forms/values/428521101201/?period=2026")
    page.get_by_label("常住人口（人）").fill("3020")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("main")).to_contain_text("已保存并提示乡镇（街道）核实")
    expect(page.locator("main")).to_contain_text("请核实")
    _no_sideways_scroll(page)
    if AXE_JS.exists():
        assert not serious_violations(page)

    page = open_page(PHONE)
    sign_in(page, "hk_town")
    page.goto("/forms/review/428521101000/?period=2026")
    flag = page.locator("[id^=flag-]").first
    expect(flag).to_contain_text("桃园村")
    expect(flag).to_contain_text("待核实")
    flag.get_by_role("button", name="已核实").click()
    expect(page.locator("main")).to_contain_text("核实情况")  # a note is required: nothing saved without it
    page.locator("[id^=flag-]").first.get_by_label(re.compile("核实情况")).fill("新建安置小区迁入，属实")
    page.locator("[id^=flag-]").first.get_by_role("button", name="已核实").click()
    expect(page.locator("main")).to_contain_text("核实情况：新建安置小区迁入，属实")
    _no_sideways_scroll(page)
    if AXE_JS.exists():
        assert not serious_violations(page)
    from jianfu.forms.models import FlagStatus, ValueFlag

    assert ValueFlag.objects.get().status == FlagStatus.FOLLOWED
