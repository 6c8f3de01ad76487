"""Sending one email per recipient about a release, once, however often a task runs.

The protocol, per batch of recipients over one SMTP connection:

1. Claim: a Delivery row per (release, recipient, kind) is inserted as "claimed" by this
   task (an existing row is left alone); rows still claimed are taken over when they are
   this task's own (the same Celery task delivered again after its worker died: its id is
   the same) or when their claim is stale (CLAIM_SECONDS, longer than a batch task may
   run). Rows sent, refused, or claimed by another live task are skipped.
2. Send each claimed message, then mark its row sent at once, in its own statement
   (autocommit), before the next message is handed to the server.

A worker killed before the server accepted a message leaves its row claimed: the
re-delivered task sends it (nobody is missed). The one remaining window for a second copy
is between the server's "250 accepted" for a message and the commit of that row's update:
a kill (or a database outage) inside it sends that one message again on the re-run. It is
as small as it can be without the mail server taking part in our transactions: one
single-row UPDATE by primary key, issued right after the reply, nothing batched behind it.
At most one message per killed batch can be in it.
"""

import logging
import smtplib
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from itertools import islice

from celery import current_task
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from kombu.exceptions import OperationalError as QueueUnavailable

from news import queue

from .models import Delivery

logger = logging.getLogger(__name__)

BATCH_SIZE = 200
# A claim older than this belongs to a task that died without being delivered again (or
# a task delivered twice at once): another task may send it. Batch tasks are stopped at
# 300 s (outreach.tasks), so a live task never holds a claim this old.
CLAIM_SECONDS = 600


@dataclass(frozen=True)
class Outgoing:
    recipient: str  # an email address
    build: Callable[[], EmailMultiAlternatives]  # called only when it has not been sent yet


def batched(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def deliver(
    *,
    release,
    kind: str,
    outgoing: Iterable[Outgoing],
    batch_size: int = BATCH_SIZE,
    claimant: str | None = None,
) -> int:
    """Send each message not yet sent for (release, recipient, kind) over one SMTP connection
    per batch; record each; return how many were sent now.

    `claimant` names who holds the claims; inside a Celery task it defaults to the task's
    id, so a re-delivered task takes back what its dead worker had claimed."""
    if claimant is None:
        request_id = current_task.request.id if current_task else None
        claimant = request_id or uuid.uuid4().hex
    sent = 0
    for batch in batched(outgoing, batch_size):
        sent += _deliver_batch(release, kind, batch, claimant)
    return sent


def _claim(release, kind: str, recipients: list[str], claimant: str) -> dict[str, int]:
    """Claim the recipients' deliveries for `claimant`: {recipient: Delivery id} of those
    it now holds."""
    now = timezone.now()
    Delivery.objects.bulk_create(
        [
            Delivery(release=release, recipient=r, kind=kind, claimed_by=claimant, claimed_at=now)
            for r in recipients
        ],
        ignore_conflicts=True,
    )
    pending = Delivery.objects.filter(
        release=release, kind=kind, recipient__in=recipients, status=Delivery.Status.CLAIMED
    )
    stale = now - timedelta(seconds=CLAIM_SECONDS)
    pending.filter(Q(claimed_by=claimant) | Q(claimed_at__lt=stale)).update(
        claimed_by=claimant, claimed_at=now
    )
    return dict(pending.filter(claimed_by=claimant).values_list("recipient", "pk"))


def _deliver_batch(release, kind: str, batch: list[Outgoing], claimant: str) -> int:
    by_recipient = {item.recipient: item for item in batch}  # one message per address
    claimed = _claim(release, kind, list(by_recipient), claimant)
    if not claimed:
        return 0
    sent = 0
    with mail.get_connection() as connection:
        for recipient, delivery_id in claimed.items():
            message = by_recipient[recipient].build()
            try:
                accepted = connection.send_messages([message])
            except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError) as error:
                # The server refused this message for good (5xx; a 4xx is raised and the
                # task retried): sending it again would be refused again.
                if isinstance(error, smtplib.SMTPDataError) and error.smtp_code < 500:
                    raise
                _refused(delivery_id, str(error))
                continue
            if not accepted:
                _refused(delivery_id, "the message has no recipient")
                continue
            # The window: accepted by the server, not yet recorded (see the module's doc).
            Delivery.objects.filter(pk=delivery_id).update(
                status=Delivery.Status.SENT, sent_at=timezone.now()
            )
            sent += 1
    return sent


def _refused(delivery_id: int, error: str) -> None:
    logger.warning("Delivery %s refused by the mail server: %s", delivery_id, error)
    Delivery.objects.filter(pk=delivery_id).update(
        status=Delivery.Status.REFUSED, error=error[:500]
    )


def fan_out(task_name: str, args: tuple, ids: Iterable[int], batch_size: int = BATCH_SIZE) -> int:
    """Send the task named `task_name` once per batch of `ids`, as task_name(*args, batch),
    after the caller's transaction commits; returns how many batches were queued.

    Outside a transaction (a task fanning out) the batches are sent at once, and a queue
    that refused one raises, so the task is retried: batches already queued skip, when
    they run again, what they sent (deliver is idempotent)."""
    results: list[bool] = []
    count = 0
    for batch in batched(ids, batch_size):
        count += 1
        transaction.on_commit(
            lambda batch=batch: results.append(queue.enqueue(task_name, (*args, batch)))
        )
    if not transaction.get_connection().in_atomic_block and not all(results):
        raise QueueUnavailable(f"the task queue refused batches of {task_name}")
    return count
