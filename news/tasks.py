"""Celery tasks: thin, they take ids, call a service, and handle retries and failure.

Services send these by name through news.queue ("news.tasks.<name>"), so none imports this
module; NewsConfig.ready loads it so the app knows every task.
"""

import logging
import random
from collections.abc import Callable
from datetime import timedelta

from celery import Task, shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import DatabaseError, IntegrityError, InterfaceError, OperationalError
from django.utils.translation import gettext_lazy as _

from . import notifications, workflow
from .importing import runs, saving, sources
from .models import ImportSource
from .translation import service as translation_service
from .translation.errors import EngineUnavailable

logger = logging.getLogger(__name__)


class ImportTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        # Retries are spent or the error is not retried: the run must not stay "running".
        try:
            runs.fail_task_run(task_id=task_id, message=_("The import stopped: %s") % exc)
        except (DatabaseError, InterfaceError):
            logger.exception("Could not mark the run of task %s failed", task_id)


# Imports re-run safely (nothing is imported twice), so a lost worker (acks_late and
# reject_on_worker_lost: the message goes back to the queue) or a database restart (retried
# with back-off) resumes the same run; the limits leave room for the portal fetcher's own
# retries and back-off.
IMPORT_TASK_OPTIONS = {
    "base": ImportTask,
    "bind": True,
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": True,
    "retry_kwargs": {"max_retries": 5},
    "soft_time_limit": 3300,
    "time_limit": 3600,
}


NOTICE_MAX_RETRIES = 5
NOTICE_TASK_OPTIONS = {
    "bind": True,
    "acks_late": True,
    "max_retries": NOTICE_MAX_RETRIES,
    "soft_time_limit": 50,
    "time_limit": 60,
}


def send_or_retry(task, send: Callable[[], int], what: str) -> int:
    """Send a notice; a failure is logged and retried with back-off, and the last one
    logged as an error: people were not told, and someone has to tell them."""
    try:
        return send()
    except Exception as error:
        attempt = task.request.retries + 1
        if task.request.retries >= NOTICE_MAX_RETRIES:
            logger.error("%s: not sent after %d attempts", what, attempt, exc_info=True)
            raise
        logger.warning("%s: attempt %d failed, retrying", what, attempt, exc_info=True)
        delay = retry_delay(task.request.retries, None)
        raise task.retry(exc=error, countdown=delay) from error


@shared_task(**NOTICE_TASK_OPTIONS)
def send_transition_notifications(self, transition_id: int) -> int:
    return send_or_retry(
        self,
        lambda: notifications.notify_transition(transition_id),
        f"Notice of workflow step {transition_id}",
    )


@shared_task(**NOTICE_TASK_OPTIONS)
def send_remark_notifications(self, remark_id: int) -> int:
    return send_or_retry(
        self,
        lambda: notifications.notify_remark(remark_id),
        f"Notice of the mentions in remark {remark_id}",
    )


@shared_task(acks_late=True, soft_time_limit=100, time_limit=120)
def publish_scheduled_articles() -> list[int]:
    return workflow.publish_due_articles()


@shared_task(**IMPORT_TASK_OPTIONS)
def run_import_source(self, source_id: int, run_id: int | None = None) -> int | None:
    """Import one configured source into its queued run (beat queues none: the task makes
    it); a re-run after a crash imports nothing twice."""
    source = ImportSource.objects.filter(pk=source_id, enabled=True).first()
    if source is None:
        # Disabled or deleted since it was queued: the queued run, if any, is closed.
        runs.fail_task_run(
            task_id=self.request.id, message=_("The source was disabled or deleted.")
        )
        return None
    if run_id is None:
        run = runs.run_for_task(source, task_id=self.request.id)
    else:
        run = runs.claim_run(run_id, task_id=self.request.id)
    if run is None:
        return None  # finished by an earlier delivery, or superseded by a re-send
    return sources.run_source(source, run=run).pk


@shared_task(**IMPORT_TASK_OPTIONS)
def import_uploaded_file(self, run_id: int) -> int | None:
    """Import a file uploaded in the admin, kept on its run."""
    run = runs.claim_run(run_id, task_id=self.request.id)
    if run is None:
        return None  # finished by an earlier delivery, or superseded by a re-send
    saving.run_import(
        bytes(run.payload or b""),
        input_name=run.input_name,
        format=run.format or "auto",
        source=run.source,
        user=run.triggered_by,
        run=run,
    )
    return run.pk


@shared_task(**NOTICE_TASK_OPTIONS)
def send_source_disabled_notice(self, source_id: int, run_id: int) -> int:
    return send_or_retry(
        self,
        lambda: notifications.notify_source_disabled(source_id, run_id),
        f"Notice that import source {source_id} was disabled",
    )


# An import stops at its time limit (an hour) and its retries end within hours: a run still
# running a day after it started lost its task with its worker and its queue.
ABANDONED_RUN_AGE = timedelta(hours=24)


@shared_task(acks_late=True, soft_time_limit=100, time_limit=120)
def resend_queued_work() -> dict[str, int]:
    """Send again the imports and translations recorded as queued that no worker started:
    refused while the task queue was down, or lost by a restarted Redis; close abandoned
    runs. Beat runs it every minute, and every worker once when it starts."""
    older_than = timedelta(seconds=settings.PRESSROOM_QUEUE_RESEND_AFTER_SECONDS)
    return {
        "imports": runs.resend_queued_runs(older_than=older_than),
        "translations": translation_service.resend_queued_jobs(older_than=older_than),
        "abandoned": runs.close_abandoned_runs(older_than=ABANDONED_RUN_AGE),
    }


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
