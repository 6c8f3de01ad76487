from celery import shared_task
from django.db import OperationalError

from . import notifications, workflow
from .importing import service
from .models import ImportRun, ImportSource

# Imports re-run safely (nothing is imported twice), so a lost worker or a database restart
# is retried; the limits leave room for the portal fetcher's own retries and back-off.
IMPORT_TASK_OPTIONS = {
    "acks_late": True,
    "autoretry_for": (OperationalError,),
    "retry_backoff": True,
    "retry_kwargs": {"max_retries": 5},
    "soft_time_limit": 3300,
    "time_limit": 3600,
}


@shared_task(
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_kwargs={"max_retries": 5},
    soft_time_limit=50,
    time_limit=60,
)
def send_transition_notifications(transition_id: int) -> int:
    return notifications.notify_transition(transition_id)


@shared_task(acks_late=True, soft_time_limit=100, time_limit=120)
def publish_scheduled_articles() -> list[int]:
    return workflow.publish_due_articles()


@shared_task(**IMPORT_TASK_OPTIONS)
def run_import_source(source_id: int) -> int | None:
    """Import one configured source; a re-run after a crash imports nothing twice."""
    source = ImportSource.objects.filter(pk=source_id, enabled=True).first()
    if source is None:
        return None  # disabled or deleted since it was queued
    return service.run_source(source).pk


@shared_task(**IMPORT_TASK_OPTIONS)
def import_uploaded_file(run_id: int) -> int:
    """Import a file uploaded in the admin, kept on its run."""
    run = ImportRun.objects.select_related("source").get(pk=run_id)
    service.run_import(
        bytes(run.payload or b""),
        input_name=run.input_name,
        format=run.format or "auto",
        source=run.source,
        user=run.triggered_by,
        run=run,
    )
    return run.pk


@shared_task(
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_kwargs={"max_retries": 5},
    soft_time_limit=50,
    time_limit=60,
)
def send_source_disabled_notice(source_id: int, run_id: int) -> int:
    return notifications.notify_source_disabled(source_id, run_id)
