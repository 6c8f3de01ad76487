"""Work recorded before it is queued: an import run or a translation job waits in the
database while the task queue is down, is re-sent once it is back, and a task claims its
run by task id, so re-deliveries and retries resume it and stale messages do nothing."""

import re
from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as QueueUnavailable

from news import queue, tasks
from news.importing import runs, saving
from news.models import Article, ImportRun, TranslationJob
from news.translation import service as translation_service

from ..factories import ArticleFactory

pytestmark = pytest.mark.django_db

DIGEST = (
    b"Regions\nAkimat opens a new library in Kostanay 03.02.2026\nTen thousand books."
    b"Source : https://www.gov.kz/memleket/entities/kostanay/press/news/details/77?lang=en\n"
)
QUEUED, RUNNING, SUCCEEDED = (
    ImportRun.Status.QUEUED, ImportRun.Status.RUNNING, ImportRun.Status.SUCCEEDED
)  # fmt: skip


def refuse(*args, **kwargs):
    raise QueueUnavailable("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


def queued_run(task_id="task-1", **fields) -> ImportRun:
    fields = {"status": QUEUED, **fields}
    return ImportRun.objects.create(
        input_name="digest.txt", payload=DIGEST, task_id=task_id, **fields
    )


def test_an_upload_while_the_queue_is_down_waits_queued_and_the_resend_imports_it(
    editor, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(tasks.import_uploaded_file, "apply_async", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        run = runs.queue_upload(
            payload=DIGEST, input_name="digest.txt", format="auto", source=None, user=editor
        )
    run.refresh_from_db()
    assert (run.status, run.error_code) == (QUEUED, "queue_unavailable")
    assert run.error_message == str(runs.QUEUE_UNAVAILABLE_MESSAGE)
    first_task = run.task_id

    monkeypatch.undo()  # the queue is back (tasks run in-process here)
    queue.breaker.reset()  # and the few seconds of skipping it are over
    assert tasks.resend_queued_work() == {"imports": 1, "translations": 0, "abandoned": 0}
    run.refresh_from_db()
    assert (run.status, run.created, run.error_code, run.error_message) == (SUCCEEDED, 1, "", "")
    assert run.task_id != first_task
    assert Article.objects.get().external_id == "77"
    assert tasks.resend_queued_work() == {"imports": 0, "translations": 0, "abandoned": 0}


def test_a_message_superseded_by_a_resend_does_nothing():
    run = queued_run(task_id="resent")
    assert tasks.import_uploaded_file.apply(args=[run.pk], task_id="lost").get() is None
    run.refresh_from_db()
    assert (run.status, Article.objects.count()) == (QUEUED, 0)

    assert tasks.import_uploaded_file.apply(args=[run.pk], task_id="resent").get() == run.pk
    run.refresh_from_db()
    assert (run.status, run.created) == (SUCCEEDED, 1)


def test_a_redelivery_resumes_a_running_run_but_never_repeats_a_finished_one():
    run = queued_run(status=RUNNING, processed=100)  # the worker died mid-run
    assert tasks.import_uploaded_file.apply(args=[run.pk], task_id="task-1").get() == run.pk
    run.refresh_from_db()
    assert (run.status, run.processed, run.created) == (SUCCEEDED, 1, 1)

    # Delivered again after it finished (the worker died before acknowledging it).
    assert tasks.import_uploaded_file.apply(args=[run.pk], task_id="task-1").get() is None
    run.refresh_from_db()
    assert (run.status, run.created, run.unchanged) == (SUCCEEDED, 1, 0)


def test_resend_sends_only_runs_refused_or_waiting_too_long(monkeypatch, feed_source):
    sent = []
    monkeypatch.setattr(
        queue, "enqueue", lambda task, args, task_id=None: sent.append(args) or True
    )
    long_ago = timezone.now() - timedelta(hours=1)
    fresh = queued_run(task_id="fresh")
    refused = queued_run(task_id="refused", error_code="queue_unavailable")
    forgotten = queued_run(task_id="forgotten", started_at=long_ago)
    queued_run(task_id="running", status=RUNNING, started_at=long_ago)
    source_run = ImportRun.objects.create(
        status=QUEUED, source=feed_source, input_name="https://a.kz/rss", task_id="source",
        error_code="queue_unavailable",
    )  # fmt: skip

    assert runs.resend_queued_runs(older_than=timedelta(minutes=15)) == 3
    assert sent == [(refused.pk,), (forgotten.pk,), (feed_source.pk, source_run.pk)]
    forgotten.refresh_from_db()
    assert forgotten.task_id not in ("forgotten", "") and forgotten.started_at > long_ago
    fresh.refresh_from_db()
    assert fresh.task_id == "fresh"
    # Re-sent once: its clock restarted, so the next beat leaves it to its new message.
    assert runs.resend_queued_runs(older_than=timedelta(minutes=15)) == 0


def test_an_import_task_that_gives_up_closes_its_run(monkeypatch):
    run = queued_run()

    def crash(*args, **kwargs):
        raise RuntimeError("parser crashed")

    monkeypatch.setattr(saving, "run_import", crash)
    # throw=False: as in a worker, the failure goes through the task's on_failure.
    result = tasks.import_uploaded_file.apply(args=[run.pk], task_id="task-1", throw=False)
    assert result.failed()
    run.refresh_from_db()
    assert (run.status, run.error_code) == (ImportRun.Status.FAILED, "task_failed")
    assert run.error_message == "The import stopped: parser crashed"
    assert run.finished_at is not None


def test_a_scheduled_source_run_is_made_once_per_task_and_reused_by_its_retry(feed_source):
    first = runs.run_for_task(feed_source, task_id="beat-1")
    again = runs.run_for_task(feed_source, task_id="beat-1")
    assert (first.pk, first.status) == (again.pk, RUNNING)
    ImportRun.objects.filter(pk=first.pk).update(status=SUCCEEDED)
    assert runs.run_for_task(feed_source, task_id="beat-1") is None
    assert ImportRun.objects.count() == 1


def test_two_runs_cannot_share_a_task_but_runs_without_a_task_can(feed_source):
    queued_run(task_id="beat-2")
    ImportRun.objects.create(input_name="a.txt")
    ImportRun.objects.create(input_name="b.txt")  # the command's runs have no task
    with pytest.raises(IntegrityError), transaction.atomic():
        queued_run(task_id="beat-2")
    assert ImportRun.objects.count() == 3


@pytest.fixture
def feed_source():
    from news.models import ImportSource

    return ImportSource.objects.create(name="Akorda", kind="rss", location="https://a.kz/rss")


def test_a_translation_requested_while_the_queue_is_down_waits_and_is_resent(
    settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.PRESSROOM_TRANSLATION_ENGINE = "libretranslate"
    original = ArticleFactory(language="ru")
    monkeypatch.setattr(tasks.translate_article, "apply_async", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        outcome = translation_service.request_translation(original=original, language="kk")
    assert outcome.queued
    job = TranslationJob.objects.get()
    assert (job.status, job.error_code) == ("queued", "queue_unavailable")
    assert translation_service.jobs_waiting_for_queue([outcome]) == 1

    sent = []
    monkeypatch.setattr(
        tasks.translate_article, "apply_async", lambda args, **kw: sent.append(args)
    )
    queue.breaker.reset()  # a few seconds passed
    assert translation_service.resend_queued_jobs(older_than=timedelta(minutes=15)) == 1
    job.refresh_from_db()
    assert (sent, job.status, job.error_code, job.error_message) == ([(job.pk,)], "queued", "", "")
    assert translation_service.jobs_waiting_for_queue([outcome]) == 0
    assert translation_service.resend_queued_jobs(older_than=timedelta(minutes=15)) == 0


def test_after_a_refusal_the_queue_is_not_tried_again_for_a_few_seconds(monkeypatch):
    attempts = []

    def refuse_and_count(args, **options):
        attempts.append(args)
        refuse()

    monkeypatch.setattr(tasks.import_uploaded_file, "apply_async", refuse_and_count)
    assert queue.enqueue(tasks.import_uploaded_file.name, (1,)) is False
    assert queue.enqueue(tasks.import_uploaded_file.name, (2,)) is False
    assert attempts == [(1,)]
    queue.breaker.reset()  # the few seconds passed
    assert queue.enqueue(tasks.import_uploaded_file.name, (3,)) is False
    assert attempts == [(1,), (3,)]


def test_every_task_a_service_sends_by_name_is_a_task_of_the_app():
    from pathlib import Path

    from celery import current_app

    news = Path(tasks.__file__).parent
    names = {
        name
        for path in news.rglob("*.py")
        for name in re.findall(r'"(news\.tasks\.\w+)"', path.read_text())
    }
    assert "news.tasks.import_uploaded_file" in names
    assert names - set(current_app.tasks) == set()


def test_beat_resends_queued_work_every_minute(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["resend-queued-work"]
    assert entry["task"] == tasks.resend_queued_work.name
    assert entry["schedule"].minute == set(range(60))


def test_a_run_still_running_a_day_after_it_started_is_closed_as_interrupted():
    day_ago = timezone.now() - timedelta(hours=25)
    abandoned = queued_run(task_id="lost", status=RUNNING, started_at=day_ago)
    running = queued_run(task_id="alive", status=RUNNING, started_at=timezone.now())
    queued_run(task_id="waiting", started_at=day_ago)  # queued: re-sent, not closed

    assert tasks.resend_queued_work()["abandoned"] == 1
    abandoned.refresh_from_db()
    running.refresh_from_db()
    assert (abandoned.status, abandoned.error_code) == (ImportRun.Status.FAILED, "interrupted")
    assert abandoned.error_message == str(runs.INTERRUPTED_MESSAGE)
    assert running.status == RUNNING


def test_a_transition_stands_when_the_queue_refuses_its_emails(
    draft, press_officer, monkeypatch, django_capture_on_commit_callbacks
):
    from news import workflow

    monkeypatch.setattr(tasks.send_transition_notifications, "apply_async", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.apply_transition("submit", article=draft, user=press_officer)
    draft.refresh_from_db()
    assert draft.status == Article.Status.IN_REVIEW
    assert draft.transitions.get().name == "submit"
