"""Comparing an article with a stored revision and restoring it, directly and over HTTP."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from news import editing, revisions, workflow
from news.models import Article

from ..factories import seeded_region
from .helpers import NO_MEDIA, Status, article_in

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def revision_url(article, revision) -> str:
    return reverse("admin:news_article_revision", args=[article.pk, revision.history_id])


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
        body="<p>Second body</p>",
        region=seeded_region("KZ-75"),
    )
    draft.refresh_from_db()
    return draft, first


def test_comparison_marks_exactly_the_changed_fields(edited):
    article, first = edited
    comparison = {field.name: field for field in revisions.compare_with_revision(article, first)}
    assert {name for name, field in comparison.items() if field.changed} == {
        "title",
        "body",
        "region",
    }
    assert (comparison["title"].revision_value, comparison["title"].current_value) == (
        first.title,
        "Second title",
    )
    assert (comparison["region"].revision_value, comparison["region"].current_value) == (
        "Shymkent",
        "Almaty",
    )
    assert comparison["language"].revision_value == "English"


def test_revision_page_shows_the_differences(edited, press_officer):
    article, first = edited
    response = client_for(press_officer).get(revision_url(article, first))
    content = response.content.decode()
    assert response.status_code == 200
    assert content.count("(differs)") == 3
    assert first.title in content
    assert "Second title" in content
    assert "&lt;p&gt;Second body&lt;/p&gt;" in content  # shown as source, never rendered
    assert "Restore this revision" in content


def test_history_page_links_every_revision_to_its_comparison(edited, press_officer):
    article, first = edited
    response = client_for(press_officer).get(
        reverse("admin:news_article_history", args=[article.pk])
    )
    content = response.content.decode()
    for record in article.history.all():
        assert revision_url(article, record) in content
    assert first.history_id != article.history.latest().history_id


def test_history_shows_a_status_change_by_its_names_in_the_editors_language(edited, press_officer):
    article, _first = edited
    workflow.apply_transition("submit", article=article, user=press_officer)
    client = client_for(press_officer)
    client.cookies["django_language"] = "ru"
    html = client.get(reverse("admin:news_article_history", args=[article.pk])).content.decode()
    # The change reads "черновик → на проверке", not the stored codes.
    assert "на проверке" in html
    assert "in_review" not in html


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
    assert "The revision was restored." in [str(m) for m in get_messages(response.wsgi_request)]

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
    latest = restored.history.latest()
    assert latest.history_user == editor
    assert latest.history_change_reason.startswith("Restored the revision of")
    assert latest.title == first.title


def test_restore_on_a_stale_page_is_refused_and_changes_nothing(edited, press_officer, editor):
    article, first = edited
    client = client_for(press_officer)
    page = client.get(revision_url(article, first))
    loaded_version = page.context["form"].initial["expected_version"]
    assert loaded_version == article.version

    edit(article, editor, title="Editor's newer title")  # saved while the page was open

    response = client.post(revision_url(article, first), {"expected_version": loaded_version})
    assert response.status_code == 200
    assert any(
        str(m).startswith("Someone else saved this article while you were editing it.")
        for m in get_messages(response.wsgi_request)
    )
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
    assert "Restore this revision" not in page

    client.post(revision_url(article, first), {"expected_version": article.version})
    fresh = Article.objects.get(pk=article.pk)
    assert fresh.title == "Second title"
    assert fresh.version == article.version


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
    assert "Compare" in page.content.decode()


def test_old_revert_url_with_a_bad_revision_id_is_not_found(draft, editor):
    url = reverse("admin:news_article_simple_history", args=[draft.pk, "latest"])
    assert client_for(editor).get(url).status_code == 404


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
