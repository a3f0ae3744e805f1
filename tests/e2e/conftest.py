"""Browser fixtures: Debian's Chromium driven by Playwright against pytest-django's live server.

Playwright's sync API keeps an asyncio loop in the test thread, which makes Django refuse ORM calls there
unless DJANGO_ALLOW_ASYNC_UNSAFE is set; the live server itself runs in its own thread.
"""

import os

import pytest

from .screenshots import CHROMIUM, CHROMIUM_ARGS, DESKTOP

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def live_world(transactional_db):
    """The demo county, committed so the live server's thread can see it (``world`` uses ``db``)."""
    from jianfu.orgs.demo import load_demo

    load_demo()


def _watch_csp(page, violations: list) -> None:
    """Chromium reports every resource, inline script or style the Content-Security-Policy refused as a console
    error; a page of ours must cause none."""

    def seen(message):
        if message.type == "error" and "Content Security Policy" in message.text:
            violations.append(f"{page.url}: {message.text}")

    page.on("console", seen)


@pytest.fixture
def open_page(browser, live_server, live_world):
    """open_page(viewport=DESKTOP) gives a fresh browser context (no cookies) on the live server; the test fails
    if any page it opened broke the Content-Security-Policy."""
    contexts, violations = [], []

    def _open(viewport=DESKTOP):
        phone = viewport["width"] < 600
        context = browser.new_context(
            base_url=live_server.url,
            viewport=viewport,
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
            is_mobile=phone,
            has_touch=phone,
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        _watch_csp(page, violations)
        return page

    yield _open
    for context in contexts:
        context.close()
    assert not violations, "Content-Security-Policy violations:\n" + "\n".join(violations)
