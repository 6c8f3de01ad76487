import time

import pytest
from django.utils import timezone

from config.celery import app
from news import workflow
from news.models import Article
from webhooks import events
from webhooks.models import Delivery

from ..factories import ArticleFactory
from .factories import EndpointFactory


def wait_until(find, timeout=30.0):
    """Poll until `find()` returns something, as a person refreshing the admin would."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = find()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError("nothing found in time")


def test_beat_sends_due_deliveries_every_minute(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["send-due-webhook-deliveries"]
    assert entry["task"] == "webhooks.tasks.send_due_deliveries"
    assert entry["schedule"].minute == set(range(60))
    pruning = settings.CELERY_BEAT_SCHEDULE["prune-webhook-delivery-log"]
    assert pruning["task"] == "webhooks.tasks.prune_delivery_log"
    assert (pruning["schedule"].hour, pruning["schedule"].minute) == ({3}, {40})


@pytest.mark.redis
@pytest.mark.postgres
def test_a_worker_delivers_a_publication_to_the_partner(celery_worker, receiver, editor):
    endpoint = EndpointFactory(url=receiver.url)
    receiver.secret = endpoint.secret
    article = ArticleFactory(status=Article.Status.APPROVED)

    workflow.apply_transition("publish", article=article, user=editor)

    delivery = wait_until(lambda: Delivery.objects.filter(status=Delivery.Status.SUCCEEDED).first())
    [got] = receiver.received
    assert got.error == ""
    assert got.verified["type"] == "release.published"
    assert got.verified["data"]["id"] == article.pk
    assert got.headers["webhook-id"] == delivery.message_id
    assert delivery.finished_at <= timezone.now()


@pytest.mark.redis
@pytest.mark.postgres
def test_a_retry_is_sent_by_the_sweep_through_the_worker(celery_worker, receiver):
    endpoint = EndpointFactory(url=receiver.url)
    receiver.secret = endpoint.secret
    receiver.answers = [500, 204]
    article = ArticleFactory(status=Article.Status.PUBLISHED, published_at=timezone.now())
    events.announce("release.published", article.pk)
    delivery = wait_until(lambda: Delivery.objects.filter(attempts=1).first())
    # The retry is due in a minute: make it due now, as the clock would.
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())

    app.send_task("webhooks.tasks.send_due_deliveries")

    done = wait_until(lambda: Delivery.objects.filter(status=Delivery.Status.SUCCEEDED).first())
    assert done.attempts == 2
    assert [got.error for got in receiver.received] == ["", ""]
    assert len({got.headers["webhook-id"] for got in receiver.received}) == 1
