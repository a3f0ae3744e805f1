"""The one table's last browser paths: the county unlocks a township's locked period after its request (the
villages enter again), and a village cadre fills a category breakdown on a 390-pixel phone."""

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

from .axe import AXE_JS, violations  # noqa: E402
from .screenshots import DESKTOP, PHONE  # noqa: E402
from .test_browser import sign_in  # noqa: E402

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

HEKOU, TAOYUAN = "428521101000", "428521101201"


@pytest.fixture
def table(live_world):
    from jianfu.orgs.models import Department, Region, User
    from tests.forms.conftest import one_table

    people = {
        name: User.objects.get(username=u)
        for name, u in (("dept_clerk", "rs_clerk"), ("village_cadre", "taoyuan"), ("office", "mz_office"))
    }
    world = SimpleNamespace(
        county=Region.objects.get(code="428521000000"),
        village_taoyuan=Region.objects.get(code=TAOYUAN),
        dept_rs=Department.objects.get(name="县人社局"),
        dept_mz=Department.objects.get(name="县民政局"),
        **people,
    )
    made = one_table(world)
    return SimpleNamespace(world=world, made=made)


def _no_sideways_scroll(page, viewport):
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], "page scrolls sideways"


def _axe_clean(page):
    if AXE_JS.exists():
        assert not violations(page), page.url


def test_the_county_unlocks_a_locked_period_on_the_townships_request_and_the_village_enters_again(
    open_page, table
):
    from jianfu.forms import services
    from jianfu.orgs.models import Region, User
    from tests.forms.conftest import YEAR

    town = User.objects.get(username="hk_town")
    services.period_lock(actor=town, township=Region.objects.get(code=HEKOU), period=str(YEAR))
    # the village finds its period locked: nothing to type; it asks, first without a reason (refused, naming it)
    page = open_page(PHONE)
    sign_in(page, "taoyuan")
    page.goto(f"/forms/values/{TAOYUAN}/?period={YEAR}")
    expect(page.locator("main")).to_contain_text("已由乡镇（街道）审核锁定")
    expect(page.get_by_label("低保户数（户）")).to_have_count(0)
    page.get_by_text("需要重新录入？申请解锁").click()
    page.get_by_role("button", name="提交解锁申请").click()
    expect(page.get_by_role("alert").first).to_contain_text("请填写申请解锁的理由")
    _axe_clean(page)
    page.get_by_text("需要重新录入？申请解锁").click()
    page.get_by_label(re.compile("申请理由")).fill("低保户数漏报两户，需重新录入后再锁定")
    page.get_by_role("button", name="提交解锁申请").click()
    expect(page.locator("main")).to_contain_text("已申请解锁，等待县减负工作机构审批")
    expect(page.get_by_role("button", name="提交解锁申请")).to_have_count(0)  # one request at a time
    _no_sideways_scroll(page, PHONE)
    _axe_clean(page)
    # the township sees the request on its review page but does not decide it
    page = open_page(PHONE)
    sign_in(page, "hk_town")
    page.goto(f"/forms/review/{HEKOU}/?period={YEAR}")
    expect(page.locator("main")).to_contain_text("低保户数漏报两户")
    expect(page.get_by_role("button", name="批准解锁")).to_have_count(0)
    _no_sideways_scroll(page, PHONE)
    # the county office, one level up, finds the request on its one-table page and approves it
    page = open_page(DESKTOP)
    sign_in(page, "mz_office")
    page.goto("/forms/")
    page.get_by_role("link", name=f"河口镇 {YEAR}").click()
    expect(page.locator("main")).to_contain_text("低保户数漏报两户")
    page.get_by_label(re.compile("审批意见")).fill("同意，更正后重新审核锁定")
    page.get_by_role("button", name="批准解锁").click()
    expect(page.locator("main")).to_contain_text("已审批解锁申请")
    expect(page.get_by_role("button", name="批准解锁")).to_have_count(0)
    _axe_clean(page)
    page.goto("/forms/")
    expect(page.get_by_role("link", name=f"河口镇 {YEAR}")).to_have_count(0)
    # the village enters again
    page = open_page(PHONE)
    sign_in(page, "taoyuan")
    page.goto(f"/forms/values/{TAOYUAN}/?period={YEAR}")
    expect(page.locator("main")).not_to_contain_text("已由乡镇（街道）审核锁定")
    page.get_by_label("低保户数（户）").fill("14")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("status").first).to_contain_text("已保存 1 个数值")
    _no_sideways_scroll(page, PHONE)


def test_a_village_cadre_fills_a_category_breakdown_on_a_phone(open_page, table):
    from jianfu.forms import services
    from tests.forms.conftest import YEAR

    office = table.world.office
    county = table.world.county
    sex = services.category_save(actor=office, region=county, name="性别", options=["男", "女"])
    age = services.category_save(
        actor=office, region=county, name="年龄段", options=["0–17 岁", "18–59 岁", "60 岁及以上"]
    )
    combo = services.combo_save(actor=office, region=county, name="性别×年龄段", categories=[sex, age])
    indicator = services.indicator_combo_set(
        actor=office, indicator=table.made.indicators["JC-001"], combo=combo
    )
    assert PHONE["width"] == 390
    page = open_page(PHONE)
    sign_in(page, "taoyuan")
    page.goto(f"/forms/values/{TAOYUAN}/?period={YEAR}")
    page.get_by_role("link", name="按性别×年龄段分项填写").click()
    expect(page.locator("h1")).to_contain_text("常住人口分项")
    numbers = ["120", "480", "160", "110", "470", "190"]
    for (_, label), number in zip(services.cells(combo), numbers, strict=True):
        page.get_by_label(label, exact=True).fill(number)
    page.get_by_label("女 · 18–59 岁", exact=True).fill("四百七")
    page.get_by_role("button", name="保存分项").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("女 · 18–59 岁")
    expect(page.get_by_label("男 · 0–17 岁", exact=True)).to_have_value("120")  # nothing typed is lost
    _no_sideways_scroll(page, PHONE)
    _axe_clean(page)
    page.get_by_label("女 · 18–59 岁", exact=True).fill("470")
    page.get_by_role("button", name="保存分项").click()
    expect(page.get_by_role("status").first).to_contain_text("常住人口合计已更新")
    expect(page.locator(f"#v_{indicator.pk}")).to_have_text("1530")
    _no_sideways_scroll(page, PHONE)
    _axe_clean(page)
    page.get_by_role("link", name="按性别×年龄段分项填写").click()
    expect(page.locator("main")).to_contain_text("当前合计 1530 人")
    _no_sideways_scroll(page, PHONE)
