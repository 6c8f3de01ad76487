import uuid
import xml.etree.ElementTree as ET

import pytest

from news.models import Article

from ..news.helpers import article_in
from .pages import published

pytestmark = pytest.mark.django_db
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def urls(response) -> dict[str, dict[str, str]]:
    """Each <loc> with its hreflang alternates."""
    root = ET.fromstring(response.content)  # noqa: S314 - our own server's output
    return {
        url.findtext(f"{SM}loc"): {
            link.get("hreflang"): link.get("href") for link in url.findall(f"{XHTML}link")
        }
        for url in root.findall(f"{SM}url")
    }


def test_the_index_lists_every_part(client):
    root = ET.fromstring(client.get("/sitemap.xml").content)  # noqa: S314
    locations = {sitemap.findtext(f"{SM}loc") for sitemap in root.findall(f"{SM}sitemap")}
    assert locations == {
        f"http://testserver/sitemap-{section}.xml"
        for section in ("sections", "regions", "agencies", "tags", "releases")
    }


def test_releases_are_listed_once_under_their_language_with_their_versions(client):
    group = uuid.uuid4()
    english = published(title="Budget adopted", language="en", translation_group=group)
    kazakh = published(title="Бюджет қабылданды", language="kk", translation_group=group)
    alone = published(title="Alone", language="ru")
    draft = article_in(Article.Status.DRAFT, title="Draft")

    listed = urls(client.get("/sitemap-releases.xml"))

    english_url = f"http://testserver/en/releases/{english.slug}/"
    kazakh_url = f"http://testserver/kk/releases/{kazakh.slug}/"
    assert set(listed) == {english_url, kazakh_url, f"http://testserver/ru/releases/{alone.slug}/"}
    assert listed[english_url] == {"en": english_url, "kk": kazakh_url}
    assert listed[f"http://testserver/ru/releases/{alone.slug}/"] == {}
    assert draft.slug not in str(listed)


def test_sections_exist_in_every_language_with_x_default(client):
    listed = urls(client.get("/sitemap-regions.xml"))
    alternates = listed["http://testserver/en/regions/shymkent/"]
    assert alternates == {
        "kk": "http://testserver/kk/regions/shymkent/",
        "ru": "http://testserver/ru/regions/shymkent/",
        "en": "http://testserver/en/regions/shymkent/",
        "x-default": "http://testserver/regions/shymkent/",
    }
    assert "http://testserver/ru/regions/shymkent/" in listed


def test_x_default_redirects_to_the_visitors_language(client):
    response = client.get("/regions/shymkent/", headers={"accept-language": "kk"})
    assert response.status_code == 302
    assert response["Location"] == "/kk/regions/shymkent/"


def test_only_tags_of_published_releases_are_listed(client):
    published().tags.add("parks")
    article_in(Article.Status.DRAFT).tags.add("secret")
    listed = urls(client.get("/sitemap-tags.xml"))
    assert "http://testserver/en/tags/parks/" in listed
    assert not any("secret" in url for url in listed)


def test_release_sitemap_query_count_does_not_grow(client, django_assert_max_num_queries):
    for _ in range(30):
        published(translation_group=uuid.uuid4())
    # Count, the page of articles, their versions, the next embargo (for the cache).
    with django_assert_max_num_queries(4):
        assert len(urls(client.get("/sitemap-releases.xml"))) == 30
