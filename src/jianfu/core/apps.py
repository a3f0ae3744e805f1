from contextlib import closing

from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate, pre_save

from .text import check_lengths_before_save

REQUIRED_SQLITE_PRAGMAS = {"journal_mode": "wal", "synchronous": "2", "foreign_keys": "1"}
MIN_BUSY_TIMEOUT_MS = 5000


def assert_sqlite_pragmas(sender, connection, **kwargs):
    """Refuse to run on a SQLite connection without WAL, FULL sync and a busy timeout.

    Django silently ignores a misplaced OPTIONS key, so we read the PRAGMAs back instead of trusting settings.
    """
    if connection.vendor != "sqlite":
        return
    with closing(connection.connection.cursor()) as cursor:
        for pragma, expected in REQUIRED_SQLITE_PRAGMAS.items():
            value = str(cursor.execute(f"PRAGMA {pragma}").fetchone()[0]).lower()
            if value != expected and not (pragma == "journal_mode" and _is_memory(connection)):
                raise ImproperlyConfigured(f"SQLite PRAGMA {pragma}={value}, expected {expected}")
        timeout = cursor.execute("PRAGMA busy_timeout").fetchone()[0]
        if timeout < MIN_BUSY_TIMEOUT_MS:
            raise ImproperlyConfigured(f"SQLite busy_timeout={timeout} ms, expected >= {MIN_BUSY_TIMEOUT_MS}")
    mode = connection.settings_dict.get("OPTIONS", {}).get("transaction_mode")
    if mode != "IMMEDIATE":
        raise ImproperlyConfigured(f"SQLite transaction_mode={mode}, expected IMMEDIATE")


def _is_memory(connection) -> bool:
    name = str(connection.settings_dict["NAME"])
    return name == ":memory:" or "mode=memory" in name


class CoreConfig(AppConfig):
    name = "jianfu.core"
    verbose_name = "平台核心"

    def ready(self):
        connection_created.connect(assert_sqlite_pragmas, dispatch_uid="jianfu_sqlite_pragmas")
        pre_save.connect(check_lengths_before_save, dispatch_uid="jianfu_text_limits")
        from .textsearch import ensure_all

        # Once per migrate (not per app): put back FTS triggers a SQLite table rebuild dropped.
        post_migrate.connect(ensure_all, sender=self, dispatch_uid="jianfu_text_search")
        from . import jobs, system_checks  # noqa: F401  (system_checks registers the deploy checks)

        jobs.register_job(
            "core.partitions",
            label="按月建分区、分离过期分区",
            func="jianfu.core.partitions.maintain",
            schedule="monthly 1 01:00",
        )
