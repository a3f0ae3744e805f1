"""Findings partitioned by month of ``occurred_on`` on PostgreSQL (monitoring 0010, core/partitions.py): a finding
lands in its month, one finding per source record without a unique index, the search from the pg_trgm index on
the parent, an expired month detached only once settled (its steps archived beside it), the migration round
trip with rows. SQLite keeps a plain table with its unique index: the migration does nothing there."""

import importlib
import threading
import time
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from jianfu.audit.models import AuditRecord
from jianfu.core import partitions, textsearch
from jianfu.core.checks import Check
from jianfu.monitoring.models import Finding, FindingStep
from jianfu.monitoring.models.findings import FINDING_TEXT
from jianfu.monitoring.services import findings as finding_services

TABLE = "monitoring_finding"
on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL only: SQLite keeps a plain table"
)
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's plain table")


def this_month() -> date:
    return partitions.month_start(timezone.localdate())


def intake(world, record_pk: int, day: date, subject="召开调度会要求村干部参加"):
    with transaction.atomic():
        return finding_services.finding_intake(
            source="visit",
            record_pk=record_pk,
            village=world.village_taoyuan,
            occurred_on=day,
            subject=subject,
            check=Check(False, "未列入年度督查检查计划"),
            department=world.dept_rs,
        )


def partition_of(finding: Finding) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT tableoid::regclass::text FROM {TABLE} WHERE id = %s", [finding.pk])
        return cursor.fetchone()[0]


@on_postgres
def test_a_finding_lands_in_the_partition_of_its_month(world):
    assert partitions.is_partitioned(TABLE)
    day = this_month() + timedelta(days=3)
    finding = intake(world, 1, day)
    assert partition_of(finding) == partitions.partition_name(TABLE, this_month())
    later = intake(world, 2, partitions.add_months(this_month(), 2))
    assert partition_of(later) == partitions.partition_name(TABLE, partitions.add_months(this_month(), 2))
    assert partitions.default_rows(TABLE) == 0


def test_one_finding_per_source_record(world):
    first = intake(world, 7, timezone.localdate())
    again = intake(world, 7, timezone.localdate())
    assert again.pk == first.pk and Finding.objects.filter(source_key="visit:7").count() == 1


@on_sqlite
def test_on_sqlite_the_unique_index_stays_and_the_migration_does_nothing(world):
    first = intake(world, 8, timezone.localdate())
    migration = importlib.import_module("jianfu.monitoring.migrations.0010_partition_findings_by_month")
    editor = SimpleNamespace(connection=connection)  # what the migration reads; SQLite's own editor refuses
    migration.forwards(None, editor)  # to open inside the test's transaction
    migration.backwards(None, editor)
    with pytest.raises(IntegrityError), transaction.atomic():  # the same source_key
        Finding.objects.create(
            **{
                f.attname: getattr(first, f.attname)
                for f in Finding._meta.concrete_fields
                if f.attname != "id"
            }
        )
    assert partitions.maintain() == "SQLite 不分区，无需处理"


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_two_intakes_of_one_record_at_once_make_one_finding(world, monkeypatch):
    """The unique index is gone on PostgreSQL; the advisory lock keeps the rule. Each intake is slowed between
    its look-up and its insert, so without the lock both would insert."""
    real = Finding.full_clean

    def slow(self, *args, **kwargs):
        time.sleep(0.5)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Finding, "full_clean", slow)
    made, errors = [], []

    def send():
        try:
            made.append(intake(world, 9, timezone.localdate()).pk)
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
    assert len(set(made)) == 1 and Finding.objects.filter(source_key="visit:9").count() == 1


@on_postgres
def test_the_search_is_answered_from_the_trigram_index_on_the_parent(world):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relkind FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
            "JOIN pg_class c ON c.oid = x.indrelid WHERE i.relname = %s",
            [f"{TABLE}_subject_trgm"],
        )
        assert cursor.fetchone() == ("p",)  # a partitioned index on the parent, made on every new month
    sql, params = textsearch.matching(Finding.objects.all(), FINDING_TEXT, "调度会").query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Index Cond: (upper((subject)::text) ~~" in plan, plan
    assert "Index Cond: (upper((department_text)::text) ~~" in plan, plan


def _drop(*tables):
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f'DROP TABLE IF EXISTS "{table}"')


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_an_expired_month_is_detached_only_once_its_findings_are_settled(world):
    old = partitions.add_months(this_month(), -2)
    partitions.create_month(TABLE, "occurred_on", old)
    gone = intake(world, 11, old + timedelta(days=4))
    kept_month = partitions.add_months(this_month(), 2)
    kept = intake(world, 12, kept_month + timedelta(days=1))
    spec = partitions.TABLES[TABLE]
    # Ten years (the default retention) after the month before ``kept_month``, every month before it expired.
    today = partitions.add_months(kept_month, 120)
    done: list[date] = []
    try:
        done, held = partitions.detach_expired(spec, today=today)
        assert done == [] and "尚有 1 条未办结" in held  # the old finding still waits for its judgement
        assert Finding.objects.filter(pk=gone.pk).exists()

        Finding.objects.filter(pk=gone.pk).update(state="dismissed")
        done, held = partitions.detach_expired(spec, today=today)
        assert old in done and kept_month not in done and not held
        assert not Finding.objects.filter(pk=gone.pk).exists()
        assert Finding.objects.filter(pk=kept.pk).exists()
        assert old not in partitions.months(TABLE)
        assert not FindingStep.objects.filter(finding_id=gone.pk).exists()
        assert FindingStep.objects.filter(finding_id=kept.pk).exists()
        archive = f"{partitions.partition_name(TABLE, old)}_monitoring_findingstep"
        with connection.cursor() as cursor:  # the month and its steps are plain tables for the archive
            cursor.execute(f'SELECT count(*) FROM "{partitions.partition_name(TABLE, old)}"')
            assert cursor.fetchone()[0] == 1
            cursor.execute(f'SELECT finding_id FROM "{archive}"')
            assert {row[0] for row in cursor.fetchall()} == {gone.pk}
        record = AuditRecord.objects.filter(
            action="partition.detach", after__partition=partitions.partition_name(TABLE, old)
        ).first()
        assert record is not None and record.after["archived"] == {archive: 1}
    finally:
        _drop(*(f"{partitions.partition_name(TABLE, m)}_monitoring_findingstep" for m in done))
        _drop(*(partitions.partition_name(TABLE, m) for m in done))
        for month in done:
            partitions.create_month(TABLE, "occurred_on", month)  # as the other tests expect it


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_the_migration_converts_findings_with_their_rows_and_back(world):
    last_year = timezone.localdate().replace(year=timezone.localdate().year - 1, month=5, day=20)
    ids = [intake(world, n, timezone.localdate()).pk for n in range(20, 23)]
    ids.append(intake(world, 23, last_year).pk)
    steps = FindingStep.objects.count()

    call_command("migrate", "monitoring", "0009", verbosity=0)
    assert not partitions.is_partitioned(TABLE)
    assert sorted(Finding.objects.values_list("pk", flat=True)) == sorted(ids)
    with connection.cursor() as cursor:  # the steps' foreign key and the unique key are back
        cursor.execute(
            "SELECT count(*) FROM pg_constraint WHERE confrelid = to_regclass(%s) AND contype = 'f'", [TABLE]
        )
        assert cursor.fetchone()[0] == 2  # the steps and the bulletin entries' links
        cursor.execute(
            "SELECT indisunique FROM pg_index WHERE indexrelid = to_regclass(%s)", [f"{TABLE}_source_key_key"]
        )
        assert cursor.fetchone() == (True,)

    call_command("migrate", verbosity=0)
    assert partitions.is_partitioned(TABLE)
    assert partitions.month_start(last_year) in partitions.months(TABLE)
    assert partitions.default_rows(TABLE) == 0
    assert sorted(Finding.objects.values_list("pk", flat=True)) == sorted(ids)
    assert FindingStep.objects.count() == steps
    newer = intake(world, 24, timezone.localdate())
    assert newer.pk > max(ids)  # the id sequence carried over


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_a_detach_whose_archiving_failed_is_finished_by_the_next_run_once(world):
    """The detach commits on its own; the archiving of the month's steps fails (here: a table in the way of the
    archive, one the INSERT cannot fill). The month stays detached with its steps live and no audit record; the
    job's next run finds it and finishes it, audited, and a third run does nothing more."""
    old = partitions.add_months(this_month(), -2)
    partitions.create_month(TABLE, "occurred_on", old)
    gone = intake(world, 31, old + timedelta(days=4))
    Finding.objects.filter(pk=gone.pk).update(state="dismissed")
    spec, name = partitions.TABLES[TABLE], partitions.partition_name(TABLE, old)
    archive = f"{name}_monitoring_findingstep"
    today = partitions.add_months(this_month(), 120)  # ten years on: the old month has expired
    try:
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE TABLE "{archive}" (id bigint)')
        with pytest.raises(Exception, match="more expressions than target columns"):
            partitions.detach_expired(spec, today=today)
        assert old not in partitions.months(TABLE)  # detached: its finding is gone from every query ...
        assert not Finding.objects.filter(pk=gone.pk).exists()
        assert FindingStep.objects.filter(finding_id=gone.pk).exists()  # ... but its steps are still live
        assert not AuditRecord.objects.filter(action="partition.detach", after__partition=name).exists()
        _drop(archive)  # the cause is mended

        text = partitions.maintain_table(spec, by="定时任务")  # the next run (today: nothing else expires)
        assert "补完 1 个上次中断的分离" in text
        assert not FindingStep.objects.filter(finding_id=gone.pk).exists()
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT finding_id FROM "{archive}"')
            assert {row[0] for row in cursor.fetchall()} == {gone.pk}
        record = AuditRecord.objects.get(action="partition.detach", after__partition=name)
        assert record.after["archived"] == {archive: 1} and record.after["resumed"] is True
        assert "补完" not in partitions.maintain_table(spec, by="定时任务")  # once
        assert AuditRecord.objects.filter(action="partition.detach", after__partition=name).count() == 1
    finally:  # every month detached here (an earlier test's empty month too) made again, as the others expect
        for month in partitions.detached_months(TABLE):
            name = partitions.partition_name(TABLE, month)
            _drop(f"{name}_monitoring_findingstep", name)
            partitions.create_month(TABLE, "occurred_on", month)
