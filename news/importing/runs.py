"""Import runs as work for a worker: queued, claimed by one task, re-sent, closed.

A run is recorded (queued) before its task is sent (news.queue). When the task queue is down
the run waits in the database and resend_queued_runs sends it again; a Celery task claims
its run by task id, so a retry or a re-delivery after a lost worker resumes the same run,
while a stale message superseded by a re-send does nothing.
"""

import uuid
from datetime import timedelta

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from news.models import ArticleFlag, ArticleTransition, ImportItem, ImportRun, ImportSource
from news.queue import QUEUE_UNAVAILABLE, RecordedWork  # noqa: F401 (the admin compares it)

RUNS = RecordedWork(
    model=ImportRun,
    queued=ImportRun.Status.QUEUED,
    unavailable_message=_("The task queue is unavailable; the import will run when it is back."),
)
QUEUE_UNAVAILABLE_MESSAGE = RUNS.unavailable_message
INTERRUPTED_MESSAGE = _("The import was interrupted and did not resume; import it again.")
UPLOAD_TASK = "news.tasks.import_uploaded_file"
SOURCE_TASK = "news.tasks.run_import_source"


def queue_upload(
    *, payload: bytes, input_name: str, format: str, source: ImportSource | None, user
) -> ImportRun:
    """Record an uploaded file as a queued run and send it to a worker after commit."""
    run = ImportRun.objects.create(
        status=ImportRun.Status.QUEUED,
        source=source,
        input_name=input_name[:1000],
        format="" if format == "auto" else format,
        payload=payload,
        triggered_by=user,
        task_id=_new_task_id(),
    )
    RUNS.send_after_commit(lambda: send_run(run, uploaded=True))
    return run


def queue_source(source: ImportSource, *, user=None) -> ImportRun:
    """Record an import of a configured source as a queued run, sent after commit."""
    run = ImportRun.objects.create(
        status=ImportRun.Status.QUEUED,
        source=source,
        input_name=source_input_name(source),
        format=source.kind,
        triggered_by=user,
        task_id=_new_task_id(),
    )
    RUNS.send_after_commit(lambda: send_run(run, uploaded=False))
    return run


def source_input_name(source: ImportSource) -> str:
    return (source.location or source.govkz_agency_slug)[:1000]


def _new_task_id() -> str:
    return str(uuid.uuid4())


def send_run(run: ImportRun, *, uploaded: bool) -> bool:
    """Send a queued run's task, an uploaded file's or a source's; if the task queue is down,
    note it on the run and say so."""
    if uploaded:
        return RUNS.send(run, UPLOAD_TASK, (run.pk,), task_id=run.task_id)
    return RUNS.send(run, SOURCE_TASK, (run.source_id, run.pk), task_id=run.task_id)


def resend_queued_runs(*, older_than: timedelta) -> int:
    """Send again the runs no worker has started: those the task queue refused, and those
    queued longer than `older_than` (a restarted Redis forgets its queue); `started_at` of a
    queued run is when it was queued. Returns how many were sent."""
    waiting = RUNS.waiting(Q(started_at__lt=timezone.now() - older_than))
    uploaded = ExpressionWrapper(Q(payload__isnull=False), output_field=BooleanField())

    def restamp(run: ImportRun) -> bool:
        # Only a run still queued: one a worker claimed meanwhile keeps its task. The clock
        # restarts, so a run waiting behind a long queue is re-sent once per `older_than`.
        task_id = _new_task_id()
        if ImportRun.objects.filter(pk=run.pk, status=ImportRun.Status.QUEUED).update(
            task_id=task_id, started_at=timezone.now()
        ):
            run.task_id = task_id
            return True
        return False

    return RUNS.resend(
        waiting.defer("payload").annotate(uploaded=uploaded).order_by("pk"),
        restamp,
        lambda run: send_run(run, uploaded=run.uploaded),
    )


def claim_run(run_id: int, *, task_id: str) -> ImportRun | None:
    """Mark the run running for the task `task_id` and return it; None when another task
    owns it (this message was superseded by a re-send) or it has finished (a re-delivery
    after the work was done)."""
    owned = ImportRun.objects.filter(pk=run_id, task_id=task_id)
    started = owned.filter(status=ImportRun.Status.QUEUED).update(
        status=ImportRun.Status.RUNNING, started_at=timezone.now(), error_code="", error_message=""
    )
    if not started and not owned.filter(status=ImportRun.Status.RUNNING).exists():
        return None
    return ImportRun.objects.select_related("source", "triggered_by").get(pk=run_id)


def run_for_task(source: ImportSource, *, task_id: str) -> ImportRun | None:
    """The run of a scheduled source's task (beat queues no run): made by its first delivery,
    resumed by a retry, None when an earlier delivery finished it. The task id is unique, so
    two deliveries at once still make one run."""
    run, _created = ImportRun.objects.get_or_create(
        task_id=task_id,
        defaults={
            "source": source,
            "input_name": source_input_name(source),
            "format": source.kind,
        },
    )
    return claim_run(run.pk, task_id=task_id)


def finish_run(run: ImportRun | None, report) -> None:
    """Close `run` with the outcome of its ImportReport."""
    if run is None:
        return
    if report.error_code:
        status = ImportRun.Status.FAILED
    elif report.failed:
        status = ImportRun.Status.PARTIAL
    else:
        status = ImportRun.Status.SUCCEEDED
    ImportRun.objects.filter(pk=run.pk).update(
        status=status,
        finished_at=timezone.now(),
        error_code=report.error_code,
        error_message=report.error_message,
    )
    run.refresh_from_db()


def fail_task_run(*, task_id: str, message: str) -> None:
    """Close the run of a task that gave up, so it is not shown running forever."""
    ImportRun.objects.filter(
        task_id=task_id, status__in=[ImportRun.Status.QUEUED, ImportRun.Status.RUNNING]
    ).update(
        status=ImportRun.Status.FAILED,
        finished_at=timezone.now(),
        error_code="task_failed",
        error_message=str(message),
    )


def close_abandoned_runs(*, older_than: timedelta) -> int:
    """Mark failed the runs still running `older_than` after they started, long after any
    worker could be on them: their task was lost with its worker and its queue."""
    return ImportRun.objects.filter(
        status=ImportRun.Status.RUNNING, started_at__lt=timezone.now() - older_than
    ).update(
        status=ImportRun.Status.FAILED,
        finished_at=timezone.now(),
        error_code="interrupted",
        error_message=str(INTERRUPTED_MESSAGE),
    )


# What a run did to the articles it touched, as its page and the article list name it.
CREATED, UPDATED, FLAGGED = "created", "updated", "flagged"
OUTCOMES = (CREATED, UPDATED, FLAGGED)


def articles_of(articles, run_id: int, outcome: str = ""):
    """Narrow `articles` to those the run `run_id` touched: the ones it created, updated, or
    (FLAGGED) any it touched that still carries a flag; every one of them without `outcome`.

    A run's import steps name it (ArticleTransition.import_run); a newer version it kept
    beside an edited article is one of its items. Subqueries, so no article is listed twice.
    """
    steps = ArticleTransition.objects.filter(import_run_id=run_id)
    if outcome == CREATED:
        return articles.filter(pk__in=steps.filter(name="import").values("article_id"))
    if outcome == UPDATED:
        return articles.filter(pk__in=steps.filter(name="reimport").values("article_id"))
    kept = ImportItem.objects.filter(run_id=run_id, article__isnull=False)
    touched = articles.filter(
        Q(pk__in=steps.values("article_id")) | Q(pk__in=kept.values("article_id"))
    )
    if outcome == FLAGGED:
        return touched.filter(Exists(ArticleFlag.objects.filter(article=OuterRef("pk"))))
    return touched
