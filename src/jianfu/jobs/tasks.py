"""The tasks the worker runs for the jobs app (found by Celery's autodiscovery, too)."""

from django_tasks import task


@task()
def run_job(run_id: int) -> str:
    from . import scheduler

    return scheduler.run(run_id)


@task()
def run_work(work_id: int) -> str:
    from . import operations

    return operations.run(work_id)
