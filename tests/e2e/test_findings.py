"""One decline followed from the village's phone to a published bulletin anyone can read: the village declines
un-admitted work naming the department in free text, the inspector judges the finding in the queue, drafts and
publishes the bulletin, and the public page shows it; axe-core on every page of the way."""

import shutil

import pytest

if shutil.which("chromium") is None:
    pytest.skip(
        "Chromium 未安装（需要 /usr/bin/chromium，Debian 包 chromium）：跳过浏览器测试",
        allow_module_level=True,
    )
pytest.importorskip("playwright.sync_api", reason="playwright Python 包未安装")

from django.utils import timezone  # noqa: E402
from playwright.sync_api import expect  # noqa: E402

from .screenshots import DESKTOP, PHONE  # noqa: E402
from .test_browser import AXE_JS, serious_violations, sign_in  # noqa: E402

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def reference(live_world):
    from jianfu.catalog.reference import load_reference_lists

    return load_reference_lists()


def _axe(page, found: list) -> None:
    if AXE_JS.exists():
        found += serious_violations(page)


def test_it_follows_a_decline_from_the_village_phone_to_a_published_bulletin(open_page, reference):
    from jianfu.monitoring.models import Finding

    found: list[str] = []
    phone = open_page(PHONE)
    sign_in(phone, "taoyuan")
    phone.goto("/home/")
    phone.get_by_role("link", name="一键核验交办的工作").click()
    phone.get_by_label("交办的工作").fill("请各村协助开展农村户用光伏安装意向摸底调查，逐户登记屋顶面积")
    phone.get_by_label("交办单位").fill("人社局")
    phone.locator("main").get_by_role("button", name="核验").click()
    phone.get_by_role("button", name="拒绝执行，生成回执").click()
    expect(phone.get_by_role("heading", name="关于不予承担未经准入工作事项的回执")).to_be_visible()
    finding = Finding.objects.get(source="decline")
    assert finding.department.name == "县人社局" and finding.state == "pending"

    desk = open_page(DESKTOP)
    sign_in(desk, "jw_inspector")
    desk.goto("/monitoring/findings/?source=decline")
    _axe(desk, found)
    desk.get_by_role("checkbox", name=f"选择：{finding.subject[:30]}", exact=False).check()
    desk.get_by_label("研判理由（必填）").fill("未经准入交办村（社区），情况属实")
    desk.get_by_role("button", name="认定违规").click()
    expect(desk.get_by_text("已将 1 个问题研判为“认定违规”")).to_be_visible()
    desk.goto(f"/monitoring/findings/{finding.pk}/")
    expect(
        desk.get_by_text("依据：《关于建立社区工作事项准入、变更及退出制度的指导意见》", exact=False)
    ).to_be_visible()
    _axe(desk, found)
    desk.goto("/monitoring/bulletins/new/")
    today = timezone.localdate().isoformat()
    desk.get_by_label("通报范围").select_option(label="清河县")
    desk.get_by_label("起始日期").fill(today)
    desk.get_by_label("截止日期").fill(today)
    desk.get_by_role("button", name="生成草稿").click()
    expect(desk.get_by_text("县人社局").first).to_be_visible()
    desk.get_by_role("button", name="发布通报").click()
    expect(desk.get_by_text("整改期限").first).to_be_visible()
    finding.refresh_from_db()
    assert finding.state == "published"

    public = open_page(PHONE)
    public.goto("/public/monitoring/bulletins/")
    public.get_by_role("link", name="减负监测发现问题的通报", exact=False).first.click()
    expect(public.get_by_role("heading", name="县人社局", exact=False)).to_be_visible()
    expect(public.get_by_text("村（社区）拒绝执行未准入工作").first).to_be_visible()
    _axe(public, found)
    assert public.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert not found, "\n".join(found)


def test_the_inspector_judges_once_and_the_county_sets_its_numbers(open_page, reference):
    """The pages this round changed, with axe-core: a clue's page sends the inspector to its finding; a finding
    the classifier judged is dismissed naming the list item (a correction for the county's wording); the county
    dashboard shows the findings' figures (on a phone too); the visits list filters those over the weekly limit;
    the county's settings page lists the meeting rule, the rectification deadline and the weekly limit."""
    from jianfu.catalog.models import VerdictCorrection
    from jianfu.monitoring import services
    from jianfu.monitoring.models import Finding
    from jianfu.orgs.models import Department, Region, User

    today = timezone.localdate()
    taoyuan, rs = Region.objects.get(name="桃园村"), Department.objects.get(name="县人社局")
    monitor = User.objects.get(username="monitor")
    point = services.point_designate(actor=None, village=taoyuan)
    services.monitor_assign(actor=None, point=point, monitor=monitor)
    work = "请村里组织人员为农商银行推销理财产品"
    task, _ = services.event_record(
        actor=monitor,
        village=taoyuan,
        kind="task",
        department=rs,
        occurred_on=today,
        description=work,
        subject=work,
    )
    clue, _ = services.clue_report(
        actor=User.objects.get(username="taoyuan"),
        village=taoyuan,
        kind="app",
        department=rs,
        occurred_on=today,
        description="要求每天在APP上签到打卡",
    )
    found: list[str] = []
    desk = open_page(DESKTOP)
    sign_in(desk, "jw_inspector")
    desk.goto(f"/monitoring/events/{clue.pk}/")
    _axe(desk, found)
    desk.get_by_role("link", name="到问题页研判").click()
    expect(desk.get_by_role("heading", name="研判", exact=True)).to_be_visible()
    desk.goto(f"/monitoring/findings/{Finding.objects.get(event=task).pk}/")
    _axe(desk, found)
    desk.get_by_label("研判理由（必填）").fill("属于村委会依法协助的工作")
    item = desk.get_by_label("不认定时：该事项属于本县清单的哪一项（选填）")
    item.select_option(index=1)
    desk.get_by_role("button", name="不认定").click()
    expect(desk.get_by_text("已将 1 个问题研判为“不认定”")).to_be_visible()
    assert VerdictCorrection.objects.get(source_id=task.pk).status == "decided"
    desk.goto(f"/monitoring/dashboard/?region={taoyuan.code[:6]}000000&year={today.year}")
    expect(desk.get_by_role("heading", name="问题研判（经认定违规，与去年同期比）")).to_be_visible()
    _axe(desk, found)
    desk.goto("/monitoring/findings/figures/")
    _axe(desk, found)
    desk.goto("/supervision/visits/?flag=over_limit")
    expect(desk.get_by_label("核对结果")).to_have_value("over_limit")
    _axe(desk, found)

    phone = open_page(PHONE)
    sign_in(phone, "jw_inspector")
    phone.goto(f"/monitoring/dashboard/?region={taoyuan.code[:6]}000000&year={today.year}")
    _axe(phone, found)
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    office = open_page(DESKTOP)
    sign_in(office, "mz_office")
    office.goto(f"/orgs/settings/{taoyuan.code[:6]}000000/")
    for label in (
        "每周到同一村（社区）督查检查考核的次数上限",
        "被通报单位的整改期限",
        "县级单位可直接召集村（社区）干部参加会议",
    ):
        expect(office.get_by_role("link", name=f"调整 {label}")).to_be_attached()
    _axe(office, found)
    assert not found, "\n".join(found)
