"""Benchmark: 10,000 notification tasks through the database queue, then through Celery with Redis.

For each engine: two `jianfu worker --no-scheduler` processes (the machine has two cores) run against the same
scratch database; this process calls ``notify(...)`` 10,000 times (each call one transaction: the inbox row,
one SMS delivery and its task), and the workers send each SMS through the file backend (a real write per
message). Measured from the rows themselves: enqueue rate, drain throughput (first enqueue to last message
sent), and the delay of each message from ``notify`` to sent (p50/p99). Every message must be sent exactly
once (one line per delivery reference in the SMS file).

Anchors, measured in the same run: the SMS backend called 10,000 times in this process with no queue (the
ceiling any queue can approach), and the load a province puts on it: 60,000 accounts' daily digests must
leave within 30 minutes (33 messages/s), and a burst must not keep a message waiting more than a minute.
"""

import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

from .harness import Context, Table, database_version, fresh_database, percentile

MESSAGES = 10_000
RECIPIENTS = 100
WORKERS = 2
PROVINCE_RATE = 60_000 / 1800  # every account's digest within 30 minutes
P99_TARGET = 60.0
REDIS = os.environ.get("JIANFU_BENCH_REDIS", "redis://127.0.0.1:6379/0")


def _people():
    from jianfu.notifications.models import Preference
    from jianfu.orgs.models import Level, Region, User

    county = Region.objects.create(code="439999000000", name="基准县", level=Level.COUNTY, kind="")
    people = []
    for n in range(RECIPIENTS):
        user = User.objects.create(
            username=f"bench{n}", full_name=f"基准用户{n}", phone=f"139{n:08d}", home_region=county
        )
        Preference.objects.create(user=user, email=False, sms=True, push=False)
        people.append(user)
    return people


def _database_env(ctx: Context) -> dict:
    from django.db import connection

    current = connection.settings_dict
    if connection.vendor == "sqlite":
        return {"JIANFU_SQLITE": str(current["NAME"])}
    return {
        "DATABASE_URL": f"postgres://{current['USER']}:{current['PASSWORD'] or ''}@{current['HOST']}:"
        f"{current['PORT'] or 5432}/{current['NAME']}"
    }


def _start_workers(ctx: Context, engine: str, sms_dir: Path, extra: dict) -> list:
    env = {
        **os.environ,
        **_database_env(ctx),
        "JIANFU_TASKS": engine,
        "JIANFU_SMS_FILE_PATH": str(sms_dir),
        "JIANFU_DEBUG": "0",
        "JIANFU_LOG_LEVEL": "ERROR",
        **extra,
    }
    command = [sys.executable, "-m", "jianfu.cli", "worker", "--no-scheduler", "--interval", "0.2"]
    if engine == "celery":
        command += ["--concurrency", "2"]
    log = (sms_dir / f"{engine}-workers.log").open("w")
    return [subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT) for _ in range(WORKERS)]


def _stop(workers) -> None:
    for worker in workers:
        worker.terminate()
    for worker in workers:
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()


def _enqueue(people) -> float:
    from jianfu.notifications.models import Kind
    from jianfu.notifications.services import notify

    started = time.perf_counter()
    for n in range(MESSAGES):
        notify(recipients=[people[n % RECIPIENTS]], kind=Kind.STEP_ASSIGNED, title=f"基准消息 {n}")
    return time.perf_counter() - started


def _wait_until_sent(timeout: float) -> bool:
    from jianfu.notifications.models import Delivery

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not Delivery.objects.exclude(status="sent").exists():
            return True
        time.sleep(0.5)
    return False


def _figures(sms_dir: Path) -> dict:
    from django.db.models import Max, Min

    from jianfu.notifications.models import Delivery

    rows = Delivery.objects.filter(status="sent").values_list("notification__created_at", "sent_at")
    delays = [(sent - created).total_seconds() for created, sent in rows]
    span = Delivery.objects.aggregate(first=Min("notification__created_at"), last=Max("sent_at"))
    lines = (sms_dir / "sms.jsonl").read_text().splitlines() if (sms_dir / "sms.jsonl").exists() else []
    refs = [json.loads(line)["ref"] for line in lines]
    seconds = (span["last"] - span["first"]).total_seconds() if span["last"] else float("nan")
    return {
        "sent": len(delays),
        "seconds": seconds,
        "p50": percentile(delays, 50) if delays else float("nan"),
        "p99": percentile(delays, 99) if delays else float("nan"),
        "lines": len(refs),
        "unique": len(set(refs)),
    }


def _engine_run(ctx: Context, engine: str, label: str) -> dict:
    from django.test.utils import override_settings

    from jianfu.notifications.models import Delivery, Notification

    fresh_database(ctx, f"tasks_{engine}")
    people = _people()
    sms_dir = ctx.workdir / f"sms-{engine}"
    sms_dir.mkdir(exist_ok=True)
    extra, overrides = {}, {}
    if engine == "celery":
        prefix = f"jianfu-bench-{uuid.uuid4().hex[:8]}:"
        extra = {"JIANFU_CELERY_BROKER": REDIS, "JIANFU_CELERY_PREFIX": prefix}
        from django.conf import settings

        from jianfu.jobs.celery import app

        app.conf.broker_url = app.conf.result_backend = REDIS
        app.conf.broker_transport_options = app.conf.result_backend_transport_options = {
            "global_keyprefix": prefix
        }
        overrides = {"TASK_ENGINE": "celery", "TASKS": {"default": settings.TASK_BACKENDS["celery"]}}
    workers = _start_workers(ctx, engine, sms_dir, extra)
    try:
        print(f"  {label}: enqueueing {MESSAGES:,} notifications…", flush=True)
        with override_settings(**overrides):
            enqueue_seconds = _enqueue(people)
        drained = _wait_until_sent(timeout=1800)
    finally:
        _stop(workers)
    figures = _figures(sms_dir)
    figures.update(
        enqueue=enqueue_seconds,
        drained=drained,
        inbox=Notification.objects.count(),
        deliveries=Delivery.objects.count(),
    )
    return figures


def _ceiling(ctx: Context) -> float:
    """The SMS file backend called MESSAGES times in this process, no queue: the ceiling for any engine."""
    from django.test.utils import override_settings

    from jianfu.notifications.sms import FileBackend

    folder = ctx.workdir / "sms-ceiling"
    with override_settings(SMS_FILE_PATH=folder):
        backend = FileBackend()
        started = time.perf_counter()
        for n in range(MESSAGES):
            backend.send(
                phone="13900000000",
                text="您有 1 条新消息（待我办理），请登录减负平台查看。",
                reference=f"r{n}",
            )
        return MESSAGES / (time.perf_counter() - started)


def _redis_ready() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def run(ctx: Context) -> Table:
    table = Table(
        f"Notification tasks: {MESSAGES:,} through each engine, {WORKERS} worker processes — {ctx.backend}"
    )
    ceiling = _ceiling(ctx)
    runs = [("database", "database queue (django-tasks-db)")]
    if _redis_ready():
        runs.append(("celery", "Celery + Redis (django-tasks-fennel)"))
    results = {engine: _engine_run(ctx, engine, label) for engine, label in runs}
    table.add("database", database_version())
    table.add("anchor: SMS backend alone, no queue", f"{ceiling:,.0f} msg/s", "ceiling")
    for engine, label in runs:
        r = results[engine]
        rate = r["sent"] / r["seconds"] if r["seconds"] else 0
        table.add(
            f"{label}: enqueue (notify → inbox + task)",
            f"{MESSAGES / r['enqueue']:,.0f} /s ({r['enqueue']:.1f} s)",
        )
        table.add(
            f"{label}: throughput, enqueue to last sent",
            f"{rate:,.0f} msg/s ({r['seconds']:.1f} s)",
            f"≥ {PROVINCE_RATE:.0f} msg/s",
            rate >= PROVINCE_RATE,
        )
        table.add(f"{label}: delay notify → sent, p50", f"{r['p50']:.1f} s")
        table.add(
            f"{label}: delay notify → sent, p99",
            f"{r['p99']:.1f} s",
            f"≤ {P99_TARGET:.0f} s",
            r["p99"] <= P99_TARGET,
        )
        once = r["lines"] == r["unique"] == r["sent"] == MESSAGES and r["drained"]
        table.add(
            f"{label}: sent exactly once",
            f"{r['unique']:,} of {MESSAGES:,} ({r['lines']:,} lines)",
            "all, once each",
            once,
        )
    if "celery" not in results:
        table.add("Celery + Redis", f"not run: no Redis at {REDIS}")
    return table
