"""Celery tasks run in a real worker consuming from Redis, not in eager mode."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from news import tasks, workflow
from news.models import Article

from .helpers import Status, article_in

pytestmark = [pytest.mark.redis, pytest.mark.postgres]


def wait_for(result, timeout=30):
    return result.get(timeout=timeout, disable_sync_subtasks=False)


def test_worker_publishes_articles_whose_time_has_come(celery_worker, editor):
    due = article_in(Status.SCHEDULED, publish_at=timezone.now() + timedelta(hours=1))
    not_yet = article_in(Status.SCHEDULED, publish_at=timezone.now() + timedelta(days=2))
    Article.objects.filter(pk=due.pk).update(publish_at=timezone.now() - timedelta(minutes=1))

    published = wait_for(tasks.publish_scheduled_articles.apply_async(ignore_result=False))

    assert published == [due.pk]
    due.refresh_from_db()
    not_yet.refresh_from_db()
    assert (due.status, not_yet.status) == (Status.PUBLISHED, Status.SCHEDULED)
    assert due.transitions.get(name="publish").actor is None


def test_worker_sends_the_submission_email_to_editors(celery_worker, draft, press_officer, editor):
    workflow.submit_article(article=draft, user=press_officer)
    step = draft.transitions.get(name="submit")

    sent = wait_for(
        tasks.send_transition_notifications.apply_async((step.pk,), ignore_result=False)
    )

    assert sent >= 1
    assert editor.email in [message.to[0] for message in mail.outbox]


def test_beat_schedule_runs_the_publisher_every_minute(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["publish-scheduled-articles"]
    assert entry["task"] == tasks.publish_scheduled_articles.name
    assert entry["schedule"].minute == set(range(60))
