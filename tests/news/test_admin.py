"""The article admin over HTTP, logged in as each role: scope, workflow, locking, lists."""

import re
from datetime import date, datetime, timedelta
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from news import checks, roles, workflow
from news.forms import ImportUploadForm
from news.models import Article, ArticleTransition
from news.tasks import publish_scheduled_articles

from ..factories import AgencyFactory, ArticleFactory, MembershipFactory, UserFactory, seeded_region
from .helpers import NO_MEDIA, Status, article_in

pytestmark = pytest.mark.django_db

ALMATY = ZoneInfo("Asia/Almaty")
CHANGELIST = "admin:news_article_changelist"
REASON = "Because the figures need a source."


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def change_url(article) -> str:
    return reverse("admin:news_article_change", args=[article.pk])


def transition_url(article, name: str) -> str:
    return reverse("admin:news_article_transition", args=[article.pk, name])


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def transition_post_data(name: str, *, comment: str = REASON) -> dict:
    data = {"comment": comment}
    if name == "schedule":
        when = timezone.localtime(timezone.now() + timedelta(hours=2), ALMATY)
        data |= {"publish_at_0": when.strftime("%Y-%m-%d"), "publish_at_1": when.strftime("%H:%M")}
    return data


class _FormReader(HTMLParser):
    """Collects what a browser would submit from one form of a page."""

    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.in_form = False
        self.fields: dict[str, list[str]] = {}
        self._textarea: str | None = None
        self._textarea_fresh = False
        self._select: str | None = None
        self._option: str | None = None
        self._option_selected = False

    def _add(self, name, value):
        self.fields.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == self.form_id:
            self.in_form = True
        if not self.in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self._add(name, attrs.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self._textarea_fresh = True
            self._add(name, "")
        elif tag == "select" and name:
            self._select = name
            self.fields.setdefault(name, [])
        elif tag == "option" and self._select:
            self._option = attrs.get("value", "")
            self._option_selected = "selected" in attrs

    def handle_endtag(self, tag):
        if tag == "form" and self.in_form:
            self.in_form = False
        elif tag == "textarea":
            self._textarea = None
        elif tag == "option" and self._option is not None:
            if self._option_selected:
                self._add(self._select, self._option)
            self._option = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            if self._textarea_fresh:
                # Browsers drop the newline that Django puts right after <textarea>.
                data = data.removeprefix("\n")
                self._textarea_fresh = False
            self.fields[self._textarea][-1] += data


def form_data(response, form_id: str = "article_form") -> dict:
    """The fields of a rendered admin form as a browser would post them."""
    reader = _FormReader(form_id)
    reader.feed(response.content.decode())
    assert reader.fields, f"no form #{form_id} on the page"
    return {
        name: values[0] if len(values) == 1 else (values or "")
        for name, values in reader.fields.items()
    }


def add_form_data(**fields) -> dict:
    """Everything the add form posts for a minimal article."""
    return {
        "title": "Akimat opens a new school",
        "lead": "A new school opens in September.",
        "body": "<p>The school has 600 places.</p>",
        "tags": "",
        "language": "en",
        "release_date": "2025-03-01",
        "source_url": "",
        "slug": "",
        "region": "",
        "transitions-TOTAL_FORMS": "0",
        "transitions-INITIAL_FORMS": "0",
        "transitions-MIN_NUM_FORMS": "0",
        "transitions-MAX_NUM_FORMS": "1000",
        **NO_MEDIA,
        "_save": "Save",
        **fields,
    }


def changelist_titles(response) -> set[str]:
    return {str(article) for article in response.context["cl"].result_list}


# --- the permission matrix over HTTP ----------------------------------------------------

ROLES = ["press_officer", "editor", "administrator"]
OWNERSHIP = ["own_agency", "other_agency"]


def expected_outcome(role: str, ownership: str, transition: workflow.Transition) -> str:
    """One of: done; refused, shown with the reason; hidden, as the article is not theirs."""
    if role != "press_officer":
        # The press officer wrote the article: only they may take it back from review.
        return "refused" if transition.name == "withdraw" else "done"
    if ownership == "other_agency":
        return "hidden"
    return "done" if transition.permission == workflow.PERM_SUBMIT else "refused"


@pytest.mark.parametrize("ownership", OWNERSHIP)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(workflow.TRANSITIONS))
def test_permission_matrix_through_the_admin(
    request, role, ownership, name, agency, other_agency, press_officer
):
    user = request.getfixturevalue(role)
    client = client_for(user)
    transition = workflow.TRANSITIONS[name]
    outcome = expected_outcome(role, ownership, transition)
    owner_agency = agency if ownership == "own_agency" else other_agency

    for source in sorted(transition.sources):
        article = article_in(source, agency=owner_agency, author=press_officer)
        url = transition_url(article, name)
        shown = client.get(url)
        posted = client.post(url, transition_post_data(name))
        article.refresh_from_db()
        steps = list(article.transitions.all())

        if outcome == "done":
            assert shown.status_code == 200, source
            assert str(transition.label) in shown.content.decode()
            assert 'name="comment"' in shown.content.decode()
            assert posted.status_code == 302, source
            assert posted["Location"] == change_url(article)
            assert article.status == transition.target
            assert [(s.name, s.from_status, s.to_status, s.actor, s.comment) for s in steps] == [
                (name, source, transition.target, user, REASON)
            ]
            assert f"{transition.label} — done" in messages_of(posted)[0]
            continue

        assert article.status == source
        assert steps == []
        if outcome == "refused":
            label = str(transition.label).lower()
            reason = (
                f"You do not have permission to {label} articles."
                if role == "press_officer"
                else "Only the person who submitted this article, or its author, can withdraw it."
            )
            for response in (shown, posted):
                content = response.content.decode()
                assert response.status_code == 409, source
                assert reason in content
                assert 'name="comment"' not in content
        else:
            for response in (shown, posted):
                assert response.status_code == 302, source
                assert response["Location"] == reverse("admin:index")
                assert "doesn’t exist" in messages_of(response)[-1]
            followed = client.get(url, follow=True)
            assert article.title not in followed.content.decode()


@pytest.mark.parametrize("name", list(workflow.TRANSITIONS))
def test_admin_refuses_every_transition_from_a_wrong_state_with_the_reason(
    name, administrator, agency
):
    client = client_for(administrator)
    transition = workflow.TRANSITIONS[name]
    for status in sorted(set(Status) - transition.sources):
        article = article_in(status, agency=agency)
        url = transition_url(article, name)
        for response in (client.get(url), client.post(url, transition_post_data(name))):
            assert response.status_code == 409, status
            assert (
                f"“{transition.label}” is not possible for an article that is "
                f"{article.get_status_display()}." in response.content.decode()
            )
        article.refresh_from_db()
        assert article.status == status
        assert not article.transitions.exists()


def test_unknown_transition_url_is_not_found(draft, editor):
    assert client_for(editor).get(transition_url(draft, "teleport")).status_code == 404


def test_editor_cannot_approve_own_article_over_http(editor, agency):
    article = article_in(Status.IN_REVIEW, agency=agency, author=editor)
    response = client_for(editor).post(transition_url(article, "approve"), {"comment": ""})
    assert response.status_code == 409
    assert "You cannot approve an article you wrote" in response.content.decode()
    article.refresh_from_db()
    assert article.status == Status.IN_REVIEW


def workflow_buttons(page: str) -> dict[str, str]:
    """The change form's workflow buttons that save the form first: step name -> label."""
    return dict(
        (value, label)
        for value, label in re.findall(
            r'<button type="submit" class="button" name="_workflow" value="(\w+)">([^<]*)</button>',
            page,
        )
    )


def test_change_form_offers_only_the_transitions_the_user_may_take(draft, press_officer, editor):
    officer_page = client_for(press_officer).get(change_url(draft)).content.decode()
    assert workflow_buttons(officer_page) == {"submit": "Save and submit for review"}

    editor_page = client_for(editor).get(change_url(draft)).content.decode()
    assert workflow_buttons(editor_page) == {
        "submit": "Save and submit for review",
        "archive": "Save and archive",
    }


def test_a_workflow_button_saves_the_form_then_opens_the_step(draft, press_officer):
    client = client_for(press_officer)
    data = form_data(client.get(change_url(draft))) | {
        "title": "Typed before submitting",
        "_workflow": "submit",
    }
    response = client.post(change_url(draft), data)
    assert response.status_code == 302
    assert response["Location"] == transition_url(draft, "submit")
    assert messages_of(response) == ["Your changes to “Typed before submitting” were saved."]
    draft.refresh_from_db()
    assert (draft.title, draft.status) == ("Typed before submitting", Status.DRAFT)
    assert draft.history.latest().history_user == press_officer


def test_a_workflow_button_on_an_invalid_form_shows_the_errors_and_moves_nothing(
    draft, press_officer
):
    client = client_for(press_officer)
    data = form_data(client.get(change_url(draft))) | {
        "title": "",
        "lead": "A lead typed with the error",
        "_workflow": "submit",
    }
    response = client.post(change_url(draft), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["title"] == ["This field is required."]
    assert form_data(response)["lead"] == "A lead typed with the error"
    draft.refresh_from_db()
    assert (draft.lead, draft.status, draft.history.count()) == ("A short lead.", Status.DRAFT, 1)


def test_enter_in_a_field_saves_the_form_and_takes_no_step(draft, press_officer):
    # A browser submits a form with its first submit button when Enter is pressed in a field.
    page = client_for(press_officer).get(change_url(draft)).content.decode()
    form = page[page.index('id="article_form"') :]
    first_button = re.search(r'<button type="submit"[^>]*>', form).group(0)
    assert 'name="_continue"' in first_button
    assert form.index(first_button) < form.index('name="_workflow"')


def test_the_form_says_the_status_what_happens_next_and_what_to_check(editor, agency):
    article = article_in(Status.APPROVED, agency=agency, lead="")
    page = client_for(editor).get(change_url(article)).content.decode()
    top = page[: page.index('name="title"')]
    assert '<span class="status-badge status-approved">approved</span>' in top
    assert "Approved. An editor publishes it now or schedules a time." in top
    assert "Before publication" in top
    assert "Warning:</strong>\n      The lead is empty." in top
    assert set(workflow_buttons(top)) == {"request_changes", "schedule", "publish", "archive"}

    published = article_in(Status.PUBLISHED, agency=agency, lead="")
    page = client_for(editor).get(change_url(published)).content.decode()
    assert "Live on the site." in page
    assert "Before publication" not in page


def test_a_scheduled_release_says_when_it_goes_live_in_almaty_time(editor, agency):
    when = datetime(2025, 3, 4, 9, 30, tzinfo=ALMATY)
    article = article_in(Status.SCHEDULED, agency=agency, publish_at=when)
    page = client_for(editor).get(change_url(article)).content.decode()
    assert "Goes live on the site at March 4, 2025, 9:30 a.m. (Asia/Almaty)" in page


def test_the_history_names_steps_and_states_by_their_labels(draft, press_officer, editor):
    workflow.apply_transition("submit", article=draft, user=press_officer)
    workflow.apply_transition(
        "approve", article=draft, user=editor, comment="Fine", override_reason="ignored"
    )
    page = client_for(editor).get(change_url(draft)).content.decode()
    history = page[page.index("Workflow history") :]
    assert "Submit for review" in history and "draft → in review" in history
    assert "in review → approved" in history
    for raw in ("in_review", ">submit<", ">approve<", "draft → in_review"):
        assert raw not in history, raw
    with override("ru"):
        client = client_for(editor)
        client.cookies["django_language"] = "ru"
        history = client.get(change_url(draft)).content.decode()
    assert "Отправить на проверку" in history
    assert "черновик → на проверке" in history


def test_a_step_with_warnings_needs_going_ahead_with_a_reason_on_its_page(editor, agency):
    article = article_in(Status.IN_REVIEW, agency=agency, lead="")
    client = client_for(editor)
    url = transition_url(article, "approve")

    page = client.get(url)
    content = page.content.decode()
    assert page.status_code == 200
    assert content.index("The lead is empty.") < content.index('name="comment"')
    assert 'name="go_ahead"' in content and 'name="override_reason"' in content

    refused = client.post(url, {"comment": "Looks right", "override_reason": "Lead is optional"})
    assert refused.status_code == 200
    assert list(refused.context["form"].errors) == ["go_ahead"]
    assert form_data(refused, "transition-form")["comment"] == "Looks right"
    no_reason = client.post(url, {"comment": "Looks right", "go_ahead": "on"})
    assert no_reason.context["form"].errors == {
        "override_reason": ["Say why the release can go ahead despite the warnings."]
    }
    article.refresh_from_db()
    assert article.status == Status.IN_REVIEW

    done = client.post(
        url, {"comment": "Looks right", "go_ahead": "on", "override_reason": "Lead is optional"}
    )
    assert done.status_code == 302
    article.refresh_from_db()
    assert article.status == Status.APPROVED
    step = article.transitions.get()
    assert (step.overridden_checks, step.override_reason) == (["empty_lead"], "Lead is optional")
    history = client.get(change_url(article)).content.decode()
    assert "Lead is optional (despite: empty lead)" in history


def test_a_blocked_step_shows_what_to_put_right_and_no_form(editor, agency):
    article = article_in(Status.IN_REVIEW, agency=agency, body="<p></p>")
    client = client_for(editor)
    url = transition_url(article, "approve")
    page = client.get(url)
    content = page.content.decode()
    assert page.status_code == 409
    assert "Must be put right:</strong>\n      The body is empty." in content
    assert "“Approve” is not possible until" in content
    assert 'name="comment"' not in content

    posted = client.post(url, {"comment": "Approving anyway"})
    assert posted.status_code == 409
    assert posted.context["form"].non_field_errors() == [
        "“Approve” is refused until this is put right: The body is empty."
    ]
    assert form_data(posted, "transition-form")["comment"] == "Approving anyway"
    article.refresh_from_db()
    assert article.status == Status.IN_REVIEW
    assert not article.transitions.exists()


def test_a_read_only_form_links_to_the_steps_it_cannot_save_before(press_officer, agency):
    article = article_in(Status.IN_REVIEW, agency=agency, author=press_officer)
    page = client_for(press_officer).get(change_url(article)).content.decode()
    assert workflow_buttons(page) == {}
    assert (
        f'<a class="button" href="{transition_url(article, "withdraw")}">Withdraw from review</a>'
        in page
    )
    assert 'name="_continue"' not in page


def test_withdraw_is_not_offered_to_who_did_not_submit(press_officer, agency):
    colleague = UserFactory(username="colleague", groups=[roles.PRESS_OFFICERS])
    MembershipFactory(user=colleague, agency=agency)
    article = article_in(Status.IN_REVIEW, agency=agency, author=press_officer)
    page = client_for(colleague).get(change_url(article)).content.decode()
    assert transition_url(article, "withdraw") not in page
    response = client_for(colleague).post(transition_url(article, "withdraw"), {"comment": ""})
    assert response.status_code == 409
    assert "Only the person who submitted this article, or its author" in response.text
    article.refresh_from_db()
    assert article.status == Status.IN_REVIEW


def add_flags_and_steps(article, count: int) -> None:
    """`count` open warning flags and recorded steps by as many people, and a photo not
    described in the release's language: what the checks and the history read."""
    from media_library.models import LeadImage
    from news.models import ArticleFlag

    from ..factories import ImageFactory

    image = ImageFactory(agency=article.agency, alt_en="")
    LeadImage.objects.create(article=article, image=image)
    warnings = [code for code in ArticleFlag.Code if code not in checks.BLOCKING_FLAGS]
    for code in warnings[:count]:
        ArticleFlag.objects.create(article=article, code=code)
    for _n in range(count):
        ArticleTransition.objects.create(
            article=article,
            name="submit",
            from_status=Status.DRAFT,
            to_status=Status.IN_REVIEW,
            actor=UserFactory(),
            overridden_checks=["empty_lead"],
            override_reason="Kept short",
        )


# Measured on PostgreSQL, the same with one flag and step as with six. The change form's
# checks cost five (agency, flags, lead photo, gallery, translation record); the rest is
# the stock form, its inlines, the translation overview and the remarks' thread (one). Each
# gallery photo costs the media inline's own queries (media_library.admin), which is why the
# photos are fixed here. The journalists who received the release under embargo
# (accreditation.admin.DistributionInline) cost one, their openings counted in it.
CHANGE_FORM_MAX_QUERIES = 32
TRANSITION_PAGE_MAX_QUERIES = 13


@pytest.mark.parametrize("count", [1, 6])
def test_the_change_form_and_a_step_page_cost_fixed_queries(
    count, editor, agency, press_officer, django_assert_max_num_queries
):
    article = article_in(Status.IN_REVIEW, agency=agency, author=press_officer)
    add_flags_and_steps(article, count)
    client = client_for(editor)
    client.get(change_url(article))  # the session and caches warmed as for a person
    with django_assert_max_num_queries(CHANGE_FORM_MAX_QUERIES):
        page = client.get(change_url(article))
    assert len(page.context["prepublish_checks"]) == count + 1
    assert page.content.decode().count("Kept short (despite: empty lead)") == count
    with django_assert_max_num_queries(TRANSITION_PAGE_MAX_QUERIES):
        step = client.get(transition_url(article, "approve"))
    assert 'name="go_ahead"' in step.content.decode()


# --- request changes ------------------------------------------------------------------


def test_request_changes_without_a_reason_is_refused_with_a_message(press_officer, editor, agency):
    article = article_in(Status.IN_REVIEW, agency=agency, author=press_officer)
    response = client_for(editor).post(
        transition_url(article, "request_changes"), {"comment": "   "}
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Reason (shown to the author)" in content
    assert "This field is required." in content
    article.refresh_from_db()
    assert article.status == Status.IN_REVIEW
    assert not article.transitions.exists()


def test_the_author_sees_the_reason_for_requested_changes(press_officer, editor, agency):
    article = article_in(Status.IN_REVIEW, agency=agency, author=press_officer)
    response = client_for(editor).post(
        transition_url(article, "request_changes"),
        {"comment": "Add the investment figures & their source."},
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Status.CHANGES_REQUESTED

    page = client_for(press_officer).get(change_url(article))
    content = page.content.decode()
    assert page.status_code == 200
    assert "Changes requested" in content
    assert "by editor" in content
    assert "Add the investment figures &amp; their source." in content
    assert 'name="title"' in content  # editable again by its author
    assert workflow_buttons(content) == {"submit": "Save and submit for review"}


# --- scope: what a press officer sees and reaches -------------------------------------


def test_changelist_shows_a_press_officer_only_their_agencies(
    press_officer, other_officer, editor, agency, other_agency
):
    own = ArticleFactory(agency=agency, title="Own agency release")
    other = ArticleFactory(agency=other_agency, title="Other agency release")
    unresolved = ArticleFactory(agency=None, region=None, title="Imported, agency unknown")

    officer = client_for(press_officer).get(reverse(CHANGELIST))
    assert changelist_titles(officer) == {own.title}
    assert other.title not in officer.content.decode()
    assert other_agency.name_en not in officer.content.decode()  # not even as a filter choice

    assert changelist_titles(client_for(other_officer).get(reverse(CHANGELIST))) == {other.title}
    assert changelist_titles(client_for(editor).get(reverse(CHANGELIST))) == {
        own.title,
        other.title,
        unresolved.title,
    }


def test_changelist_shows_status_at_a_glance(editor, agency):
    article_in(Status.SCHEDULED, agency=agency, title="Embargoed release")
    content = client_for(editor).get(reverse(CHANGELIST)).content.decode()
    assert '<span class="status-badge status-scheduled">scheduled</span>' in content


def test_changelist_row_carries_source_flags_and_last_change_in_four_columns(editor, agency):
    article = article_in(Status.IN_REVIEW, agency=agency, title="Flagged release", author=editor)
    article.flags.create(code="region_unresolved")
    response = client_for(editor).get(reverse(CHANGELIST))
    assert response.context["cl"].list_display[1:] == [
        "title_and_source", "status_and_flags", "release_date", "last_change",
    ]  # fmt: skip
    row = response.content.decode()
    assert f'Flagged release<span class="list-source">English · {agency}' in row
    assert '<span class="flag-chip">region unresolved</span>' in row
    assert f'<span class="list-source">{article.author}</span>' in row


def test_new_release_starts_with_the_officers_agency_region_and_interface_language(
    press_officer, agency
):
    region = seeded_region("KZ-75")
    agency.region = region
    agency.save()
    client = client_for(press_officer)
    client.cookies["django_language"] = "kk"
    initial = client.get(reverse("admin:news_article_add")).context["adminform"].form.initial
    assert (initial["agency"], initial["region"], initial["language"]) == (
        agency.pk, region.pk, "kk",
    )  # fmt: skip


def test_new_release_leaves_the_agency_to_choose_for_someone_writing_for_several(editor):
    AgencyFactory.create_batch(2)
    form = client_for(editor).get(reverse("admin:news_article_add")).context["adminform"].form
    assert "agency" not in form.initial
    assert form.initial["language"] == "en"


def test_direct_urls_to_another_agencys_article_leak_nothing(
    press_officer, other_officer, other_agency
):
    article = ArticleFactory(
        agency=other_agency,
        author=other_officer,
        title="Confidential draft of agency B",
        body="<p>Secret figures 4711</p>",
    )
    article.title = "Confidential draft of agency B, second version"
    article.save()
    revision = article.history.earliest()
    client = client_for(press_officer)

    urls = [
        change_url(article),
        reverse("admin:news_article_history", args=[article.pk]),
        reverse("admin:news_article_revision", args=[article.pk, revision.history_id]),
        reverse("admin:news_article_simple_history", args=[article.pk, revision.history_id]),
        reverse("admin:news_article_delete", args=[article.pk]),
        transition_url(article, "submit"),
    ]
    for url in urls:
        for response in (client.get(url), client.post(url, {"title": "Hijacked"})):
            content = response.content.decode()
            assert response.status_code in (302, 403, 404), url
            assert "Confidential" not in content, url
            assert "4711" not in content, url
        followed = client.get(url, follow=True)
        assert "Confidential" not in followed.content.decode(), url
    article.refresh_from_db()
    assert article.title == "Confidential draft of agency B, second version"
    assert article.history.count() == 2


def test_history_of_an_article_moved_to_another_agency_is_closed_to_its_former_officer(
    press_officer, editor, agency, other_agency
):
    article = ArticleFactory(agency=agency, author=press_officer, title="Moved release")
    first = article.history.earliest()
    moved = Article.objects.get(pk=article.pk)
    moved.agency = other_agency
    moved.title = "Now agency B's release"
    moved.save()

    client = client_for(press_officer)
    for name, args in (
        ("history", [article.pk]),
        ("simple_history", [article.pk, first.history_id]),
        ("revision", [article.pk, first.history_id]),
    ):
        response = client.get(reverse(f"admin:news_article_{name}", args=args), follow=True)
        assert "Now agency B" not in response.content.decode(), name
        assert "Moved release" not in response.content.decode(), name


def test_press_officer_adds_articles_only_for_their_agency(press_officer, agency, other_agency):
    client = client_for(press_officer)
    add_url = reverse("admin:news_article_add")

    page = client.get(add_url)
    assert list(page.context["adminform"].form.fields["agency"].queryset) == [agency]

    refused = client.post(add_url, add_form_data(agency=other_agency.pk))
    assert refused.status_code == 200
    assert "Select a valid choice" in refused.content.decode()
    assert not Article.objects.exists()

    created = client.post(add_url, add_form_data(agency=agency.pk, status="published"))
    assert created.status_code == 302
    article = Article.objects.get()
    assert (article.agency, article.author, article.status) == (
        agency,
        press_officer,
        Status.DRAFT,
    )
    assert article.slug == "akimat-opens-a-new-school"


def test_agency_autocomplete_offers_a_press_officer_only_their_agencies(
    client, press_officer, editor, agency, other_agency
):
    url = "/admin/autocomplete/?app_label=news&model_name=article&field_name=agency&term=agency-"

    client.force_login(press_officer)
    officer = client.get(url).json()["results"]
    assert officer == [{"id": str(agency.pk), "text": "Agency A"}]

    client.force_login(editor)
    assert [r["id"] for r in client.get(url).json()["results"]] == [
        str(agency.pk),
        str(other_agency.pk),
    ]


def test_press_officer_cannot_edit_an_article_in_review(press_officer, agency):
    article = article_in(
        Status.IN_REVIEW, agency=agency, author=press_officer, title="Under review"
    )
    client = client_for(press_officer)

    page = client.get(change_url(article))
    content = page.content.decode()
    assert page.status_code == 200
    assert "Under review" in content
    assert 'name="title"' not in content
    assert 'name="_save"' not in content
    assert transition_url(article, "withdraw") in content

    response = client.post(change_url(article), add_form_data(title="Rewritten in review"))
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.title == "Under review"
    assert article.history.count() == 1


@pytest.mark.parametrize("status", list(Status))
@pytest.mark.parametrize("role", ["press_officer", "editor"])
def test_change_form_is_editable_only_in_the_states_the_role_may_edit(
    request, role, status, press_officer, agency
):
    editable = {
        "press_officer": {Status.DRAFT, Status.CHANGES_REQUESTED},
        "editor": set(Status) - {Status.ARCHIVED},
    }[role]
    article = article_in(status, agency=agency, author=press_officer, title="Stateful")
    client = client_for(request.getfixturevalue(role))

    page = client.get(change_url(article))
    assert page.status_code == 200
    assert ('name="title"' in page.content.decode()) == (status in editable)

    response = client.post(change_url(article), form_data(page) | {"title": "Edited"})
    article.refresh_from_db()
    if status in editable:
        assert response.status_code == 302
        assert article.title == "Edited"
    else:
        assert response.status_code == 403
        assert article.title == "Stateful"
    assert article.status == status


def test_editor_edits_an_article_in_review(press_officer, editor, agency):
    article = article_in(Status.IN_REVIEW, agency=agency, author=press_officer)
    client = client_for(editor)
    data = form_data(client.get(change_url(article)))
    data["title"] = "Edited by the editor"
    response = client.post(change_url(article), data)
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.title, article.status, article.author) == (
        "Edited by the editor",
        Status.IN_REVIEW,
        press_officer,
    )
    assert article.history.latest().history_user == editor


# --- the optimistic lock ----------------------------------------------------------------


def test_second_of_two_concurrent_saves_is_refused_and_the_first_stays(
    draft, press_officer, editor
):
    officer, editor_client = client_for(press_officer), client_for(editor)
    officer_form = form_data(officer.get(change_url(draft)))
    editor_form = form_data(editor_client.get(change_url(draft)))
    assert officer_form["expected_version"] == editor_form["expected_version"] == "1"

    officer_form |= {"title": "The officer's title", "_save": "Save"}
    first = officer.post(change_url(draft), officer_form)
    assert first.status_code == 302

    editor_form |= {"title": "The editor's title", "body": "<p>Editor's body</p>", "_save": "Save"}
    second = editor_client.post(change_url(draft), editor_form)
    assert second.status_code == 200
    assert "Someone else saved this article while you were editing it." in second.text
    draft.refresh_from_db()
    assert draft.title == "The officer's title"
    assert draft.body == "<p>The body of the release.</p>"
    assert draft.history.count() == 2

    # Reloaded, the editor sees the officer's version and can save on top of it.
    reloaded = form_data(editor_client.get(change_url(draft)))
    assert reloaded["title"] == "The officer's title"
    reloaded["title"] = "The editor's title"
    assert editor_client.post(change_url(draft), reloaded).status_code == 302
    draft.refresh_from_db()
    assert draft.title == "The editor's title"


def test_a_workflow_step_in_between_also_refuses_a_stale_form(press_officer, editor, agency):
    article = article_in(Status.IN_REVIEW, agency=agency, author=press_officer)
    client = client_for(editor)
    stale = form_data(client.get(change_url(article)))
    client_for(press_officer).post(transition_url(article, "withdraw"), {"comment": ""})
    stale["title"] = "Edited after withdrawal"
    response = client.post(change_url(article), stale)
    assert response.status_code == 200
    assert "Someone else saved this article" in response.content.decode()
    article.refresh_from_db()
    assert article.status == Status.DRAFT
    assert article.title != "Edited after withdrawal"


# --- bulk actions -----------------------------------------------------------------------


def run_action(client, action: str, articles) -> list[str]:
    response = client.post(
        reverse(CHANGELIST),
        {"action": action, "_selected_action": [a.pk for a in articles], "index": "0"},
        follow=True,
    )
    assert [url for url, _status in response.redirect_chain] == [reverse(CHANGELIST)]
    return [str(message) for message in response.context["messages"]]


def test_bulk_approve_reports_each_article(press_officer, editor, agency, other_agency):
    ready = [
        article_in(Status.IN_REVIEW, agency=agency, author=press_officer, title=f"Ready {n}")
        for n in (1, 2)
    ]
    own = article_in(Status.IN_REVIEW, agency=other_agency, author=editor, title="Own work")
    draft = article_in(Status.DRAFT, agency=agency, title="Still a draft")

    messages = run_action(client_for(editor), "bulk_approve", [*ready, own, draft])

    assert messages == [
        "2 articles approved: “Ready 1”; “Ready 2”",
        "“Own work” was not changed: You cannot approve an article you wrote; "
        "another editor must review it.",
        "“Still a draft” was not changed: “Approve” is not possible for an article that is draft.",
    ]
    statuses = dict(Article.objects.values_list("title", "status"))
    assert statuses == {
        "Ready 1": Status.APPROVED,
        "Ready 2": Status.APPROVED,
        "Own work": Status.IN_REVIEW,
        "Still a draft": Status.DRAFT,
    }
    assert ArticleTransition.objects.filter(name="approve", actor=editor).count() == 2


def test_bulk_publish_reports_each_article(editor, agency):
    approved = article_in(Status.APPROVED, agency=agency, title="Approved one")
    scheduled = article_in(Status.SCHEDULED, agency=agency, title="Scheduled one")
    in_review = article_in(Status.IN_REVIEW, agency=agency, title="Not reviewed")
    published = article_in(Status.PUBLISHED, agency=agency, title="Already out")

    messages = run_action(
        client_for(editor), "bulk_publish", [approved, scheduled, in_review, published]
    )

    assert messages[0] == "2 articles published: “Approved one”; “Scheduled one”"
    assert sorted(messages[1:]) == [
        "“Already out” was not changed: “Publish now” is not possible for an article that is "
        "published.",
        "“Not reviewed” was not changed: “Publish now” is not possible for an article that "
        "is in review.",
    ]
    for article, status in (
        (approved, Status.PUBLISHED),
        (scheduled, Status.PUBLISHED),
        (in_review, Status.IN_REVIEW),
        (published, Status.PUBLISHED),
    ):
        article.refresh_from_db()
        assert article.status == status, article.title
    assert approved.published_at is not None
    assert not published.transitions.exists()


def test_bulk_publish_refuses_releases_failing_their_checks_one_by_one(editor, agency):
    ready = article_in(Status.APPROVED, agency=agency, title="Ready")
    empty = article_in(Status.APPROVED, agency=agency, title="Empty", body="")
    no_lead = article_in(Status.APPROVED, agency=agency, title="No lead", lead="")

    messages = run_action(client_for(editor), "bulk_publish", [ready, empty, no_lead])

    assert messages == [
        "1 article published: “Ready”",
        "“Empty” was not changed: “Publish now” is refused until this is put right: "
        "The body is empty.",
        "“No lead” was not changed: Check this before “Publish now”: The lead is empty. "
        "To go ahead anyway, say why.",
    ]
    statuses = dict(Article.objects.values_list("title", "status"))
    assert statuses == {
        "Ready": Status.PUBLISHED,
        "Empty": Status.APPROVED,
        "No lead": Status.APPROVED,
    }


@pytest.mark.parametrize(
    ("language", "done"),
    [
        ("ru", ["2 статьи одобрены: «A»; «B»", "5 статей одобрено:"]),
        ("kk", ["2 мақала мақұлданды: «A»; «B»", "5 мақала мақұлданды:"]),
    ],
)
def test_bulk_results_are_in_the_editors_language(language, done, editor, agency):
    articles = [article_in(Status.IN_REVIEW, agency=agency, title=title) for title in ("A", "B")]
    client = client_for(editor)
    client.cookies["django_language"] = language
    messages = run_action(client, "bulk_approve", articles)
    assert messages[0].replace("“", "«").replace("”", "»") == done[0]
    with override(language):
        from django.utils.translation import ngettext

        assert (
            ngettext("%(count)d article approved:", "%(count)d articles approved:", 5)
            % {"count": 5}
            == done[1]
        )


def test_press_officer_cannot_run_editor_actions(press_officer, agency):
    article = article_in(Status.IN_REVIEW, agency=agency, author=press_officer)
    client = client_for(press_officer)
    actions = client.get(reverse(CHANGELIST)).context["action_form"].fields["action"].choices
    # Requesting translations of their own agency's articles is a press officer's work too.
    assert [name for name, _label in actions if name] == ["bulk_submit", "translate_missing"]

    for action in ("bulk_approve", "bulk_publish", "bulk_archive"):
        assert run_action(client, action, [article]) == ["No action selected."]
    article.refresh_from_db()
    assert article.status == Status.IN_REVIEW
    assert not article.transitions.exists()


def test_bulk_submit_by_a_press_officer_never_touches_other_agencies(
    press_officer, agency, other_agency
):
    own = article_in(Status.DRAFT, agency=agency, title="Own draft")
    foreign = article_in(Status.DRAFT, agency=other_agency, title="Foreign draft")

    messages = run_action(client_for(press_officer), "bulk_submit", [own, foreign])

    assert messages == ["1 article submitted: “Own draft”"]
    own.refresh_from_db()
    foreign.refresh_from_db()
    assert (own.status, foreign.status) == (Status.IN_REVIEW, Status.DRAFT)


# --- filters and search -----------------------------------------------------------------


@pytest.fixture
def assorted(agency, other_agency):
    """Articles that differ in one attribute each, for the filters to tell apart."""
    almaty = seeded_region("KZ-75")
    return {
        "review": article_in(Status.IN_REVIEW, agency=agency, title="Water supply in Shymkent"),
        "draft": ArticleFactory(agency=agency, title="Draft about roads"),
        "other": ArticleFactory(
            agency=other_agency, region=almaty, title="Almaty metro extension", language="ru"
        ),
        "old": ArticleFactory(
            agency=agency, title="Last year's harvest", release_date=date(2024, 9, 1)
        ),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (lambda a: {"status__exact": "in_review"}, {"review"}),
        (lambda a: {"agency__id__exact": a["other"].agency_id}, {"other"}),
        (lambda a: {"region__id__exact": a["other"].region_id}, {"other"}),
        (lambda a: {"language__exact": "ru"}, {"other"}),
        (
            lambda a: {"release_date__gte": "2024-01-01", "release_date__lt": "2025-01-01"},
            {"old"},
        ),
        (lambda a: {"q": "metro"}, {"other"}),
        (lambda a: {"q": "agency-b"}, {"other"}),  # by the agency's slug
        (lambda a: {}, {"review", "draft", "other", "old"}),
    ],
    ids=["status", "agency", "region", "language", "release_date", "search", "agency-slug", "all"],
)
def test_changelist_filters_and_search_narrow_the_list(editor, assorted, query, expected):
    response = client_for(editor).get(reverse(CHANGELIST), query(assorted))
    assert response.status_code == 200
    assert changelist_titles(response) == {assorted[key].title for key in expected}


def test_filters_offer_the_choices_in_scope(press_officer, editor, assorted, other_agency):
    other = assorted["other"]
    editor_page = client_for(editor).get(reverse(CHANGELIST)).content.decode()
    assert f"?agency__id__exact={other_agency.pk}" in editor_page
    assert f"?region__id__exact={other.region_id}" in editor_page
    assert "?release_date__gte=" in editor_page
    assert "?status__exact=in_review" in editor_page
    assert "?language__exact=ru" in editor_page

    officer = client_for(press_officer)
    officer_page = officer.get(reverse(CHANGELIST)).content.decode()
    assert f"?agency__id__exact={other_agency.pk}" not in officer_page
    # Asking for another agency's articles by URL still shows none of them.
    filtered = officer.get(reverse(CHANGELIST), {"agency__id__exact": other_agency.pk})
    assert changelist_titles(filtered) == set()


# --- changelist query count -------------------------------------------------------------


def bulk_articles(count: int, *, agencies, authors, prefix: str) -> None:
    """Create many articles in one query; bulk_create skips save(), so set slugs here."""
    regions = [seeded_region(code) for code in ("KZ-75", "KZ-71", "KZ-79")]
    statuses = [Status.DRAFT, Status.IN_REVIEW, Status.APPROVED, Status.CHANGES_REQUESTED]
    Article.objects.bulk_create(
        Article(
            title=f"{prefix} release {n}",
            slug=f"{prefix}-release-{n}",
            body="<p>Body</p>",
            language=["kk", "ru", "en"][n % 3],
            agency=agencies[n % len(agencies)],
            region=regions[n % len(regions)],
            author=authors[n % len(authors)],
            status=statuses[n % len(statuses)],
            release_date=date(2025, 1, 1) + timedelta(days=n % 60),
        )
        for n in range(count)
    )


def changelist_queries(client, query=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse(CHANGELIST), query or {})
    assert response.status_code == 200
    return len(captured)


# Session, user, 2 × permissions, agency filter, region filter, count, page, the page's flags;
# a press officer's agency memberships make one more. Measured on PostgreSQL; none per row.
CHANGELIST_MAX_QUERIES = {"editor": 9, "press_officer": 10}


@pytest.mark.parametrize("role", ["editor", "press_officer"])
def test_changelist_queries_stay_fixed_from_20_to_200_articles(
    request, role, agency, other_agency, press_officer
):
    user = request.getfixturevalue(role)
    client = client_for(user)
    agencies = [agency, other_agency, *AgencyFactory.create_batch(3)]
    authors = [press_officer, UserFactory(), None]

    bulk_articles(20, agencies=agencies, authors=authors, prefix="first")
    with_20 = changelist_queries(client)
    bulk_articles(180, agencies=agencies, authors=authors, prefix="more")
    assert Article.objects.count() == 200

    with_200 = changelist_queries(client)
    assert with_200 == with_20
    response = client.get(reverse(CHANGELIST))
    rows = min(workflow.articles_visible_to(user).count(), 50)
    assert rows >= 40  # a full page for the editor, the officer's 40 of 200
    assert len(response.context["cl"].result_list) == rows
    assert response.content.decode().count('class="status-badge') == rows
    filtered = changelist_queries(client, {"status__exact": "in_review", "q": "release"})
    assert filtered == with_20


@pytest.mark.parametrize("role", ["editor", "press_officer"])
def test_changelist_of_200_articles_within_fixed_queries(
    request, role, agency, other_agency, press_officer, django_assert_max_num_queries
):
    user = request.getfixturevalue(role)
    client = client_for(user)
    agencies = [agency, other_agency, *AgencyFactory.create_batch(3)]
    bulk_articles(200, agencies=agencies, authors=[press_officer, None], prefix="bulk")
    with django_assert_max_num_queries(CHANGELIST_MAX_QUERIES[role]):
        response = client.get(reverse(CHANGELIST))
    visible = 200 if role == "editor" else 40
    assert response.context["cl"].result_count == visible
    assert len(response.context["cl"].result_list) == min(visible, 50)


# --- scheduling through the admin -------------------------------------------------------


def test_schedule_through_the_admin_and_the_beat_task_publishes_on_time(
    press_officer, editor, agency
):
    start = datetime(2025, 3, 3, 10, 0, tzinfo=ALMATY)
    publish_at = datetime(2025, 3, 3, 15, 30, tzinfo=ALMATY)
    with time_machine.travel(start, tick=False):
        article = article_in(Status.APPROVED, agency=agency, author=press_officer)
        client = client_for(editor)
        form_page = client.get(transition_url(article, "schedule")).content.decode()
        assert "Publish at (Asia/Almaty)" in form_page
        response = client.post(
            transition_url(article, "schedule"),
            {"publish_at_0": "2025-03-03", "publish_at_1": "15:30", "comment": ""},
        )
        assert response.status_code == 302
        article.refresh_from_db()
        assert (article.status, article.publish_at) == (Status.SCHEDULED, publish_at)
        assert publish_scheduled_articles() == []

    with time_machine.travel(publish_at - timedelta(seconds=1), tick=False):
        assert publish_scheduled_articles.delay().get() == []
        article.refresh_from_db()
        assert article.status == Status.SCHEDULED

    with time_machine.travel(publish_at + timedelta(seconds=20), tick=False):
        assert publish_scheduled_articles.delay().get() == [article.pk]
        article.refresh_from_db()
        assert article.status == Status.PUBLISHED
        assert article.published_at == publish_at + timedelta(seconds=20)
        step = article.transitions.get(name="publish")
        assert (step.actor, step.from_status, step.comment) == (
            None,
            Status.SCHEDULED,
            "Scheduled publication",
        )
        page = client.get(change_url(article)).content.decode()
        assert "Scheduled publication" in page  # the workflow history inline


def test_schedule_in_the_past_is_refused_with_the_reason(editor, agency):
    with time_machine.travel(datetime(2025, 3, 3, 10, 0, tzinfo=ALMATY), tick=False):
        article = article_in(Status.APPROVED, agency=agency)
        response = client_for(editor).post(
            transition_url(article, "schedule"),
            {"publish_at_0": "2025-03-03", "publish_at_1": "09:59", "comment": "For the morning"},
        )
        assert response.status_code == 409
        # On the form, by the time, with what was typed kept.
        assert response.context["form"].errors == {
            "publish_at": ["Choose a publication time in the future."]
        }
        data = form_data(response, "transition-form")
        assert (data["publish_at_0"], data["publish_at_1"], data["comment"]) == (
            "2025-03-03",
            "09:59",
            "For the morning",
        )
        article.refresh_from_db()
        assert (article.status, article.publish_at) == (Status.APPROVED, None)


def test_schedule_without_a_time_is_refused(editor, agency):
    article = article_in(Status.APPROVED, agency=agency)
    response = client_for(editor).post(transition_url(article, "schedule"), {"comment": ""})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    article.refresh_from_db()
    assert article.status == Status.APPROVED


# --- importing in the admin -----------------------------------------------------------

IMPORT_DIGEST = (
    "Regions\n"
    "Akimat opens a new library in Kostanay 03.02.2026\n"
    "The library has ten thousand books."
    "Source : https://www.gov.kz/memleket/entities/kostanay/press/news/details/77?lang=en\n"
    "A release without any agency 04.02.2026\n"
    "Nobody signed this one.\n"
)


def upload(client, content: bytes, name="digest.txt", **fields):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        reverse("admin:news_importrun_add"),
        {"file": SimpleUploadedFile(name, content), "format": "auto", **fields},
    )


def test_editor_uploads_a_digest_and_sees_the_run_and_flagged_articles(
    editor, django_capture_on_commit_callbacks
):
    from news.models import ImportRun

    client = client_for(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, IMPORT_DIGEST.encode())
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:news_importrun_change", args=[run.pk])
    assert (run.status, run.created, run.flagged, run.triggered_by) == (
        ImportRun.Status.SUCCEEDED, 2, 1, editor
    )  # fmt: skip

    page = client.get(response["Location"]).content.decode()
    assert "2 created, 0 updated, 0 unchanged, 1 flagged, 0 failed." in page
    assert 'http-equiv="refresh"' not in page  # only while running

    flagged = client.get(
        reverse("admin:news_article_changelist"), {"flags__code__exact": "agency_unresolved"}
    ).content.decode()
    assert "A release without any agency" in flagged
    assert "Akimat opens a new library" not in flagged


def test_an_uploaded_release_cut_for_length_is_kept_whole_on_its_run_page(
    editor, django_capture_on_commit_callbacks
):
    from news.models import ImportRun

    from .helpers import ENORMOUS_ENDING, enormous_release

    client = client_for(editor)
    client.cookies["django_language"] = "ru"
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, enormous_release("digest"), name="enormous.txt")
    run = ImportRun.objects.get()
    kept = run.items.get()
    # What the run keeps is the release, not only the uploaded file it came in.
    ImportRun.objects.filter(pk=run.pk).update(payload=None)
    page = client.get(reverse("admin:news_importrun_change", args=[run.pk])).content.decode()
    assert "Релиз слишком длинный" in page
    assert ENORMOUS_ENDING in page
    assert kept.article.flags.filter(code="body_truncated").exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_finished_upload_is_never_said_to_be_importing(editor):
    """Without a task queue (the embedded default) the import runs as the run is committed,
    before the redirect: the message says it has finished."""
    client = client_for(editor)
    response = upload(client, IMPORT_DIGEST.encode())
    said = messages_of(response)
    assert said == ["The import of “digest.txt” has finished; its result is below."]


def test_a_queued_upload_says_it_is_being_imported(editor):
    response = upload(client_for(editor), IMPORT_DIGEST.encode())  # not yet committed
    assert messages_of(response) == [
        "“digest.txt” is being imported; this page shows its progress."
    ]


def test_a_run_page_links_to_the_releases_it_created_updated_and_left_flagged(
    editor, django_capture_on_commit_callbacks
):
    from news.models import Article, ImportRun

    client = client_for(editor)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, IMPORT_DIGEST.encode())
    first = ImportRun.objects.get()
    changed = IMPORT_DIGEST.replace("Nobody signed this one.", "Nobody signed this one yet.")
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, changed.encode(), name="digest-again.txt")
    second = ImportRun.objects.exclude(pk=first.pk).get()
    assert (second.created, second.updated) == (0, 1)
    unsigned = Article.objects.get(title="A release without any agency")
    Article.objects.create(title="Typed by hand", language="en", agency=unsigned.agency)

    page = client.get(reverse("admin:news_importrun_change", args=[first.pk])).content.decode()
    assert "2 releases created" in page
    assert "0 releases updated" in page
    assert "1 release still flagged" in page

    def listed(run, outcome):
        query = {"import_run": run.pk, **({"import_outcome": outcome} if outcome else {})}
        return changelist_titles(client.get(reverse(CHANGELIST), query))

    library = "Akimat opens a new library in Kostanay"
    assert listed(first, "created") == {library, unsigned.title}
    assert listed(first, "flagged") == {unsigned.title}
    assert listed(first, "updated") == set()
    assert listed(first, "") == {library, unsigned.title}
    assert listed(second, "updated") == {unsigned.title}
    assert listed(second, "created") == set()
    assert f"?import_run={first.pk}&amp;import_outcome=created" in page
    # The side bar names the run the list is narrowed to.
    filtered = client.get(reverse(CHANGELIST), {"import_run": first.pk}).content.decode()
    assert str(first) in filtered


def test_an_import_run_filter_it_cannot_read_lists_nothing_of_a_run(editor):
    from news.models import ImportRun

    ArticleFactory(title="Hand-written")
    run = ImportRun.objects.create(input_name="x.txt", status=ImportRun.Status.SUCCEEDED)
    client = client_for(editor)
    assert changelist_titles(client.get(reverse(CHANGELIST), {"import_run": run.pk})) == set()
    deleted = run.pk + 1
    assert changelist_titles(client.get(reverse(CHANGELIST), {"import_run": deleted})) == set()
    arabic = str(run.pk).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    response = client.get(reverse(CHANGELIST), {"import_run": arabic})
    assert changelist_titles(response) == {"Hand-written"}  # not read as a run: unfiltered


def test_running_import_page_refreshes_itself(editor):
    from news.models import ImportRun

    run = ImportRun.objects.create(input_name="big.txt", processed=120)
    page = client_for(editor).get(reverse("admin:news_importrun_change", args=[run.pk]))
    text = page.content.decode()
    assert 'http-equiv="refresh"' in text
    assert "120 releases processed so far" in text


def test_a_failed_run_and_its_items_give_the_reason_in_the_editors_language(editor):
    from news.models import ImportItem, ImportRun

    run = ImportRun.objects.create(
        input_name="feed.xml",
        status=ImportRun.Status.FAILED,
        error_code="timeout",
        error_message="https://example.kz/rss did not answer within 20 s.",
    )
    ImportItem.objects.create(
        run=run, item="line 1", outcome=ImportItem.Outcome.FAILED, code="orphan_text",
        message="Text before the first release.", raw="…",
    )  # fmt: skip
    client = client_for(editor)
    client.cookies["django_language"] = "ru"
    page = client.get(reverse("admin:news_importrun_change", args=[run.pk])).content.decode()
    assert "Источник не ответил вовремя." in page
    assert "https://example.kz/rss did not answer within 20 s." in page
    assert "Текст вне релизов отложен отдельно." in page


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.exe", b"MZ", "cannot be imported"),
        ("huge.txt", b"x" * 2048, "files up to"),
    ],
)
def test_upload_refuses_wrong_types_and_sizes(editor, settings, name, content, message):
    from news.models import ImportRun

    settings.PRESSROOM_IMPORT_MAX_UPLOAD_BYTES = 1024
    response = upload(client_for(editor), content, name=name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ImportRun.objects.exists()


def test_press_officer_cannot_import(press_officer):
    client = client_for(press_officer)
    assert client.get(reverse("admin:news_importrun_add")).status_code == 403
    assert upload(client, IMPORT_DIGEST.encode()).status_code == 403


def test_saving_a_source_keeps_its_beat_entry_in_step(administrator):
    from django_celery_beat.models import CrontabSchedule

    from news.models import ImportSource

    schedule = CrontabSchedule.objects.create(minute="0", hour="*/2")
    client = client_for(administrator)
    response = client.post(
        reverse("admin:news_importsource_add"),
        {
            "name": "Akorda",
            "kind": "rss",
            "location": "https://www.akorda.kz/ru/rss",
            "language": "ru",
            "enabled": "on",
            "schedule": schedule.pk,
            "max_consecutive_failures": 3,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    source = ImportSource.objects.get()
    assert (source.periodic_task.crontab, source.periodic_task.enabled) == (schedule, True)

    source.consecutive_failures, source.enabled = 3, False
    source.save()
    client.post(
        reverse("admin:news_importsource_change", args=[source.pk]),
        {
            "name": "Akorda",
            "kind": "rss",
            "location": "https://www.akorda.kz/ru/rss",
            "language": "ru",
            "enabled": "on",
            "schedule": "",
            "max_consecutive_failures": 3,
        },
    )
    source.refresh_from_db()
    assert (source.enabled, source.consecutive_failures, source.periodic_task) == (True, 0, None)


def test_import_now_queues_enabled_sources_only(
    administrator, monkeypatch, django_capture_on_commit_callbacks
):
    from news import tasks
    from news.models import ImportRun, ImportSource

    queued = []
    monkeypatch.setattr(
        tasks.run_import_source, "apply_async", lambda args, **options: queued.append(args)
    )
    enabled = ImportSource.objects.create(name="On", kind="rss", location="https://a.kz/rss")
    disabled = ImportSource.objects.create(
        name="Off", kind="rss", location="https://b.kz/rss", enabled=False
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(administrator).post(
            reverse("admin:news_importsource_changelist"),
            {"action": "import_now", "_selected_action": [enabled.pk, disabled.pk]},
            follow=True,
        )
    run = ImportRun.objects.get()
    assert (run.source, run.status, run.triggered_by) == (
        enabled, ImportRun.Status.QUEUED, administrator
    )  # fmt: skip
    assert queued == [(enabled.pk, run.pk)]
    text = response.content.decode()
    assert "“On” is queued." in text
    assert "“Off” is disabled; enable it first." in text


def test_view_on_site_opens_the_preview_which_shows_a_draft(editor, agency):
    article = ArticleFactory(agency=agency, status=Article.Status.DRAFT, title="Draft about roads")
    client = Client()
    client.force_login(editor)
    page = client.get(reverse("admin:news_article_change", args=[article.pk])).content.decode()
    preview = reverse("public:article_preview", kwargs={"pk": article.pk})
    assert f'href="{preview}"' in page
    assert "Draft about roads" in client.get(preview).content.decode()


def test_the_upload_form_names_its_formats_in_the_editors_language():
    with override("ru"):
        choices = ImportUploadForm().fields["format"].choices
        labels = {value: str(label) for value, label in choices}
    assert labels["rss"] == "RSS-лента"
    assert all(label != value for value, label in labels.items())


def test_bulk_approve_in_the_admin_refuses_the_editors_own_import(editor):
    from news.importing.saving import run_import

    run_import(
        b"Regions\nAkimat opens a library in Kostanay 03.02.2026\nIt has ten thousand books.\n",
        input_name="digest.txt",
        user=editor,
    )
    article = Article.objects.get()

    messages = run_action(client_for(editor), "bulk_approve", [article])

    assert messages == [
        f"“{article.title}” was not changed: You cannot approve a release you imported; "
        "another editor must review it."
    ]
    article.refresh_from_db()
    assert article.status == Status.IN_REVIEW


def view_on_site_url(obj) -> str:
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(obj)
    return reverse("admin:view_on_site", args=[content_type.pk, obj.pk])


def test_view_on_site_shortcut_is_closed_outside_the_users_scope(
    press_officer, other_officer, editor, agency, other_agency
):
    theirs = ArticleFactory(
        agency=other_agency, author=other_officer, title="Embargoed plan of agency B"
    )
    mine = ArticleFactory(agency=agency, author=press_officer, title="My own draft")
    client = client_for(press_officer)

    refused = client.get(view_on_site_url(theirs))

    assert refused.status_code == 404
    assert theirs.slug not in refused.get("Location", "") + refused.content.decode()
    preview = reverse("public:article_preview", kwargs={"pk": mine.pk})
    assert client.get(view_on_site_url(mine))["Location"] == preview
    editor_sees = client_for(editor).get(view_on_site_url(theirs))
    assert editor_sees["Location"] == reverse("public:article_preview", kwargs={"pk": theirs.pk})


def test_view_on_site_shortcut_follows_each_model_admins_scope(
    monkeypatch, press_officer, agency, other_agency
):
    from news.models import TranslationJob

    # Any model whose objects have a URL, here the translation tasks (scoped by agency).
    monkeypatch.setattr(
        TranslationJob,
        "get_absolute_url",
        lambda job: f"/tasks/{job.original.slug}/",
        raising=False,
    )
    theirs = TranslationJob.objects.create(
        original=ArticleFactory(agency=other_agency, title="Secret merger"), language="kk"
    )
    mine = TranslationJob.objects.create(original=ArticleFactory(agency=agency), language="kk")
    client = client_for(press_officer)

    assert client.get(view_on_site_url(theirs)).status_code == 404
    assert client.get(view_on_site_url(mine))["Location"].endswith(f"/tasks/{mine.original.slug}/")


# --- merging tags (django-taggit's admin page) --------------------------------------------

MERGE_TAGS = "/admin/taggit/tag/merge-tags/"


def test_a_press_officer_cannot_merge_tags(press_officer):
    from taggit.models import Tag

    client = client_for(press_officer)
    assert reverse("admin:taggit_tag_merge_tags") == MERGE_TAGS
    assert client.get(MERGE_TAGS).status_code == 403
    assert client.post(MERGE_TAGS, {"new_tag_name": "hijacked"}).status_code == 403
    assert not Tag.objects.filter(name="hijacked").exists()


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("roads", "Choose the tags to merge in the list of tags first."),
        ("r" * 101, "Ensure this value has at most 100 characters (it has 101)."),
        ("", "This field is required."),
    ],
)
def test_merging_tags_with_bad_input_is_a_form_error(editor, name, error):
    from taggit.models import Tag

    response = client_for(editor).post(MERGE_TAGS, {"new_tag_name": name})

    assert response.status_code == 400
    assert error in response.content.decode()
    assert not Tag.objects.exists()


def test_an_editor_merges_tags_chosen_in_the_list(editor, agency):
    from taggit.models import Tag

    both = ArticleFactory(agency=agency, tags=["roads", "road"])
    one = ArticleFactory(agency=agency, tags=["road"])
    kept = ArticleFactory(agency=agency, tags=["roads"])
    client = client_for(editor)
    chosen = Tag.objects.filter(name__in=["roads", "road"])
    client.post(
        reverse("admin:taggit_tag_changelist"),
        {"action": "render_tag_form", "_selected_action": [tag.pk for tag in chosen]},
    )

    response = client.post(MERGE_TAGS, {"new_tag_name": "roads"})

    assert response.status_code == 302
    for article in (both, one, kept):
        assert list(article.tags.names()) == ["roads"], article


def test_article_autocomplete_through_any_relation_stays_in_scope(
    press_officer, agency, other_agency
):
    ArticleFactory(agency=other_agency, title="Confidential plan of agency B")
    mine = ArticleFactory(agency=agency, title="Confidential note of agency A")

    response = client_for(press_officer).get(
        reverse("admin:autocomplete"),
        {
            "app_label": "news",
            "model_name": "translationjob",
            "field_name": "original",
            "term": "Confidential",
        },
    )

    assert response.status_code == 200
    assert [result["id"] for result in response.json()["results"]] == [str(mine.pk)]


def source_form(**fields) -> dict:
    return {
        "name": "Akorda",
        "kind": "rss",
        "location": "https://www.akorda.kz/ru/rss",
        "language": "ru",
        "enabled": "on",
        "schedule": "",
        "max_consecutive_failures": 3,
        **fields,
    }


@pytest.mark.parametrize(
    ("kind", "location", "message"),
    [
        ("rss", "http://169.254.169.254/latest/meta-data/", "169.254.169.254 is on a private"),
        ("rss", "http://localhost:8000/rss", "localhost is on a private or internal network"),
        ("rss", "https://[::ffff:10.0.0.1]/rss", "::ffff:10.0.0.1 is on a private"),
        ("digest", "/etc/passwd", "no import folder is set up (PRESSROOM_IMPORT_DIR)"),
        ("digest", "file:///etc/passwd", "Enter a web address starting with http:// or https://"),
        ("govkz", "/srv/imports/news.json", "Enter the portal&#x27;s web address"),
    ],
)
def test_a_source_that_could_not_be_imported_is_refused_when_saved(
    administrator, kind, location, message
):
    from news.models import ImportSource

    response = client_for(administrator).post(
        reverse("admin:news_importsource_add"), source_form(kind=kind, location=location)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ImportSource.objects.exists()


def test_a_source_may_name_a_file_in_the_import_folder_only(administrator, settings, tmp_path):
    from news.models import ImportSource

    settings.PRESSROOM_IMPORT_DIR = str(tmp_path)
    client = client_for(administrator)
    add = reverse("admin:news_importsource_add")
    response = client.post(add, source_form(kind="digest", location="../etc/passwd"))
    assert f"Only files in the import folder {tmp_path} can be imported." in (
        response.content.decode()
    )
    response = client.post(add, source_form(kind="digest", location="akorda/digest.txt"))
    assert response.status_code == 302
    assert ImportSource.objects.get().location == "akorda/digest.txt"


def test_the_reason_a_location_is_refused_is_in_the_administrators_language():
    from django.core.exceptions import ValidationError

    from news.models import ImportSource

    source = ImportSource(name="Metadata", kind="rss", location="http://169.254.169.254/")
    with pytest.raises(ValidationError) as refused:
        source.full_clean()
    with override("ru"):
        shown = refused.value.message_dict["location"]
    assert shown == [
        "169.254.169.254 находится в частной или внутренней сети; источники импорта могут "
        "использовать только общедоступные веб-адреса."
    ]


# --- what the article form accepts ---------------------------------------------------------


def test_sources_are_edited_as_web_addresses_one_per_line(editor, agency):
    article = ArticleFactory(agency=agency, sources=["https://www.gov.kz/a", "https://kt.kz/b"])
    client = client_for(editor)
    data = form_data(client.get(change_url(article)))
    assert data["sources"] == "https://www.gov.kz/a\nhttps://kt.kz/b"

    data["sources"] = "https://www.gov.kz/a\r\n\r\n  www.akorda.kz/news  \r\nhttps://www.gov.kz/a"
    response = client.post(change_url(article), data)

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.sources == ["https://www.gov.kz/a", "https://www.akorda.kz/news"]


@pytest.mark.parametrize("typed", ["javascript:alert(1)", "null", '{"x": 1}', "ftp://files.kz/a"])
def test_a_source_that_is_not_a_web_address_is_a_form_error(editor, agency, typed):
    article = ArticleFactory(agency=agency, sources=["https://www.gov.kz/a"])
    client = client_for(editor)
    data = form_data(client.get(change_url(article)))
    data["sources"] = f"https://www.gov.kz/a\n{typed}"

    response = client.post(change_url(article), data)

    assert response.status_code == 200
    [error] = response.context["adminform"].form.errors.as_data()["sources"]
    assert error.code == "invalid_source"
    assert "Line 2:" in str(error.message % error.params)
    article.refresh_from_db()
    assert article.sources == ["https://www.gov.kz/a"]


def test_a_title_pasted_with_line_breaks_is_saved_on_one_line(editor, agency):
    article = ArticleFactory(agency=agency)
    client = client_for(editor)
    data = form_data(client.get(change_url(article)))
    data["title"] = "Akimat opens\r\na school\u2028in Turkistan"

    assert client.post(change_url(article), data).status_code == 302

    article.refresh_from_db()
    assert article.title == "Akimat opens a school in Turkistan"


def test_a_tag_longer_than_a_tag_can_be_is_a_form_error(editor, agency):
    article = ArticleFactory(agency=agency)
    client = client_for(editor)
    data = form_data(client.get(change_url(article)))
    data["tags"] = f"roads, {'x' * 150}"

    response = client.post(change_url(article), data)

    assert response.status_code == 200
    [error] = response.context["adminform"].form.errors.as_data()["tags"]
    assert error.code == "tag_too_long"
    assert "at most 100 characters" in str(error.message % error.params)
    assert not article.tags.exists()


def test_an_existing_long_tag_can_be_kept(editor, agency):
    long_tag = "x" * 100  # its slug leaves no room for taggit's suffix, but it exists
    article = ArticleFactory(agency=agency, tags=[long_tag])
    client = client_for(editor)
    data = form_data(client.get(change_url(article)))

    assert client.post(change_url(article), data).status_code == 302
    assert list(article.tags.names()) == [long_tag]


def test_history_of_an_id_in_other_digits_is_not_found(editor, agency):
    article = ArticleFactory(agency=agency)
    arabic = str(article.pk).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    client = client_for(editor)

    assert client.get(reverse("admin:news_article_history", args=[article.pk])).status_code == 200
    assert client.get(f"/admin/news/article/{arabic}/history/").status_code == 404
    assert client.get(f"/admin/news/article/{article.pk}/history/²/").status_code == 404


@pytest.mark.parametrize("name", ["agency", "region"])
def test_translation_overview_ignores_an_id_in_other_digits(editor, agency, name):
    ArticleFactory(agency=agency, title="Roads")
    client = client_for(editor)

    for value in ["²", "٣", str(agency.pk).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))]:
        response = client.get(reverse("admin:news_article_translations"), {name: value})
        assert response.status_code == 200
        assert "Roads" in response.content.decode()


def test_the_schedule_step_offers_distribution_under_embargo(editor, agency):
    article = article_in(Status.APPROVED, agency=agency)
    client = client_for(editor)

    page = client.get(transition_url(article, "schedule"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Distribute under embargo to accredited journalists" in page.content.decode()
    assert 'name="distribute_under_embargo"' in page.content.decode()
    response = client.post(
        transition_url(article, "schedule"),
        transition_post_data("schedule") | {"distribute_under_embargo": "on"},
    )

    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.status, article.distribute_under_embargo) == (Status.SCHEDULED, True)
    # Rescheduling shows the choice as it stands, and unticked it is withdrawn.
    page = client.get(transition_url(article, "schedule")).content.decode()
    assert re.search(r'name="distribute_under_embargo"[^>]*checked', page)
    client.post(transition_url(article, "schedule"), transition_post_data("schedule"))
    article.refresh_from_db()
    assert article.distribute_under_embargo is False
