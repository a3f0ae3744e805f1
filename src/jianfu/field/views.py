"""The installable app: its manifest, its service worker, and the outbox page that works without signal."""

import hashlib
import json
from functools import lru_cache

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import never_cache

from .pages import field_pages

# What every field page needs, kept on the phone when the app is installed.
ASSETS = [
    "vendor/bootstrap/css/bootstrap.min.css",
    "jianfu/site.css",
    "vendor/htmx/htmx.min.js",
    "vendor/bootstrap/js/bootstrap.bundle.min.js",
    "vendor/idb/umd.js",
    "field/register.js",
    "field/outbox.js",
    "field/offline-form.js",
    "field/outbox-page.js",
    "field/icon-192.png",
    "field/icon-512.png",
]


def manifest(request):
    body = {
        "name": "村（社区）减负工作平台",
        "short_name": "减负",
        "lang": "zh-CN",
        "start_url": reverse("home"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#9b1c1c",
        "icons": [
            {"src": static(f"field/icon-{n}.png"), "sizes": f"{n}x{n}", "type": "image/png", "purpose": "any"}
            for n in (192, 512)
        ],
        "shortcuts": [{"name": label, "url": reverse(name)} for name, label, _ in _shortcuts()],
    }
    return JsonResponse(
        body, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False}
    )


def _shortcuts():
    from .pages import FIELD_FORMS

    return FIELD_FORMS


@lru_cache(maxsize=1)
def _version() -> str:
    """Changes whenever an asset changes, so phones replace their copies."""
    digest = hashlib.sha256()
    paths = [finders.find(asset) for asset in ASSETS] + [settings.BASE_DIR / "templates" / "field" / "sw.js"]
    for path in paths:
        if path:
            with open(path, "rb") as handle:
                digest.update(handle.read())
    return digest.hexdigest()[:12]


@never_cache
def service_worker(request):
    """Served from the site's root so it may look after every page of the site (scope "/")."""
    source = render_to_string(
        "field/sw.js",
        {
            "version": _version() if not settings.DEBUG else _version.__wrapped__(),
            "assets_json": json.dumps([static(a) for a in ASSETS]),
            "outbox_url": reverse("field:outbox"),
            "pages_url": reverse("field:pages"),
        },
    )
    response = HttpResponse(source, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    return response


@login_required
def outbox(request):
    """What is waiting on this phone, what was sent and what the server sent back (read from IndexedDB)."""
    return render(request, "field/outbox.html", {"pages": field_pages(request.user)})


@login_required
def pages(request):
    """The field forms this person may fill: the service worker keeps a copy of each for use offline."""
    return JsonResponse(
        {"pages": field_pages(request.user) + [{"url": reverse("field:outbox"), "label": "待发送"}]}
    )
