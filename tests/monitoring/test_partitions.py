"""Monthly partitions on PostgreSQL (core/partitions.py): made ahead, a stray date caught and reported, old months
detached out of every query, the audit chain still verifying after its months are detached behind a checkpoint.
SQLite keeps plain tables: these run under `make test-postgres`."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from jianfu.audit.models import AuditChainHead, AuditRecord
from jianfu.audit.services import audit_record
from jianfu.audit.verify import audit_verify, checkpoint_export
from jianfu.core import partitions
from jianfu.monitoring.models import BurdenEvent

from .conftest import record, yesterday

pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"),
    reason="PostgreSQL only: SQLite keeps plain tables",
)
EVENTS, AUDIT = "monitoring_burdenevent", "audit_auditrecord"


def this_month():
    return partitions.month_start(timezone.localdate())


def test_both_tables_are_partitioned_with_three_months_ahead(db):
    for table in (EVENTS, AUDIT):
        assert partitions.is_partitioned(table)
        months = partitions.months(table)
        assert {partitions.add_months(this_month(), n) for n in range(4)} <= set(months)


def test_the_monthly_job_makes_the_next_months_and_audits_it(db):
    later = partitions.add_months(this_month(), 5)
    summary = partitions.maintain(today=later)
    assert "负担事件：新建" in summary
    for table in (EVENTS, AUDIT):
        assert partitions.add_months(later, 3) in partitions.months(table)
    made = AuditRecord.objects.filter(action="partition.create", actor_username="定时任务")
    assert made.count() == len(partitions.TABLES) == 4


def test_a_stray_date_lands_in_the_default_partition_is_reported_and_moved_by_the_command(world, point):
    # The monitor records an event of last year, older than any partition this fresh database has.
    stray = timezone.localdate().replace(year=timezone.localdate().year - 1, month=1, day=15)
    event, _ = record(world, occurred_on=stray)
    assert partitions.default_rows(EVENTS) == 1
    assert "默认分区有 1 条" in partitions.maintain()

    call_command("partitions", "--create", f"{stray:%Y-%m}", "--table", EVENTS)
    assert partitions.default_rows(EVENTS) == 0
    assert BurdenEvent.objects.get(pk=event.pk).occurred_on == stray  # moved, still found by its id
    assert AuditRecord.objects.filter(action="partition.create", actor_username="命令行").exists()


def test_a_retry_with_the_same_key_returns_the_first_event_without_a_unique_index(world, point):
    first, made = record(world, idempotency_key="k-1")
    again, made_again = record(world, idempotency_key="k-1")
    assert made and not made_again and again.pk == first.pk


def _drop(*tables):
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f'DROP TABLE IF EXISTS "{table}"')


@pytest.mark.django_db(transaction=True)
def test_detaching_an_expired_month_removes_its_rows_from_every_query(world, point):
    old, _ = record(world, occurred_on=yesterday())
    done: list[date] = []
    kept, _ = record(world, occurred_on=yesterday(), description="县里要求报送的材料")
    future = partitions.add_months(this_month(), 2)
    BurdenEvent.objects.filter(pk=kept.pk).update(occurred_on=future)  # the row moves to its month
    spec = partitions.TABLES[EVENTS]
    month = partitions.month_start(yesterday())
    try:
        # Thirty-six months (the default retention) after the month after next, the old month has expired.
        done, held = partitions.detach_expired(spec, today=partitions.add_months(future, -1 + 37))
        assert month in done and not held
        assert not BurdenEvent.objects.filter(pk=old.pk).exists()
        assert BurdenEvent.objects.filter(pk=kept.pk).exists()
        assert month not in partitions.months(EVENTS)
        with connection.cursor() as cursor:  # the detached month is a plain table, for the archive
            cursor.execute(f'SELECT count(*) FROM "{partitions.partition_name(EVENTS, month)}"')
            assert cursor.fetchone()[0] >= 1
        assert AuditRecord.objects.filter(action="partition.detach").exists()
    finally:
        _drop(*(partitions.partition_name(EVENTS, m) for m in done))
        partitions.create_month(EVENTS, "occurred_on", month)  # as the other tests expect it


def _at(monkeypatch, day: date):
    local = timezone.make_aware(datetime.combine(day, datetime.min.time()) + timedelta(hours=10))
    moment = local.astimezone(UTC)  # as timezone.now() gives it: the chain hashes the time as written
    monkeypatch.setattr(timezone, "now", lambda: moment)


@pytest.mark.django_db(transaction=True)
def test_audit_months_are_detached_only_behind_a_signed_checkpoint_and_the_chain_still_verifies(monkeypatch):
    january, march = date(2026, 1, 1), date(2026, 3, 1)
    for month in (january, date(2026, 2, 1), march):
        partitions.create_month(AUDIT, "created_at", month)
    spec, detached = partitions.TABLES[AUDIT], []
    try:
        _at(monkeypatch, date(2026, 1, 15))
        for n in range(5):
            audit_record(actor=None, action="auth.logout", message=f"一月的记录 {n}")
        _at(monkeypatch, date(2026, 9, 1))  # January is past retention, but no checkpoint covers it yet
        done, held = partitions.detach_expired(spec)
        assert done == [] and "检查点" in held
        _at(monkeypatch, date(2026, 3, 10))
        checkpoint = checkpoint_export(actor=None)
        _at(monkeypatch, date(2027, 1, 10))
        detached, held = partitions.detach_expired(spec)
        # January (behind the checkpoint) and the empty February go; March holds the checkpoint's own record,
        # which no later checkpoint covers.
        assert detached[:2] == [january, date(2026, 2, 1)] and "检查点" in held
        assert not AuditRecord.objects.filter(message__startswith="一月的记录").exists()
        head = AuditChainHead.objects.get(chain="")  # no region exists here: the records' chain is ""
        assert head.purged_through_seq == checkpoint["chains"][""]["seq"]
        anchor = AuditRecord.objects.get(action="audit.purge")  # stated in that chain, by the detach
        assert (anchor.chain, anchor.after["through_seq"]) == ("", head.purged_through_seq)
        result = audit_verify([checkpoint])
        assert result.ok, result.reason
    finally:
        _drop(*(partitions.partition_name(AUDIT, m) for m in detached))


@pytest.mark.django_db(transaction=True)
def test_the_migrations_convert_tables_that_hold_rows_and_back(world, point):
    """Unapply and apply again on a database with data: the rows, their ids, the sequences and the chain stay."""
    events = [record(world, occurred_on=yesterday(), description=f"第 {n} 次检查")[0].pk for n in range(3)]
    last_year = timezone.localdate().replace(year=timezone.localdate().year - 1, month=3, day=1)
    events.append(record(world, occurred_on=last_year)[0].pk)
    audit_rows = AuditRecord.objects.count()

    call_command("migrate", "monitoring", "0006", verbosity=0)
    call_command("migrate", "audit", "0004", verbosity=0)
    assert not partitions.is_partitioned(EVENTS) and not partitions.is_partitioned(AUDIT)
    assert sorted(BurdenEvent.objects.values_list("pk", flat=True)) == sorted(events)

    call_command("migrate", verbosity=0)
    assert partitions.is_partitioned(EVENTS) and partitions.is_partitioned(AUDIT)
    assert partitions.month_start(last_year) in partitions.months(EVENTS)  # a month for every month with rows
    assert partitions.default_rows(EVENTS) == 0
    assert sorted(BurdenEvent.objects.values_list("pk", flat=True)) == sorted(events)
    assert AuditRecord.objects.count() == audit_rows
    newer, _ = record(world, occurred_on=yesterday(), description="迁移后的新记录")
    assert newer.pk > max(events)  # the id sequence carried over
    assert audit_verify().ok


@pytest.mark.django_db(transaction=True)
def test_the_scheduler_runs_the_monthly_partitions_job_outside_a_transaction(monkeypatch, run_tasks):
    """The worker calls the job outside any transaction, as DETACH … CONCURRENTLY needs."""
    from jianfu.core import jobs
    from jianfu.jobs import scheduler
    from jianfu.jobs.models import JobRun, RunStatus

    monkeypatch.setattr(jobs, "JOBS", {"core.partitions": jobs.JOBS["core.partitions"]})
    first_of_month = timezone.make_aware(
        datetime.combine(this_month(), datetime.min.time()) + timedelta(hours=2)
    )
    assert len(scheduler.tick(now=first_of_month)) == 1
    assert run_tasks() == 1
    run = JobRun.objects.get(job="core.partitions")
    assert run.status == RunStatus.SUCCEEDED, run.error
    assert "负担事件：新建" in run.summary and "审计记录：新建" in run.summary
