"""Admission in a real browser: the simple procedure from the department's form to the village's signature,
the ordinary procedure's meeting, the village's one-step check and decline on a phone, and axe-core."""

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

PLAN = {
    "事项名称": "公益性岗位人员在岗情况核实协助",
    "事项内容": "协助每月核实村级公益性岗位人员在岗情况，签字确认考勤。",
    "工作要求": "每月5日前完成核实。",
    "职责分工": "县人社局负责名单和系统，村（社区）协助核实。",
    "操作流程": "下发名单→核实→签字→报送。",
    "时间节点": "每月5日前。",
    "落实人员": "社保所专人1名。",
    "经费金额（元）": "24000",
    "经费来源": "县就业专项资金",
    "培训和指导": "集中培训一次。",
    "事前沟通记录": "已征求各乡镇意见，均无异议。",
}


@pytest.fixture
def reference(live_world):
    from jianfu.catalog.reference import load_reference_lists

    return load_reference_lists()


def _fill_application(page):
    """The plan, for 桃园村 only: 河口镇 is then the one township asked for its stance."""

    for label, value in PLAN.items():
        page.get_by_label(label).fill(value)
    page.get_by_label("覆盖本县所有村（社区）").uncheck()
    page.get_by_role("checkbox", name="桃园村", exact=True).check()  # 实施范围: one village, by its name


def test_it_walks_the_simple_procedure_from_application_to_signature(open_page, reference):
    page = open_page(DESKTOP)
    sign_in(page, "rs_clerk")
    page.goto("/admission/new/")
    _fill_application(page)
    page.locator("main").get_by_role("button", name="保存并提交").click()  # no separate draft step
    expect(page.get_by_text("申请已提交")).to_be_visible()  # passed, or sent to the office as 需人工研判
    expect(page.get_by_role("heading", name="清单预检")).to_be_visible()
    url = page.url

    sign_in(page, "hk_town")  # the township gives its own stance (第七条), not the applicant
    page.goto("/admission/consults/")
    row = page.locator("tr", has_text=PLAN["事项名称"])
    row.get_by_label("无异议").check()
    row.get_by_role("button", name="提交答复").click()
    expect(page.get_by_text("已答复")).to_be_visible()

    sign_in(page, "mz_office")
    page.goto(url)
    page.get_by_label("符合简易程序").check()
    page.get_by_label("初审意见").fill("材料齐全，乡镇无异议，适用简易程序。")
    page.get_by_role("button", name="记录初审结论").click()
    expect(page.get_by_text("待审核委员会核准").first).to_be_visible()

    sign_in(page, "chair")
    page.goto(url)
    page.get_by_label("准入：下发工作告知单并备案").check()
    page.get_by_role("button", name="记录核准结论").click()
    expect(page.get_by_text("已准入，工作告知单")).to_be_visible()

    sign_in(page, "taoyuan")
    page.goto("/admission/notices/")
    page.get_by_role("button", name="签收").first.click()
    expect(page.get_by_text("已签收告知单")).to_be_visible()
    page.goto("/public/admission/")
    expect(page.get_by_role("link", name="公益性岗位人员在岗情况核实协助")).to_be_visible()


def test_it_records_the_member_unit_meeting_in_the_ordinary_procedure(open_page, reference):
    from django.utils import timezone

    from jianfu.admission import services
    from jianfu.orgs.models import Department, User
    from tests.admission.conftest import COMPLETE

    clerk = User.objects.get(username="rs_clerk")
    application = services.application_create(
        actor=clerk,
        applicant=Department.objects.get(name="县人社局"),
        **COMPLETE,
    )  # the townships have not answered yet: only the ordinary procedure is open
    application = services.application_submit(actor=clerk, application=application, expected_version=1)
    page = open_page(DESKTOP)
    sign_in(page, "mz_office")
    page.goto(f"/admission/{application.pk}/")
    expect(page.get_by_label("符合简易程序：直接提请审核委员会核准（第七条）")).to_be_visible()
    page.get_by_label("适用普通程序").check()
    page.get_by_label("初审意见").fill("河口镇有异议，走普通程序。")
    page.get_by_role("button", name="记录初审结论").click()
    page.get_by_label("沟通协调情况").fill("已协调，部门增派指导人员。")
    page.get_by_role("button", name="记录并提请会议审议").click()
    page.get_by_label("会议日期").fill(timezone.localdate().isoformat())
    page.get_by_label("召集人").fill("李建国（审核委员会主任）")
    page.get_by_label("申请主体专题汇报").fill("县人社局汇报实施方案。")
    page.get_by_role("button", name="记录会议").click()
    page.get_by_label("出具意见的单位").select_option(label="县委编办")
    page.locator("#id_stance").select_option("agree")
    page.get_by_label("单位确认人").fill(
        "王明"
    )  # the office minutes the unit's opinion: 代录, confirmed by the unit
    page.get_by_role("button", name="记录意见").click()
    expect(page.get_by_text("县委编办（成员单位会议意见）")).to_be_visible()
    expect(page.get_by_text("县委编办王明确认")).to_be_visible()
    page.get_by_role("button", name="会议审议完毕，提请核准").click()
    expect(page.get_by_text("已提请审核委员会核准")).to_be_visible()


def test_it_lets_a_village_cadre_check_and_decline_work_on_a_phone(open_page, reference):
    page = open_page(PHONE)
    sign_in(page, "taoyuan")
    page.goto("/home/")
    page.get_by_role("link", name="一键核验交办的工作").click()
    page.get_by_label("交办的工作").fill("请各村协助开展农村户用光伏安装意向摸底调查，逐户登记屋顶面积")
    page.get_by_label("交办单位").fill("县市场监管局")
    page.locator("main").get_by_role("button", name="核验").click()
    expect(page.get_by_text("清单外事项", exact=True)).to_be_visible()
    page.get_by_role("button", name="拒绝执行，生成回执").click()
    expect(page.get_by_role("heading", name="关于不予承担未经准入工作事项的回执")).to_be_visible()
    expect(page.get_by_text("县市场监管局：")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.mark.skipif(not AXE_JS.exists(), reason="axe-core 未安装（npm install）")
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_it_keeps_the_admission_pages_accessible(open_page, reference, viewport):
    from jianfu.admission.demo import load_demo_records
    from jianfu.admission.models import AdmittedItem, Application

    load_demo_records()
    page = open_page(viewport)
    found = []
    item = AdmittedItem.objects.first()
    page.goto("/public/admission/")
    found += serious_violations(page)
    page.goto(f"/public/admission/{item.pk}/")
    found += serious_violations(page)
    sign_in(page, "mz_office")
    submitted = Application.objects.filter(status="submitted").first()
    for url in [
        "/home/",
        "/admission/",
        f"/admission/{submitted.pk}/",
        "/admission/items/",
        f"/admission/items/{item.pk}/",
        "/admission/limits/",
        "/admission/retroactive/",
    ]:
        page.goto(url)
        found += serious_violations(page)
    sign_in(page, "rs_clerk")
    own_draft = Application.objects.filter(status="draft").first()
    for url in ["/home/", f"/admission/{own_draft.pk}/", "/admission/new/"]:
        page.goto(url)
        found += serious_violations(page)
    sign_in(page, "taoyuan")
    for url in ["/home/", "/admission/notices/", "/admission/check/", "/admission/declines/"]:
        page.goto(url)
        found += serious_violations(page)
    assert not found, "\n".join(found)
