import uuid
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.utils import timezone

from media_library.models import LeadImage
from news.models import Article

from ..factories import AgencyFactory, ImageFactory, seeded_region
from ..news.helpers import article_in
from .pages import published

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def xml(response) -> ET.Element:
    return ET.fromstring(response.content)  # noqa: S314 - our own server's output


def atom_entries(response) -> list[dict]:
    assert response["Content-Type"].startswith("application/atom+xml")
    root = xml(response)
    return [
        {
            "title": entry.findtext(f"{ATOM}title"),
            "link": entry.find(f"{ATOM}link").get("href"),
            "categories": [c.get("term") for c in entry.findall(f"{ATOM}category")],
            "author": entry.findtext(f"{ATOM}author/{ATOM}name"),
        }
        for entry in root.findall(f"{ATOM}entry")
    ]


def rss_titles(response) -> list[str]:
    assert response["Content-Type"].startswith("application/rss+xml")
    return [item.findtext("title") for item in xml(response).iter("item")]


def test_the_main_feed_lists_published_releases_newest_first(client):
    older = published(title="Older", published_at=timezone.now() - timedelta(days=2))
    newer = published(title="Newer", language="en", agency=AgencyFactory(name_en="Akimat X"))
    newer.tags.add("parks")
    article_in(Article.Status.DRAFT, title="Draft")

    entries = atom_entries(client.get("/en/feeds/atom/"))

    assert [entry["title"] for entry in entries] == ["Newer", "Older"]
    assert entries[0]["link"] == f"http://testserver/en/releases/{newer.slug}/"
    assert entries[0]["categories"] == ["parks"]
    assert entries[0]["author"] == "Akimat X"
    assert rss_titles(client.get("/en/feeds/rss/")) == ["Newer", "Older"]
    assert entries[1]["link"] == f"http://testserver/en/releases/{older.slug}/"


def test_feeds_follow_the_url_language_one_version_per_story(client):
    group = uuid.uuid4()
    published(title="Budget adopted", language="en", translation_group=group)
    published(title="Бюджет принят", language="ru", translation_group=group)
    assert rss_titles(client.get("/en/feeds/rss/")) == ["Budget adopted"]
    assert rss_titles(client.get("/ru/feeds/rss/")) == ["Бюджет принят"]
    root = xml(client.get("/ru/feeds/rss/"))
    assert root.findtext("channel/language") == "ru"


def test_region_agency_and_tag_feeds(client):
    shymkent = AgencyFactory(slug="akimat-shymkent", region=seeded_region("KZ-79"))
    astana = AgencyFactory(region=seeded_region("KZ-71"))
    published(title="Shymkent park", agency=shymkent).tags.add("parks")
    published(title="Astana park", agency=astana).tags.add("parks")
    published(title="Astana roads", agency=astana)

    assert rss_titles(client.get("/en/regions/shymkent/rss/")) == ["Shymkent park"]
    assert rss_titles(client.get("/en/agencies/akimat-shymkent/rss/")) == ["Shymkent park"]
    assert sorted(rss_titles(client.get("/en/tags/parks/rss/"))) == ["Astana park", "Shymkent park"]
    region_feed = xml(client.get("/en/regions/astana/atom/"))
    assert region_feed.findtext(f"{ATOM}title") == "Astana — Pressroom"
    assert client.get("/en/regions/atlantis/rss/").status_code == 404


def test_a_feed_takes_the_filters_of_its_page(client):
    published(title="Water news", language="en").tags.add("water")
    published(title="Other news", language="en")
    published(title="Russian water news", language="ru").tags.add("water")

    assert rss_titles(client.get("/en/feeds/rss/?tag=water&language=ru")) == ["Russian water news"]
    channel_link = xml(client.get("/en/feeds/rss/?tag=water")).findtext("channel/link")
    assert channel_link == "http://testserver/en/releases/?tag=water"


@pytest.mark.postgres
def test_a_search_feed_lists_matches_newest_first(client):
    published(title="Harvest begins", published_at=timezone.now() - timedelta(days=3))
    published(title="Harvest record", published_at=timezone.now() - timedelta(days=1))
    published(title="Road works")
    assert rss_titles(client.get("/en/feeds/rss/?q=harvest")) == [
        "Harvest record",
        "Harvest begins",
    ]


def test_feed_query_count_does_not_grow_with_items(client, django_assert_max_num_queries):
    for _ in range(25):
        published(agency=AgencyFactory(region=seeded_region("KZ-79"))).tags.add("a", "b")
    # The releases, then the articles and their tags for the entries, the next embargo.
    with django_assert_max_num_queries(4):
        assert len(rss_titles(client.get("/en/feeds/rss/"))) == 20


@pytest.mark.parametrize("path", ["/en/feeds/atom/", "/en/feeds/rss/"])
def test_a_feed_follows_edits_tags_and_agencies(client, path):
    article = published(title="Before")
    client.get(path)
    article.title = "After"
    article.save()
    article.tags.add("water")
    article.agency.name_en = "Renamed agency"
    article.agency.save()
    content = client.get(path).content.decode()
    assert "After" in content and "Before" not in content
    assert "water" in content
    assert "Renamed agency" in content


@pytest.mark.parametrize("path", ["/en/feeds/atom/", "/en/feeds/rss/"])
def test_a_feed_is_sent_in_one_piece(client, path):
    for index in range(3):
        published(title=f"Release {index}")
    chunks = [chunk for chunk in client.get(path) if chunk]
    assert len(chunks) == 1  # a chunk per tag was a network write per tag


MEDIA = "{http://search.yahoo.com/mrss/}"


@pytest.mark.parametrize("feed_format", ["atom", "rss"])
def test_an_entry_carries_its_lead_photo_as_media_content(client, feed_format):
    with_photo = published(title="Park opened")
    photo = ImageFactory(agency=with_photo.agency)
    LeadImage.objects.create(article=with_photo, image=photo)
    published(title="No photo")

    root = xml(client.get(f"/en/feeds/{feed_format}/"))

    contents = root.findall(f".//{MEDIA}content")
    assert len(contents) == 1
    assert contents[0].attrib == {
        "url": f"http://testserver/files/images/{photo.key}/social.jpeg",
        "type": "image/jpeg",
        "medium": "image",
        "width": "1200",
        "height": "630",
    }
    assert contents[0].find(f"{MEDIA}description").text == "The akim meets residents"
