"""Helpers for the public site's tests: published articles and what a page lists."""

import re

from news.models import Article

from .helpers import article_in

SUMMARY_TITLE = re.compile(r'class="summary-title"><a href="[^"]*" lang="\w+">([^<]+)</a>')


def published(**kwargs) -> Article:
    return article_in(Article.Status.PUBLISHED, **kwargs)


def titles_in(html: str) -> list[str]:
    """Release titles in the order a list page shows them."""
    return SUMMARY_TITLE.findall(html)


def titles(response) -> list[str]:
    return titles_in(response.content.decode())
