"""Campaign and evaluation in a real browser: a resident answers the satisfaction survey on a phone with the
code from the slip (a second try with the same code is refused), and the county office reads the ledger with
its chart; both pages pass the axe-core check."""

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
def survey_code(live_world):
    from jianfu.campaign import services
    from jianfu.orgs.models import Region, User

    town = User.objects.get(username="hk_town")
    scheme = services.scheme_create(actor=town, township=Region.objects.get(code="428521101000"), year=2026)
    scheme = services.scheme_open(actor=town, scheme=scheme, version=scheme.version)
    village = Region.objects.get(code="428521101201")
    return services.codes_issue(actor=town, scheme=scheme, village=village, count=1)[0].code


def test_it_lets_a_resident_answer_the_survey_once_on_a_phone(open_page, survey_code):
    page = open_page(PHONE)
    page.goto("/public/campaign/survey/")
    page.get_by_label("测评码").fill(survey_code.lower())
    for question in ("村（社区）为民服务情况", "村务（居务）公开情况", "群众反映问题的解决情况", "总体评价"):
        page.get_by_role("group", name=question).get_by_label("满意", exact=True).check()
    page.get_by_role("group", name="村（社区）干部工作作风和态度").get_by_label("基本满意").check()
    found = serious_violations(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "page scrolls sideways"
    page.get_by_role("button", name="提交评价").click()
    expect(page.get_by_role("status")).to_contain_text("已收到您对桃园村的满意度评价")
    page.goto("/public/campaign/survey/")
    page.get_by_label("测评码").fill(survey_code)
    for question in (
        "村（社区）为民服务情况",
        "村务（居务）公开情况",
        "村（社区）干部工作作风和态度",
        "群众反映问题的解决情况",
        "总体评价",
    ):
        page.get_by_role("group", name=question).get_by_label("不满意").check()
    page.get_by_role("button", name="提交评价").click()
    expect(page.locator("[data-error-summary]")).to_contain_text("该测评码已经使用过")
    assert not found, "\n".join(found)


def test_it_shows_the_office_the_ledger_with_its_chart(open_page, live_world):
    from jianfu.campaign.demo import load_demo_records
    from jianfu.campaign.models import Campaign

    load_demo_records()
    page = open_page(DESKTOP)
    sign_in(page, "mz_office")
    page.goto(f"/campaign/{Campaign.objects.get().pk}/")
    expect(page.get_by_role("heading", name="牵头单位推进情况")).to_be_visible()
    expect(page.locator("#chart-units canvas")).to_have_count(1)
    expect(page.get_by_role("table", name="任务分工一览表")).to_contain_text("县行政审批局")
    assert not serious_violations(page)
