import json
from datetime import date

import pytest
from django.core.management import call_command

from news.models import ArticleFlag

from .helpers import Status, article_in

pytestmark = pytest.mark.django_db


def export(*args, capsys):
    call_command("export_articles", *args)
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_exports_published_articles_with_every_field(capsys):
    article = article_in(
        Status.PUBLISHED,
        title="Жаңа мектеп",
        release_date=date(2026, 2, 3),
        source_url="https://www.gov.kz/memleket/entities/edu/press/news/details/5",
        sources=["https://www.gov.kz/memleket/entities/edu/press/news/details/5"],
        external_id="5",
    )
    article.tags.add("education", "schools")
    ArticleFlag.objects.create(article=article, code=ArticleFlag.Code.REGION_GUESSED)
    article_in(Status.DRAFT)

    [record] = export(capsys=capsys)

    assert record == {
        "id": article.pk,
        "status": "published",
        "language": "en",
        "title": "Жаңа мектеп",
        "lead": article.lead,
        "body": article.body,
        "agency": article.agency.slug,
        "region": article.region.iso_code,
        "tags": ["education", "schools"],
        "source_url": article.source_url,
        "sources": article.sources,
        "external_id": "5",
        "release_date": "2026-02-03",
        "published_at": article.published_at.isoformat(),
        "flags": ["region_guessed"],
        "translation_group": str(article.translation_group),
    }


def test_all_includes_every_state_and_nulls(capsys):
    draft = article_in(Status.DRAFT, agency=None, region=None)
    records = export("--all", capsys=capsys)
    assert [(r["id"], r["agency"], r["region"], r["published_at"]) for r in records] == [
        (draft.pk, None, None, None)
    ]


def test_output_file_and_query_count(tmp_path, django_assert_max_num_queries):
    for _ in range(30):
        article_in(Status.PUBLISHED).tags.add("x")
    path = tmp_path / "out.jsonl"
    with django_assert_max_num_queries(6):
        call_command("export_articles", "--output", str(path))
    assert len(path.read_text(encoding="utf-8").splitlines()) == 30
