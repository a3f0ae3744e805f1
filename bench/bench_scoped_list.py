"""Benchmark 2: the permission-scoped region list, as a page and over the API, for a province admin and a
county user, at two data sizes to show the query count does not grow with the rows.

Each URL is requested through django.test.Client (in process, so the time is the server's: middleware,
session, queries, template or JSON rendering). Queries are counted on one extra request per URL with
CaptureQueriesContext, so that turning on the query log does not distort the timings.
"""

import gc
import re
import time
from dataclasses import dataclass

from .harness import Context, Table, percentile

# Page 1 and the middle page of each user's own scope (a fixed page number lies past the end of a county's
# list, where the page shows its last rows and the API none): every timed page holds real rows.
URLS = {
    "page 1": "/orgs/regions/",
    "middle page": "/orgs/regions/?page={middle}",
    "API middle page": "/api/v1/regions?page={middle}",
}
PAGE_SIZE = 50
TARGET_P50_MS = 100.0
PASSWORD = "Bench-2025-pass!"


@dataclass
class Sample:
    size: int
    user: str
    page: str  # a key of URLS
    url: str
    p50_ms: float
    p95_ms: float
    queries: int
    rows_on_page: int
    scope_rows: int


def create_users():
    """A province administrator and a county review-committee office clerk (on the largest county)."""
    from django.db.models import Count

    from jianfu.orgs import services
    from jianfu.orgs.models import Level, Region
    from jianfu.orgs.roles import Role

    province = Region.objects.get(level=Level.PROVINCE)
    county = (
        Region.objects.filter(level=Level.COUNTY)
        .annotate(n=Count("children__children"))
        .order_by("-n", "code")
        .first()
    )
    users = {}
    for key, full_name, region, role in [
        ("province admin", "省级管理员", province, Role.ADMIN),
        ("county user", "县准入办", county, Role.COMMITTEE_OFFICE),
    ]:
        user = services.user_create(
            actor=None,
            username=f"bench_{key.split()[0]}",
            full_name=full_name,
            home_region=region,
            password=PASSWORD,
        )
        services.role_grant(actor=None, user=user, role=role, region=region)
        users[key] = user
    return users


def measure(user, url: str, requests: int) -> tuple[list[float], int, int]:
    """Return per-request milliseconds, the query count of one request and the rows on the page."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(user)
    for _ in range(3):  # warm up: template loading, connection, session row
        _get(client, url)
    gc.collect()  # start each series with the same heap, not with the last series' garbage
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        _get(client, url)
        times.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as captured:
        response = _get(client, url)
    return times, len(captured.captured_queries), _rows_on_page(response)


def _get(client, url):
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}")
    return response


def _rows_on_page(response) -> int:
    if response["Content-Type"].startswith("application/json"):
        return len(response.json()["items"])
    body = response.content.decode()
    tbody = body[body.find("<tbody>") : body.find("</tbody>")]
    return len(re.findall(r'href="/orgs/regions/\d{12}/"', tbody))


def run(ctx: Context, *, size: int, requests: int) -> list[Sample]:
    """Measure on the data already loaded (the caller imports ``size`` villages first)."""
    from jianfu.orgs.models import Region, User

    samples = []
    for key, created in create_users().items():
        user = User.objects.get(
            pk=created.pk
        )  # as a request sees it: roles read fresh, not the creator's copy
        scope_rows = Region.objects.visible_to(user).count()
        middle = max(1, (-(-scope_rows // PAGE_SIZE) + 1) // 2)
        for page, pattern in URLS.items():
            url = pattern.format(middle=middle)
            times, queries, rows = measure(user, url, requests)
            samples.append(
                Sample(
                    size,
                    key,
                    page,
                    url,
                    percentile(times, 50),
                    percentile(times, 95),
                    queries,
                    rows,
                    scope_rows,
                )
            )
    return samples


def report(ctx: Context, samples: list[Sample], requests: int) -> Table:
    table = Table(f"Permission-scoped region list — {ctx.backend} ({requests} requests each)")
    for s in samples:
        metric = f"{s.url} · {s.user} · {s.size:,} villages"
        value = (
            f"p50 {s.p50_ms:.1f} ms, p95 {s.p95_ms:.1f} ms, {s.queries} queries, "
            f"{s.rows_on_page} rows on the page of {s.scope_rows:,} in scope"
        )
        full = s.rows_on_page == min(PAGE_SIZE, s.scope_rows)  # a page of real rows, not an empty one
        table.add(
            metric, value, f"p50 < {TARGET_P50_MS:.0f} ms, a full page", s.p50_ms < TARGET_P50_MS and full
        )
    sizes = sorted({s.size for s in samples})
    if len(sizes) > 1:
        for user in dict.fromkeys(s.user for s in samples):
            for page in URLS:
                counts = [s.queries for s in samples if s.user == user and s.page == page]
                table.add(
                    f"queries {page} · {user} · {' → '.join(f'{n:,}' for n in sizes)} villages",
                    " → ".join(map(str, counts)),
                    "constant",
                    len(set(counts)) == 1,
                )
    return table
