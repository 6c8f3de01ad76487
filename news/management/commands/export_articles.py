"""Write articles as JSON Lines, for archives, backups and partners."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db.models import Prefetch

from news.models import Article, ArticleFlag

CHUNK = 500


def article_record(article: Article) -> dict:
    return {
        "id": article.pk,
        "status": article.status,
        "language": article.language,
        "title": article.title,
        "lead": article.lead,
        "body": article.body,
        "agency": article.agency.slug if article.agency else None,
        "region": article.region.iso_code if article.region else None,
        "tags": sorted(tag.name for tag in article.tags.all()),
        "source_url": article.source_url,
        "sources": article.sources,
        "external_id": article.external_id,
        "release_date": article.release_date.isoformat(),
        "published_at": article.published_at.isoformat() if article.published_at else None,
        "flags": [flag.code for flag in article.flags.all()],
        "translation_group": str(article.translation_group),
    }


class Command(BaseCommand):
    help = "Write one JSON object per article (published ones unless --all) as JSON Lines."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Every article, in any state.")
        parser.add_argument("--format", choices=("jsonl",), default="jsonl")
        parser.add_argument("--output", metavar="FILE", help="Write to FILE instead of stdout.")

    def handle(self, *args, all: bool, output: str | None, **options):
        articles = Article.objects.all() if all else Article.objects.published()
        articles = (
            articles.select_related("agency", "region")
            .prefetch_related(
                "tags", Prefetch("flags", queryset=ArticleFlag.objects.order_by("code"))
            )
            .order_by("pk")
        )
        if output:
            with Path(output).open("w", encoding="utf-8") as handle:
                self._export(articles, lambda line: handle.write(line + "\n"))
        else:
            self._export(articles, self.stdout.write)  # OutputWrapper ends each line

    def _export(self, articles, write) -> None:
        for article in articles.iterator(chunk_size=CHUNK):
            write(json.dumps(article_record(article), ensure_ascii=False))
