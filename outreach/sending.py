"""Sending releases to subscribers: each public release once to each immediate subscriber
who follows it, and a daily digest at each digest subscriber's hour (Almaty time)."""

import logging
from datetime import date, datetime, time, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.utils import timezone

from news import queue
from news.models import Article

from . import emails, stories
from .delivery import Outgoing, deliver, fan_out
from .models import Subscription

logger = logging.getLogger(__name__)

ALMATY = ZoneInfo("Asia/Almaty")
# A digest after a long outage covers at most this much: nobody wants a month in one email.
LONGEST_DIGEST = timedelta(days=7)


def on_release_stepped(sender, step, **kwargs) -> None:
    """release_stepped receiver: a step to published tells the immediate subscribers."""
    if step.to_status == Article.Status.PUBLISHED:
        queue.enqueue("outreach.tasks.announce_release", (step.article_id,))


def announce(article_id: int) -> int:
    """Queue the release's emails in batches; returns how many batches."""
    story = stories.story_of(article_id)
    if story is None:
        return 0  # withdrawn before the worker came to it
    subscribers = stories.immediate_subscribers(story).order_by("pk").values_list("pk", flat=True)
    return fan_out("outreach.tasks.send_release_batch", (article_id,), subscribers.iterator())


def send_release_batch(article_id: int, subscription_ids: list[int]) -> int:
    """Send the release to these subscribers (those still subscribed); returns how many
    emails were sent now."""
    story = stories.story_of(article_id)
    if story is None:
        return 0
    subscriptions = Subscription.objects.confirmed().filter(
        pk__in=subscription_ids, frequency=Subscription.Frequency.IMMEDIATE
    )
    return deliver(
        release=story.key,
        kind="release",
        outgoing=(
            Outgoing(s.email, partial(emails.release, s, story)) for s in subscriptions.iterator()
        ),
    )


def digest_end(day: date, hour: int) -> datetime:
    """The moment a subscriber's digest of `day` is due, which ends the period it covers."""
    return datetime.combine(day, time(hour), tzinfo=ALMATY)


def due_digests(now: datetime | None = None):
    """Digest subscriptions whose hour has come today (Almaty) and that have not had
    today's digest: beat missing an hour delays a digest, it does not skip it."""
    now = now or timezone.now()
    local = timezone.localtime(now, ALMATY)
    due = Q()
    for hour in range(local.hour + 1):
        due |= Q(digest_hour=hour, digest_through__lt=digest_end(local.date(), hour))
    return Subscription.objects.confirmed().filter(frequency=Subscription.Frequency.DAILY).filter(
        due
    ), local.date()


def queue_digests(now: datetime | None = None) -> int:
    """Queue today's due digests in batches; returns how many batches."""
    due, day = due_digests(now)
    ids = due.order_by("pk").values_list("pk", flat=True)
    return fan_out("outreach.tasks.send_digest_batch", (day.isoformat(),), ids.iterator())


def send_digest_batch(day_iso: str, subscription_ids: list[int]) -> int:
    """Send each of these subscribers their digest of `day`: the releases they follow that
    became public since their last digest. Once per subscriber and day (kind
    "digest:<day>"); a digest with nothing in it is not sent."""
    day = date.fromisoformat(day_iso)
    subscriptions = list(
        Subscription.objects.confirmed().filter(
            pk__in=subscription_ids, frequency=Subscription.Frequency.DAILY
        )
    )
    periods = {}
    for subscription in subscriptions:
        end = digest_end(day, subscription.digest_hour)
        start = max(subscription.digest_through or subscription.confirmed_at, end - LONGEST_DIGEST)
        if start < end:
            periods[subscription.pk] = (start, end)
    if not periods:
        return 0
    found = stories.stories_first_public_between(
        min(start for start, _ in periods.values()), max(end for _, end in periods.values())
    )
    follows = stories.follows_of(subscriptions)
    outgoing = []
    for subscription in subscriptions:
        if subscription.pk not in periods:
            continue
        start, end = periods[subscription.pk]
        chosen = [
            story
            for story in found
            if start <= story.first_public < end and follows[subscription.pk].match(story)
        ]
        if chosen:
            outgoing.append(
                Outgoing(subscription.email, partial(emails.digest, subscription, day, chosen))
            )
    sent = deliver(release=None, kind=f"digest:{day_iso}", outgoing=outgoing)
    # Recorded once every digest of the batch was sent (or claimed by another task): a
    # re-run after a failure covers the same period and skips what was sent.
    by_end: dict[datetime, list[int]] = {}
    for subscription_id, (_, end) in periods.items():
        by_end.setdefault(end, []).append(subscription_id)
    for end, ids in by_end.items():
        Subscription.objects.filter(pk__in=ids, digest_through__lt=end).update(digest_through=end)
    return sent
