"""Offline entry for the field in a real Chromium on a phone (DHIS2's offline data entry is the anchor): the
monitor's form is kept on the phone by the service worker; without signal two burden events (one with a photo)
wait in IndexedDB; when signal returns both are stored once; an entry the server refuses stays on the phone
with the server's Chinese reason."""

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

from tests.grid.conftest import png_bytes  # noqa: E402

from .screenshots import PHONE  # noqa: E402
from .test_browser import serious_violations, sign_in  # noqa: E402

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

KEPT = """async () => {
  const cache = await caches.open('jianfu-pages');
  return !!(await cache.match('/monitoring/record/'));
}"""


@pytest.fixture
def point(live_world, settings, tmp_path):
    from jianfu.monitoring import services
    from jianfu.orgs.models import Region, User

    settings.MEDIA_ROOT = tmp_path
    office, monitor = User.objects.get(username="mz_office"), User.objects.get(username="monitor")
    point = services.point_designate(actor=office, village=Region.objects.get(code="428521101201"))
    services.monitor_assign(actor=office, point=point, monitor=monitor)
    return point


def _wait_until_kept(page):
    """The service worker has put the form on the phone (it does so in the background after sign-in)."""
    for _ in range(50):
        if page.evaluate(KEPT):
            return
        page.wait_for_timeout(300)
    raise AssertionError("the service worker did not keep the form on the phone")


def _record(page, description, photo=None):
    page.get_by_label("负担类型").select_option(label="政务APP打卡、积分、考核指标")
    page.get_by_label(re.compile(r"^来源部门")).select_option(label="县人社局")
    page.get_by_label(re.compile(r"^情况描述")).fill(description)
    if photo:
        page.get_by_label(re.compile(r"^照片")).set_input_files(photo)
    # The notice of the entry before still says 已保存在手机上: blank it, or the wait below would pass before
    # this entry is on the phone and the test would go on (changing signal) while it is still being sent.
    page.evaluate("document.getElementById('field-notice').textContent = ''")
    page.locator("main").get_by_role("button", name="提交").click()
    expect(page.locator("#field-notice")).to_contain_text("已保存在手机上")


def test_a_monitor_records_two_events_without_signal_and_both_are_stored_once(open_page, point, tmp_path):
    from jianfu.monitoring.models import BurdenEvent, MonitorAssignment

    page = open_page(PHONE)
    sign_in(page, "monitor")
    page.goto("/monitoring/record/")
    _wait_until_kept(page)
    context = page.context
    context.set_offline(True)
    page.reload()  # without signal the page comes from the phone
    expect(page.get_by_role("heading", name="记录负担事件")).to_be_visible()
    photo = tmp_path / "photo.png"
    photo.write_bytes(png_bytes())
    _record(page, "离线记录一：要求每天APP打卡", photo=str(photo))
    _record(page, "离线记录二：要求上传工作照片")
    outbox = page.locator("#field-outbox")
    expect(outbox).to_contain_text("待发送 2 条")
    assert BurdenEvent.objects.count() == 0

    context.set_offline(False)
    assert serious_violations(page) == []  # axe comes from the server: checked once signal is back
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(outbox).to_contain_text("已发送 2 条", timeout=15_000)
    events = list(BurdenEvent.objects.order_by("id"))
    assert [e.description for e in events] == ["离线记录一：要求每天APP打卡", "离线记录二：要求上传工作照片"]
    assert events[0].photo and not events[1].photo
    assert len({e.idempotency_key for e in events}) == 2
    # The answer to a send was lost and the phone sends the same entry again: still stored once.
    again = page.evaluate("""async () => {
      const [entry] = (await JianfuOutbox.list(document.querySelector('#field-outbox').dataset.user))
        .filter((e) => e.status === 'sent');
      entry.status = 'waiting';
      return (await JianfuOutbox.send(entry)).created;
    }""")
    assert again is False and BurdenEvent.objects.count() == 2

    # The monitor no longer serves 桃园村: an entry made offline is refused on sync and kept with the reason.
    context.set_offline(True)
    _record(page, "离线记录三：服务关系已调整")
    from jianfu.monitoring import services
    from jianfu.orgs.models import Region, User

    office, monitor = User.objects.get(username="mz_office"), User.objects.get(username="monitor")
    jiefang = services.point_designate(actor=office, village=Region.objects.get(code="428521001001"))
    services.monitor_assign(actor=office, point=jiefang, monitor=monitor)  # now serving 解放路社区 instead
    MonitorAssignment.objects.filter(point=point).delete()
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(outbox).to_contain_text("被退回 1 条", timeout=15_000)
    expect(outbox.locator("[data-state=rejected]")).to_contain_text("已不在您服务的监测点中")
    assert BurdenEvent.objects.count() == 2
    page.goto("/field/")  # the outbox page, where nothing is dropped without the monitor deciding
    expect(page.locator("#field-outbox [data-state=rejected]")).to_contain_text("离线记录三")
    expect(page.locator("#field-outbox")).to_contain_text("已发送 2 条")
    assert serious_violations(page) == []
    # The monitor corrects it: the entry comes back into the form, now for the village they serve.
    page.get_by_role("link", name="修改后重新提交").click()
    expect(page.locator("#field-notice")).to_contain_text("正在修改被退回的记录")
    expect(page.get_by_label(re.compile(r"^情况描述"))).to_have_value("离线记录三：服务关系已调整")
    page.get_by_label("监测点（村、社区）").select_option(label="解放路社区")
    page.locator("main").get_by_role("button", name="提交").click()
    expect(page).to_have_url(re.compile(r"/monitoring/events/\d+/$"))
    assert BurdenEvent.objects.filter(village__code="428521001001").count() == 1
    page.goto("/field/")
    expect(page.locator("#field-outbox")).to_contain_text("被退回 0 条")
