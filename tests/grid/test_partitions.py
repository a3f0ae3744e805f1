"""Grid events partitioned by month of ``reported_at`` on PostgreSQL (grid 0004, core/partitions.py; bounds at
local midnight): an event lands in its month, a retry with the same key is still one event without the unique
index, the search from the pg_trgm indexes on the parent, an expired month detached only once every event in it
is closed (its steps archived beside it), a stray date reported by the job, the migration round trip with rows.
SQLite keeps a plain table with its unique indexes: the migration does nothing there."""

import importlib
import threading
import time
from datetime import date, datetime, timedelta
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from jianfu.audit.models import AuditRecord
from jianfu.core import partitions, textsearch
from jianfu.grid import demo
from jianfu.grid.models import EVENT_TEXT, EventStep, GridEvent, Source
from jianfu.grid.services import events as workflow
from jianfu.orgs.demo import load_demo
from jianfu.orgs.models import Region, User

from .conftest import file_event

TABLE = "grid_gridevent"
on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL only: SQLite keeps a plain table"
)
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's plain table")


def this_month() -> date:
    return partitions.month_start(timezone.localdate())


def at(day: date, hour: int = 10):
    return timezone.make_aware(datetime.combine(day, datetime.min.time()) + timedelta(hours=hour))


def partition_of(event: GridEvent) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT tableoid::regclass::text FROM {TABLE} WHERE id = %s", [event.pk])
        return cursor.fetchone()[0]


@on_postgres
def test_an_event_lands_in_the_partition_of_its_month_by_local_midnight(world, grids):
    assert partitions.is_partitioned(TABLE)
    event = file_event(world, grids["LB-01"])
    assert partition_of(event) == partitions.partition_name(TABLE, this_month())
    # 00:30 Beijing time on the 1st of next month is still the 31st in UTC: the row goes by the local month.
    next_month = partitions.add_months(this_month(), 1)
    GridEvent.objects.filter(pk=event.pk).update(reported_at=at(next_month, 0) + timedelta(minutes=30))
    assert partition_of(event) == partitions.partition_name(TABLE, next_month)


def test_a_retry_with_the_same_key_is_the_same_event(world, grids):
    first = file_event(world, grids["LB-01"], idempotency_key="k-1")
    again = file_event(world, grids["LB-01"], idempotency_key="k-1")
    assert again.pk == first.pk and GridEvent.objects.filter(idempotency_key="k-1").count() == 1


@on_sqlite
def test_on_sqlite_the_unique_indexes_stay_and_the_migration_does_nothing(world, grids):
    first = file_event(world, grids["LB-01"])
    migration = importlib.import_module("jianfu.grid.migrations.0004_partition_events_by_month")
    editor = SimpleNamespace(connection=connection)  # what the migration reads; SQLite's own editor refuses
    migration.forwards(None, editor)  # to open inside the test's transaction
    migration.backwards(None, editor)
    copy = {
        f.attname: getattr(first, f.attname) for f in GridEvent._meta.concrete_fields if f.attname != "id"
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        GridEvent.objects.create(**copy)  # the same number
    assert partitions.maintain() == "SQLite 不分区，无需处理"


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_retries_of_one_hotline_ticket_are_one_event(monkeypatch):
    """No unique index on PostgreSQL; the advisory lock keeps the rule. Each filing is slowed between its
    look-up and its insert, so without the lock every retry would insert its own event."""
    load_demo()
    classes = {c.code: c for c in demo.load_classes()}
    demo.load_grids()
    community, centre = Region.objects.get(code=demo.JIEFANG), User.objects.get(username="cg_town")
    real = workflow._new_event

    def slow(*args, **kwargs):
        time.sleep(0.5)
        return real(*args, **kwargs)

    monkeypatch.setattr(workflow, "_new_event", slow)
    made, errors = [], []

    def send():
        try:
            event, created = workflow.event_report(
                actor=centre,
                report=workflow.Report(
                    event_class=classes["SR-01"],
                    community=community,
                    place="菜场门口",
                    description="市民来电：垃圾",
                ),
                source=Source.HOTLINE,
                source_system="12345",
                idempotency_key="GD-9",
            )
            made.append((event.pk, created))
        except Exception as exc:  # noqa: BLE001  shown by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert len({pk for pk, _ in made}) == 1 and sum(created for _, created in made) == 1
    assert GridEvent.objects.filter(idempotency_key="GD-9").count() == 1


@on_postgres
def test_the_search_is_answered_from_the_trigram_indexes_on_the_parent(world, grids):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relkind FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
            "JOIN pg_class c ON c.oid = x.indrelid WHERE i.relname = %s",
            [f"{TABLE}_place_trgm"],
        )
        assert cursor.fetchone() == ("p",)
    sql, params = textsearch.matching(GridEvent.objects.all(), EVENT_TEXT, "菜市场").query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Index Cond: (upper((number)::text) ~~" in plan, plan
    assert "Index Cond: (upper((place)::text) ~~" in plan, plan


@on_postgres
def test_the_job_makes_months_ahead_for_every_table_and_reports_a_stray_date(world, grids):
    event = file_event(world, grids["LB-01"])
    stray = at(timezone.localdate().replace(year=timezone.localdate().year - 2, month=1, day=15))
    GridEvent.objects.filter(pk=event.pk).update(reported_at=stray)
    assert partitions.default_rows(TABLE) == 1
    later = partitions.add_months(this_month(), 5)
    summary = partitions.maintain(today=later)
    assert "网格事件：新建 4 个分区" in summary and "问题：新建 4 个分区" in summary
    assert "网格事件：新建 4 个分区，分离 0 个，默认分区有 1 条" in summary
    for table in partitions.TABLES:
        assert partitions.add_months(later, 3) in partitions.months(table)
    assert AuditRecord.objects.filter(action="partition.create", after__table=TABLE).exists()

    call_command("partitions", "--create", f"{stray:%Y-%m}", "--table", TABLE)
    assert partitions.default_rows(TABLE) == 0
    assert partition_of(event) == partitions.partition_name(TABLE, partitions.month_start(stray.date()))


def _drop(*tables):
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f'DROP TABLE IF EXISTS "{table}"')


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_an_expired_month_is_detached_only_once_its_events_are_closed(world, grids):
    old = partitions.add_months(this_month(), -2)
    partitions.create_month(TABLE, "reported_at", old)
    gone = file_event(world, grids["LB-01"])
    GridEvent.objects.filter(pk=gone.pk).update(reported_at=at(old + timedelta(days=4)))
    kept_month = partitions.add_months(this_month(), 2)
    kept = file_event(world, grids["LB-01"], place="河堤")
    GridEvent.objects.filter(pk=kept.pk).update(reported_at=at(kept_month + timedelta(days=1)))
    spec = partitions.TABLES[TABLE]
    today = partitions.add_months(kept_month, 60)  # five years (the default) on, every earlier month expired
    done: list[date] = []
    try:
        done, held = partitions.detach_expired(spec, today=today)
        assert done == [] and "尚有 1 件未结案" in held
        GridEvent.objects.filter(pk=gone.pk).update(status="closed")
        done, held = partitions.detach_expired(spec, today=today)
        assert old in done and kept_month not in done and not held
        assert not GridEvent.objects.filter(pk=gone.pk).exists()
        assert GridEvent.objects.filter(pk=kept.pk).exists()
        assert old not in partitions.months(TABLE)
        assert not EventStep.objects.filter(event_id=gone.pk).exists()
        assert EventStep.objects.filter(event_id=kept.pk).exists()
        archive = f"{partitions.partition_name(TABLE, old)}_grid_eventstep"
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT DISTINCT event_id FROM "{archive}"')
            assert cursor.fetchall() == [(gone.pk,)]
        assert AuditRecord.objects.filter(
            action="partition.detach", after__partition=partitions.partition_name(TABLE, old)
        ).exists()
    finally:
        _drop(*(f"{partitions.partition_name(TABLE, m)}_grid_eventstep" for m in done))
        _drop(*(partitions.partition_name(TABLE, m) for m in done))
        for month in done:
            partitions.create_month(TABLE, "reported_at", month)


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_the_migration_converts_grid_events_with_their_rows_and_back(world, grids):
    ids = [file_event(world, grids["LB-01"], place=f"{n}号楼下").pk for n in range(3)]
    last_year = at(timezone.localdate().replace(year=timezone.localdate().year - 1, month=3, day=1))
    GridEvent.objects.filter(pk=ids[0]).update(reported_at=last_year)
    steps = EventStep.objects.count()

    call_command("migrate", "grid", "0003", verbosity=0)
    assert not partitions.is_partitioned(TABLE)
    assert sorted(GridEvent.objects.values_list("pk", flat=True)) == sorted(ids)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_constraint WHERE confrelid = to_regclass(%s) AND contype = 'f'", [TABLE]
        )
        assert cursor.fetchone()[0] == 1  # the steps' foreign key is back
        cursor.execute(
            "SELECT count(*) FROM pg_index WHERE indisunique AND indexrelid IN "
            "(to_regclass('grid_gridevent_number_key'), to_regclass('grid_event_idempotent'))"
        )
        assert cursor.fetchone()[0] == 2

    call_command("migrate", verbosity=0)
    assert partitions.is_partitioned(TABLE)
    assert partitions.month_start(timezone.localtime(last_year).date()) in partitions.months(TABLE)
    assert partitions.default_rows(TABLE) == 0
    assert sorted(GridEvent.objects.values_list("pk", flat=True)) == sorted(ids)
    assert EventStep.objects.count() == steps
    newer = file_event(world, grids["LB-01"], place="新楼")
    assert newer.pk > max(ids)
