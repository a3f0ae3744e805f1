"""One archive of everything a restore needs: the database and the uploaded files (media), with a manifest.

The archive is a gzip'd tar: ``database.sqlite3`` (SQLite's online backup API, never a file copy, with an
integrity check) or ``database.pgdump`` (pg_dump's custom format), every file under MEDIA_ROOT as
``media/<path>``, and ``manifest.json`` listing each member with its size and SHA-256. A restore extracts into a
staging folder, refuses unless every member matches the manifest exactly (nothing missing, changed or extra),
then replaces the database and swaps the media folder in.
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from contextlib import closing
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

FORMAT = "jianfu-backup/1"
MANIFEST = "manifest.json"
DATABASE_MEMBER = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
CHUNK = 1024 * 1024


class BackupError(Exception):
    pass


# Database dumps ------------------------------------------------------------------------------------------


def _integrity(path: Path) -> None:
    try:
        with closing(sqlite3.connect(path)) as db:
            result = db.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:  # e.g. "file is not a database": refuse before touching the live one
        raise BackupError(f"备份中的数据库无法作为 SQLite 数据库读取：{exc}") from exc
    if result != "ok":
        raise BackupError(f"备份中的数据库完整性检查未通过：{result}")


def _pg_url() -> str:
    settings_dict = connection.settings_dict
    user = settings_dict.get("USER") or ""
    password = settings_dict.get("PASSWORD") or ""
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    return f"postgresql://{auth}{settings_dict.get('HOST') or 'localhost'}{port}/{settings_dict['NAME']}"


def _run(argv: list[str]) -> None:
    tool = shutil.which(argv[0])
    if tool is None:
        raise BackupError(f"找不到 {argv[0]}，请安装 PostgreSQL 客户端工具。")
    completed = subprocess.run([tool, *argv[1:]], capture_output=True, text=True, env=os.environ.copy())
    if completed.returncode != 0:
        raise BackupError(f"{argv[0]} 失败：{completed.stderr.strip()[:500]}")


def _dump_database(target: Path) -> None:
    if connection.vendor == "postgresql":
        _run(["pg_dump", "--format=custom", "--no-owner", f"--file={target}", _pg_url()])
        return
    connection.ensure_connection()
    with closing(sqlite3.connect(target)) as destination:
        connection.connection.backup(destination)
    _integrity(target)


def _load_database(source: Path) -> None:
    if connection.vendor == "postgresql":
        connection.close()  # the schema is dropped and made again: no session of ours may hold its tables
        _restore_postgresql(source)
        return
    _integrity(source)
    connection.ensure_connection()
    with closing(sqlite3.connect(source)) as origin:
        origin.backup(connection.connection)


def _restore_postgresql(source: Path) -> None:
    """Replace the live schema with the dump's; if the restore fails, the old schema is put back.

    Not ``pg_restore --clean``: on the monthly-partitioned tables (``core.partitions``) it drops each partition's
    inherited primary key, which PostgreSQL refuses. Nor one transaction that drops everything and restores it:
    with a partition per month it needs more locks than ``max_locks_per_transaction`` allows by default. So the
    live schema is set aside under another name (a rename, few locks), the dump is restored into a new ``public``
    in one transaction, and only then is the old one dropped."""
    if _schema_exists(SET_ASIDE):
        raise BackupError(f"数据库中仍有上次恢复留下的 {SET_ASIDE} 架构，请先核对其中数据后删除，再恢复。")
    _psql(
        "ALTER SCHEMA public RENAME TO jianfu_before_restore; CREATE SCHEMA public;"
        + _move_extensions("jianfu_before_restore", "public")
    )
    try:
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                f"--dbname={_pg_url()}",
                str(source),
            ]
        )
    except BackupError:
        _psql(
            _move_extensions("public", "jianfu_before_restore")
            + "DROP SCHEMA public CASCADE; ALTER SCHEMA jianfu_before_restore RENAME TO public;"
        )
        raise
    _drop_set_aside()


SET_ASIDE = "jianfu_before_restore"


def _schema_exists(name: str) -> bool:
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [name])
        found = cursor.fetchone() is not None
    connection.close()
    return found


def _drop_set_aside() -> None:
    """Drop the old schema table by table, each in its own transaction: one DROP SCHEMA … CASCADE would lock
    every partition and index at once and can run out of lock slots on a busy server."""
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = %s AND c.relkind IN ('r', 'p') AND NOT c.relispartition",
            [SET_ASIDE],
        )
        for (table,) in cursor.fetchall():
            cursor.execute(f'DROP TABLE IF EXISTS "{SET_ASIDE}"."{table}" CASCADE')
        cursor.execute(f'DROP SCHEMA "{SET_ASIDE}" CASCADE')


def _move_extensions(source: str, target: str) -> str:
    """SQL that moves the extensions (pg_trgm) installed in one schema to another: the dump names them in public."""
    return (
        "DO $$ DECLARE e record; BEGIN FOR e IN SELECT extname FROM pg_extension x JOIN pg_namespace n"
        f" ON n.oid = x.extnamespace WHERE n.nspname = '{source}' LOOP"
        f" EXECUTE format('ALTER EXTENSION %I SET SCHEMA {target}', e.extname); END LOOP; END $$;"
    )


def _psql(sql: str) -> None:
    _run(
        [
            "psql",
            "--no-psqlrc",
            "--quiet",
            "--single-transaction",
            "--set=ON_ERROR_STOP=1",
            "--command=SET client_min_messages = warning; " + sql,
            f"--dbname={_pg_url()}",
        ]
    )


# Writing the archive ------------------------------------------------------------------------------------


class _HashingReader(io.RawIOBase):
    """Reads a file for tarfile while hashing it, so what is listed is exactly what was stored."""

    def __init__(self, handle):
        self.handle, self.digest = handle, hashlib.sha256()

    def readable(self):
        return True

    def readinto(self, buffer):
        data = self.handle.read(len(buffer))
        self.digest.update(data)
        buffer[: len(data)] = data
        return len(data)


def _add_file(archive: tarfile.TarFile, path: Path, name: str) -> dict:
    info = archive.gettarinfo(str(path), arcname=name)
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    with path.open("rb") as handle:
        reader = _HashingReader(handle)
        archive.addfile(info, io.BufferedReader(reader, CHUNK))
    return {"path": name, "size": info.size, "sha256": reader.digest.hexdigest()}


def _media_files() -> list[tuple[Path, str]]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    found = [p for p in root.rglob("*") if p.is_file() and not p.is_symlink()]
    return [(p, "media/" + p.relative_to(root).as_posix()) for p in sorted(found)]


def backup(path: str) -> str:
    """Write one archive of the database and the media folder; never overwrite an existing file."""
    target = Path(path)
    if target.exists():
        raise BackupError(f"{target} 已存在，不会覆盖。")
    vendor = connection.vendor
    partial = target.with_name(target.name + ".partial")
    with tempfile.TemporaryDirectory(prefix="jianfu-backup-") as scratch:
        dump = Path(scratch) / DATABASE_MEMBER[vendor]
        _dump_database(dump)  # first: the media then holds every file the database names
        try:
            with tarfile.open(partial, "w:gz") as archive:
                members = [_add_file(archive, dump, DATABASE_MEMBER[vendor])]
                members += [_add_file(archive, file, name) for file, name in _media_files()]
                manifest = {
                    "format": FORMAT,
                    "created_at": timezone.now().isoformat(),
                    "database": vendor,
                    "members": members,
                }
                _add_bytes(archive, MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1).encode())
            partial.rename(target)
        finally:
            partial.unlink(missing_ok=True)
    media = len(members) - 1
    return f"{VENDOR_NAMES[vendor]} 数据库 + {media} 个上传文件，{target.stat().st_size // 1024} KiB"


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(timezone.now().timestamp()), 0o644
    archive.addfile(info, io.BytesIO(data))


# Verifying and restoring -------------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def _extract(source: Path, staging: Path) -> None:
    try:
        with tarfile.open(source, "r:*") as archive:
            # The "data" filter refuses absolute paths, "..", links out of the folder and device files.
            archive.extractall(staging, filter="data")
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(f"{source.name} 不是完整的减负平台备份归档（{exc}）。") from exc


def _read_manifest(staging: Path) -> dict:
    try:
        manifest = json.loads((staging / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise BackupError("备份归档中没有可读的清单 manifest.json，不是本系统的备份。") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("备份清单的格式不对，不是本系统的备份。")
    return manifest


def verify_archive(staging: Path) -> dict:
    """The manifest, if every extracted file is listed in it with the same size and SHA-256, and nothing else."""
    manifest = _read_manifest(staging)
    listed = {m["path"]: m for m in manifest.get("members", [])}
    present = {p.relative_to(staging).as_posix() for p in staging.rglob("*") if p.is_file()} - {MANIFEST}
    if missing := sorted(set(listed) - present):
        raise BackupError(f"备份归档缺少清单中的文件：{'、'.join(missing[:5])}")
    if extra := sorted(present - set(listed)):
        raise BackupError(f"备份归档中有清单之外的文件：{'、'.join(extra[:5])}")
    for name, member in listed.items():
        file = staging / name
        if file.stat().st_size != member["size"] or _sha256(file) != member["sha256"]:
            raise BackupError(f"备份归档中的 {name} 与清单的校验值不符（文件损坏或被改动），未做任何恢复。")
    if manifest.get("database") != connection.vendor or DATABASE_MEMBER[connection.vendor] not in listed:
        source = VENDOR_NAMES.get(manifest.get("database"), "未知数据库")
        raise BackupError(
            f"这是 {source} 的备份，当前使用的是 {VENDOR_NAMES[connection.vendor]}，不能直接恢复。"
        )
    return manifest


def _swap_media(staged: Path) -> None:
    """Put the backup's media folder in place of the current one (kept aside until the swap is done)."""
    root = Path(settings.MEDIA_ROOT)
    root.parent.mkdir(parents=True, exist_ok=True)
    aside = root.with_name(f"{root.name}.before-restore-{timezone.now():%Y%m%d%H%M%S}")
    if root.exists():
        root.rename(aside)
    if staged.is_dir():
        shutil.move(str(staged), str(root))
    else:
        root.mkdir()
    shutil.rmtree(aside, ignore_errors=True)


def restore(path: str) -> str:
    """Verify the archive completely, then replace the database and the media folder with its contents."""
    source = Path(path)
    if not source.is_file():
        raise BackupError(f"找不到备份文件 {source}。")
    media_parent = Path(settings.MEDIA_ROOT).parent
    media_parent.mkdir(parents=True, exist_ok=True)
    # Staged beside the media folder, so putting the media in place is a rename on the same disk.
    with tempfile.TemporaryDirectory(prefix=".jianfu-restore-", dir=media_parent) as scratch:
        staging = Path(scratch)
        _extract(source, staging)
        manifest = verify_archive(staging)
        _load_database(staging / DATABASE_MEMBER[manifest["database"]])
        _swap_media(staging / "media")
    files = len(manifest["members"]) - 1
    return f"已校验并恢复 {VENDOR_NAMES[manifest['database']]} 数据库和 {files} 个上传文件（备份时间 {manifest['created_at']}）"
