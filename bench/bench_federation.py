"""Benchmark: the nation as a federation — 31 provinces, each its own database, pushing signed monthly rollups
to one national instance.

Each province is a separate database (SQLite: one file each, copied from one migrated template; PostgreSQL:
``fed_<code>`` databases made ``TEMPLATE fed_template``), filled with ``datagen.region_rows`` for that
province at a reduced scale (default 1,800 villages in 10 prefectures, 90 counties and 180 townships: the
county count of a real province, a tenth of its villages) and burden events for one year (default 24 a
village, spread by a fixed rule over months, types and departments; each province gets its own volume).
Its monitoring rollup is rebuilt (``monitoring_rollup``), then the province side builds and signs each month
(``federation.services.outgoing_prepare`` + ``signed_request``, Ed25519). The national instance (its own
database) registers the 31 keys and receives every push through ``POST /api/v1/federation/rollups`` with
Django's test client (server time, no network); then the same pushes again (idempotent: nothing written),
and the national pages are timed as a national user.

    python -m bench --only federation [--postgres [URL]] [--fed-provinces 31] [--fed-villages 1800]
"""

import gc
import shutil
import time
from datetime import date

from .bench_admission import time_requests
from .datagen import PROVINCES, Shape, region_rows
from .harness import Table, _admin_connection, fresh_database, peak_rss_mb, percentile, pg_name

YEAR = 2025
PREFECTURES = 10
DEPARTMENTS_PER_COUNTY = 4
KINDS = ("meeting", "inspection", "form", "certificate", "task", "app", "group", "placard", "other")
PAGE_TARGET_MS = 100.0  # the target for logged-in pages at province scale


# Databases -------------------------------------------------------------------------------------------------


def _use(ctx, name: str) -> None:
    """Point the default connection at a province's (or the nation's) database."""
    from django.db import connection

    connection.close()
    connection.settings_dict["NAME"] = (
        pg_name(name) if ctx.postgres_url else str(ctx.workdir / f"{name}.sqlite3")
    )


def _make_template(ctx) -> None:
    from django.core.management import call_command

    if ctx.postgres_url:
        _recreate(ctx, "fed_template", template=None)
        _use(ctx, "fed_template")
        call_command("migrate", verbosity=0, interactive=False)
    else:
        fresh_database(ctx, "fed_template")


def _recreate(ctx, name: str, template: str | None) -> None:
    from django.db import connection

    connection.close()
    name = pg_name(name)
    with _admin_connection(ctx.postgres_url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{pg_name(template)}"' if template else ""))
    ctx.created_databases.append(name)


def _copy_template(ctx, name: str) -> None:
    if ctx.postgres_url:
        _recreate(ctx, name, template="fed_template")
    else:
        from django.db import connection

        connection.close()
        shutil.copyfile(ctx.workdir / "fed_template.sqlite3", ctx.workdir / f"{name}.sqlite3")
    _use(ctx, name)


# One province --------------------------------------------------------------------------------------------------


def _insert_regions(rows) -> list[tuple[int, str]]:
    """Regions level by level (parents first); returns the villages' (id, code), ids contiguous."""
    from jianfu.orgs.models import Level, Region

    ids: dict[str, int] = {}
    for level in Level.values:
        batch = [
            Region(code=code, name=name, level=lvl, kind=kind, parent_id=ids.get(parent))
            for code, name, lvl, kind, parent in rows
            if lvl == level
        ]
        Region.objects.bulk_create(batch, batch_size=5000)
        ids.update(Region.objects.filter(level=level).values_list("code", "id"))
    return sorted((ids[r[0]], r[0]) for r in rows if r[2] == Level.VILLAGE)


def _insert_departments() -> dict[str, list[int]]:
    from jianfu.orgs.models import Department, Level, Region

    counties = list(Region.objects.filter(level=Level.COUNTY).order_by("code"))
    names = ("县民政局", "县人社局", "县农业农村局", "县卫健局")[:DEPARTMENTS_PER_COUNTY]
    Department.objects.bulk_create([Department(name=n, region=c) for c in counties for n in names])
    by_county: dict[str, list[int]] = {}
    for pk, code in Department.objects.order_by("id").values_list("id", "region__code"):
        by_county.setdefault(code[:6], []).append(pk)
    return by_county


def _insert_events(villages, departments, n: int, reporter: int) -> None:
    """n events over the year: village i % V, type (i*7) % 9, day (i*31) % 365, hours ((i*17) % 8)/2, a violation
    when (i*11) % 10 < 2, undecided when it is 2."""
    from django.db import connection

    days = [date.fromordinal(date(YEAR, 1, 1).toordinal() + d).isoformat() for d in range(365)]
    columns = (
        "village_id, region_code, kind, department_id, subject, occurred_on, hours, description,"
        " demanded_materials, certificate_code, photo, origin, reporter_id, anonymous, review, review_note,"
        " idempotency_key, verdict, check_rule, check_detail, check_url, created_at, version"
    )
    rows = []
    for i in range(n):
        village_id, code = villages[i % len(villages)]
        county_departments = departments[code[:6]]
        verdict = ("violation", "violation", "undecided")[(i * 11) % 10] if (i * 11) % 10 < 3 else "ok"
        rows.append(
            (
                village_id,
                code,
                KINDS[(i * 7) % 9],
                county_departments[(i * 13) % len(county_departments)],
                "",
                days[(i * 31) % 365],
                ((i * 17) % 8) / 2,
                "负担事件",
                False,
                "",
                "",
                "monitor",
                reporter,
                False,
                "",
                "",
                "",
                verdict,
                "规则" if verdict == "violation" else "",
                "",
                "",
                f"{YEAR}-12-31 00:00:00",
                1,
            )
        )
    marks = ", ".join(["%s"] * 23)
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO monitoring_burdenevent ({columns}) VALUES ({marks})", rows)


def fill_province(ctx, code: str, name: str, villages: int, events_per_village: float, seed: int) -> dict:
    """Regions, departments and a year of events in the province's own database; its rollup rebuilt."""
    from django.db import transaction

    from jianfu.monitoring.services import rollup
    from jianfu.orgs.models import Region, User

    _copy_template(ctx, f"fed_{code[:2]}")
    shape = Shape(
        villages=villages,
        townships=max(PREFECTURES, villages // 10),
        counties=max(PREFECTURES, villages // 20),
    )
    rows = region_rows(villages, seed, province=(code, name), prefectures=PREFECTURES, shape=shape)
    started = time.perf_counter()
    with transaction.atomic():
        village_ids = _insert_regions(rows)
        departments = _insert_departments()
        reporter = User.objects.create(
            username=f"monitor{code[:2]}", home_region=Region.objects.get(code=code)
        )
        events = int(len(village_ids) * events_per_village)
        _insert_events(village_ids, departments, events, reporter.pk)
    load_s = time.perf_counter() - started
    started = time.perf_counter()
    cells = rollup.rebuild()
    return {"events": events, "load_s": load_s, "rollup_s": time.perf_counter() - started, "cells": cells}


def sign_year(private_key: str) -> tuple[list[tuple[bytes, dict]], list[float]]:
    """The province side: each month of the year built from its rollup, versioned and signed."""
    from jianfu.federation import services

    envelopes, times = [], []
    for month in range(1, 13):
        started = time.perf_counter()
        outgoing = services.outgoing_prepare(month=date(YEAR, month, 1))
        envelopes.append(services.signed_request(outgoing, private_key))
        times.append((time.perf_counter() - started) * 1000)
    return envelopes, times


# The nation ----------------------------------------------------------------------------------------------------


def national_instance(ctx, provinces: list[tuple[str, str, str]]):
    """The national database: the provinces as regions, their keys registered, a national user."""
    from jianfu.federation import services
    from jianfu.orgs.models import Kind, Level, Region, User
    from jianfu.orgs.roles import Role

    _copy_template(ctx, "fed_national")
    regions = [
        Region.objects.create(code=c, name=n, level=Level.PROVINCE, kind=Kind.PROVINCE)
        for c, n, _ in provinces
    ]
    for region, (_, _, public) in zip(regions, provinces, strict=True):
        services.peer_register(actor=None, region=region, public_key=public)
    user = User.objects.create(username="national", full_name="国家平台减负办", home_region=regions[0])
    for region in regions:
        user.role_assignments.create(role=Role.COMMITTEE_OFFICE, region=region)
    return user


def push_all(envelopes: list[tuple[bytes, dict]], expect: int) -> list[float]:
    from django.test import Client

    client = Client()
    times = []
    for body, headers in envelopes:
        started = time.perf_counter()
        response = client.post(
            "/api/v1/federation/rollups",
            body,
            content_type="application/json",
            headers={k: v for k, v in headers.items() if k.startswith("X-")},
        )
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == expect, response.content[:300]
    return times


def _ms(times: list[float]) -> str:
    return f"p50 {percentile(times, 50):.1f} ms, p95 {percentile(times, 95):.1f} ms"


def run(
    ctx, provinces: int = 31, villages: int = 1800, events_per_village: float = 24, requests: int = 20
) -> Table:
    import random

    from jianfu.federation import signing
    from jianfu.federation.models import Cell

    rng = random.Random(31)
    chosen = PROVINCES[:provinces]
    _make_template(ctx)
    filled, envelopes, sign_ms, keys = [], [], [], []
    for n, (prefix, name) in enumerate(chosen):
        code = prefix.ljust(12, "0")
        volume = events_per_village * rng.uniform(0.5, 1.5)  # provinces differ in how much they record
        filled.append(fill_province(ctx, code, name, villages, volume, seed=2025 + n))
        private, public = signing.new_private_key()
        province_envelopes, times = sign_year(private)
        envelopes += province_envelopes
        sign_ms += times
        keys.append((code, name, public))
        gc.collect()
    user = national_instance(ctx, keys)
    started = time.perf_counter()
    push_ms = push_all(envelopes, 201)
    push_s = time.perf_counter() - started
    started = time.perf_counter()
    repeat_ms = push_all(envelopes, 200)
    repeat_s = time.perf_counter() - started
    events = sum(f["events"] for f in filled)
    table = Table(
        f"Federation — {ctx.backend}, {len(chosen)} provinces × {villages:,} villages ({len(chosen) * villages:,}),"
        f" {events:,} events in {YEAR}, {Cell.objects.count():,} national cells"
    )
    table.add(
        "load a province (regions, events; p50)", f"{percentile([f['load_s'] for f in filled], 50):.2f} s"
    )
    rollup_p50 = percentile([f["rollup_s"] for f in filled], 50)
    table.add("province rollup rebuild (monitoring_rollup; p50)", f"{rollup_p50:.2f} s")
    table.add("province side: build + sign one month", _ms(sign_ms))
    sizes = [len(body) for body, _ in envelopes]
    table.add(
        "signed month size (mean / max)", f"{sum(sizes) / len(sizes) / 1024:.1f} / {max(sizes) / 1024:.1f} KB"
    )
    table.add("national: receive one push (verify, check, write)", _ms(push_ms))
    table.add(f"national: receive the year ({len(envelopes)} pushes)", f"{push_s:.1f} s")
    table.add(
        f"national: one month of every province ({len(chosen)} pushes, mean of 12)",
        f"{push_s / 12:.1f} s",
        "< 60 s (a monthly window)",
        push_s / 12 < 60,
    )
    table.add(
        "national: the same pushes again (idempotent, nothing written)",
        f"{repeat_s:.1f} s ({_ms(repeat_ms)})",
    )
    pages = [
        ("national dashboard /federation/", f"/federation/?year={YEAR}"),
        ("province page /federation/<code>/", f"/federation/{keys[0][0]}/?year={YEAR}"),
        ("API /api/v1/federation/provinces", f"/api/v1/federation/provinces?year={YEAR}"),
    ]
    for label, url in pages:
        times, queries = time_requests(user, "get", url, None, requests)
        p50 = percentile(times, 50)
        table.add(
            label, f"{_ms(times)}, {queries} queries", f"p50 < {PAGE_TARGET_MS:.0f} ms", p50 < PAGE_TARGET_MS
        )
    table.add("peak RSS", f"{peak_rss_mb():.0f} MB")
    return table
