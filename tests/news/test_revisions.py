"""news.revisions: the word-level comparison, the history's reasons, restoring a revision."""

import itertools
from datetime import UTC, datetime

import pytest
from django.utils import translation

from news import editing, revisions, workflow
from news.models import Article
from news.revisions import Segment, diff_text

from ..factories import seeded_region
from .helpers import Status, article_in


def spelled(segments, *kinds) -> str:
    return "".join(segment.text for segment in segments if segment.kind in kinds)


# --- the diff: pure ---------------------------------------------------------------------


def test_a_changed_word_is_deleted_and_inserted_and_the_rest_kept():
    segments = diff_text(
        "The akim opened a school in Shymkent.", "The akim opened two schools in Shymkent."
    )
    assert segments == [
        Segment("equal", "The akim opened "),
        Segment("delete", "a school"),
        Segment("insert", "two schools"),
        Segment("equal", " in Shymkent."),
    ]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("", "Жаңа мәтін."),
        ("Ескі мәтін.", ""),
        ("Аким открыл школу.\n\nВторой абзац.", "Аким открыл две школы.\n\nВторой абзац."),
        ("Нұр-Сұлтан қаласы", "Астана қаласы"),
        ("One\n\nTwo\n\nThree", "Zero\n\nOne\n\nThree\n\nFour"),
    ],
)
def test_the_segments_spell_both_texts(old, new):
    segments = diff_text(old, new)
    assert spelled(segments, "equal", "delete") == old
    assert spelled(segments, "equal", "insert") == new
    # No two runs of a kind follow each other: each change is marked once.
    assert all(a.kind != b.kind for a, b in itertools.pairwise(segments))


def test_words_of_any_script_are_compared_whole():
    segments = diff_text("Ұлытау облысының әкімі", "Ұлытау облысының әкімдігі")
    assert Segment("delete", "әкімі") in segments
    assert Segment("insert", "әкімдігі") in segments
    # A hyphenated name is one word, not three.
    assert Segment("delete", "Нұр-Сұлтан") in diff_text("Нұр-Сұлтан", "Астана")


def test_an_unchanged_paragraph_stays_whole_and_a_new_one_is_inserted_whole():
    segments = diff_text("First.\n\nSecond.", "First.\n\nSecond.\n\nThird paragraph.")
    assert segments == [
        Segment("equal", "First.\n\nSecond."),
        Segment("insert", "\n\nThird paragraph."),
    ]


def test_equal_texts_are_one_equal_run():
    assert diff_text("Same text.", "Same text.") == [Segment("equal", "Same text.")]
    assert diff_text("", "") == []


def test_a_rewrite_too_long_to_match_word_by_word_reads_as_replaced(monkeypatch):
    monkeypatch.setattr(revisions, "WORD_DIFF_LIMIT", 10)
    assert diff_text("one two three four", "five six seven eight") == [
        Segment("delete", "one two three four"),
        Segment("insert", "five six seven eight"),
    ]


def test_compare_diffs_text_fields_by_word_and_values_whole():
    old = {"title": "Roads repaired", "region": "Shymkent", "language": "English"}
    new = {"title": "Roads repaired early", "region": "Almaty", "language": "English"}
    diffs = {
        diff.name: diff for diff in revisions.compare(old, new, ["title", "region", "language"])
    }

    assert diffs["title"].segments == (
        Segment("equal", "Roads repaired"),
        Segment("insert", " early"),
    )
    assert diffs["region"].segments == (Segment("delete", "Shymkent"), Segment("insert", "Almaty"))
    assert not diffs["language"].changed
    assert diffs["language"].segments == (Segment("equal", "English"),)
    assert [diff.label for diff in diffs.values()] == ["Title", "Region", "Language"]


def test_summary_names_text_fields_and_gives_values_old_and_new():
    old = {name: "" for name in revisions.HISTORY_FIELDS}
    new = {**old, "body": "New body", "status": "In review"}
    old["status"] = "Draft"
    changes = revisions.summarize(old, new)
    assert [(c.label, c.old, c.new, c.is_text) for c in changes] == [
        ("Body", "", "New body", True),
        ("Status", "Draft", "In review", False),
    ]


# --- reading revisions -----------------------------------------------------------------


def edit(article, user, **changes) -> Article:
    """Save a person's edit as the admin does, so it is recorded as a revision."""
    stored = Article.objects.get(pk=article.pk)
    return editing.article_update(
        article=stored, user=user, changes=changes, expected_version=stored.version
    )


@pytest.fixture
def edited(draft, press_officer):
    """A draft whose title, body and region were changed after it was first saved."""
    first = draft.history.get()
    edit(
        draft,
        press_officer,
        title="Second title",
        body="<p>Second <strong>body</strong></p><ul><li><p>one item</p></li></ul>",
        region=seeded_region("KZ-75"),
    )
    draft.refresh_from_db()
    return draft, first


@pytest.mark.django_db
def test_snapshot_reads_the_body_as_text_and_values_as_labels(edited):
    article, _first = edited
    with translation.override("ru"):
        snapshot = revisions.snapshot(article, [*revisions.RESTORABLE_FIELDS, "status"])
    assert snapshot["body"] == "Second body\n\n- one item"
    assert snapshot["region"] == "Алматы"
    assert snapshot["language"] == "Английский"
    assert snapshot["status"] == "черновик"


@pytest.mark.django_db
def test_comparing_with_a_revision_marks_exactly_the_changed_fields(edited):
    article, first = edited
    diffs = revisions.compare(revisions.snapshot(first), revisions.snapshot(article))
    assert {diff.name for diff in diffs if diff.changed} == {"title", "body", "region"}
    body = next(diff for diff in diffs if diff.name == "body")
    assert body.new == "Second body\n\n- one item"  # text, not markup
    assert spelled(body.segments, "equal", "insert") == body.new


def test_local_time_is_in_almaty_in_the_readers_format():
    moment = datetime(2026, 12, 7, 11, 29, tzinfo=UTC)
    with translation.override("ru"):
        assert revisions.local_time(moment) == "7 декабря 2026 г. 16:29"
    with translation.override("en"):
        assert "4:29" in revisions.local_time(moment)


@pytest.mark.parametrize(
    ("stored", "language", "shown"),
    [
        (None, "ru", ""),
        ("", "kk", ""),
        ("submit", "ru", "Отправить на проверку"),
        (
            "request_changes: Уточните цифры: 5 или 6?",
            "ru",
            "Запросить правки: Уточните цифры: 5 или 6?",
        ),
        (
            "restore: 12 2026-12-07T11:29:00+00:00",
            "ru",
            "Восстановлена редакция от 7 декабря 2026 г. 16:29",
        ),
        ("Kept in step with the kk version", "ru", "Синхронизировано с версией: Казахский"),
        (
            "Kept in step with the kk version: publish: Готово",
            "ru",
            "Синхронизировано с версией: Казахский: Опубликовать сейчас: Готово",
        ),
        ("Machine translation (libretranslate)", "kk", "Машиналық аударма (libretranslate)"),
        ("Translated by a person", "ru", "Переведено человеком"),
        ("Updated by import Akimat feed", "ru", "Обновлено импортом Akimat feed"),
        ("Something a script wrote", "ru", "Something a script wrote"),
    ],
)
def test_reasons_are_shown_in_the_readers_language(stored, language, shown):
    with translation.override(language):
        assert revisions.describe_reason(stored) == shown


# --- restoring -------------------------------------------------------------------------


@pytest.mark.django_db
def test_restore_records_the_revision_it_came_from(edited, press_officer):
    article, first = edited
    restored = revisions.restore_revision(
        article=article,
        revision_id=first.history_id,
        user=press_officer,
        expected_version=article.version,
    )
    assert (restored.title, restored.body, restored.region) == (
        first.title,
        first.body,
        first.region,
    )
    latest = restored.history.latest()
    assert latest.history_user == press_officer
    assert latest.history_change_reason == revisions.restore_reason(first)
    with translation.override("en"):
        assert revisions.describe_reason(latest.history_change_reason) == (
            "Restored the revision of " + revisions.local_time(first.history_date)
        )


@pytest.mark.django_db
@pytest.mark.parametrize("status", [Status.PUBLISHED, Status.SCHEDULED])
def test_restoring_a_public_release_needs_the_editors_confirmation(status, editor, agency):
    article = article_in(status, agency=agency, title="First title")
    first = article.history.get()
    edit(article, editor, title="Second title")
    article.refresh_from_db()

    with pytest.raises(workflow.WorkflowError) as refused:
        revisions.restore_revision(
            article=article,
            revision_id=first.history_id,
            user=editor,
            expected_version=article.version,
        )
    assert refused.value.code == "confirmation_required"
    assert Article.objects.get(pk=article.pk).title == "Second title"

    revisions.restore_revision(
        article=article,
        revision_id=first.history_id,
        user=editor,
        expected_version=article.version,
        public_change_confirmed=True,
    )
    restored = Article.objects.get(pk=article.pk)
    # An edit: the text changes and the release stays as public as it was.
    assert (restored.title, restored.status) == ("First title", status)


@pytest.mark.django_db
def test_restore_function_enforces_the_edit_rules(edited, other_officer):
    article, first = edited
    with pytest.raises(workflow.WorkflowError) as caught:
        revisions.restore_revision(
            article=article,
            revision_id=first.history_id,
            user=other_officer,
            expected_version=article.version,
        )
    assert caught.value.code == "agency_scope"
    article.refresh_from_db()
    assert article.title == "Second title"


@pytest.mark.django_db
def test_restore_refused_to_a_press_officer_once_the_release_is_published(
    editor, press_officer, agency
):
    article = article_in(Status.PUBLISHED, agency=agency, author=press_officer)
    first = article.history.get()
    edit(article, editor, title="Edited by the editor")
    article.refresh_from_db()
    with pytest.raises(workflow.WorkflowError) as refused:
        revisions.restore_revision(
            article=article,
            revision_id=first.history_id,
            user=press_officer,
            expected_version=article.version,
            public_change_confirmed=True,
        )
    assert refused.value.code == "not_editable"


@pytest.mark.django_db
def test_restoring_a_language_another_version_has_taken_is_refused(draft, press_officer):
    first = draft.history.get()
    edit(draft, press_officer, language="ru")
    Article.objects.create(
        title="English version",
        language="en",
        agency=draft.agency,
        translation_group=draft.translation_group,
    )
    draft.refresh_from_db()

    with pytest.raises(workflow.WorkflowError) as refused:
        revisions.restore_revision(
            article=draft,
            revision_id=first.history_id,
            user=press_officer,
            expected_version=draft.version,
        )

    assert refused.value.code == "language_taken"
    draft.refresh_from_db()
    assert draft.language == "ru"
