import json
import socket
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from standardwebhooks import Webhook, WebhookVerificationError

from news import roles, workflow
from news.models import Article
from people.models import Preferences
from webhooks import events, sending
from webhooks.models import Delivery, DeliveryAttempt, Event, EventType

from ..factories import ArticleFactory, UserFactory
from .factories import DeliveryFactory, EndpointFactory

pytestmark = pytest.mark.django_db

Status = Article.Status


def public_article(**kwargs) -> Article:
    return ArticleFactory(status=Status.PUBLISHED, published_at=timezone.now(), **kwargs)


def queued_delivery(endpoint, django_capture_on_commit_callbacks) -> Delivery:
    """A release.published delivery to `endpoint`, recorded and not yet sent."""
    with django_capture_on_commit_callbacks(execute=False):
        event = events.announce(EventType.PUBLISHED, public_article().pk)
    return event.deliveries.get(endpoint=endpoint)


def deliver(delivery, django_capture_on_commit_callbacks) -> Delivery:
    with django_capture_on_commit_callbacks(execute=True):
        sending.deliver(delivery.pk)
    delivery.refresh_from_db()
    return delivery


def test_a_published_release_reaches_the_partner_signed_as_standard_webhooks_specify(
    receiver, editor, django_capture_on_commit_callbacks
):
    endpoint = EndpointFactory(url=receiver.url)
    receiver.secret = endpoint.secret
    article = ArticleFactory(status=Status.APPROVED)

    # The step commits; its receiver records the delivery and the (eager) task sends it.
    with django_capture_on_commit_callbacks(execute=True):
        workflow.apply_transition("publish", article=article, user=editor)

    [got] = receiver.received
    assert got.error == ""
    assert got.verified["type"] == "release.published"
    assert got.verified["data"]["id"] == article.pk
    assert got.headers["content-type"] == "application/json"
    delivery = Delivery.objects.get()
    assert got.headers["webhook-id"] == delivery.message_id
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (
        Delivery.Status.SUCCEEDED,
        1,
        204,
    )
    [attempt] = delivery.attempt_log.all()
    assert (attempt.number, attempt.status_code, attempt.error_code) == (1, 204, "")
    assert attempt.duration_ms == delivery.last_duration_ms


def test_a_delivery_does_not_verify_with_another_secret(
    receiver, django_capture_on_commit_callbacks
):
    endpoint = EndpointFactory(url=receiver.url)
    deliver(
        queued_delivery(endpoint, django_capture_on_commit_callbacks),
        django_capture_on_commit_callbacks,
    )

    [got] = receiver.received
    with pytest.raises(WebhookVerificationError):
        Webhook(EndpointFactory().secret).verify(got.body, got.headers)
    tampered = got.body.replace(b"release.published", b"release.unpublished")
    with pytest.raises(WebhookVerificationError):
        Webhook(endpoint.secret).verify(tampered, got.headers)


def test_failures_are_retried_with_growing_waits_under_the_same_webhook_id(
    receiver, django_capture_on_commit_callbacks
):
    endpoint = EndpointFactory(url=receiver.url)
    receiver.secret = endpoint.secret
    receiver.answers = [500, 503, 204]
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        delivery = queued_delivery(endpoint, django_capture_on_commit_callbacks)
        delivery = deliver(delivery, django_capture_on_commit_callbacks)
        assert delivery.status == Delivery.Status.PENDING
        assert delivery.next_attempt_at == start + timedelta(minutes=1)

        # Not due yet: the sweep leaves it.
        clock.shift(timedelta(seconds=30))
        with django_capture_on_commit_callbacks(execute=True):
            assert sending.send_due_deliveries() == 0
        assert len(receiver.received) == 1

        # Due: the sweep queues it and the (eager) task sends it.
        clock.shift(timedelta(seconds=31))
        with django_capture_on_commit_callbacks(execute=True):
            assert sending.send_due_deliveries() == 1
        delivery.refresh_from_db()
        assert delivery.attempts == 2
        assert delivery.next_attempt_at == timezone.now() + timedelta(minutes=2)

        clock.shift(timedelta(minutes=2))
        with django_capture_on_commit_callbacks(execute=True):
            sending.send_due_deliveries()
        delivery.refresh_from_db()

    assert (delivery.status, delivery.attempts) == (Delivery.Status.SUCCEEDED, 3)
    assert [got.error for got in receiver.received] == ["", "", ""]
    assert {got.headers["webhook-id"] for got in receiver.received} == {delivery.message_id}
    timestamps = [int(got.headers["webhook-timestamp"]) for got in receiver.received]
    assert timestamps == sorted(set(timestamps))  # each attempt signed at its own time
    assert len({got.body for got in receiver.received}) == 1
    log = list(delivery.attempt_log.values_list("number", "status_code", "error_code"))
    assert log == [(1, 500, "status"), (2, 503, "status"), (3, 204, "")]


def test_waits_double_up_to_four_hours():
    waits = [sending.retry_delay(attempt) for attempt in range(1, 12)]
    assert waits[:4] == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert max(waits) == waits[-1] == timedelta(hours=4)


def fail_until_finished(delivery, django_capture_on_commit_callbacks, clock) -> Delivery:
    """Send at each due time until the delivery is finished."""
    while delivery.status == Delivery.Status.PENDING:
        clock.move_to(delivery.next_attempt_at)
        delivery = deliver(delivery, django_capture_on_commit_callbacks)
    return delivery


def test_a_delivery_failing_for_a_day_is_given_up(receiver, django_capture_on_commit_callbacks):
    receiver.answers = [500]
    endpoint = EndpointFactory(url=receiver.url)
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        delivery = queued_delivery(endpoint, django_capture_on_commit_callbacks)
        delivery = fail_until_finished(delivery, django_capture_on_commit_callbacks, clock)

    assert delivery.status == Delivery.Status.FAILED
    assert delivery.finished_at - delivery.created_at == timedelta(days=1)
    assert delivery.attempts == len(receiver.received) == 14
    assert delivery.last_error == "The endpoint answered with an error (HTTP 500)."


def test_an_endpoint_failing_for_a_day_is_paused_and_the_administrators_are_told(
    receiver, django_capture_on_commit_callbacks
):
    kazakh = UserFactory(username="admin-kk", groups=[roles.ADMINISTRATORS])
    Preferences.objects.create(user=kazakh, language="kk")
    russian = UserFactory(username="admin-ru", is_superuser=True)
    Preferences.objects.create(user=russian, language="ru")
    receiver.answers = [500]
    endpoint = EndpointFactory(url=receiver.url, name="Агентство")
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        first = queued_delivery(endpoint, django_capture_on_commit_callbacks)
        clock.shift(timedelta(hours=20))
        waiting = queued_delivery(endpoint, django_capture_on_commit_callbacks)
        clock.move_to(start)
        fail_until_finished(first, django_capture_on_commit_callbacks, clock)

    endpoint.refresh_from_db()
    assert endpoint.is_paused
    assert endpoint.failing_since == start
    waiting.refresh_from_db()
    assert (waiting.status, waiting.last_error_code) == (Delivery.Status.FAILED, "paused")
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects == {
        kazakh.email: "Вебхук қабылдаушысы тоқтатылды: Агентство",
        russian.email: "Приём вебхуков приостановлен: Агентство",
    }
    russian_mail = next(message for message in mail.outbox if message.to == [russian.email])
    assert "(HTTP 500)" in russian_mail.body
    assert f"/admin/webhooks/endpoint/{endpoint.pk}/change/" in russian_mail.body

    # Paused, it is left out of new events, until it is resumed.
    with django_capture_on_commit_callbacks(execute=True):
        assert events.announce(EventType.PUBLISHED, public_article().pk) is None
    assert sending.resume(endpoint) is True
    receiver.answers = [204]
    with django_capture_on_commit_callbacks(execute=True):
        events.announce(EventType.PUBLISHED, public_article().pk)
    endpoint.refresh_from_db()
    assert endpoint.deliveries.filter(status=Delivery.Status.SUCCEEDED).count() == 1
    assert endpoint.failing_since is None


def test_a_success_clears_the_failing_streak(receiver, django_capture_on_commit_callbacks):
    receiver.answers = [500, 204]
    endpoint = EndpointFactory(url=receiver.url)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        delivery = deliver(
            queued_delivery(endpoint, django_capture_on_commit_callbacks),
            django_capture_on_commit_callbacks,
        )
        endpoint.refresh_from_db()
        assert endpoint.failing_since is not None
        fail_until_finished(delivery, django_capture_on_commit_callbacks, clock)
    endpoint.refresh_from_db()
    assert endpoint.failing_since is None


def test_a_redirect_is_a_failure_and_not_followed(receiver, django_capture_on_commit_callbacks):
    receiver.answers = [302]
    endpoint = EndpointFactory(url=receiver.url)
    delivery = deliver(
        queued_delivery(endpoint, django_capture_on_commit_callbacks),
        django_capture_on_commit_callbacks,
    )

    assert len(receiver.received) == 1
    assert (delivery.status, delivery.last_status_code, delivery.last_error_code) == (
        Delivery.Status.PENDING,
        302,
        "redirect",
    )


def test_the_address_is_checked_again_when_sending(
    receiver, settings, django_capture_on_commit_callbacks
):
    # Saved while allowed; the name now leads to loopback, which imports may not reach
    # (as a name rebound to an internal address would).
    endpoint = EndpointFactory(url=receiver.url.replace("127.0.0.1", "localhost"))
    settings.PRESSROOM_IMPORT_ALLOWED_NETWORKS = []
    delivery = deliver(
        queued_delivery(endpoint, django_capture_on_commit_callbacks),
        django_capture_on_commit_callbacks,
    )

    assert receiver.received == []
    assert delivery.last_error_code == "forbidden_address"
    assert delivery.attempt_log.get().error_code == "forbidden_address"


def test_a_closed_port_is_a_connection_failure(receiver, django_capture_on_commit_callbacks):
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    endpoint = EndpointFactory(url=f"http://127.0.0.1:{port}/hooks")
    delivery = deliver(
        queued_delivery(endpoint, django_capture_on_commit_callbacks),
        django_capture_on_commit_callbacks,
    )

    assert delivery.last_error_code == "connection"
    assert delivery.last_error == "Could not connect to the endpoint."
    assert delivery.attempt_log.get().detail


def test_a_delivery_is_sent_once_whichever_task_takes_it(
    receiver, django_capture_on_commit_callbacks
):
    endpoint = EndpointFactory(url=receiver.url)
    delivery = queued_delivery(endpoint, django_capture_on_commit_callbacks)

    assert sending.claim(delivery.pk) is not None
    assert sending.claim(delivery.pk) is None  # the second task finds it taken
    assert sending.deliver(delivery.pk) is None
    assert receiver.received == []


def test_a_worker_lost_mid_attempt_leaves_the_delivery_to_the_sweep(
    receiver, django_capture_on_commit_callbacks
):
    endpoint = EndpointFactory(url=receiver.url)
    delivery = queued_delivery(endpoint, django_capture_on_commit_callbacks)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        sending.claim(delivery.pk)  # and the worker died
        assert sending.send_due_deliveries() == 0
        clock.shift(sending.LEASE + timedelta(seconds=1))
        with django_capture_on_commit_callbacks(execute=True):
            assert sending.send_due_deliveries() == 1
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SUCCEEDED


def test_a_switched_off_endpoints_waiting_deliveries_are_not_sent(
    receiver, django_capture_on_commit_callbacks
):
    endpoint = EndpointFactory(url=receiver.url)
    delivery = queued_delivery(endpoint, django_capture_on_commit_callbacks)
    endpoint.is_active = False
    endpoint.save()

    delivery = deliver(delivery, django_capture_on_commit_callbacks)

    assert receiver.received == []
    assert (delivery.status, delivery.last_error_code) == (Delivery.Status.FAILED, "switched_off")


def test_after_rotation_deliveries_verify_with_the_new_secret_only(
    receiver, django_capture_on_commit_callbacks
):
    endpoint = EndpointFactory(url=receiver.url)
    old = endpoint.secret
    new = sending.rotate_secret(endpoint)
    deliver(
        queued_delivery(endpoint, django_capture_on_commit_callbacks),
        django_capture_on_commit_callbacks,
    )

    [got] = receiver.received
    assert new != old and new.startswith("whsec_")
    assert Webhook(new).verify(got.body, got.headers)["type"] == "release.published"
    with pytest.raises(WebhookVerificationError):
        Webhook(old).verify(got.body, got.headers)


def test_a_test_event_reaches_a_paused_endpoint(receiver, django_capture_on_commit_callbacks):
    endpoint = EndpointFactory(url=receiver.url, paused_at=timezone.now())
    receiver.secret = endpoint.secret
    article = public_article()

    with django_capture_on_commit_callbacks(execute=True):
        delivery = events.send_test_event(endpoint)

    [got] = receiver.received
    assert got.verified["type"] == "webhook.test"
    assert got.verified["data"]["id"] == article.pk
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SUCCEEDED
    assert json.loads(delivery.event.body)["type"] == "webhook.test"


def test_an_attempt_takes_a_fixed_number_of_queries(
    receiver, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    endpoint = EndpointFactory(url=receiver.url)
    delivery = queued_delivery(endpoint, django_capture_on_commit_callbacks)

    # Taking it, loading it with its endpoint and event, logging the attempt, updating it
    # (in a savepoint here, inside the test's transaction).
    with django_assert_max_num_queries(6):
        assert sending.deliver(delivery.pk) == Delivery.Status.SUCCEEDED


def test_the_log_keeps_finished_deliveries_for_the_days_set(settings):
    settings.PRESSROOM_WEBHOOK_LOG_DAYS = 30
    now = timezone.now()
    old = DeliveryFactory(
        status=Delivery.Status.SUCCEEDED, finished_at=now - timedelta(days=31),
        created_at=now - timedelta(days=31), failed_with=500, attempts=1,
    )  # fmt: skip
    recent = DeliveryFactory(status=Delivery.Status.FAILED, finished_at=now - timedelta(days=29))
    waiting = DeliveryFactory(created_at=now - timedelta(days=40))
    Event.objects.filter(pk=old.event_id).update(created_at=now - timedelta(days=31))

    assert sending.prune_log(now=now) == 1

    assert set(Delivery.objects.all()) == {recent, waiting}
    assert not Event.objects.filter(pk=old.event_id).exists()
    assert not DeliveryAttempt.objects.filter(delivery_id=old.pk).exists()


def test_a_test_event_with_nothing_published_carries_no_data(
    receiver, django_capture_on_commit_callbacks
):
    endpoint = EndpointFactory(url=receiver.url)
    receiver.secret = endpoint.secret

    with django_capture_on_commit_callbacks(execute=True):
        events.send_test_event(endpoint)

    [got] = receiver.received
    assert (got.verified["type"], got.verified["data"]) == ("webhook.test", {})
