"""The one table in a real browser: a village cadre on a phone enters the base data (a wrong value is refused
and nothing typed is lost), then fills the new fields of a listed form, with the served values already there."""

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

from .screenshots import DESKTOP, PHONE  # noqa: E402
from .test_browser import AXE_JS, serious_violations, sign_in  # noqa: E402

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


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
        village_taoyuan=Region.objects.get(code="428521101201"),
        dept_rs=Department.objects.get(name="县人社局"),
        dept_mz=Department.objects.get(name="县民政局"),
        **people,
    )
    return one_table(world)


def _no_sideways_scroll(page, viewport):
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], "page scrolls sideways"


def test_a_village_cadre_fills_a_form_on_a_phone_and_the_office_sees_the_figures(open_page, table):
    page = open_page(PHONE)
    sign_in(page, "taoyuan")
    page.goto("/forms/")
    page.get_by_role("link", name="录入桃园村基础数据").click()
    page.get_by_label("低保户数（户）").fill("十二")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert")).to_contain_text("“低保户数”应填整数，“十二”不是数字")
    page.get_by_label("低保户数（户）").fill("12")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("status").first).to_contain_text("已保存 1 个数值")
    _no_sideways_scroll(page, PHONE)
    if AXE_JS.exists():
        assert not serious_violations(page)
    page.goto("/forms/tasks/?status=open")
    page.get_by_role("link", name=re.compile("就业和社保基础信息表")).first.click()
    expect(page.locator("main")).to_contain_text("1520")  # served from the base table, not typed again
    page.get_by_label("外出务工人数").fill("210")
    page.get_by_label("更正“户籍户数”").fill("436")
    page.get_by_label(re.compile("更正理由")).fill("新增分户 6 户")
    page.get_by_role("button", name="确认并报送").click()
    expect(page.locator("main")).to_contain_text("填写 2 栏，共享带出 1 栏")
    _no_sideways_scroll(page, PHONE)
    if AXE_JS.exists():
        assert not serious_violations(page)
    _the_office_sees_duplicates_and_clean_up_figures(open_page, table)


def _the_office_sees_duplicates_and_clean_up_figures(open_page, table):
    page = open_page(DESKTOP)
    sign_in(page, "mz_office")
    for url in [
        "/forms/indicators/duplicates/",
        "/forms/stats/",
        f"/forms/forms/{table.form.pk}/",
        "/forms/list/",
    ]:
        page.goto(url)
        expect(page.locator("h1")).to_be_visible()
        if AXE_JS.exists():
            assert not serious_violations(page), url
    page.goto("/forms/stats/")
    expect(page.locator("#chart-forms canvas")).to_be_visible()


def test_a_township_returns_a_task_on_a_phone_and_the_office_reads_the_reporting_rates(open_page, table):
    from jianfu.forms import services
    from jianfu.forms.models import FormTask
    from jianfu.orgs.models import User

    typed = {f.pk: "8" for f in table.form.fields.filter(indicator__isnull=True)}
    cadre = User.objects.get(username="taoyuan")
    services.task_submit(actor=cadre, task=FormTask.objects.get(pk=table.task.pk), typed=typed)
    page = open_page(PHONE)
    sign_in(page, "hk_town")
    page.goto(f"/forms/tasks/{table.task.pk}/")
    page.get_by_role("button", name="退回").click()
    expect(page.get_by_role("alert").first).to_contain_text("退回须说明理由")
    page.get_by_label(re.compile("意见")).fill("外出务工人数请按村民小组逐户核实")
    page.get_by_role("button", name="退回").click()
    expect(page.locator("main")).to_contain_text("已退回")
    _no_sideways_scroll(page, PHONE)
    if AXE_JS.exists():
        assert not serious_violations(page)
    for viewport in (PHONE, DESKTOP):
        page = open_page(viewport)
        sign_in(page, "mz_office")
        page.goto("/forms/reporting/")
        expect(page.locator("#chart-reporting canvas")).to_be_visible()
        expect(page.get_by_role("table").first).to_contain_text("河口镇")
        if viewport is PHONE:
            _no_sideways_scroll(page, PHONE)
        if AXE_JS.exists():
            assert not serious_violations(page), viewport
    page.get_by_role("link", name="河口镇").first.click()
    expect(page.locator("h1")).to_contain_text("河口镇")
