"""Benchmark: a province of 80,000 villages on PostgreSQL, grown 1M → 10M (→ 30M) events, beside DuckDB (#23).

The events are filled at database speed (``bench/pg_loader.py``: one INSERT … SELECT generate_series a month,
secondary indexes rebuilt per partition after the load, the rollup cells by the services' own
``rebuild_month``). At each size, with the load average beside every figure:

- the load: rows/s, index rebuild, rollup rebuild of the 36 months, bytes per million rows;
- the event lists through the view's own selector and ``keyset_page`` (wall and CPU p50): a county drill-down
  (type, month, violations) page 1, a county page 1 and its page 2,000 (or its deepest page below 2,000), the
  province page 1 and page 2,000; each query the list ran, EXPLAINed (ANALYZE, BUFFERS), whether the DEFAULT
  partition is in its plan; the same page from DuckDB over the same rows;
- the province page 2,000 with the DEFAULT partition detached (does it cost anything in the ordered Append?);
- the four dashboards' event figures (village, township, county, province) from the rollup beside DuckDB
  computing the same figures from the raw rows (checked equal; ``bench_monitoring.dashboard_rows``), and the
  whole dashboard page;
- the rollup rebuild of one month (a county, the province) beside DuckDB grouping the same month;
- text search, a rare and a frequent phrase, page 1: over the whole range at once (before) and month by month
  newest first, stopping when the page is full (``keyset_page(by_month=True)``, what the list does now);
- once, after the first size: ingest through ``services.event_record`` with 50 writers in 50 separate
  processes (each its own connection, no shared GIL), spread over 50 counties and all in one county.

    python -m bench.bench_pg_scale --events 1000000,10000000 [--max-load-minutes 12] [--requests 10]

On a database kept by ``--phase``, ``--phase rebuild-wait --reuse`` times writers' transactions in four counties
while the province's month is rebuilt (``rebuild_wait``; ``bench/README.md``).

Database: $JIANFU_BENCH_DB (default jianfu_bench_pg_scale), dropped at the end unless --keep.
"""

import argparse
import multiprocessing
import os
import re
import sys
import time
from datetime import UTC, date, datetime, timedelta

from . import bench_partitions, pg_loader
from .harness import Table, _recreate_pg_database, cleanup, configure, percentile, pg_name

PAGE, DEEP_PAGE = 50, 2000
SEARCHES = (
    ("rare phrase (0.1%)", "县统计局督促整理防汛值班表"),
    ("frequent phrase (1 in 10)", "危房改造档案"),
)
ANCHORS = {
    "list": "1M figure; flat",
    "search": "PG 141 ms at 1M (rare, docs/scale.md)",
    "ingest": "threads in one process: see bench_ingest",
}


def say(text: str) -> None:
    print(
        f"  … {time.strftime('%H:%M:%S')} {text} (load {os.getloadavg()[0]:.2f})", file=sys.stderr, flush=True
    )


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.2f}/{five:.2f}"


class Sized:
    """A Table whose rows are prefixed with the size they were measured at."""

    def __init__(self, table: Table, size: int):
        self.table, self.prefix = table, f"[{size / 1e6:g}M] "

    def add(self, metric: str, value: str, target: str = "—", met: bool | None = None) -> None:
        self.table.add(self.prefix + metric, value, target, met)


def fresh(ctx) -> str:
    from django.core.management import call_command
    from django.db import connection

    connection.close()
    name = os.environ.get("JIANFU_BENCH_DB", pg_name("jianfu_bench_pg_scale"))
    _recreate_pg_database(ctx.postgres_url, name)
    ctx.created_databases.append(name)
    connection.settings_dict["NAME"] = name
    call_command("migrate", verbosity=0, interactive=False)
    return name


def geography() -> dict:
    from jianfu.orgs.models import Level, Region

    ids = bench_partitions.build_geography()
    ids["township"] = Region.objects.filter(level=Level.TOWNSHIP).order_by("code").first()
    return ids


def p50(fn, requests: int) -> tuple[float, float]:
    """(wall p50 ms, CPU p50 ms of this process), after one warm-up call."""
    fn()
    wall, cpu = [], []
    for _ in range(requests):
        started, cpu_started = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
    return percentile(wall, 50), percentile(cpu, 50)


# DuckDB over the same rows ----------------------------------------------------------------------------------


def duck_of(ctx):
    """The rows' list and dashboard columns in a DuckDB table ``ev`` in a file of the work directory (PostgreSQL
    COPY to CSV a month at a time; no postgres scanner offline)."""
    import duckdb
    from django.db import connection

    path = ctx.workdir / "ev.csv"
    columns = "id, occurred_on, region_code, kind, verdict, department_id, hours"
    # a database file, not memory: at 100M rows the table would not fit beside the other sessions
    db = duckdb.connect(str(ctx.workdir / "ev.duckdb"))
    db.execute("SET threads = 2")
    db.execute("SET memory_limit = '4GB'")
    db.execute(
        "CREATE TABLE ev (id BIGINT, occurred_on DATE, region_code VARCHAR, kind VARCHAR, verdict VARCHAR,"
        " department_id INTEGER, hours DOUBLE)"
    )
    bounds = [*pg_loader.months(), date(2026, 1, 1)]  # a month at a time (every row's CSV would be GBs)
    for low, high in [(None, bounds[0]), *zip(bounds[:-1], bounds[1:], strict=True), (bounds[-1], None)]:
        where = " AND ".join(
            ([f"occurred_on >= '{low}'"] if low else []) + ([f"occurred_on < '{high}'"] if high else [])
        )
        with connection.cursor() as cursor, open(path, "wb") as out:
            sql = f"COPY (SELECT {columns} FROM {pg_loader.TABLE} WHERE {where}) TO STDOUT WITH CSV"
            with cursor.cursor.copy(sql) as copy:
                for data in copy:
                    out.write(data)
        if path.stat().st_size:
            db.execute(
                "INSERT INTO ev SELECT * FROM read_csv(?, header = false, columns = {'id': 'BIGINT', 'occurred_on':"
                " 'DATE', 'region_code': 'VARCHAR', 'kind': 'VARCHAR', 'verdict': 'VARCHAR', 'department_id':"
                " 'INTEGER', 'hours': 'DOUBLE'})",
                [str(path)],
            )
        path.unlink()
    return db


def duck_list(db, prefix: str, filters: dict, cursor) -> int:
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    where, params = ["region_code >= ? AND region_code < ?"], [prefix, upper]
    if filters.get("kind"):
        y, m = (int(x) for x in filters["month"].split("-"))
        where.append("kind = ? AND verdict = ? AND occurred_on >= ? AND occurred_on < ?")
        params += [filters["kind"], filters["verdict"], date(y, m, 1), date(y + m // 12, m % 12 + 1, 1)]
    if cursor:
        where.append("(occurred_on < ? OR (occurred_on = ? AND id < ?))")
        params += [cursor[0], cursor[0], cursor[1]]
    sql = (
        "SELECT id, occurred_on, region_code, kind, verdict FROM ev WHERE "
        + " AND ".join(where)
        + f" ORDER BY occurred_on DESC, id DESC LIMIT {PAGE}"
    )
    return len(db.execute(sql, params).fetchall())


# The lists ------------------------------------------------------------------------------------------------


def explain(sql: str) -> dict:
    """EXPLAIN (ANALYZE, BUFFERS) of one captured query: ms, buffers, partitions scanned, DEFAULT among them."""
    import json

    from django.db import connection

    with connection.cursor() as c:
        c.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql)
        plan = c.fetchone()[0][0]
    text = json.dumps(plan)
    top = plan["Plan"]
    scans, nodes = set(), [top]
    while nodes:
        node = nodes.pop()
        nodes += node.get("Plans", [])
        if "Scan" in node["Node Type"]:
            index = re.sub(r"^monitoring_burdenevent_(p\d+|default)_", "", node.get("Index Name", ""))
            scans.add(node["Node Type"] + (f" {index}" if index else ""))
    return {
        "ms": plan["Execution Time"],
        "buffers": top.get("Shared Hit Blocks", 0) + top.get("Shared Read Blocks", 0),
        "partitions": len(set(re.findall(r'"Relation Name": "monitoring_burdenevent_p\d+"', text))),
        "default": '"monitoring_burdenevent_default"' in text,
        "scans": scans,
    }


def captured(fn) -> list[str]:
    """The SQL of the queries ``fn`` ran on the events table (psycopg's own interpolation: the exact text)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        fn()
    return [q["sql"] for q in queries.captured_queries if pg_loader.TABLE in q["sql"]]


def cursor_at(ids: dict, filters: dict, page: int):
    from jianfu.monitoring import selectors

    rows = selectors.events(ids["inspector"], filters).values_list("occurred_on", "pk")
    found = list(rows[(page - 1) * PAGE - 1 : (page - 1) * PAGE])
    return found[0] if found else None


def list_cases(ids: dict, size: int) -> list[tuple[str, dict, int]]:
    county, province = ids["county"].code, ids["province"].code
    county_pages = min(DEEP_PAGE, size // 100 // PAGE)  # a county holds 1/100 of the events
    return [
        ("county drill-down (type, month, violations) p1", bench_partitions.list_cases(ids)[0][2], 1),
        ("county p1", {"region": county}, 1),
        (f"county p{county_pages:,}", {"region": county}, county_pages),
        ("province p1", {"region": province}, 1),
        (f"province p{DEEP_PAGE:,}", {"region": province}, DEEP_PAGE),
    ]


def lists(out, ids: dict, size: int, requests: int, duck, first: dict) -> None:
    from django.db import connection

    for label, filters, page in list_cases(ids, size):
        cursor = cursor_at(ids, filters, page) if page > 1 else None
        text = f"{cursor[0].isoformat()}.{cursor[1]}" if cursor else ""

        def show(filters=filters, text=text):
            return bench_partitions._list_page(ids, filters, text)

        wall, cpu = p50(show, requests)
        queries = captured(show)

        def raw(queries=queries):
            with connection.cursor() as c:
                for sql in queries:
                    c.execute(sql)
                    c.fetchall()

        sql_ms, _ = p50(raw, requests)
        plans = [explain(sql) for sql in queries]
        region = filters["region"]
        prefix = ids["county"].prefix if region == ids["county"].code else ids["province"].prefix
        duck_ms, _ = p50(lambda p=prefix, f=filters, c=cursor: duck_list(duck, p, f, c), requests)
        rows = show()
        assert duck_list(duck, prefix, filters, cursor) == rows, label
        key = label.split(" p")[0] + (" deep" if page > 1 else "")
        first.setdefault(key, wall)
        out.add(
            f"list {label}: page (selector + keyset_page)",
            f"p50 {wall:.1f} ms wall / {cpu:.1f} ms CPU; its {len(queries)} SQL {sql_ms:.1f} ms; DuckDB"
            f" {duck_ms:.1f} ms; {rows} rows; {load()}",
            f"first size {first[key]:.1f} ms; flat",
        )
        out.add(
            f"list {label}: EXPLAIN ANALYZE of its queries",
            "; ".join(
                f"{p['ms']:.2f} ms {p['buffers']:,} buf {p['partitions']} parts"
                f"{' +DEFAULT' if p['default'] else ''}"
                for p in plans
            ),
        )
        if page == DEEP_PAGE and region == ids["province"].code:
            default_effect(out, queries)


def default_effect(out, queries: list[str]) -> None:
    """The deep province page's queries with the DEFAULT partition detached, then attached back."""
    from django.db import connection

    table = pg_loader.TABLE
    with connection.cursor() as c:
        c.execute(f'ALTER TABLE {table} DETACH PARTITION "{table}_default"')
    try:
        plans = [explain(sql) for sql in queries]
        plans = [explain(sql) for sql in queries]  # warm, as the attached ones were
    finally:
        with connection.cursor() as c:
            c.execute(f'ALTER TABLE {table} ATTACH PARTITION "{table}_default" DEFAULT')
    out.add(
        "  … same, DEFAULT partition detached",
        "; ".join(f"{p['ms']:.2f} ms {p['buffers']:,} buf {p['partitions']} parts" for p in plans),
    )


# Dashboards, rollup rebuild, search -----------------------------------------------------------------------


def dashboards(out, ids: dict, requests: int, duck) -> None:
    from . import bench_monitoring

    bench_monitoring.dashboard_rows(out, ids, requests, duck)


MONTH_GROUP = (
    "SELECT substr(region_code, 1, 9), department_id, kind, count(*), sum(hours),"
    " sum(CASE WHEN verdict = 'violation' THEN 1 ELSE 0 END) FROM ev WHERE occurred_on >= ? AND occurred_on < ?"
    " AND region_code >= ? AND region_code < ? GROUP BY 1, 2, 3"
)


def rebuilds(out, ids: dict, duck) -> None:
    from jianfu.monitoring.services import rollup

    month = date(2025, 6, 1)
    for label, region, prefix in (
        ("a county", ids["county"].code, ids["county"].prefix),
        ("the province", None, ids["province"].prefix),
    ):
        times = []
        for _ in range(3):
            started = time.perf_counter()
            cells = rollup.rebuild_month(month, region)
            times.append((time.perf_counter() - started) * 1000)
        upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        duck_ms, _ = p50(
            lambda prefix=prefix, upper=upper: duck.execute(
                MONTH_GROUP, [month, date(2025, 7, 1), prefix, upper]
            ).fetchall(),
            3,
        )
        out.add(
            f"rollup rebuild of one month, {label} ({cells:,} cells)",
            f"p50 {percentile(times, 50):,.0f} ms (one transaction); DuckDB grouping the month {duck_ms:.0f} ms;"
            f" {load()}",
            "DuckDB's grouping",
        )


def month_by_month(ids: dict, filters: dict, months: list[date]) -> list[int]:
    """Page 1 of a text search read one month at a time, newest first, until the page is full."""
    from jianfu.monitoring import selectors

    found: list[int] = []
    for month in months:
        step = dict(filters, month=f"{month:%Y-%m}")
        found += selectors.events(ids["inspector"], step).values_list("pk", flat=True)[: PAGE - len(found)]
        if len(found) >= PAGE:
            break
    return found


def search_page(ids: dict, filters: dict, *, by_month: bool) -> int:
    """What the events view runs for a searched list's page 1: the selector, ``keyset_page`` with the search's
    bounded total, whole range at once (before) or month by month (now), and the rows it shows."""
    from django.test import RequestFactory

    from jianfu.core import keyset
    from jianfu.monitoring import selectors

    events, _ = selectors.events_and_window(ids["inspector"], filters, newest_first=True)
    page = keyset.keyset_page(
        RequestFactory().get("/"),
        events,
        date_field="occurred_on",
        count_limit=keyset.SEARCH_COUNT_LIMIT,
        by_month=by_month,
    )
    return len([(e.village.name, e.department.name) for e in page])


def searches(out, ids: dict, requests: int, first: dict) -> None:
    from django.db.models import Max, Min

    from jianfu.core import partitions
    from jianfu.monitoring import selectors
    from jianfu.monitoring.models import BurdenEvent

    span = BurdenEvent.objects.aggregate(first=Min("occurred_on"), last=Max("occurred_on"))
    months, month = [], span["last"].replace(day=1)
    while month >= span["first"].replace(day=1):
        months.append(month)
        month = partitions.add_months(month, -1)
    for label, phrase in SEARCHES:
        filters = {"region": ids["province"].code, "q": phrase}
        before_ms, _ = p50(lambda filters=filters: search_page(ids, filters, by_month=False), requests)
        now_ms, now_cpu = p50(lambda filters=filters: search_page(ids, filters, by_month=True), requests)
        plain = list(selectors.events(ids["inspector"], filters).values_list("pk", flat=True)[:PAGE])
        rows_ms, _ = p50(
            lambda filters=filters: list(
                selectors.events(ids["inspector"], filters).values_list("pk", flat=True)[:PAGE]
            ),
            requests,
        )
        stepped = month_by_month(ids, filters, months)
        step_ms, _ = p50(lambda filters=filters: month_by_month(ids, filters, months), requests)
        first.setdefault(label, now_ms)
        out.add(
            f"search {label}, province p1",
            f"page p50 whole range {before_ms:.1f} ms → month by month {now_ms:.1f} ms ({now_cpu:.1f} CPU); the"
            f" 50 rows alone {rows_ms:.1f} → {step_ms:.1f} ms (same rows: {'yes' if stepped == plain else 'NO'});"
            f" {load()}",
            f"{ANCHORS['search']}; first size {first[label]:.1f} ms",
        )


# Ingest: 50 writers, 50 processes --------------------------------------------------------------------------

PER_WRITER = 20


def _write(member: tuple[int, int, int], barrier, results) -> None:
    """One writer process: its own connection, PER_WRITER events through the real service."""
    from django.db import connection
    from django.utils import timezone

    from jianfu.monitoring import services
    from jianfu.orgs.models import Department, Region, User

    from .bench_ingest import _connect

    done, error = 0, ""
    try:
        connection.close()  # never the parent's socket
        _connect(connection)
        user, village = User.objects.get(pk=member[0]), Region.objects.get(pk=member[1])
        department = Department.objects.get(pk=member[2])
        day = timezone.localdate() - timedelta(days=1)
        barrier.wait()
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
            done += 1
    except Exception as exc:  # noqa: BLE001  reported by the parent
        error = repr(exc)[:160]
    finally:
        connection.close()
        results.put((done, error))


def ingest(out) -> None:
    from django.db import connection

    from . import bench_ingest

    shape = bench_partitions.SHAPE
    context = multiprocessing.get_context("fork")
    for label, villages, tag in (
        ("spread over 50 counties", bench_ingest.spread_villages(shape), "s"),
        ("all in one county", bench_ingest.one_county_villages(shape), "c"),
    ):
        members = [(u.pk, v.pk, d.pk) for u, v, d in bench_ingest.crew(villages, tag)]
        connection.close()  # the children must not share this process's socket
        barrier, results = context.Barrier(len(members) + 1), context.Queue()
        processes = [context.Process(target=_write, args=(m, barrier, results)) for m in members]
        for process in processes:
            process.start()
        before = os.getloadavg()[0]
        barrier.wait()
        started = time.perf_counter()
        outcomes = [results.get() for _ in processes]
        elapsed = time.perf_counter() - started
        for process in processes:
            process.join()
        done = sum(n for n, _ in outcomes)
        errors = [e for _, e in outcomes if e]
        out.add(
            f"ingest through event_record, 50 processes × {PER_WRITER}, {label}",
            f"{done / elapsed:,.1f} events/s ({done:,} in {elapsed:.1f} s; load {before:.2f} →"
            f" {os.getloadavg()[0]:.2f})" + (f"; {len(errors)} failed: {errors[0]}" if errors else ""),
            ANCHORS["ingest"],
        )


# Writers during a province's month rebuild --------------------------------------------------------------

WAIT_WRITERS, WAIT_ROUNDS = 4, 5


def _copy_write(template: int, month: date) -> tuple[float, float]:
    """One write on the rollup's path in its own transaction: a copy of the ``template`` event's row, then
    ``rollup.apply`` (the county's chain head, its month lock, its cells, its stamp). Returns its start and end
    (``perf_counter``)."""
    from django.db import connection, transaction

    from jianfu.core.partitions import add_months
    from jianfu.monitoring.models import BurdenEvent
    from jianfu.monitoring.services import rollup

    started = time.perf_counter()
    with transaction.atomic():
        with connection.cursor() as c:
            c.execute(
                f"INSERT INTO {pg_loader.TABLE} ({pg_loader.COLUMNS}) SELECT {pg_loader.COLUMNS}"
                f" FROM {pg_loader.TABLE} WHERE id = %s AND occurred_on >= %s AND occurred_on < %s RETURNING id",
                [template, month, add_months(month, 1)],
            )
            pk = c.fetchone()[0]
        event = BurdenEvent.objects.get(pk=pk, occurred_on__gte=month)
        rollup.apply(event, rollup.contribution(event))
    return started, time.perf_counter()


def _templates(month: date) -> list[int]:
    """An event of the month in each of ``WAIT_WRITERS`` counties spread over the province, the first among them."""
    from django.db import connection

    from jianfu.core.partitions import add_months
    from jianfu.orgs.models import Level, Region

    counties = list(Region.objects.filter(level=Level.COUNTY).order_by("code"))
    templates = []
    with connection.cursor() as c:
        for county in counties[:: max(1, len(counties) // WAIT_WRITERS)][:WAIT_WRITERS]:
            upper = county.prefix[:-1] + chr(ord(county.prefix[-1]) + 1)
            c.execute(
                f"SELECT id FROM {pg_loader.TABLE} WHERE occurred_on >= %s AND occurred_on < %s"
                " AND region_code >= %s AND region_code < %s AND review = '' LIMIT 1",
                [month, add_months(month, 1), county.prefix, upper],
            )
            templates.append(c.fetchone()[0])
    return templates


def _write_loop(template: int, month: date, ends: float | None, stop, results) -> None:
    """One writer process (its own connection, no GIL shared with the rebuild): writes until ``ends`` or ``stop``."""
    from django.db import connection

    from .bench_ingest import _connect

    spans: list[tuple[float, float]] = []
    try:
        connection.close()  # never the parent's socket
        _connect(connection)
        while not stop.is_set() and (ends is None or time.perf_counter() < ends):
            spans.append(_copy_write(template, month))
    finally:
        connection.close()
        results.put(spans)


def _writing(templates: list[int], month: date, ends: float | None):
    """One process per template writing into ``month`` until ``ends`` (``perf_counter``) or the returned ``stop``
    is set; ``collect()`` joins them and returns every write's (start, end)."""
    from django.db import connection

    context = multiprocessing.get_context("fork")
    stop, results = context.Event(), context.Queue()
    connection.close()  # the children must not share this process's socket
    processes = [context.Process(target=_write_loop, args=(t, month, ends, stop, results)) for t in templates]
    for process in processes:
        process.start()

    def collect() -> list[tuple[float, float]]:
        spans = [span for _ in processes for span in results.get()]
        for process in processes:
            process.join()
        return spans

    return stop, collect


def rebuild_wait(out, month: date = date(2025, 6, 1)) -> None:
    """How long a writer waits while the province's month is rebuilt: ``WAIT_WRITERS`` processes, each in a county
    of its own, write into the month in a loop (``_copy_write``) — first for 5 s with nothing else running, then
    while the province's month is rebuilt ``WAIT_ROUNDS`` times in a row (the writes that overlap a rebuild are
    counted). A write's wall time is its transaction: what it waited for and its own work."""
    from jianfu.monitoring.services import rollup
    from jianfu.orgs.models import Level, Region

    templates = _templates(month)
    province = Region.objects.get(level=Level.PROVINCE)
    _, collect = _writing(templates, month, time.perf_counter() + 5)
    quiet = collect()
    stop, collect = _writing(templates, month, None)
    rounds: list[tuple[float, float]] = []
    try:
        time.sleep(0.5)  # the writers connected and writing
        for _ in range(WAIT_ROUNDS):
            started = time.perf_counter()
            cells = rollup.rebuild_month(month, province.code)
            rounds.append((started, time.perf_counter()))
    finally:
        stop.set()
        busy = collect()
    during = [(a, b) for a, b in busy if any(a < end and b > start for start, end in rounds)]

    def shown(spans: list[tuple[float, float]]) -> str:
        ms = [(b - a) * 1000 for a, b in spans]
        return f"{len(ms):,} writes: p50 {percentile(ms, 50):.1f} ms, p99 {percentile(ms, 99):.1f} ms, max {max(ms):.1f} ms"

    took = [(b - a) * 1000 for a, b in rounds]
    n = len(templates)
    out.add(f"writes into {month:%Y-%m}, {n} writers in {n} counties, nothing else running", shown(quiet))
    out.add(
        f"the same while the province's month is rebuilt ({WAIT_ROUNDS}×, {cells:,} cells,"
        f" p50 {percentile(took, 50):,.0f} ms each)",
        shown(during) + f"; {load()}",
        "one county's step",
    )


# The run --------------------------------------------------------------------------------------------------


def _beside_duckdb(ctx, out, ids, size: int, requests: int, first: dict, say):
    """The rows exported to DuckDB, then the lists, dashboards, rollup rebuilds and searches, each beside DuckDB's
    same figure; returns the open DuckDB connection."""
    say("DuckDB export")
    started = time.perf_counter()
    duck = duck_of(ctx)
    out.add(
        "export to DuckDB (COPY → CSV → table, a month at a time)", f"{time.perf_counter() - started:.1f} s"
    )
    say("lists")
    lists(out, ids, size, requests, duck, first)
    say("dashboards")
    dashboards(out, ids, requests, duck)
    say("rollup rebuilds")
    rebuilds(out, ids, duck)
    say("search")
    searches(out, ids, requests, first)
    return duck


def run(ctx, sizes: list[int], requests: int, max_load_minutes: float, writers: bool = True) -> Table:
    database = fresh(ctx)
    say("geography (80,000 villages)")
    ids = geography()
    table = Table(f"PostgreSQL at province scale — {database}, 80,000 villages, events over 36 months")
    loaded, first, per_million = 0, {}, {}
    for size in sizes:
        out = Sized(table, size)
        say(f"load {loaded:,} → {size:,}")
        took = pg_loader.load(loaded, size, ids["monitor"].pk, say=say)
        added, loaded = size - loaded, size
        bytes_ = pg_loader.sizes()
        per_million = {
            "load": took["load"] / added * 1e6,
            "indexes": took["indexes"] / size * 1e6,
            "rollup": took["rollup"] / size * 1e6,
            "bytes": bytes_["total"] / size * 1e6,
        }
        out.add(
            f"load {added:,} events (INSERT … SELECT, indexes off)",
            f"{took['load']:.1f} s, {added / took['load']:,.0f} rows/s; {load()}",
        )
        out.add(
            "rebuild the secondary indexes (per partition) + ANALYZE", f"{took['indexes']:.1f} s; {load()}"
        )
        out.add("rollup: rebuild_month × 36 (the services' cells)", f"{took['rollup']:.1f} s; {load()}")
        out.add(
            "size of the events (heap / indexes / total)",
            f"{bytes_['heap'] / 1e9:.2f} / {bytes_['indexes'] / 1e9:.2f} / {bytes_['total'] / 1e9:.2f} GB ="
            f" {per_million['bytes'] / 1e9:.3f} GB per million; rollup tables {bytes_['rollup'] / 1e6:.0f} MB",
        )
        _beside_duckdb(ctx, out, ids, size, requests, first, say).close()
        if size == sizes[0] and writers:
            say("ingest, 50 processes")
            ingest(out)
        print(table.render() + "\n(so far)\n", flush=True)
        if took["load"] + took["indexes"] + took["rollup"] > max_load_minutes * 60:
            table.add("larger sizes skipped", f"{size:,} took over {max_load_minutes:g} minutes to load")
            break
    target = 120_000_000
    table.add(
        f"estimate at 120M from the {loaded / 1e6:g}M per-million figures (linear)",
        f"load {per_million['load'] * target / 1e6 / 60:.0f} min + indexes"
        f" {per_million['indexes'] * target / 1e6 / 60:.0f} min + rollup {per_million['rollup'] * target / 1e6 / 60:.0f}"
        f" min; {per_million['bytes'] * target / 1e6 / 1e9:.0f} GB",
        "the issue's 120M",
    )
    table.add("load average at the end", f"{load()} on {os.cpu_count()} CPUs")
    return table


def township_departments(out, ids: dict, requests: int) -> None:
    """The township dashboard's department chart, read from the township's events of the year (no department
    cells per township): p50, and the plan of its query."""
    from jianfu.monitoring import dashboard

    from .bench_monitoring import YEAR

    def read():
        return list(dashboard._departments(ids["township"], YEAR, None, None))

    wall, _ = p50(read, requests)
    plans = [explain(sql) for sql in captured(read)]
    out.add(
        f"township department chart from its events ({len(read())} departments)",
        f"p50 {wall:.1f} ms; EXPLAIN ANALYZE "
        + "; ".join(f"{p['ms']:.2f} ms {p['buffers']:,} buf {p['partitions']} parts" for p in plans)
        + f"; scans {sorted(set().union(*(p['scans'] for p in plans)))}; {load()}",
        "the county's department cells",
    )


def cold_pages(out, ids: dict, requests: int) -> None:
    """The province and county dashboard pages with the cache emptied before every request (the province's
    month sums then summed again from the county cells), beside the warm figure of ``dashboards``."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from .bench_monitoring import YEAR

    client = Client()
    client.force_login(ids["inspector"])
    for level in ("county", "province"):
        page = f"{reverse('monitoring:dashboard')}?region={ids[level].code}&year={YEAR}"
        client.get(page)
        times = []
        for _ in range(requests):
            cache.clear()
            started = time.perf_counter()
            assert client.get(page).status_code == 200
            times.append((time.perf_counter() - started) * 1000)
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            client.get(page)
        out.add(
            f"{level} dashboard page (logged in), cache cold",
            f"p50 {percentile(times, 50):.1f} ms, {len(queries.captured_queries)} queries; {load()}",
            "the warm row above",
        )


# Phases on a kept database (the 120M run) ---------------------------------------------------------------

PHASES = ("events", "indexes", "rollup", "figures", "rebuild-wait")
TIMES = "bench_loader_times"  # seconds of each phase's steps, kept in the database between runs


def open_database(ctx, name: str, reuse: bool) -> dict:
    """The named database, made and migrated when missing (or when not ``reuse``d), with its geography."""
    from django.core.management import call_command
    from django.db import connection

    from jianfu.orgs.models import Level, Region, User

    from .harness import _admin_connection

    connection.close()
    with _admin_connection(ctx.postgres_url) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    if not reuse or not exists:
        _recreate_pg_database(ctx.postgres_url, name)
    connection.settings_dict["NAME"] = name
    call_command("migrate", verbosity=0, interactive=False)
    with connection.cursor() as c:
        c.execute(f"CREATE TABLE IF NOT EXISTS {TIMES} (phase text, seconds float, rows bigint, note text)")
    if not Region.objects.filter(level=Level.VILLAGE).exists():
        say("geography (80,000 villages)")
        return geography()
    return {
        "monitor": User.objects.get(username="bench_monitor"),
        "inspector": User.objects.get(username="bench_inspector"),
        "county": Region.objects.filter(level=Level.COUNTY).order_by("code").first(),
        "province": Region.objects.get(level=Level.PROVINCE),
        "village": Region.objects.filter(level=Level.VILLAGE).order_by("code").first(),
        "township": Region.objects.filter(level=Level.TOWNSHIP).order_by("code").first(),
    }


def note_time(phase: str, seconds: float, rows: int) -> None:
    from django.db import connection

    with connection.cursor() as c:
        c.execute(f"INSERT INTO {TIMES} VALUES (%s, %s, %s, %s)", [phase, seconds, rows, load()])


def free_gb() -> float:
    import shutil

    return shutil.disk_usage("/").free / 1e9


def _next_utc(hh_mm: str) -> datetime:
    """The next time the UTC clock reads ``hh_mm``: ``--until 00:20`` given at 23:10 means in 70 minutes, not
    at once (a string comparison with the clock stopped a load started before midnight at its first step)."""
    hour, minute = (int(part) for part in hh_mm.split(":"))
    now = datetime.now(UTC)
    at = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
    return at if at > now else at + timedelta(days=1)


def events_phase(ids: dict, target: int, chunk: int, sessions: int, until: str, min_free: float) -> int:
    """Grow the events to ``target`` rows a chunk at a time (every chunk spread over the 36 months, so any
    stop leaves the same shape), resuming an interrupted chunk first; stop after the chunk in which the UTC
    clock passed ``until`` (HH:MM), or at once when the disk's free space falls under ``min_free`` GB."""
    from django.db import connection

    deadline = _next_utc(until) if until else None

    def past_until() -> bool:
        return deadline is not None and datetime.now(UTC) >= deadline

    def may_go_on() -> bool:
        if free_gb() < min_free:
            say(f"STOP: {free_gb():.1f} GB free, under {min_free:g} GB")
            return False
        return True

    pg_loader.prepare(ids["monitor"].pk)
    pg_loader.save_and_drop_indexes()
    while True:
        loaded = pg_loader.loaded_rows()
        with connection.cursor() as c:
            c.execute(
                f"SELECT start, stop FROM {pg_loader.DONE} GROUP BY 1, 2 HAVING count(*) < %s",
                [pg_loader.MONTHS],
            )
            pending = c.fetchone()
        if pending:
            start, stop = pending
        elif loaded >= target or past_until():
            return loaded
        else:
            start, stop = loaded, min(loaded + chunk, target)
        say(f"events {start:,} → {stop:,} ({free_gb():.1f} GB free)")
        started = time.perf_counter()
        whole = pg_loader.load_events(
            start, stop, ids["monitor"].pk, sessions=sessions, may_go_on=may_go_on, say=say
        )
        note_time("events", time.perf_counter() - started, stop - start if whole else 0)
        if not whole:
            return pg_loader.loaded_rows()


def run_phases(ctx, args) -> None:
    phases = [p for p in args.phase.split(",") if p]
    unknown = set(phases) - set(PHASES)
    assert not unknown, f"unknown phases {unknown}"
    ids = open_database(ctx, args.database, args.reuse)
    target = int(args.events.split(",")[-1])
    if "events" in phases:
        loaded = events_phase(ids, target, args.chunk, args.sessions, args.until, args.min_free_gb)
        say(f"events phase ended at {loaded:,} rows ({free_gb():.1f} GB free)")
    if "indexes" in phases:
        started = time.perf_counter()
        pg_loader.build_indexes(sessions=args.sessions, memory=args.index_memory, say=say)
        note_time("indexes", time.perf_counter() - started, pg_loader.loaded_rows())
        say(f"indexes built ({free_gb():.1f} GB free)")
    if "rollup" in phases:
        started = time.perf_counter()
        pg_loader.build_rollup(sessions=args.sessions, say=say)
        note_time("rollup", time.perf_counter() - started, pg_loader.loaded_rows())
        say(f"rollup built ({free_gb():.1f} GB free)")
    if "figures" in phases:
        print(figures(ctx, ids, args.requests, not args.no_ingest).render(), flush=True)
    if "rebuild-wait" in phases:
        size = pg_loader.loaded_rows()
        table = Table(f"Writers during a province month rebuild — {size:,} events")
        rebuild_wait(Sized(table, size))
        print(table.render(), flush=True)


def figures(ctx, ids: dict, requests: int, writers: bool) -> Table:
    """Every figure of ``run`` on the database as it stands (its phases' times from ``TIMES``)."""
    from django.db import connection

    size = pg_loader.loaded_rows()
    table = Table(f"PostgreSQL at province scale — {connection.settings_dict['NAME']}, {size:,} events")
    out = Sized(table, size)
    with connection.cursor() as c:
        c.execute(f"SELECT phase, sum(seconds), sum(rows), string_agg(note, ' · ') FROM {TIMES} GROUP BY 1")
        for phase, seconds, rows, notes in c.fetchall():
            rows = int(rows)
            rate = f", {rows / seconds:,.0f} rows/s" if phase == "events" and seconds else ""
            out.add(f"phase {phase} ({rows:,} rows)", f"{seconds:,.1f} s{rate}; loads at its steps: {notes}")
    bytes_ = pg_loader.sizes()
    out.add(
        "size of the events (heap / indexes / total)",
        f"{bytes_['heap'] / 1e9:.2f} / {bytes_['indexes'] / 1e9:.2f} / {bytes_['total'] / 1e9:.2f} GB ="
        f" {bytes_['total'] / size * 1e6 / 1e9:.3f} GB per million; rollup tables {bytes_['rollup'] / 1e6:.0f} MB",
    )
    first: dict = {}
    duck = _beside_duckdb(ctx, out, ids, size, requests, first, say)
    say("the township's department chart, from its events")
    township_departments(out, ids, requests)
    say("dashboard pages, sum cache cold")
    cold_pages(out, ids, requests)
    duck.close()
    (ctx.workdir / "ev.duckdb").unlink()
    print(table.render() + "\n(so far)\n", flush=True)
    if writers:
        say("ingest, 50 processes")
        ingest(out)
    table.add("load average at the end", f"{load()} on {os.cpu_count()} CPUs")
    return table


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_pg_scale", description=__doc__)
    parser.add_argument("--events", default="1000000,10000000", help="sizes to grow through, comma-separated")
    parser.add_argument("--requests", type=int, default=10)
    parser.add_argument(
        "--max-load-minutes",
        type=float,
        default=12,
        help="stop growing after a size that took longer to load",
    )
    parser.add_argument(
        "--postgres", default=os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/postgres"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument("--no-ingest", action="store_true", help="leave out the 50 writer processes")
    parser.add_argument(
        "--phase",
        default="",
        help=f"run only these phases ({','.join(PHASES)}) on --database, kept; the target is --events' last",
    )
    parser.add_argument(
        "--database", default=os.environ.get("JIANFU_BENCH_DB", pg_name("jianfu_bench_pg_scale"))
    )
    parser.add_argument("--reuse", action="store_true", help="with --phase: go on with the database as it is")
    parser.add_argument(
        "--sessions", type=int, default=1, help="parallel PostgreSQL sessions (months at once)"
    )
    parser.add_argument("--chunk", type=int, default=10_000_000, help="with --phase events: rows a step")
    parser.add_argument("--until", default="", help="with --phase events: no new step after this UTC HH:MM")
    parser.add_argument("--min-free-gb", type=float, default=8, help="stop loading under this much free disk")
    parser.add_argument("--index-memory", default="1GB", help="maintenance_work_mem of each index session")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    ctx = configure(postgres_url=args.postgres, keep=args.keep or bool(args.phase))
    import django

    django.setup()
    if args.phase:
        try:
            run_phases(ctx, args)
        finally:
            cleanup(ctx)  # keeps the database: a phase run never drops it
        return
    try:
        sizes = [int(s) for s in args.events.split(",")]
        print(run(ctx, sizes, args.requests, args.max_load_minutes, not args.no_ingest).render(), flush=True)
    finally:
        cleanup(ctx)


if __name__ == "__main__":
    main()
