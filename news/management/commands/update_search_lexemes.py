"""Analyse every article's text again into its search lexemes (news.lexemes), and add its
title's words, when it is public, to those "did you mean" compares (news.title_words).

Saving an article keeps both current; run this after the analysis changes (a new
suffix, a transliteration) or after text was changed with QuerySet.update(), which
computes nothing. Only rows whose lexemes differ are written.
"""

import time

from django.core.management.base import BaseCommand

from news.lexemes import document_lexemes
from news.models import Article
from news.title_words import PUBLIC_STATUSES, record_title_words

BATCH = 1000


def update_search_lexemes(limit: int | None = None) -> tuple[int, int]:
    """(articles read, articles whose lexemes changed), in batches by id."""
    read = changed = 0
    last = 0
    while limit is None or read < limit:
        size = BATCH if limit is None else min(BATCH, limit - read)
        batch = list(
            Article.objects.filter(pk__gt=last)
            .order_by("pk")
            .only("title", "lead", "body", "language", "status", "search_lexemes")[:size]
        )
        if not batch:
            break
        stale = []
        for article in batch:
            lexemes = document_lexemes(article.title, article.lead, article.body, article.language)
            if lexemes != article.search_lexemes:
                article.search_lexemes = lexemes
                stale.append(article)
        Article.objects.bulk_update(stale, ["search_lexemes"])
        record_title_words(article.title for article in batch if article.status in PUBLIC_STATUSES)
        read, changed, last = read + len(batch), changed + len(stale), batch[-1].pk
    return read, changed


class Command(BaseCommand):
    help = "Analyse every article's text again into the lexemes and title words search compares."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, help="stop after this many articles")

    def handle(self, *args, limit=None, **options):
        start = time.perf_counter()
        read, changed = update_search_lexemes(limit)
        seconds = time.perf_counter() - start
        self.stdout.write(
            f"{read} articles read, {changed} updated in {seconds:.1f} s "
            f"({read / seconds if seconds else 0:.0f} articles/s)."
        )
