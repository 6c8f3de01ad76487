"""The embargo over HTTP: a release's photos and files are 404 until it is published."""

import uuid
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from media_library import renditions, services
from media_library.models import ArticleAttachment, GalleryImage, LeadImage
from news import workflow
from tests.factories import ArticleFactory

from . import files

pytestmark = pytest.mark.django_db


@pytest.fixture
def photo(upload_photo):
    image = upload_photo(files.jpeg((1700, 1000)))
    renditions.make_renditions(image.pk)
    return image


@pytest.fixture
def document(press_officer, agency):
    attachment = services.upload_document(
        data=files.pdf(), user=press_officer, agency=agency, title_ru="Отчёт за 2026 год"
    )
    renditions.make_document_preview(attachment.pk)
    attachment.refresh_from_db()
    return attachment


def addresses(photo, document) -> list[str]:
    return [
        photo.get_absolute_url(),
        photo.rendition("w800", "webp").url,
        photo.rendition("social", "jpeg").url,
        document.get_absolute_url(),
        document.preview_url(),
    ]


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_anonymous_readers_get_a_404_before_publication_and_the_files_after(
    client, photo, document, agency, editor
):
    # In Russian, as the photo is described (else a pre-publish warning, news.checks).
    article = ArticleFactory(agency=agency, status="approved", language="ru")
    LeadImage.objects.create(article=article, image=photo)
    ArticleAttachment.objects.create(article=article, attachment=document)

    for address in addresses(photo, document):
        assert client.get(address).status_code == 404, address

    workflow.apply_transition("publish", article=article, user=editor)

    original = client.get(photo.get_absolute_url())
    assert original.status_code == 200
    assert original["Content-Type"] == "image/jpeg"
    assert original["Cache-Control"] == "public, max-age=300"
    photo.file.seek(0)
    assert body(original) == photo.file.read()
    webp = client.get(photo.rendition("w800", "webp").url)
    assert webp["Content-Type"] == "image/webp"
    assert files.opened(body(webp)).size == (800, 471)
    download = client.get(document.get_absolute_url())
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert "2026" in download["Content-Disposition"]
    assert body(download).startswith(b"%PDF-")
    assert client.get(document.preview_url())["Content-Type"] == "image/webp"


def test_an_unpublished_release_takes_its_files_back(client, photo, document, agency, editor):
    article = ArticleFactory(agency=agency, status="published", published_at=timezone.now())
    GalleryImage.objects.create(article=article, image=photo, position=1)
    ArticleAttachment.objects.create(article=article, attachment=document)
    assert all(client.get(address).status_code == 200 for address in addresses(photo, document))

    workflow.apply_transition("unpublish", article=article, user=editor, comment="Ошибка в дате")

    for address in addresses(photo, document):
        assert client.get(address).status_code == 404, address


def test_a_scheduled_releases_photo_appears_at_its_publication_time(client, photo, agency):
    publish_at = timezone.now() + timedelta(hours=2)
    article = ArticleFactory(agency=agency, status="scheduled", publish_at=publish_at)
    LeadImage.objects.create(article=article, image=photo)

    assert client.get(photo.get_absolute_url()).status_code == 404
    with time_machine.travel(publish_at + timedelta(seconds=1)):
        assert client.get(photo.get_absolute_url()).status_code == 200


def test_a_photo_no_release_uses_is_not_public(client, photo, agency):
    ArticleFactory(agency=agency, status="published", published_at=timezone.now())
    assert client.get(photo.get_absolute_url()).status_code == 404


def test_the_agencys_officer_and_editors_see_it_before_publication_privately(
    client, photo, document, press_officer, editor
):
    for user in (press_officer, editor):
        client.force_login(user)
        for address in addresses(photo, document):
            response = client.get(address)
            assert response.status_code == 200, address
            assert response["Cache-Control"] == "private, no-store"


def test_an_officer_of_another_agency_gets_a_404(client, photo, document, other_officer):
    client.force_login(other_officer)
    for address in addresses(photo, document):
        assert client.get(address).status_code == 404, address


def test_addresses_cannot_be_guessed_or_bent(client, photo, agency):
    article = ArticleFactory(agency=agency, status="published", published_at=timezone.now())
    LeadImage.objects.create(article=article, image=photo)
    assert client.get(photo.get_absolute_url()).status_code == 200

    base = f"/files/images/{photo.key}/"
    for address in (
        f"/files/images/{uuid.uuid4()}/original.jpg",
        base + "original.png",
        base + "w2400.webp",
        base + "original.svg",
        base + "../../documents/x",
        f"/files/images/{photo.pk}/original.jpg",
        "/media/" + photo.file.name,
        "/media-storage/" + photo.file.name,
    ):
        assert client.get(address).status_code == 404, address
    assert client.post(photo.get_absolute_url()).status_code == 405
