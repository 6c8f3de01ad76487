"""accreditation hears of committed workflow steps (accreditation.signals)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from news import workflow
from news.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(monkeypatch):
    """What is sent to the task queue (news.queue, which news's notices use too)."""
    sent = []
    monkeypatch.setattr(
        "news.queue.enqueue", lambda name, args, **options: sent.append((name, args))
    )
    return sent


def ours(queued) -> list:
    return [task for task in queued if task[0].startswith("accreditation.")]


def test_a_committed_schedule_step_queues_the_journalists_emails(
    queued, editor, agency, django_capture_on_commit_callbacks
):
    article = ArticleFactory(agency=agency, status=Article.Status.APPROVED)

    with django_capture_on_commit_callbacks(execute=True):
        workflow.apply_transition(
            "schedule", article=article, user=editor, publish_at=timezone.now() + timedelta(hours=1)
        )

    assert ours(queued) == [("accreditation.tasks.reconcile_embargo", (article.pk,))]


def test_steps_that_concern_no_embargo_queue_nothing(
    queued, editor, agency, django_capture_on_commit_callbacks
):
    article = ArticleFactory(agency=agency, status=Article.Status.IN_REVIEW)

    with django_capture_on_commit_callbacks(execute=True):
        workflow.apply_transition("approve", article=article, user=editor)
        workflow.apply_transition("publish", article=article, user=editor)

    assert ours(queued) == []


def test_nothing_is_queued_when_the_step_is_rolled_back(queued, editor, agency):
    article = ArticleFactory(agency=agency, status=Article.Status.APPROVED)

    # Without a commit (the test's transaction is never committed) nothing is told.
    workflow.apply_transition(
        "schedule", article=article, user=editor, publish_at=timezone.now() + timedelta(hours=1)
    )

    assert ours(queued) == []
