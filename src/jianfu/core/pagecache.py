"""Public pages served from the cache, one rendering per version of what they show.

A public page (no login) whose content follows from its query and from records that carry a revision is
rendered once per *version*: the view passes what the page shows as plain data (the lists in force with their
revisions, say), and the cache key is a hash of that, of the page's query and of the code release. Publishing
or retiring a list changes the version, so no visitor is served a page older than the data; nothing has to
be invalidated. The hash is also the answer's ``ETag`` and the answer says ``Cache-Control: public,
no-cache``, so a browser or a CDN keeps the page and revalidates it, and a revalidation is answered 304
without rendering anything.

Only anonymous GET/HEAD requests with no session cookie and no pending message take this path. Anyone else
(a signed-in person above all) gets the page rendered for them, as before, and ``no-store`` from
``NoStoreForPersonalDataMiddleware``. The cached page is rendered without a CSRF token: it is shared, and a
masked token would hand one visitor's secret to the next.
"""

import hashlib
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

# A version's rendering stays this long at most: what a version cannot see (a county renamed) shows within it.
TIMEOUT_SECONDS = 300
MESSAGES_COOKIE = "messages"


@lru_cache(maxsize=1)
def release() -> str:
    """The code the pages are rendered with: ``JIANFU_RELEASE`` when the deploy names it, else a hash of the
    templates and Python modules, so a deploy never serves a page rendered by the previous code."""
    if getattr(settings, "RELEASE", ""):
        return settings.RELEASE
    digest = hashlib.sha256()
    root = Path(__file__).resolve().parents[1]
    for path in sorted(root.rglob("*")):
        if path.suffix in (".html", ".py", ".txt") and path.is_file():
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def shared(request: HttpRequest) -> bool:
    """The same answer for everyone: an anonymous read with nothing personal pending."""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and MESSAGES_COOKIE not in request.COOKIES
    )


def public_page(
    request: HttpRequest, *, name: str, version: object, template: str, context: Callable[[], dict]
) -> HttpResponse:
    """Render ``template`` with ``context()`` once per ``version`` for anonymous visitors (see the module).

    ``version`` is any ``repr``-stable data that changes whenever the page would (the query included).
    ``context`` is only called when the page has to be rendered.
    """
    if not shared(request):
        return render(request, template, context())
    tag = hashlib.sha256(repr((name, release(), version)).encode()).hexdigest()[:32]
    etag = f'"{tag}"'
    key = f"page:{name}:{tag}"
    if etag in _etags(request.headers.get("If-None-Match", "")):
        return _headers(HttpResponseNotModified(), etag)
    body = cache.get(key)
    if body is None:
        body = render(request, template, {**context(), "csrf_token": ""}).content
        cache.set(key, body, TIMEOUT_SECONDS)
    return _headers(HttpResponse(body), etag)


def _etags(header: str) -> set[str]:
    return {part.strip().removeprefix("W/") for part in header.split(",") if part.strip()}


def _headers(response: HttpResponse, etag: str) -> HttpResponse:
    response["ETag"] = etag
    response["Cache-Control"] = "public, no-cache"
    patch_vary_headers(response, ("Cookie",))
    return response
