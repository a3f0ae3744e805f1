"""A resident on a phone reports a problem the FixMyStreet way (issue 21): from the front door, "use my location"
picks the village and the spot, a category in plain words, a photo; the code the report gives opens its status
page, and the centre's dispatch shows there with its deadline. Typing the place by hand works as well. axe-core's
WCAG 2.2 AA and best-practice rules on every page."""

import base64

import pytest
from playwright.sync_api import expect

from .screenshots import PHONE
from .test_browser import AXE_JS
from .test_public_door import violations

pytestmark = pytest.mark.skipif(not AXE_JS.exists(), reason="axe-core 未安装（npm install）")

# A 1×1 PNG: the service re-encodes it (core.uploads), so any real image will do.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
NEAR_JIEFANG = {"latitude": 30.5133, "longitude": 114.3022}  # inside 解放路社区's first grid (grid/demo.py)


@pytest.fixture
def grids(live_world):
    """The demo county's classification and grids, without the rest of the demo records."""
    from jianfu.grid.demo import load_classes, load_grids

    load_classes()
    load_grids()


def test_a_resident_reports_with_the_phones_location_and_follows_it_by_code(open_page, grids, tmp_path):
    page = open_page(PHONE)
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation(NEAR_JIEFANG)
    found = []
    page.goto("/public/")
    page.get_by_role("link", name="拍照反映问题").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("反映身边的问题")
    found += violations(page)
    page.get_by_role("button", name="使用我的位置").click()
    expect(page.locator(".locate-box [role=status]")).to_contain_text("解放路社区附近")
    expect(page.get_by_label("在哪个村（社区）")).to_have_value("428521001001")
    expect(page.get_by_label("具体位置")).to_have_value("解放路社区第一网格附近")
    assert page.get_by_label("纬度").input_value() == "30.513300"
    page.get_by_label("具体位置").fill("解放路 3 号楼东侧路灯")
    page.get_by_label("是什么问题").select_option(label="井盖、路灯等公共设施损坏")
    page.get_by_label("看到了什么").fill("路灯不亮一个星期了，晚上看不清台阶。")
    photo = tmp_path / "路灯.png"
    photo.write_bytes(PNG)
    page.get_by_label("照片（可不传）").set_input_files(photo)
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_role("status")).to_contain_text("已经收到您的反映")
    progress = page.get_by_role("list", name="办理进度")
    expect(progress).to_contain_text("已交县住建局办理")  # routed by its class at once
    expect(progress).to_contain_text("应在")
    found += violations(page)
    code = page.locator("strong.font-monospace").first.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    from jianfu.grid.models import GridEvent, Source

    event = GridEvent.objects.get(rating_code=code)
    assert (event.source, event.community.code, event.place) == (
        Source.RESIDENT,
        "428521001001",
        "解放路 3 号楼东侧路灯",
    )
    assert event.photo and str(event.lat) == "30.513300"

    page.goto("/public/")
    page.get_by_label("已经反映过？输入查询码看进度、评价").fill(code.lower())
    page.get_by_role("search", name="查询反映的办理进度").get_by_role("button", name="查询").click()
    expect(page.get_by_role("heading", level=2)).to_contain_text("井盖、路灯等公共设施损坏")
    assert not found, "\n".join(found)


def test_a_resident_without_location_types_the_place_and_a_refusal_names_the_fields(open_page, grids):
    page = open_page(PHONE)  # no geolocation permission: the button says so, typing still works
    page.goto("/public/grid/")
    page.get_by_role("button", name="提交").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("在哪个村（社区）")
    expect(summary).to_contain_text("具体位置")
    found = violations(page)
    page.get_by_label("输入名称查找，缩小下方选项").fill("桃园")
    expect(page.get_by_label("在哪个村（社区）")).to_have_value("428521101201")
    page.get_by_label("具体位置").fill("村委会门口")
    page.get_by_label("是什么问题").select_option(label="暴露垃圾、乱堆乱放")
    page.get_by_label("看到了什么").fill("垃圾堆了三天没人清运。")
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_role("status")).to_contain_text("已经收到您的反映")
    expect(page.locator("main")).to_contain_text("桃园村，村委会门口")
    found += violations(page)
    page.goto("/public/grid/status/?code=ZZZZZZZZ")
    expect(page.get_by_role("alert")).to_contain_text("没有找到")
    found += violations(page)
    assert not found, "\n".join(found)
