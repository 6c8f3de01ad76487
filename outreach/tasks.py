"""Celery tasks: thin, they take ids, call a service, and handle retries and failure.

Services send these by name through news.queue ("outreach.tasks.<name>"); OutreachConfig.ready
loads this module so the app knows every task. Every task is idempotent (outreach.delivery
records each email), so a worker lost mid-batch (acks_late, reject_on_worker_lost: the
message goes back to the queue) or a retry sends nobody a second copy.
"""

import smtplib

from celery import shared_task
from django.db import InterfaceError, OperationalError
from kombu.exceptions import OperationalError as QueueUnavailable

from . import emails, sending, subscriptions
from .delivery import Outgoing, deliver
from .models import Subscription

# A mail server that is down or refuses for now (4xx), a lost database connection, or a
# queue that refused batches: retried with back-off for about an hour.
RETRIED = (smtplib.SMTPException, OSError, OperationalError, InterfaceError, QueueUnavailable)
SENDING_TASK_OPTIONS = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": RETRIED,
    "retry_backoff": 10,
    "retry_backoff_max": 600,
    "retry_kwargs": {"max_retries": 8},
    # outreach.delivery.CLAIM_SECONDS must stay above the hard limit.
    "soft_time_limit": 270,
    "time_limit": 300,
}


@shared_task(**SENDING_TASK_OPTIONS)
def announce_release(article_id: int) -> int:
    return sending.announce(article_id)


@shared_task(**SENDING_TASK_OPTIONS)
def send_release_batch(article_id: int, subscription_ids: list[int]) -> int:
    return sending.send_release_batch(article_id, subscription_ids)


@shared_task(**SENDING_TASK_OPTIONS)
def send_due_digests() -> int:
    return sending.queue_digests()


@shared_task(**SENDING_TASK_OPTIONS)
def send_digest_batch(day: str, subscription_ids: list[int]) -> int:
    return sending.send_digest_batch(day, subscription_ids)


@shared_task(**SENDING_TASK_OPTIONS)
def send_confirmation(subscription_id: int, language: str, request_id: str) -> int:
    """The email answering a request to subscribe; recorded like any other, so a retry
    sends it once (kind "confirm:<request id>")."""
    subscription = Subscription.objects.filter(pk=subscription_id).first()
    if subscription is None:
        return 0  # forgotten or ended since
    return deliver(
        release=None,
        kind=f"confirm:{request_id}",
        outgoing=[
            Outgoing(subscription.email, lambda: emails.confirmation(subscription, language))
        ],
    )


@shared_task(acks_late=True, soft_time_limit=100, time_limit=120)
def forget_unconfirmed_subscriptions() -> int:
    return subscriptions.forget_unconfirmed()
