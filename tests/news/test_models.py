import pytest
from django.db import connection

from news.models import Article

from .pages import published

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
