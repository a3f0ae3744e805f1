"""What people see in a real browser: signing in, refusals, the keyboard, and axe-core's accessibility audit."""

import re
import shutil

import pytest

if shutil.which("chromium") is None:
    pytest.skip(
        "Chromium 未安装（需要 /usr/bin/chromium，Debian 包 chromium）：跳过浏览器测试",
        allow_module_level=True,
    )
pytest.importorskip("playwright.sync_api", reason="playwright Python 包未安装")

from django.template.loader import render_to_string  # noqa: E402
from playwright.sync_api import Page, expect  # noqa: E402

from jianfu.orgs.demo import DEMO_PASSWORD  # noqa: E402

from .axe import AXE_JS, violations  # noqa: E402, F401
from .screenshots import DESKTOP, PHONE  # noqa: E402

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TAOYUAN = "428521101201"
WENCHANG = "428521001002"  # a community of 城关街道, outside 桃园村 (河口镇)


def sign_in(page: Page, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("账号").fill(username)
    page.get_by_label("密码").fill(password)
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name="登录").click()


def serious_violations(page: Page) -> list[str]:
    """axe-core's WCAG 2.2 AA and best-practice rules on the current page (the name is older than the rule set)."""
    return violations(page)


@pytest.mark.parametrize(
    ("username", "viewport", "expected"),
    [
        ("sysadmin", DESKTOP, "新增用户"),
        ("jw_inspector", DESKTOP, "审计日志检索"),
        ("taoyuan", PHONE, "桃园村"),
    ],
    ids=["admin-desktop", "inspector-desktop", "village-phone"],
)
def test_it_signs_in_through_the_form_and_lands_on_the_role_home(open_page, username, viewport, expected):
    page = open_page(viewport)
    sign_in(page, username)
    expect(page).to_have_url(re.compile(r"/home/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("您好")
    expect(page.locator("main")).to_contain_text(expected)
    if viewport is PHONE:
        # The navigation folds behind the menu button and opens on a tap.
        menu = page.get_by_role("button", name="展开菜单")
        expect(menu).to_be_visible()
        entry = page.locator("#nav-main").get_by_role("link", name="清单", exact=True)
        expect(entry).to_be_hidden()
        menu.click()
        expect(entry).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], (
            "page scrolls sideways"
        )


def test_it_shows_the_chinese_error_for_a_wrong_password(open_page):
    page = open_page()
    sign_in(page, "sysadmin", "wrong-Password-1")
    expect(page.get_by_role("alert")).to_contain_text("用户名或密码错误。")
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_label("账号")).to_have_value("sysadmin")


def test_it_refuses_a_village_cadre_with_the_403_and_404_pages(open_page):
    page = open_page(PHONE)
    sign_in(page, "taoyuan")

    response = page.goto("/orgs/users/new/")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("无权访问")
    expect(page.locator("main")).to_contain_text("您没有维护组织架构的权限。")
    expect(page.locator("main").get_by_role("link", name="返回工作台")).to_have_attribute("href", "/home/")

    response = page.goto(f"/orgs/regions/{WENCHANG}/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("页面不存在")
    expect(page.locator("main")).not_to_contain_text("文昌社区")

    assert page.goto(f"/orgs/regions/{TAOYUAN}/").status == 200


@pytest.mark.parametrize("signed_in", [False, True], ids=["landing", "home"])
def test_it_makes_the_skip_link_the_first_tab_stop(open_page, signed_in):
    page = open_page()
    if signed_in:
        sign_in(page, "hk_town")
    else:
        page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="跳到主要内容")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()


def test_it_filters_the_region_list_as_chinese_is_typed(open_page):
    page = open_page(PHONE)
    sign_in(page, "hk_town")
    page.goto("/orgs/regions/")
    page.get_by_label("名称或区划代码").fill("桃园")  # fill() fires "input" like an IME commit, no keyup
    expect(page.locator("#region-rows caption")).to_have_text("共 1 个区划")
    expect(page.locator("#region-rows").get_by_role("link", name="桃园村")).to_be_visible()


def test_it_serves_the_site_stylesheet(open_page):
    page = open_page()
    response = page.goto("/static/jianfu/site.css")
    assert response.status == 200, "site.css 未被提供：STATICFILES_DIRS 需包含 src/jianfu/static"


@pytest.mark.skipif(not AXE_JS.exists(), reason="axe-core 未安装（npm install）")
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_it_has_no_serious_accessibility_violations(open_page, viewport):
    page = open_page(viewport)
    found = []
    page.goto("/accounts/login/")
    found += serious_violations(page)
    sign_in(page, "sysadmin")
    for url in ["/home/", "/orgs/regions/", "/orgs/users/new/", "/orgs/import/"]:
        page.goto(url)
        found += serious_violations(page)
    village = open_page(viewport)
    sign_in(village, "taoyuan")
    found += serious_violations(village)
    village.goto("/orgs/users/new/")  # the 403 page
    found += serious_violations(village)
    assert not found, "\n".join(found)


def test_it_renders_the_500_page_without_a_request(open_page):
    page = open_page()
    page.goto("/")  # so the page's relative /static/ links resolve against the live server
    page.set_content(render_to_string("500.html"))
    expect(page.get_by_role("heading", level=1)).to_have_text("系统暂时出错")
    expect(page.locator("main").get_by_role("link", name="返回工作台")).to_have_attribute("href", "/home/")
    if AXE_JS.exists():
        assert not serious_violations(page)
