"""Benchmark: the logged-in pages a province, prefecture and county user opens every day, at province scale (#23).

The monitoring bench's province (10 prefectures × 10 counties × 10 townships × 20 villages, 20 departments a
county) with ``--events`` burden events (default 1,000,000) loaded straight into the table, one finding per
violation (a fifth of the events; one in four still waiting for the inspector, the rest confirmed), a
published bulletin a county, and the rollups rebuilt. An inspector on the province, one on a prefecture and one
on a county then open, through Django's test client (the server's whole work, in process): the dashboard of
their own region, the events list, the findings queue, the bulletins list and the home page. For each page: p50
wall time, p50 CPU time of this process (``time.process_time``: on SQLite it includes the queries, on
PostgreSQL the server's share is not in it), the queries of one more request, and the load average. Beside each
dashboard, DuckDB computing the same event figures from the raw rows (``bench_monitoring.duckdb_event_figures``,
checked equal) in the same run. The target of every page: p50 < 100 ms.

    python -m bench --only pages [--pages-events N] [--requests N] [--postgres [URL]]
    python -m bench.bench_pages [--events N] [--requests N] [--postgres [URL]]
"""

import argparse
import gc
import os
import sys
import time
from datetime import date

from .harness import DEFAULT_PG_URL, Table, cleanup, configure, fresh_database, percentile

TARGET_MS = 100


def _findings_from_violations() -> int:
    """One finding per violation event, straight into the table (as a province's history would be loaded)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO monitoring_finding (source, source_key, event_id, village_id, region_code, department_id,"
            " department_text, department_candidates, occurred_on, subject, rule, basis, detail, automatic,"
            " evidence_url, evidence_label, state, reason, created_at, version)"
            " SELECT 'event', 'event:' || e.id, e.id, e.village_id, e.region_code, e.department_id, '', '[]',"
            " e.occurred_on, '负担事件', '规则', '', '', 'violation', '', '',"
            " CASE WHEN e.id % 4 = 0 THEN 'pending' ELSE 'confirmed' END, '', e.created_at, 1"
            " FROM monitoring_burdenevent e WHERE e.verdict = 'violation'"
        )
        found = cursor.rowcount
        cursor.execute("ANALYZE" if connection.vendor == "sqlite" else "ANALYZE monitoring_finding")
    return found


def _bulletins(ids: dict) -> int:
    from django.utils import timezone

    from jianfu.monitoring.models import Bulletin, BulletinStatus
    from jianfu.orgs.models import Level, Region

    counties = Region.objects.filter(level=Level.COUNTY).order_by("code")
    Bulletin.objects.bulk_create(
        Bulletin(
            number=f"通报〔2025〕{n}号",
            region=county,
            period_start=date(2025, 1, 1),
            period_end=date(2025, 6, 30),
            title=f"{county.name}2025年上半年基层负担问题通报",
            status=BulletinStatus.PUBLISHED,
            drafted_by=ids["inspector"],
            published_at=timezone.now(),
        )
        for n, county in enumerate(counties, start=1)
    )
    return counties.count()


def _users(ids: dict) -> dict:
    """Inspectors on the province (the monitoring bench's), a prefecture and a county."""
    from jianfu.orgs.models import Level, Region, RoleAssignment, User
    from jianfu.orgs.roles import Role

    prefecture = Region.objects.filter(level=Level.PREFECTURE).order_by("code").first()
    users = {"province": (ids["inspector"], ids["province"])}
    for level, region in (("prefecture", prefecture), ("county", ids["county"])):
        user = User.objects.create(username=f"bench_{level}", full_name=f"{level}纪检", home_region=region)
        RoleAssignment.objects.create(user=user, role=Role.INSPECTOR, region=region)
        users[level] = (user, region)
    return users


def _time_page(user, url: str, requests: int) -> tuple[float, float, int]:
    """p50 wall and CPU ms of ``requests`` GETs after 3 warm-ups, and the queries of one more."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(user)
    for _ in range(3):
        assert client.get(url).status_code == 200, url
    gc.collect()
    wall, cpu = [], []
    for _ in range(requests):
        started, started_cpu = time.perf_counter(), time.process_time()
        client.get(url)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return percentile(wall, 50), percentile(cpu, 50), len(captured.captured_queries)


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.1f}/{five:.1f}"


def run(ctx, events: int = 1_000_000, requests: int = 20) -> Table:
    from django.urls import reverse

    from jianfu.monitoring import dashboard
    from jianfu.monitoring.services import rollup
    from jianfu.orgs.models import Department

    from . import bench_monitoring as monitoring

    fresh_database(ctx, f"pages_{os.getpid()}")
    ids = monitoring.build_geography()
    monitoring.generate(events, ids)
    findings = _findings_from_violations()
    bulletins = _bulletins(ids)
    started = time.perf_counter()
    rollup.rebuild()
    rebuild_s = time.perf_counter() - started
    users = _users(ids)
    table = Table(
        f"Pages — {ctx.backend}, {events:,} events, {findings:,} findings, {bulletins} bulletins, 20,000 villages"
    )
    table.add("rollup rebuild (events and findings)", f"{rebuild_s:.1f} s, {_load()}")
    try:
        duck, _ = monitoring.duckdb_events(ctx)
    except Exception as exc:  # the pages' own figures still stand
        table.add("DuckDB", f"failed: {exc}"[:100])
        duck = None
    year = monitoring.YEAR
    for level, (user, region) in users.items():
        pages = [
            ("dashboard", f"{reverse('monitoring:dashboard')}?region={region.code}&year={year}"),
            ("events list", f"{reverse('monitoring:events')}?region={region.code}"),
            ("findings list", reverse("monitoring:findings")),
            ("bulletins list", reverse("monitoring:bulletins")),
            ("home", reverse("home")),
        ]
        for name, url in pages:
            wall, cpu, queries = _time_page(user, url, requests)
            anchor = ""
            if name == "dashboard" and duck is not None:
                ranked = level == "county"  # above the county the counties are ranked, not departments
                departments = dict(
                    Department.objects.filter(region__code=region.code[:6].ljust(12, "0")).values_list(
                        "name", "id"
                    )
                )
                theirs_figures = monitoring.duckdb_event_figures(duck, region.prefix, ranked)
                same = monitoring._ours_summary(dashboard.event_figures(region, year), departments) == (
                    monitoring._summary(theirs_figures["cells"], theirs_figures["departments"])
                )
                theirs = monitoring._p50(
                    lambda region=region, ranked=ranked: monitoring.duckdb_event_figures(
                        duck, region.prefix, ranked
                    ),
                    requests,
                )
                anchor = (
                    f"; DuckDB's event figures {theirs:.1f} ms ({'same' if same else 'DIFFERENT'} figures)"
                )
            table.add(
                f"{level} inspector: {name}",
                f"p50 {wall:.1f} ms wall, {cpu:.1f} ms CPU, {queries} queries, {_load()}{anchor}",
                f"p50 < {TARGET_MS} ms",
                wall < TARGET_MS,
            )
    return table


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_pages", description=__doc__)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument(
        "--postgres", nargs="?", const=os.environ.get("DATABASE_URL") or DEFAULT_PG_URL, default=""
    )
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    ctx = configure(postgres_url=args.postgres, keep=args.keep)
    import django

    django.setup()
    try:
        print(run(ctx, args.events, args.requests).render(), flush=True)
    finally:
        cleanup(ctx)


if __name__ == "__main__":
    main()
