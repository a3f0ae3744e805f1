"""People correct the classifier in a real browser: the office corrects a verdict from the comparison page,
the month's chart leads to the records; a village cadre asks the office from the one-step check on a phone;
axe-core finds nothing serious."""

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
TEXT = "组织村民代表讨论修订村里的红白理事章程"


@pytest.fixture
def reference(live_world):
    from jianfu.catalog.reference import load_reference_lists

    return load_reference_lists()


def test_the_office_corrects_a_verdict_and_the_chart_leads_to_it(open_page, reference, tmp_path):
    page = open_page(DESKTOP)
    sign_in(page, "mz_office")
    page.goto("/lists/classify/")
    page.get_by_label("待比对事项（每行一项）").fill(TEXT)
    page.get_by_role("button", name="比对").click()
    page.get_by_role("link", name="确认或更正这一结论").click()
    page.get_by_label("研判结论").select_option("duty")
    page.get_by_label("对应清单事项").select_option(
        label=page.locator("#id_item option", has_text="居民公约").first.inner_text()
    )
    page.get_by_label("研判理由").fill("红白理事章程属于村规民约的内容")
    page.get_by_role("button", name="保存研判结论").click()
    expect(page.get_by_text("研判结论已保存")).to_be_visible()
    expect(page.get_by_text("已更正").or_(page.get_by_text("与系统结论一致"))).to_be_visible()
    assert serious_violations(page) == []

    page.goto("/lists/corrections/")
    expect(page.locator("#chart-agreement canvas")).to_be_visible()
    page.screenshot(path="/tmp/je/corrections.png", full_page=True)
    assert serious_violations(page) == []
    page.get_by_role("link", name=TEXT).click()
    expect(page.get_by_text("红白理事章程属于村规民约的内容")).to_be_visible()


def test_a_village_cadre_asks_the_office_from_the_check_on_a_phone(open_page, reference, tmp_path):
    page = open_page(PHONE)
    sign_in(page, "taoyuan")
    page.goto("/admission/check/")
    page.get_by_label("交办的工作").fill("请村里组织人员为农商银行推销理财产品")
    page.get_by_role("button", name="核验", exact=True).click()
    page.get_by_label("需要办公室研判什么（可不填）").fill("是否属于负面清单？")
    page.get_by_role("button", name="提请县准入审核委员会办公室研判").click()
    expect(page.get_by_text("已提请县准入审核委员会办公室研判")).to_be_visible()
    page.screenshot(path="/tmp/je/check-phone.png", full_page=True)
    assert serious_violations(page) == []
