"""The embargo emails through a real Celery worker and Redis (accreditation.tasks)."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from accreditation.models import Distribution
from news import workflow
from news.models import Article
from tests.factories import ArticleFactory

from .factories import AccreditationFactory

pytestmark = [pytest.mark.redis, pytest.mark.postgres]


def test_a_worker_sends_the_release_a_committed_schedule_step_calls_for(
    celery_worker, smtp_server, editor, agency
):
    journalist = AccreditationFactory(agencies=[agency], languages=["ru"])
    article = ArticleFactory(agency=agency, language="ru", status=Article.Status.APPROVED)

    # Committed at once (transactional test): release_stepped queues the task after commit.
    workflow.apply_transition(
        "schedule",
        article=article,
        user=editor,
        publish_at=timezone.now() + timedelta(hours=2),
        distribute_under_embargo=True,
    )

    [message] = smtp_server.wait_for(1, timeout=30)
    assert message["To"] == journalist.email
    # The worker records the distribution right after the server accepted the message.
    deadline = time.monotonic() + 10
    while not Distribution.objects.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert Distribution.objects.get().accreditation == journalist
