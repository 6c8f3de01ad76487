import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from news.models import Article

from ..factories import ArticleFactory
from ..public.pages import published

pytestmark = pytest.mark.django_db


def test_tagged_finds_the_articles_carrying_a_tag_once_each():
    both = published(title="Both", tags=["roads", "parks"])
    roads = published(title="Roads only", tags=["roads"])
    published(title="Untagged")
    found = Article.objects.tagged("roads").order_by("title")
    assert list(found) == [both, roads]
    assert list(Article.objects.tagged("parks")) == [both]
    assert list(Article.objects.tagged("missing")) == []


@pytest.mark.postgres
def test_tagged_needs_no_cast_of_every_tagged_item():
    published(tags=["roads"])
    plan = Article.objects.published().tagged("roads").order_by("-published_at").explain()
    # taggit's join compared article ids with a cast object_id row by row.
    assert "::bigint" not in plan, plan
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        assert "Seq Scan on taggit_taggeditem" not in Article.objects.tagged("roads").explain()


# --- what an article may hold, on every save path ---------------------------------------


def unsaved(**fields) -> Article:
    return ArticleFactory.build(agency=None, region=None, **fields)


@pytest.mark.parametrize(
    "sources", [{"x": 1}, [1, 2], "text", None, ["https://gov.kz/a", "javascript:alert(1)"]]
)
def test_an_article_with_sources_that_are_not_web_addresses_is_not_saved(sources):
    article = unsaved(sources=sources)

    with pytest.raises(ValidationError) as refused, transaction.atomic():
        article.save()
    assert refused.value.error_list[0].code in ("sources_not_a_list", "invalid_source")
    with pytest.raises(ValidationError), transaction.atomic():
        Article.objects.bulk_create([unsaved(sources=sources, slug="bulk")])
    with pytest.raises(ValidationError) as invalid:
        article.full_clean(exclude=["agency"])
    # None is a blank value, which only the database constraint checks.
    [error] = invalid.value.error_dict.get("sources") or invalid.value.error_dict["__all__"]
    assert error.code in ("sources_not_a_list", "invalid_source")
    assert not Article.objects.exists()


@pytest.mark.parametrize("sources", [{"x": 1}, "text", 1, None])
def test_the_database_keeps_sources_a_list(sources):
    article = ArticleFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(sources=sources)


def test_the_database_refuses_a_slug_of_digits():
    article = ArticleFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(slug="2025")
    Article.objects.filter(pk=article.pk).update(slug="release-2025")


def test_a_slug_of_digits_is_refused_when_cleaned():
    article = unsaved(slug="2025")

    with pytest.raises(ValidationError) as refused:
        article.full_clean()

    assert [error.code for error in refused.value.error_dict["slug"]] == ["slug_is_number"]


def test_a_title_is_stored_on_one_line_however_it_is_saved():
    saved = ArticleFactory(title="Roads\r\nrepaired")
    [bulk] = Article.objects.bulk_create([unsaved(title="Parks\nopened", slug="parks")])
    cleaned = unsaved(title="Schools\u2028built", slug="schools")
    cleaned.full_clean(exclude=["agency"])

    assert Article.objects.get(pk=saved.pk).title == "Roads repaired"
    assert Article.objects.get(pk=bulk.pk).title == "Parks opened"
    assert cleaned.title == "Schools built"


def test_a_version_cannot_take_a_language_its_release_has_even_when_the_group_is_not_edited():
    group = uuid.uuid4()
    ArticleFactory(language="ru", translation_group=group)
    kk = ArticleFactory(language="kk", translation_group=group)
    kk.language = "ru"

    # As the admin's form cleans it: the group is not on the form.
    with pytest.raises(ValidationError) as refused:
        kk.full_clean(exclude=["translation_group"])

    [error] = refused.value.error_dict["__all__"]
    assert error.code == "language_taken"
