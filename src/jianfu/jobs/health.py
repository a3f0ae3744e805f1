"""What /healthz tells a load balancer: the database answers, a worker is alive, the queue is not piling up,
and when the monitoring rollup last succeeded. Nothing about people or data."""

import os
from datetime import timedelta

from django.db import connection
from django.utils import timezone

from jianfu.core import jobs as registry

from . import queue
from .models import JobRun, RunStatus, WorkerHeartbeat

WORKER_SECONDS = int(os.environ.get("JIANFU_HEALTH_WORKER_SECONDS", 120))
MAX_QUEUE = int(os.environ.get("JIANFU_HEALTH_MAX_QUEUE", 10000))
ROLLUP_HOURS = 36


def report(now=None) -> tuple[bool, dict]:
    now = now or timezone.now()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return False, {"status": "fail", "database": "fail"}
    worker = _worker(now)
    depth = queue.queue_depth()
    queue_ok = depth is not None and depth <= MAX_QUEUE
    body = {"database": "ok", "worker": worker, "queue": {"depth": depth, "ok": queue_ok}}
    body.update(_last_successes(now))
    healthy = worker["ok"] and queue_ok
    body["status"] = "ok" if healthy else "fail"
    return healthy, body


def _worker(now) -> dict:
    latest = WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()
    if latest is None:
        return {"ok": False, "seconds_since_heartbeat": None}
    seconds = int((now - latest).total_seconds())
    return {"ok": seconds <= WORKER_SECONDS, "seconds_since_heartbeat": seconds}


def _last_successes(now) -> dict:
    """Jobs registered with a health key (e.g. the rollup) and when they last succeeded."""
    out = {}
    for job in registry.jobs():
        if not job.health:
            continue
        last = (
            JobRun.objects.filter(job=job.name, status=RunStatus.SUCCEEDED)
            .order_by("-finished_at")
            .values_list("finished_at", flat=True)
            .first()
        )
        out[f"last_{job.health}"] = {
            "at": last.isoformat() if last else None,
            "fresh": bool(last and now - last <= timedelta(hours=ROLLUP_HOURS)),
        }
    return out
