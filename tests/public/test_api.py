from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.utils import timezone
from openapi_spec_validator import validate

from media_library.models import ArticleAttachment, GalleryImage, LeadImage
from news.models import Article
from public.filters import PublicArticleFilter
from public.selectors import published_articles

from ..factories import AgencyFactory, AttachmentFactory, ImageFactory, seeded_region
from ..news.helpers import article_in
from .pages import published

pytestmark = pytest.mark.django_db
Status = Article.Status
LIST = "/api/v1/articles"


def test_list_shows_published_articles_only_with_their_fields(client):
    agency = AgencyFactory(
        slug="shymkent-test", name_en="Akimat", name_ru="Акимат", name_kk="Әкімдік"
    )
    article = published(
        title="Parks renewed", lead="Five parks.", agency=agency, tags=["parks"],
        release_date=date(2025, 11, 3),
    )  # fmt: skip
    article_in(Status.DRAFT, title="Draft")
    article_in(Status.SCHEDULED, title="Tomorrow")

    body = client.get(LIST).json()

    assert body["count"] == 1
    assert body["next"] is None and body["previous"] is None
    (item,) = body["results"]
    assert item == {
        "id": article.pk,
        "slug": article.slug,
        "language": "en",
        "title": "Parks renewed",
        "lead": "Five parks.",
        "agency": {
            "slug": "shymkent-test",
            "names": {"kk": "Әкімдік", "ru": "Акимат", "en": "Akimat"},
        },
        "region": {
            "code": "KZ-79",
            "slug": "shymkent",
            "names": {"kk": "Шымкент", "ru": "Шымкент", "en": "Shymkent"},
        },
        "tags": [{"name": "parks", "slug": "parks"}],
        "release_date": "2025-11-03",
        "published_at": item["published_at"],
        "url": f"http://testserver/en/releases/{article.slug}/",
        "rank": None,
        "snippet": None,
    }
    assert item["published_at"].startswith(str(article.published_at.date()))


def test_pages_are_stable_and_linked(client):
    now = timezone.now()
    articles = [published(title=f"A{n}", published_at=now - timedelta(hours=n)) for n in range(5)]

    first = client.get(LIST, {"page_size": 2, "language": "en"}).json()
    second = client.get(first["next"]).json()
    last = client.get(second["next"]).json()

    assert first["count"] == 5 and first["pages"] == 3
    seen = [item["title"] for page in (first, second, last) for item in page["results"]]
    assert seen == [article.title for article in articles]
    assert "language=en" in first["next"] and "page=2" in first["next"]
    assert last["next"] is None and client.get(last["previous"]).json() == second
    response = client.get(LIST, {"page": 4, "page_size": 2})
    assert response.status_code == 404
    assert response.json() == {"detail": "There is no page 4."}


def test_counting_stops_at_the_cap_and_pages_go_on(client, monkeypatch):
    monkeypatch.setattr("public.api.MAX_COUNT", 3)
    now = timezone.now()
    articles = [published(title=f"A{n}", published_at=now - timedelta(hours=n)) for n in range(5)]

    first = client.get(LIST, {"page_size": 2, "region": ""}).json()
    second = client.get(first["next"]).json()
    third = client.get(second["next"]).json()

    assert (first["count"], first["count_capped"], first["pages"]) == (3, True, 2)
    # Past the counted pages, pages go on by cursor, keeping the filters.
    assert "before=" in second["next"] and "page=" not in second["next"]
    assert "page_size=2" in second["next"]
    assert third["page"] is None
    assert [item["title"] for item in third["results"]] == [articles[4].title]
    assert third["next"] is None
    back = client.get(third["previous"]).json()
    assert [item["title"] for item in back["results"]] == [a.title for a in articles[2:4]]
    assert client.get(LIST, {"page": 3, "page_size": 2}).status_code == 404
    assert client.get(LIST, {"before": "1_1"}).status_code == 404
    cursor = parse_qs(urlsplit(second["next"]).query)["before"][0]
    searched = client.get(LIST, {"before": cursor, "q": "A1"})
    assert searched.status_code == 400
    assert searched.json() == {"detail": "Search results have numbered pages only."}
    small = client.get(LIST, {"page_size": 2, "language": "kk"}).json()
    assert (small["count"], small["count_capped"], small["pages"]) == (0, False, 1)


def test_list_takes_the_public_filters(client):
    published(title="Almaty English", region=seeded_region("KZ-75"))
    published(title="Almaty Russian", region=seeded_region("KZ-75"), language="ru")
    published(title="Astana English", region=seeded_region("KZ-71"))

    def titles(**params):
        return {item["title"] for item in client.get(LIST, params).json()["results"]}

    assert titles(region="almaty") == {"Almaty English", "Almaty Russian"}
    assert titles(region="almaty", language="en") == {"Almaty English"}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"region": "atlantis"}, "region"),
        ({"agency": "nobody"}, "agency"),
        ({"language": "de"}, "language"),
        ({"date_from": "2025-02-30"}, "date_from"),
        ({"date_from": "2025-03-02", "date_to": "2025-03-01"}, "date_to"),
        ({"page_size": 1000}, "page_size"),
    ],
)
def test_invalid_filters_are_422_naming_the_parameter(client, params, field):
    response = client.get(LIST, params)

    assert response.status_code == 422
    assert [error["loc"][-1] for error in response.json()["detail"]] == [field]


@pytest.mark.postgres
def test_search_orders_by_relevance_and_returns_snippets(client):
    published(title="Budget", lead="", body="<p>The irrigation canal budget.</p>")
    published(title="Irrigation canal repaired", lead="", body="<p>Water flows.</p>")

    results = client.get(LIST, {"q": "irrigation"}).json()["results"]

    assert [item["title"] for item in results] == ["Irrigation canal repaired", "Budget"]
    assert results[0]["rank"] > results[1]["rank"] > 0
    assert "<mark>irrigation</mark>" in results[1]["snippet"]


def test_list_query_count_does_not_grow_with_the_page(client, django_assert_num_queries):
    agency = AgencyFactory(slug="pinned")
    for n in range(3):
        published(title=f"First {n}", agency=agency, tags=["roads", f"tag{n}"])
    # Count, page, tags; and the page cache's next embargo, once per change. The filters'
    # choices are read only to check a value given.
    with django_assert_num_queries(4):
        assert len(client.get(LIST).json()["results"]) == 3
    for n in range(12):
        published(title=f"More {n}", region=seeded_region("KZ-75"), tags=["roads"])
    with django_assert_num_queries(4):
        assert len(client.get(LIST).json()["results"]) == 15
    # Checking the slug reads the region and agency choices (once each, however often the
    # form looks at them); the next embargo is known by now.
    filtered = {"agency": "pinned", "tag": "roads"}
    with django_assert_num_queries(5):
        assert len(client.get(LIST, filtered).json()["results"]) == 3
    with django_assert_num_queries(5):
        assert len(client.get(LIST, {**filtered, "page": 1}).json()["results"]) == 3


def test_detail_by_id_or_slug_with_translations(client, django_assert_num_queries):
    source = "https://www.gov.kz/x"
    english = published(title="Water supply", body="<p>Pipes <strong>laid</strong>.</p>",
                        source_url=source, sources=[source])  # fmt: skip
    russian = published(title="Водоснабжение", language="ru",
                        translation_group=english.translation_group)  # fmt: skip
    article_in(Status.DRAFT, title="Су", language="kk", translation_group=english.translation_group)

    # The article, its tags, its gallery and files (none here), its other language versions;
    # the page cache's next embargo.
    with django_assert_num_queries(6):
        by_id = client.get(f"{LIST}/{english.pk}").json()
    by_slug = client.get(f"{LIST}/{english.slug}").json()

    assert by_id == by_slug
    assert by_id["body"] == "<p>Pipes <strong>laid</strong>.</p>"
    assert by_id["source_url"] == source
    assert by_id["sources"] == [source]
    assert by_id["translations"] == [
        {
            "language": "ru",
            "slug": russian.slug,
            "url": f"http://testserver/ru/releases/{russian.slug}/",
        }
    ]


def test_detail_of_an_unpublished_or_unknown_article_is_404(client):
    draft = article_in(Status.DRAFT, title="Draft")

    for key in (draft.pk, draft.slug, "no-such-slug", 999999):
        response = client.get(f"{LIST}/{key}")
        assert response.status_code == 404
        assert response.json() == {"detail": f"No published article {key}."}


def test_an_id_and_a_slug_are_never_confused(client):
    first = published(title="First")
    numbered = published(title=str(first.pk))
    assert numbered.slug == f"article-{first.pk}"

    assert client.get(f"{LIST}/{first.pk}").json()["id"] == first.pk
    assert client.get(f"{LIST}/{numbered.slug}").json()["id"] == numbered.pk


ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@pytest.mark.parametrize(
    "key",
    [
        "%C2%B2",  # superscript two: isdigit() but not int()
        "²³",
        "99999999999999999999",  # past a bigint
        "-1",
        "1.0",
    ],
)
def test_what_is_neither_an_ascii_id_nor_a_slug_is_not_found(client, key):
    published(title="First")

    response = client.get(f"{LIST}/{key}")

    assert response.status_code == 404
    assert response.json()["detail"].startswith("No published article")


def test_digits_of_another_script_are_not_an_id(client):
    article = published(title="First")
    arabic = str(article.pk).translate(ARABIC_INDIC)

    assert client.get(f"{LIST}/{arabic}").status_code == 404


def test_regions_and_agencies(client, django_assert_num_queries):
    AgencyFactory(slug="inactive-one", is_active=False)
    with django_assert_num_queries(2):  # and the page cache's next embargo
        regions = {region["slug"]: region for region in client.get("/api/v1/regions").json()}
    with django_assert_num_queries(1):
        agencies = {agency["slug"]: agency for agency in client.get("/api/v1/agencies").json()}

    assert regions["almaty"] == {
        "code": "KZ-75",
        "slug": "almaty",
        "names": {"kk": "Алматы", "ru": "Алматы", "en": "Almaty"},
        "kind": "city",
        "parent": "kazakhstan",
    }
    assert regions["kazakhstan"]["parent"] is None
    assert agencies["mfa"]["region"] is None and agencies["almaty"]["region"] == "almaty"
    assert agencies["mfa"]["names"]["en"] == "Ministry of Foreign Affairs"
    assert "inactive-one" not in agencies


def test_openapi_schema_is_valid_and_documents_the_filters(client):
    schema = client.get("/api/v1/openapi.json").json()

    validate(schema)
    assert set(schema["paths"]) == {
        "/api/v1/articles",
        "/api/v1/articles/{id_or_slug}",
        "/api/v1/regions",
        "/api/v1/agencies",
    }
    parameters = {p["name"] for p in schema["paths"]["/api/v1/articles"]["get"]["parameters"]}
    assert parameters == {
        "region", "agency", "tag", "language", "date_from", "date_to", "q", "page", "page_size",
        "before", "after",
    }  # fmt: skip


def test_docs_page_is_served_without_a_cdn(client):
    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    html = response.content.decode()
    assert "/api/v1/openapi.json" in html
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()


@pytest.mark.postgres
def test_list_order_can_walk_the_public_order_index():
    """Migration 0007's index must match public.selectors' order, or every list sorts it all."""
    published(title="Indexed")
    queryset = PublicArticleFilter({}, queryset=published_articles()).qs[:20]
    with connection.cursor() as cursor:
        # On a table this small the planner would scan it whole; show it could do otherwise.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        plan = queryset.explain()

    assert "Index Scan using article_public_order" in plan


def test_answers_are_cached_until_an_article_changes(client, django_assert_num_queries):
    article = published(title="Before")
    assert client.get(LIST).json()["results"][0]["title"] == "Before"
    assert client.get(f"{LIST}/{article.pk}").status_code == 200

    with django_assert_num_queries(0):
        assert client.get(LIST).json()["results"][0]["title"] == "Before"
        assert client.get(f"{LIST}/{article.pk}").status_code == 200
    article.title = "After"
    article.save()

    assert client.get(LIST).json()["results"][0]["title"] == "After"


def test_detail_gives_photos_and_files(client):
    article = published(title="Park opened")
    lead = ImageFactory(agency=article.agency, width=1000, height=500, caption_en="The park")
    LeadImage.objects.create(article=article, image=lead)
    GalleryImage.objects.create(article=article, image=ImageFactory(agency=article.agency))
    document = AttachmentFactory(agency=article.agency)
    ArticleAttachment.objects.create(article=article, attachment=document)

    detail = client.get(f"{LIST}/{article.pk}").json()

    image = detail["image"]
    base = f"http://testserver/files/images/{lead.key}"
    assert image["alt"] == "The akim meets residents"
    assert image["alt_text"] == {"kk": "", "ru": "Аким на встрече с жителями", "en": image["alt"]}
    assert (image["caption"], image["credit"], image["licence"]) == (
        "The park",
        "Пресс-служба акимата",
        "own",
    )
    assert image["original"] == f"{base}/original.jpg"
    named = {
        (r["size"], r["format"]): (r["width"], r["height"], r["url"]) for r in image["renditions"]
    }
    assert named[("w800", "webp")] == (800, 400, f"{base}/w800.webp")
    assert named[("social", "jpeg")] == (952, 500, f"{base}/social.jpeg")  # as tall as it is
    assert ("w1200", "jpeg") not in named  # never enlarged
    assert len(detail["gallery"]) == 1
    assert detail["attachments"] == [
        {
            "title": "Resolution of the akimat",
            "type": "pdf",
            "size": 245_760,
            "pages": 3,
            "url": f"http://testserver/files/documents/{document.key}/resolution-of-the-akimat.pdf",
        }
    ]
