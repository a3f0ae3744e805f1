"""Monthly range partitions of the large append-mostly tables, on PostgreSQL only (SQLite keeps plain tables).

A table is turned into ``PARTITION BY RANGE (<date column>)`` by its app's migration (``convert``), one
partition a month (``<table>_p202611``) and a ``DEFAULT`` partition for a stray date. The apps register their
tables here (``register_table``) from ``AppConfig.ready()``, so the monthly job ``core.partitions``
(``maintain``) and the ``partitions`` command handle them without the floor importing a domain app:

- creates the next ``AHEAD`` months' partitions (moving any rows the DEFAULT partition holds for them);
- reports a DEFAULT partition that is not empty (a date outside every partition: a typo or a back-dated import);
- detaches the months older than the table's retention, oldest first, when the table's guard allows it (the
  audit table: only behind a signed checkpoint; findings and grid events: only when none of the month is still
  open). A detached partition is a plain table the operator archives (``pg_dump -t``) and drops; its rows are
  gone from every query at once, with no DELETE and no vacuum. The rows of a table's ``children`` (a finding's
  steps, a grid event's steps) that belong to the month move into an archive table beside it in the same step;
- finishes a detach cut short: the detach itself commits on its own (``CONCURRENTLY``), the archiving of the
  children, the table's ``after_detach`` and the audit record in a second transaction. A month left detached
  without that record (the second transaction failed, or the job stopped between the two; or a ``DETACH …
  CONCURRENTLY`` interrupted, which ``FINALIZE`` completes) is found on the next run and finished
  (``finish_detached``), once: the ``partition.detach`` audit record naming the partition is the mark.

Registered now: burden events, audit records, findings, grid events (each app's ``apps.py``).
"""

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time

from django.db import connection, transaction
from django.utils import timezone

log = logging.getLogger(__name__)

AHEAD = 3  # months made ahead of the current one
NAME = re.compile(r"_p(\d{4})(\d{2})$")


@dataclass(frozen=True)
class Partitioned:
    """A table partitioned by month on ``column``. ``retention_months()`` says how many months to keep (None:
    keep all); ``guard(partition, start, end)`` returns why a month may not be detached yet ("" when it may);
    ``after_detach(partition, start, end)`` runs in the same transaction as the detach's audit record.
    ``children``: (table, column) pairs whose rows point at this table's ``id`` and hold no meaning without it
    (history steps); they follow a detached month into ``<partition>_<table>`` (``archive_children``)."""

    table: str
    column: str
    label: str
    retention_months: Callable[[], int | None] = lambda: None
    guard: Callable[[str, date, date], str] = lambda name, start, end: ""
    after_detach: Callable[[str, date, date], None] | None = None
    children: tuple[tuple[str, str], ...] = ()


TABLES: dict[str, Partitioned] = {}


def register_table(table: str, *, column: str, label: str, **hooks) -> Partitioned:
    TABLES[table] = Partitioned(table=table, column=column, label=label, **hooks)
    return TABLES[table]


def enabled() -> bool:
    return connection.vendor == "postgresql"


def lock_unique(scope: str, *parts) -> None:
    """Hold "one row per key" on a partitioned table, where a unique index must hold the month and so cannot say
    it: an advisory lock on (``scope``, ``parts``) until the transaction ends, taken before the writer looks for
    the row, so a racing second writer waits for the first, then finds its row. SQLite keeps its unique index
    (and serialises writers anyway)."""
    if not enabled():
        return
    assert connection.in_atomic_block, "the key lock lives as long as the transaction"
    key = ":".join(str(p) for p in (scope, *parts))
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [key])


# Months ------------------------------------------------------------------------------------------------


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def parse_month(text: str) -> date:
    """``2026-11`` → 2026-11-01, with a Chinese message naming the field otherwise."""
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", (text or "").strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ValueError(f"月份“{text}”格式不对，应为 YYYY-MM，例如 2026-11")
    return date(int(match.group(1)), int(match.group(2)), 1)


def partition_name(table: str, month: date) -> str:
    return f"{table}_p{month:%Y%m}"


# Reading the catalogue ---------------------------------------------------------------------------------


def is_partitioned(table: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_partitioned_table WHERE partrelid = to_regclass(%s)", [table])
        return cursor.fetchone() is not None


def months(table: str) -> list[date]:
    """The months that have a partition attached, oldest first."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = to_regclass(%s)",
            [table],
        )
        names = [row[0] for row in cursor.fetchall()]
    found = [NAME.search(n) for n in names]
    return sorted(date(int(m.group(1)), int(m.group(2)), 1) for m in found if m)


def default_rows(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT count(*) FROM "{table}_default"')
        return cursor.fetchone()[0]


def unsettled_rows(partition: str, column: str, settled) -> int:
    """Rows of one month's partition whose ``column`` is none of the ``settled`` values: the count a table's
    retention guard holds a month back by (work still open there is not archived, however old)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT count(*) FROM "{partition}" WHERE NOT ("{column}" = ANY(%s))',  # noqa: S608  our own names
            [[str(value) for value in settled]],
        )
        return cursor.fetchone()[0]


# Creating ----------------------------------------------------------------------------------------------


def create_month(table: str, column: str, month: date) -> bool:
    """Make the partition for ``month`` (False if it exists). Rows the DEFAULT partition holds for that month
    move into it first: PostgreSQL refuses to attach a range the DEFAULT partition has rows for."""
    if month in months(table):
        return False
    name = partition_name(table, month)
    low, high = _bounds(table, month)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f'CREATE TABLE "{name}" (LIKE "{table}" INCLUDING DEFAULTS INCLUDING CONSTRAINTS)')
        cursor.execute(
            f'WITH moved AS (DELETE FROM "{table}_default" WHERE "{column}" >= %s AND "{column}" < %s '
            f'RETURNING *) INSERT INTO "{name}" SELECT * FROM moved',
            [low, high],
        )
        cursor.execute(
            f'ALTER TABLE "{table}" ATTACH PARTITION "{name}" FOR VALUES FROM (%s) TO (%s)', [low, high]
        )
    return True


def create_ahead(spec: Partitioned, today: date | None = None, ahead: int = AHEAD) -> list[date]:
    """The current month and the next ``ahead`` ones, each made if missing."""
    first = month_start(today or timezone.localdate())
    wanted = [add_months(first, n) for n in range(ahead + 1)]
    return [m for m in wanted if create_month(spec.table, spec.column, m)]


# Detaching ---------------------------------------------------------------------------------------------


def detach_month(table: str, month: date) -> None:
    """``DETACH PARTITION … CONCURRENTLY`` (readers and writers keep going), outside any transaction.

    PostgreSQL refuses CONCURRENTLY while a DEFAULT partition is attached, so the DEFAULT partition is detached
    for the moment it takes and attached again (a check of its few rows); a stray date written in that moment
    is refused and the writer sees an error, which is the price of never blocking the table."""
    assert connection.get_autocommit(), "DETACH … CONCURRENTLY cannot run inside a transaction"
    name = partition_name(table, month)
    with connection.cursor() as cursor:
        cursor.execute(f'ALTER TABLE "{table}" DETACH PARTITION "{table}_default"')
        try:
            cursor.execute(f'ALTER TABLE "{table}" DETACH PARTITION "{name}" CONCURRENTLY')
        finally:
            cursor.execute(f'ALTER TABLE "{table}" ATTACH PARTITION "{table}_default" DEFAULT')


def expired(spec: Partitioned, today: date | None = None) -> list[date]:
    """Attached months wholly older than the retention period, oldest first (never the current month)."""
    keep = spec.retention_months()
    if not keep:
        return []
    cutoff = add_months(month_start(today or timezone.localdate()), -keep)
    return [m for m in months(spec.table) if add_months(m, 1) <= cutoff]


def detach_expired(
    spec: Partitioned, *, by: str = "定时任务", today: date | None = None
) -> tuple[list[date], str]:
    """Detach the expired months oldest first; stop at the first the table's guard holds back (and say why)."""
    done: list[date] = []
    for month in expired(spec, today):
        reason = spec.guard(partition_name(spec.table, month), month, add_months(month, 1))
        if reason:
            return done, reason
        detach(spec, month, by=by)
        done.append(month)
    return done, ""


def detach(spec: Partitioned, month: date, *, by: str = "定时任务") -> None:
    detach_month(spec.table, month)
    settle_detached(spec, month, by=by)


def settle_detached(spec: Partitioned, month: date, *, by: str = "定时任务", resumed: bool = False) -> bool:
    """The second step of a detach, in one transaction: the children archived, the table's ``after_detach``, the
    audit record that marks the month done. Nothing (False) when that record exists already: a second job
    finishing the same month waits for the first at the month's lock, then finds its record."""
    from jianfu.audit.services import audit_record

    name, end = partition_name(spec.table, month), add_months(month, 1)
    with transaction.atomic():
        lock_unique("partition.detach", name)
        if name in detach_recorded(spec):
            return False
        archived = archive_children(spec, name)
        if spec.after_detach:
            spec.after_detach(name, month, end)
        after: dict[str, object] = {
            "table": spec.table,
            "partition": name,
            "month": f"{month:%Y-%m}",
            "archived": archived,
        }
        message = f"分离{spec.label} {month:%Y-%m} 的分区 {name}（待归档后删除）"
        if resumed:
            after["resumed"] = True
            message = f"补完{spec.label} {month:%Y-%m} 分区 {name} 上次中断的分离（归档关联记录并记审计）"
        audit_record(actor=None, action="partition.detach", username=by, message=message, after=after)
    return True


def detach_recorded(spec: Partitioned) -> set[str]:
    """The partitions of ``spec`` whose detach was finished (its audit record written)."""
    from jianfu.audit.models import AuditRecord

    records = AuditRecord.objects.filter(action="partition.detach", after__table=spec.table)
    return set(records.values_list("after__partition", flat=True))


def detached_months(table: str) -> list[date]:
    """Months of ``table`` whose partition is a plain table of its own (detached, not yet archived and
    dropped), oldest first; a detach left pending by an interrupted ``CONCURRENTLY`` is finalized first."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = to_regclass(%s) AND i.inhdetachpending",
            [table],
        )
        for (name,) in cursor.fetchall():
            if connection.get_autocommit():  # like CONCURRENTLY, FINALIZE runs outside any transaction
                cursor.execute(f'ALTER TABLE "{table}" DETACH PARTITION "{name}" FINALIZE')
        cursor.execute(
            "SELECT c.relname FROM pg_class c WHERE c.relkind = 'r' AND c.relispartition = false "
            "AND c.relnamespace = to_regnamespace(current_schema()) AND starts_with(c.relname, %s)",
            [f"{table}_p"],
        )
        names = [row[0] for row in cursor.fetchall()]
    pattern = re.compile(rf"^{re.escape(table)}_p(\d{{4}})(\d{{2}})$")
    found = [pattern.match(n) for n in names]
    return sorted(date(int(m.group(1)), int(m.group(2)), 1) for m in found if m)


def finish_detached(spec: Partitioned, *, by: str = "定时任务") -> list[date]:
    """Finish every month of ``spec`` detached without its second step (see the module docstring); idempotent.
    Returns the months finished now."""
    recorded = detach_recorded(spec)
    waiting = [m for m in detached_months(spec.table) if partition_name(spec.table, m) not in recorded]
    return [m for m in waiting if settle_detached(spec, m, by=by, resumed=True)]


def archive_children(spec: Partitioned, partition: str) -> dict[str, int]:
    """Move the rows of ``spec.children`` that belong to the detached ``partition`` into ``<partition>_<child>``
    (a plain table beside it, archived with it): a step kept without its finding or event would be shown
    nowhere and could not be read without the archive anyway. Returns rows moved per archive table."""
    moved = {}
    with connection.cursor() as cursor:
        for child, column in spec.children:
            archive = f"{partition}_{child}"[:63]
            # IF NOT EXISTS: a month attached again by hand and detached a second time adds to its archive.
            cursor.execute(f'CREATE TABLE IF NOT EXISTS "{archive}" (LIKE "{child}")')
            cursor.execute(
                f'WITH moved AS (DELETE FROM "{child}" WHERE "{column}" IN (SELECT id FROM "{partition}") '
                f'RETURNING *) INSERT INTO "{archive}" SELECT * FROM moved'
            )
            moved[archive] = cursor.rowcount
    return moved


# The monthly job ---------------------------------------------------------------------------------------


def maintain(today: date | None = None, by: str = "定时任务") -> str:
    """Partitions ahead, DEFAULT partitions reported, expired months detached: one line for the jobs page."""
    if not enabled():
        return "SQLite 不分区，无需处理"
    lines = [maintain_table(spec, today, by) for spec in TABLES.values() if is_partitioned(spec.table)]
    return "；".join(lines) or "没有分区表"


def record_created(spec: Partitioned, made: list[date], by: str) -> None:
    from jianfu.audit.services import audit_record

    if made:
        audit_record(
            actor=None,
            action="partition.create",
            username=by,
            message=f"新建{spec.label}分区 {'、'.join(f'{m:%Y-%m}' for m in made)}",
            after={"table": spec.table, "months": [f"{m:%Y-%m}" for m in made]},
        )


def maintain_table(spec: Partitioned, today: date | None = None, by: str = "定时任务") -> str:
    finished = finish_detached(spec, by=by)
    made = create_ahead(spec, today)
    record_created(spec, made, by)
    detached, held = detach_expired(spec, today=today, by=by)
    text = f"{spec.label}：新建 {len(made)} 个分区，分离 {len(detached)} 个"
    if finished:
        text += f"，补完 {len(finished)} 个上次中断的分离"
    stray = default_rows(spec.table)
    if stray:
        # A date outside every partition: a typo (2062) or a back-dated import. Say so; the operator makes
        # the month with `partitions --create YYYY-MM`, which moves the rows into it.
        log.warning("%s: %s rows in the DEFAULT partition", spec.table, stray)
        text += f"，默认分区有 {stray} 条日期超出已建分区的记录，请核对后建分区"
    if held:
        text += f"，{held}"
    return text


# Converting a table (the apps' migrations) ---------------------------------------------------------------


def convert(schema_editor, table: str, *, column: str, pk: str, uniques: tuple[str, ...] = ()) -> None:
    """Turn the plain ``table`` into one partitioned by month on ``column``, keeping its rows, its index names
    (Django finds them by name), its foreign keys and its id sequence. Nothing on SQLite; nothing twice.

    The primary key becomes (``pk``, ``column``): PostgreSQL wants the partition key in every unique index, so a
    unique index without it (``uniques`` names them) stays as a plain index and the writing service enforces it.
    Foreign keys *to* this table are dropped: a referencing row would have to carry the date, and a detached
    month would break them; the services that write those rows check the reference instead.
    """
    if schema_editor.connection.vendor != "postgresql" or is_partitioned(table):
        return
    _rebuild(table, f'PARTITION BY RANGE ("{column}")', f'PRIMARY KEY ("{pk}", "{column}")', uniques, column)


def unconvert(schema_editor, table: str, *, pk: str, uniques: tuple[str, ...] = (), apps=None) -> None:
    """The way back (a migration unapplied): a plain table with the same rows, indexes and keys.

    With the migration's ``apps``, the foreign keys *to* the table that ``convert`` dropped are made again as
    Django names them, ``NOT VALID``: rows that point into a month detached meanwhile are kept (a valid
    constraint would refuse the whole way back), new rows are checked; ``VALIDATE CONSTRAINT`` once the
    archived months are back."""
    if schema_editor.connection.vendor != "postgresql" or not is_partitioned(table):
        return
    _rebuild(table, "", f'PRIMARY KEY ("{pk}")', uniques, None)
    if apps is not None:
        _restore_references(schema_editor, apps, table)


def _restore_references(schema_editor, apps, table: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname FROM pg_constraint WHERE confrelid = to_regclass(%s) AND contype = 'f'", [table]
        )
        present = {row[0] for row in cursor.fetchall()}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.db_table == table:
            continue
        for field in model._meta.local_fields:
            remote = field.remote_field
            if not (remote and getattr(field, "db_constraint", False)):
                continue
            if remote.model._meta.db_table != table:
                continue
            statement = schema_editor._create_fk_sql(model, field, "_fk_%(to_table)s_%(to_column)s")
            if str(statement.parts["name"]).strip('"') not in present:
                schema_editor.execute(f"{statement} NOT VALID")


def _rebuild(table: str, partition_by: str, primary_key: str, uniques, column: str | None) -> None:
    old = f"{table}__old"
    with connection.cursor() as cursor:
        indexes, foreign = _definitions(cursor, table)
        _drop_references(cursor, table)
        cursor.execute(f'ALTER TABLE "{table}" RENAME TO "{old}"')
        cursor.execute(f'ALTER TABLE "{old}" RENAME CONSTRAINT "{table}_pkey" TO "{old}_pkey"')
        cursor.execute(
            f'CREATE TABLE "{table}" (LIKE "{old}" INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING IDENTITY)'
            f" {partition_by}"
        )
        cursor.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{table}_pkey" {primary_key}')
        if column:
            _first_partitions(cursor, table, old, column)
        cursor.execute(f'INSERT INTO "{table}" OVERRIDING SYSTEM VALUE SELECT * FROM "{old}"')
        cursor.execute(f'DROP TABLE "{old}" CASCADE')
        for name, definition in indexes:
            cursor.execute(_index_sql(definition, name, uniques, column))
        for name, definition in foreign:
            cursor.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
        pk_name = primary_key.split('"')[1]
        cursor.execute(
            f'SELECT setval(pg_get_serial_sequence(%s, %s), coalesce(max("{pk_name}"), 1), max("{pk_name}") '
            f'IS NOT NULL) FROM "{table}"',
            [table, pk_name],
        )


def _definitions(cursor, table: str):
    """The table's indexes (but the primary key's) and its own foreign keys, as SQL to make them again."""
    cursor.execute(
        "SELECT i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
        "WHERE x.indrelid = to_regclass(%s) AND NOT x.indisprimary",
        [table],
    )
    indexes = cursor.fetchall()
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = to_regclass(%s) "
        "AND contype IN ('f', 'u')",
        [table],
    )
    foreign = [(n, d) for n, d in cursor.fetchall() if d.startswith("FOREIGN KEY")]
    return indexes, foreign


def _drop_references(cursor, table: str) -> None:
    cursor.execute(
        "SELECT conrelid::regclass::text, conname FROM pg_constraint WHERE confrelid = to_regclass(%s) "
        "AND contype = 'f' AND conrelid <> confrelid",
        [table],
    )
    for referencing, name in cursor.fetchall():
        cursor.execute(f'ALTER TABLE {referencing} DROP CONSTRAINT "{name}"')


def _index_sql(definition: str, name: str, uniques, column: str | None) -> str:
    """The index as it was (read before the rename, so it names this table); unique only where PostgreSQL
    allows it (see ``convert``), and unique again on the way back."""
    definition = definition.replace(" ON ONLY ", " ON ", 1)  # a partitioned parent's index reads back so
    columns = definition.split(" USING ", 1)[1].split(")")[0]
    if column is None and name in uniques:
        return definition.replace("CREATE INDEX", "CREATE UNIQUE INDEX", 1)
    if column and definition.startswith("CREATE UNIQUE") and not re.search(rf"\b{column}\b", columns):
        return definition.replace("CREATE UNIQUE INDEX", "CREATE INDEX", 1)
    return definition


def _first_partitions(cursor, table: str, old: str, column: str) -> None:
    """A partition for every month the rows have, through ``AHEAD`` months from now, and the DEFAULT."""
    cursor.execute(f'SELECT min("{column}") FROM "{old}"')
    first = cursor.fetchone()[0]
    if isinstance(first, datetime):
        first = timezone.localtime(first).date()
    now = month_start(timezone.localdate())
    month = min(month_start(first), now) if first else now
    while month <= add_months(now, AHEAD):
        low, high = _bounds(table, month)
        cursor.execute(
            f'CREATE TABLE "{partition_name(table, month)}" PARTITION OF "{table}" FOR VALUES FROM (%s) TO (%s)',
            [low, high],
        )
        month = add_months(month, 1)
    cursor.execute(f'CREATE TABLE "{table}_default" PARTITION OF "{table}" DEFAULT')


def _bounds(table: str, month: date):
    """A month's bounds in the column's type: local midnight for a timestamp (a record made at 00:30 on the 1st,
    Beijing time, belongs to that month), the date itself for a date."""
    if _is_timestamp(table):
        start = timezone.make_aware(datetime.combine(month, time()))
        return start, timezone.make_aware(datetime.combine(add_months(month, 1), time()))
    return month, add_months(month, 1)


def _is_timestamp(table: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT format_type(a.atttypid, a.atttypmod) FROM pg_partitioned_table p "
            "JOIN pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0] "
            "WHERE p.partrelid = to_regclass(%s)",
            [table],
        )
        row = cursor.fetchone()
    return bool(row) and row[0].startswith("timestamp")
