"""Flags: one code each, details stored, the note written in the reader's language."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.translation import override

from news.flags import NOTES, Flag, flag_note
from news.models import ArticleFlag

from ..factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_the_models_choices_are_the_flags_and_each_has_a_note():
    assert ArticleFlag.Code is Flag
    assert set(NOTES) == set(Flag)


def test_a_note_with_details_names_them_in_the_readers_language():
    region = {"region_iso": "KZ-75", "region": {"en": "Almaty", "ru": "Алматы", "kk": "Алматы"}}
    with override("ru"):
        assert flag_note(Flag.REGION_GUESSED, region) == (
            "Регион определён предположительно, по названиям мест в тексте: Алматы."
        )
    assert flag_note(Flag.REGION_GUESSED, region) == (
        "Guessed Almaty from place names in the text."
    )
    with override("kk"):
        assert flag_note(Flag.EMPTY_BODY, {}) == "Релизде негізгі мәтін жоқ."


def test_an_import_warning_keeps_the_parsers_words_and_translates_its_own():
    details = {
        "warnings": ["The date 31.02.2026 does not exist."],
        "sources_left_out": ["ftp://a"],
    }
    with override("ru"):
        assert flag_note(Flag.IMPORT_WARNING, details) == (
            "The date 31.02.2026 does not exist. "
            "Источник «ftp://a» не является веб-адресом, поэтому он пропущен."
        )


def test_the_article_admin_shows_a_flags_note_in_the_editors_language(editor):
    article = ArticleFactory()  # an editor sees every agency's articles
    ArticleFlag.objects.create(
        article=article, code=Flag.AGENCY_UNRESOLVED, details={"new_agency": "burabay"}
    )
    client = Client()
    client.force_login(editor)
    with override("ru"):
        url = reverse("admin:news_article_change", args=[article.pk])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Ведомства «burabay» в Pressroom не было" in page
