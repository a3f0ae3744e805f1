"""No page a persona can reach shows an internal word (issue 21): starting from each persona's home, the pages its
links lead to (bounded, breadth first, on a phone) show no English status word or internal code, no "种子"/seed
name and no "demo" tag in the main content; axe-core's WCAG 2.2 AA and best-practice rules on every page too (a page
another browser test already checked in this run, same address, user and phone, is not checked twice)."""

import io
import re
from collections import deque
from urllib.parse import urlsplit

import pytest

from . import axe
from .axe import AXE_JS, violations
from .screenshots import PHONE
from .test_browser import sign_in

pytestmark = pytest.mark.skipif(not AXE_JS.exists(), reason="axe-core 未安装（npm install）")

PERSONAS = ["taoyuan", "hk_town", "rs_clerk", "mz_office", "jw_inspector", "monitor", "grid_jf", "sysadmin"]
PAGES_EACH = 18
# The states, verdicts and kinds the models keep as codes: on a page each must be its Chinese label.
INTERNAL = re.compile(
    r"(?<![\w.-])(reported|dispatched|accepted|handled|returned|closed|draft|published|retired|pending|approved|"
    r"rejected|submitted|violation|compliant|unlisted|in_progress|not_started|done|open|active|ended|duty|assist|"
    r"negative|forbidden|allowed|meeting|review|demo|seed)(?![\w-])"
)
SEED = re.compile(r"种子|seed\s*\d", re.IGNORECASE)
NOT_PAGES = re.compile(
    r"/accounts/logout/|/static/|/media/|/api/|/admin/|\.(docx|xlsx|pdf|json|png|csv|zip|gz)$|/download|/export"
    r"|/photo/|/file/|/attachments/|/sw\.js|/manifest"
)


def _links(page, origin: str) -> list[str]:
    hrefs = page.eval_on_selector_all("main a[href], nav a[href]", "els => els.map(e => e.href)")
    out = []
    for href in hrefs:
        parts = urlsplit(href)
        if f"{parts.scheme}://{parts.netloc}" != origin or NOT_PAGES.search(parts.path):
            continue
        out.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return out


def _words(page) -> list[str]:
    text = page.locator("main").inner_text()
    found = [f"{page.url}: 「{m.group(0)}」" for m in INTERNAL.finditer(text)]
    found += [f"{page.url}: 「{m.group(0)}」" for m in SEED.finditer(text)]
    return found


def test_no_page_a_persona_reaches_shows_internal_words(open_page, live_server):
    from django.core.management import call_command

    call_command("load_demo", stdout=io.StringIO())
    words, broken = [], []
    for username in PERSONAS:
        page = open_page(PHONE)
        sign_in(page, username)
        seen, queue, walked = set(), deque(["/home/"]), 0
        while queue and walked < PAGES_EACH:
            path = queue.popleft()
            if path in seen:
                continue
            seen.add(path)
            response = page.goto(path)
            if response is None or "text/html" not in response.headers.get("content-type", ""):
                continue
            walked += 1
            words += _words(page)
            if axe.page_key(page.context, page.url.split("#")[0], PHONE["width"]) not in axe.SESSION_CHECKED:
                broken += violations(page)  # once per distinct page in a run (tests/e2e/axe.py)
            queue.extend(p for p in _links(page, live_server.url) if p not in seen)
        assert walked >= 10, f"{username}: only {walked} pages reached from the home page"
        page.context.close()
    assert not words, "internal words on pages:\n" + "\n".join(words)
    assert not broken, "\n".join(broken)
