"""Issue 15 end to end in Chromium: a press officer and an editor work the whole desk, each
in Kazakh or Russian. The officer writes a release from their home page, submits it and
mentions the editor in a remark; the editor asks for changes, which the officer's home shows
with the reason; the officer fixes and resubmits; the editor approves, schedules it from the
calendar and it goes live at its time. A flagged import is refused until the editor goes
ahead with a reason, then published.

Every screen is saved as a screenshot under PRESSROOM_TEST_ARTIFACTS (default
test-artifacts/) for a person to look at.
"""

import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.translation import gettext

from news import workflow
from news.models import Article, ArticleTransition, Remark
from people import languages

from ..factories import ArticleFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct-horse-battery"
ARTIFACTS = Path(
    os.environ.get(
        "PRESSROOM_TEST_ARTIFACTS", Path(__file__).resolve().parents[2] / "test-artifacts"
    )
)


class Desk:
    """One person at the admin in a browser page of their language, saving each screen."""

    def __init__(self, browser, base, user, language, shots: Path):
        self.base, self.language, self.shots = base, language, shots
        self.context = browser.new_context(locale=language, viewport={"width": 1366, "height": 900})
        self.context.add_cookies([{"name": "django_language", "value": language, "url": base}])
        self.page = self.context.new_page()
        self.name = user.username
        self.page.goto(f"{base}/admin/login/")
        self.page.fill("#id_username", user.username)
        self.page.fill("#id_password", PASSWORD)
        self.page.click("input[type=submit]")
        self.page.wait_for_url(f"{base}/admin/")

    def t(self, message: str) -> str:
        """`message` as this person's interface says it; never the English of kk or ru."""
        with translation.override(self.language):
            text = gettext(message)
        assert text != message, f"{message!r} has no {self.language} translation"
        return text

    def go(self, path: str):
        self.page.goto(self.base + path)

    def shot(self, name: str, *, phone: bool = False):
        """Save this screen at 1366 px, and at 390 px when `phone`; fail on a page wider
        than the screen."""
        widths = (1366, 390) if phone else (1366,)
        for width in widths:
            self.page.set_viewport_size({"width": width, "height": 900})
            number = len(list(self.shots.glob("*.png"))) + 1
            self.page.screenshot(
                path=self.shots / f"{number:02d}-{self.name}-{self.language}-{name}-{width}.png",
                full_page=True,
            )
            overflow = self.page.evaluate("document.documentElement.scrollWidth") - width
            assert overflow <= 0, f"{name} is {overflow} px wider than {width} px"
        self.page.set_viewport_size({"width": 1366, "height": 900})

    def follow(self, link):
        with self.page.expect_navigation():
            link.click()

    def click_step(self, label: str):
        """A workflow button on the release's form: it saves the form, then opens the step."""
        self.page.click(f"button[name=_workflow]:has-text('{label}')")
        self.page.wait_for_selector("#transition-form, .prepublish-checks")

    def take_step(self):
        self.page.click("#transition-form input[type=submit]")

    def success(self) -> str:
        return self.page.locator(".messagelist .success").inner_text()


@pytest.fixture
def desks(live_server, browser, settings, tmp_path, request):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    cache.clear()  # the live server shares this process's local-memory cache
    shots = (
        ARTIFACTS / "editorial-desk" / f"{request.node.originalname}[{request.node.callspec.id}]"
    )
    shots.mkdir(parents=True, exist_ok=True)
    for old in shots.glob("*.png"):
        old.unlink()
    opened = []

    def open_desk(user, language):
        desk = Desk(browser, live_server.url, user, language, shots)
        opened.append(desk)
        return desk

    yield open_desk
    for desk in opened:
        desk.context.close()


@pytest.mark.parametrize("officer_language, editor_language", [("ru", "kk"), ("kk", "ru")])
def test_an_officer_and_an_editor_take_a_release_through_the_desk(
    desks, press_officer, editor, agency, officer_language, editor_language
):
    languages.record_admin_language(editor, editor_language)
    officer = desks(press_officer, officer_language)
    officer.shot("home", phone=True)

    # Write: the agency and the interface's language come preselected.
    officer.follow(officer.page.locator(f"a.button:has-text('{officer.t('Write a release')}')"))
    assert officer.page.locator("#id_agency").input_value() == str(agency.pk)
    assert officer.page.locator("#id_language").input_value() == officer_language
    officer.page.fill("#id_title", "Акимат открыл новую школу")
    officer.page.fill("#id_lead", "В микрорайоне Нурсат открылась школа на 1200 мест.")
    officer.page.click(".ProseMirror")
    officer.page.keyboard.type("Школа рассчитана на 1200 учеников.")
    officer.page.click("input[name=_continue]")
    officer.page.wait_for_selector(".messagelist .success")
    release = Article.objects.get(title="Акимат открыл новую школу")
    assert (release.agency, release.language) == (agency, officer_language)
    officer.shot("written", phone=True)

    # Submit: the button saves what was typed since, then takes the step.
    officer.page.fill("#id_lead", "В микрорайоне Нурсат открылась новая школа на 1200 мест.")
    officer.click_step(officer.t("Save and submit for review"))
    officer.shot("submit")
    officer.take_step()
    officer.page.wait_for_selector(".messagelist .success")
    release.refresh_from_db()
    assert release.status == Article.Status.IN_REVIEW
    assert release.lead == "В микрорайоне Нурсат открылась новая школа на 1200 мест."

    # A remark mentions the editor, who is emailed in their own language.
    officer.page.fill("#remark-text", "@editor фото будет завтра.")
    officer.page.click(".remarks__form button[type=submit]")
    officer.page.wait_for_url(f"**/admin/news/article/{release.pk}/change/#remark-*")
    assert Remark.objects.get(article=release).author == press_officer
    with translation.override(editor_language):
        mentioned = gettext("You were mentioned: %(title)s") % {"title": release.title}
    assert [message.to for message in mail.outbox if message.subject == mentioned] == [
        [editor.email]
    ]
    officer.shot("remark", phone=True)

    # The editor's home shows the release waiting; they ask for changes with a reason.
    desk = desks(editor, editor_language)
    queue = desk.page.locator("#editor-review_queue")
    assert release.title in queue.inner_text()
    desk.shot("home", phone=True)
    desk.follow(queue.locator(f"a:has-text('{release.title}')"))
    assert "@editor фото будет завтра." in desk.page.locator("#remarks").inner_text()
    desk.shot("review", phone=True)
    desk.click_step(desk.t("Save and request changes"))
    desk.take_step()  # without the reason it needs
    desk.page.wait_for_selector("#transition-form .errorlist")
    desk.shot("reason-required")
    desk.page.fill("#id_comment", "Добавьте дату открытия.")
    desk.take_step()
    desk.page.wait_for_selector(".messagelist .success")

    # The officer's home puts the returned release first, with the reason.
    officer.go("/admin/")
    returned = officer.page.locator("#officer-returned")
    assert "Добавьте дату открытия." in returned.inner_text()
    officer.shot("returned", phone=True)
    officer.follow(returned.locator(f"a:has-text('{release.title}')"))
    assert "Добавьте дату открытия." in officer.page.locator(".workflow-notice").inner_text()
    officer.page.click(".ProseMirror")
    officer.page.keyboard.press("End")
    officer.page.keyboard.type(" Открытие 1 сентября.")
    officer.click_step(officer.t("Save and submit for review"))
    officer.take_step()
    officer.page.wait_for_selector(".messagelist .success")
    release.refresh_from_db()
    assert "Открытие 1 сентября." in release.body
    assert release.status == Article.Status.IN_REVIEW

    # The editor approves, then schedules it from the calendar.
    desk.go(f"/admin/news/article/{release.pk}/change/")
    desk.click_step(desk.t("Save and approve"))
    desk.take_step()
    desk.page.wait_for_selector(".messagelist .success")
    desk.go("/admin/news/article/calendar/")
    waiting = desk.page.locator(f"#awaiting-article-{release.pk}")
    goes_live = timezone.localtime() + timedelta(days=1)
    waiting.locator(f"[name=schedule-{release.pk}-publish_at_0]").fill(goes_live.date().isoformat())
    waiting.locator(f"[name=schedule-{release.pk}-publish_at_1]").fill("10:00")
    desk.shot("calendar-to-schedule", phone=True)
    waiting.locator("button[type=submit]").click()
    desk.page.wait_for_selector(".messagelist .success")
    release.refresh_from_db()
    assert release.status == Article.Status.SCHEDULED
    assert timezone.localtime(release.publish_at).strftime("%Y-%m-%d %H:%M") == (
        f"{goes_live.date().isoformat()} 10:00"
    )
    assert desk.page.locator(f"#calendar-article-{release.pk}").count() == 1
    desk.shot("calendar-scheduled", phone=True)

    # At its time the scheduler publishes it; both homes and the site say so.
    assert workflow.publish_due_articles(now=release.publish_at + timedelta(minutes=1)) == [
        release.pk
    ]
    release.refresh_from_db()
    assert release.status == Article.Status.PUBLISHED
    officer.go(f"/admin/news/article/{release.pk}/change/")
    badge = officer.page.locator(".workflow-status .status-badge").inner_text()
    assert badge == officer.t("published")
    officer.shot("published")
    steps = list(release.transitions.order_by("created_at", "pk").values_list("name", flat=True))
    assert steps == ["submit", "request_changes", "submit", "approve", "schedule", "publish"]
    reader = officer.context.new_page()
    assert reader.goto(f"{officer.base}/{officer_language}/releases/{release.slug}/").ok
    reader.close()


@pytest.mark.parametrize("editor_language", ["kk", "ru"])
def test_a_flagged_import_is_refused_until_the_editor_goes_ahead_with_a_reason(
    desks, editor, agency, editor_language
):
    imported = ArticleFactory(
        agency=agency,
        status=Article.Status.IN_REVIEW,
        title="Заседание акимата.",
        lead="",
        source_key="govkz",
        external_id="12345",
    )
    imported.flags.create(code="language_mismatch")
    desk = desks(editor, editor_language)
    flagged = desk.page.locator("#editor-flagged")
    assert imported.title in flagged.inner_text()
    desk.shot("home", phone=True)
    desk.follow(flagged.locator(f"a:has-text('{imported.title}')"))
    checks = desk.page.locator(".prepublish-checks")
    assert checks.count() == 1
    desk.shot("checks", phone=True)

    desk.click_step(desk.t("Save and approve"))
    assert desk.page.locator("#id_go_ahead").count() == 1
    desk.take_step()  # not going ahead: refused, on the form
    desk.page.wait_for_selector("#transition-form .errorlist")
    assert Article.objects.get(pk=imported.pk).status == Article.Status.IN_REVIEW
    desk.shot("refused", phone=True)

    for step in ("approve", "publish"):
        desk.go(f"/admin/news/article/{imported.pk}/workflow/{step}/")
        desk.page.check("#id_go_ahead")
        desk.page.fill("#id_override_reason", "Заголовок согласован с акиматом.")
        desk.take_step()
        desk.page.wait_for_selector(".messagelist .success")
    imported.refresh_from_db()
    assert imported.status == Article.Status.PUBLISHED
    publish = ArticleTransition.objects.get(article=imported, name="publish")
    assert publish.override_reason == "Заголовок согласован с акиматом."
    assert "flag_language_mismatch" in publish.overridden_checks
    desk.go(f"/admin/news/article/{imported.pk}/change/")
    history = desk.page.locator("#transitions-group").inner_text()
    assert "Заголовок согласован с акиматом." in history
    assert not re.search(r"\b(approve|publish|in_review)\b", history)
    desk.shot("published-anyway", phone=True)
