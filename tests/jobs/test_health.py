"""/healthz for a load balancer: 200 while the database answers and a worker beats, 503 otherwise; no login,
nothing sensitive."""

from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from jianfu.jobs.models import JobRun, RunStatus, WorkerHeartbeat


def _beat(seconds_ago=5):
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id="w1",
        hostname="app-1",
        pid=1,
        engine="database",
        started_at=now,
        seen_at=now - timedelta(seconds=seconds_ago),
    )


def test_it_answers_503_without_a_live_worker(db, client):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["worker"] == {"ok": False, "seconds_since_heartbeat": None}
    _beat(seconds_ago=600)
    assert client.get("/healthz").status_code == 503


def test_it_answers_200_with_the_queue_and_the_last_rollup(db, client):
    _beat()
    JobRun.objects.create(
        job="monitoring.rollup",
        period="2026-12-01",
        status=RunStatus.SUCCEEDED,
        finished_at=timezone.now() - timedelta(hours=3),
    )
    response = client.get("/healthz")
    assert response.status_code == 200 and response["Cache-Control"].startswith("max-age=0")
    body = response.json()
    assert body["status"] == "ok" and body["database"] == "ok" and body["queue"] == {"depth": 0, "ok": True}
    assert body["last_rollup"]["fresh"] is True
    assert set(body) == {"status", "database", "worker", "queue", "last_rollup"}  # nothing else is told


def test_it_counts_the_queue_and_fails_when_it_piles_up(world, client, monkeypatch):
    _beat()
    from jianfu.jobs import health
    from jianfu.notifications.models import Kind
    from jianfu.notifications.services import notify

    for n in range(3):
        notify(recipients=[world.monitor], kind=Kind.OTHER, title=f"消息 {n}")
    assert client.get("/healthz").json()["queue"]["depth"] == 3 * 2  # e-mail and push for each message
    monkeypatch.setattr(health, "MAX_QUEUE", 5)
    assert client.get("/healthz").status_code == 503


def test_the_worker_command_ticks_runs_the_queue_and_beats(transactional_db):
    call_command("worker", once=True)
    assert WorkerHeartbeat.objects.exists()
    assert JobRun.objects.filter(job="audit.purge", status=RunStatus.SUCCEEDED).exists()
    assert not JobRun.objects.filter(status=RunStatus.QUEUED).exists()
