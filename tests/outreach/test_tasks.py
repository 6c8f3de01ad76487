"""The tasks in a real Celery worker consuming from Redis, sending to a real SMTP server."""

import pytest
from django.utils import timezone

from outreach.delivery import BATCH_SIZE
from outreach.models import Delivery, Subscription

from .helpers import publish

pytestmark = [pytest.mark.redis, pytest.mark.postgres]


def test_a_publication_fans_out_in_batches_and_reaches_every_subscriber_once(
    celery_worker, smtp_server, editor
):
    count = 2 * BATCH_SIZE + 50
    now = timezone.now()
    Subscription.objects.bulk_create(
        Subscription(email=f"reader{n}@example.kz", language="ru", confirmed_at=now)
        for n in range(count)
    )
    release = publish(editor, language="ru")  # committed: the step is announced at once
    smtp_server.wait_for(count, timeout=120)
    assert smtp_server.recipients() == {f"reader{n}@example.kz": 1 for n in range(count)}
    assert Delivery.objects.filter(release=release, status="sent").count() == count
    # One SMTP session per batch, not per email.
    assert smtp_server.sessions == 3


def test_the_confirmation_email_is_sent_by_the_worker(celery_worker, smtp_server, client):
    response = client.post(
        "/en/subscribe/",
        {"email": "new@example.kz", "frequency": "immediate", "digest_hour": "8"},
    )
    assert response.status_code == 302
    (message,) = smtp_server.wait_for(1)
    assert message["Subject"].strip() == "Confirm your subscription to press releases"
