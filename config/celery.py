"""Celery application; configuration comes from Django settings prefixed CELERY_."""

import os

from celery import Celery
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("pressroom")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_ready.connect
def resend_queued_work_on_start(sender, **kwargs):
    """Work refused while the task queue was down is sent as soon as a worker is back,
    without waiting for beat's next minute."""
    sender.app.send_task("news.tasks.resend_queued_work")
