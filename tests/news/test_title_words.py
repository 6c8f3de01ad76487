import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from news.models import Article, TitleWord
from news.title_words import MAX_WORD_LENGTH, title_words

from .helpers import article_in

Status = Article.Status


def recorded() -> dict[str, str]:
    return dict(TitleWord.objects.values_list("folded", "spelling"))


def test_title_words_are_keyed_by_their_folded_form_first_spelling_kept():
    words = title_words(["Қостанай облысы: 2025", "Костанай " + "x" * (MAX_WORD_LENGTH + 1)])

    assert words == {"костанай": "қостанай", "облысы": "облысы"}


@pytest.mark.django_db
def test_a_public_release_adds_its_title_words_when_its_title_or_status_is_saved():
    article = article_in(Status.DRAFT, title="Irrigation canal opened")
    assert recorded() == {}

    article.status, article.published_at = Status.PUBLISHED, timezone.now()
    article.save(update_fields=["status", "published_at"])
    assert recorded() == {"irrigation": "irrigation", "canal": "canal", "opened": "opened"}

    Article.objects.filter(pk=article.pk).update(title="Drainage")
    article.refresh_from_db()
    article.save(update_fields=["lead"])
    assert "drainage" not in recorded()

    article.save(update_fields=["title"])
    assert recorded()["drainage"] == "drainage"


@pytest.mark.django_db
def test_update_search_lexemes_adds_public_titles_changed_without_a_save():
    published = article_in(Status.PUBLISHED, title="Old title")
    draft = article_in(Status.DRAFT, title="Old draft")
    Article.objects.filter(pk=published.pk).update(title="Шымкентте жиын өтті")
    Article.objects.filter(pk=draft.pk).update(title="Құпия жоба")

    call_command("update_search_lexemes", stdout=io.StringIO())

    assert {"шымкентте", "жиын", "отти"} <= set(recorded())
    assert recorded()["отти"] == "өтті"
    assert "купия" not in recorded()
