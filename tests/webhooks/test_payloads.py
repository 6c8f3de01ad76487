import json

import pytest
from django.utils import timezone

from media_library.models import ArticleAttachment, GalleryImage, LeadImage
from news.models import Article
from webhooks import events
from webhooks.models import EventType
from webhooks.payloads import SiteRequest

from ..factories import ArticleFactory, AttachmentFactory, ImageFactory
from .factories import EndpointFactory

pytestmark = pytest.mark.django_db

Status = Article.Status


def published(**kwargs) -> Article:
    return ArticleFactory(status=Status.PUBLISHED, published_at=timezone.now(), **kwargs)


def event_json(event_type, article) -> dict:
    EndpointFactory()
    return json.loads(events.announce(event_type, article.pk).body)


def test_the_payload_is_the_apis_detail_of_the_same_article(client):
    source = "https://www.gov.kz/memleket/entities/x/press/news/details/1"
    article = published(
        title="Парк открыт",
        body="<p>Парк <strong>открыт</strong> для жителей.</p>",
        language="ru",
        tags=["парки", "экология"],
        source_url=source,
        sources=[source],
    )
    published(language="kk", title="Саябақ ашылды", translation_group=article.translation_group)
    LeadImage.objects.create(article=article, image=ImageFactory(agency=article.agency))
    GalleryImage.objects.create(article=article, image=ImageFactory(agency=article.agency))
    ArticleAttachment.objects.create(
        article=article, attachment=AttachmentFactory(agency=article.agency)
    )

    body = event_json(EventType.PUBLISHED, article)
    api = client.get(f"/api/v1/articles/{article.pk}").json()

    assert body["type"] == "release.published"
    assert body["data"] == api
    # Everything the detail shows is there, not an empty shell that equals another one.
    assert body["data"]["tags"] and body["data"]["translations"] and body["data"]["gallery"]
    assert body["data"]["image"]["renditions"] and body["data"]["attachments"]


def test_links_are_made_on_the_public_sites_address(settings):
    settings.PRESSROOM_SITE_URL = "https://pressroom.gov.kz"
    article = published(language="en")

    body = event_json(EventType.UPDATED, article)

    assert body["data"]["url"] == f"https://pressroom.gov.kz/en/releases/{article.slug}/"


def test_an_unscheduled_release_is_described_from_when_it_was_public():
    article = ArticleFactory(status=Status.APPROVED)
    since = timezone.now()

    EndpointFactory()
    event = events.announce(EventType.UNPUBLISHED, article.pk, public_since=since)

    data = json.loads(event.body)["data"]
    assert data["id"] == article.pk
    assert data["published_at"] == since.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def test_the_site_request_answers_for_the_configured_site():
    request = SiteRequest("https://pressroom.gov.kz:8443")

    assert request.build_absolute_uri("/ru/releases/x/") == (
        "https://pressroom.gov.kz:8443/ru/releases/x/"
    )
