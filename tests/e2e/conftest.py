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


@pytest.fixture
def open_page(browser, live_server, live_world):
    """open_page(viewport=DESKTOP) gives a fresh browser context (no cookies) on the live server."""
    contexts = []

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
        return context.new_page()

    yield _open
    for context in contexts:
        context.close()
