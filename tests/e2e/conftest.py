"""Browser fixtures: Debian's Chromium driven by Playwright against pytest-django's live server.

Playwright's sync API keeps an asyncio loop in the test thread, which makes Django refuse ORM calls there
unless DJANGO_ALLOW_ASYNC_UNSAFE is set; the live server itself runs in its own thread.
"""

import os

import pytest

from . import axe
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


def _watch_pages(page, visited: list) -> None:
    """Every address the page's main frame showed, for axe-core at the end of the test."""

    def seen(frame):
        if frame.parent_frame is None and frame.url.startswith("http"):
            visited.append((page.context, frame.url.split("#")[0], axe._width(page)))

    page.on("framenavigated", seen)


SKIP_AXE = ("/static/", "/media/", "/api/", "/sw.js", "/manifest.webmanifest", "/accounts/logout/")


def _axe_unchecked(visited: list) -> list[str]:
    """axe-core on each page the test opened and did not check itself, unless an earlier test of this worker checked
    the same page (``axe.page_key``: address, user, phone or desktop) already: opened again in its own context (same
    cookies). A page that is not HTML any more (a download) is skipped, a redirect is checked where it lands, and an
    address only a POST answered cannot be opened again (the test checks such a page itself if it matters).
    Every page is entered in ``axe.SEEN`` (checked, or not a page), which the session's end asserts."""
    found, done = [], set(axe.CHECKED)
    for context, url, width in visited:
        if url in done or any(part in url for part in SKIP_AXE):
            continue
        done.add(url)
        try:
            key = axe.page_key(context, url, width)
            if key in axe.SESSION_CHECKED:
                axe.SEEN.setdefault(key, None)
                continue
            page = context.new_page()
        except Exception:  # the test closed this context itself: its pages were its own business
            continue
        axe.SEEN.setdefault(key, None)
        page.set_default_timeout(30_000)  # a loaded machine: the check is about the page, not its speed
        try:
            response = page.goto(url)
        except Exception:  # an address only a POST answers (a step's form action, 405 to a GET): not a page
            page.close()
            axe.SEEN[key] = "not a page"
            continue
        if response is not None and response.ok and "text/html" in response.headers.get("content-type", ""):
            found += axe.violations(page)  # enters the page in axe.SESSION_CHECKED
        else:
            axe.SEEN[key] = "not a page"
        page.close()
    return found


@pytest.fixture(scope="session", autouse=True)
def _every_page_checked():
    """At the end of the run (per xdist worker): every page a browser test opened was checked by axe-core in this
    worker, or was no page to check (a download, an address only a POST answers)."""
    yield
    missed = [key for key, why in axe.SEEN.items() if why is None and key not in axe.SESSION_CHECKED]
    assert not missed, f"pages no axe-core check covered: {missed}"


@pytest.fixture
def open_page(browser, live_server, live_world):
    """open_page(viewport=DESKTOP) gives a fresh browser context (no cookies) on the live server; the test fails
    if any page it opened broke the Content-Security-Policy, or if axe-core's WCAG 2.2 AA and best-practice rules
    find anything on any page it opened (``tests/e2e/axe.py``)."""
    contexts, violations, visited = [], [], []
    axe.CHECKED.clear()

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
        context.on("page", lambda page: (_watch_csp(page, violations), _watch_pages(page, visited)))
        return context.new_page()

    yield _open
    found = _axe_unchecked(visited) if axe.AXE_JS.exists() else []
    for context in contexts:
        context.close()
    assert not violations, "Content-Security-Policy violations:\n" + "\n".join(violations)
    assert not found, "axe-core (WCAG 2.2 AA, best practice):\n" + "\n".join(found)
