"""The Content-Security-Policy in a real browser: the e2e fixture fails a test whose pages broke it (this shows
the watch works), and a chart's tooltip shows without an inline style."""

import pytest

from .conftest import _watch_csp
from .screenshots import DESKTOP
from .test_browser import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_watch_catches_an_inline_script_the_policy_refuses(browser, live_server, live_world):
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP)
    page, violations = context.new_page(), []
    _watch_csp(page, violations)
    page.goto("/")
    assert not violations
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.x = 1'; "
        "document.body.append(s); }"
    )
    page.wait_for_timeout(300)
    context.close()
    assert violations and "script-src" in violations[0]


def test_a_chart_draws_and_shows_its_tooltip_under_the_policy(open_page):
    page = open_page()
    sign_in(page, "jw_inspector")
    page.goto("/forms/stats/")
    chart = page.locator("#chart-forms canvas")
    chart.wait_for()
    box = chart.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_timeout(300)
    # open_page fails the test at teardown if anything above broke the policy
