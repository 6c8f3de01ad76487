"""A person's edit of an article through news.editing, the path every edit page takes."""

import pytest

from news import editing, signals, workflow
from news.models import Article

from ..factories import ArticleFactory, seeded_region
from .helpers import Status

pytestmark = pytest.mark.django_db


def update(article, user, *, tags=None, reason="", **changes) -> Article:
    return editing.article_update(
        article=article,
        user=user,
        changes=changes,
        tags=tags,
        expected_version=article.version,
        reason=reason,
    )


def test_an_edit_is_one_revision_by_its_author_with_its_reason_and_tags(draft, press_officer):
    version = draft.version

    saved = update(draft, press_officer, tags=["schools"], reason="Typo", title="Fixed title")

    assert saved.version == draft.version == version + 1
    stored = Article.objects.get(pk=draft.pk)
    assert (stored.title, set(stored.tags.names())) == ("Fixed title", {"schools"})
    revision = stored.history.latest()
    assert (revision.history_user, revision.history_change_reason) == (press_officer, "Typo")
    assert stored.history.count() == 2


def test_an_edit_that_changes_nothing_stores_nothing(draft, press_officer):
    update(draft, press_officer, tags=[], title=draft.title, region=draft.region)

    stored = Article.objects.get(pk=draft.pk)
    assert stored.version == draft.version
    assert stored.history.count() == 1


def test_an_edit_made_on_an_older_version_is_refused(draft, press_officer, editor):
    opened_on = draft.version
    update(Article.objects.get(pk=draft.pk), editor, title="The editor's title")

    with pytest.raises(workflow.WorkflowError) as refused:
        editing.article_update(
            article=draft,
            user=press_officer,
            changes={"title": "The officer's title"},
            expected_version=opened_on,
        )

    assert refused.value.code == "edit_conflict"
    assert Article.objects.get(pk=draft.pk).title == "The editor's title"


def test_an_edit_out_of_the_users_scope_or_state_is_refused(draft, press_officer, other_officer):
    with pytest.raises(workflow.WorkflowError) as out_of_scope:
        update(draft, other_officer, title="Not mine")
    assert out_of_scope.value.code == "agency_scope"

    workflow.apply_transition("submit", article=draft, user=press_officer)
    with pytest.raises(workflow.WorkflowError) as in_review:
        update(draft, press_officer, title="After submitting")
    assert in_review.value.code == "not_editable"
    assert Article.objects.get(pk=draft.pk).title != "After submitting"


def test_invalid_values_are_refused_with_the_fields_message(draft, press_officer):
    with pytest.raises(workflow.WorkflowError) as refused:
        update(draft, press_officer, source_url="not a web address")

    assert refused.value.code == "invalid"
    assert Article.objects.get(pk=draft.pk).source_url == ""


def test_shared_fields_and_tags_reach_every_version_the_user_may_edit(draft, press_officer):
    kk = ArticleFactory(
        language="kk", agency=draft.agency, translation_group=draft.translation_group
    )
    region = seeded_region("KZ-75")

    update(draft, press_officer, tags=["roads"], region=region)

    kk.refresh_from_db()
    assert (kk.region, set(kk.tags.names())) == (region, {"roads"})
    assert kk.history.latest().history_user == press_officer


def test_a_shared_change_reaching_a_version_the_user_may_not_edit_is_refused_whole(
    draft, press_officer
):
    kk = ArticleFactory(
        language="kk",
        agency=draft.agency,
        translation_group=draft.translation_group,
        status=Status.APPROVED,
    )
    region_before = draft.region

    with pytest.raises(workflow.WorkflowError) as refused:
        update(draft, press_officer, title="New title", region=seeded_region("KZ-75"))

    assert refused.value.code == "shared_fields_locked"
    assert (Article.objects.get(pk=draft.pk).region, Article.objects.get(pk=draft.pk).title) == (
        region_before,
        draft.title,
    )
    assert Article.objects.get(pk=kk.pk).version == kk.version


def test_a_committed_edit_tells_receivers_what_changed(
    draft, press_officer, django_capture_on_commit_callbacks
):
    received = []

    def receiver(sender, article, changed_fields, **kwargs):
        received.append((article.pk, article.title, sorted(changed_fields)))

    signals.release_edited.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=False) as waiting:
            update(draft, press_officer, tags=["schools"], title="Fixed title")
        assert received == []  # nothing is said before the edit is committed
        for callback in waiting:
            callback()
    finally:
        signals.release_edited.disconnect(receiver)
    assert received == [(draft.pk, "Fixed title", ["tags", "title"])]
