"""Pagination of public article lists that costs the same on every page.

Lists use keyset pagination, in the public order (newest first: publication time, then
id) or, when they are narrowed by release date (the date archive, the date filter), in
release-date order (release date, then the public order), which an index of its own
serves: `?before=<cursor>` is the page of the articles that come after the one the cursor
names, `?after=<cursor>` the page before it. An OFFSET makes the database read and throw
away every earlier row, so page 500 of a large archive would be slow; a keyset condition
starts where the last page ended, so every page costs the same however large the archive
grows. The price is that pages have no numbers; readers who want a particular time use
the date archive or the date filter.

Search results are ordered by relevance, which has no stable key to continue from, so they
get numbered pages, at most MAX_RANKED_PAGES of them: the offset never exceeds a few
hundred rows, and nobody reads past that rank instead of refining the query.
"""

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.db.models import Q
from django.http import Http404, QueryDict
from django.utils.translation import gettext as _

PAGE_SIZE = 20
MAX_RANKED_PAGES = 10
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)
CURSOR_PARAMETERS = ("before", "after", "page")


@dataclass
class Page:
    articles: list
    previous_query: str | None  # query string of the page before; None on the first page
    next_query: str | None  # query string of the page after; None on the last page


def _encode(value) -> str:
    if isinstance(value, datetime):
        return str((value - EPOCH) // MICROSECOND)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _number(text: str) -> int:
    """An integer written in ASCII digits, at most 18 of them besides leading zeros; int()
    also reads other scripts' digits (`٣`)."""
    if not re.fullmatch(r"-?0*[0-9]{1,18}", text):
        raise ValueError(text)
    return int(text)


DECODERS = {
    "public_at": lambda text: EPOCH + _number(text) * MICROSECOND,
    "release_date": date.fromisoformat,
    "id": _number,
}


@dataclass(frozen=True)
class KeysetOrder:
    """An order of a list, newest first, by `fields`; the last one (the id) is unique."""

    fields: tuple[str, ...]

    def newest_first(self, queryset):
        return queryset.order_by(*(f"-{field}" for field in self.fields))

    def oldest_first(self, queryset):
        return queryset.order_by(*self.fields)

    def encode(self, article) -> str:
        return "_".join(_encode(getattr(article, field)) for field in self.fields)

    def decode(self, cursor: str) -> list:
        parts = cursor.split("_")
        if len(parts) != len(self.fields):
            raise Http404(_("This page of the list does not exist."))
        try:
            return [DECODERS[field](part) for field, part in zip(self.fields, parts, strict=True)]
        except (ValueError, OverflowError):
            raise Http404(_("This page of the list does not exist.")) from None

    def beyond(self, queryset, values: list, *, older: bool):
        """The articles after (`older`) or before the one a cursor's `values` name.

        The condition comes with the plain bound it implies on the first field (`<=` the
        cursor's going older, `>=` going newer): PostgreSQL starts an index scan at such a
        bound, but not at an OR, and without it read every newer article from the top to
        find the page, so deep pages took longer the larger the archive.
        """
        strictly, bound = ("lt", "lte") if older else ("gt", "gte")
        after = Q()
        for position, field in enumerate(self.fields):
            same = dict(zip(self.fields[:position], values[:position], strict=True))
            after |= Q(**same, **{f"{field}__{strictly}": values[position]})
        return queryset.filter(Q(**{f"{self.fields[0]}__{bound}": values[0]}), after)


PUBLIC_ORDER = KeysetOrder(("public_at", "id"))
RELEASE_DATE_ORDER = KeysetOrder(("release_date", "public_at", "id"))


def filter_query(params: QueryDict, **cursor) -> str:
    """The filters of `params` without the page position (e.g. for a feed of the list), or
    with the one `cursor` gives (`before=…`), so filters survive paging."""
    query = params.copy()
    for key in CURSOR_PARAMETERS:
        query.pop(key, None)
    query.update({key: value for key, value in cursor.items() if value})
    # An empty field of a submitted form filters nothing; leave it out of shared links.
    return "&".join(
        part for part in query.urlencode().split("&") if part and not part.endswith("=")
    )


# Which way a page request reads from its cursor: FIRST has none, OLDER reads the page
# after the cursor's article (`?before=`), NEWER the page before it (`?after=`).
FIRST, OLDER, NEWER = "first", "older", "newer"


def window(queryset, order: KeysetOrder, direction: str, values: list | None, size: int):
    """The `size` articles of `queryset` a page request reads, NEWER ones oldest first."""
    queryset = order.newest_first(queryset)
    if direction == NEWER:
        return order.oldest_first(order.beyond(queryset, values, older=False))[:size]
    if direction == OLDER:
        queryset = order.beyond(queryset, values, older=True)
    return queryset[:size]


def paginate(
    queryset, params: QueryDict, page_size: int = PAGE_SIZE, order: KeysetOrder = PUBLIC_ORDER
) -> Page:
    """One page of `queryset`, which is annotated with public_at, in `order`.

    Reads one article more than the page shows to learn whether another page follows.
    """

    def read(direction: str, values: list | None) -> list:
        return list(window(queryset, order, direction, values, page_size + 1))

    if params.get("after"):
        found = read(NEWER, order.decode(params["after"]))
        articles = found[:page_size][::-1]
        more_newer = len(found) > page_size and articles
        return Page(
            articles,
            previous_query=filter_query(params, after=order.encode(articles[0]))
            if more_newer
            else None,
            next_query=filter_query(params, before=order.encode(articles[-1]))
            if articles
            else None,
        )
    cursor = params.get("before")
    found = read(OLDER, order.decode(cursor)) if cursor else read(FIRST, None)
    articles = found[:page_size]
    if not cursor:
        previous_query = None
    elif articles:
        previous_query = filter_query(params, after=order.encode(articles[0]))
    else:
        previous_query = filter_query(params)  # past the end: back to the first page
    return Page(
        articles,
        previous_query=previous_query,
        next_query=filter_query(params, before=order.encode(articles[-1]))
        if len(found) > page_size
        else None,
    )


def paginate_ranked(queryset, params: QueryDict, page_size: int = PAGE_SIZE) -> Page:
    """One numbered page of a relevance-ordered `queryset`, up to MAX_RANKED_PAGES."""
    try:
        number = _number(params.get("page", "1"))
    except ValueError:
        raise Http404(_("This page of the list does not exist.")) from None
    if not 1 <= number <= MAX_RANKED_PAGES:
        raise Http404(_("This page of the list does not exist."))
    start = (number - 1) * page_size
    found = list(queryset[start : start + page_size + 1])
    has_next = len(found) > page_size and number < MAX_RANKED_PAGES
    return Page(
        found[:page_size],
        previous_query=filter_query(params, page=str(number - 1) if number > 2 else None)
        if number > 1
        else None,
        next_query=filter_query(params, page=str(number + 1)) if has_next else None,
    )
