from datetime import date, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from agencies.models import Region
from news.models import Article
from public import selectors as public
from public.filters import PublicArticleFilter, region_choices

from ..factories import AgencyFactory, ArticleFactory, seeded_region
from ..news.helpers import article_in
from .pages import published

pytestmark = pytest.mark.django_db
Status = Article.Status


def titles(data: dict) -> set[str]:
    filterset = PublicArticleFilter(data)
    assert filterset.is_valid(), filterset.errors
    return {article.title for article in filterset.qs}


@pytest.fixture
def shymkent_district():
    return Region.objects.create(
        kind=Region.Kind.DISTRICT,
        parent=seeded_region("KZ-79"),
        slug="shymkent-abai-district",
        name_en="Abai District",
        name_ru="Абайский район",
        name_kk="Абай ауданы",
    )


def test_only_published_articles_and_lifted_embargoes_are_listed():
    published(title="Published")
    ArticleFactory(title="Scheduled, embargo lifted", status=Status.SCHEDULED,
                   publish_at=timezone.now() - timedelta(minutes=1))  # fmt: skip
    article_in(Status.SCHEDULED, title="Scheduled for tomorrow")
    article_in(Status.DRAFT, title="Draft")
    article_in(Status.UNPUBLISHED, title="Unpublished")
    article_in(Status.ARCHIVED, title="Archived")

    assert titles({}) == {"Published", "Scheduled, embargo lifted"}
    assert {a.title for a in PublicArticleFilter(queryset=Article.objects.all()).qs} == {
        "Published",
        "Scheduled, embargo lifted",
    }


def test_region_includes_its_districts_and_nothing_else(shymkent_district):
    published(title="Shymkent city", region=seeded_region("KZ-79"))
    published(title="Abai district", region=shymkent_district)
    published(title="Almaty", region=seeded_region("KZ-75"))

    assert titles({"region": "shymkent"}) == {"Shymkent city", "Abai district"}
    assert titles({"region": "shymkent-abai-district"}) == {"Abai district"}


def test_national_means_the_whole_country_or_no_region():
    published(title="Ministry", region=seeded_region("KZ"))
    published(title="Unplaced", region=None)
    published(title="Almaty", region=seeded_region("KZ-75"))

    assert titles({"region": "kazakhstan"}) == {"Ministry", "Unplaced"}


def test_region_choices_offer_national_first_and_districts_after_their_region(shymkent_district):
    choices = region_choices()
    values = [value for value, _ in choices]

    assert choices[0] == ("kazakhstan", "Kazakhstan (national level)")
    assert values.index("shymkent-abai-district") == values.index("shymkent") + 1
    assert dict(choices)["shymkent-abai-district"] == "Shymkent: Abai District"
    assert len(values) == Region.objects.count()  # national, 20 regions and cities, 1 district


def test_agency_tag_and_language_filters():
    mfa = AgencyFactory(slug="mfa-test", region=None)
    published(title="MFA English", agency=mfa, tags=["diplomacy"])
    published(title="MFA Russian", agency=mfa, language="ru", tags=["Дипломатия"])
    published(title="Other", tags=["diplomacy"])

    assert titles({"agency": "mfa-test"}) == {"MFA English", "MFA Russian"}
    assert titles({"tag": "diplomacy"}) == {"MFA English", "Other"}
    assert titles({"tag": "дипломатия"}) == {"MFA Russian"}
    assert titles({"language": "ru"}) == {"MFA Russian"}
    assert titles({"agency": "mfa-test", "tag": "diplomacy", "language": "en"}) == {"MFA English"}


def test_release_date_range_is_inclusive():
    for day in (1, 10, 20):
        published(title=f"Day {day}", release_date=date(2025, 11, day))

    assert titles({"date_from": "2025-11-10"}) == {"Day 10", "Day 20"}
    assert titles({"date_to": "2025-11-10"}) == {"Day 1", "Day 10"}
    assert titles({"date_from": "2025-11-02", "date_to": "2025-11-19"}) == {"Day 10"}


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"region": "atlantis"}, "region"),
        ({"agency": "no-such-agency"}, "agency"),
        ({"tag": "not a slug"}, "tag"),
        ({"language": "de"}, "language"),
        ({"date_from": "2025-13-01"}, "date_from"),
        ({"date_from": "2025-11-20", "date_to": "2025-11-01"}, "date_to"),
        ({"q": "x" * 201}, "q"),
    ],
)
def test_invalid_values_are_form_errors(data, field):
    published(title="Still listed")
    filterset = PublicArticleFilter(data)

    assert not filterset.is_valid()
    assert list(filterset.errors) == [field]
    # The valid filters still apply, so a page can show the list beside the error.
    assert [a.title for a in filterset.qs] == ["Still listed"]


def test_form_renders_labelled_widgets():
    html = str(PublicArticleFilter({}).form)

    for name, label in [
        ("region", "Region"),
        ("agency", "Agency"),
        ("tag", "Tag"),
        ("language", "Language"),
        ("date_from", "Released from"),
        ("date_to", "Released until"),
        ("q", "Search"),
    ]:
        assert f'<label for="id_{name}">{label}' in html
    assert 'type="date" name="date_from"' in html
    assert 'type="search" name="q"' in html
    assert '<option value="kazakhstan">Kazakhstan (national level)</option>' in html


@pytest.mark.postgres
def test_search_combines_with_the_other_filters():
    almaty, astana = seeded_region("KZ-75"), seeded_region("KZ-71")
    published(title="Heating season in Almaty", region=almaty)
    published(title="Heating season in Astana", region=astana)
    published(title="Schools in Almaty", region=almaty)

    filterset = PublicArticleFilter({"q": "heating", "region": "almaty"})

    assert [a.title for a in filterset.qs] == ["Heating season in Almaty"]
    assert filterset.qs[0].rank > 0


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("field", "index"),
    [("agency", "article_agency_public_order"), ("region", "article_region_public_order")],
)
def test_agency_and_region_filters_read_their_index_in_the_public_order(field, index):
    article = published(region=seeded_region("KZ-75"))
    value = {"agency": article.agency.slug, "region": article.region.slug}[field]
    filterset = PublicArticleFilter({field: value}, queryset=public.published_articles())
    with connection.cursor() as cursor:
        # On a table this small the planner would scan it whole; show it could do otherwise.
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = filterset.qs[:20].explain()
    assert index in plan, plan
