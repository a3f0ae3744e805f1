"""The database under load: SQLite's PRAGMAs are enforced, and 20 concurrent writers lose nothing."""

import copy
import threading

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, connections

from jianfu.audit.models import AuditRecord
from jianfu.audit.verify import audit_verify
from jianfu.core.apps import assert_sqlite_pragmas
from jianfu.orgs import services
from jianfu.orgs.models import Department, Level, Region

SQLITE = settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")
sqlite_only = pytest.mark.skipif(not SQLITE, reason="SQLite PRAGMAs")
postgres_only = pytest.mark.skipif(SQLITE, reason="PostgreSQL only")

THREADS = 20
WRITES_PER_THREAD = 4


# SQLite PRAGMAs -------------------------------------------------------------------------------------


def _pragma(name: str):
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA {name}")
        return cursor.fetchone()[0]


@sqlite_only
@pytest.mark.django_db
def test_it_runs_sqlite_in_wal_with_full_sync_and_a_busy_timeout():
    assert str(_pragma("journal_mode")).lower() == "wal"
    assert _pragma("synchronous") == 2  # FULL
    assert _pragma("busy_timeout") >= 5000
    assert _pragma("foreign_keys") == 1
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def _wrapper(tmp_path, options: dict | None):
    """A second connection to a scratch file, configured like ours but with different OPTIONS."""
    settings_dict = copy.deepcopy(connection.settings_dict)
    settings_dict["NAME"] = str(tmp_path / "probe.sqlite3")
    settings_dict["OPTIONS"] = options or {}  # Django itself needs the key, so "without" means empty
    return type(connections["default"])(settings_dict, alias="probe")


GOOD_INIT = (
    "PRAGMA journal_mode=WAL;PRAGMA synchronous=FULL;PRAGMA foreign_keys=ON;PRAGMA busy_timeout=20000;"
)


@sqlite_only
@pytest.mark.parametrize(
    ("options", "complaint"),
    [
        (None, "journal_mode=delete, expected wal"),
        (
            {"init_command": GOOD_INIT.replace("synchronous=FULL", "synchronous=NORMAL")},
            "synchronous=1, expected 2",
        ),
        (
            {"init_command": GOOD_INIT.replace("foreign_keys=ON", "foreign_keys=OFF")},
            "foreign_keys=0, expected 1",
        ),
        (
            {"init_command": GOOD_INIT.replace("busy_timeout=20000", "busy_timeout=100")},
            "busy_timeout=100 ms",
        ),
        ({"init_command": GOOD_INIT}, "transaction_mode=None, expected IMMEDIATE"),
        ({"init_command": GOOD_INIT, "transaction_mode": "DEFERRED"}, "transaction_mode=DEFERRED"),
    ],
)
def test_it_refuses_a_sqlite_connection_without_the_pragmas(tmp_path, django_db_blocker, options, complaint):
    probe = _wrapper(tmp_path, options)
    with django_db_blocker.unblock():
        try:
            with pytest.raises(ImproperlyConfigured, match=complaint):
                probe.ensure_connection()  # the connection_created signal runs the check
            with pytest.raises(ImproperlyConfigured, match=complaint):
                assert_sqlite_pragmas(sender=type(probe), connection=probe)
        finally:
            probe.close()


@sqlite_only
def test_it_accepts_a_sqlite_connection_configured_like_ours(tmp_path, django_db_blocker):
    probe = _wrapper(tmp_path, copy.deepcopy(connection.settings_dict["OPTIONS"]))
    with django_db_blocker.unblock():
        try:
            probe.ensure_connection()
            assert_sqlite_pragmas(sender=type(probe), connection=probe)
        finally:
            probe.close()


@postgres_only
@pytest.mark.django_db
def test_it_ignores_the_sqlite_check_on_postgresql():
    assert connection.vendor == "postgresql"
    assert_sqlite_pragmas(sender=type(connection), connection=connection)


# Concurrency ----------------------------------------------------------------------------------------


def _hammer(target, errors: list, barrier: threading.Barrier) -> threading.Thread:
    def run():
        try:
            barrier.wait()
            target()
        except BaseException as exc:  # noqa: BLE001 - every failure must reach the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    return threading.Thread(target=run)


def _run_threads(targets) -> list:
    errors: list = []
    barrier = threading.Barrier(len(targets))
    threads = [_hammer(target, errors, barrier) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a writer hung"
    return errors


@pytest.mark.django_db(transaction=True)
def test_it_loses_no_write_from_20_concurrent_writers(world):
    county, township = world.county, world.township_hk
    departments, regions = Department.objects.count(), Region.objects.count()
    audits = AuditRecord.objects.count()

    def writer(n: int):
        def write():
            for k in range(WRITES_PER_THREAD):
                services.department_create(
                    actor=None, name=f"并发部门{n:02d}-{k}", region=county, kind="government"
                )
            services.region_create(
                actor=None,
                code=f"428521101{300 + n:03d}",
                name=f"并发村{n:02d}",
                level=Level.VILLAGE,
                kind="village",
                parent=township,
            )

        return write

    errors = _run_threads([writer(n) for n in range(THREADS)])
    assert errors == [], [repr(e) for e in errors]
    assert "database is locked" not in " ".join(map(str, errors))
    assert Department.objects.count() == departments + THREADS * WRITES_PER_THREAD
    assert Region.objects.count() == regions + THREADS
    assert AuditRecord.objects.count() == audits + THREADS * (WRITES_PER_THREAD + 1)
    assert AuditRecord.objects.filter(action="department.create").count() == THREADS * WRITES_PER_THREAD
    result = audit_verify()
    assert result.ok and result.checked == AuditRecord.objects.count()


@pytest.mark.django_db(transaction=True)
def test_it_serialises_concurrent_edits_of_one_record(world):
    """20 people save the same department from the same copy: exactly one wins, the rest are told it is stale."""
    dept = world.dept_rs
    outcomes: list[str] = []

    def editor(n: int):
        def edit():
            try:
                services.department_update(
                    actor=None, department=dept, expected_version=1, short_name=f"人社{n}"
                )
                outcomes.append("saved")
            except services.StaleWriteError:
                outcomes.append("stale")

        return edit

    errors = _run_threads([editor(n) for n in range(THREADS)])
    assert errors == [], [repr(e) for e in errors]
    assert sorted(outcomes) == ["saved"] + ["stale"] * (THREADS - 1)
    dept.refresh_from_db()
    assert dept.version == 2
    assert AuditRecord.objects.filter(action="department.update").count() == 1
    assert audit_verify().ok


@pytest.mark.django_db(transaction=True)
def test_it_starts_a_fresh_chain_safely_under_concurrency():
    """No audit row yet: the first writers race to create the chain head and still form one chain."""
    province = Region.objects.create(
        code="420000000000", name="湖北省", level=Level.PROVINCE, kind="province"
    )

    def writer(n: int):
        return lambda: services.department_create(
            actor=None, name=f"省直部门{n:02d}", region=province, kind="government"
        )

    errors = _run_threads([writer(n) for n in range(THREADS)])
    assert errors == [], [repr(e) for e in errors]
    assert AuditRecord.objects.count() == THREADS
    assert audit_verify().ok
