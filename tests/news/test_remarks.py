"""Editorial remarks: who may read and write them, mentions, and the thread in the admin."""

from datetime import UTC, datetime

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse

from news import remarks, roles
from news.models import Remark

from ..factories import MembershipFactory, UserFactory
from .helpers import Status, article_in

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def add_url(article) -> str:
    return reverse("admin:news_article_add_remark", args=[article.pk])


def change_url(article) -> str:
    return reverse("admin:news_article_change", args=[article.pk])


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- the service --------------------------------------------------------------------------


def test_mentioned_names_skip_addresses_and_punctuation():
    text = "@editor, look. Ask @officer.shymkent. Mail press@akimat.kz; @editor again, @a-b."
    assert remarks.mentioned_names(text) == ["editor", "officer.shymkent", "a-b"]


def test_a_remark_keeps_its_line_breaks_without_surrounding_space(draft, press_officer):
    remark, mentions = remarks.add_remark(
        article=draft, user=press_officer, text="  First line\r\nSecond line \n"
    )
    assert remark.text == "First line\nSecond line"
    assert (remark.author, remark.article) == (press_officer, draft)
    assert mentions == remarks.Mentions()


@pytest.mark.parametrize("text", ["", "   \n\t "])
def test_an_empty_remark_is_refused(draft, press_officer, text):
    with pytest.raises(remarks.RemarkError) as caught:
        remarks.add_remark(article=draft, user=press_officer, text=text)
    assert caught.value.code == "empty_remark"
    assert not Remark.objects.exists()


def test_an_overlong_remark_is_refused(draft, press_officer):
    with pytest.raises(remarks.RemarkError) as caught:
        remarks.add_remark(article=draft, user=press_officer, text="x" * (remarks.MAX_LENGTH + 1))
    assert caught.value.code == "remark_too_long"


def test_the_database_refuses_an_empty_remark(draft, press_officer):
    with pytest.raises(IntegrityError):
        Remark.objects.create(article=draft, author=press_officer, text="")


def test_another_agencys_officer_may_not_write_a_remark(draft, other_officer):
    with pytest.raises(remarks.RemarkError) as caught:
        remarks.add_remark(article=draft, user=other_officer, text="Looks fine")
    assert caught.value.code == "permission_denied"
    assert not Remark.objects.exists()


def test_mentions_are_sorted_into_told_refused_and_unknown(
    draft, press_officer, editor, other_officer
):
    UserFactory(username="retired", groups=[roles.EDITORS], is_active=False)
    _remark, mentions = remarks.add_remark(
        article=draft,
        user=press_officer,
        text="@editor please check. @other-officer @retired @nobody @officer",
    )
    assert mentions.notified == [editor]
    assert {user.username for user in mentions.not_allowed} == {"other-officer", "retired"}
    assert mentions.unknown == ["nobody"]  # and the writer's own name tells nobody


def test_a_mention_is_emailed_only_after_commit(
    draft, press_officer, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        remarks.add_remark(article=draft, user=press_officer, text="@editor have a look")
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert [message.to for message in mail.outbox] == [[editor.email]]


def test_a_remark_without_mentions_queues_nothing(
    draft, press_officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        remarks.add_remark(article=draft, user=press_officer, text="Just a note, @nobody")
    assert callbacks == []


# --- the admin ----------------------------------------------------------------------------


def test_the_thread_shows_remarks_oldest_first_with_author_almaty_time_and_line_breaks(
    draft, press_officer, editor
):
    Remark.objects.create(
        article=draft,
        author=editor,
        text="Second <b>thought</b>\non two lines",
        created_at=datetime(2026, 3, 2, 4, 5, tzinfo=UTC),
    )
    Remark.objects.create(
        article=draft,
        author=press_officer,
        text="First thought",
        created_at=datetime(2026, 3, 1, 4, 5, tzinfo=UTC),
    )
    page = client_for(press_officer).get(change_url(draft)).content.decode()
    thread = page[page.index('id="remarks"') :]
    assert thread.index("First thought") < thread.index("Second")
    assert "Second &lt;b&gt;thought&lt;/b&gt;<br>on two lines" in thread
    assert "March 2, 2026, 9:05" in thread  # 04:05 UTC is 09:05 in Almaty
    assert '<strong class="remark__author">editor</strong>' in thread


def test_the_remark_form_is_not_inside_the_change_form(draft, press_officer):
    page = client_for(press_officer).get(change_url(draft)).content.decode()
    change_form_end = page.index("</form>", page.index('id="article_form"'))
    remark_form = page.index(f'action="{add_url(draft)}"')
    assert remark_form > change_form_end
    assert page.count('id="remarks"') == 1


# The whole change form of a draft with its thread, measured with one remark; the thread is
# one query (remarks with their authors) whatever its length.
CHANGE_FORM_MAX_QUERIES = 25
HISTORY_MAX_QUERIES = 12


def remark_queries(captured) -> list[str]:
    return [query["sql"] for query in captured.captured_queries if "news_remark" in query["sql"]]


def many_remarks(article, count=30):
    authors = [UserFactory(username=f"writer{n}", groups=[roles.EDITORS]) for n in range(10)]
    Remark.objects.bulk_create(
        Remark(article=article, author=authors[n % 10], text=f"Remark {n}") for n in range(count)
    )


@pytest.mark.parametrize("count", [1, 30])
def test_the_change_forms_queries_do_not_grow_with_the_thread(
    count, draft, press_officer, django_assert_max_num_queries
):
    many_remarks(draft, count)
    client = client_for(press_officer)
    with django_assert_max_num_queries(CHANGE_FORM_MAX_QUERIES) as captured:
        page = client.get(change_url(draft)).content.decode()
    assert page.count('class="remark"') == count
    assert len(remark_queries(captured)) == 1


@pytest.mark.parametrize("count", [1, 30])
def test_the_history_pages_queries_do_not_grow_with_the_thread(
    count, draft, press_officer, django_assert_max_num_queries
):
    many_remarks(draft, count)
    client = client_for(press_officer)
    with django_assert_max_num_queries(HISTORY_MAX_QUERIES) as captured:
        page = client.get(reverse("admin:news_article_history", args=[draft.pk])).content.decode()
    assert page.count('class="remark"') == count
    assert len(remark_queries(captured)) == 1


def test_adding_a_remark_redirects_to_it_and_tells_who_will_hear(
    draft, press_officer, editor, other_officer, django_capture_on_commit_callbacks
):
    client = client_for(press_officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            add_url(draft), {"text": "@editor @other-officer @ghost the figures?"}
        )
    remark = Remark.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{change_url(draft)}#remark-{remark.pk}"
    assert messages_of(response) == [
        "Your remark is added.",
        "They will be told by email: @editor",
        "Not told, as they may not see this release: @other-officer",
        "No one has the username: @ghost",
    ]
    [message] = mail.outbox
    assert message.to == [editor.email]


def test_an_empty_remark_in_the_admin_is_refused_with_a_message(draft, press_officer):
    response = client_for(press_officer).post(add_url(draft), {"text": "  "})
    assert response.status_code == 302
    assert response["Location"] == f"{change_url(draft)}#remarks"
    assert messages_of(response) == ["Write a remark before adding it."]
    assert not Remark.objects.exists()


def test_remarks_are_added_only_by_post_with_a_csrf_token(draft, press_officer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(press_officer)
    assert client.get(add_url(draft)).status_code == 405
    assert client.post(add_url(draft), {"text": "Forged"}).status_code == 403
    assert not Remark.objects.exists()


def test_another_agencys_officer_can_neither_read_nor_add_remarks(
    draft, press_officer, other_officer
):
    Remark.objects.create(article=draft, author=press_officer, text="Internal note")
    client = client_for(other_officer)

    response = client.post(add_url(draft), {"text": "Let me in"})
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    assert Remark.objects.count() == 1
    for url in (change_url(draft), reverse("admin:news_article_history", args=[draft.pk])):
        response = client.get(url, follow=True)
        assert "Internal note" not in response.content.decode()


def test_an_officer_may_remark_on_a_release_they_can_see_but_not_edit(
    agency, press_officer, editor
):
    article = article_in(Status.IN_REVIEW, agency=agency, author=press_officer)
    client = client_for(press_officer)
    page = client.get(change_url(article)).content.decode()
    assert f'action="{add_url(article)}"' in page
    client.post(add_url(article), {"text": "Is the date right?"})
    assert Remark.objects.get().author == press_officer


def test_a_member_of_two_agencies_sees_the_remarks_of_both(
    agency, other_agency, press_officer, editor
):
    MembershipFactory(user=press_officer, agency=other_agency)
    article = article_in(Status.DRAFT, agency=other_agency)
    remarks.add_remark(article=article, user=editor, text="For the second agency")
    page = client_for(press_officer).get(change_url(article)).content.decode()
    assert "For the second agency" in page


def test_the_history_page_lists_the_remarks_in_their_own_section(draft, press_officer, editor):
    remarks.add_remark(article=draft, user=editor, text="Kept in the record")
    page = (
        client_for(press_officer)
        .get(reverse("admin:news_article_history", args=[draft.pk]))
        .content.decode()
    )
    section = page[page.index('id="remarks"') :]
    assert page.index('id="change-history"') < page.index('id="remarks"')
    assert "Kept in the record" in section
    assert "<form" not in section[: section.index("</section>")]


def test_the_thread_is_in_russian_and_kazakh(draft, press_officer):
    client = client_for(press_officer)
    russian = client.get(change_url(draft), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Замечания" in russian and "Добавить замечание" in russian
    kazakh = client.get(change_url(draft), HTTP_ACCEPT_LANGUAGE="kk").content.decode()
    assert "Ескертпелер" in kazakh and "Ескертпе қосу" in kazakh
