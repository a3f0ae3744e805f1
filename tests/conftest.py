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
    load_demo()
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
