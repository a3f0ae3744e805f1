"""The Celery application for JIANFU_TASKS=celery: configuration from settings (CELERY_*), tasks found in each
app's ``tasks`` module; django-tasks-fennel maps Django's tasks API onto it."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jianfu.settings")

app = Celery("jianfu")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.task_default_queue = "default"
app.autodiscover_tasks()
app.set_default()
