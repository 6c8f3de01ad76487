from datetime import timedelta

import pytest
from django.db import connection
from django.http import QueryDict
from django.utils import timezone

from news import public
from news.pagination import encode_cursor, newer_than, older_than, paginate

from .pages import published

pytestmark = pytest.mark.django_db


def articles():
    return public.published_articles()


@pytest.fixture
def five():
    now = timezone.now()
    # Two share a publication time: the id breaks the tie.
    times = [now - timedelta(hours=hours) for hours in (1, 2, 2, 3, 4)]
    return [published(title=f"Release {n}", published_at=at) for n, at in enumerate(times)]


def titles_of(page):
    return [article.title for article in page.articles]


def test_pages_follow_each_other_without_gaps_or_repeats(five):
    first = paginate(articles(), QueryDict(""), page_size=2)
    second = paginate(articles(), QueryDict(first.next_query), page_size=2)
    third = paginate(articles(), QueryDict(second.next_query), page_size=2)
    seen = titles_of(first) + titles_of(second) + titles_of(third)
    assert seen == [article.title for article in articles()]
    assert len(set(seen)) == 5
    assert first.previous_query is None
    assert third.next_query is None
    back = paginate(articles(), QueryDict(third.previous_query), page_size=2)
    assert titles_of(back) == titles_of(second)


def test_cursors_split_articles_published_at_the_same_time(five):
    ordered = list(articles())
    tied = ordered[1]
    assert [a.pk for a in older_than(articles(), encode_cursor(tied))] == [
        a.pk for a in ordered[2:]
    ]
    assert [
        a.pk for a in newer_than(articles(), encode_cursor(tied)).order_by("public_at", "id")
    ] == [a.pk for a in reversed(ordered[:1])]


@pytest.mark.postgres
@pytest.mark.parametrize("direction", [older_than, newer_than])
def test_a_cursor_starts_the_index_scan_where_the_page_begins(five, direction):
    cursor = encode_cursor(list(articles())[2])
    with connection.cursor() as sql:
        # On a table this small the planner would scan it whole; show it could do otherwise.
        sql.execute("SET LOCAL enable_seqscan = off")
        plan = direction(articles(), cursor).explain()
    index_conditions = [line for line in plan.splitlines() if "Index Cond" in line]
    assert any("COALESCE(published_at, publish_at)" in line for line in index_conditions), plan
