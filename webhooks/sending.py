"""Sending a delivery: signed as Standard Webhooks specifies, retried with exponential
back-off for a day, every attempt logged; an endpoint failing for a day is paused.

Retries are not Celery countdowns (Redis would hand a task held for hours to a second
worker): a failed delivery records when it is due again, and beat's sweep
(`send_due_deliveries`) sends what is due. A worker takes a delivery by moving its due time
a lease ahead in one conditional update, so two tasks for one delivery send it once, and a
worker lost mid-attempt leaves it to be taken again when the lease ends.
"""

import ipaddress
import logging
import time
from dataclasses import dataclass
from datetime import timedelta

import httpx
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from standardwebhooks import Webhook

from news import queue
from news.importing.http import USER_AGENT, AddressRefused, PublicAddressTransport

from .models import Delivery, DeliveryAttempt, Endpoint, Event, EventType, new_secret

logger = logging.getLogger(__name__)

CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 10.0
# Longer than an attempt can take (both timeouts, writing the body): a worker still
# sending is never overtaken.
LEASE = timedelta(seconds=60)
RETRY_FOR = timedelta(days=1)
PAUSE_AFTER = timedelta(days=1)
FIRST_RETRY = timedelta(minutes=1)
LONGEST_WAIT = timedelta(hours=4)
ERROR_CHARS = 500
NOTICE_TASK = "webhooks.tasks.send_endpoint_paused_notice"
DELIVER_TASK = "webhooks.tasks.deliver"


def retry_delay(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed attempt: 1, 2, 4 … minutes, at most 4 hours
    (14 attempts in a day, the last as the day ends)."""
    return min(LONGEST_WAIT, FIRST_RETRY * 2 ** (attempts - 1))


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    duration_ms: int
    error_code: str = ""
    detail: str = ""

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def client() -> httpx.Client:
    """An HTTP client that connects only to addresses import sources may reach, checked
    when connecting (a name that now resolves elsewhere is refused), and follows no
    redirect: a partner's endpoint answers itself.

    One per process and allowed networks, kept: building one loads the system's
    certificates, which took most of a delivery's time, and its pool keeps a partner's
    connection open between deliveries.
    """
    networks = tuple(settings.PRESSROOM_IMPORT_ALLOWED_NETWORKS)
    cached = _clients.get(networks)
    if cached is None:
        cached = _clients[networks] = httpx.Client(
            transport=PublicAddressTransport(allowed_networks=map(ipaddress.ip_network, networks)),
            timeout=httpx.Timeout(READ_TIMEOUT, connect=CONNECT_TIMEOUT),
            follow_redirects=False,
            headers={"User-Agent": USER_AGENT},
        )
    return cached


_clients: dict[tuple[str, ...], httpx.Client] = {}


def signed_headers(delivery: Delivery, body: str) -> dict[str, str]:
    sent_at = timezone.now()
    signature = Webhook(delivery.endpoint.secret).sign(delivery.message_id, sent_at, body)
    return {
        "content-type": "application/json",
        "webhook-id": delivery.message_id,
        "webhook-timestamp": str(int(sent_at.timestamp())),
        "webhook-signature": signature,
    }


def post(http: httpx.Client, delivery: Delivery) -> Outcome:
    """One attempt; every failure becomes an Outcome, nothing is raised."""
    body = delivery.event.body.encode("utf-8")
    headers = signed_headers(delivery, delivery.event.body)
    started = time.perf_counter()

    def took() -> int:
        return round((time.perf_counter() - started) * 1000)

    try:
        # Streamed and never read: a partner's answer is its status, and a body of any size
        # must not fill the worker's memory.
        with http.stream("POST", delivery.endpoint.url, content=body, headers=headers) as response:
            status, is_redirect = response.status_code, response.is_redirect
    except AddressRefused:
        # Checked again now: the name may resolve elsewhere than when the URL was saved.
        return Outcome(None, took(), "forbidden_address")
    except (httpx.TimeoutException, SoftTimeLimitExceeded):
        # The task's time limit ends a server that drips its answer within the read timeout.
        return Outcome(None, took(), "timeout")
    except (httpx.UnsupportedProtocol, httpx.InvalidURL):
        return Outcome(None, took(), "bad_url")
    except httpx.HTTPError as error:
        return Outcome(None, took(), "connection", _short(error))
    if 200 <= status < 300:
        return Outcome(status, took())
    return Outcome(status, took(), "redirect" if is_redirect else "status", f"HTTP {status}")


def _short(error: Exception) -> str:
    return (str(error).strip() or type(error).__name__)[:ERROR_CHARS]


def claim(delivery_pk: int) -> Delivery | None:
    """Take a due delivery for this worker (see the module's docstring)."""
    now = timezone.now()
    taken = Delivery.objects.filter(
        pk=delivery_pk, status=Delivery.Status.PENDING, next_attempt_at__lte=now
    ).update(next_attempt_at=now + LEASE)
    if not taken:
        return None
    return Delivery.objects.select_related("endpoint", "event").get(pk=delivery_pk)


def deliver(delivery_pk: int) -> str | None:
    """Make the delivery's next attempt if it is due; returns its status afterwards, None
    when it was not due (sent already, or taken by another worker)."""
    delivery = claim(delivery_pk)
    if delivery is None:
        return None
    endpoint = delivery.endpoint
    if delivery.event.type != EventType.TEST and (not endpoint.is_active or endpoint.is_paused):
        finish(delivery, "switched_off" if not endpoint.is_active else "paused")
        return delivery.status
    record(delivery, post(client(), delivery))
    return delivery.status


def finish(delivery: Delivery, error_code: str) -> None:
    """Give up a delivery without sending it."""
    delivery.status = Delivery.Status.FAILED
    delivery.next_attempt_at = None
    delivery.finished_at = timezone.now()
    delivery.last_error_code = error_code
    delivery.save(update_fields=["status", "next_attempt_at", "finished_at", "last_error_code"])


@transaction.atomic
def record(delivery: Delivery, outcome: Outcome) -> None:
    now = timezone.now()
    delivery.attempts += 1
    DeliveryAttempt.objects.create(
        delivery=delivery,
        number=delivery.attempts,
        started_at=now - timedelta(milliseconds=outcome.duration_ms),
        status_code=outcome.status_code,
        duration_ms=outcome.duration_ms,
        error_code=outcome.error_code,
        detail=outcome.detail,
    )
    delivery.last_status_code = outcome.status_code
    delivery.last_duration_ms = outcome.duration_ms
    delivery.last_error_code = outcome.error_code
    if outcome.succeeded:
        delivery.status = Delivery.Status.SUCCEEDED
        delivery.next_attempt_at = None
        delivery.finished_at = now
        if delivery.endpoint.failing_since is not None:
            Endpoint.objects.filter(pk=delivery.endpoint_id).update(failing_since=None)
    else:
        deadline = delivery.created_at + RETRY_FOR
        if now >= deadline:
            delivery.status = Delivery.Status.FAILED
            delivery.next_attempt_at = None
            delivery.finished_at = now
        else:
            # The last attempt is made when the day ends, however the waits fall.
            delivery.next_attempt_at = min(now + retry_delay(delivery.attempts), deadline)
    delivery.save()
    if not outcome.succeeded and delivery.event.type != EventType.TEST:
        note_failure(delivery.endpoint, now)


def note_failure(endpoint: Endpoint, now) -> None:
    """Remember when the endpoint began failing; pause it after a day of failures, give up
    its waiting deliveries and tell the administrators (once, whichever worker sees it)."""
    Endpoint.objects.filter(pk=endpoint.pk, failing_since__isnull=True).update(failing_since=now)
    paused = Endpoint.objects.filter(
        pk=endpoint.pk, paused_at__isnull=True, failing_since__lte=now - PAUSE_AFTER
    ).update(paused_at=now)
    if not paused:
        return
    logger.warning("Webhook endpoint %s failed for a day and was paused", endpoint.pk)
    Delivery.objects.filter(endpoint=endpoint, status=Delivery.Status.PENDING).exclude(
        event__type=EventType.TEST
    ).update(
        status=Delivery.Status.FAILED,
        next_attempt_at=None,
        finished_at=now,
        last_error_code="paused",
    )
    transaction.on_commit(lambda: queue.enqueue(NOTICE_TASK, (endpoint.pk,)))


def resume(endpoint: Endpoint) -> bool:
    """Let a paused endpoint receive events again; False when it was not paused."""
    resumed = Endpoint.objects.filter(pk=endpoint.pk, paused_at__isnull=False).update(
        paused_at=None, failing_since=None
    )
    endpoint.refresh_from_db()
    return bool(resumed)


def rotate_secret(endpoint: Endpoint) -> str:
    """A new signing secret; deliveries from now on are signed with it only."""
    endpoint.secret = new_secret()
    endpoint.save(update_fields=["secret"])
    return endpoint.secret


def send_due_deliveries(*, limit: int = 1000) -> int:
    """Queue every pending delivery that is due (retries, those the task queue refused,
    those a lost worker left); returns how many were queued."""
    due = (
        Delivery.objects.filter(status=Delivery.Status.PENDING, next_attempt_at__lte=timezone.now())
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(queue.enqueue(DELIVER_TASK, (pk,)) for pk in due)


def prune_log(*, now=None) -> int:
    """Delete the deliveries finished more than PRESSROOM_WEBHOOK_LOG_DAYS ago, their
    attempts, and the events left with none; returns how many deliveries went."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.PRESSROOM_WEBHOOK_LOG_DAYS)
    _, by_model = Delivery.objects.filter(finished_at__lt=cutoff).delete()
    Event.objects.filter(created_at__lt=cutoff, deliveries__isnull=True).delete()
    return by_model.get(Delivery._meta.label, 0)
