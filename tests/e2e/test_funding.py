"""费随事转 in a real browser on a 390-pixel phone: 桃园村's cadre opens what 河口镇 entered from the home page,
confirms one entry and objects to another, with no accessibility violations and no sideways scrolling."""

import re
import shutil
from decimal import Decimal

import pytest

if shutil.which("chromium") is None:
    pytest.skip(
        "Chromium 未安装（需要 /usr/bin/chromium，Debian 包 chromium）：跳过浏览器测试",
        allow_module_level=True,
    )
pytest.importorskip("playwright.sync_api", reason="playwright Python 包未安装")

from playwright.sync_api import expect  # noqa: E402

from .screenshots import PHONE  # noqa: E402
from .test_browser import serious_violations, sign_in  # noqa: E402

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def entries(live_world):
    """Two of 县人社局's assist items with money; 河口镇 entered what reached 桃园村 for each."""
    from jianfu.admission import services
    from jianfu.catalog.reference import REFERENCE_DIR, load_reference_file
    from jianfu.orgs.models import Department, Region, User

    load_reference_file(REFERENCE_DIR / "city_assist.yaml")
    clerk, town = User.objects.get(username="rs_clerk"), User.objects.get(username="hk_town")
    rs, village = Department.objects.get(name="县人社局"), Region.objects.get(code="428521101201")
    made = []
    for code, amount in (("SZ-RS-XZ-001", "3000"), ("SZ-RS-XZ-002", "1200")):
        ledger = services.ledger_open(
            actor=clerk, department=rs, year=2026, item_code=code, promised_amount="20000", promised_people=2
        )
        made.append(
            services.allocation_enter(
                actor=town,
                ledger=ledger,
                village=village,
                amount=amount,
                people=1,
                people_names="社保协理员张敏",
            )
        )
    return made


def _no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "page scrolls sideways"


def test_a_village_confirms_one_entry_and_objects_to_another_on_a_phone(open_page, entries):
    from jianfu.admission.models import FundingAllocation

    first, second = entries
    page = open_page(PHONE)
    sign_in(page, "taoyuan")
    page.goto("/")
    page.get_by_role("link", name=re.compile("项经费和人员到位情况待确认")).click()
    expect(page.get_by_role("heading", name="经费和人员到位确认")).to_be_visible()
    expect(page.locator("main")).to_contain_text("有 2 项待确认")
    assert serious_violations(page) == []
    _no_sideways_scroll(page)

    card = page.locator("article", has_text=first.ledger.item_title[:20])
    expect(card).to_contain_text("3000.00 元")
    card.get_by_role("button", name=re.compile("确认已到位")).click()
    expect(page.get_by_role("status").first).to_contain_text("已确认")
    assert FundingAllocation.objects.get(pk=first.pk).state == "confirmed"

    other = page.locator("article", has_text=second.ledger.item_title[:20])
    other.get_by_text("与实际不符").click()
    other.get_by_label("实际到位情况").fill("实际只到位 800 元，人员未到")
    assert serious_violations(page) == []
    _no_sideways_scroll(page)
    other.get_by_role("button", name="提出异议").click()
    expect(page.get_by_role("status").first).to_contain_text("异议已提交")
    disputed = FundingAllocation.objects.get(pk=second.pk)
    assert disputed.state == "disputed" and disputed.village_note == "实际只到位 800 元，人员未到"
    assert disputed.amount == Decimal(
        "1200.00"
    )  # the township corrects it; the village's word is kept beside
    expect(page.locator("main")).to_contain_text("村（社区）有异议")
    assert serious_violations(page) == []
    _no_sideways_scroll(page)
