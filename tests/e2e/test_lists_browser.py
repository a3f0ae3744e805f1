"""The lists in a real browser: the public page on a phone, the comparison page, a list with its history."""

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
COUNTY = "428521000000"


@pytest.fixture
def lists(live_world):
    from jianfu.catalog.reference import load_reference_lists

    return load_reference_lists()


def test_it_lets_a_resident_search_the_lists_on_a_phone_without_login(open_page, lists):
    page = open_page(PHONE)
    page.goto(f"/public/lists/?region={COUNTY}")
    page.get_by_label("关键词").fill("亲属关系")
    page.locator("main").get_by_role("button", name="查询").click()
    expect(page.get_by_role("heading", name="包含“亲属关系”的事项（1）")).to_be_visible()
    expect(page.get_by_text("替代途径")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_it_shows_verdicts_with_the_matched_items_on_the_comparison_page(open_page, lists):
    page = open_page(DESKTOP)
    sign_in(page, "mz_office")  # the office sees the matched items; others read the explanation only
    page.goto("/lists/classify/")
    page.get_by_label("待比对事项（每行一项）").fill("请各村协助开展燃煤及油烟整治排查\n调解邻里纠纷")
    page.locator("main").get_by_role("button", name="比对").click()
    expect(page.get_by_text("负面清单事项", exact=True)).to_be_visible()
    expect(page.get_by_text("依法履职事项", exact=True)).to_be_visible()
    page.get_by_text("最接近的清单事项（办公室可见）").first.click()
    expect(page.locator("mark").first).to_be_visible()


@pytest.mark.skipif(not AXE_JS.exists(), reason="axe-core 未安装（npm install）")
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_it_keeps_the_list_pages_accessible(open_page, lists, viewport):
    page = open_page(viewport)
    found = []
    page.goto(f"/public/lists/?region={COUNTY}&q=证明")
    found += serious_violations(page)
    page.goto(f"/public/lists/{lists[0].pk}/")
    found += serious_violations(page)
    sign_in(page, "mz_office")
    for url in ["/lists/", "/lists/classify/", f"/lists/{lists[0].pk}/"]:
        page.goto(url)
        found += serious_violations(page)
    assert not found, "\n".join(found)


@pytest.mark.skipif(not AXE_JS.exists(), reason="axe-core 未安装（npm install）")
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_it_shows_the_national_layer_apart_to_a_resident(open_page, lists, viewport, tmp_path):
    page = open_page(viewport)
    page.goto(f"/public/lists/?region={COUNTY}")
    national = page.locator("section", has=page.get_by_role("heading", name="国家层面（在所有地区施行）"))
    expect(
        national.get_by_role("link", name="不得要求村（社区）承担的工作事项（中央和国家规定）")
    ).to_be_visible()
    expect(national.get_by_text("国家层面").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    found = serious_violations(page)
    page.screenshot(path=str(tmp_path / "public-lists.png"), full_page=True)
    national.get_by_role("link", name="不得要求村（社区）承担的工作事项（中央和国家规定）").click()
    expect(
        page.get_by_role("heading", name="国家层面：不得要求村（社区）承担的工作事项（中央和国家规定）")
    ).to_be_visible()
    expect(page.get_by_text("国办函〔2026〕12号").first).to_be_visible()
    found += serious_violations(page)
    page.screenshot(path=str(tmp_path / "national-detail.png"), full_page=True)
    assert not found, "\n".join(found)


def test_a_village_reads_an_accepted_process_card_on_a_phone(open_page, live_world):
    from jianfu.catalog.demo import load_demo_records
    from jianfu.catalog.models import ProcessCard

    load_demo_records()
    card = ProcessCard.objects.filter(state="accepted", item_code="SZ-RS-XZ-001").get()
    page = open_page(PHONE)
    sign_in(page, "taoyuan")
    page.goto(f"/public/lists/cards/{card.pk}/")
    expect(page.get_by_role("heading", name="办理流程卡")).to_be_visible()
    expect(page.locator("main")).to_contain_text("就业促进法")
    assert serious_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
