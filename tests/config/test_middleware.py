"""A request whose address holds a NUL character is refused with the site's 400 page."""

import pytest
from django.test import Client

from news.models import Article

from ..public.pages import published


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/en/tags/%00/",
        "/en/tags/%00/atom/",
        "/en/releases/?q=%00",
        "/en/search/?q=war%00",
        "/en/releases/?%00=1",
        "/en/releases/?tag=a&tag=%00",
    ],
)
def test_a_nul_character_in_the_address_is_a_bad_request_with_the_sites_page(client, path):
    response = client.get(path)

    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-code="unreadable_request"' in html
    assert "The address contains a character that no page can use." in html
    assert '<meta name="robots" content="noindex">' in html
    assert response["Content-Security-Policy"]


@pytest.mark.django_db
def test_the_bad_request_page_is_in_the_readers_language(client):
    response = client.get("/ru/tags/%00/")

    assert response.status_code == 400
    assert "Адрес содержит недопустимый символ" in response.content.decode()


@pytest.mark.django_db
def test_the_api_answers_a_nul_character_in_json(client):
    response = client.get("/api/v1/articles?q=%00")

    assert response.status_code == 400
    assert response.json()["code"] == "unreadable_request"


@pytest.mark.django_db
def test_the_admin_autocomplete_refuses_a_nul_term(client, editor):
    client.force_login(editor)

    response = client.get(
        "/admin/autocomplete/",
        {"term": "\x00", "app_label": "news", "model_name": "article", "field_name": "agency"},
    )

    assert response.status_code == 400


@pytest.mark.django_db
def test_an_ordinary_address_is_served(client):
    article = published(title="Clean water", tags=["water"])

    assert client.get("/en/tags/water/").status_code == 200
    assert client.get(article.get_absolute_url()).status_code == 200
    assert Article.objects.count() == 1
