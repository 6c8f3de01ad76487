"""Who is emailed about a workflow step, beyond the cases tests/news/test_workflow.py covers."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from news import notifications, roles, workflow
from news.models import ArticleTransition

from ..factories import UserFactory
from .helpers import Status, article_in

pytestmark = pytest.mark.django_db


def step_of(article, name: str) -> ArticleTransition:
    return article.transitions.get(name=name)


def test_submission_goes_to_active_editors_with_an_address_but_not_the_submitter(
    agency, press_officer, editor, second_editor
):
    UserFactory(username="retired-editor", groups=[roles.EDITORS], is_active=False)
    UserFactory(username="no-address-editor", groups=[roles.EDITORS], email="")
    UserFactory(username="officer-two", groups=[roles.PRESS_OFFICERS])
    article = article_in(Status.DRAFT, agency=agency, author=second_editor)

    workflow.submit_article(article=article, user=second_editor)

    assert notifications.recipients_for(step_of(article, "submit")) == [editor.email]


def test_each_editor_gets_their_own_message(draft, press_officer, editor, second_editor):
    workflow.submit_article(article=draft, user=press_officer)
    messages = notifications.build_messages(step_of(draft, "submit"))
    assert sorted(message.to for message in messages) == sorted(
        [[editor.email], [second_editor.email]]
    )
    assert all(message.cc == [] and message.bcc == [] for message in messages)
    assert messages[0].subject == f"Awaiting review: {draft.title}"
    assert f"“{draft.title}” (Agency A) was submitted for review by officer." in messages[0].body


def test_author_is_not_told_about_their_own_step(settings, editor, agency):
    settings.PRESSROOM_ALLOW_SELF_APPROVAL = True
    article = article_in(Status.IN_REVIEW, agency=agency, author=editor)
    workflow.approve_article(article=article, user=editor)
    assert notifications.recipients_for(step_of(article, "approve")) == []


def test_an_inactive_author_or_one_without_address_is_not_told(press_officer, editor, agency):
    article = article_in(Status.IN_REVIEW, agency=agency, author=press_officer)
    workflow.approve_article(article=article, user=editor)
    step = step_of(article, "approve")
    assert notifications.recipients_for(step) == [press_officer.email]

    press_officer.email = ""
    press_officer.save()
    assert notifications.recipients_for(ArticleTransition.objects.get(pk=step.pk)) == []

    press_officer.email = "officer@example.kz"
    press_officer.is_active = False
    press_officer.save()
    assert notifications.recipients_for(ArticleTransition.objects.get(pk=step.pk)) == []


def test_an_article_without_an_author_tells_nobody(editor):
    article = article_in(Status.IN_REVIEW, author=None)
    workflow.approve_article(article=article, user=editor)
    assert notifications.notify_transition(step_of(article, "approve").pk) == 0
    assert mail.outbox == []


def test_scheduled_publication_tells_the_author(press_officer, editor, agency):
    article = article_in(Status.APPROVED, agency=agency, author=press_officer)
    workflow.schedule_article(
        article=article, user=editor, publish_at=timezone.now() + timedelta(hours=1)
    )
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        workflow.publish_due_articles()
    step = step_of(article, "publish")
    assert step.actor is None

    assert notifications.notify_transition(step.pk) == 1
    assert mail.outbox[0].to == [press_officer.email]
    assert mail.outbox[0].subject == f"Published: {article.title}"


@pytest.mark.parametrize("name", ["withdraw", "schedule", "unschedule", "unpublish", "reopen"])
def test_steps_nobody_needs_to_hear_about_send_nothing(name, press_officer, editor, agency):
    source = sorted(workflow.TRANSITIONS[name].sources)[0]
    article = article_in(source, agency=agency, author=press_officer)
    kwargs = {"comment": "Reason"}
    if name == "schedule":
        kwargs["publish_at"] = timezone.now() + timedelta(hours=1)
    user = press_officer if name == "withdraw" else editor
    workflow.apply_transition(name, article=article, user=user, **kwargs)
    assert notifications.notify_transition(step_of(article, name).pk) == 0
    assert mail.outbox == []


def test_request_changes_in_the_admin_emails_the_author_the_reason(
    press_officer, editor, agency, django_capture_on_commit_callbacks
):
    article = article_in(Status.IN_REVIEW, agency=agency, author=press_officer)
    client = Client()
    client.force_login(editor)

    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(
            reverse("admin:news_article_transition", args=[article.pk, "request_changes"]),
            {"comment": "Name the source of the figures."},
        )
    assert response.status_code == 302
    assert mail.outbox == []  # the email waits for the commit
    for callback in callbacks:
        callback()

    [message] = mail.outbox
    assert message.to == [press_officer.email]
    assert message.subject == f"Changes requested: {article.title}"
    assert f"editor asked for changes to your article “{article.title}”." in message.body
    assert "Comment: Name the source of the figures." in message.body
    assert f"http://127.0.0.1:8000/admin/news/article/{article.pk}/change/" in message.body


def test_refused_step_in_the_admin_sends_nothing(
    press_officer, agency, django_capture_on_commit_callbacks
):
    article = article_in(Status.IN_REVIEW, agency=agency, author=press_officer)
    client = Client()
    client.force_login(press_officer)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            reverse("admin:news_article_transition", args=[article.pk, "approve"]), {}
        )
    assert response.status_code == 409
    assert callbacks == []
    assert mail.outbox == []


def test_bulk_approve_emails_each_author_once(
    press_officer, other_officer, editor, agency, other_agency, django_capture_on_commit_callbacks
):
    mine = article_in(Status.IN_REVIEW, agency=agency, author=press_officer)
    theirs = article_in(Status.IN_REVIEW, agency=other_agency, author=other_officer)
    client = Client()
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:news_article_changelist"),
            {"action": "bulk_approve", "_selected_action": [mine.pk, theirs.pk], "index": "0"},
        )
    assert {(m.to[0], m.subject) for m in mail.outbox} == {
        (other_officer.email, f"Approved: {theirs.title}"),
        (press_officer.email, f"Approved: {mine.title}"),
    }
    assert len(mail.outbox) == 2
