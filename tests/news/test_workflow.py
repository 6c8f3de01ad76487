from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone, translation

from news import roles, signals, workflow
from news.models import Article, ArticleTransition

from ..factories import AgencyFactory, ArticleFactory, MembershipFactory, UserFactory
from .helpers import Status, article_in, transition_kwargs

ROLES = ["press_officer", "editor", "administrator"]
OWNERSHIP = ["own_agency", "other_agency"]


def expected_refusal(role: str, ownership: str, transition: workflow.Transition) -> str | None:
    if role != "press_officer":
        # The press officer wrote the article: only they may take it back from review.
        return "not_submitter" if transition.name == "withdraw" else None
    if transition.permission != workflow.PERM_SUBMIT:
        return "permission_denied"
    return None if ownership == "own_agency" else "agency_scope"


@pytest.mark.django_db
@pytest.mark.parametrize("ownership", OWNERSHIP)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(workflow.TRANSITIONS))
def test_permission_matrix_through_transition_functions(
    request, role, ownership, name, agency, other_agency, press_officer
):
    user = request.getfixturevalue(role)
    transition = workflow.TRANSITIONS[name]
    owner_agency = agency if ownership == "own_agency" else other_agency
    refusal = expected_refusal(role, ownership, transition)

    for source in sorted(transition.sources):
        article = article_in(source, agency=owner_agency, author=press_officer)
        if refusal:
            with pytest.raises(workflow.WorkflowError) as caught:
                workflow.apply_transition(
                    name, article=article, user=user, **transition_kwargs(name)
                )
            assert caught.value.code == refusal
            article.refresh_from_db()
            assert article.status == source
            assert not article.transitions.exists()
        else:
            workflow.apply_transition(name, article=article, user=user, **transition_kwargs(name))
            article.refresh_from_db()
            assert article.status == transition.target
            step = article.transitions.get()
            assert (step.actor, step.from_status, step.to_status) == (
                user,
                source,
                transition.target,
            )


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(workflow.TRANSITIONS))
def test_every_transition_refuses_every_other_state(name, administrator):
    transition = workflow.TRANSITIONS[name]
    for status in set(Status) - transition.sources:
        article = article_in(status)
        with pytest.raises(workflow.WorkflowError) as caught:
            workflow.apply_transition(
                name, article=article, user=administrator, **transition_kwargs(name)
            )
        assert caught.value.code == "invalid_state", status
        assert article.get_status_display() in caught.value.message
        article.refresh_from_db()
        assert article.status == status


@pytest.mark.django_db
def test_full_editorial_path_from_draft_to_published(draft, press_officer, editor):
    workflow.apply_transition("submit", article=draft, user=press_officer)
    assert draft.status == Status.IN_REVIEW
    workflow.apply_transition(
        "request_changes", article=draft, user=editor, comment="Add the investment figures."
    )
    assert draft.status == Status.CHANGES_REQUESTED
    workflow.apply_transition("submit", article=draft, user=press_officer, comment="Figures added.")
    workflow.apply_transition("approve", article=draft, user=editor)
    workflow.apply_transition("publish", article=draft, user=editor)
    assert draft.status == Status.PUBLISHED
    assert draft.published_at is not None
    steps = list(draft.transitions.order_by("created_at", "id").values_list("name", flat=True))
    assert steps == ["submit", "request_changes", "submit", "approve", "publish"]
    assert draft.transitions.get(name="request_changes").comment == "Add the investment figures."


@pytest.mark.django_db
def test_request_changes_needs_a_reason(draft, press_officer, editor):
    workflow.apply_transition("submit", article=draft, user=press_officer)
    with pytest.raises(workflow.WorkflowError) as caught:
        workflow.apply_transition("request_changes", article=draft, user=editor, comment="   ")
    assert caught.value.code == "comment_required"
    draft.refresh_from_db()
    assert draft.status == Status.IN_REVIEW


@pytest.mark.django_db
def test_editor_cannot_approve_own_article_by_default(editor, second_editor, agency):
    article = article_in(Status.IN_REVIEW, agency=agency, author=editor)
    with pytest.raises(workflow.WorkflowError) as caught:
        workflow.apply_transition("approve", article=article, user=editor)
    assert caught.value.code == "self_approval"
    workflow.apply_transition("approve", article=article, user=second_editor)
    assert article.status == Status.APPROVED


@pytest.mark.django_db
def test_self_approval_can_be_allowed_by_setting(settings, editor, agency):
    settings.PRESSROOM_ALLOW_SELF_APPROVAL = True
    article = article_in(Status.IN_REVIEW, agency=agency, author=editor)
    workflow.apply_transition("approve", article=article, user=editor)
    assert article.status == Status.APPROVED


@pytest.mark.django_db
def test_inactive_user_can_do_nothing(draft, press_officer):
    press_officer.is_active = False
    press_officer.save()
    with pytest.raises(workflow.WorkflowError) as caught:
        workflow.apply_transition("submit", article=draft, user=press_officer)
    assert caught.value.code == "permission_denied"


@pytest.mark.django_db
def test_unknown_transition_is_a_clear_error(draft, editor):
    with pytest.raises(workflow.WorkflowError) as caught:
        workflow.apply_transition("teleport", article=draft, user=editor)
    assert caught.value.code == "unknown_transition"


@pytest.mark.django_db
def test_schedule_requires_a_future_time(editor):
    article = article_in(Status.APPROVED)
    for when in (None, timezone.now() - timedelta(minutes=1)):
        with pytest.raises(workflow.WorkflowError) as caught:
            workflow.apply_transition("schedule", article=article, user=editor, publish_at=when)
        assert caught.value.code == "invalid_publish_at"
    article.refresh_from_db()
    assert article.status == Status.APPROVED


@pytest.mark.django_db
def test_scheduled_article_is_published_when_its_time_passes(editor):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        article = article_in(Status.APPROVED)
        publish_at = start + timedelta(hours=3)
        workflow.apply_transition("schedule", article=article, user=editor, publish_at=publish_at)
        assert article.status == Status.SCHEDULED
        assert workflow.publish_due_articles() == []
        assert not Article.objects.published().filter(pk=article.pk).exists()

    with time_machine.travel(publish_at - timedelta(seconds=1), tick=False):
        assert workflow.publish_due_articles() == []

    with time_machine.travel(publish_at + timedelta(seconds=30), tick=False):
        # The embargo lifts on time for readers even before the beat task has run.
        assert Article.objects.published().filter(pk=article.pk).exists()
        assert workflow.publish_due_articles() == [article.pk]
        article.refresh_from_db()
        assert article.status == Status.PUBLISHED
        assert article.published_at == publish_at + timedelta(seconds=30)
        step = article.transitions.get(name="publish")
        assert step.actor is None
        assert workflow.publish_due_articles() == []


@pytest.mark.django_db
def test_scheduling_stores_whether_to_distribute_under_embargo(editor):
    article = article_in(Status.APPROVED)
    when = timezone.now() + timedelta(hours=3)

    workflow.apply_transition(
        "schedule", article=article, user=editor, publish_at=when, distribute_under_embargo=True
    )
    assert article.distribute_under_embargo is True
    # Moved without saying: the choice stays (the calendar's reschedule form).
    workflow.apply_transition(
        "schedule", article=article, user=editor, publish_at=when + timedelta(hours=1)
    )
    assert article.distribute_under_embargo is True
    workflow.apply_transition(
        "schedule", article=article, user=editor, publish_at=when, distribute_under_embargo=False
    )
    assert article.distribute_under_embargo is False


@pytest.mark.django_db
def test_unschedule_clears_the_time(editor):
    article = article_in(Status.SCHEDULED)
    workflow.apply_transition("unschedule", article=article, user=editor)
    assert (article.status, article.publish_at) == (Status.APPROVED, None)


@pytest.mark.django_db
def test_republishing_keeps_the_first_publication_time(editor):
    article = article_in(Status.PUBLISHED)
    first = article.published_at
    workflow.apply_transition("unpublish", article=article, user=editor, comment="Wrong figures.")
    workflow.apply_transition("publish", article=article, user=editor)
    assert article.published_at == first


@pytest.mark.django_db
def test_transition_on_a_stale_instance_checks_the_stored_state(draft, press_officer, editor):
    stale = Article.objects.get(pk=draft.pk)
    workflow.apply_transition("submit", article=draft, user=press_officer)
    workflow.apply_transition("approve", article=draft, user=editor)
    with pytest.raises(workflow.WorkflowError) as caught:
        workflow.apply_transition("submit", article=stale, user=press_officer)
    assert caught.value.code == "invalid_state"


@pytest.mark.django_db
def test_bulk_reports_each_article(press_officer, editor, agency):
    ready = [article_in(Status.IN_REVIEW, agency=agency, author=press_officer) for _ in range(2)]
    own = article_in(Status.IN_REVIEW, agency=agency, author=editor)
    draft = article_in(Status.DRAFT, agency=agency)
    result = workflow.apply_bulk("approve", articles=Article.objects.order_by("pk"), user=editor)
    assert {a.pk for a in result.succeeded} == {a.pk for a in ready}
    refused = {article.pk: error.code for article, error in result.refused}
    assert refused == {own.pk: "self_approval", draft.pk: "invalid_state"}


@pytest.mark.django_db
def test_available_transitions_follow_role_and_state(draft, press_officer, editor):
    assert [t.name for t in workflow.available_transitions(press_officer, draft)] == ["submit"]
    assert {t.name for t in workflow.available_transitions(editor, draft)} == {"submit", "archive"}


@pytest.mark.django_db
def test_edit_rights_follow_role_and_state(draft, press_officer, other_officer, editor):
    assert workflow.can_edit(press_officer, draft)
    assert not workflow.can_edit(other_officer, draft)
    workflow.apply_transition("submit", article=draft, user=press_officer)
    assert not workflow.can_edit(press_officer, draft)
    assert workflow.can_edit(editor, draft)
    workflow.apply_transition("archive", article=article_in(Status.DRAFT), user=editor)
    assert not workflow.can_edit(editor, Article.objects.get(status=Status.ARCHIVED))


@pytest.mark.django_db
def test_only_the_author_or_the_submitter_withdraws_from_review(
    draft, press_officer, agency, editor
):
    colleague = UserFactory(username="colleague", groups=[roles.PRESS_OFFICERS])
    MembershipFactory(user=colleague, agency=agency)
    workflow.apply_transition("submit", article=draft, user=press_officer)
    for stranger in (colleague, editor):
        with pytest.raises(workflow.WorkflowError) as caught:
            workflow.apply_transition("withdraw", article=draft, user=stranger)
        assert caught.value.code == "not_submitter"
        assert "withdraw" not in [t.name for t in workflow.available_transitions(stranger, draft)]
    workflow.apply_transition("withdraw", article=draft, user=press_officer)  # the author

    # A colleague who submits the author's draft may take it back; the author still may too.
    workflow.apply_transition("submit", article=draft, user=colleague)
    workflow.apply_transition("withdraw", article=draft, user=colleague)
    workflow.apply_transition("submit", article=draft, user=colleague)
    workflow.apply_transition("withdraw", article=draft, user=press_officer)
    assert draft.status == Status.DRAFT


@pytest.mark.django_db
def test_edit_conflict_when_someone_saved_in_between(draft, press_officer):
    loaded_version = draft.version
    Article.objects.get(pk=draft.pk).save()  # another person's save
    with pytest.raises(workflow.WorkflowError) as caught:
        workflow.check_edit(press_officer, draft.pk, loaded_version)
    assert caught.value.code == "edit_conflict"
    assert workflow.check_edit(press_officer, draft.pk, loaded_version + 1).pk == draft.pk


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_notifications_go_out_only_after_commit(draft, press_officer, editor, second_editor):
    workflow.apply_transition("submit", article=draft, user=press_officer)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([editor.email, second_editor.email])
    assert all(draft.title in m.subject for m in mail.outbox)

    mail.outbox.clear()
    with pytest.raises(RuntimeError):
        from django.db import transaction

        with transaction.atomic():
            workflow.apply_transition(
                "request_changes", article=draft, user=editor, comment="Needs a source."
            )
            raise RuntimeError("rolled back")
    assert mail.outbox == []
    draft.refresh_from_db()
    assert draft.status == Status.IN_REVIEW


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize(
    ("name", "subject_word", "body_snippet"),
    [
        ("approve", "Approved", "was approved by editor"),
        ("request_changes", "Changes requested", "Because the figures need a source."),
        ("publish", "Published", "is now published"),
    ],
)
def test_author_is_told_about_review_outcomes(
    name, subject_word, body_snippet, press_officer, editor, agency
):
    source = sorted(workflow.TRANSITIONS[name].sources)[0]
    article = article_in(source, agency=agency, author=press_officer)
    workflow.apply_transition(name, article=article, user=editor, **transition_kwargs(name))
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [press_officer.email]
    assert message.subject.startswith(subject_word)
    assert body_snippet in message.body
    assert f"/admin/news/article/{article.pk}/change/" in message.body


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_steps_without_an_audience_send_nothing(editor):
    workflow.apply_transition("archive", article=article_in(Status.DRAFT), user=editor)
    assert mail.outbox == []
    assert ArticleTransition.objects.count() == 1


@pytest.mark.django_db
def test_history_records_who_changed_what(draft, press_officer):
    workflow.apply_transition("submit", article=draft, user=press_officer, comment="Ready")
    record = draft.history.latest()
    assert record.history_user == press_officer
    assert record.status == Status.IN_REVIEW
    assert record.history_change_reason == "submit: Ready"


@pytest.mark.django_db
def test_article_factory_makes_unique_slugs():
    first = ArticleFactory(title="«Слышащее государство» в Костанае")
    second = ArticleFactory(title="«Слышащее государство» в Костанае")
    assert first.slug == "slyshashchee-gosudarstvo-v-kostanae"
    assert second.slug == "slyshashchee-gosudarstvo-v-kostanae-2"


# --- pre-publish checks ---------------------------------------------------------------

CHECKED_STEPS = [
    ("approve", Status.IN_REVIEW),
    ("schedule", Status.APPROVED),
    ("publish", Status.APPROVED),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "source"), CHECKED_STEPS)
def test_a_blocking_check_refuses_the_step_even_with_a_reason(name, source, editor):
    article = article_in(source, body="<p></p>")
    with pytest.raises(workflow.WorkflowError) as caught:
        workflow.apply_transition(
            name, article=article, user=editor, override_reason="Urgent.", **transition_kwargs(name)
        )
    assert caught.value.code == "prepublish_blocked"
    assert [check.code for check in caught.value.checks] == ["empty_body"]
    assert "The body is empty." in caught.value.message
    article.refresh_from_db()
    assert article.status == source
    assert not article.transitions.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "source"), CHECKED_STEPS)
def test_warnings_refuse_the_step_until_a_reason_is_given_and_recorded(name, source, editor):
    article = article_in(source, lead="", title="The akimat opened a school.")
    for reason in ("", "   "):
        with pytest.raises(workflow.WorkflowError) as caught:
            workflow.apply_transition(
                name,
                article=article,
                user=editor,
                override_reason=reason,
                **transition_kwargs(name),
            )
        assert caught.value.code == "prepublish_warnings"
        assert {check.code for check in caught.value.checks} == {"empty_lead", "title_is_sentence"}
    assert not article.transitions.exists()

    workflow.apply_transition(
        name,
        article=article,
        user=editor,
        override_reason=" The ministry's style keeps the full stop. ",
        **transition_kwargs(name),
    )
    article.refresh_from_db()
    assert article.status == workflow.TRANSITIONS[name].target
    step = article.transitions.get()
    assert step.overridden_checks == ["empty_lead", "title_is_sentence"]
    assert step.override_reason == "The ministry's style keeps the full stop."


@pytest.mark.django_db
def test_a_reason_without_warnings_is_not_recorded(editor):
    article = article_in(Status.APPROVED)
    workflow.apply_transition("publish", article=article, user=editor, override_reason="Just so.")
    step = article.transitions.get()
    assert (step.overridden_checks, step.override_reason) == ([], "")


@pytest.mark.django_db
def test_other_steps_are_not_checked(press_officer, agency):
    # A draft may go to review, or back, with its body still empty: review is where it is fixed.
    article = article_in(Status.DRAFT, agency=agency, author=press_officer, body="", lead="")
    workflow.apply_transition("submit", article=article, user=press_officer)
    workflow.apply_transition("withdraw", article=article, user=press_officer)
    assert article.status == Status.DRAFT


@pytest.mark.django_db
def test_bulk_approve_refuses_each_release_with_its_checks(editor, agency):
    clean = article_in(Status.IN_REVIEW, agency=agency)
    empty = article_in(Status.IN_REVIEW, agency=agency, body="")
    no_lead = article_in(Status.IN_REVIEW, agency=agency, lead="")
    result = workflow.apply_bulk("approve", articles=[clean, empty, no_lead], user=editor)
    assert [article.pk for article in result.succeeded] == [clean.pk]
    refused = {
        article.pk: (error.code, [c.code for c in error.checks])
        for article, error in result.refused
    }
    assert refused == {
        empty.pk: ("prepublish_blocked", ["empty_body"]),
        no_lead.pk: ("prepublish_warnings", ["empty_lead"]),
    }


@pytest.mark.django_db
def test_scheduled_publication_accepts_the_warnings_its_scheduler_accepted(editor):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        article = article_in(Status.APPROVED, lead="")
        workflow.apply_transition(
            "schedule",
            article=article,
            user=editor,
            publish_at=start + timedelta(hours=1),
            override_reason="The title says it all.",
        )
    with time_machine.travel(start + timedelta(hours=1, seconds=5), tick=False):
        assert workflow.publish_due_articles() == [article.pk]
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED


@pytest.mark.django_db
def test_scheduled_publication_returns_a_release_emptied_since_to_approved(editor):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        article = article_in(Status.APPROVED)
        workflow.apply_transition(
            "schedule", article=article, user=editor, publish_at=start + timedelta(hours=1)
        )
        Article.objects.filter(pk=article.pk).update(body="")  # an editor's slip
    with time_machine.travel(start + timedelta(hours=1, seconds=5), tick=False):
        assert workflow.publish_due_articles() == []
        article.refresh_from_db()
        assert (article.status, article.publish_at, article.published_at) == (
            Status.APPROVED,
            None,
            None,
        )
        assert not Article.objects.published().filter(pk=article.pk).exists()
    step = article.transitions.get(name="unschedule")
    assert step.actor is None
    assert step.comment == "Not published at its time: The body is empty."


@pytest.mark.django_db
def test_steps_are_named_by_their_labels():
    assert workflow.step_label("request_changes") == "Request changes"
    assert workflow.step_label("import") == "Imported"
    with translation.override("ru"):
        assert workflow.step_label("submit") == "Отправить на проверку"
        assert workflow.step_label("reimport") == "Обновлено импортом"


# --- translations -------------------------------------------------------------------------


def machine_translation(status: str, state: str = "machine") -> Article:
    """A machine translation of a fresh original, already in `status`."""
    from news.models import Translation

    original = ArticleFactory(language="ru")
    article = article_in(status, language="kk", translation_group=original.translation_group)
    Translation.objects.create(
        article=article,
        original=original,
        method=Translation.Method.ENGINE,
        engine="libretranslate",
        state=state,
        original_version=original.version,
        original_content_hash="x",
    )
    return article


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["publish", "schedule"])
def test_unreviewed_machine_translation_is_not_published_or_scheduled(editor, name):
    article = machine_translation(Status.APPROVED)
    with pytest.raises(workflow.WorkflowError) as raised:
        workflow.apply_transition(name, article=article, user=editor, **transition_kwargs(name))
    assert raised.value.code == "prepublish_blocked"
    assert [check.code for check in raised.value.checks] == ["unreviewed_machine_translation"]
    assert "machine translation no one has reviewed" in raised.value.message
    article.refresh_from_db()
    assert article.status == Status.APPROVED


@pytest.mark.django_db
def test_edited_but_unreviewed_machine_translation_is_not_published_either(editor):
    article = machine_translation(Status.APPROVED, state="edited")
    with pytest.raises(workflow.WorkflowError):
        workflow.apply_transition("publish", article=article, user=editor)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["publish", "schedule"])
def test_reviewed_machine_translation_is_published_or_scheduled(editor, name):
    article = machine_translation(Status.APPROVED, state="reviewed")
    workflow.apply_transition(name, article=article, user=editor, **transition_kwargs(name))
    article.refresh_from_db()
    assert article.status == workflow.TRANSITIONS[name].target


@pytest.mark.django_db
def test_the_setting_allows_publishing_unreviewed_machine_translations(settings, editor):
    settings.PRESSROOM_PUBLISH_UNREVIEWED_MACHINE_TRANSLATIONS = True
    article = machine_translation(Status.APPROVED)
    workflow.apply_transition("publish", article=article, user=editor)
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED
    assert article.is_machine_translated  # the public page says so


@pytest.mark.django_db
def test_scheduled_publication_returns_an_unreviewed_machine_translation_to_approved(settings):
    # Scheduled while the setting allowed it, then the setting was switched off.
    article = machine_translation(Status.SCHEDULED)
    Article.objects.filter(pk=article.pk).update(publish_at=timezone.now() - timedelta(minutes=1))

    assert workflow.publish_due_articles() == []
    article.refresh_from_db()
    # Left scheduled past its time it would be public (Article.objects.published()).
    assert (article.status, article.publish_at) == (Status.APPROVED, None)
    assert not Article.objects.published().filter(pk=article.pk).exists()
    step = article.transitions.get()
    assert (step.name, step.actor) == ("unschedule", None)
    assert "machine translation no one has reviewed" in step.comment
    assert workflow.publish_due_articles() == []


@pytest.mark.django_db
def test_a_new_machine_translation_is_filed_in_review():
    article = article_in(Status.IN_REVIEW)
    step = workflow.file_machine_translation(article=article, comment="By libretranslate")
    assert (step.name, step.from_status, step.to_status, step.actor) == (
        "translate",
        Status.DRAFT,
        Status.IN_REVIEW,
        None,
    )
    with pytest.raises(workflow.WorkflowError) as raised:
        workflow.file_machine_translation(article=article_in(Status.DRAFT))
    assert raised.value.code == "invalid_state"


# --- four eyes on imported releases -------------------------------------------------------

DIGEST = (
    "Regions\n"
    "Akimat opens a new library in Kostanay 03.02.2026\n"
    "The library has ten thousand books.Readers can borrow them for free.\n"
)


def imported_release(user, *, cleaned_up=True) -> Article:
    """The digest's release, imported by `user`."""
    from news.importing.saving import run_import

    run_import(DIGEST.encode(), input_name="digest.txt", user=user)
    article = Article.objects.get(title__startswith="Akimat opens a new library")
    return clean_up(article) if cleaned_up else article


def clean_up(article: Article) -> Article:
    """An imported release with its flags dealt with by an editor (its agency chosen, a lead
    written), so that only the four-eyes rule stands between it and approval."""
    agency = AgencyFactory()
    Article.objects.filter(pk=article.pk).update(
        agency=agency, region=agency.region, lead="A new library opens."
    )
    article.flags.all().delete()
    article.refresh_from_db()
    return article


@pytest.mark.django_db
def test_editor_cannot_approve_a_release_they_imported(editor, second_editor):
    article = imported_release(editor)
    assert article.author is None
    assert article.transitions.get(name="import").actor == editor

    with pytest.raises(workflow.WorkflowError) as caught:
        workflow.apply_transition("approve", article=article, user=editor)

    assert caught.value.code == "self_approval"
    assert "a release you imported" in caught.value.message
    assert "approve" not in [t.name for t in workflow.available_transitions(editor, article)]
    workflow.apply_transition("approve", article=article, user=second_editor)
    assert article.status == Status.APPROVED


@pytest.mark.django_db
def test_the_self_approval_setting_also_lets_the_importer_approve(settings, editor):
    settings.PRESSROOM_ALLOW_SELF_APPROVAL = True
    article = imported_release(editor)
    workflow.apply_transition("approve", article=article, user=editor)
    assert article.status == Status.APPROVED


@pytest.mark.django_db
def test_a_scheduled_import_leaves_every_editor_free_to_approve(editor):
    article = imported_release(None)
    workflow.apply_transition("approve", article=article, user=editor)
    assert article.status == Status.APPROVED


@pytest.mark.django_db
def test_editor_whose_import_updated_a_release_cannot_approve_it(editor, second_editor):
    from news.importing.saving import run_import

    article = imported_release(None, cleaned_up=False)
    changed = DIGEST.replace("ten thousand", "twelve thousand")
    run_import(changed.encode(), input_name="digest.txt", user=editor)
    article = clean_up(article)
    assert "twelve thousand" in article.body
    assert article.transitions.get(name="reimport").actor == editor

    with pytest.raises(workflow.WorkflowError) as caught:
        workflow.apply_transition("approve", article=article, user=editor)
    assert caught.value.code == "self_approval"
    workflow.apply_transition("approve", article=article, user=second_editor)


@pytest.mark.django_db
def test_the_starter_of_a_run_that_kept_a_newer_version_is_an_importer(editor, second_editor):
    from news.models import ImportItem, ImportRun

    article = article_in(Status.IN_REVIEW)
    run = ImportRun.objects.create(input_name="digest.txt", triggered_by=editor)
    ImportItem.objects.create(
        run=run,
        item="1",
        outcome=ImportItem.Outcome.NEW_VERSION,
        code="new_version",
        message="",
        raw="",
        article=article,
    )

    with pytest.raises(workflow.WorkflowError) as caught:
        workflow.apply_transition("approve", article=article, user=editor)
    assert caught.value.code == "self_approval"
    workflow.apply_transition("approve", article=article, user=second_editor)


@pytest.mark.django_db
def test_bulk_approve_refuses_the_importers_own_releases(editor, second_editor):
    article = imported_release(editor)
    result = workflow.apply_bulk("approve", articles=[article], user=editor)
    assert [error.code for _article, error in result.refused] == ["self_approval"]
    article.refresh_from_db()
    assert article.status == Status.IN_REVIEW


@pytest.mark.django_db
def test_an_edit_that_does_not_say_its_version_is_refused(draft, press_officer):
    with pytest.raises(workflow.WorkflowError) as caught:
        workflow.check_edit(press_officer, draft.pk, None)
    assert caught.value.code == "missing_version"


@pytest.mark.django_db
def test_a_committed_step_is_announced_with_its_record(editor, django_capture_on_commit_callbacks):
    article = article_in(Status.APPROVED)
    received = []

    def receiver(sender, step, **kwargs):
        received.append((step.article_id, step.name, step.from_status, step.to_status))

    signals.release_stepped.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            workflow.apply_transition("publish", article=article, user=editor)
    finally:
        signals.release_stepped.disconnect(receiver)
    assert received == [(article.pk, "publish", Status.APPROVED, Status.PUBLISHED)]
