"""Which workflow steps and edits partners are told about, and to which endpoints.

news announces committed steps and edits (news.signals); WebhooksConfig.ready connects the
receivers here, so the workflow knows nothing of webhooks. Each event is recorded once with
its body, then one delivery per matching active endpoint, sent after commit.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from news import queue
from news.models import Article

from .models import Delivery, Endpoint, Event, EventType
from .payloads import article_detail, article_for_payload, event_body, site_request
from .sending import DELIVER_TASK

Status = Article.Status


def is_public(article: Article, at: datetime) -> bool:
    """Whether readers see the article at `at` (as Article.objects.published() decides)."""
    if article.status == Status.PUBLISHED:
        return True
    return (
        article.status == Status.SCHEDULED
        and article.publish_at is not None
        and article.publish_at <= at
    )


def publish_at_before(step) -> datetime | None:
    """The article's publication time before `step` changed it: a scheduled release whose
    time had passed was already public, and unscheduling or rescheduling it withdraws it.

    Read from the article's history, the record written before the step's own (which
    apply_transition saves after taking the step's time).
    """
    return (
        step.article.history.filter(history_date__lt=step.created_at)
        .order_by("-history_date", "-history_id")
        .values_list("publish_at", flat=True)
        .first()
    )


def public_since(step) -> datetime | None:
    """When the article became public, if it was just before `step`; else None."""
    if step.from_status == Status.PUBLISHED:
        return step.article.published_at or step.created_at
    if step.from_status != Status.SCHEDULED:
        return None
    previous = publish_at_before(step)
    return previous if previous is not None and previous <= step.created_at else None


def on_release_stepped(sender, step, **kwargs) -> None:
    """A step to published is a published event; a step that takes a public release out
    of public view (unpublishing, archiving, unscheduling or rescheduling a release whose
    time had come) an unpublished one."""
    if step.to_status == Status.PUBLISHED:
        if step.from_status != Status.PUBLISHED:
            announce(EventType.PUBLISHED, step.article.pk)
        return
    if is_public(step.article, step.created_at):
        return
    since = public_since(step)
    if since is not None:
        announce(EventType.UNPUBLISHED, step.article.pk, public_since=since)


def on_release_edited(sender, article, changed_fields, **kwargs) -> None:
    # Only what readers see is news: an edit of a draft is not.
    if Article.objects.published().filter(pk=article.pk).exists():
        announce(EventType.UPDATED, article.pk)


def on_article_deleted(sender, instance, **kwargs) -> None:
    """Deleting a public release withdraws it too. Recorded before the row goes, in the
    deleting transaction: its body needs the article, and a rollback takes it back."""
    if Article.objects.published().filter(pk=instance.pk).exists():
        announce(EventType.UNPUBLISHED, instance.pk)


def matches(endpoint: Endpoint, event_type: str, article: Article | None) -> bool:
    """Whether `endpoint` asked for this event about this article. Load endpoints with
    `regions__children` and `agencies` prefetched."""
    if event_type != EventType.TEST and event_type not in endpoint.events:
        return False
    if article is None:
        return True
    if endpoint.languages and article.language not in endpoint.languages:
        return False
    agencies = {agency.pk for agency in endpoint.agencies.all()}
    if agencies and article.agency_id not in agencies:
        return False
    regions = list(endpoint.regions.all())
    return not regions or any(in_region(article, region) for region in regions)


def in_region(article: Article, region) -> bool:
    """As Article.objects.in_region: a region with its districts; the country means
    national releases (no region)."""
    if region.kind == region.Kind.COUNTRY:
        return article.region_id in (None, region.pk)
    return article.region_id in {region.pk, *(child.pk for child in region.children.all())}


def active_endpoints():
    return Endpoint.objects.filter(is_active=True, paused_at__isnull=True).prefetch_related(
        "regions__children", "agencies"
    )


@transaction.atomic
def announce(event_type: str, article_pk: int, *, public_since=None) -> Event | None:
    """Record the event about an article and a delivery to each endpoint that asked for it;
    they are sent once this commits. None when no endpoint asked (nothing is recorded).

    `public_since`: when a release just withdrawn had become public, for the detail's
    `published_at` if the step cleared its time (unscheduling a release already public).
    """
    article = article_for_payload(article_pk)
    if article is None:
        return None
    if article.published_at is None and article.publish_at is None:
        article.publish_at = public_since  # in the payload only, never saved
    endpoints = [
        endpoint for endpoint in active_endpoints() if matches(endpoint, event_type, article)
    ]
    if not endpoints:
        return None
    request = site_request()
    return record(event_type, article, article_detail(article, request), endpoints, request)


def record(event_type, article, data, endpoints, request) -> Event:
    now = timezone.now()
    event = Event.objects.create(
        type=event_type,
        article=article,
        body=event_body(event_type, now, data, request),
        created_at=now,
    )
    deliveries = Delivery.objects.bulk_create(
        Delivery(endpoint=endpoint, event=event, created_at=now, next_attempt_at=now)
        for endpoint in endpoints
    )
    for delivery in deliveries:
        send_after_commit(delivery.pk)
    return event


def send_after_commit(delivery_pk: int) -> None:
    # A delivery the task queue refused is still due: beat's sweep sends it.
    transaction.on_commit(lambda: queue.enqueue(DELIVER_TASK, (delivery_pk,)))


@transaction.atomic
def send_test_event(endpoint: Endpoint) -> Delivery:
    """A test event to one endpoint, paused or not, so an administrator can check it before
    resuming it: the newest public release as data, or none when nothing is published."""
    request = site_request()
    newest = Article.objects.published().order_by("-published_at", "-pk").only("pk").first()
    article = article_for_payload(newest.pk) if newest else None
    data = article_detail(article, request) if article else {}
    event = record(EventType.TEST, article, data, [endpoint], request)
    return event.deliveries.get()
