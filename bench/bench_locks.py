"""Benchmark: the lock slots a request and the partition job take on PostgreSQL, with the four partitioned tables
(burden events, findings, grid events, audit records) each holding 36 past months (+ the current, three ahead and
DEFAULT), as a province node has after three years.

Each figure is ``count(*) FROM pg_locks WHERE pid = pg_backend_pid()`` read at the end of one transaction (the
statement's locks are held to commit), beside its anchor measured in the same run: the same statement bounded to
one month, which partition pruning answers from that month alone. A plan that cannot prune (a newest-first list
over every month, a text search over every month) locks every partition and every index of each.

    python -m bench --postgres URL --only locks

Needs PostgreSQL. Database: jianfu_bench_locks (made and dropped by the run).
"""

from .harness import Table, fresh_database

MONTHS = 36


def _locks(work) -> int:
    from django.db import connection, transaction

    with transaction.atomic():
        work()
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_locks WHERE pid = pg_backend_pid()")
            return cursor.fetchone()[0]


def _setting(name: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SHOW {name}")
        return cursor.fetchone()[0]


def run(ctx) -> Table:
    from django.db import connection
    from django.utils import timezone

    from jianfu.audit.models import AuditRecord
    from jianfu.audit.services import audit_record
    from jianfu.core import partitions
    from jianfu.grid.models import GridEvent
    from jianfu.monitoring.models import BurdenEvent, Finding

    fresh_database(ctx, "locks")
    this_month = partitions.month_start(timezone.localdate())
    specs = [s for s in partitions.TABLES.values() if partitions.is_partitioned(s.table)]
    for spec in specs:
        for n in range(1, MONTHS + 1):
            partitions.create_month(spec.table, spec.column, partitions.add_months(this_month, -n))
    table = Table(
        f"Lock slots per transaction, PostgreSQL, {len(specs)} partitioned tables × {MONTHS} past months"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_class c WHERE c.relnamespace = to_regnamespace(current_schema()) "
            "AND c.relkind IN ('r', 'p', 'i', 'I', 'S')"
        )
        relations = cursor.fetchone()[0]
    for spec in specs:
        table.add(f"{spec.table}: partitions attached", str(len(partitions.months(spec.table)) + 1))
    month_end = partitions.add_months(this_month, 1)

    def page(model, order, **bound):
        return lambda: list(model.objects.filter(**bound).order_by(*order).values_list("pk", flat=True)[:50])

    lists = [
        (
            "events list, page 1 (newest first, every month)",
            BurdenEvent,
            ("-occurred_on", "-id"),
            "occurred_on",
        ),
        ("findings list, page 1", Finding, ("-occurred_on", "-id"), "occurred_on"),
        ("grid events list, page 1", GridEvent, ("-reported_at", "-id"), "reported_at"),
        ("audit list, page 1", AuditRecord, ("-seq",), "created_at"),
    ]
    for label, model, order, column in lists:
        every = _locks(page(model, order))
        bound = {f"{column}__gte": this_month, f"{column}__lt": month_end}
        one = _locks(page(model, order, **bound))
        table.add(label, f"{every} locks", f"anchor: one month {one}")

    def searched():
        q = "桃园村"
        list(BurdenEvent.objects.filter(subject__icontains=q).order_by("-occurred_on", "-id")[:50])
        list(AuditRecord.objects.filter(actor_name__icontains=q).order_by("-seq")[:50])

    table.add("events + audit text search, one transaction", f"{_locks(searched)} locks")

    def write():
        audit_record(actor=None, action="auth.logout", message="锁计数")

    table.add("a write service's audit record (insert, routed)", f"{_locks(write)} locks")

    def everything():
        for _, model, order, _column in lists:
            page(model, order)()
        write()

    heaviest = _locks(everything)
    table.add("all four lists and a write in one transaction", f"{heaviest} locks")
    spec = partitions.TABLES["monitoring_burdenevent"]
    ahead = partitions.add_months(this_month, partitions.AHEAD + 1)
    made = _locks(lambda: partitions.create_month(spec.table, spec.column, ahead))
    table.add("partition job: make one month (events)", f"{made} locks")
    old = partitions.add_months(this_month, -MONTHS)
    findings = partitions.TABLES["monitoring_finding"]
    partitions.detach_month(findings.table, old)
    settled = _locks(lambda: partitions.settle_detached(findings, old, by="bench"))
    table.add("partition job: archive a detached month's steps + audit (findings)", f"{settled} locks")
    table.add("a restore (one transaction): relations in the schema", f"~{relations} locks")
    table.add(
        "max_locks_per_transaction × (max_connections + max_prepared_transactions)",
        f"{_setting('max_locks_per_transaction')} × ({_setting('max_connections')} + "
        f"{_setting('max_prepared_transactions')})",
    )
    return table
