"""`jianfu backup` and `jianfu restore`: a backup holds every row, and a restore brings exactly those back."""

import hashlib
import io
import os
import shutil
import sqlite3
import subprocess
import uuid
from contextlib import closing

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from jianfu.audit.verify import audit_verify
from jianfu.orgs import services
from jianfu.orgs.models import Department

SQLITE = settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")
sqlite_only = pytest.mark.skipif(not SQLITE, reason="SQLite backup API")
postgres_only = pytest.mark.skipif(SQLITE, reason="PostgreSQL only")
needs_pg_tools = pytest.mark.skipif(
    not (shutil.which("pg_dump") and shutil.which("pg_restore")), reason="pg_dump/pg_restore not installed"
)


def _count_tables(cursor, tables) -> dict[str, int]:
    counts = {}
    for table in tables:
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
        counts[table] = cursor.fetchone()[0]
    return counts


def live_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        return _count_tables(cursor, connection.introspection.table_names(cursor))


def _quiet(*args, **kwargs) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, **kwargs)
    return out.getvalue()


def _add_department(world) -> Department:
    return services.department_create(
        actor=world.admin, name="备份后新增的部门", region=world.county, kind="government"
    )


# SQLite ---------------------------------------------------------------------------------------------


def _sqlite_file_counts(path) -> dict[str, int]:
    with closing(sqlite3.connect(path)) as db:
        tables = [
            r[0]
            for r in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        return _count_tables(db.cursor(), tables)


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_it_backs_up_sqlite_with_every_row_and_restores_it(world, tmp_path):
    path = tmp_path / "jianfu-backup.sqlite3"
    assert "完整性检查通过" in _quiet("backup", str(path))
    live = live_counts()
    assert live["orgs_region"] == 32 and live["audit_auditrecord"] > 0
    assert _sqlite_file_counts(path) == live

    added = _add_department(world)
    assert live_counts()["orgs_department"] == live["orgs_department"] + 1
    assert "已从" in _quiet("restore", str(path), yes=True)
    assert not Department.objects.filter(pk=added.pk).exists()
    assert live_counts() == live
    assert audit_verify().ok
    _add_department(world)  # the restored database takes writes again, chain intact
    assert audit_verify().ok


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_it_refuses_a_backup_that_is_not_a_database(world, tmp_path):
    bogus = tmp_path / "not-a-backup.sqlite3"
    bogus.write_bytes(b"this is not a database file" * 100)
    before = live_counts()
    with pytest.raises(CommandError, match="备份文件"):
        call_command("restore", str(bogus), yes=True)
    assert live_counts() == before


@pytest.mark.django_db(transaction=True)
def test_it_refuses_to_overwrite_an_existing_backup_file(world, tmp_path):
    path = tmp_path / "existing.backup"
    path.write_bytes(b"yesterday's backup")
    with pytest.raises(CommandError, match="已存在，不会覆盖"):
        call_command("backup", str(path))
    assert path.read_bytes() == b"yesterday's backup"


@pytest.mark.django_db(transaction=True)
def test_it_restores_only_when_told_yes_and_only_from_a_file_that_exists(world, tmp_path):
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(tmp_path / "whatever"))
    with pytest.raises(CommandError, match="找不到备份文件"):
        call_command("restore", str(tmp_path / "missing.backup"), yes=True)


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_it_backs_up_a_consistent_snapshot_that_restores_twice_identically(world, tmp_path):
    first, second = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"
    _quiet("backup", str(first))
    digest = hashlib.sha256(first.read_bytes()).hexdigest()
    _quiet("restore", str(first), yes=True)
    assert hashlib.sha256(first.read_bytes()).hexdigest() == digest  # a restore does not touch its source
    _quiet("backup", str(second))
    assert _sqlite_file_counts(first) == _sqlite_file_counts(second) == live_counts()


# PostgreSQL -----------------------------------------------------------------------------------------


def _pg_params(dbname: str) -> dict:
    s = connection.settings_dict
    params = {
        "dbname": dbname,
        "user": s.get("USER") or None,
        "password": s.get("PASSWORD") or None,
        "host": s.get("HOST") or "localhost",
        "port": s.get("PORT") or None,
    }
    return {k: v for k, v in params.items() if v is not None}


@pytest.fixture
def fresh_pg_database():
    psycopg = pytest.importorskip("psycopg")
    name = f"h2_restore_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(**_pg_params("postgres"), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with psycopg.connect(**_pg_params("postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _pg_counts(dbname: str) -> dict[str, int]:
    import psycopg

    with psycopg.connect(**_pg_params(dbname)) as db, db.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name"
        )
        tables = [row[0] for row in cursor.fetchall()]
        return _count_tables(cursor, tables)


@postgres_only
@needs_pg_tools
@pytest.mark.django_db(transaction=True)
def test_it_backs_up_postgresql_and_restores_into_a_fresh_database(world, tmp_path, fresh_pg_database):
    path = tmp_path / "jianfu.dump"
    assert "pg_dump" in _quiet("backup", str(path))
    live = live_counts()
    assert live["orgs_region"] == 32

    target = _pg_params(fresh_pg_database)
    env = {"PGPASSWORD": target.pop("password", "")}
    argv = [
        "pg_restore",
        "--no-owner",
        "--exit-on-error",
        f"--dbname={target['dbname']}",
        f"--host={target['host']}",
    ]
    argv += [f"--username={target['user']}"] if "user" in target else []
    argv += [f"--port={target['port']}"] if "port" in target else []
    subprocess.run([*argv, str(path)], check=True, capture_output=True, env={**os.environ, **env})
    assert _pg_counts(fresh_pg_database) == live


@postgres_only
@needs_pg_tools
@pytest.mark.django_db(transaction=True)
def test_it_restores_postgresql_in_place_with_the_restore_command(world, tmp_path):
    path = tmp_path / "jianfu.dump"
    _quiet("backup", str(path))
    live = live_counts()
    added = _add_department(world)
    connection.close()  # pg_restore --clean drops the tables; no session of ours should hold them
    assert "pg_restore" in _quiet("restore", str(path), yes=True)
    assert not Department.objects.filter(pk=added.pk).exists()
    assert live_counts() == live
    assert audit_verify().ok
