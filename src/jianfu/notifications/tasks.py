"""Sending messages runs in the worker (found by Celery's autodiscovery, too)."""

from django_tasks import task


@task()
def deliver(delivery_id: int) -> str:
    from . import delivery

    return delivery.deliver(delivery_id)
