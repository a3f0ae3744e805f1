"""Benchmark: burden events partitioned by month on PostgreSQL (#23), a province of 80,000 villages.

The province (10 prefectures × 10 counties × 20 townships × 40 villages, 20 departments a county) is made, the
36 months 2023-01 … 2025-12 get their partitions (timed: ``partitions.create_month``), then events are COPYed
from a generator (no ORM row by row) in steps (default 1M, then 5M), with the secondary indexes off
during each load and rebuilt on the parent after it. At each size:

- the events list through Django's test client (server time): a county drill-down (type, month, violations)
  page 1, the province page 1 and page 2,000 by seek paging (the "更早的记录" cursor);
- the same lists as SQL alone on PostgreSQL and in DuckDB over the same rows (exported to Parquet), newest
  first by (occurred_on, id), the page 2,000 from the same cursor: the same list computed three ways;
- one month's aggregation (what a per-month rollup rebuild reads; partition pruning reads one partition);
- detaching the oldest month (``DETACH … CONCURRENTLY``, the DEFAULT partition detached and attached around
  it) and attaching it back (a scan of the month to check its bounds);
- at the first size, ingest through ``services.event_record`` (check, rollup, audit chain) with 50 writers.

Before the events, the other two partitioned tables of the province, findings (by ``occurred_on``) and grid
events (by ``reported_at``, local-midnight bounds): their 36 months made (timed), ``--partition-other-rows``
rows each (default 1M, one step each) loaded by ``INSERT … SELECT generate_series`` over the same 36 months with
the secondary indexes off (the two pg_trgm GIN indexes each are the bulk of the rebuild), then for the oldest
month: the retention guard's count of what is still open, ``DETACH … CONCURRENTLY``, the move of its steps into
the archive table (``archive_children``), and ATTACH back. ``--partition-sizes 0`` runs this part alone.

    python -m bench --postgres URL --only partitions [--partition-sizes 1000000,5000000] [--partition-other-rows N]

Needs PostgreSQL: SQLite keeps plain tables. Database: $JIANFU_BENCH_DB (default jianfu_bench_partitions).
"""

import os
import threading
import time
from datetime import date, timedelta

from .harness import Table, _recreate_pg_database, percentile, pg_name

PROVINCE = "53"
SHAPE = (10, 10, 20, 40)  # 80,000 villages
DEPARTMENTS_PER_COUNTY = 20
FIRST_DAY, DAYS = date(2023, 1, 1), 1096  # 2023-01-01 … 2025-12-31
MONTHS = 36
KINDS = ("meeting", "inspection", "form", "certificate", "task", "app", "group", "placard", "other")
TABLE = "monitoring_burdenevent"
WRITERS, PER_WRITER = 50, 20
DEEP_PAGE, PAGE = 2000, 50
# The figures (#23): the drill-down list on SQLite at 1M and 10M events, the province page 2,000 at 1M.
ANCHORS = {"drill": "196 ms at 1M, 3.4 s at 10M (SQLite, before)", "deep": "3,969 ms at 1M (SQLite, before)"}


def fresh(ctx) -> str:
    from django.core.management import call_command
    from django.db import connection

    connection.close()
    name = os.environ.get("JIANFU_BENCH_DB", pg_name("jianfu_bench_partitions"))
    _recreate_pg_database(ctx.postgres_url, name)
    ctx.created_databases.append(name)
    connection.settings_dict["NAME"] = name
    call_command("migrate", verbosity=0, interactive=False)
    return name


def build_geography() -> dict:
    from . import bench_monitoring

    bench_monitoring.SHAPE, bench_monitoring.PROVINCE = SHAPE, PROVINCE
    return bench_monitoring.build_geography()


def create_months() -> list[float]:
    from jianfu.core import partitions

    times = []
    for n in range(MONTHS):
        started = time.perf_counter()
        partitions.create_month(TABLE, "occurred_on", partitions.add_months(FIRST_DAY, n))
        times.append((time.perf_counter() - started) * 1000)
    return times


def _indexes(table: str = TABLE) -> list[tuple[str, str]]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x JOIN pg_class i ON i.oid = "
            "x.indexrelid WHERE x.indrelid = to_regclass(%s) AND NOT x.indisprimary",
            [table],
        )
        return cursor.fetchall()


def load(start: int, stop: int, ids: dict) -> tuple[float, float]:
    """Events start … stop-1 by COPY with the secondary indexes off; (load s, index rebuild + ANALYZE s)."""
    from django.db import connection, transaction

    from jianfu.orgs.models import Department, Level, Region

    villages = list(Region.objects.filter(level=Level.VILLAGE).order_by("id").values_list("id", "code"))
    first_department = Department.objects.order_by("id").values_list("id", flat=True).first()
    indexes = _indexes()
    with connection.cursor() as cursor:
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    started = time.perf_counter()
    with transaction.atomic():
        _copy(start, stop, villages[0][0], first_department, ids["monitor"].pk, [c for _, c in villages])
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for _, sql in indexes:
            # The parent's index reads back as CREATE INDEX … ON ONLY (the parent alone, children not built).
            cursor.execute(sql.replace(" ON ONLY ", " ON ", 1))
        cursor.execute(f"ANALYZE {TABLE}")
    return loaded, time.perf_counter() - started


def _copy(start, stop, first_village, first_department, reporter, codes) -> None:
    """Row i: village i % V, department of its county + (i*13) % 20, type (i*7) % 9, day (i*31) % 1096 from
    2023-01-01, hours ((i*17) % 8) / 2, a violation when (i*11) % 10 < 2."""
    import numpy as np
    from django.db import connection

    columns = (
        "village_id, region_code, kind, department_id, subject, occurred_on, hours, description,"
        " demanded_materials, certificate_code, photo, origin, reporter_id, anonymous, review, review_note,"
        " idempotency_key, verdict, check_rule, check_detail, check_url, created_at, version"
    )
    days = [str(FIRST_DAY + timedelta(days=d)) for d in range(DAYS)]
    per_county = SHAPE[2] * SHAPE[3]
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {TABLE} ({columns}) FROM STDIN") as copy:
        for chunk in range(start, stop, 500_000):
            i = np.arange(chunk, min(chunk + 500_000, stop), dtype=np.int64)
            v = i % len(codes)
            department = first_department + (v // per_county) * DEPARTMENTS_PER_COUNTY + (i * 13) % 20
            lines = [
                f"{first_village + vi}\t{codes[vi]}\t{KINDS[k]}\t{d}\t\t{days[day]}\t{h / 2}\t负担事件\tf\t\t\t"
                f"monitor\t{reporter}\tf\t\t\t\t{'violation' if bad else 'ok'}\t{'规则' if bad else ''}\t\t\t"
                f"{days[day]} 12:00+08\t1\n"
                for vi, k, d, day, h, bad in zip(
                    v.tolist(),
                    ((i * 7) % 9).tolist(),
                    department.tolist(),
                    ((i * 31) % DAYS).tolist(),
                    ((i * 17) % 8).tolist(),
                    ((i * 11) % 10 < 2).tolist(),
                    strict=True,
                )
            ]
            copy.write("".join(lines))


# The same lists three ways ---------------------------------------------------------------------------------


def list_cases(ids: dict) -> list[tuple[str, str, dict, bool]]:
    county = ids["county"].code
    return [
        (
            "drill",
            "county, type, month, violations: page 1",
            {"region": county, "kind": "app", "month": "2025-03", "verdict": "violation"},
            False,
        ),
        ("first", "province: page 1", {"region": ids["province"].code}, False),
        ("deep", f"province: page {DEEP_PAGE:,} (seek)", {"region": ids["province"].code}, True),
    ]


def _sql(filters: dict, cursor: tuple | None, county_prefix: str, *, rows: bool = True) -> tuple[str, list]:
    """The list's query as plain SQL, the same text for PostgreSQL and DuckDB (? placeholders). The seek is the
    row comparison the list now uses (``rows``), or the OR-ed form it used before (#23, the before column)."""
    where, params = ["region_code LIKE ?"], []
    if filters.get("kind"):
        where += ["kind = ?", "verdict = ?", "occurred_on >= ?", "occurred_on < ?"]
        params = [
            county_prefix + "%",
            filters["kind"],
            filters["verdict"],
            date(2025, 3, 1),
            date(2025, 4, 1),
        ]
    else:
        params = [PROVINCE + "%"]
    if cursor and rows:
        where.append("occurred_on <= ? AND (occurred_on, id) < (?, ?)")
        params += [cursor[0], cursor[0], cursor[1]]
    elif cursor:
        where.append("(occurred_on < ? OR (occurred_on = ? AND id < ?))")
        params += [cursor[0], cursor[0], cursor[1]]
    sql = (
        "SELECT id, occurred_on, region_code, kind, verdict FROM ev WHERE "
        + " AND ".join(where)
        + f" ORDER BY occurred_on DESC, id DESC LIMIT {PAGE}"
    )
    return sql, params


def _cursor_at_deep_page(ids: dict) -> tuple[date, int]:
    from jianfu.monitoring import selectors

    rows = selectors.events(ids["inspector"], {"region": ids["province"].code}).values_list(
        "occurred_on", "pk"
    )
    return rows[(DEEP_PAGE - 1) * PAGE - 1]


def _old_after(date_field: str, cursor: tuple[date, int]):
    """The seek condition the keyset helper wrote before (#23): the date bound, then an OR for the cursor's day."""
    from django.db.models import Q

    day, pk = cursor
    return Q(**{f"{date_field}__lte": day}) & (Q(**{f"{date_field}__lt": day}) | Q(pk__lt=pk))


def _list_page(ids: dict, filters: dict, cursor: str) -> int:
    """What the events view runs for its list: the selector, newest first, one keyset page (and its bounded
    total) with the rows it shows. The page's region picker (every region of the province) is left out: it
    is the same at any number of events, and at 80,000 villages it costs seconds of its own (reported)."""
    from django.test import RequestFactory

    from jianfu.core.keyset import keyset_page
    from jianfu.monitoring import selectors

    request = RequestFactory().get("/", {"before": cursor} if cursor else {})
    events, _ = selectors.events_and_window(ids["inspector"], filters, newest_first=True)
    page = keyset_page(request, events, date_field="occurred_on")
    return len([(e.village.name, e.department.name) for e in page])


def _timed(fn, requests: int) -> tuple[float, float, object]:
    """(wall p50 ms, CPU p50 ms of this process, the last result)."""
    fn()
    wall, cpu, result = [], [], None
    for _ in range(requests):
        started, cpu_started = time.perf_counter(), time.process_time()
        result = fn()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
    return percentile(wall, 50), percentile(cpu, 50), result


def explain(sql: str, params: list) -> dict:
    """EXPLAIN (ANALYZE, BUFFERS) of the seek: its time, the buffers it touched, the rows its scans threw away
    after reading them (the filter), and whether the cursor reached the index scans as an index condition."""

    from django.db import connection

    with connection.cursor() as c:
        c.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql, params)
        plan = c.fetchone()[0][0]
    found = {"ms": plan["Execution Time"], "buffers": 0, "filtered": 0, "row_cond": False, "scans": 0}

    def walk(node):
        if "Index Scan" in node["Node Type"]:
            found["scans"] += 1
            found["filtered"] += int(node.get("Rows Removed by Filter", 0) * node.get("Actual Loops", 1))
            found["row_cond"] |= "ROW(" in node.get("Index Cond", "")
        for child in node.get("Plans", []):
            walk(child)

    top = plan["Plan"]
    found["buffers"] = top.get("Shared Hit Blocks", 0) + top.get("Shared Read Blocks", 0)
    walk(top)
    return found


def time_lists(ids: dict, requests: int, duck) -> list[dict]:
    """Per list: the list through the selector + keyset page (wall and CPU p50), with the seek condition as
    before (OR) and as now (row comparison); the same SQL on PostgreSQL both ways and in DuckDB; the EXPLAIN
    (ANALYZE, BUFFERS) figures of the deep page's SQL both ways."""
    from django.db import connection

    from jianfu.core import keyset

    deep_at = _cursor_at_deep_page(ids)
    county_prefix = ids["county"].code[:6]
    results = []
    for _key, label, filters, deep in list_cases(ids):
        cursor = f"{deep_at[0].isoformat()}.{deep_at[1]}" if deep else ""
        row = {"label": label}

        def page(filters=filters, cursor=cursor):
            return _list_page(ids, filters, cursor)

        now_after = keyset.after
        try:
            keyset.after = _old_after
            row["old_wall"], row["old_cpu"], old_shown = _timed(page, requests)
        finally:
            keyset.after = now_after
        row["wall"], row["cpu"], shown = _timed(page, requests)
        row["rows"] = shown
        for form, rows_form in (("pg_old", False), ("pg", True)):
            sql, params = _sql(filters, deep_at if deep else None, county_prefix, rows=rows_form)
            pg_sql = sql.replace("?", "%s").replace("FROM ev", f"FROM {TABLE}")

            def run(pg_sql=pg_sql, params=params):
                with connection.cursor() as c:
                    c.execute(pg_sql, params)
                    return len(c.fetchall())

            row[form], _, pg_rows = _timed(run, requests)
            assert pg_rows == shown == old_shown, (label, pg_rows, shown, old_shown)
            if deep:
                row[form + "_plan"] = explain(pg_sql, params)
        sql, params = _sql(filters, deep_at if deep else None, county_prefix, rows=False)
        duck_params = [str(p) if isinstance(p, date) else p for p in params]
        row["duck"], _, duck_rows = _timed(
            lambda sql=sql, duck_params=duck_params: len(duck.execute(sql, duck_params).fetchall()), requests
        )
        assert duck_rows == shown, (label, duck_rows, shown)
        results.append(row)
    return results


def time_page(ids: dict) -> float:
    """One request for the whole events page (test client), to show what the region picker costs."""
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(ids["inspector"])
    started = time.perf_counter()
    assert client.get(reverse("monitoring:events") + f"?region={ids['county'].code}").status_code == 200
    return (time.perf_counter() - started) * 1000


MONTH_AGGREGATION = (
    "SELECT department_id, kind, count(*), sum(hours), sum(CASE WHEN verdict = 'violation' THEN 1 ELSE 0 END)"
    " FROM ev WHERE occurred_on >= ? AND occurred_on < ? GROUP BY 1, 2"
)


def time_month(duck, requests: int) -> tuple[float, float, int]:
    """One month's aggregation, PostgreSQL (one partition read) beside DuckDB; and how many partitions PG read."""
    import json

    from django.db import connection

    params = [date(2025, 3, 1), date(2025, 4, 1)]
    pg_sql = MONTH_AGGREGATION.replace("?", "%s").replace("FROM ev", f"FROM {TABLE}")
    pg, dk = [], []
    with connection.cursor() as c:
        c.execute("EXPLAIN (FORMAT JSON) " + pg_sql, params)
        plan = json.dumps(c.fetchone()[0])
        for _ in range(max(3, requests // 4)):
            started = time.perf_counter()
            c.execute(pg_sql, params)
            c.fetchall()
            pg.append((time.perf_counter() - started) * 1000)
    for _ in range(max(3, requests // 4)):
        started = time.perf_counter()
        duck.execute(MONTH_AGGREGATION, [str(p) for p in params]).fetchall()
        dk.append((time.perf_counter() - started) * 1000)
    return percentile(pg, 50), percentile(dk, 50), plan.count(f'"{TABLE}_p')


def duck_of(ctx):
    """The rows in DuckDB (PostgreSQL COPY to CSV, then Parquet, as bench_monitoring does: no scanner offline)."""
    import duckdb
    from django.db import connection

    path, parquet = ctx.workdir / "ev.csv", ctx.workdir / "ev.parquet"
    with connection.cursor() as cursor, open(path, "wb") as out:
        sql = f"COPY (SELECT id, occurred_on, region_code, kind, verdict, department_id, hours FROM {TABLE}) TO STDOUT"
        with cursor.cursor.copy(sql + " WITH CSV") as copy:
            for data in copy:
                out.write(data)
    db = duckdb.connect()
    db.execute(
        f"COPY (SELECT * FROM read_csv('{path}', header = false, columns = {{'id': 'BIGINT', 'occurred_on': 'DATE',"
        " 'region_code': 'VARCHAR', 'kind': 'VARCHAR', 'verdict': 'VARCHAR', 'department_id': 'INTEGER',"
        f" 'hours': 'DOUBLE'}})) TO '{parquet}' (FORMAT parquet)"
    )
    path.unlink()
    db.execute(f"CREATE VIEW ev AS SELECT * FROM read_parquet('{parquet}')")
    return db


def time_detach() -> tuple[float, float]:
    """Detach the oldest month and attach it back (the table is unchanged for the next size)."""
    from django.db import connection

    from jianfu.core import partitions

    name = partitions.partition_name(TABLE, FIRST_DAY)
    started = time.perf_counter()
    partitions.detach_month(TABLE, FIRST_DAY)
    detach_ms = (time.perf_counter() - started) * 1000
    end = partitions.add_months(FIRST_DAY, 1)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            f"ALTER TABLE {TABLE} ATTACH PARTITION \"{name}\" FOR VALUES FROM ('{FIRST_DAY}') TO ('{end}')"
        )
    return detach_ms, (time.perf_counter() - started) * 1000


# Findings and grid events ---------------------------------------------------------------------------------

FINDINGS, GRID = "monitoring_finding", "grid_gridevent"


def _fill_sql(table: str) -> str:
    """Rows g = 0 … n-1 over the 36 months (day (g*31) % 1096), village g % V, one in ten still open; %(n)s."""
    villages = (
        "(SELECT array_agg(id ORDER BY id) AS ids, array_agg(code ORDER BY id) AS codes, count(*) AS n "
        "FROM orgs_region WHERE level = %(village)s) v"
    )
    day = f"(DATE '{FIRST_DAY}' + ((g * 31) % {DAYS})::int)"
    pick = "[1 + (g % v.n)]"
    if table == FINDINGS:
        return (
            f"INSERT INTO {FINDINGS} (source, source_key, region_code, department_text, department_candidates,"
            " occurred_on, subject, rule, basis, detail, automatic, evidence_url, evidence_label, state, reason,"
            " created_at, version, village_id) "
            f"SELECT 'visit', 'visit:' || g, v.codes{pick}, '县人社局', '[]', {day}, '召开调度会要求村干部参加 ' || g,"
            " '未列入年度督查检查计划', '', '', 'violation', '', '', CASE WHEN g % 10 = 0 THEN 'pending' ELSE"
            f" 'rectified' END, '', {day} + TIME '12:00', 1, v.ids{pick} "
            f"FROM generate_series(0, %(n)s - 1) g, {villages}"
        )
    return (
        f"INSERT INTO {GRID} (number, place, building, description, photo_type, media_url, source, source_system,"
        " idempotency_key, resident_name, resident_phone, rating_code, status, reported_at, deadline_estimated,"
        " result, reopen_count, escalation, rating_comment, updated_at, version, community_id, event_class_id) "
        f"SELECT 'WG' || lpad(g::text, 10, '0'), '菜市场东门 ' || (g % 997), '', '垃圾堆放', '', '', 'grid', '', '',"
        " '', '', '', CASE WHEN g % 10 = 0 THEN 'dispatched' ELSE 'closed' END,"
        f" ({day} + TIME '09:30') AT TIME ZONE 'Asia/Shanghai', false, '', 0, 0, '', now(), 1, v.ids{pick},"
        f" %(event_class)s FROM generate_series(0, %(n)s - 1) g, {villages}"
    )


STEPS = {
    FINDINGS: (
        "INSERT INTO monitoring_findingstep (action, from_state, to_state, note, at, finding_id) "
        "SELECT 'intake', '', 'pending', '', created_at, id FROM monitoring_finding"
    ),
    GRID: (
        "INSERT INTO grid_eventstep (action, from_status, to_status, actor_label, note, at, event_id) "
        "SELECT 'report', '', 'reported', '', '', reported_at, id FROM grid_gridevent"
    ),
}


def _event_class(ids: dict) -> int:
    from jianfu.grid.models import EventClass

    return EventClass.objects.create(region=ids["county"], code="SR-01", name="暴露垃圾、乱堆乱放").pk


def time_other_tables(ids: dict, rows: int) -> list[tuple[str, str]]:
    """(label, figure) rows for findings and grid events: months made, load, the oldest month's retention
    guard, detach, archive of its steps, attach back."""
    from django.db import connection, transaction

    from jianfu.core import partitions
    from jianfu.orgs.models import Level

    out = []
    params = {"village": Level.VILLAGE, "n": rows, "event_class": _event_class(ids)}
    for table in (FINDINGS, GRID):
        spec = partitions.TABLES[table]
        made = []
        for n in range(MONTHS):
            started = time.perf_counter()
            partitions.create_month(table, spec.column, partitions.add_months(FIRST_DAY, n))
            made.append((time.perf_counter() - started) * 1000)
        out.append(
            (
                f"{spec.label}: create a month's partition ({MONTHS} empty)",
                f"p50 {percentile(made, 50):.0f} ms",
            )
        )
        indexes = _indexes(table)
        with connection.cursor() as cursor:
            for name, _ in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
            wall = time.perf_counter()
            with transaction.atomic():
                cursor.execute(_fill_sql(table).replace(" % ", " %% "), params)  # a literal modulo
                cursor.execute(STEPS[table])
            loaded = time.perf_counter() - wall
            wall = time.perf_counter()
            for _, sql in indexes:
                cursor.execute(sql.replace(" ON ONLY ", " ON ", 1))
            cursor.execute(f"ANALYZE {table}")
            rebuilt = time.perf_counter() - wall
        out.append(
            (
                f"{spec.label}: INSERT … SELECT {rows:,} rows + a step each (indexes off)",
                f"{loaded:.1f} s wall; rebuild {len(indexes)} indexes incl. pg_trgm + ANALYZE {rebuilt:.1f} s wall",
            )
        )
        name = partitions.partition_name(table, FIRST_DAY)
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT count(*) FROM "{name}"')
            in_month = cursor.fetchone()[0]
        started = time.perf_counter()
        reason = spec.guard(name, FIRST_DAY, partitions.add_months(FIRST_DAY, 1))
        guard_ms = (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        partitions.detach_month(table, FIRST_DAY)
        detach_ms = (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        with transaction.atomic():
            archived = partitions.archive_children(spec, name)
        archive_ms = (time.perf_counter() - started) * 1000
        low, high = partitions._bounds(table, FIRST_DAY)
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(
                f'ALTER TABLE "{table}" ATTACH PARTITION "{name}" FOR VALUES FROM (%s) TO (%s)', [low, high]
            )
        attach_ms = (time.perf_counter() - started) * 1000
        out.append(
            (
                f"{spec.label}: oldest month ({in_month:,} rows): guard / detach CONCURRENTLY / archive steps / attach",
                f"{guard_ms:.0f} / {detach_ms:.0f} / {archive_ms:.0f} ({sum(archived.values()):,} steps) / {attach_ms:.0f} ms"
                f" — guard: {reason or 'may detach'}",
            )
        )
    return out


# Ingest: 50 writers through the service ---------------------------------------------------------------------


def writers(ids: dict) -> list:
    """50 monitors, each serving a point at its own village (in 50 different counties' first township)."""
    from jianfu.monitoring.models import MonitorAssignment, MonitoringPoint
    from jianfu.orgs.models import Department, Level, Region, RoleAssignment, User
    from jianfu.orgs.roles import Role

    villages = list(
        Region.objects.filter(level=Level.VILLAGE).order_by("code")[:: SHAPE[2] * SHAPE[3] * 2][:WRITERS]
    )
    crew = []
    for n, village in enumerate(villages):
        user = User.objects.create(username=f"bench_writer{n}", full_name=f"监测员{n}", home_region=village)
        RoleAssignment.objects.create(user=user, role=Role.MONITOR, region=village)
        point = MonitoringPoint.objects.create(village=village)
        MonitorAssignment.objects.create(point=point, monitor=user)
        county = village.code[:6].ljust(12, "0")
        department = Department.objects.filter(region__code=county).order_by("id").first()
        crew.append((user, village, department))
    return crew


def ingest(crew) -> tuple[float, int, list[str]]:
    from django.db import connection
    from django.utils import timezone

    from jianfu.monitoring import services

    errors: list[str] = []
    day = timezone.localdate() - timedelta(days=1)

    def write(user, village, department):
        try:
            for n in range(PER_WRITER):
                services.event_record(
                    actor=user,
                    village=village,
                    kind="meeting",
                    department=department,
                    occurred_on=day,
                    hours=1,
                    description=f"参加培训会 {n}",
                )
        except Exception as exc:  # noqa: BLE001  reported in the table, not raised from a thread
            errors.append(repr(exc)[:200])
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=member) for member in crew]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return elapsed, WRITERS * PER_WRITER, errors


def _say(text: str) -> None:
    import sys

    print(f"  … {time.strftime('%H:%M:%S')} {text}", file=sys.stderr, flush=True)


def run(ctx, sizes: list[int], requests: int, other_rows: int = 1_000_000) -> Table:
    from jianfu.core import partitions

    database = fresh(ctx)
    _say("geography")
    ids = build_geography()
    _say("partitions, writers")
    villages = SHAPE[0] * SHAPE[1] * SHAPE[2] * SHAPE[3]
    table = Table(f"Partitions — PostgreSQL ({database}), {villages:,} villages, events over {MONTHS} months")
    made = create_months()
    table.add(
        f"create a month's partition ({MONTHS} empty, indexes made by ATTACH)",
        f"p50 {percentile(made, 50):.0f} ms",
    )
    _say(f"findings and grid events, {other_rows:,} each")
    wall, cpu = time.perf_counter(), time.process_time()
    for label, figure in time_other_tables(ids, other_rows):
        table.add(label, figure)
    table.add(
        "findings and grid events, all of the above",
        f"{time.perf_counter() - wall:.1f} s wall, {time.process_time() - cpu:.1f} s CPU of this process"
        " (the rest is PostgreSQL's)",
    )
    sizes = [size for size in sizes if size > 0]
    if not sizes:  # --partition-sizes 0: the findings and grid events figures alone
        load1, load5, _ = os.getloadavg()
        table.add(
            "load average (1 min / 5 min) at the end", f"{load1:.2f} / {load5:.2f} on {os.cpu_count()} CPUs"
        )
        return table
    crew = writers(ids)
    elapsed, count, errors = ingest(crew)
    table.add(
        f"ingest through services.event_record, {WRITERS} writers × {PER_WRITER}",
        f"{count / elapsed:,.0f} events/s ({count:,} in {elapsed:.1f} s{', errors: ' + errors[0] if errors else ''})",
        "the audit chain head and the rollup cells serialise every write",
    )
    loaded, flat = 0, {}
    for size in sizes:
        _say(f"load {size:,}")
        took, rebuilt = load(loaded, size, ids)
        _say("lists")
        table.add(
            f"[{size:,}] COPY {size - loaded:,} events (indexes off)",
            f"{took:.1f} s, {(size - loaded) / took:,.0f} rows/s",
        )
        table.add(f"[{size:,}] rebuild indexes on the parent + ANALYZE", f"{rebuilt:.1f} s")
        loaded = size
        started = time.perf_counter()
        duck = duck_of(ctx)
        table.add(f"[{size:,}] export to DuckDB (Parquet)", f"{time.perf_counter() - started:.1f} s")
        for row in time_lists(ids, requests, duck):
            label = row["label"]
            flat.setdefault(label, []).append(row["wall"])
            flat.setdefault(label + " (seek as before)", []).append(row["old_wall"])
            table.add(
                f"[{size:,}] list {label}",
                f"p50 {row['wall']:.1f} ms wall, {row['cpu']:.1f} ms CPU (seek as before: {row['old_wall']:.1f} / "
                f"{row['old_cpu']:.1f} ms); its SQL: PG {row['pg']:.2f} ms (OR form {row['pg_old']:.2f}) vs "
                f"DuckDB {row['duck']:.2f} ms ({row['rows']} rows)",
                ANCHORS["drill"] if "drill" in label or "page 1" in label else ANCHORS["deep"],
            )
            for form, name in (("pg_old", "OR-ed seek (before)"), ("pg", "row comparison (now)")):
                if form + "_plan" in row:
                    plan = row[form + "_plan"]
                    table.add(
                        f"[{size:,}] EXPLAIN ANALYZE {label}, {name}",
                        f"{plan['ms']:.1f} ms, {plan['buffers']:,} buffers, {plan['scans']} index scans, "
                        f"{plan['filtered']:,} rows read and filtered out, cursor in the index condition: "
                        f"{'yes' if plan['row_cond'] else 'no'}",
                    )
        load1, load5, _ = os.getloadavg()
        table.add(f"[{size:,}] load average (1 / 5 min) after the lists", f"{load1:.2f} / {load5:.2f}")
        pg, dk, read = time_month(duck, requests)
        table.add(
            f"[{size:,}] one month's aggregation (per-month rollup input)",
            f"PG {pg:.0f} ms ({read} partition read) vs DuckDB {dk:.0f} ms",
        )
        detach_ms, attach_ms = time_detach()
        table.add(
            f"[{size:,}] detach the oldest month CONCURRENTLY / attach it back",
            f"{detach_ms:.0f} ms / {attach_ms:.0f} ms",
        )
        table.add(f"[{size:,}] DEFAULT partition rows", f"{partitions.default_rows(TABLE):,}")
        duck.close()
        if size != sizes[-1]:
            print(table.render() + "\n(so far)\n", flush=True)  # a long run shows each size as it ends
    table.add(
        "the whole events page once (county), test client",
        f"{time_page(ids):,.0f} ms",
        "the region picker lists every region of the province: not the list's cost",
    )
    for label, pages in flat.items():
        if len(pages) > 1:
            table.add(
                f"flatness: list {label}",
                f"{pages[-1] / pages[0]:.2f}× from {sizes[0]:,} to {sizes[-1]:,}",
                "≈ 1×",
            )
    load1, load5, _ = os.getloadavg()
    table.add(
        "load average (1 min / 5 min) at the end", f"{load1:.2f} / {load5:.2f} on {os.cpu_count()} CPUs"
    )
    return table
