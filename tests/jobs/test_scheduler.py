"""The clock: each registered job once per period, even with two schedulers; retries, back-off and reports."""

import threading
import warnings
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connections
from django.test import override_settings
from django.utils import timezone

from jianfu.core import jobs as registry
from jianfu.core.jobs import Schedule
from jianfu.jobs import scheduler
from jianfu.jobs.models import JobRun, RunStatus
from jianfu.notifications.models import Kind, Notification

SHANGHAI = ZoneInfo("Asia/Shanghai")
CALLS = []


def at(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=SHANGHAI)


def flaky_job():
    CALLS.append(timezone.now())
    raise ConnectionError("短信网关无法连接")


def counting_job():
    CALLS.append(timezone.now())
    return {"处理": len(CALLS)}


@pytest.fixture
def only_job():
    """Run the tick over one test job instead of the apps' real ones."""
    saved = dict(registry.JOBS)
    registry.JOBS.clear()
    CALLS.clear()

    def _register(func, schedule="daily 08:00"):
        return registry.register_job(
            "test.job", label="测试作业", func=f"{__name__}.{func}", schedule=schedule
        )

    yield _register
    registry.JOBS.clear()
    registry.JOBS.update(saved)


def test_it_reads_schedules_and_the_period_each_moment_falls_in():
    daily = Schedule.parse("daily 08:00")
    assert daily.period(at("2026-03-02 07:59")) == "2026-03-01"  # before 08:00 today's run has not begun
    assert daily.period(at("2026-03-02 08:00")) == "2026-03-02"
    assert daily.next_run(at("2026-03-02 09:00")) == at("2026-03-03 08:00")
    hourly = Schedule.parse("hourly 5")
    assert hourly.period(at("2026-03-02 10:04")) == "2026-03-02 09时"
    assert hourly.next_run(at("2026-03-02 10:05")) == at("2026-03-02 11:05")
    every = Schedule.parse("every 15")
    assert every.period(at("2026-03-02 10:29")) == "2026-03-02 10:15"
    monthly = Schedule.parse("monthly 1 00:10")
    assert monthly.period(at("2026-03-01 00:09")) == "2026-02"
    assert monthly.next_run(at("2026-12-05 12:00")) == at("2027-01-01 00:10")
    assert daily.describe() == "每天 08:00" and monthly.describe() == "每月 1 日 00:10"
    for bad in ("daily 25:00", "weekly 1", "every 0", "monthly 31 08:00"):
        with pytest.raises(ValueError, match="运行"):
            Schedule.parse(bad)


@override_settings(JOB_SCHEDULES={"test.job": "hourly 30"})
def test_it_moves_a_job_to_the_time_a_county_configured(only_job):
    job = only_job("counting_job")
    assert job.current_schedule.describe() == "每小时第 30 分"


def test_it_registers_every_apps_periodic_jobs_and_runs_them_all(db):
    names = set(registry.JOBS)
    assert {
        "admission.remind",
        "admission.due_soon",
        "grid.escalate",
        "monitoring.rollup",
        "monitoring.recheck",
        "audit.purge",
        "forms.open_periods",
        "notifications.digest",
    } <= names
    assert not registry.JOBS["forms.open_periods"].is_slot
    claimed = scheduler.tick()
    assert "forms.open_periods" in {run.job for run in claimed}
    assert {run.job for run in claimed} == {name for name in names if not registry.JOBS[name].is_slot}


def test_it_runs_a_job_once_per_period(db, only_job, run_tasks):
    only_job("counting_job")
    assert len(scheduler.tick(now=at("2026-03-02 08:01"))) == 1
    assert scheduler.tick(now=at("2026-03-02 15:00")) == []  # same day: already claimed
    assert run_tasks() == 1
    run = JobRun.objects.get()
    assert (run.period, run.status, run.summary, run.attempts) == (
        "2026-03-02",
        RunStatus.SUCCEEDED,
        "处理 1",
        1,
    )
    assert len(scheduler.tick(now=at("2026-03-03 08:00"))) == 1  # the next day is a new period
    assert run_tasks() == 1 and len(CALLS) == 2


@pytest.mark.django_db(transaction=True)
def test_it_claims_a_period_once_when_two_schedulers_tick_at_once(only_job):
    only_job("counting_job")
    start, results = threading.Barrier(2), []

    def tick(worker):
        try:
            start.wait()
            results.append(scheduler.tick(now=at("2026-03-02 08:01"), worker_id=worker))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=tick, args=(f"worker-{n}",)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(len(claimed) for claimed in results) == [0, 1]
    assert JobRun.objects.count() == 1
    from django_tasks_db.models import DBTaskResult

    assert DBTaskResult.objects.filter(task_path="jianfu.jobs.tasks.run_job").count() == 1  # enqueued once


@override_settings(RETRY_DELAYS=[60, 300])
def test_it_retries_a_failing_job_with_back_off_then_reports_it(
    world, only_job, run_tasks, client, login, django_capture_on_commit_callbacks
):
    only_job("flaky_job")
    scheduler.tick(now=at("2026-03-02 08:01"))
    before = timezone.now()
    assert run_tasks() == 1
    run = JobRun.objects.get()
    assert (run.status, run.attempts) == (RunStatus.RETRYING, 1)
    assert "ConnectionError: 短信网关无法连接" in run.error
    assert before + timedelta(seconds=59) < run.next_attempt_at < timezone.now() + timedelta(seconds=61)
    assert run_tasks() == 0  # the retry waits for its time
    assert run_tasks(due_now=True) == 1
    run.refresh_from_db()
    assert (run.status, run.attempts) == (RunStatus.RETRYING, 2)
    assert run.next_attempt_at > timezone.now() + timedelta(seconds=290)  # the second wait is longer
    assert not Notification.objects.filter(kind=Kind.JOB_FAILED).exists()  # not reported while retrying
    with django_capture_on_commit_callbacks(execute=True):
        assert run_tasks(due_now=True) == 1
    run.refresh_from_db()
    assert (run.status, run.attempts, len(CALLS)) == (RunStatus.FAILED, 3, 3)
    told = Notification.objects.filter(kind=Kind.JOB_FAILED)
    assert set(told.values_list("recipient__username", flat=True)) == {"sysadmin", "dl_admin"}
    assert "测试作业" in told.first().title
    login(world.admin)
    page = client.get("/jobs/").content.decode()
    assert "失败" in page and "短信网关无法连接" in page


def test_it_takes_back_a_run_whose_worker_vanished(db, only_job, run_tasks):
    only_job("counting_job")
    run = scheduler.tick(now=at("2026-03-02 08:01"))[0]
    JobRun.objects.filter(pk=run.pk).update(
        status=RunStatus.RUNNING, attempts=1, started_at=timezone.now() - timedelta(hours=3)
    )
    assert "中断 1 次" in scheduler.sweep()
    run.refresh_from_db()
    assert run.status == RunStatus.RETRYING and "中断" in run.error


def test_it_lets_an_administrator_run_a_job_now_and_audits_it(world, client, login, run_tasks):
    login(world.admin)
    response = client.post("/jobs/audit.purge/run/")
    assert response.status_code == 302
    run = JobRun.objects.get(job="audit.purge")
    assert run.period.startswith("手动")
    assert run_tasks() >= 1
    run.refresh_from_db()
    assert (run.status, run.summary) == (RunStatus.SUCCEEDED, "清理 0 条")  # read in Chinese on the page
    assert client.post("/jobs/no.such.job/run/").status_code == 404
    login(world.monitor)
    assert client.get("/jobs/").status_code == 403


def test_the_api_runs_a_job_now_with_202_and_its_run_without_a_deprecation_warning(world, client, login):
    login(world.admin)
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)  # django-ninja warns on a (status, body) tuple
        response = client.post("/api/v1/jobs/audit.purge/run")
    assert response.status_code == 202, response.content.decode()[:300]
    body = response.json()
    assert (
        body["period"].startswith("手动") and body["status"] == JobRun.objects.get(job="audit.purge").status
    )
    assert client.post("/api/v1/jobs/no.such.job/run").status_code == 404
