"""Subscribing, confirming, changing and ending an email subscription, without an account.

A request to subscribe is answered the same way whether or not the address is subscribed:
one confirmation email is queued (unless the address's limits are spent, which is silent
too). A new or still unconfirmed address gets a link that confirms the choices just made;
an address already confirmed gets, instead, its link to change its subscription, so
nobody can change another person's subscription by knowing their address."""

import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from news import queue

from . import throttle
from .models import Delivery, Subscription

# Confirmation emails per address: one per CONFIRMATION_INTERVAL (a second request sooner
# sends nothing more), at most CONFIRMATIONS_PER_DAY a day, so the form cannot be used to
# flood someone's mailbox.
CONFIRMATION_INTERVAL = 10 * 60
CONFIRMATIONS_PER_DAY = 3
# Requests of the form per client address per hour (an office behind one address included).
REQUESTS_PER_CLIENT_HOUR = 20
UNCONFIRMED_KEPT = timedelta(days=7)


@dataclass
class Choices:
    """What a subscription follows and how it is sent."""

    language: str
    regions: list = field(default_factory=list)
    agencies: list = field(default_factory=list)
    tags: list = field(default_factory=list)
    release_languages: list[str] = field(default_factory=list)
    frequency: str = Subscription.Frequency.IMMEDIATE
    digest_hour: int = 8


def normalize(email: str) -> str:
    return email.strip().lower()


def client_allowed(client: str) -> bool:
    """Counts a request of the form from `client` (an IP address)."""
    return throttle.allow("client", client, limit=REQUESTS_PER_CLIENT_HOUR, seconds=3600)


def confirmation_allowed(email: str) -> bool:
    return throttle.allow(
        "address-interval", email, limit=1, seconds=CONFIRMATION_INTERVAL
    ) and throttle.allow("address-day", email, limit=CONFIRMATIONS_PER_DAY, seconds=86400)


@transaction.atomic
def request(email: str, choices: Choices) -> Subscription:
    """Record a request to subscribe `email` with `choices` and queue its email."""
    email = normalize(email)
    subscription, _ = Subscription.objects.select_for_update().get_or_create(
        email=email, defaults={"language": choices.language}
    )
    if subscription.confirmed_at is None:
        subscription.requested_at = timezone.now()
        apply(subscription, choices)
    if confirmation_allowed(email):
        args = (subscription.pk, choices.language, uuid.uuid4().hex)
        transaction.on_commit(lambda: queue.enqueue("outreach.tasks.send_confirmation", args))
    return subscription


def apply(subscription: Subscription, choices: Choices) -> None:
    """Save `choices` as what `subscription` follows."""
    if choices.frequency != subscription.frequency and subscription.confirmed_at:
        # The first digest after a change from single emails starts now, not with releases
        # already sent one by one.
        subscription.digest_through = timezone.now()
    subscription.language = choices.language
    subscription.release_languages = ",".join(sorted(set(choices.release_languages)))
    subscription.frequency = choices.frequency
    subscription.digest_hour = choices.digest_hour
    subscription.follows_everything = not (choices.regions or choices.agencies or choices.tags)
    subscription.save()
    subscription.regions.set(choices.regions)
    subscription.agencies.set(choices.agencies)
    subscription.tags.set(choices.tags)


def choices_of(subscription: Subscription) -> Choices:
    return Choices(
        language=subscription.language,
        regions=list(subscription.regions.all()),
        agencies=list(subscription.agencies.all()),
        tags=list(subscription.tags.all()),
        release_languages=subscription.languages,
        frequency=subscription.frequency,
        digest_hour=subscription.digest_hour,
    )


def confirm(subscription: Subscription) -> bool:
    """Start sending; False when it was confirmed already. A digest starts from now."""
    now = timezone.now()
    return bool(
        Subscription.objects.filter(pk=subscription.pk, confirmed_at__isnull=True).update(
            confirmed_at=now, digest_through=now
        )
    )


def end(subscription: Subscription) -> None:
    """Forget the address: nothing more is sent and every link sent to it stops working."""
    Subscription.objects.filter(pk=subscription.pk).delete()
    Delivery.objects.filter(recipient=subscription.email).delete()


def forget_unconfirmed(now=None) -> int:
    """Delete addresses not confirmed within a week of their last request."""
    cutoff = (now or timezone.now()) - UNCONFIRMED_KEPT
    forgotten = Subscription.objects.filter(confirmed_at__isnull=True, requested_at__lt=cutoff)
    Delivery.objects.filter(recipient__in=forgotten.values("email")).delete()
    _, deleted = forgotten.delete()
    return deleted.get(Subscription._meta.label, 0)
