import json
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from agencies.models import Region
from news import editing, workflow
from news.models import Article
from webhooks import events
from webhooks.models import Delivery, Event, EventType

from ..factories import AgencyFactory, ArticleFactory, DistrictFactory, seeded_region
from .factories import EndpointFactory

pytestmark = pytest.mark.django_db

Status = Article.Status


@pytest.fixture
def sent(monkeypatch):
    """The deliveries handed to the task queue, by id (the queue itself is not reached)."""
    queued = []

    def enqueue(name, args, **kwargs):
        if name.startswith("webhooks."):
            queued.append((name, args))
        return True

    monkeypatch.setattr(events.queue, "enqueue", enqueue)
    return queued


def step(name, article, user, django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        workflow.apply_transition(name, article=article, user=user, **kwargs)


def edit(article, user, django_capture_on_commit_callbacks, **changes):
    with django_capture_on_commit_callbacks(execute=True):
        editing.article_update(
            article=article, user=user, changes=changes, expected_version=article.version
        )


def events_of(article) -> list[str]:
    return list(Event.objects.filter(article=article).order_by("pk").values_list("type", flat=True))


def test_publishing_records_one_event_and_a_delivery_per_matching_endpoint(
    editor, sent, django_capture_on_commit_callbacks
):
    first, second = EndpointFactory(), EndpointFactory()
    EndpointFactory(is_active=False)
    EndpointFactory(paused_at=timezone.now())
    EndpointFactory(events=["release.updated"])
    article = ArticleFactory(status=Status.APPROVED)

    step("publish", article, editor, django_capture_on_commit_callbacks)

    event = Event.objects.get()
    assert (event.type, event.article) == ("release.published", article)
    deliveries = Delivery.objects.filter(event=event)
    assert {delivery.endpoint for delivery in deliveries} == {first, second}
    assert all(delivery.status == Delivery.Status.PENDING for delivery in deliveries)
    assert sorted(sent) == sorted(
        ("webhooks.tasks.deliver", (delivery.pk,)) for delivery in deliveries
    )
    assert json.loads(event.body)["type"] == "release.published"


def test_nothing_is_recorded_when_no_endpoint_asked(
    editor, sent, django_capture_on_commit_callbacks
):
    EndpointFactory(events=["release.unpublished"])
    article = ArticleFactory(status=Status.APPROVED)

    step("publish", article, editor, django_capture_on_commit_callbacks)

    assert Event.objects.count() == 0
    assert sent == []


def test_nothing_is_sent_before_the_step_commits(editor, sent, django_capture_on_commit_callbacks):
    EndpointFactory()
    article = ArticleFactory(status=Status.APPROVED)

    with django_capture_on_commit_callbacks(execute=False):
        workflow.apply_transition("publish", article=article, user=editor)

    assert Event.objects.count() == 0
    assert sent == []


def test_scheduled_publication_is_a_published_event(
    editor, sent, django_capture_on_commit_callbacks
):
    EndpointFactory()
    article = ArticleFactory(status=Status.APPROVED)
    step(
        "schedule",
        article,
        editor,
        django_capture_on_commit_callbacks,
        publish_at=timezone.now() + timedelta(hours=1),
    )
    assert events_of(article) == []

    with (
        time_machine.travel(timezone.now() + timedelta(hours=2)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert workflow.publish_due_articles() == [article.pk]

    assert events_of(article) == ["release.published"]


def test_editing_a_public_release_is_an_updated_event_and_a_draft_is_not(
    editor, press_officer, agency, sent, django_capture_on_commit_callbacks
):
    EndpointFactory()
    public = ArticleFactory(
        status=Status.PUBLISHED, published_at=timezone.now(), agency=agency, author=press_officer
    )
    draft = ArticleFactory(agency=agency, author=press_officer)

    edit(public, editor, django_capture_on_commit_callbacks, title="A corrected title")
    edit(draft, press_officer, django_capture_on_commit_callbacks, title="Still a draft")

    assert events_of(public) == ["release.updated"]
    body = json.loads(Event.objects.get(article=public).body)
    assert body["data"]["title"] == "A corrected title"
    assert events_of(draft) == []


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [("unpublish", {"comment": "Wrong figures."}), ("archive", {})],
)
def test_a_published_release_leaving_public_is_an_unpublished_event(
    name, kwargs, editor, sent, django_capture_on_commit_callbacks
):
    EndpointFactory()
    article = ArticleFactory(status=Status.PUBLISHED, published_at=timezone.now())

    step(name, article, editor, django_capture_on_commit_callbacks, **kwargs)

    assert events_of(article) == ["release.unpublished"]


def scheduled_and_public(editor, django_capture_on_commit_callbacks) -> Article:
    """A release scheduled an hour ago: readers see it though the scheduler has not run."""
    with time_machine.travel(timezone.now() - timedelta(hours=2)):
        article = ArticleFactory(status=Status.APPROVED)
        step(
            "schedule",
            article,
            editor,
            django_capture_on_commit_callbacks,
            publish_at=timezone.now() + timedelta(hours=1),
        )
    assert Article.objects.published().filter(pk=article.pk).exists()
    return article


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("unschedule", {}),
        ("request_changes", {"comment": "The date is wrong."}),
        ("schedule", {"publish_at": timezone.now() + timedelta(days=2)}),
    ],
)
def test_a_scheduled_release_already_public_leaving_public_is_an_unpublished_event(
    name, kwargs, editor, sent, django_capture_on_commit_callbacks
):
    EndpointFactory()
    article = scheduled_and_public(editor, django_capture_on_commit_callbacks)

    step(name, article, editor, django_capture_on_commit_callbacks, **kwargs)

    assert events_of(article) == ["release.unpublished"]


def test_deleting_a_public_release_is_an_unpublished_event_and_a_draft_is_not(
    sent, django_capture_on_commit_callbacks
):
    EndpointFactory()
    public = ArticleFactory(status=Status.PUBLISHED, published_at=timezone.now())
    draft = ArticleFactory()
    pk = public.pk

    with django_capture_on_commit_callbacks(execute=True):
        public.delete()
        draft.delete()

    event = Event.objects.get()
    assert (event.type, event.article) == ("release.unpublished", None)
    assert json.loads(event.body)["data"]["id"] == pk
    assert len(sent) == 1


def test_steps_of_releases_nobody_saw_are_no_events(
    editor, sent, django_capture_on_commit_callbacks
):
    EndpointFactory()
    article = ArticleFactory(status=Status.APPROVED)
    later = timezone.now() + timedelta(hours=3)
    step("schedule", article, editor, django_capture_on_commit_callbacks, publish_at=later)
    step("unschedule", article, editor, django_capture_on_commit_callbacks)
    step("archive", article, editor, django_capture_on_commit_callbacks)

    assert events_of(article) == []


# --- filters ------------------------------------------------------------------------------


def published(**kwargs) -> Article:
    return ArticleFactory(status=Status.PUBLISHED, published_at=timezone.now(), **kwargs)


def announced_to(article) -> set:
    event = events.announce(EventType.PUBLISHED, article.pk)
    if event is None:
        return set()
    return {delivery.endpoint.name for delivery in event.deliveries.select_related("endpoint")}


def test_a_region_filter_takes_its_districts_and_leaves_other_regions():
    almaty_region = seeded_region("KZ-19")
    district = DistrictFactory(parent=almaty_region)
    EndpointFactory(name="region", regions=[almaty_region])
    EndpointFactory(name="everything")
    other = seeded_region("KZ-79")

    assert announced_to(published(region=almaty_region)) == {"region", "everything"}
    assert announced_to(published(region=district)) == {"region", "everything"}
    assert announced_to(published(region=other)) == {"everything"}


def test_the_country_filter_means_national_releases():
    country = Region.objects.get(kind=Region.Kind.COUNTRY)
    EndpointFactory(name="national", regions=[country])

    assert announced_to(published(region=None)) == {"national"}
    assert announced_to(published(region=seeded_region("KZ-79"))) == set()


def test_agency_and_language_filters_must_all_match():
    wanted, other = AgencyFactory(), AgencyFactory()
    EndpointFactory(name="ministry in kazakh", agencies=[wanted], languages=["kk"])

    assert announced_to(published(agency=wanted, language="kk")) == {"ministry in kazakh"}
    assert announced_to(published(agency=wanted, language="ru")) == set()
    assert announced_to(published(agency=other, language="kk")) == set()


def test_matching_endpoints_takes_a_bounded_number_of_queries(django_assert_max_num_queries):
    for _ in range(5):
        EndpointFactory(regions=[seeded_region("KZ-19")], agencies=[AgencyFactory()])
    article = published(region=seeded_region("KZ-19"))

    with django_assert_max_num_queries(6):
        endpoints = list(events.active_endpoints())
        assert [events.matches(endpoint, "release.published", article) for endpoint in endpoints]
