"""One grid event end to end in real Chromium on a phone (390×844): the grid worker reports it with a photo, the
department accepts and reports back, the worker verifies on the spot and it is closed; axe on every page."""

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

from .screenshots import PHONE  # noqa: E402
from .test_browser import AXE_JS, serious_violations, sign_in  # noqa: E402

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def grid_world(live_world):
    from jianfu.grid import demo

    demo.load_classes()
    demo.load_grids()


def _check(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "page scrolls sideways"
    if AXE_JS.exists():
        assert not serious_violations(page)


def test_it_takes_a_grid_event_from_the_phone_report_to_close(open_page, grid_world, tmp_path):
    from tests.grid.conftest import png_bytes

    photo = tmp_path / "scene.png"
    photo.write_bytes(png_bytes((40, 30)))
    worker = open_page(PHONE)
    sign_in(worker, "grid_jf")
    worker.goto("/grid/report/")
    _check(worker)
    worker.get_by_label("事件分类").select_option(label="拖欠工资、劳动纠纷")
    worker.get_by_label("楼栋（村民小组）").fill("解放路3号楼")
    worker.get_by_label("事发地点").fill("3号楼西侧空地")
    worker.get_by_label("情况描述").fill("装修工人反映被拖欠两个月工钱")
    worker.get_by_label("现场照片").set_input_files(str(photo))
    worker.locator("main").get_by_role("button", name="上报").click()
    expect(worker.locator("main")).to_contain_text("县人社局")
    expect(worker.get_by_role("img", name="现场照片")).to_be_visible()
    number = re.search(r"WG\d{10}", worker.locator("h1").inner_text()).group(0)
    event_url = worker.url
    _check(worker)

    # A second report at the same building shows the open one first.
    worker.goto("/grid/report/")
    worker.get_by_label("事件分类").select_option(label="拖欠工资、劳动纠纷")
    worker.get_by_label("楼栋（村民小组）").fill("解放路3号楼")
    worker.get_by_label("事发地点").fill("3号楼西侧")
    worker.get_by_label("情况描述").fill("又有工人反映同一工地欠薪")
    worker.locator("main").get_by_role("button", name="上报").click()
    expect(worker.get_by_role("heading", name=re.compile("同类事件未办结"))).to_be_visible()
    expect(worker.locator("main")).to_contain_text(number)
    _check(worker)

    from jianfu.grid.models import GridEvent

    handler = open_page(PHONE)
    sign_in(handler, "rs_clerk")
    handler.goto(event_url)
    handler.locator("main").get_by_role("button", name="受理").click()
    expect(handler.get_by_role("status")).to_contain_text("已受理")
    handler.get_by_role("textbox", name="处置结果").fill("已督促施工方全额支付")
    handler.locator("main").get_by_role("button", name="反馈").click()
    expect(handler.locator("main")).to_contain_text("待核查")
    _check(handler)

    worker.goto(event_url)
    worker.get_by_label("核查情况").fill("工人确认已收到工钱")
    worker.get_by_role("button", name="核查通过，结案").click()
    expect(worker.locator("main")).to_contain_text("已结案")
    expect(worker.locator("main")).to_contain_text("核查通过，结案")
    assert GridEvent.objects.get(number=number).status == "closed"
    worker.goto("/grid/stats/")
    _check(worker)
