"""The Celery backend as the platform uses it."""

from django_tasks_fennel import CeleryBackend as FennelCeleryBackend


class CeleryBackend(FennelCeleryBackend):
    """django-tasks-fennel's backend, without its warning that Redis ignores task priorities: every task of the
    platform runs at the default priority, so there is nothing for the broker to ignore."""

    def check(self, **kwargs):
        return [message for message in super().check(**kwargs) if "priority support" not in message.msg]
