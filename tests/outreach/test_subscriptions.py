"""Double opt-in, the limits on confirmation emails, and forgetting what was not confirmed."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from outreach import subscriptions
from outreach.models import Delivery, Subscription
from outreach.subscriptions import Choices
from tests.factories import seeded_region

from .factories import SubscriptionFactory
from .helpers import published_since

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


def ask(email, capture, **choices):
    with capture(execute=True):
        return subscriptions.request(email, Choices(language="ru", **choices))


def test_nothing_but_the_confirmation_is_sent_before_the_link_is_followed(
    smtp_server, django_capture_on_commit_callbacks
):
    subscription = ask(" Tilshi@Example.KZ ", django_capture_on_commit_callbacks)
    assert subscription.email == "tilshi@example.kz"
    assert subscription.confirmed_at is None
    release = published_since(0.1)
    from outreach import sending

    assert sending.send_release_batch(release.pk, [subscription.pk]) == 0
    assert [m["Subject"].strip() for m in smtp_server.messages] == [
        "Подтвердите подписку на пресс-релизы"
    ]
    assert subscriptions.confirm(subscription) is True
    assert subscriptions.confirm(subscription) is False  # the second click changes nothing
    assert sending.send_release_batch(release.pk, [subscription.pk]) == 1


def test_a_new_request_for_an_unconfirmed_address_replaces_its_choices(
    django_capture_on_commit_callbacks, smtp_server
):
    region = seeded_region("KZ-79")
    ask("a@example.kz", django_capture_on_commit_callbacks)
    cache.clear()  # past the interval between confirmations
    subscription = ask("a@example.kz", django_capture_on_commit_callbacks, regions=[region])
    assert list(subscription.regions.all()) == [region]
    assert subscription.follows_everything is False
    assert Subscription.objects.count() == 1
    assert len(smtp_server.messages) == 2


def test_a_request_for_a_subscribed_address_changes_nothing_and_sends_its_manage_link(
    smtp_server, django_capture_on_commit_callbacks
):
    region = seeded_region("KZ-79")
    SubscriptionFactory(email="known@example.kz", regions=[region], language="kk")
    ask("known@example.kz", django_capture_on_commit_callbacks)
    subscription = Subscription.objects.get()
    assert list(subscription.regions.all()) == [region]
    assert subscription.language == "kk"
    (message,) = smtp_server.messages
    assert message["Subject"].strip() == "Ваша подписка на пресс-релизы"  # asked in Russian
    assert "/ru/subscribe/manage/" in message.get_body(("plain",)).get_content()


def test_confirmations_to_one_address_are_spaced_and_capped_per_day(
    smtp_server, django_capture_on_commit_callbacks
):
    for _ in range(3):
        ask("flooded@example.kz", django_capture_on_commit_callbacks)
    assert len(smtp_server.messages) == 1  # one per interval
    interval = subscriptions.throttle.key_for("address-interval", "flooded@example.kz")
    for _ in range(5):
        cache.delete(interval)  # as when the interval has passed
        ask("flooded@example.kz", django_capture_on_commit_callbacks)
    assert len(smtp_server.messages) == subscriptions.CONFIRMATIONS_PER_DAY
    # Another address is not held back by it.
    ask("other@example.kz", django_capture_on_commit_callbacks)
    assert len(smtp_server.messages) == subscriptions.CONFIRMATIONS_PER_DAY + 1


def test_an_unconfirmed_address_is_forgotten_after_a_week(django_capture_on_commit_callbacks):
    old = ask("old@example.kz", django_capture_on_commit_callbacks)
    recent = ask("recent@example.kz", django_capture_on_commit_callbacks)
    confirmed = SubscriptionFactory(email="confirmed@example.kz")
    week_ago = timezone.now() - timedelta(days=7, minutes=1)
    Subscription.objects.filter(pk__in=[old.pk, confirmed.pk]).update(requested_at=week_ago)
    assert Delivery.objects.filter(recipient="old@example.kz").exists()
    assert subscriptions.forget_unconfirmed() == 1
    assert set(Subscription.objects.values_list("email", flat=True)) == {
        recent.email,
        confirmed.email,
    }
    assert not Delivery.objects.filter(recipient="old@example.kz").exists()


def test_ending_forgets_the_address_and_its_deliveries(smtp_server):
    subscription = SubscriptionFactory()
    release = published_since(0.1)
    from outreach import sending

    sending.send_release_batch(release.pk, [subscription.pk])
    subscriptions.end(subscription)
    assert not Subscription.objects.exists()
    assert not Delivery.objects.filter(recipient=subscription.email).exists()


def test_changing_to_a_digest_starts_it_now(django_capture_on_commit_callbacks):
    subscription = SubscriptionFactory(digest_through=timezone.now() - timedelta(days=3))
    before = timezone.now()
    subscriptions.apply(
        subscription, Choices(language="en", frequency=Subscription.Frequency.DAILY, digest_hour=7)
    )
    subscription.refresh_from_db()
    assert subscription.digest_through >= before
