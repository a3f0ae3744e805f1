"""Putting a task on the queue at the right moment for the engine in use."""

from datetime import datetime

from django.conf import settings
from django.db import transaction


def enqueue(task, *args, run_after: datetime | None = None) -> None:
    """Enqueue ``task(*args)``. With the database engine the task row is written in the caller's transaction
    (it exists exactly when the write that asked for it does); with Celery the message leaves after commit,
    so a worker never looks for a row that is not there yet."""
    if run_after is not None:
        task = task.using(run_after=run_after)
    if settings.TASK_ENGINE == "database":
        task.enqueue(*args)
    else:
        transaction.on_commit(lambda: task.enqueue(*args))


def queue_depth() -> int | None:
    """Tasks waiting to run (None when the broker cannot be asked)."""
    if settings.TASK_ENGINE == "database":
        from django_tasks_db.models import DBTaskResult

        return DBTaskResult.objects.ready().count()
    try:
        from .celery import app

        queue = app.conf.task_default_queue
        # Kombu's Redis transport keeps one list per priority step ("default", "default\x06\x163", …).
        names = [queue] + [f"{queue}\x06\x16{step}" for step in (3, 6, 9)]
        with app.connection_for_read() as connection:
            client = connection.default_channel.client
            return sum(client.llen(name) for name in names)
    except Exception:  # the broker is down: health says so rather than failing
        return None
