"""Helpers for the public site's tests: published articles and what a page lists."""

import re

from news.models import Article

from ..factories import AgencyFactory
from ..news.helpers import article_in

SUMMARY_TITLE = re.compile(r'class="summary-title"><a href="[^"]*" lang="\w+">([^<]+)</a>')


def published(**kwargs) -> Article:
    return article_in(Article.Status.PUBLISHED, **kwargs)


def publish_after_a_visit(client, path: str) -> None:
    """Three releases, `path` visited (their summaries cached), then a "Newest" published,
    all of one agency."""
    agency = AgencyFactory()
    for index in range(3):
        published(title=f"Older {index}", agency=agency)
    client.get(path)
    published(title="Newest", agency=agency)


def titles_in(html: str) -> list[str]:
    """Release titles in the order a list page shows them."""
    return SUMMARY_TITLE.findall(html)


def titles(response) -> list[str]:
    return titles_in(response.content.decode())
