"""Certificates in a real browser: a cadre on a phone refuses a forbidden certificate and prints the explanation,
a cadre issues one (fixing a mistyped ID number on the way), and a bank clerk verifies it without logging in."""

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
from .test_browser import AXE_JS, serious_violations, sign_in  # noqa: E402

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
LI_XIUYING = "428521196803120244"
TYPO = "428521196803120241"  # last digit mistyped: the check digit says so


@pytest.fixture
def certificate_lists(live_world):
    from tests.certificates.conftest import load_certificate_lists

    return load_certificate_lists()


def _no_sideways_scroll(page, viewport):
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], "page scrolls sideways"


def test_it_lets_a_cadre_refuse_a_forbidden_certificate_on_a_phone(open_page, certificate_lists):
    page = open_page(PHONE)
    sign_in(page, "taoyuan")
    page.goto("/certificates/")
    page.get_by_label("群众要开什么证明").fill("银行要我开亲属关系证明")
    page.locator("main").get_by_role("button", name="比对清单").click()
    expect(page.get_by_text("不应出具的证明", exact=True)).to_be_visible()
    expect(page.locator("main")).to_contain_text("公安机关（户籍管理部门）")
    _no_sideways_scroll(page, PHONE)
    page.get_by_role("link", name="不予出具，告知替代途径").click()
    expect(page.get_by_label("证明事项")).to_have_value("BZ-001")
    page.get_by_label("要求出具证明的单位类型").select_option(label="银行等金融机构")
    page.get_by_label(re.compile(r"^要求出具证明的单位( \*)?$")).fill("清河农商银行河口支行")
    page.locator("main").get_by_role("button", name="登记不予出具").click()
    expect(page.get_by_role("status")).to_contain_text("已登记不予出具，编号 428521101201-")
    page.get_by_role("link", name="打印告知书").click()
    expect(page.get_by_role("heading", name="不予出具证明告知书")).to_be_visible()
    expect(page.locator("article")).to_contain_text("请将本告知书交给清河农商银行河口支行")
    _no_sideways_scroll(page, PHONE)


def test_it_issues_a_certificate_and_a_bank_verifies_it(open_page, certificate_lists):
    page = open_page(DESKTOP)
    sign_in(page, "taoyuan")
    page.goto("/certificates/check/?text=孩子上学要开居住证明")
    page.get_by_role("link", name="按模板出具“居住证明”").click()
    page.get_by_label("要求出具证明的单位类型").select_option("school")
    page.get_by_label(re.compile(r"^要求出具证明的单位( \*)?$")).fill("清河县第一中学")
    page.get_by_label("居民姓名").fill("李秀英")
    page.get_by_label("公民身份号码").fill(TYPO)
    page.get_by_label("居住地址").fill("桃花巷7号")
    page.get_by_label("居住起始日期").fill("2009-05-01")
    page.get_by_label("核实方式").select_option("入户走访核实")
    page.get_by_role("button", name="出具并编号").click()
    expect(page.locator("main")).to_contain_text(
        "公民身份号码：公民身份号码校验码错误：按 GB 11643 第 18 位应为 4"
    )
    expect(page.get_by_label("公民身份号码")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("居住地址")).to_have_value("桃花巷7号")  # nothing typed is lost
    page.get_by_label("公民身份号码").fill(LI_XIUYING)
    page.get_by_role("button", name="出具并编号").click()
    expect(page).to_have_url(re.compile(r"/certificates/issued/\d+/$"))
    expect(page.locator("main")).to_contain_text("428521********0244")
    expect(page.locator("main")).not_to_contain_text(LI_XIUYING)
    code = page.locator("dd.text-code").last.inner_text()
    page.get_by_role("link", name="打印").click()
    expect(page.locator("article svg")).to_be_visible()
    expect(page.locator("article")).to_contain_text(LI_XIUYING)

    bank = open_page(PHONE)
    bank.goto("/public/certificates/verify/")
    bank.get_by_label("核验码").fill(code.lower())
    bank.get_by_role("button", name="核验").click()
    expect(bank.get_by_role("heading", name="真实有效的证明")).to_be_visible()
    expect(bank.locator("main")).to_contain_text("李*英")
    expect(bank.locator("main")).not_to_contain_text("李秀英")


def test_it_draws_the_statistics_charts(open_page, certificate_lists):
    from jianfu.certificates.demo import load_demo_records

    load_demo_records()
    page = open_page(DESKTOP)
    sign_in(page, "hk_town")
    page.goto("/certificates/stats/")
    expect(page.locator("#chart-month canvas")).to_be_visible()
    expect(page.locator("#chart-type canvas")).to_be_visible()
    page.get_by_role("link", name="1").first.click()
    expect(page).to_have_url(re.compile(r"/certificates/records/\?kind="))
    expect(page.locator("tbody tr")).to_have_count(1)


@pytest.mark.skipif(not AXE_JS.exists(), reason="axe-core 未安装（npm install）")
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_it_keeps_the_certificate_pages_accessible(open_page, certificate_lists, viewport):
    from jianfu.certificates.demo import load_demo_records
    from jianfu.certificates.models import Issuance

    load_demo_records()
    issuance = Issuance.objects.filter(village__code="428521101201").first()
    page = open_page(viewport)
    found = []
    for url in [
        "/public/certificates/?village=428521101201&q=亲属关系证明",
        "/public/certificates/verify/",
        f"/public/certificates/v/{issuance.verification_code}/",
    ]:
        page.goto(url)
        found += serious_violations(page)
    sign_in(page, "taoyuan")
    for url in [
        "/certificates/",
        "/certificates/check/?text=居住证明",
        "/certificates/issue/ZM-001/",
        "/certificates/refuse/?code=BZ-001",
        "/certificates/commit/?code=BZ-008",
        "/certificates/records/",
        f"/certificates/issued/{issuance.pk}/",
        "/certificates/stats/",
        "/certificates/types/",
    ]:
        page.goto(url)
        found += serious_violations(page)
    assert not found, "\n".join(found)
