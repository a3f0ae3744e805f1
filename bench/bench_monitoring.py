"""Benchmark: burden monitoring at province scale — 20,000 villages × 500 events a year = 10 million events.

A regular province (10 prefectures × 10 counties × 10 townships × 20 villages, 20 departments per county) is
created, then ``--events`` burden events are generated straight into the table (SQLite: one INSERT … SELECT
over a recursive sequence; PostgreSQL: COPY from generated text) with the secondary indexes dropped during the
load and rebuilt after it, as an operator would load history. Then the rollup is rebuilt (the
``monitoring_rollup`` command's work) and the dashboards are timed through Django's test client (server
time, no network): a county's and the province's, a village's (read from the events), and a drill-down list.
The same aggregation runs in DuckDB over the same rows (exported once to Parquet: DuckDB's sqlite/postgres
scanners are not available offline) as the measure of what the hardware allows without a rollup.

    python -m bench.bench_monitoring [--events 10000000] [--requests 20] [--postgres [URL]]
"""

import argparse
import os
import sys
import time
from datetime import date

from .bench_admission import time_requests
from .harness import DEFAULT_PG_URL, Table, cleanup, configure, fresh_database, peak_rss_mb, percentile

YEAR = 2025
PROVINCE = "52"
SHAPE = (10, 10, 10, 20)  # prefectures per province, counties per prefecture, townships per county, villages
DEPARTMENTS_PER_COUNTY = 20
KINDS = ("meeting", "inspection", "form", "certificate", "task", "app", "group", "placard", "other")


def build_geography() -> dict:
    """Regions, departments, a monitor and an inspector for the province; returns ids the generator needs."""
    from jianfu.orgs.models import Department, Level, Region, RoleAssignment, User
    from jianfu.orgs.roles import Role

    province = Region.objects.create(
        code=PROVINCE.ljust(12, "0"), name="测试省", level=Level.PROVINCE, kind="province"
    )
    parents = [province]
    layout = [
        (Level.PREFECTURE, "prefecture", 2, SHAPE[0]),
        (Level.COUNTY, "county", 2, SHAPE[1]),
        (Level.TOWNSHIP, "town", 3, SHAPE[2]),
        (Level.VILLAGE, "village", 3, SHAPE[3]),
    ]
    for level, kind, digits, count in layout:
        rows = []
        for parent in parents:
            prefix = parent.prefix
            for n in range(1, count + 1):
                code = (prefix + str(n).zfill(digits)).ljust(12, "0")
                rows.append(Region(code=code, name=f"{kind}{code}", level=level, kind=kind, parent=parent))
        Region.objects.bulk_create(rows, batch_size=5000)
        parents = list(Region.objects.filter(level=level).order_by("code"))
    counties = list(Region.objects.filter(level=Level.COUNTY).order_by("code"))
    Department.objects.bulk_create(
        [Department(name=f"部门{n:02d}", region=c) for c in counties for n in range(DEPARTMENTS_PER_COUNTY)],
        batch_size=5000,
    )
    monitor = User.objects.create(username="bench_monitor", full_name="监测员", home_region=province)
    inspector = User.objects.create(username="bench_inspector", full_name="纪检", home_region=province)
    RoleAssignment.objects.create(user=monitor, role=Role.MONITOR, region=province)
    RoleAssignment.objects.create(user=inspector, role=Role.INSPECTOR, region=province)
    return {
        "monitor": monitor,
        "inspector": inspector,
        "county": counties[0],
        "province": province,
        "village": parents[0],
    }


def _secondary_indexes(table: str) -> list[tuple[str, str]]:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type='index' AND tbl_name=%s AND sql IS NOT NULL",
                [table],
            )
        else:
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename=%s AND indexname NOT LIKE %s",
                [table, "%_pkey"],
            )
        return cursor.fetchall()


def _drop_indexes(table: str) -> list[str]:
    """Drop the table's secondary indexes (not the primary key) and return the statements that rebuild them."""
    from django.db import connection

    found = _secondary_indexes(table)
    with connection.cursor() as cursor:
        for name, _ in found:
            if connection.vendor == "postgresql":
                cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT IF EXISTS "{name}"')
            cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
    # pg_indexes shows a partitioned table's index as "ON ONLY <parent>", which would make the parent's index
    # alone and leave every partition without it (every list and count then a sequential scan, #23): rebuild
    # them on the parent and its partitions, as the migrations made them
    return [sql.replace(" ON ONLY ", " ON ", 1) for _, sql in found]


# Every generator computes the same rows from the row number i (so SQLite and PostgreSQL hold the same data):
# village i % V; department (village's county) + (i*13) % 20; kind (i*7) % 9; day of year (i*31) % 365;
# hours ((i*17) % 8) / 2; violation when (i*11) % 10 < 2.


def _generate_sqlite(n: int, first_village: int, first_department: int, reporter: int) -> None:
    from django.db import connection

    villages = SHAPE[0] * SHAPE[1] * SHAPE[2] * SHAPE[3]
    per_county = SHAPE[2] * SHAPE[3]
    kinds = " ".join(f"WHEN {k} THEN '{kind}'" for k, kind in enumerate(KINDS))
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO monitoring_burdenevent (village_id, region_code, kind, department_id, subject, occurred_on,"
            " hours, description, demanded_materials, certificate_code, photo, origin, reporter_id, anonymous,"
            " review, review_note, idempotency_key, verdict, check_rule, check_detail, check_url, created_at, version)"
            f" WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i < {n - 1})"
            f" SELECT {first_village} + i % {villages}, r.code, CASE (i * 7) % 9 {kinds} END,"
            f" {first_department} + ((i % {villages}) / {per_county}) * {DEPARTMENTS_PER_COUNTY} + (i * 13) % 20, '',"
            f" date('{YEAR}-01-01', '+' || ((i * 31) % 365) || ' days'), ((i * 17) % 8) / 2.0, '负担事件', 0, '', '',"
            f" 'monitor', {reporter}, 0, '', '', '', CASE WHEN (i * 11) % 10 < 2 THEN 'violation' ELSE 'ok' END,"
            f" CASE WHEN (i * 11) % 10 < 2 THEN '规则' ELSE '' END, '', '', '{YEAR}-12-31 00:00:00', 1"
            f" FROM seq JOIN orgs_region r ON r.id = {first_village} + i % {villages}"
        )


def _generate_postgres(
    n: int, first_village: int, first_department: int, reporter: int, codes: list[str]
) -> None:
    import numpy as np
    from django.db import connection

    villages, per_county = len(codes), SHAPE[2] * SHAPE[3]
    columns = (
        "village_id, region_code, kind, department_id, subject, occurred_on, hours, description,"
        " demanded_materials, certificate_code, photo, origin, reporter_id, anonymous, review, review_note,"
        " idempotency_key, verdict, check_rule, check_detail, check_url, created_at, version"
    )
    days = np.array([np.datetime64(f"{YEAR}-01-01") + d for d in range(365)]).astype(str)
    chunk = 500_000
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY monitoring_burdenevent ({columns}) FROM STDIN") as copy,
    ):
        for start in range(0, n, chunk):
            i = np.arange(start, min(start + chunk, n), dtype=np.int64)
            v = i % villages
            department = first_department + (v // per_county) * DEPARTMENTS_PER_COUNTY + (i * 13) % 20
            violation = (i * 11) % 10 < 2
            lines = [
                f"{first_village + vi}\t{codes[vi]}\t{KINDS[k]}\t{d}\t\t{days[day]}\t{h / 2}\t负担事件\tf\t\t\tmonitor\t"
                f"{reporter}\tf\t\t\t\t{'violation' if bad else 'ok'}\t{'规则' if bad else ''}\t\t\t{YEAR}-12-31\t1\n"
                for vi, k, d, day, h, bad in zip(
                    v.tolist(),
                    ((i * 7) % 9).tolist(),
                    department.tolist(),
                    ((i * 31) % 365).tolist(),
                    ((i * 17) % 8).tolist(),
                    violation.tolist(),
                    strict=False,
                )
            ]
            copy.write("".join(lines))


def generate(n: int, ids: dict) -> dict:
    from django.db import connection, transaction

    from jianfu.monitoring.models import BurdenEvent
    from jianfu.orgs.models import Department, Level, Region

    villages = list(Region.objects.filter(level=Level.VILLAGE).order_by("id").values_list("id", "code"))
    first_department = Department.objects.order_by("id").values_list("id", flat=True).first()
    assert villages[-1][0] - villages[0][0] == len(villages) - 1, "village ids are not contiguous"
    table = BurdenEvent._meta.db_table
    timings = {}
    started = time.perf_counter()
    rebuild = _drop_indexes(table)
    with transaction.atomic():
        if connection.vendor == "sqlite":
            _generate_sqlite(n, villages[0][0], first_department, ids["monitor"].pk)
        else:
            _generate_postgres(
                n, villages[0][0], first_department, ids["monitor"].pk, [c for _, c in villages]
            )
    timings["load"] = time.perf_counter() - started
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for sql in rebuild:
            cursor.execute(sql)
        cursor.execute("ANALYZE" if connection.vendor == "sqlite" else f"ANALYZE {table}")
    timings["indexes"] = time.perf_counter() - started
    return timings


def _export_rows(db, ctx) -> None:
    """The events' dashboard columns into DuckDB table ``ev``: PostgreSQL through COPY to CSV, SQLite in chunks."""
    import numpy as np
    from django.db import connection

    columns = "region_code, department_id, kind, occurred_on, hours, verdict"
    if connection.vendor == "postgresql":
        path = ctx.workdir / "events.csv"
        with connection.cursor() as cursor, open(path, "wb") as out:
            with cursor.cursor.copy(
                f"COPY (SELECT {columns} FROM monitoring_burdenevent) TO STDOUT WITH CSV"
            ) as copy:
                for data in copy:
                    out.write(data)
        db.execute(
            "CREATE TABLE ev AS SELECT * FROM read_csv(?, header = false, columns = {'region_code': 'VARCHAR',"
            " 'department_id': 'INTEGER', 'kind': 'VARCHAR', 'occurred_on': 'DATE', 'hours': 'DOUBLE',"
            " 'verdict': 'VARCHAR'})",
            [str(path)],
        )
        return
    db.execute(
        "CREATE TABLE ev (region_code VARCHAR, department_id INTEGER, kind VARCHAR, occurred_on DATE,"
        " hours DOUBLE, verdict VARCHAR)"
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM monitoring_burdenevent")
        while rows := cursor.fetchmany(1_000_000):
            c = list(zip(*rows, strict=True))
            frame = {  # noqa: F841  read by DuckDB's SQL below (FROM frame), by name
                "region_code": np.array(c[0]),
                "department_id": np.array(c[1]),
                "kind": np.array(c[2]),
                "occurred_on": np.array([str(d) for d in c[3]]),
                "hours": np.array([float(h) for h in c[4]]),
                "verdict": np.array(c[5]),
            }
            db.execute(
                "INSERT INTO ev SELECT region_code, department_id, kind, CAST(occurred_on AS DATE), hours,"
                " verdict FROM frame"
            )


# The figures (#23) at 1M events on SQLite, province-wide unless named: COUNT + OFFSET paging, no index
# matching the order, ``icontains`` over every row.
LIST_ANCHORS_MS = {"drill": 196, "all": 624, "year": 835, "deep": 3969, "search": 1235}
PAGE = 50
DEEP_PAGE = 2000


def list_rows(table: Table, ids: dict, requests: int) -> None:
    """The events list before and after, on the same rows in the same run.

    Before: what the page used to ask the database, timed as queries (COUNT(*) of the filtered rows, then
    OFFSET (page − 1) × 50 LIMIT 50 in the ``-occurred_on, -id`` order, ``icontains`` over every row) with the
    ``event_recent`` index dropped, as before its migration. After: the page itself through the test client
    (keyset paging with a bounded count, the index back, the search bounded to the newest events).
    """
    from django.core.paginator import Paginator
    from django.db import connection
    from django.db.models import Q
    from django.urls import reverse

    from jianfu.core.keyset import after
    from jianfu.monitoring import selectors
    from jianfu.monitoring.models import BurdenEvent

    inspector, province, county = ids["inspector"], ids["province"], ids["county"]
    base = reverse("monitoring:events")
    everything = selectors.events(inspector, {"region": province.code})
    deep = everything.values_list("occurred_on", "pk")[(DEEP_PAGE - 1) * PAGE - 1]
    cursor = f"{deep[0].isoformat()}.{deep[1]}"
    cases = [
        (
            "drill",
            "county, type, month, violations",
            {"region": county.code, "kind": "app", "month": f"{YEAR}-03", "verdict": "violation"},
            1,
        ),
        ("all", "province, page 1", {"region": province.code}, 1),
        ("year", "province, a year, page 1", {"region": province.code, "year": str(YEAR)}, 1),
        ("deep", f"province, page {DEEP_PAGE}", {"region": province.code}, DEEP_PAGE),
        (
            "search",
            "province, text search (a word no event has)",
            {"region": province.code, "q": "迎检材料"},
            1,
        ),
    ]

    def old_way(filters: dict, number: int) -> None:
        plain = {k: v for k, v in filters.items() if k != "q"}
        qs = selectors.events(inspector, plain)
        if filters.get("q"):
            qs = qs.filter(Q(subject__icontains=filters["q"]) | Q(description__icontains=filters["q"]))
        page = Paginator(qs, PAGE).page(number)
        list(page.object_list)

    index = next(i for i in BurdenEvent._meta.indexes if i.name == "event_recent")
    with connection.schema_editor() as editor:
        editor.remove_index(BurdenEvent, index)
    before = {}
    for key, _, filters, number in cases:
        old_way(filters, number)
        times = []
        for _ in range(max(3, requests // 4)):
            started = time.perf_counter()
            old_way(filters, number)
            times.append((time.perf_counter() - started) * 1000)
        before[key] = percentile(times, 50)
    with connection.schema_editor() as editor:
        editor.add_index(BurdenEvent, index)
    with connection.cursor() as c:
        c.execute("ANALYZE" if connection.vendor == "sqlite" else f"ANALYZE {BurdenEvent._meta.db_table}")
    assert everything.filter(after("occurred_on", (deep[0], deep[1]))).exists()
    for key, label, filters, number in cases:
        query = "&".join(f"{k}={v}" for k, v in filters.items())
        if number > 1:
            query += f"&before={cursor}"
        times, queries = time_requests(inspector, "get", f"{base}?{query}", None, requests)
        table.add(
            f"events list: {label}",
            f"before {before[key]:.0f} ms (queries) → after p50 {percentile(times, 50):.1f} ms (page, {queries} queries)",
            f"anchor {LIST_ANCHORS_MS[key]:,} ms at 1M",
        )


def load_average() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.1f}/{five:.1f}"


def duckdb_events(ctx):
    """The events' dashboard columns in a DuckDB in-memory table ``ev`` (exported once: DuckDB's sqlite and
    postgres scanners are not available offline); returns the connection and the export time."""
    import duckdb

    started = time.perf_counter()
    db = duckdb.connect()
    _export_rows(db, ctx)
    return db, time.perf_counter() - started


def duckdb_event_figures(db, prefix: str, ranked: bool) -> dict:
    """The same figure set as ``dashboard.event_figures`` straight from the raw events: (year, month, type)
    counts, hours and violations for this year and last (totals, by type, by month), and the 15 departments with
    the most violations this year when the dashboard ranks departments."""
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    cells = db.execute(
        "SELECT year(occurred_on), month(occurred_on), kind, COUNT(*), SUM(hours),"
        " SUM(CASE WHEN verdict = 'violation' THEN 1 ELSE 0 END) FROM ev"
        " WHERE region_code >= ? AND region_code < ? AND occurred_on BETWEEN ? AND ? GROUP BY 1, 2, 3",
        [prefix, upper, date(YEAR - 1, 1, 1), date(YEAR, 12, 31)],
    ).fetchall()
    departments = []
    if ranked:
        departments = db.execute(
            "SELECT department_id, SUM(CASE WHEN verdict = 'violation' THEN 1 ELSE 0 END) AS v, COUNT(*) AS n,"
            " SUM(hours) FROM ev WHERE region_code >= ? AND region_code < ? AND occurred_on BETWEEN ? AND ?"
            " GROUP BY 1 ORDER BY v DESC, n DESC, department_id LIMIT 15",
            [prefix, upper, date(YEAR, 1, 1), date(YEAR, 12, 31)],
        ).fetchall()
    return {"cells": cells, "departments": departments}


def _summary(cells, departments) -> tuple:
    """What both sides must agree on: this year's events, hours and violations; events per month; the ranking."""
    this = [c for c in cells if c[0] == YEAR]
    per_month = tuple(sum(c[3] for c in this if c[1] == m) for m in range(1, 13))
    return (
        sum(c[3] for c in this),
        round(sum(float(c[4] or 0) for c in this), 1),
        sum(c[5] for c in this),
        per_month,
        tuple((d[0], d[1], d[2]) for d in departments),
    )


def _ours_summary(figures: dict, department_ids: dict) -> tuple:
    total = figures["totals"][0]
    series = figures["month_chart"]["series"]
    per_month = tuple(sum(s["data"][m] for s in series) for m in range(12))
    rows = figures["department_chart"]["rows"]
    return (
        total["events"],
        round(float(total["hours"]), 1),
        total["violations"],
        per_month,
        tuple((department_ids[r["name"]], r["violations"], r["events"]) for r in rows),
    )


def _p50(func, times: int) -> float:
    func()
    taken = []
    for _ in range(times):
        started = time.perf_counter()
        func()
        taken.append((time.perf_counter() - started) * 1000)
    return percentile(taken, 50)


def rollup_cells() -> dict:
    """Cells a year: the new region and department rollups, and what the department-keyed design held (its
    township and county cells are the department rollup's; its prefecture and province cells are the distinct
    (prefix, department, type, month) of the county cells)."""
    from django.db.models import Count

    from jianfu.monitoring.models import DepartmentRollup, MonthlyRollup

    year = {"month__gte": date(YEAR, 1, 1), "month__lte": date(YEAR, 12, 31)}
    region = MonthlyRollup.objects.filter(**year).count()
    department = dict(
        DepartmentRollup.objects.filter(**year).values_list("level").annotate(n=Count("id")).order_by()
    )
    counties = DepartmentRollup.objects.filter(level=3, **year).values_list(
        "region_code", "department_id", "kind", "month"
    )
    prefectures = len({(c[:4], d, k, m) for c, d, k, m in counties.iterator()})
    provinces = len({(c[:2], d, k, m) for c, d, k, m in counties.iterator()})
    return {
        "region": region,
        "department": sum(department.values()),
        "department_county": department.get(3, 0),
        "old": sum(department.values()) + prefectures + provinces,
    }


def dashboard_rows(table: Table, ids: dict, requests: int, db) -> None:
    """Per level: the event figures from the rollup (``dashboard.event_figures``) against DuckDB computing the
    same figures from the raw events, checked equal; then the whole logged-in page (every figure, findings,
    other apps' counts, template) on its own."""
    from django.urls import reverse

    from jianfu.monitoring import dashboard
    from jianfu.orgs.models import Department

    url = reverse("monitoring:dashboard")
    for level in ("village", "township", "county", "province"):
        region = ids[level]
        ranked = level != "province"
        # department names repeat across counties: name → id within the region's county
        department_ids = dict(
            Department.objects.filter(region__code=region.code[:6].ljust(12, "0")).values_list("name", "id")
        )

        def ours(region=region):
            return dashboard.event_figures(region, YEAR)

        def theirs(region=region, ranked=ranked):
            return duckdb_event_figures(db, region.prefix, ranked)

        mine, other = ours(), theirs()
        same = _ours_summary(mine, department_ids) == _summary(other["cells"], other["departments"])
        ours_ms, theirs_ms = _p50(ours, requests), _p50(theirs, requests)
        table.add(
            f"{level} event figures: rollup | DuckDB raw",
            f"p50 {ours_ms:.1f} | {theirs_ms:.1f} ms ({ours_ms / theirs_ms:.2f}×), {load_average()}",
            "≤ 2× DuckDB, same figures",
            ours_ms <= 2 * theirs_ms and same,
        )
        page = f"{url}?region={region.code}&year={YEAR}"
        times, queries = time_requests(ids["inspector"], "get", page, None, requests)
        p50 = percentile(times, 50)
        table.add(
            f"{level} dashboard page (logged in)",
            f"p50 {p50:.1f} ms, p95 {percentile(times, 95):.1f} ms, {queries} queries, {load_average()}",
            "p50 < 100 ms",
            p50 < 100,
        )
        table.add(
            f"{level} dashboard page: CPU time of this process", f"p50 {_cpu_p50(ids, page, requests):.1f} ms"
        )


def _cpu_p50(ids: dict, page: str, requests: int) -> float:
    """The page's CPU time in this process (``time.process_time``): what it costs when the machine is shared
    and wall time mostly measures the wait for a core. On SQLite it includes the queries; on PostgreSQL the
    server's share is not in it."""
    from django.test import Client

    client = Client()
    client.force_login(ids["inspector"])
    client.get(page)
    taken = []
    for _ in range(requests):
        started = time.process_time()
        client.get(page)
        taken.append((time.process_time() - started) * 1000)
    return percentile(taken, 50)


def run(ctx, events: int, requests: int, lists: bool = True) -> Table:
    from jianfu.monitoring.services import rollup
    from jianfu.orgs.models import Level, Region

    fresh_database(ctx, f"monitoring_{os.getpid()}")  # its own database: other runs may share the server
    ids = build_geography()
    ids["township"] = Region.objects.filter(level=Level.TOWNSHIP).order_by("code").first()
    timings = generate(events, ids)
    started = time.perf_counter()
    cells = rollup.rebuild()
    rebuild_s = time.perf_counter() - started
    table = Table(
        f"Monitoring — {ctx.backend}, {events:,} events in {SHAPE[0] * SHAPE[1] * SHAPE[2] * SHAPE[3]:,}"
        f" villages, {cells:,} rollup cells"
    )
    table.add("bulk load (secondary indexes off)", f"{timings['load']:.1f} s, {load_average()}")
    table.add("rebuild indexes + ANALYZE", f"{timings['indexes']:.1f} s")
    table.add("rollup full rebuild (a loop over the 12 months)", f"{rebuild_s:.1f} s, {load_average()}")
    for label, code in (("whole province", None), ("one county", ids["county"].code)):
        started = time.perf_counter()
        rollup.rebuild_month(date(YEAR, 6, 1), code)
        table.add(
            f"rollup rebuild of one month, {label}",
            f"{time.perf_counter() - started:.2f} s (one transaction), {load_average()}",
        )
    counted = rollup_cells()
    table.add(
        "cells a year: region × month × type",
        f"{counted['region']:,} (counties and townships; a province's 108 summed from its counties')",
    )
    table.add(
        "cells a year: department × type × month",
        f"{counted['department']:,} ({counted['department_county']:,} in counties, the rest in townships)",
    )
    table.add("cells a year the department-keyed design held", f"{counted['old']:,}")
    try:
        db, export_s = duckdb_events(ctx)
    except Exception as exc:  # the app's own figures still stand
        table.add("DuckDB", f"failed: {exc}"[:100])
        db = None
    if db is not None:
        table.add("DuckDB: export the rows once", f"{export_s:.1f} s")
        dashboard_rows(table, ids, requests, db)
    if lists:
        list_rows(table, ids, requests)
    table.add("peak RSS", f"{peak_rss_mb():.0f} MB")
    return table


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_monitoring", description=__doc__)
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument(
        "--no-lists", action="store_true", help="dashboards and rollup only, not the event lists"
    )
    parser.add_argument(
        "--postgres", nargs="?", const=os.environ.get("DATABASE_URL") or DEFAULT_PG_URL, default=""
    )
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    ctx = configure(postgres_url=args.postgres)
    import django

    django.setup()
    try:
        print(run(ctx, args.events, args.requests, lists=not args.no_lists).render(), flush=True)
    finally:
        cleanup(ctx)


if __name__ == "__main__":
    main()
