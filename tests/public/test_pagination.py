from datetime import timedelta

import pytest
from django.db import connection
from django.http import Http404, QueryDict
from django.utils import timezone

from public import selectors as public
from public.pagination import PUBLIC_ORDER, RELEASE_DATE_ORDER, paginate

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
    cursor = PUBLIC_ORDER.decode(PUBLIC_ORDER.encode(ordered[1]))
    older = PUBLIC_ORDER.beyond(articles(), cursor, older=True)
    newer = PUBLIC_ORDER.oldest_first(PUBLIC_ORDER.beyond(articles(), cursor, older=False))
    assert list(older) == ordered[2:]
    assert list(newer) == ordered[:1]


def test_release_date_order_pages_by_release_date_then_publication(five):
    today = timezone.localdate()
    # Released in another order than published: the oldest publication is the newest release.
    for days, article in zip([3, 1, 1, 2, 0], five, strict=True):
        article.release_date = today - timedelta(days=days)
        article.save()
    # 1 and 2 share a release date and a publication time: the newer id comes first.
    expected = [five[4], five[2], five[1], five[3], five[0]]
    seen, params = [], QueryDict("")
    while True:
        page = paginate(articles(), params, page_size=2, order=RELEASE_DATE_ORDER)
        seen += page.articles
        if not page.next_query:
            break
        params = QueryDict(page.next_query)
    assert seen == expected
    back = paginate(
        articles(), QueryDict(page.previous_query), page_size=2, order=RELEASE_DATE_ORDER
    )
    assert back.articles == expected[2:4]


@pytest.mark.parametrize("cursor", ["nonsense", "1_2_3_4", "2025-13-01_1_1", "1_x"])
def test_a_broken_cursor_is_a_missing_page(five, cursor):
    with pytest.raises(Http404):
        paginate(articles(), QueryDict(f"before={cursor}"), order=RELEASE_DATE_ORDER)
    with pytest.raises(Http404):
        paginate(articles(), QueryDict(f"after={cursor}"))


@pytest.mark.postgres
@pytest.mark.parametrize("older", [True, False])
@pytest.mark.parametrize(
    ("order", "first_key"),
    [(PUBLIC_ORDER, "COALESCE(published_at, publish_at)"), (RELEASE_DATE_ORDER, "release_date")],
)
def test_a_cursor_starts_the_index_scan_where_the_page_begins(five, order, first_key, older):
    cursor = order.decode(order.encode(list(order.newest_first(articles()))[2]))
    page = order.beyond(order.newest_first(articles()), cursor, older=older)
    with connection.cursor() as sql:
        # On a table this small the planner would scan it whole; show it could do otherwise.
        sql.execute("SET LOCAL enable_seqscan = off")
        plan = page.explain()
    index_conditions = [line for line in plan.splitlines() if "Index Cond" in line]
    assert any(first_key in line for line in index_conditions), plan


def test_a_cursor_in_digits_of_another_script_is_a_missing_page(five):
    page = paginate(articles(), QueryDict(), page_size=2)
    cursor = QueryDict(page.next_query)["before"]
    arabic = cursor.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))

    assert paginate(articles(), QueryDict(page.next_query), page_size=2).articles
    with pytest.raises(Http404):
        paginate(articles(), QueryDict(f"before={arabic}"), page_size=2)
