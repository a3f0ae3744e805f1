"""Fill burden events at database speed on PostgreSQL (#23): one ``INSERT … SELECT generate_series`` a month.

Python only sends 36 statements; PostgreSQL computes every row. Row ``i`` (0 … n-1) of a load is:

- day ``i % DAYS`` from ``FIRST_DAY`` (2023-01-01 … 2025-12-31, every day the same share), so the rows of a
  month are ``i = k * DAYS + d`` for the month's days ``d``: each statement fills one monthly partition;
- village ``(i * 48271) % V`` of the province (48271 is prime to 80,000: every village, no day pattern), its
  county's department ``(i * 13) % 20``, type ``(i * 7) % 9``, hours ``((i * 17) % 8) / 2``, a violation when
  ``(i * 11) % 10 < 2``;
- 事项 and 描述 from ``bench_search``'s texts (subject ``(i * 7) % 1000``, description ``i % 997``), so its
  rare and frequent phrases find the same share of rows as there.

Villages, departments and texts are joined from small temporary tables (a hash join each; an array subscript
would walk the array for every row). A load ``[start, stop)`` adds to what is there, so a bench can grow 1M →
10M. The secondary indexes are dropped before and rebuilt after (each partition's index built once, from
sorted rows, not grown row by row), then ANALYZE.

The rollup cells are then what the services would hold: ``rollup.rebuild_month`` for each month, the same code
the ``monitoring_rollup`` command runs (one grouped scan of the month's events). ``tests/monitoring/
test_pg_loader.py`` checks at small scale that every stored cell equals a direct count of the events and that
an event recorded afterwards through ``services.event_record`` moves its cells by exactly itself.
"""

import time
from datetime import date, timedelta

TABLE = "monitoring_burdenevent"
FIRST_DAY, DAYS = date(2023, 1, 1), 1096  # 2023-01-01 … 2025-12-31
MONTHS = 36
KINDS = ("meeting", "inspection", "form", "certificate", "task", "app", "group", "placard", "other")
VILLAGE_STEP = 48271
DEPARTMENTS_PER_COUNTY = 20
COLUMNS = (
    "village_id, region_code, kind, department_id, subject, occurred_on, hours, description,"
    " demanded_materials, certificate_code, photo, origin, reporter_id, anonymous, review, review_note,"
    " idempotency_key, verdict, check_rule, check_detail, check_url, created_at, version"
)


def months() -> list[date]:
    from jianfu.core import partitions

    return [partitions.add_months(FIRST_DAY, n) for n in range(MONTHS)]


def prepare(reporter_id: int) -> dict:
    """Partitions for the 36 months, and the temporary lookup tables of this session (villages by index in
    code order, each village's county index, departments by county, the texts). Returns counts the SQL uses."""
    from django.db import connection

    from jianfu.core import partitions
    from jianfu.orgs.models import Level

    from .bench_search import _texts

    for month in months():
        partitions.create_month(TABLE, "occurred_on", month)
    subjects, descriptions = _texts()
    with connection.cursor() as c:
        c.execute("DROP TABLE IF EXISTS bench_v, bench_d, bench_s, bench_t")
        c.execute(
            "CREATE TEMP TABLE bench_v AS SELECT (row_number() OVER (ORDER BY code) - 1)::int AS idx, id,"
            " code, dense_rank() OVER (ORDER BY substring(code, 1, 6)) - 1 AS county FROM orgs_region"
            " WHERE level = %s",
            [int(Level.VILLAGE)],
        )
        c.execute(
            "CREATE TEMP TABLE bench_d AS SELECT (dense_rank() OVER (ORDER BY r.code) - 1) * %s"
            " + row_number() OVER (PARTITION BY r.code ORDER BY d.id) - 1 AS idx, d.id FROM orgs_department d"
            " JOIN orgs_region r ON r.id = d.region_id WHERE r.level = %s",
            [DEPARTMENTS_PER_COUNTY, int(Level.COUNTY)],
        )
        c.execute("CREATE TEMP TABLE bench_s (idx int, t text)")
        c.execute("CREATE TEMP TABLE bench_t (idx int, t text)")
        c.executemany("INSERT INTO bench_s VALUES (%s, %s)", list(enumerate(subjects)))
        c.executemany("INSERT INTO bench_t VALUES (%s, %s)", list(enumerate(descriptions)))
        c.execute("ANALYZE bench_v; ANALYZE bench_d; ANALYZE bench_s; ANALYZE bench_t")
        # The geography was just bulk-created: without statistics PostgreSQL expected 120 regions instead of
        # 82,111, and the pages' region picker planned for that (25 ms a page, found by pagefast).
        c.execute("ANALYZE orgs_region; ANALYZE orgs_department")
        c.execute("SELECT count(*) FROM bench_v")
        villages = c.fetchone()[0]
        c.execute("SELECT count(*), count(DISTINCT county) FROM bench_v")
        counties = c.fetchone()[1]
        c.execute("SELECT count(*) FROM bench_d")
        departments = c.fetchone()[0]
    assert departments == counties * DEPARTMENTS_PER_COUNTY, "every county needs its 20 departments"
    return {
        "villages": villages,
        "subjects": len(subjects),
        "descriptions": len(descriptions),
        "reporter": reporter_id,
    }


def month_sql(month: date, start: int, stop: int, shape: dict) -> tuple[str, list]:
    """The INSERT … SELECT of rows ``start <= i < stop`` whose day falls in ``month``."""
    from jianfu.core import partitions

    first = (month - FIRST_DAY).days
    last = (partitions.add_months(month, 1) - FIRST_DAY).days - 1
    kinds = "ARRAY[" + ", ".join(f"'{k}'" for k in KINDS) + "]"
    sql = (
        f"INSERT INTO {TABLE} ({COLUMNS}) "
        f"SELECT v.id, v.code, ({kinds})[1 + (s.i * 7) %% 9], d.id, subj.t, %s::date + (s.i %% {DAYS})::int,"
        " ((s.i * 17) %% 8) / 2.0, descr.t, false, '', '', 'monitor', %s, false, '', '', '',"
        " CASE WHEN (s.i * 11) %% 10 < 2 THEN 'violation' ELSE 'ok' END,"
        " CASE WHEN (s.i * 11) %% 10 < 2 THEN '规则' ELSE '' END, '', '',"
        f" (%s::date + (s.i %% {DAYS})::int) + TIME '12:00', 1"
        f" FROM (SELECT k * {DAYS} + day AS i FROM generate_series(%s::bigint, %s::bigint) k,"
        " generate_series(%s, %s) day) s"
        f" JOIN bench_v v ON v.idx = (s.i * {VILLAGE_STEP}) %% %s"
        f" JOIN bench_d d ON d.idx = v.county * {DEPARTMENTS_PER_COUNTY} + (s.i * 13) %% {DEPARTMENTS_PER_COUNTY}"
        " JOIN bench_s subj ON subj.idx = (s.i * 7) %% %s"
        " JOIN bench_t descr ON descr.idx = s.i %% %s"
        " WHERE s.i >= %s AND s.i < %s"
    )
    params = [
        FIRST_DAY,
        shape["reporter"],
        FIRST_DAY,
        start // DAYS,
        (stop - 1) // DAYS,
        first,
        last,
        shape["villages"],
        shape["subjects"],
        shape["descriptions"],
        start,
        stop,
    ]
    return sql, params


def secondary_indexes() -> list[tuple[str, str]]:
    from django.db import connection

    with connection.cursor() as c:
        c.execute(
            "SELECT i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x JOIN pg_class i ON i.oid ="
            " x.indexrelid WHERE x.indrelid = to_regclass(%s) AND NOT x.indisprimary AND NOT x.indisunique",
            [TABLE],
        )
        return c.fetchall()


# Phases on a kept database (the 120M run: events, then indexes, then rollup, each resumable) ----------------

DONE = "bench_loader_done"  # (start, stop, month) of every month statement committed
SAVED = "bench_loader_index"  # the secondary indexes as the migrations made them: parent, and per partition


def _run(jobs: list, work, sessions: int) -> list:
    """``work(job)`` for every job; with ``sessions`` > 1 in that many threads, each its own connection (so
    its own PostgreSQL backend, one core each), pulling the next job as it finishes one."""
    if sessions <= 1:
        return [work(job) for job in jobs]
    import queue
    import threading

    from django.db import connection

    todo: queue.Queue = queue.Queue()
    for job in jobs:
        todo.put(job)
    results, errors = [], []

    def session() -> None:
        try:
            while not errors:
                try:
                    job = todo.get_nowait()
                except queue.Empty:
                    return
                results.append(work(job))
        except BaseException as exc:  # noqa: BLE001  re-raised below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=session) for _ in range(sessions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results


def save_and_drop_indexes() -> int:
    """Make the load's own bookkeeping tables (``DONE``, ``SAVED``). Record (once) every secondary index of the events, the parent's and each partition's (names and
    definitions as the migrations and ``create_month`` made them), then drop them; returns how many."""
    from django.db import connection

    with connection.cursor() as c:
        c.execute(f"CREATE TABLE IF NOT EXISTS {DONE} (start bigint, stop bigint, month date)")
        c.execute(
            f"CREATE TABLE IF NOT EXISTS {SAVED} (parent text, parent_def text, child text, child_def text,"
            " partition text)"
        )
        c.execute(f"SELECT count(*) FROM {SAVED}")
        if not c.fetchone()[0]:
            c.execute(
                f"INSERT INTO {SAVED} SELECT pi.relname, pg_get_indexdef(px.indexrelid), ci.relname,"
                " pg_get_indexdef(ci.oid), ct.relname FROM pg_index px JOIN pg_class pi ON pi.oid = px.indexrelid"
                " JOIN pg_inherits h ON h.inhparent = px.indexrelid JOIN pg_class ci ON ci.oid = h.inhrelid"
                " JOIN pg_index cx ON cx.indexrelid = ci.oid JOIN pg_class ct ON ct.oid = cx.indrelid"
                " WHERE px.indrelid = to_regclass(%s) AND NOT px.indisprimary AND NOT px.indisunique",
                [TABLE],
            )
        c.execute(f"SELECT DISTINCT parent FROM {SAVED}")
        parents = [name for (name,) in c.fetchall()]
        for name in parents:
            c.execute(f'DROP INDEX IF EXISTS "{name}"')
    return len(parents)


def loaded_rows() -> int:
    """Rows ``0 … n-1`` loaded whole: the stop of the last load whose every month committed."""
    from django.db import connection

    with connection.cursor() as c:
        c.execute(f"SELECT to_regclass('{DONE}') IS NOT NULL")
        if not c.fetchone()[0]:
            return 0
        c.execute(
            f"SELECT coalesce(max(stop), 0) FROM (SELECT stop FROM {DONE} GROUP BY start, stop HAVING count(*) = %s) x",
            [MONTHS],
        )
        return int(c.fetchone()[0])


def load_events(
    start: int,
    stop: int,
    reporter_id: int,
    *,
    sessions: int = 1,
    may_go_on=lambda: True,
    say=lambda text: None,
) -> bool:
    """Rows ``start`` … ``stop - 1``, one INSERT … SELECT a month, each committed with its mark in ``DONE`` (a
    month already marked is skipped: an interrupted load resumes). ``sessions`` months at once. Returns False
    when ``may_go_on()`` said stop before every month was in."""
    from django.db import connection, transaction

    first = prepare(reporter_id)  # the partitions, once, before the sessions
    with connection.cursor() as c:
        c.execute(f"CREATE TABLE IF NOT EXISTS {DONE} (start bigint, stop bigint, month date)")
        c.execute(f"SELECT month FROM {DONE} WHERE start = %s AND stop = %s", [start, stop])
        done = {m for (m,) in c.fetchall()}
    todo = [m for m in months() if m not in done]
    shapes: dict = {}
    stopped = []

    def month_job(month: date) -> None:
        if stopped or not may_go_on():
            stopped.append(month)
            return
        import threading

        key = threading.get_ident()
        if key not in shapes:
            shapes[key] = prepare(reporter_id)  # this session's temporary tables
        sql, params = month_sql(month, start, stop, shapes[key])
        with transaction.atomic(), connection.cursor() as c:
            # this transaction only: its commit does not wait for the WAL flush (a crash loses the month, whose
            # mark goes with it, so a resumed load does it again)
            c.execute("SET LOCAL synchronous_commit = off")
            c.execute(sql, params)
            c.execute(f"INSERT INTO {DONE} VALUES (%s, %s, %s)", [start, stop, month])
        say(f"loaded {month:%Y-%m} of rows {start:,} … {stop:,}")

    if sessions <= 1:
        shapes[__import__("threading").get_ident()] = first
    _run(todo, month_job, sessions)
    return not stopped


def build_indexes(*, sessions: int = 1, memory: str = "1GB", say=lambda text: None) -> None:
    """The saved secondary indexes back: each parent ON ONLY, then each partition's index built by one of
    ``sessions`` sessions (a partition at a time, ``maintenance_work_mem`` set in that session) and attached
    to its parent; an index already there is kept (resumable); each partition then vacuumed (outside a test's
    transaction). Then ANALYZE."""
    from django.db import connection

    with connection.cursor() as c:
        if connection.in_atomic_block:  # a test's transaction: the deferred foreign keys are checked first
            c.execute("SET CONSTRAINTS ALL IMMEDIATE")
        c.execute(f"SELECT DISTINCT parent, parent_def FROM {SAVED} ORDER BY parent")
        for name, sql in c.fetchall():
            c.execute("SELECT to_regclass(%s) IS NULL", [name])
            if c.fetchone()[0]:
                c.execute(
                    sql
                )  # CREATE INDEX … ON ONLY the parent: invalid until every partition's is attached
        c.execute(
            f"SELECT partition, array_agg(parent ORDER BY parent), array_agg(child ORDER BY parent),"
            f" array_agg(child_def ORDER BY parent) FROM {SAVED} GROUP BY partition ORDER BY partition"
        )
        jobs = c.fetchall()

    def partition_job(job) -> None:
        partition, parents, children, defs = job
        with connection.cursor() as c:
            c.execute(f"SET maintenance_work_mem = '{memory}'")
            c.execute("SET max_parallel_maintenance_workers = 0")  # one core per session
            for parent, child, sql in zip(parents, children, defs, strict=True):
                c.execute("SELECT to_regclass(%s) IS NULL", [child])
                if c.fetchone()[0]:
                    c.execute(sql)
                c.execute(
                    "SELECT NOT EXISTS (SELECT 1 FROM pg_inherits WHERE inhrelid = to_regclass(%s))", [child]
                )
                if c.fetchone()[0]:
                    c.execute(f'ALTER INDEX "{parent}" ATTACH PARTITION "{child}"')
            if not connection.in_atomic_block:
                # what autovacuum does to an insert-only month (PostgreSQL 13+): the visibility map that lets
                # a township's chart count from ``event_region_day`` alone (index-only scans)
                c.execute(f'VACUUM (ANALYZE) "{partition}"')
        say(f"indexes of {partition}")

    _run(jobs, partition_job, sessions)
    with connection.cursor() as c:
        c.execute(
            "SELECT count(*) FROM pg_index WHERE indrelid = to_regclass(%s) AND NOT indisvalid", [TABLE]
        )
        assert c.fetchone()[0] == 0, "a parent index was left without a partition's"
        c.execute(f"ANALYZE {TABLE}")


def build_rollup(*, sessions: int = 1, say=lambda text: None) -> None:
    """``rollup.rebuild_month`` for every month, ``sessions`` months at once (each its own transaction and
    month lock: they do not wait for each other)."""
    from jianfu.monitoring.services import rollup

    def month_job(month: date) -> None:
        rollup.rebuild_month(month)
        say(f"rollup {month:%Y-%m}")

    _run(months(), month_job, sessions)


def load(start: int, stop: int, reporter_id: int, *, sessions: int = 1, say=lambda text: None) -> dict:
    """Add rows ``start`` … ``stop - 1``; returns seconds of the load, of the index rebuild + ANALYZE, and of
    the rollup rebuild (every month), and the rows added."""
    prepare(reporter_id)
    save_and_drop_indexes()
    started = time.perf_counter()
    load_events(start, stop, reporter_id, sessions=sessions, say=say)
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    build_indexes(sessions=sessions, say=say)
    indexed = time.perf_counter() - started
    started = time.perf_counter()
    build_rollup(sessions=sessions, say=say)
    rolled = time.perf_counter() - started
    return {"rows": stop - start, "load": loaded, "indexes": indexed, "rollup": rolled}


def row(i: int) -> dict:
    """Row ``i`` as the SQL computes it, the columns a test checks (village index, type, day, verdict)."""
    return {
        "village": (i * VILLAGE_STEP),  # modulo the number of villages, by the caller
        "kind": KINDS[(i * 7) % 9],
        "day": FIRST_DAY + timedelta(days=i % DAYS),
        "hours": ((i * 17) % 8) / 2,
        "verdict": "violation" if (i * 11) % 10 < 2 else "ok",
    }


def sizes() -> dict:
    """Bytes of the events' partitions: heap (with TOAST), indexes, total; and of the two rollup tables."""
    from django.db import connection

    with connection.cursor() as c:
        c.execute(
            "SELECT coalesce(sum(pg_table_size(inhrelid)), 0), coalesce(sum(pg_indexes_size(inhrelid)), 0)"
            " FROM pg_inherits WHERE inhparent = to_regclass(%s)",
            [TABLE],
        )
        heap, indexes = c.fetchone()
        c.execute(
            "SELECT pg_total_relation_size('monitoring_monthlyrollup')"
            " + pg_total_relation_size('monitoring_departmentrollup')"
        )
        rollup = c.fetchone()[0]
    return {"heap": int(heap), "indexes": int(indexes), "total": int(heap + indexes), "rollup": int(rollup)}
