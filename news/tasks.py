import random

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import IntegrityError, OperationalError
from django.utils.translation import gettext_lazy as _

from . import notifications, workflow
from .importing import service
from .models import ImportRun, ImportSource
from .translation import service as translation_service
from .translation.errors import EngineUnavailable

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


TRANSLATION_MAX_RETRIES = 8


@shared_task(
    bind=True,
    acks_late=True,
    # A lost connection, or a person saving the same language version at the same moment
    # (the unique constraint): the retry finds the job done or the person's version.
    autoretry_for=(OperationalError, IntegrityError),
    retry_backoff=True,
    max_retries=TRANSLATION_MAX_RETRIES,
    soft_time_limit=270,
    time_limit=300,
)
def translate_article(self, job_id: int) -> str:
    """Translate one original into one language (a TranslationJob); a re-delivery after the
    job is done does nothing. An engine that is down or busy is retried with back-off, then
    the job goes to a person."""
    try:
        return translation_service.run_job(job_id)
    except EngineUnavailable as error:
        if self.request.retries >= TRANSLATION_MAX_RETRIES:
            return translation_service.give_up(job_id, error.code, error.message)
        raise self.retry(countdown=retry_delay(self.request.retries, error.retry_after)) from error
    except SoftTimeLimitExceeded:
        return translation_service.give_up(
            job_id,
            "time_limit",
            _("The translation took too long and was stopped; translate it by hand or retry."),
        )


def retry_delay(retries: int, retry_after: float | None) -> float:
    """Seconds before the next attempt: what the engine asked for, else exponential back-off
    with jitter (10 s, 20 s, 40 s … up to 10 minutes) so queued jobs do not return at once."""
    if retry_after is not None:
        return min(retry_after, 3600)
    return min(600, 10 * 2**retries) * random.uniform(0.8, 1.2)  # noqa: S311
