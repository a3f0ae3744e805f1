"""What a user reads: the visible text of a page, and the words that must never be in it.

Used by tests/core/test_words.py, which walks the pages each persona can reach; kept apart so that a person can
run the same walk over a development database (``python -m tests.words``).
"""

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.apps import apps
from django.db import models

# Words about the product's own making: the source documents are cited by title and 文号, never as seeds.
FORBIDDEN = ("种子",)
SKIP_PREFIXES = ("/admin/", "/api/", "/accounts/logout/", "/static/", "/media/", "/open311/", "/sw.js")
DOWNLOAD = re.compile(r"\.(docx|xlsx|csv|pdf|zip|json|ics|png|jpg)$|/(export|print|download|docx|xlsx)/?$")
# Status-like values that are also ordinary words a page may print in a name (an app, a format).
ALLOWED_WORDS = {"app", "qq", "web", "sms", "email", "wechat", "api", "excel", "docx", "pdf", "other"}


def status_words() -> set[str]:
    """Every ``TextChoices`` value of the platform's models that is an English word: a page that prints one
    shows the stored value instead of its Chinese label."""
    words = set()
    for model in apps.get_models():
        if not model.__module__.startswith("jianfu."):
            continue
        for field in model._meta.get_fields():
            choices = getattr(field, "choices", None)
            if not isinstance(field, models.Field) or not choices:
                continue
            for value, _label in choices:
                if isinstance(value, str) and re.fullmatch(r"[a-z][a-z_]{3,}", value):
                    words.add(value)
    return words - ALLOWED_WORDS


class _Reader(HTMLParser):
    """Collects the text a person reads (not scripts, styles or attribute values) and the links to follow."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.links: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        # The audit log shows a record's stored data as it was written (evidence), marked data-raw-record.
        if tag in ("script", "style", "template") or (tag == "pre" and "data-raw-record" in values):
            self._hidden += 1
        if tag == "a" and values.get("href"):
            self.links.append(values["href"])
        for name in ("title", "aria-label", "placeholder"):
            if values.get(name):
                self.text.append(values[name])

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template", "pre") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.text.append(data)


def read(html: str) -> tuple[str, list[str]]:
    reader = _Reader()
    reader.feed(html)
    return " ".join(reader.text), reader.links


def usernames() -> set[str]:
    """Login names are what people type, and a page may show them (the user list, the account page)."""
    from jianfu.orgs.models import User

    return set(User.objects.values_list("username", flat=True))


def problems_in(text: str, words: set[str]) -> list[str]:
    found = [w for w in FORBIDDEN if w in text]
    tokens = set(re.findall(r"(?<![A-Za-z0-9_./-])[a-z][a-z_]{3,}(?![A-Za-z0-9_./-])", text))
    return found + sorted(tokens & words)


def _follow(base: str, href: str) -> str | None:
    url = urljoin(base, href)
    parts = urlsplit(url)
    if parts.scheme not in ("", "http") or (parts.netloc and parts.netloc != "testserver"):
        return None
    path = parts.path
    if not path.startswith("/") or path.startswith(SKIP_PREFIXES) or DOWNLOAD.search(path):
        return None
    return path + (f"?{parts.query}" if parts.query else "")


def walk(client, starts, *, limit=400, per_path=3, refused=None):
    """Breadth-first over the pages reachable from ``starts`` by GET links; yields (url, text) for each HTML
    page that answered 200. A path is opened with at most ``per_path`` different query strings. Links that
    answered 403 are added to ``refused`` (with the page that showed them) when a list is given."""
    seen, queue, by_path, came_from = set(starts), deque(starts), {}, {}
    while queue and limit:
        url = queue.popleft()
        path = url.split("?")[0]
        by_path[path] = by_path.get(path, 0) + 1
        if by_path[path] > per_path:
            continue
        response = client.get(url)
        if response.status_code == 403 and refused is not None:
            refused.append(f"{url} (linked from {came_from.get(url)})")
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        limit -= 1
        text, links = read(response.content.decode())
        yield url, text
        for href in links:
            nxt = _follow(url, href)
            if nxt and nxt not in seen:
                seen.add(nxt)
                came_from[nxt] = url
                queue.append(nxt)


if __name__ == "__main__":  # walk a development database: python -m tests.words
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jianfu.settings")
    django.setup()
    from django.test import Client

    from jianfu.orgs.models import User
    from tests.conftest import PERSONAS

    words = status_words() - usernames()
    for persona, username in [("anonymous", None), *PERSONAS.items()]:
        client = Client()
        if username:
            client.force_login(User.objects.get(username=username))
        starts = ["/home/"] if username else ["/", "/public/"]
        refused: list[str] = []
        for url, text in walk(client, starts, refused=refused):
            bad = problems_in(text, words)
            if bad:
                print(persona, url, bad)
        for url in refused:
            print(persona, "403", url)
