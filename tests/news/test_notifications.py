"""Who is emailed about a workflow step, beyond the cases tests/news/test_workflow.py covers."""

import logging
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from config.celery import app as celery_app
from news import notifications, remarks, roles, tasks, workflow
from news.models import Article, ArticleTransition, ImportRun, ImportSource
from people import languages
from people.models import Preferences

from ..factories import UserFactory
from .helpers import Status, article_in

pytestmark = pytest.mark.django_db


def step_of(article, name: str) -> ArticleTransition:
    return article.transitions.get(name=name)


def addresses_for(step: ArticleTransition) -> list[str]:
    return [user.email for user in notifications.recipients_for(step)]


def test_submission_goes_to_active_editors_with_an_address_but_not_the_submitter(
    agency, press_officer, editor, second_editor
):
    UserFactory(username="retired-editor", groups=[roles.EDITORS], is_active=False)
    UserFactory(username="no-address-editor", groups=[roles.EDITORS], email="")
    UserFactory(username="officer-two", groups=[roles.PRESS_OFFICERS])
    article = article_in(Status.DRAFT, agency=agency, author=second_editor)

    workflow.apply_transition("submit", article=article, user=second_editor)

    assert addresses_for(step_of(article, "submit")) == [editor.email]


def test_each_editor_gets_their_own_message(draft, press_officer, editor, second_editor):
    workflow.apply_transition("submit", article=draft, user=press_officer)
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
    workflow.apply_transition("approve", article=article, user=editor)
    assert addresses_for(step_of(article, "approve")) == []


def test_an_inactive_author_or_one_without_address_is_not_told(press_officer, editor, agency):
    article = article_in(Status.IN_REVIEW, agency=agency, author=press_officer)
    workflow.apply_transition("approve", article=article, user=editor)
    step = step_of(article, "approve")
    assert addresses_for(step) == [press_officer.email]

    press_officer.email = ""
    press_officer.save()
    assert addresses_for(ArticleTransition.objects.get(pk=step.pk)) == []

    press_officer.email = "officer@example.kz"
    press_officer.is_active = False
    press_officer.save()
    assert addresses_for(ArticleTransition.objects.get(pk=step.pk)) == []


def test_an_article_without_an_author_tells_nobody(editor):
    article = article_in(Status.IN_REVIEW, author=None)
    workflow.apply_transition("approve", article=article, user=editor)
    assert notifications.notify_transition(step_of(article, "approve").pk) == 0
    assert mail.outbox == []


def test_scheduled_publication_tells_the_author(press_officer, editor, agency):
    article = article_in(Status.APPROVED, agency=agency, author=press_officer)
    workflow.apply_transition(
        "schedule", article=article, user=editor, publish_at=timezone.now() + timedelta(hours=1)
    )
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        workflow.publish_due_articles()
    step = step_of(article, "publish")
    assert step.actor is None

    assert notifications.notify_transition(step.pk) == 1
    assert mail.outbox[0].to == [press_officer.email]
    assert mail.outbox[0].subject == f"Published: {article.title}"


def test_a_release_held_back_at_its_time_tells_the_editors_and_its_author(
    press_officer, editor, second_editor, agency
):
    article = article_in(Status.APPROVED, agency=agency, author=press_officer)
    workflow.apply_transition(
        "schedule", article=article, user=editor, publish_at=timezone.now() + timedelta(hours=1)
    )
    Article.objects.filter(pk=article.pk).update(body="")  # emptied after it was scheduled
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        workflow.publish_due_articles()
    step = step_of(article, "unschedule")
    assert step.actor is None

    assert notifications.notify_transition(step.pk) == 3
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [press_officer.email, editor.email, second_editor.email]
    )
    assert mail.outbox[0].subject == f"Not published at its time: {article.title}"
    assert "failed a pre-publish check" in mail.outbox[0].body
    assert "The body is empty." in mail.outbox[0].body


@pytest.mark.parametrize("name", ["withdraw", "unschedule", "unpublish", "reopen"])
def test_steps_nobody_needs_to_hear_about_send_nothing(name, press_officer, editor, agency):
    source = sorted(workflow.TRANSITIONS[name].sources)[0]
    article = article_in(source, agency=agency, author=press_officer)
    kwargs = {"comment": "Reason"}
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


# --- mail is text, on one line where a header needs it -----------------------------------


def test_subject_and_body_are_text_not_html(draft, press_officer, editor):
    Article.objects.filter(pk=draft.pk).update(title="Roads & bridges <2026>")
    workflow.apply_transition(
        "submit", article=Article.objects.get(pk=draft.pk), user=press_officer
    )

    [message] = notifications.build_messages(ArticleTransition.objects.get(article=draft))

    assert message.subject == "Awaiting review: Roads & bridges <2026>"
    assert "“Roads & bridges <2026>” (Agency A)" in message.body
    assert "&amp;" not in message.subject + message.body


def test_a_title_stored_with_a_line_break_still_reaches_the_editors(draft, press_officer, editor):
    # Written before titles were kept on one line, or by an UPDATE that skips the model.
    Article.objects.filter(pk=draft.pk).update(title="Roads\r\nrepaired")
    workflow.apply_transition(
        "submit", article=Article.objects.get(pk=draft.pk), user=press_officer
    )

    [message] = notifications.build_messages(ArticleTransition.objects.get(article=draft))
    assert message.subject == "Awaiting review: Roads repaired"
    assert message.message()["Subject"] == "Awaiting review: Roads repaired"


def test_the_notice_of_a_disabled_source_is_text_on_one_line(administrator):
    source = ImportSource.objects.create(
        name="Akimat & partners", kind=ImportSource.Kind.RSS, consecutive_failures=3
    )
    ImportSource.objects.filter(pk=source.pk).update(name="Akimat & partners\nfeed")
    run = ImportRun.objects.create(source=source, input_name="feed.xml", error_code="timeout")

    assert notifications.notify_source_disabled(source.pk, run.pk) == 1

    [message] = mail.outbox
    assert message.subject == "Import source disabled: Akimat & partners feed"
    assert "Akimat & partners" in message.body and "&amp;" not in message.body


@pytest.fixture
def eager_retries(monkeypatch):
    """Eager tasks retry in place, as a worker would later; only without propagating
    each attempt's error (which the test settings do for other tasks)."""
    monkeypatch.setitem(celery_app.conf, "task_eager_propagates", False)


def test_a_failed_notice_is_logged_and_retried_until_it_is_sent(
    draft, press_officer, editor, monkeypatch, caplog, eager_retries
):
    workflow.apply_transition("submit", article=draft, user=press_officer)
    step = draft.transitions.get(name="submit")
    mail.outbox = []
    send = notifications.notify_transition
    failures = iter([ConnectionRefusedError("mail server down")] * 2)

    def flaky(transition_id):
        failure = next(failures, None)
        if failure:
            raise failure
        return send(transition_id)

    monkeypatch.setattr(notifications, "notify_transition", flaky)

    with caplog.at_level(logging.WARNING, logger="news.tasks"):
        sent = tasks.send_transition_notifications.apply((step.pk,)).get()

    assert sent == 1 and [message.to for message in mail.outbox] == [[editor.email]]
    retries = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert [r.getMessage() for r in retries] == [
        f"Notice of workflow step {step.pk}: attempt 1 failed, retrying",
        f"Notice of workflow step {step.pk}: attempt 2 failed, retrying",
    ]


def test_a_notice_that_keeps_failing_is_logged_as_an_error(
    draft, press_officer, editor, monkeypatch, caplog, eager_retries
):
    workflow.apply_transition("submit", article=draft, user=press_officer)
    step = draft.transitions.get(name="submit")

    def broken(transition_id):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(notifications, "notify_transition", broken)

    with caplog.at_level(logging.WARNING, logger="news.tasks"):
        result = tasks.send_transition_notifications.apply((step.pk,))

    assert isinstance(result.result, ConnectionRefusedError)

    errors = [r for r in caplog.records if r.levelno == logging.ERROR and r.name == "news.tasks"]
    assert [r.getMessage() for r in errors] == [
        f"Notice of workflow step {step.pk}: not sent after {tasks.NOTICE_MAX_RETRIES + 1} attempts"
    ]


# --- each person in their language, as text and HTML, with a link ---------------------------


def html_of(message) -> str:
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return html


def test_each_editor_is_written_to_in_their_language_with_text_and_html(
    draft, press_officer, editor, second_editor
):
    languages.record_admin_language(editor, "ru")
    Preferences.objects.update_or_create(user=second_editor, defaults={"language": "kk"})
    Article.objects.filter(pk=draft.pk).update(title="Roads & bridges")
    workflow.apply_transition(
        "submit", article=Article.objects.get(pk=draft.pk), user=press_officer
    )

    step = ArticleTransition.objects.get(article=draft)
    messages = {m.to[0]: m for m in notifications.build_messages(step)}

    russian, kazakh = messages[editor.email], messages[second_editor.email]
    assert russian.subject == "Ожидает проверки: Roads & bridges"
    assert kazakh.subject == "Тексеруді күтуде: Roads & bridges"
    link = f"http://127.0.0.1:8000/admin/news/article/{draft.pk}/change/"
    for message, opens in (
        (russian, "Открыть пресс-релиз в админке"),
        (kazakh, "Баспасөз релизін"),
    ):
        assert link in message.body and "&amp;" not in message.body
        html = html_of(message)
        assert f'href="{link}"' in html and opens in html
        assert "Roads &amp; bridges" in html


def test_a_preference_without_a_translation_is_never_english_by_accident(
    draft, press_officer, editor, settings
):
    settings.LANGUAGE_CODE = "ru"  # the site's language, for people who never chose one
    workflow.apply_transition("submit", article=draft, user=press_officer)
    [message] = [
        m for m in notifications.build_messages(step_of(draft, "submit")) if m.to == [editor.email]
    ]
    assert message.subject.startswith("Ожидает проверки")


def test_scheduling_tells_the_author_when_it_goes_live_in_almaty_time(
    press_officer, editor, agency
):
    languages.record_admin_language(press_officer, "ru")
    article = article_in(Status.APPROVED, agency=agency, author=press_officer)
    publish_at = datetime(2030, 3, 1, 4, 30, tzinfo=UTC)  # 09:30 in Almaty
    workflow.apply_transition("schedule", article=article, user=editor, publish_at=publish_at)

    assert notifications.notify_transition(step_of(article, "schedule").pk) == 1
    [message] = mail.outbox
    assert message.to == [press_officer.email]
    assert message.subject == f"Запланировано: {article.title}"
    assert "будет опубликована 1 марта 2030 г. 9:30 (по времени Asia/Almaty)" in message.body
    assert "1 марта 2030 г. 9:30" in html_of(message)


def test_an_unscheduled_release_sends_no_scheduling_email(press_officer, editor, agency):
    article = article_in(Status.APPROVED, agency=agency, author=press_officer)
    workflow.apply_transition(
        "schedule", article=article, user=editor, publish_at=timezone.now() + timedelta(hours=1)
    )
    workflow.apply_transition("unschedule", article=article, user=editor)
    assert notifications.notify_transition(step_of(article, "schedule").pk) == 0


def test_a_mention_is_emailed_in_the_mentioned_persons_language_with_a_link_to_the_remark(
    draft, press_officer, editor, second_editor
):
    languages.record_admin_language(editor, "kk")
    remark, _mentions = remarks.add_remark(
        article=draft, user=press_officer, text="@editor @editor2 check the <date>\nplease"
    )

    assert notifications.notify_remark(remark.pk) == 2
    messages = {m.to[0]: m for m in mail.outbox}
    kazakh, english = messages[editor.email], messages[second_editor.email]
    assert kazakh.subject == f"Сізді атап өтті: {draft.title}"
    assert english.subject == f"You were mentioned: {draft.title}"
    assert f"officer mentioned you in a remark on “{draft.title}”:" in english.body
    assert "check the <date>\nplease" in english.body
    link = f"http://127.0.0.1:8000/admin/news/article/{draft.pk}/change/#remark-{remark.pk}"
    assert link in english.body
    assert f'href="{link}"' in html_of(english)
    assert "check the &lt;date&gt;<br>please" in html_of(english)


def test_a_mention_of_someone_who_lost_access_is_not_sent(draft, press_officer, editor):
    remark, _mentions = remarks.add_remark(article=draft, user=press_officer, text="@editor")
    editor.is_active = False
    editor.save()
    assert notifications.notify_remark(remark.pk) == 0


def test_the_remark_task_sends_the_mentions(draft, press_officer, editor):
    remark, _mentions = remarks.add_remark(article=draft, user=press_officer, text="@editor")
    assert tasks.send_remark_notifications.apply((remark.pk,)).get() == 1


def test_administrators_hear_of_a_disabled_source_each_in_their_language(administrator):
    russian_admin = UserFactory(username="admin-ru", groups=[roles.ADMINISTRATORS])
    languages.record_admin_language(russian_admin, "ru")
    source = ImportSource.objects.create(
        name="Akimat feed", kind=ImportSource.Kind.RSS, consecutive_failures=3
    )
    run = ImportRun.objects.create(source=source, input_name="feed.xml", error_code="connection")

    assert notifications.notify_source_disabled(source.pk, run.pk) == 2

    messages = {m.to[0]: m for m in mail.outbox}
    assert messages[administrator.email].subject == "Import source disabled: Akimat feed"
    assert "The source could not be reached." in messages[administrator.email].body
    russian = messages[russian_admin.email]
    assert russian.subject.startswith("Источник импорта отключён")
    assert "Akimat feed" in html_of(russian)
    assert f"/admin/news/importsource/{source.pk}/change/" in html_of(russian)
