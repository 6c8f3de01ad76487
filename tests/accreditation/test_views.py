"""The personal link's page and its photos and files (accreditation.views)."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache

from accreditation import links
from accreditation.models import LinkOpening
from news import workflow

pytestmark = pytest.mark.django_db


def page_url(accreditation, article, version=None, language="ru"):
    token = links.make_token(accreditation, article, version or article)
    return links.preview_path(token, language)


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_page_shows_the_release_marked_embargoed(client, journalist, embargoed):
    response = client.get(page_url(journalist, embargoed), HTTP_USER_AGENT="Reporter/1.0")

    assert response.status_code == 200
    html = response.content.decode()
    assert "ЭМБАРГО до " in html and "(Asia/Almaty), не для публикации." in html
    assert "Аким открыл новую школу" in html
    assert "Школа построена за год." in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "no-referrer"


def test_every_opening_is_logged(client, journalist, embargoed):
    url = page_url(journalist, embargoed)

    client.get(url, HTTP_USER_AGENT="Reporter/1.0", REMOTE_ADDR="203.0.113.7")
    client.get(url, HTTP_USER_AGENT="Other/2.0", REMOTE_ADDR="2001:db8::1")

    openings = list(LinkOpening.objects.order_by("id"))
    assert [(o.accreditation, o.article, o.kind) for o in openings] == [
        (journalist, embargoed, "page"),
        (journalist, embargoed, "page"),
    ]
    assert [(o.client_address, o.user_agent) for o in openings] == [
        ("203.0.113.7", "Reporter/1.0"),
        ("2001:db8::1", "Other/2.0"),
    ]


def test_odd_client_headers_are_logged_as_far_as_they_can_be(client, journalist, embargoed):
    response = client.get(
        page_url(journalist, embargoed),
        HTTP_USER_AGENT="Bad\x00Agent" + "x" * 1000,
        REMOTE_ADDR="not an address",
    )

    assert response.status_code == 200
    opening = LinkOpening.objects.get()
    assert opening.user_agent == ("BadAgent" + "x" * 1000)[:500]
    assert opening.client_address is None


def test_the_page_is_not_kept_by_the_public_page_cache(client, journalist, embargoed):
    cache.clear()
    url = page_url(journalist, embargoed)
    client.get(url)
    journalist.is_active = False
    journalist.save()

    # Revoked: a cached copy would still show the release.
    assert client.get(url).status_code == 410


def test_a_tampered_token_is_a_plain_404(client, journalist, embargoed):
    url = page_url(journalist, embargoed)
    tampered = url.replace("/ru/embargoed/", "/ru/embargoed/x")

    response = client.get(tampered)

    assert response.status_code == 404
    assert "Аким открыл" not in response.content.decode()
    assert not LinkOpening.objects.exists()


def test_a_revoked_accreditation_gets_a_410_without_the_release(client, journalist, embargoed):
    url = page_url(journalist, embargoed)
    journalist.is_active = False
    journalist.save()

    response = client.get(url)

    assert response.status_code == 410
    html = response.content.decode()
    assert "Аким открыл" not in html and "Школа построена" not in html
    assert response["Cache-Control"] == "private, no-store"


def test_a_withdrawn_release_gets_a_410(client, journalist, embargoed, editor):
    url = page_url(journalist, embargoed)
    workflow.apply_transition("unschedule", article=embargoed, user=editor)

    response = client.get(url)

    assert response.status_code == 410
    assert "Школа построена" not in response.content.decode()


def test_after_the_embargo_the_link_redirects_to_the_public_page(client, journalist, embargoed):
    url = page_url(journalist, embargoed)

    with time_machine.travel(embargoed.publish_at + timedelta(minutes=1)):
        response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"/ru/releases/{embargoed.slug}/"


def test_the_photos_and_files_come_through_the_link(client, journalist, with_media):
    embargoed = with_media
    html = client.get(page_url(journalist, embargoed)).content.decode()
    lead = embargoed.lead_image.image
    gallery = embargoed.gallery.get().image
    document = embargoed.attachments.get().attachment

    # Not one public address of the release's media is left on the page.
    for key in (lead.key, gallery.key, document.key):
        assert f"/files/images/{key}/" not in html
        assert f"/files/documents/{key}/" not in html
    addresses = sorted(
        set(re.findall(r'(/ru/embargoed/[^"\s,]+/(?:images|documents)/[^"\s,]+)', html))
    )
    assert any(str(lead.key) in address for address in addresses)
    assert any(str(gallery.key) in address for address in addresses)
    assert any(str(document.key) in address and address.endswith(".pdf") for address in addresses)

    LinkOpening.objects.all().delete()
    for address in addresses:
        response = client.get(address)
        assert response.status_code == 200, address
        assert response["Cache-Control"] == "private, no-store"
        assert body(response)
    assert LinkOpening.objects.filter(kind__in=["image", "attachment"]).count() == len(addresses)

    # The public addresses still refuse anonymous readers: the embargo holds for them.
    assert client.get(lead.get_absolute_url()).status_code == 404
    assert client.get(document.get_absolute_url()).status_code == 404


def test_the_link_serves_no_media_of_another_release(client, journalist, embargoed, photo):
    token = links.make_token(journalist, embargoed, embargoed)
    address = links.media_prefix(token, "image", photo.key, "ru") + "original.jpg"

    assert client.get(address).status_code == 404
    assert client.get(photo.get_absolute_url()).status_code == 404


def test_a_wrong_file_name_through_the_link_is_a_404_not_an_opening(client, journalist, with_media):
    token = links.make_token(journalist, with_media, with_media)
    lead = with_media.lead_image.image

    for name in ("original.exe", "huge.jpg", "../original.jpg"):
        address = links.media_prefix(token, "image", lead.key, "ru") + name
        assert client.get(address).status_code == 404, name
    assert not LinkOpening.objects.exists()


def test_media_of_a_revoked_link_are_gone(client, journalist, with_media):
    token = links.make_token(journalist, with_media, with_media)
    lead = with_media.lead_image.image
    address = links.media_prefix(token, "image", lead.key, "ru") + "original.jpg"
    assert client.get(address).status_code == 200

    journalist.active_until = journalist.created_at.date() - timedelta(days=1)
    journalist.save()

    assert client.get(address).status_code == 410


def test_after_the_embargo_media_redirect_to_their_public_address(client, journalist, with_media):
    token = links.make_token(journalist, with_media, with_media)
    lead = with_media.lead_image.image
    address = links.media_prefix(token, "image", lead.key, "ru") + "original.jpg"

    with time_machine.travel(with_media.publish_at + timedelta(minutes=1)):
        response = client.get(address)

    assert response.status_code == 302
    assert response["Location"] == lead.get_absolute_url()


def test_only_reading_is_allowed(client, journalist, embargoed):
    assert client.post(page_url(journalist, embargoed)).status_code == 405


def test_the_page_costs_a_fixed_number_of_queries(
    client, journalist, with_media, django_assert_max_num_queries
):
    url = page_url(journalist, with_media)
    client.get(url)  # caches warmed, as for a second reader

    # The token's accreditation, the release and its version, whether it is public yet, the
    # opening's record; the tags, the gallery and the files, however many (prefetched).
    with django_assert_max_num_queries(7):
        assert client.get(url).status_code == 200
