"""The article admin's history pages (news.admin.history): the list of revisions, comparing
two, comparing one with the current version and restoring it."""

import re
from html import unescape

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from news import editing, workflow
from news.models import Article
from news.revisions import local_time

from ..factories import seeded_region
from .helpers import NO_MEDIA, Status, article_in

pytestmark = pytest.mark.django_db


def client_for(user, language: str = "en") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = language
    return client


def history_url(article) -> str:
    return reverse("admin:news_article_history", args=[article.pk])


def revision_url(article, revision) -> str:
    return reverse("admin:news_article_revision", args=[article.pk, revision.history_id])


def compare_url(article, old, new) -> str:
    url = reverse("admin:news_article_compare", args=[article.pk])
    return f"{url}?old={old.history_id}&new={new.history_id}"


def edit(article, user, **changes) -> Article:
    """Save a person's edit as the admin does, so it is recorded as a revision."""
    stored = Article.objects.get(pk=article.pk)
    return editing.article_update(
        article=stored, user=user, changes=changes, expected_version=stored.version
    )


def revisions_time(moment, language: str) -> str:
    with translation.override(language):
        return local_time(moment)


def text_of(html: str) -> str:
    """The page's words, without markup, whitespace collapsed."""
    inline = re.sub(r"</?(?:a|strong|em|del|ins|span|label)\b[^>]*>", "", html)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", inline)).split())


def diff_table(html: str) -> str:
    start = html.index('<table class="revision-diff">')
    return html[start : html.index("</table>", start)]


@pytest.fixture
def edited(draft, press_officer):
    """A draft whose title, body and region were changed after it was first saved."""
    first = draft.history.get()
    edit(
        draft,
        press_officer,
        title="Roads repaired in Shymkent early",
        body="<p>The akim opened two schools.</p><p>Second paragraph stays.</p>",
        region=seeded_region("KZ-75"),
    )
    draft.refresh_from_db()
    return draft, first


@pytest.fixture
def first_edit(draft, press_officer):
    draft.title = "Roads repaired in Shymkent"
    draft.body = "<p>The akim opened a school.</p><p>Second paragraph stays.</p>"
    draft.save()
    return draft


# --- the history page -----------------------------------------------------------------


def test_history_lists_every_revision_with_its_comparisons(edited, press_officer):
    article, _first = edited
    html = client_for(press_officer).get(history_url(article)).content.decode()
    records = list(article.history.all())
    assert len(records) == 2
    for record in records:
        assert revision_url(article, record) in html
        assert f'name="old" value="{record.history_id}"' in html
        assert f'name="new" value="{record.history_id}"' in html
    newest, oldest = records
    # The newest revision is compared with the one before it, and they are the default pair.
    assert compare_url(article, oldest, newest).replace("&", "&amp;") in html
    assert f'name="new" value="{newest.history_id}" id="new-{newest.history_id}" checked' in html
    assert f'name="old" value="{oldest.history_id}" id="old-{oldest.history_id}" checked' in html
    assert "Compare selected" in html


def test_history_is_in_the_editors_language_with_almaty_times_and_labels(edited, press_officer):
    article, _first = edited
    workflow.apply_transition("submit", article=article, user=press_officer, comment="Готово")
    submitted = article.history.latest()
    html = client_for(press_officer, "ru").get(history_url(article)).content.decode()
    text = text_of(html)

    assert "История «Roads repaired in Shymkent early»" in text
    for heading in ("Старая", "Новая", "Дата и время", "Кем изменено", "Причина изменения"):
        assert heading in text
    # The step's label and its comment, the status by its names, the time in Almaty.
    assert "Отправить на проверку: Готово" in text
    assert "Статус: черновик → на проверке" in text
    assert "Регион: Шымкент → Алматы" in text
    assert revisions_time(submitted.history_date, "ru") in text
    for english_or_raw in ("in_review", "submit:", "None", "+00:00", "Changed by", "View history"):
        assert english_or_raw not in text, english_or_raw


def test_history_in_kazakh(edited, press_officer):
    article, _first = edited
    text = text_of(client_for(press_officer, "kk").get(history_url(article)).content.decode())
    for kazakh in ("Ескі", "Жаңа", "Таңдалғандарды салыстыру", "Қазіргімен салыстыру"):
        assert kazakh in text
    assert "Compare" not in text


def test_the_history_page_takes_as_many_queries_for_many_revisions_as_for_few(
    draft, press_officer, django_assert_max_num_queries
):
    client = client_for(press_officer)
    counts = []
    for _round in range(2):
        for number in range(6):
            edit(draft, press_officer, title=f"Title {draft.history.count()} {number}")
        with CaptureQueriesContext(connection) as queries:
            response = client.get(history_url(draft))
        assert response.status_code == 200
        counts.append(len(queries))
    assert draft.history.count() == 13
    assert counts[0] == counts[1]
    # Nine for the revisions, two for the remarks' section (the release in scope, its thread).
    with django_assert_max_num_queries(11):
        client.get(history_url(draft))


def test_history_of_an_id_in_other_digits_is_not_found(draft, editor):
    client = client_for(editor)
    assert client.get(f"/admin/news/article/{draft.pk}٣/history/").status_code == 404


# --- comparing two revisions -------------------------------------------------------------


def test_compare_marks_the_words_that_changed_in_the_text_not_the_markup(first_edit, press_officer):
    article = first_edit
    edit(
        article,
        press_officer,
        title="Roads repaired in Shymkent early",
        body="<p>The akim opened two schools.</p><p>Second paragraph stays.</p>",
    )
    older, newer = article.history.all()[1], article.history.latest()
    html = client_for(press_officer).get(compare_url(article, older, newer)).content.decode()

    assert "<del>a school</del><ins>two schools</ins>" in html
    assert "Roads repaired in Shymkent<ins> early</ins>" in html
    assert "Second paragraph stays." in html
    assert "&lt;p&gt;" not in html and "<p>The akim" not in html


def test_compare_shows_the_older_revision_first_whichever_was_picked_first(edited, press_officer):
    article, first = edited
    latest = article.history.latest()
    client = client_for(press_officer)
    forward = diff_table(client.get(compare_url(article, first, latest)).content.decode())
    backward = diff_table(client.get(compare_url(article, latest, first)).content.decode())
    assert "<del>Shymkent</del><ins>Almaty</ins>" in forward
    assert forward == backward


def test_compare_in_russian(edited, press_officer):
    article, first = edited
    text = text_of(
        client_for(press_officer, "ru")
        .get(compare_url(article, first, article.history.latest()))
        .content.decode()
    )
    for russian in ("Сравнение редакций", "Старая редакция", "Новая редакция", "Статус в то время"):
        assert russian in text
    assert "удалённый текст" in text and "добавленный текст" in text


@pytest.mark.parametrize("query", ["", "?old=1", "?old=x&new=2", "?old=²&new=٣"])
def test_compare_without_two_good_ids_is_not_found(draft, editor, query):
    url = reverse("admin:news_article_compare", args=[draft.pk]) + query
    assert client_for(editor).get(url).status_code == 404


def test_compare_with_a_revision_of_another_article_is_not_found(edited, editor, agency):
    article, first = edited
    other = article_in(Status.DRAFT, agency=agency)
    url = compare_url(article, first, other.history.get())
    assert client_for(editor).get(url).status_code == 404


def test_compare_of_another_agencys_article_shows_nothing(edited, other_officer):
    article, first = edited
    response = client_for(other_officer).get(
        compare_url(article, first, article.history.latest()), follow=True
    )
    assert "Roads repaired" not in response.content.decode()


def test_the_compare_page_takes_as_many_queries_for_a_long_history(
    edited, press_officer, django_assert_max_num_queries
):
    article, first = edited
    client = client_for(press_officer)
    url = compare_url(article, first, article.history.latest())
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for number in range(10):
        edit(article, press_officer, title=f"Title {number}")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(few) == len(many)
    with django_assert_max_num_queries(8):
        client.get(url)


# --- comparing with the current version and restoring -----------------------------------


def test_revision_page_shows_what_restoring_changes(edited, press_officer):
    article, first = edited
    html = client_for(press_officer).get(revision_url(article, first)).content.decode()
    text = text_of(html)
    # From now to after the restore: what goes is struck through, what comes back underlined.
    assert "<del>Almaty</del><ins>Shymkent</ins>" in html
    assert "Restoring changes: Title, Body, Region." in text
    assert "The status stays as it is." in text
    assert 'name="confirm_public_change"' not in html  # a draft has no public page
    assert "Restore this revision" in html


def test_restore_brings_back_the_content_as_a_new_revision(edited, press_officer, editor):
    article, first = edited
    workflow.apply_transition("submit", article=article, user=press_officer)
    article.refresh_from_db()
    revisions_before = article.history.count()

    response = client_for(editor).post(
        revision_url(article, first), {"expected_version": article.version}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:news_article_change", args=[article.pk])
    assert any(str(m).startswith("The revision of ") for m in get_messages(response.wsgi_request))

    restored = Article.objects.get(pk=article.pk)
    assert (restored.title, restored.body, restored.region) == (
        first.title,
        first.body,
        first.region,
    )
    # Content comes back; the workflow state and the author stay as they are now.
    assert (restored.status, restored.author) == (Status.IN_REVIEW, press_officer)
    assert restored.version == article.version + 1
    assert restored.history.count() == revisions_before + 1
    assert restored.history.latest().history_user == editor


def test_restore_of_a_published_release_needs_the_confirmation_and_is_recorded(
    editor, press_officer, agency
):
    article = article_in(Status.PUBLISHED, agency=agency, title="Published title")
    first = article.history.get()
    edit(article, editor, title="Wrong title")
    article.refresh_from_db()
    client = client_for(editor, "ru")

    page = client.get(revision_url(article, first)).content.decode()
    assert 'name="confirm_public_change"' in page
    assert "Я понимаю, что опубликованная страница изменится сразу" in text_of(page)

    refused = client.post(revision_url(article, first), {"expected_version": article.version})
    assert refused.status_code == 200
    assert "Подтвердите, что публичная страница может измениться" in text_of(
        refused.content.decode()
    )
    assert Article.objects.get(pk=article.pk).title == "Wrong title"

    done = client.post(
        revision_url(article, first),
        {"expected_version": article.version, "confirm_public_change": "on"},
    )
    assert done.status_code == 302
    restored = Article.objects.get(pk=article.pk)
    assert (restored.title, restored.status) == ("Published title", Status.PUBLISHED)

    history = text_of(client.get(history_url(article)).content.decode())
    assert "Восстановлена редакция от " + revisions_time(first.history_date, "ru") in history


def test_restore_on_a_stale_page_is_refused_and_changes_nothing(edited, press_officer, editor):
    article, first = edited
    client = client_for(press_officer)
    page = client.get(revision_url(article, first))
    loaded_version = page.context["form"].initial["expected_version"]
    assert loaded_version == article.version

    edit(article, editor, title="Editor's newer title")  # saved while the page was open

    response = client.post(revision_url(article, first), {"expected_version": loaded_version})
    assert response.status_code == 200
    assert "Someone else saved this article while you were editing it." in response.content.decode()
    article.refresh_from_db()
    assert article.title == "Editor's newer title"
    assert article.history.count() == 3


def test_restore_refused_to_a_press_officer_once_the_article_is_in_review(edited, press_officer):
    article, first = edited
    workflow.apply_transition("submit", article=article, user=press_officer)
    article.refresh_from_db()
    client = client_for(press_officer)

    page = client.get(revision_url(article, first)).content.decode()
    assert "cannot be restored by you" in page
    assert 'value="Restore this revision"' not in page

    client.post(revision_url(article, first), {"expected_version": article.version})
    fresh = Article.objects.get(pk=article.pk)
    assert fresh.title == "Roads repaired in Shymkent early"
    assert fresh.version == article.version


def test_a_revision_the_same_as_now_offers_nothing_to_restore(edited, press_officer):
    article, _first = edited
    latest = article.history.latest()
    text = text_of(client_for(press_officer).get(revision_url(article, latest)).content.decode())
    assert "there is nothing to restore" in text
    assert 'type="submit"' not in text


def test_revision_of_another_article_is_not_found(edited, press_officer, agency):
    _article, first = edited
    unrelated = article_in(Status.DRAFT, agency=agency)
    url = reverse("admin:news_article_revision", args=[unrelated.pk, first.history_id])
    assert client_for(press_officer).get(url).status_code == 404


def test_old_revert_form_cannot_bring_back_a_workflow_state(press_officer, editor, agency):
    """simple_history's revert form would save an old revision wholesale, status included."""
    article = article_in(Status.APPROVED, agency=agency, author=press_officer)
    workflow.apply_transition("publish", article=article, user=editor)
    published = article.history.latest()
    assert published.status == Status.PUBLISHED
    workflow.apply_transition("unpublish", article=article, user=editor, comment="Wrong figures.")
    workflow.apply_transition("reopen", article=article, user=editor)
    article.refresh_from_db()
    assert article.status == Status.DRAFT

    client = client_for(press_officer)
    url = reverse("admin:news_article_simple_history", args=[article.pk, published.history_id])
    data = {
        "title": "Published by the officer alone",
        "lead": article.lead,
        "body": article.body,
        "tags": "",
        "agency": agency.pk,
        "region": article.region_id or "",
        "language": "en",
        "release_date": article.release_date.isoformat(),
        "source_url": "",
        "slug": article.slug,
        "expected_version": article.version,
        "transitions-TOTAL_FORMS": "0",
        "transitions-INITIAL_FORMS": "0",
        "transitions-MIN_NUM_FORMS": "0",
        "transitions-MAX_NUM_FORMS": "1000",
        **NO_MEDIA,
    }
    response = client.post(url, data)
    assert response.status_code == 302
    assert response["Location"] == revision_url(article, published)

    article.refresh_from_db()
    assert article.status == Status.DRAFT
    assert article.title != "Published by the officer alone"

    # Its GET shows the comparison page, where only content can be restored.
    page = client.get(url, follow=True)
    assert page.redirect_chain == [(revision_url(article, published), 302)]
    assert "Compare with the current version" in page.content.decode()


def test_old_revert_url_with_a_bad_revision_id_is_not_found(draft, editor):
    url = reverse("admin:news_article_simple_history", args=[draft.pk, "latest"])
    assert client_for(editor).get(url).status_code == 404


def test_a_long_reason_is_kept_whole_and_shown(editor, agency):
    article = article_in(Status.IN_REVIEW, agency=agency, title="Long reason")
    reason = "Уточните цифры по каждому району. " * 12
    workflow.apply_transition("request_changes", article=article, user=editor, comment=reason)
    text = text_of(client_for(editor, "ru").get(history_url(article)).content.decode())
    assert "Запросить правки: " + reason.strip() in text


def test_restoring_a_scheduled_release_says_when_the_restored_text_goes_live(editor, agency):
    article = article_in(Status.SCHEDULED, agency=agency, title="Scheduled title")
    first = article.history.get()
    edit(article, editor, title="Rescheduled title")
    text = text_of(client_for(editor, "kk").get(revision_url(article, first)).content.decode())
    when = revisions_time(article.publish_at, "kk")
    assert f"Бұл баспасөз релизі {when} уақытына жоспарланған" in text
    assert "Жоспарланған баспасөз релизі өзгеретінін түсінемін" in text
