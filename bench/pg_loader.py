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


def load(start: int, stop: int, reporter_id: int, *, say=lambda text: None) -> dict:
    """Add rows ``start`` … ``stop - 1``; returns seconds of the load, of the index rebuild + ANALYZE, and of
    the rollup rebuild (every month), and the rows added."""
    from django.db import connection, transaction

    from jianfu.monitoring.services import rollup

    shape = prepare(reporter_id)
    indexes = secondary_indexes()
    with connection.cursor() as c:
        c.execute("SET maintenance_work_mem = '256MB'")
        for name, _ in indexes:
            c.execute(f'DROP INDEX "{name}"')
    started = time.perf_counter()
    for n, month in enumerate(months(), start=1):
        sql, params = month_sql(month, start, stop, shape)
        with transaction.atomic(), connection.cursor() as c:
            c.execute(sql, params)
        if n % 6 == 0:
            say(f"loaded {n}/{MONTHS} months")
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    with connection.cursor() as c:
        if connection.in_atomic_block:  # a test's transaction: the deferred foreign keys are checked first
            c.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for name, sql in indexes:
            say(f"index {name}")
            # The parent's index reads back as CREATE INDEX … ON ONLY (the parent alone, children not built).
            c.execute(sql.replace(" ON ONLY ", " ON ", 1))
        c.execute(f"ANALYZE {TABLE}")
    indexed = time.perf_counter() - started
    started = time.perf_counter()
    for month in months():
        rollup.rebuild_month(month)
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
