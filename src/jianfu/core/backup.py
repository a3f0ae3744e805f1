"""Online backup and restore: SQLite's backup API (never a file copy), pg_dump/pg_restore on PostgreSQL."""

import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

from django.db import connection


class BackupError(Exception):
    pass


def _integrity(path: Path) -> None:
    try:
        with closing(sqlite3.connect(path)) as db:
            result = db.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:  # e.g. "file is not a database": refuse before touching the live one
        raise BackupError(f"备份文件无法作为 SQLite 数据库读取：{exc}") from exc
    if result != "ok":
        raise BackupError(f"备份文件完整性检查未通过：{result}")


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


def backup_database(path: str) -> str:
    target = Path(path)
    if target.exists():
        raise BackupError(f"{target} 已存在，不会覆盖。")
    if connection.vendor == "postgresql":
        _run(["pg_dump", "--format=custom", "--no-owner", f"--file={target}", _pg_url()])
        return "pg_dump 自定义格式"
    connection.ensure_connection()
    with sqlite3.connect(target) as destination:
        connection.connection.backup(destination)
    _integrity(target)
    return f"SQLite，{target.stat().st_size // 1024} KiB，完整性检查通过"


def restore_database(path: str) -> str:
    source = Path(path)
    if not source.exists():
        raise BackupError(f"找不到备份文件 {source}。")
    if connection.vendor == "postgresql":
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                f"--dbname={_pg_url()}",
                str(source),
            ]
        )
        return "pg_restore 完成"
    _integrity(source)
    connection.ensure_connection()
    with sqlite3.connect(source) as origin:
        origin.backup(connection.connection)
    return "SQLite 备份已写入当前数据库"
