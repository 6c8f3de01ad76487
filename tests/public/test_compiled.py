from dataclasses import astuple
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from news.compiled import CompiledQuery
from news.models import Article
from public import selectors as public
from public.pagination import FIRST, NEWER, OLDER, PUBLIC_ORDER, RELEASE_DATE_ORDER, window

from ..news.helpers import article_in
from .pages import published

pytestmark = pytest.mark.django_db


@pytest.fixture
def stories():
    """Russian and Kazakh versions of some stories, a Kazakh-only one, an English-only one,
    and a Russian version whose embargo lifts in an hour."""
    now = timezone.now()
    made = []
    for hours in range(1, 6):
        russian = published(language="ru", published_at=now - timedelta(hours=hours))
        made.append(russian)
        made.append(
            published(
                language="kk",
                translation_group=russian.translation_group,
                published_at=now - timedelta(hours=hours, minutes=1),
            )
        )
    made.append(published(language="kk", published_at=now - timedelta(hours=7)))
    made.append(published(language="en", published_at=now - timedelta(hours=8)))
    made.append(
        article_in(Article.Status.SCHEDULED, language="ru", publish_at=now + timedelta(hours=1))
    )
    return made


def orm_rows(language, order, direction, values, size, now):
    articles = public.for_reader(public.published_articles(now), language, now)
    chosen = window(articles, order, direction, values, size)
    return [(a.id, a.version, a.public_at, a.release_date) for a in chosen]


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
@pytest.mark.parametrize("order", [PUBLIC_ORDER, RELEASE_DATE_ORDER])
def test_compiled_pages_are_the_orms_pages_at_any_time_and_cursor(stories, language, order):
    read = public.reader_rows(("test",), public.published_articles, language, order)
    for now in (timezone.now(), timezone.now() + timedelta(hours=2)):  # the embargo lifts
        first = orm_rows(language, order, FIRST, None, 4, now)
        cursor = [getattr(public.PageRow(*first[2]), field) for field in order.fields]
        for direction, values in ((FIRST, None), (OLDER, cursor), (NEWER, cursor)):
            expected = orm_rows(language, order, direction, values, 4, now)
            with time_machine.travel(now, tick=False):
                compiled = [astuple(row) for row in read(direction, values, 4)]
            assert compiled == expected


@pytest.mark.postgres  # SQLite takes times as text, which the check cannot tell apart
def test_a_time_that_is_not_a_marker_is_refused():
    baked = Article.objects.filter(publish_at__lte=timezone.now()).values_list("id")
    with pytest.raises(ValueError, match="not a marker"):
        CompiledQuery(baked, {})


def test_a_marker_missing_from_the_query_is_refused():
    field = Article._meta.get_field("publish_at")
    with pytest.raises(ValueError, match="not in the compiled query"):
        CompiledQuery(Article.objects.values_list("id"), {"now": (field, public.NOW_MARKER)})


def test_a_compiled_query_is_counted_like_any_other(stories, django_assert_num_queries):
    read = public.reader_rows(("counted",), public.published_articles, "ru", PUBLIC_ORDER)
    read(FIRST, None, 3)
    with django_assert_num_queries(1):
        assert len(read(FIRST, None, 3)) == 3


@pytest.mark.postgres
def test_postgresql_keeps_it_as_a_prepared_statement(stories):
    read = public.reader_rows(("prepared",), public.published_articles, "ru", PUBLIC_ORDER)
    for _ in range(10):
        read(FIRST, None, 3)
    with connection.cursor() as cursor:
        # Whether a plan is generic is the planner's choice (custom on a table this small).
        cursor.execute(
            "SELECT generic_plans + custom_plans FROM pg_prepared_statements"
            " WHERE statement LIKE %s",
            ["%news_article%LIMIT 3%"],
        )
        runs = [row[0] for row in cursor.fetchall()]
    assert runs and max(runs) >= 5  # prepared at the fifth run, and used from then on
