"""`jianfu backup` and `jianfu restore`: one archive holds every row and every uploaded file, a restore verifies it
against its manifest and brings exactly those back."""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import uuid
from contextlib import closing
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

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


# SQLite ----------------------------------------------------------------------------------------------


def _sqlite_file_counts(path) -> dict[str, int]:
    with closing(sqlite3.connect(path)) as db:
        tables = [
            r[0]
            for r in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        return _count_tables(db.cursor(), tables)


# The restore drill: one archive of the database and the media, restored into an emptied database and a new,
# empty media folder; every table's rows back and an uploaded attachment downloadable from its page. Runs on
# SQLite and (make test-postgres) on PostgreSQL alike.


def _application_with_attachment(world, client):
    from jianfu.admission.models import Application
    from tests.admission.test_pages import _form

    client.force_login(world.dept_clerk)
    client.post(reverse("admission:create"), _form())
    application = Application.objects.get()
    upload = SimpleUploadedFile("乡镇书面意见.pdf", PDF)
    client.post(reverse("admission:attach", args=[application.pk]), {"file": upload})
    attachment = application.attachments.get()
    return reverse("admission:attachment", args=[application.pk, attachment.pk])


PDF = b"%PDF-1.4\n% the townships' written opinions\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _download(client, url) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content)


def _media_tree(root) -> dict[str, bytes]:
    root = Path(root)
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.mark.django_db(transaction=True)
def test_it_restores_the_database_and_the_media_from_one_archive(world, client, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    url = _application_with_attachment(world, client)
    archive = tmp_path / "jianfu-backup.tar.gz"
    assert "1 个上传文件" in _quiet("backup", str(archive))
    live, media = live_counts(), _media_tree(settings.MEDIA_ROOT)
    assert live["admission_attachment"] == 1 and len(media) == 1

    call_command("flush", interactive=False, verbosity=0)  # a fresh database…
    settings.MEDIA_ROOT = tmp_path / "new-server" / "media"  # …and a fresh media folder
    assert live_counts()["orgs_region"] == 0 and not Path(settings.MEDIA_ROOT).exists()
    assert "已校验并恢复" in _quiet("restore", str(archive), yes=True)

    assert live_counts() == live
    assert _media_tree(settings.MEDIA_ROOT) == media
    client.force_login(world.dept_clerk)
    assert _download(client, url) == PDF
    assert audit_verify().ok
    _add_department(world)  # the restored database takes writes again, chain intact
    assert audit_verify().ok


def _rewrite(archive: Path, change=None, add=None, drop=()) -> None:
    """Rewrite an archive as someone tampering with it would: change, add or drop members."""
    with tarfile.open(archive) as source:
        members = [(m, source.extractfile(m).read()) for m in source.getmembers() if m.isfile()]
    with tarfile.open(archive, "w:gz") as target:
        for member, data in members:
            if member.name in drop:
                continue
            data = (change or {}).get(member.name, data)
            member.size = len(data)
            target.addfile(member, io.BytesIO(data))
        for name, data in (add or {}).items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            target.addfile(info, io.BytesIO(data))


def _member_names(archive: Path) -> list[str]:
    with tarfile.open(archive) as source:
        return source.getnames()


@pytest.fixture
def archived(world, client, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    _application_with_attachment(world, client)
    archive = tmp_path / "backup.tar.gz"
    _quiet("backup", str(archive))
    _add_department(world)  # written after the backup: a refused restore must leave it in place
    return archive


def _refused(archive, message, settings):
    before, media = live_counts(), _media_tree(settings.MEDIA_ROOT)
    with pytest.raises(CommandError, match=message):
        call_command("restore", str(archive), yes=True)
    assert live_counts() == before and _media_tree(settings.MEDIA_ROOT) == media


@pytest.mark.django_db(transaction=True)
def test_it_refuses_an_archive_whose_attachment_was_changed(archived, settings):
    attachment = next(n for n in _member_names(archived) if n.startswith("media/"))
    _rewrite(archived, change={attachment: b"%PDF-1.4 forged"})
    _refused(archived, f"{attachment} 与清单的校验值不符", settings)


@pytest.mark.django_db(transaction=True)
def test_it_refuses_an_archive_with_a_file_missing_or_added(archived, settings):
    attachment = next(n for n in _member_names(archived) if n.startswith("media/"))
    _rewrite(archived, add={"media/planted.html": b"<script>alert(1)</script>"})
    _refused(archived, "清单之外的文件：media/planted.html", settings)
    _rewrite(archived, drop={attachment, "media/planted.html"})
    _refused(archived, "缺少清单中的文件", settings)


@pytest.mark.django_db(transaction=True)
def test_it_refuses_an_archive_from_the_other_database(archived, settings):
    with tarfile.open(archived) as source:
        manifest = json.loads(source.extractfile("manifest.json").read())
    manifest["database"] = "postgresql" if SQLITE else "sqlite"
    _rewrite(archived, change={"manifest.json": json.dumps(manifest).encode()})
    _refused(archived, "不能直接恢复", settings)


@pytest.mark.django_db(transaction=True)
def test_it_refuses_a_file_that_is_not_an_archive(world, tmp_path, settings):
    bogus = tmp_path / "not-a-backup.tar.gz"
    bogus.write_bytes(b"this is not a backup" * 100)
    _refused(bogus, "不是完整的减负平台备份归档", settings)
    sqlite_only_backup = tmp_path / "old.tar.gz"
    with tarfile.open(sqlite_only_backup, "w:gz") as archive:
        archive.addfile(tarfile.TarInfo("database.sqlite3"), io.BytesIO(b""))
    _refused(sqlite_only_backup, "没有可读的清单", settings)


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
def test_it_backs_up_a_consistent_sqlite_snapshot_with_every_row(world, tmp_path):
    archive = tmp_path / "a.tar.gz"
    _quiet("backup", str(archive))
    with tarfile.open(archive) as source:
        source.extract("database.sqlite3", tmp_path, filter="data")
    assert _sqlite_file_counts(tmp_path / "database.sqlite3") == live_counts()
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    _quiet("restore", str(archive), yes=True)
    assert hashlib.sha256(archive.read_bytes()).hexdigest() == digest  # a restore does not touch its source


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
        # Tables as Django lists them: a monthly partition's rows are counted through its parent table.
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY c.relname"
        )
        tables = [row[0] for row in cursor.fetchall()]
        return _count_tables(cursor, tables)


@postgres_only
@needs_pg_tools
@pytest.mark.django_db(transaction=True)
def test_it_backs_up_postgresql_and_restores_into_a_fresh_database(world, tmp_path, fresh_pg_database):
    archive = tmp_path / "jianfu.tar.gz"
    assert "PostgreSQL 数据库" in _quiet("backup", str(archive))
    live = live_counts()
    assert live["orgs_region"] == 32
    with tarfile.open(archive) as source:
        source.extract("database.pgdump", tmp_path, filter="data")
    path = tmp_path / "database.pgdump"

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
    path = tmp_path / "jianfu.tar.gz"
    _quiet("backup", str(path))
    live = live_counts()
    added = _add_department(world)
    assert "PostgreSQL 数据库" in _quiet("restore", str(path), yes=True)
    assert not Department.objects.filter(pk=added.pk).exists()
    assert live_counts() == live
    assert audit_verify().ok


@postgres_only
@needs_pg_tools
@pytest.mark.django_db(transaction=True)
def test_a_postgresql_restore_that_fails_puts_the_old_schema_back(world, tmp_path):
    """A dump that checks out against its manifest but cannot be restored (cut short here) must leave the live
    database as it was: the old schema is set aside, not dropped, until the new one is in."""
    path = tmp_path / "jianfu.tar.gz"
    _quiet("backup", str(path))
    with tarfile.open(path) as source:
        dump = source.extractfile("database.pgdump").read()
        manifest = json.loads(source.extractfile("manifest.json").read())
    cut = dump[: len(dump) // 2]
    for member in manifest["members"]:
        if member["path"] == "database.pgdump":
            member.update(size=len(cut), sha256=hashlib.sha256(cut).hexdigest())
    _rewrite(path, change={"database.pgdump": cut, "manifest.json": json.dumps(manifest).encode()})
    added = _add_department(world)
    before = live_counts()
    with pytest.raises(CommandError, match="pg_restore 失败"):
        call_command("restore", str(path), yes=True)
    connection.close()
    assert live_counts() == before
    assert Department.objects.filter(pk=added.pk).exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_namespace WHERE nspname = 'jianfu_before_restore'")
        assert cursor.fetchone()[0] == 0
        cursor.execute(
            "SELECT count(*) FROM pg_extension x JOIN pg_namespace n ON n.oid = x.extnamespace"
            " WHERE x.extname = 'pg_trgm' AND n.nspname = 'public'"
        )
        assert cursor.fetchone()[0] == 1
