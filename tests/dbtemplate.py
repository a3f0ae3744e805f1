"""A migrated test database made once and copied for each pytest worker, instead of each worker migrating its own
(~30 s of CPU a worker; the ``django_db_setup`` of tests/conftest.py).

The template is keyed by a hash of every Python file of the project (a migration, or code a migration calls,
changed: a new template) and of the database settings, so it is never stale; it is made under a file lock by the
first worker that needs it, and copied under the same lock: SQLite by copying the file, PostgreSQL by ``CREATE
DATABASE … TEMPLATE`` (which wants no other session on the template, hence the lock). Django then opens the copy
as a kept database (``keepdb``): ``migrate`` finds every migration applied and only runs the post-migrate hooks.
Older templates are removed when a new one is made. ``--create-db`` makes a new template; ``--reuse-db`` keeps
pytest-django's own behaviour; ``--nomigrations`` skips all this."""

import fcntl
import hashlib
import shutil
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection

SOURCE = Path(__file__).resolve().parent.parent / "src" / "jianfu"
PREFIX = "tpl_"


def key() -> str:
    digest = hashlib.sha256()
    for path in sorted(SOURCE.rglob("*.py")):
        digest.update(str(path.relative_to(SOURCE)).encode())
        digest.update(path.read_bytes())
    db = connection.settings_dict
    digest.update(f"{db['ENGINE']}|{db['HOST']}|{db['PORT']}|{db['NAME']}".encode())
    return digest.hexdigest()[:16]


@contextmanager
def _locked():
    path = Path(settings.VAR_DIR) / "test-template.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _setup(keepdb: bool, verbosity: int):
    from django.test.utils import setup_databases

    return setup_databases(
        verbosity=verbosity, interactive=False, aliases={"default"}, serialized_aliases=set(), keepdb=keepdb
    )


def prepare(*, fresh: bool, verbosity: int = 0):
    """Make this worker's test database a copy of the template (made first if missing) and set it up kept;
    returns what ``teardown_databases`` takes."""
    worker_name = connection.creation._get_test_db_name()
    original = connection.settings_dict["NAME"]
    template = _template_name(worker_name, key())
    with _locked():
        if fresh or not _exists(template):
            try:
                _build(template, verbosity)
            finally:  # setup_databases points the settings at the database it made: back to the original
                connection.close()
                connection.settings_dict["TEST"]["NAME"] = worker_name
                connection.settings_dict["NAME"] = settings.DATABASES["default"]["NAME"] = original
        _copy(template, worker_name)
    return _setup(True, verbosity)


def _template_name(worker_name: str, digest: str) -> str:
    if connection.vendor == "sqlite":
        return str(Path(worker_name).with_name(f"{PREFIX}{digest}.sqlite3"))
    base = connection.settings_dict["NAME"]
    return f"test_{base}_{PREFIX}{digest}"[:63]


def _exists(name: str) -> bool:
    if connection.vendor == "sqlite":
        return Path(name).exists()
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None


def _build(template: str, verbosity: int) -> None:
    _remove_old_templates(template)
    connection.settings_dict["TEST"]["NAME"] = template
    _setup(False, verbosity)  # created and migrated under the template's name


def _copy(template: str, worker_name: str) -> None:
    connection.close()
    if connection.vendor == "sqlite":
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(worker_name + suffix).unlink(missing_ok=True)
        shutil.copyfile(template, worker_name)
        return
    with connection._nodb_cursor() as cursor:
        quoted = connection.ops.quote_name
        cursor.execute(f"DROP DATABASE IF EXISTS {quoted(worker_name)}")
        cursor.execute(f"CREATE DATABASE {quoted(worker_name)} TEMPLATE {quoted(template)}")


def _remove_old_templates(keep: str) -> None:
    if connection.vendor == "sqlite":
        for old in Path(keep).parent.glob(f"{PREFIX}*.sqlite3"):
            if str(old) != keep:
                old.unlink(missing_ok=True)
        return
    with connection._nodb_cursor() as cursor:
        cursor.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s AND datname <> %s",
            [keep.rsplit(PREFIX, 1)[0] + PREFIX + "%", keep],
        )
        for (old,) in cursor.fetchall():
            cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(old)}")
