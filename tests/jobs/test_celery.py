"""The same notification tasks through Celery with a real Redis (django-tasks-fennel maps Django's tasks API
onto Celery): a `jianfu worker` process with JIANFU_TASKS=celery sends each message once.

Skipped only when no Redis answers at 127.0.0.1:6379; `.ci/run` starts (or installs) Redis, so CI runs it."""

import json
import os
import subprocess
import sys
import time
import uuid

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings

from jianfu.notifications.models import Delivery, DeliveryStatus, Kind, Preference
from jianfu.notifications.services import notify

REDIS = "redis://127.0.0.1:6379/0"


def _redis_or_skip():
    import redis

    try:
        redis.Redis.from_url(REDIS, socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.skip("没有在 127.0.0.1:6379 运行的 Redis（.ci/run 会启动它，CI 中此测试一定运行）")


def _database_env() -> dict:
    """Point the worker process at this test's database."""
    current = connection.settings_dict
    if connection.vendor == "sqlite":
        return {"JIANFU_SQLITE": str(current["NAME"])}
    return {
        "DATABASE_URL": f"postgres://{current['USER']}:{current['PASSWORD'] or ''}@{current['HOST']}:"
        f"{current['PORT'] or 5432}/{current['NAME']}"
    }


@pytest.fixture
def celery_worker(tmp_path):
    _redis_or_skip()
    prefix = f"jianfu-test-{uuid.uuid4().hex[:8]}:"
    env = {
        **os.environ,
        **_database_env(),
        "JIANFU_TASKS": "celery",
        "JIANFU_CELERY_BROKER": REDIS,
        "JIANFU_CELERY_PREFIX": prefix,
        "JIANFU_SMS_FILE_PATH": str(tmp_path),
        "JIANFU_ENV": "test",
    }
    log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen(
        [sys.executable, "-m", "jianfu.cli", "worker", "--no-scheduler", "--concurrency", "2"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    from jianfu.jobs.celery import app

    app.conf.broker_url = app.conf.result_backend = REDIS
    app.conf.broker_transport_options = app.conf.result_backend_transport_options = {
        "global_keyprefix": prefix
    }
    yield tmp_path
    worker.terminate()
    try:
        worker.wait(timeout=20)
    except subprocess.TimeoutExpired:
        worker.kill()
    log.close()


@pytest.mark.django_db(transaction=True)
def test_it_sends_each_message_once_through_celery_and_redis(celery_worker):
    from jianfu.orgs.demo import load_demo
    from jianfu.orgs.models import User

    load_demo()
    people = list(User.objects.filter(username__in=["taoyuan", "jiefang", "monitor"]))
    for n, user in enumerate(people):
        user.phone = f"1390000{n:04d}"
        user.save()
        Preference.objects.create(user=user, email=False, sms=True, push=False)
    celery = {"default": settings.TASK_BACKENDS["celery"]}
    with override_settings(TASK_ENGINE="celery", TASKS=celery):
        for n in range(4):
            notify(recipients=people, kind=Kind.STEP_ASSIGNED, title=f"待办 {n}")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and Delivery.objects.exclude(status=DeliveryStatus.SENT).exists():
        time.sleep(0.5)
    log = (celery_worker / "worker.log").read_text()
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}, log[-3000:]
    sent = [json.loads(line) for line in (celery_worker / "sms.jsonl").read_text().splitlines()]
    assert len(sent) == 12 and len({s["ref"] for s in sent}) == 12  # each message once
    assert "django_tasks:jianfu.notifications.tasks.deliver" in log
