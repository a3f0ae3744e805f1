"""Benchmark: the events list's text search (事项或描述) at 1M events, before and after, in the same run.

The province of ``bench_monitoring`` (20,000 villages) with ``--search-events`` events whose 事项 and 描述 are
real-looking Chinese (1,000 subjects × 997 descriptions, e.g. "县人社局要求报送社保台账"), loaded straight into
the table (the text index follows the load: SQLite's FTS5 triggers fire per row, PostgreSQL's GIN indexes are
built after the COPY). Each query is then timed as the database work of the province inspector's list page,
page 1 (the page's own selector and ``keyset_page``: the rows and the bounded count; no template), three ways
on the same rows:

- **before: icontains, every row** — what the issue measured (1,235 ms at 1M): a LIKE over the whole scope;
- **before: icontains, newest 50,000** — what the page did until this change: the same LIKE bounded to the
  newest events (fast, but it does not find an older event, and the page says so);
- **after: trigram index** — ``core.textsearch``: FTS5 ``MATCH`` on SQLite, a pg_trgm GIN index on
  PostgreSQL, over the whole scope. One- and two-character queries keep the bounded window (no trigram to
  look up), so the two-character row shows the same way twice.

    python -m bench --only search [--search-events 1000000] [--postgres [URL]]
"""

import os
import time
from datetime import date

from .bench_monitoring import DEPARTMENTS_PER_COUNTY, KINDS, SHAPE, YEAR, build_geography
from .harness import Table, fresh_database, percentile

ANCHOR_MS = 1235  # the issue (#23): province-wide list with an icontains search at 1M events, SQLite
TARGET_MS = 100.0
SUBJECTS, DESCRIPTIONS = 1000, 997

UNITS = (
    "县人社局",
    "县民政局",
    "县农业农村局",
    "县卫健局",
    "县应急管理局",
    "县住建局",
    "县教育局",
    "县统计局",
)
ACTS = ("要求报送", "通知填报", "督促整理", "临时抽调人员参加", "要求拍照上传", "检查", "布置")
THINGS = (
    "社保台账",
    "低保名册",
    "防汛值班表",
    "人居环境整治照片",
    "创卫迎检材料",
    "安全生产检查记录",
    "义务教育控辍保学表",
    "粮食种植面积统计",
    "危房改造档案",
    "疫苗接种花名册",
)
TAILS = ("，限三天内完成", "，需村干部签字盖章", "，每周一报", "，要求纸质和电子各一份", "，已多次重复报送")

# (label, query): a subject that 1 event in 1,000 has; a thing that 1 in 10 has; a unit in the descriptions
# (1 in 8); a phrase no event has; two characters (the window).
QUERIES = [
    ("rare (0.1%)", "县统计局督促整理防汛值班表"),
    ("one in ten", "危房改造档案"),
    ("unit, in descriptions", "县应急管理局"),
    ("no event has it", "迎检材料汇编"),
    ("two characters", "低保"),
]


def _texts() -> tuple[list[str], list[str]]:
    subjects = [
        f"{UNITS[(n // len(THINGS)) % len(UNITS)]}{ACTS[n % len(ACTS)]}{THINGS[n % len(THINGS)]}"
        + (f"（第{n // 80 + 1}批）" if n >= 80 else "")
        for n in range(SUBJECTS)
    ]
    descriptions = [
        f"{UNITS[n % len(UNITS)]}工作人员电话{ACTS[(n // 3) % len(ACTS)]}{THINGS[(n // 7) % len(THINGS)]}"
        f"{TAILS[n % len(TAILS)]}。"
        for n in range(DESCRIPTIONS)
    ]
    return subjects, descriptions


def generate(n: int, ids: dict) -> float:
    """Load ``n`` events with text; returns seconds (the text index kept up to date included)."""
    from django.db import connection, transaction

    from jianfu.orgs.models import Department, Level, Region

    villages = list(Region.objects.filter(level=Level.VILLAGE).order_by("id").values_list("id", "code"))
    first_department = Department.objects.order_by("id").values_list("id", flat=True).first()
    subjects, descriptions = _texts()
    if connection.vendor == "postgresql":  # the year's monthly partitions, as a province node has them
        from jianfu.core import partitions

        for month in range(1, 13):
            partitions.create_month("monitoring_burdenevent", "occurred_on", date(YEAR, month, 1))
    started = time.perf_counter()
    with transaction.atomic():
        if connection.vendor == "sqlite":
            _generate_sqlite(n, villages[0][0], len(villages), first_department, ids, subjects, descriptions)
        else:
            _generate_postgres(n, villages, first_department, ids, subjects, descriptions)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.vendor == "sqlite" else "ANALYZE monitoring_burdenevent")
    return time.perf_counter() - started


def _generate_sqlite(n, first_village, villages, first_department, ids, subjects, descriptions) -> None:
    from django.db import connection

    per_county = SHAPE[2] * SHAPE[3]
    kinds = " ".join(f"WHEN {k} THEN '{kind}'" for k, kind in enumerate(KINDS))
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE bench_s (id INTEGER PRIMARY KEY, t TEXT)")
        cursor.execute("CREATE TEMP TABLE bench_d (id INTEGER PRIMARY KEY, t TEXT)")
        cursor.executemany("INSERT INTO bench_s VALUES (%s, %s)", list(enumerate(subjects)))
        cursor.executemany("INSERT INTO bench_d VALUES (%s, %s)", list(enumerate(descriptions)))
        cursor.execute(
            "INSERT INTO monitoring_burdenevent (village_id, region_code, kind, department_id, subject, occurred_on,"
            " hours, description, demanded_materials, certificate_code, photo, origin, reporter_id, anonymous,"
            " review, review_note, idempotency_key, verdict, check_rule, check_detail, check_url, created_at, version)"
            f" WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i < {n - 1})"
            f" SELECT {first_village} + i % {villages}, r.code, CASE (i * 7) % 9 {kinds} END,"
            f" {first_department} + ((i % {villages}) / {per_county}) * {DEPARTMENTS_PER_COUNTY} + (i * 13) % 20,"
            f" s.t, date('{YEAR}-01-01', '+' || ((i * 31) % 365) || ' days'), 1.0, d.t, 0, '', '', 'monitor',"
            f" {ids['monitor'].pk}, 0, '', '', '', 'ok', '', '', '', '{YEAR}-12-31 00:00:00', 1"
            f" FROM seq JOIN orgs_region r ON r.id = {first_village} + i % {villages}"
            f" JOIN bench_s s ON s.id = (i * 7) % {SUBJECTS} JOIN bench_d d ON d.id = i % {DESCRIPTIONS}"
        )


def _generate_postgres(n, villages, first_department, ids, subjects, descriptions) -> None:
    from django.db import connection

    per_county = SHAPE[2] * SHAPE[3]
    columns = (
        "village_id, region_code, kind, department_id, subject, occurred_on, hours, description,"
        " demanded_materials, certificate_code, photo, origin, reporter_id, anonymous, review, review_note,"
        " idempotency_key, verdict, check_rule, check_detail, check_url, created_at, version"
    )
    first_day = time.mktime((YEAR, 1, 1, 12, 0, 0, 0, 0, 0))
    days = [time.strftime("%Y-%m-%d", time.localtime(first_day + d * 86400)) for d in range(365)]
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY monitoring_burdenevent ({columns}) FROM STDIN") as copy,
    ):
        for start in range(0, n, 100_000):
            lines = []
            for i in range(start, min(start + 100_000, n)):
                v = i % len(villages)
                department = first_department + (v // per_county) * DEPARTMENTS_PER_COUNTY + (i * 13) % 20
                lines.append(
                    f"{villages[v][0]}\t{villages[v][1]}\t{KINDS[(i * 7) % 9]}\t{department}\t"
                    f"{subjects[(i * 7) % SUBJECTS]}\t{days[(i * 31) % 365]}\t1.0\t{descriptions[i % DESCRIPTIONS]}"
                    f"\tf\t\t\tmonitor\t{ids['monitor'].pk}\tf\t\t\t\tok\t\t\t\t{YEAR}-12-31\t1\n"
                )
            copy.write("".join(lines))


def _time_list(user, filters: dict, requests: int) -> tuple[list[float], list[float]]:
    """Milliseconds of the list's database work for page 1 (the events page's own calls: the scoped, filtered
    queryset, then ``keyset_page``'s bounded count and rows), without the template: the search is the point."""
    from django.test import RequestFactory

    from jianfu.core import keyset
    from jianfu.core.keyset import keyset_page
    from jianfu.monitoring import selectors

    request = RequestFactory().get("/monitoring/events/")

    def once() -> None:
        events, _ = selectors.events_and_window(user, filters, newest_first=True)
        # The count's bound as the events view sets it for a search (keyset.SEARCH_COUNT_LIMIT).
        keyset_page(request, events, date_field="occurred_on", count_limit=keyset.SEARCH_COUNT_LIMIT)

    once()  # warm: the scope's regions, the statement cache
    times, cpu = [], []
    for _ in range(requests):
        started, cpu_started = time.perf_counter(), time.process_time()
        once()
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
    return times, cpu


def run(ctx, events: int, requests: int) -> Table:
    from jianfu.core import textsearch
    from jianfu.monitoring import selectors

    fresh_database(ctx, "search")
    ids = build_geography()
    load_s = generate(events, ids)
    table = Table(
        f"Text search on the events list — {ctx.backend}, {events:,} events, province inspector, page 1"
    )
    table.add("load events (text index kept in step)", f"{load_s:.1f} s")
    province = ids["province"].code
    real_indexed, real_search = textsearch.indexed, selectors._search

    def every_row(qs, index, query):  # the LIKE over the whole scope, as before the window (no edge query)
        return textsearch.matching(qs, index, query), 0

    real_frequent = textsearch._frequent
    never = lambda *_: False  # noqa: E731
    ways = {
        "icontains, every row": (lambda q: False, every_row, real_frequent),
        "icontains, newest 50,000": (lambda q: False, real_search, real_frequent),
        # The index for every phrase, frequent or not (before the newest-rows probe, #23).
        "index, no probe": (real_indexed, real_search, never),
        "trigram index": (real_indexed, real_search, real_frequent),
    }
    figures: dict[str, dict[str, float]] = {}
    cpus: dict[str, dict[str, float]] = {}
    try:
        for way, (indexed, search, frequent) in ways.items():
            textsearch.indexed, selectors._search, textsearch._frequent = indexed, search, frequent
            for label, q in QUERIES:
                times, cpu = _time_list(ids["inspector"], {"region": province, "q": q}, requests)
                figures.setdefault(label, {})[way] = percentile(times, 50)
                cpus.setdefault(label, {})[way] = percentile(cpu, 50)
    finally:
        textsearch.indexed, selectors._search = real_indexed, real_search
        textsearch._frequent = real_frequent
    for label, q in QUERIES:
        found = selectors.events(ids["inspector"], {"region": province, "q": q}).count()
        row = figures[label]
        after = row["trigram index"]
        table.add(
            f"search “{q}” ({label}; {found:,} found)",
            "; ".join(f"{way} p50 {ms:,.0f} ms ({cpus[label][way]:,.0f} CPU)" for way, ms in row.items()),
            f"index p50 < {TARGET_MS:.0f} ms (anchor {ANCHOR_MS:,} ms icontains)",
            after < TARGET_MS,
        )
    load1, load5, _ = os.getloadavg()
    table.add("load average (1 / 5 min) at the end", f"{load1:.2f} / {load5:.2f} on {os.cpu_count()} CPUs")
    return table
