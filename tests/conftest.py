"""Named people for every test (Healthchecks' alice/bob, Zulip's example_user).

The world is the demo county (data/demo): 清河县 with 5 townships/街道 and 20 villages and communities,
and the neighbouring 东岭县, whose administrator is the outsider.
"""

import importlib.util
import shutil
import tempfile
from dataclasses import dataclass

import pytest
from django.conf import settings

from jianfu.orgs.demo import DEMO_PASSWORD, load_demo
from jianfu.orgs.models import Department, Region, User

PASSWORD = DEMO_PASSWORD


def pytest_configure(config):
    # Hashing with PBKDF2's 1M rounds would dominate the suite; production keeps the default.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Uploads (attachments, photos) made by the tests go to a scratch folder per run (and per xdist worker).
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="jianfu-test-media-")


def pytest_unconfigure(config):
    if "jianfu-test-media-" in str(settings.MEDIA_ROOT):
        shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)


@pytest.fixture(scope="session")
def django_db_setup(
    request,
    django_test_environment,
    django_db_blocker,
    django_db_use_migrations,
    django_db_keepdb,
    django_db_createdb,
    django_db_modify_db_settings,
):
    """pytest-django's test database, copied from a migrated template made once (tests/dbtemplate.py) instead of
    migrated by every worker. ``--reuse-db`` and ``--nomigrations`` keep pytest-django's own way."""
    from django.test.utils import setup_databases, teardown_databases

    from tests import dbtemplate

    verbosity = request.config.option.verbose
    with django_db_blocker.unblock():
        if django_db_keepdb and not django_db_createdb or not django_db_use_migrations:
            from pytest_django.fixtures import _disable_migrations

            if not django_db_use_migrations:
                _disable_migrations()
            keep = django_db_keepdb and not django_db_createdb
            config = setup_databases(verbosity=verbosity, interactive=False, keepdb=keep)
        else:
            config = dbtemplate.prepare(fresh=django_db_createdb, verbosity=verbosity)
    yield
    if not django_db_keepdb:
        with django_db_blocker.unblock():
            teardown_databases(config, verbosity=verbosity)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate-limit counters live in the cache: each test starts with none, whatever the last one sent."""
    from django.core.cache import cache

    cache.clear()
    yield


PERSONAS = {
    "admin": "sysadmin",  # 系统管理员, 清河县
    "office": "mz_office",  # 县民政局 clerk, review-committee office
    "chair": "chair",  # committee chair
    "member": "member_bb",  # member unit 县委编办
    "dept_clerk": "rs_clerk",  # 县人社局 department clerk
    "town_hk": "hk_town",  # 河口镇 township staff
    "town_cg": "cg_town",  # 城关街道 staff
    "village_cadre": "taoyuan",  # 桃园村 (河口镇)
    "community_cadre": "jiefang",  # 解放路社区 (城关街道)
    "monitor": "monitor",
    "inspector": "jw_inspector",  # 县纪委监委
    "grid_worker": "grid_jf",
    "outsider": "dl_admin",  # administrator of the neighbouring 东岭县
}

# People who are not matrix personas but whom separation-of-duties tests need: a second clerk of the office
# (publishes what the first drafted).
COLLEAGUES = {"office2": "mz_office2"}


@dataclass
class World:
    province: Region
    county: Region
    other_county: Region
    township_hk: Region
    township_cg: Region
    village_taoyuan: Region
    community_jiefang: Region
    other_village: Region
    dept_rs: Department
    dept_mz: Department
    other_dept: Department
    people: dict

    def __getattr__(self, name):
        people = self.__dict__.get("people", {})
        if name in people:
            return people[name]
        raise AttributeError(name)


@pytest.fixture
def world(db) -> World:
    return build_world()


def build_world() -> World:
    """Load the demo county into the open transaction and name its places and people (the ``world`` fixture;
    the permission matrix builds it once per class, see tests/test_permission_matrix.py)."""
    load_demo_copy()
    region = lambda code: Region.objects.get(code=code)  # noqa: E731
    return World(
        province=region("420000000000"),
        county=region("428521000000"),
        other_county=region("428522000000"),
        township_hk=region("428521101000"),
        township_cg=region("428521001000"),
        village_taoyuan=region("428521101201"),
        community_jiefang=region("428521001001"),
        other_village=region("428522100201"),
        dept_rs=Department.objects.get(name="县人社局"),
        dept_mz=Department.objects.get(name="县民政局"),
        other_dept=Department.objects.get(name="东岭县民政局"),
        people={
            key: User.objects.get(username=username) for key, username in {**PERSONAS, **COLLEAGUES}.items()
        },
    )


class _DemoCopy:
    """The rows ``load_demo()`` writes, read back after its first run in this process (xdist worker) and copied
    into later tests' transactions with one INSERT per table.

    The importers (a workbook per file, every row validated, the audit chain) cost ~0.1 s of CPU each time and
    the ``world`` fixture ran them for ~800 tests; the copy costs a few milliseconds. It is the same data:
    the rows were written into empty tables (checked when they are read back), so they are copied only into
    tables that are empty again, and every other table must have been left as it was; otherwise, and in a test
    whose rows are committed (``transaction=True``: no open transaction to copy into, and a flush after),
    ``load_demo()`` runs for real. Audit rows keep their hashes and times, so the chain verifies as loaded."""

    tables: dict[str, tuple[list[str], str]] | None = None  # table -> (columns, rows as JSON)
    refused = False  # the first run did not start from empty tables: always load for real

    @staticmethod
    def _table_names() -> list[str]:
        from django.db import connection

        return sorted(connection.introspection.django_table_names(only_existing=True, include_views=False))

    @staticmethod
    def _columns(table: str) -> list[str]:
        from django.db import connection

        with connection.cursor() as cursor:
            return [c.name for c in connection.introspection.get_table_description(cursor, table)]

    @classmethod
    def _rows(cls, table: str, columns: list[str]) -> str:
        """Every row of ``table`` as one JSON array of arrays, written by the database (no Python type round trip)."""
        from django.db import connection

        quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    f"SELECT coalesce(json_agg(json_build_array({quoted}) ORDER BY 1), '[]')::text "  # noqa: S608
                    f"FROM {connection.ops.quote_name(table)}"
                )
            else:
                cursor.execute(
                    f"SELECT coalesce(json_group_array(json_array({quoted})), '[]') "  # noqa: S608
                    f"FROM (SELECT {quoted} FROM {connection.ops.quote_name(table)} ORDER BY 1)"
                )
            return cursor.fetchone()[0]

    @classmethod
    def _snapshot(cls) -> dict[str, tuple[list[str], str]]:
        snapshot = {}
        for table in cls._table_names():
            columns = cls._columns(table)
            snapshot[table] = (columns, cls._rows(table, columns))
        return snapshot

    @classmethod
    def _empty(cls, tables) -> bool:
        from django.db import connection

        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute("SELECT " + " OR ".join(f"EXISTS (SELECT 1 FROM {quote(t)})" for t in tables))
            return not cursor.fetchone()[0]

    @classmethod
    def load(cls) -> None:
        from django.db import connection

        if not connection.in_atomic_block or cls.refused:
            load_demo()
            return
        if cls.tables is None:
            before = cls._snapshot()
            load_demo()
            after = cls._snapshot()
            written = {t: after[t] for t in after if after[t] != before.get(t)}
            if any(before.get(t, (None, "[]"))[1] != "[]" for t in written):
                cls.refused = True  # load_demo met rows of its own tables here: not a plain copy
            else:
                cls.tables = written
            return
        if not cls._empty(cls.tables):
            load_demo()
            return
        cls._insert()

    @classmethod
    def _insert(cls) -> None:
        from django.apps import apps
        from django.core.management.color import no_style
        from django.db import connection

        quote = connection.ops.quote_name
        assert cls.tables is not None
        with connection.cursor() as cursor:
            for table, (columns, rows) in cls.tables.items():
                names = ", ".join(quote(c) for c in columns)
                if connection.vendor == "postgresql":
                    # The table's own row type gives each JSON value its column's type back.
                    values = ", ".join(
                        f"(r ->> {i})::{cls._pg_type(cursor, table, c)}" for i, c in enumerate(columns)
                    )
                    cursor.execute(
                        f"INSERT INTO {quote(table)} ({names}) SELECT {values} "  # noqa: S608
                        "FROM json_array_elements(%s::json) AS r",
                        [rows],
                    )
                else:
                    values = ", ".join(f"json_extract(value, '$[{i}]')" for i in range(len(columns)))
                    cursor.execute(
                        f"INSERT INTO {quote(table)} ({names}) SELECT {values} FROM json_each(%s)",  # noqa: S608
                        [rows],
                    )
            # PostgreSQL's sequences do not follow explicit ids (SQLite's AUTOINCREMENT does).
            models = [m for m in apps.get_models(include_auto_created=True) if m._meta.db_table in cls.tables]
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)

    _pg_types: dict[tuple[str, str], str] = {}

    @classmethod
    def _pg_type(cls, cursor, table: str, column: str) -> str:
        key = (table, column)
        if key not in cls._pg_types:
            cursor.execute(
                "SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
                "WHERE attrelid = %s::regclass AND attname = %s",
                [table, column],
            )
            cls._pg_types[key] = cursor.fetchone()[0]
        return cls._pg_types[key]


def load_demo_copy() -> None:
    """``load_demo()`` into the open transaction, from the copy of its first run when it can be (``_DemoCopy``)."""
    _DemoCopy.load()


@pytest.fixture
def demo_world(world):
    """The world with every app's demo records (``jianfu load_demo``). The classifier keeps its indexes keyed
    by row ids and counts, which the next test's rolled-back database reuses: they are dropped afterwards."""
    import io

    from django.core.management import call_command

    from jianfu.catalog import classify

    call_command("load_demo", stdout=io.StringIO())
    yield world
    classify._cache.clear()


@pytest.fixture(scope="module")
def shared_demo_world(django_db_setup, django_db_blocker):
    """``demo_world`` built once for a whole module, in a transaction rolled back at its end (loading every app's
    demo takes most of a minute). Only for modules whose tests all take it through a ``demo_world`` of their own on
    ``shared_demo`` (or on this and ``db`` when they only read): each test then runs in a savepoint that drops
    whatever it wrote."""
    import io

    from django.core.management import call_command
    from django.db import transaction

    from jianfu.catalog import classify

    with django_db_blocker.unblock(), transaction.atomic():
        world = build_world()
        call_command("load_demo", stdout=io.StringIO())
        yield world
        transaction.set_rollback(True)
    classify._cache.clear()


@pytest.fixture
def shared_demo(shared_demo_world, db):
    """``shared_demo_world`` for one test, in its own savepoint; the classifier's indexes are dropped afterwards, as
    ``demo_world`` drops them."""
    from jianfu.catalog import classify

    yield shared_demo_world
    classify._cache.clear()


def fresh_settings(monkeypatch, **env):
    """Evaluate settings.py afresh under the given environment (e.g. JIANFU_ENV=production)."""
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    spec = importlib.util.spec_from_file_location("jianfu_settings_probe", settings.BASE_DIR / "settings.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def login(client):
    """login(user) signs the test client in through the real login page."""

    def _login(user):
        response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
        assert response.status_code == 302, response.content.decode()[:500]
        return client

    return _login


def run_queued_tasks(*, due_now: bool = False) -> int:
    """Run every task waiting in the database queue, as ``jianfu worker`` would, inside the test's transaction
    (django-tasks-db's worker loop would close the connection between tasks). ``due_now`` also runs tasks
    deferred to later (retries, quiet hours) that are waiting now. Returns how many ran."""
    from django.utils import timezone
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    if due_now:  # once: a task those runs defer again waits for the next call
        DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    ran = 0
    while True:
        task_result = DBTaskResult.objects.ready().first()
        if task_result is None:
            return ran
        task_result.claim(worker.worker_id)
        worker.run_task(task_result)
        ran += 1


@pytest.fixture
def run_tasks():
    return run_queued_tasks
