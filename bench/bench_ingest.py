"""Benchmark: ingest of burden events through ``services.event_record`` with 50 writers on PostgreSQL (#23).

The province of bench_partitions (80,000 villages, 100 counties) is made; then 50 writer threads (one process,
one connection each) record 20 events each, twice:

- **spread**: the 50 writers in 50 different counties, as a province's monitors are;
- **one county**: the 50 writers in 50 villages of one county (the worst case for a per-county lock).

Each run prints events/s, wall time, this process's CPU time (``process_time``: the Python side of all 50
threads; PostgreSQL's own CPU is not in it), the load average, and what the writers waited on: a sampler
reads ``pg_stat_activity`` every 20 ms and counts the wait events of the writers' sessions, and for the row
sessions waiting on a lock the table their waiting statement names, so the next bottleneck is named, not
guessed.

    python -m bench --postgres URL --only ingest

Database: $JIANFU_BENCH_DB (default jianfu_bench_ingest).
"""

import os
import re
import threading
import time
from collections import Counter
from datetime import timedelta

from .harness import Table, _recreate_pg_database

WRITERS, PER_WRITER = 50, 20
SAMPLE_EVERY = 0.02


def fresh(ctx) -> str:
    from django.core.management import call_command
    from django.db import connection

    connection.close()
    name = os.environ.get("JIANFU_BENCH_DB", "jianfu_bench_ingest")
    _recreate_pg_database(ctx.postgres_url, name)
    ctx.created_databases.append(name)
    connection.settings_dict["NAME"] = name
    call_command("migrate", verbosity=0, interactive=False)
    return name


def crew(villages, tag: str) -> list:
    """One monitor per village, serving a point there; the department is one of the village's county's."""
    from jianfu.monitoring.models import MonitorAssignment, MonitoringPoint
    from jianfu.orgs.models import Department, RoleAssignment, User
    from jianfu.orgs.roles import Role

    members = []
    for n, village in enumerate(villages):
        user = User.objects.create(username=f"bench_{tag}{n}", full_name=f"监测员{n}", home_region=village)
        RoleAssignment.objects.create(user=user, role=Role.MONITOR, region=village)
        point = MonitoringPoint.objects.create(village=village)
        MonitorAssignment.objects.create(point=point, monitor=user)
        county = village.code[:6].ljust(12, "0")
        departments = list(Department.objects.filter(region__code=county).order_by("id"))
        members.append((user, village, departments[n % len(departments)]))
    return members


def spread_villages(shape) -> list:
    """The first village of every other county: 50 counties of the 100."""
    from jianfu.orgs.models import Level, Region

    per_county = shape[2] * shape[3]
    return list(Region.objects.filter(level=Level.VILLAGE).order_by("code")[:: per_county * 2][:WRITERS])


def one_county_villages(shape) -> list:
    """50 villages of the province's last county, spread over its townships."""
    from jianfu.orgs.models import Level, Region

    county = Region.objects.filter(level=Level.COUNTY).order_by("-code").first()
    villages = Region.objects.filter(level=Level.VILLAGE, code__startswith=county.code[:6]).order_by("code")
    return list(villages[:: max(1, shape[2] * shape[3] // WRITERS)][:WRITERS])


TABLE_IN_QUERY = re.compile(r'(?:FROM|UPDATE|INTO)\s+"(\w+)"', re.IGNORECASE)


class Waits:
    """What the writers' sessions wait on, sampled from pg_stat_activity: the wait event of each active session
    of this database, and for a session waiting on a lock the table its waiting statement names (a row lock
    shows as a wait on the holder's transaction id, so the statement is what names the row's table)."""

    def __init__(self):
        self.events: Counter = Counter()
        self.tables: Counter = Counter()
        self.samples = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self):
        from django.db import connection

        try:
            with connection.cursor() as cursor:
                while not self.stop.is_set():
                    cursor.execute(
                        "SELECT coalesce(wait_event_type || ':' || wait_event, 'on CPU'), wait_event_type, query "
                        "FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
                        "AND state = 'active'"
                    )
                    for event, kind, query in cursor.fetchall():
                        self.events[event] += 1
                        if kind == "Lock":
                            match = TABLE_IN_QUERY.search(query or "")
                            what = query.split()[0].upper() if query else "?"
                            self.tables[f"{what} {match.group(1) if match else query[:40]}"] += 1
                    self.samples += 1
                    time.sleep(SAMPLE_EVERY)
        finally:
            connection.close()

    def top(self, counter: Counter, n: int = 4) -> str:
        total = sum(counter.values()) or 1
        return ", ".join(f"{name} {count * 100 / total:.0f}%" for name, count in counter.most_common(n))


def _connect(connection) -> None:
    """Other sessions share the server's connection slots: wait for one rather than lose a writer."""
    for _ in range(240):
        try:
            connection.ensure_connection()
            return
        except Exception:  # noqa: BLE001  "too many clients": try again shortly
            time.sleep(0.5)
    connection.ensure_connection()


def ingest(members) -> tuple[float, float, list[str], Waits]:
    from django.db import connection
    from django.utils import timezone

    from jianfu.monitoring import services

    errors: list[str] = []
    day = timezone.localdate() - timedelta(days=1)
    barrier = threading.Barrier(len(members))

    def write(user, village, department):
        try:
            _connect(connection)  # every writer connected before the clock starts
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
        except Exception as exc:  # noqa: BLE001  reported in the table, not raised from a thread
            errors.append(repr(exc)[:200])
        finally:
            connection.close()

    waits = Waits()
    waits.thread.start()
    threads = [threading.Thread(target=write, args=member) for member in members]
    started, cpu = time.perf_counter(), time.process_time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    waits.stop.set()
    waits.thread.join()
    return elapsed, cpu, errors, waits


def _say(text: str) -> None:
    import sys

    print(f"  … {time.strftime('%H:%M:%S')} {text}", file=sys.stderr, flush=True)


def run(ctx) -> Table:
    from jianfu.monitoring.models import BurdenEvent

    from . import bench_partitions

    database = fresh(ctx)
    _say("geography")
    bench_partitions.build_geography()
    shape = bench_partitions.SHAPE
    table = Table(f"Ingest — PostgreSQL ({database}), {WRITERS} writers × {PER_WRITER} through event_record")
    for label, villages, tag in (
        ("spread over 50 counties", spread_villages(shape), "s"),
        ("all in one county", one_county_villages(shape), "c"),
    ):
        members = crew(villages, tag)
        counties = len({v.code[:6] for _, v, _ in members})
        before = BurdenEvent.objects.count()
        _say(f"ingest {label}")
        load = os.getloadavg()[0]
        elapsed, cpu, errors, waits = ingest(members)
        stored = BurdenEvent.objects.count() - before
        table.add(
            f"ingest, {label} ({counties} counties)",
            f"{stored / elapsed:,.1f} events/s ({stored:,} in {elapsed:.1f} s wall, {cpu:.1f} s CPU in this "
            f"process; load {load:.1f} → {os.getloadavg()[0]:.1f})"
            + (f"; {len(errors)} writers failed: {errors[0]}" if errors else ""),
            "18 events/s before (one audit chain head for the province)",
        )
        table.add(f"  waits of the writers ({label}, {waits.samples} samples)", waits.top(waits.events))
        table.add(f"  statements waiting on a lock ({label})", waits.top(waits.tables) or "none sampled")
    return table


# The audit chain alone ---------------------------------------------------------------------------------------


def append_audit(codes: list[str]) -> tuple[float, float, list[str], Waits]:
    """50 writers append 20 audit records each, one transaction a record, each under its own region code."""
    from django.db import connection, transaction

    from jianfu.audit.services import audit_record

    errors: list[str] = []
    barrier = threading.Barrier(len(codes))

    def write(code):
        try:
            _connect(connection)
            barrier.wait()
            for n in range(PER_WRITER):
                with transaction.atomic():
                    audit_record(actor=None, action="auth.logout", region_code=code, message=f"第 {n} 条")
        except Exception as exc:  # noqa: BLE001  reported in the table
            errors.append(repr(exc)[:200])
        finally:
            connection.close()

    waits = Waits()
    waits.thread.start()
    threads = [threading.Thread(target=write, args=(code,)) for code in codes]
    started, cpu = time.perf_counter(), time.process_time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    waits.stop.set()
    waits.thread.join()
    return elapsed, cpu, errors, waits


def run_audit(ctx) -> Table:
    """The audit chain without the rest of ``event_record``: what one chain per county changes by itself."""
    from jianfu.audit.models import AuditRecord
    from jianfu.audit.verify import audit_verify

    database = fresh(ctx)
    table = Table(f"Audit chain — PostgreSQL ({database}), {WRITERS} writers × {PER_WRITER} audit_record")
    spread = [f"53{p:02d}{c:02d}001001" for p in range(1, 11) for c in range(1, 6)][:WRITERS]
    one = [f"530101{t:03d}{v:03d}" for t in range(1, 6) for v in range(1, 11)][:WRITERS]
    for label, codes in (("spread over 50 counties", spread), ("all in one county", one)):
        before = AuditRecord.objects.count()
        load = os.getloadavg()[0]
        elapsed, cpu, errors, waits = append_audit(codes)
        stored = AuditRecord.objects.count() - before
        table.add(
            f"audit_record, {label}",
            f"{stored / elapsed:,.1f} records/s ({stored:,} in {elapsed:.1f} s wall, {cpu:.1f} s CPU in this "
            f"process; load {load:.1f} → {os.getloadavg()[0]:.1f})"
            + (f"; {len(errors)} writers failed: {errors[0]}" if errors else ""),
        )
        table.add(f"  statements waiting on a lock ({label})", waits.top(waits.tables) or "none sampled")
    table.add("the chain(s) verify afterwards", "yes" if audit_verify().ok else "NO")
    return table
