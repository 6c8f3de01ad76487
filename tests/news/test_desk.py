"""What the admin home lists for each person, and the publication calendar (news.desk), with
the calendar's page in the admin (news.admin.calendar)."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from media_library.models import GalleryImage, LeadImage
from news import desk, roles
from news.models import (
    ArticleFlag,
    ArticleTransition,
    ImportRun,
    Translation,
    TranslationJob,
)
from news.translation import group

from ..factories import ArticleFactory, ImageFactory, MembershipFactory, UserFactory
from .helpers import Status, article_in

pytestmark = pytest.mark.django_db

ALMATY = ZoneInfo("Asia/Almaty")
NOW = datetime(2026, 3, 11, 12, 0, tzinfo=ALMATY)  # a Wednesday
CALENDAR = "admin:news_article_calendar"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def block(blocks, key) -> desk.Block:
    return next(b for b in blocks if b.key == key)


def step(article, name, to_status, at, *, actor=None, comment="", from_status=Status.DRAFT):
    return ArticleTransition.objects.create(
        article=article, name=name, from_status=from_status, to_status=to_status,
        actor=actor, comment=comment, created_at=at,
    )  # fmt: skip


def machine_translation_of(original, language: str, state=Translation.State.MACHINE):
    article = ArticleFactory(
        language=language,
        agency=original.agency,
        translation_group=original.translation_group,
        status=Status.IN_REVIEW,
    )
    Translation.objects.create(
        article=article, original=original, method=Translation.Method.ENGINE,
        engine="libretranslate", state=state, original_version=original.version,
        original_content_hash=group.content_hash(original),
    )  # fmt: skip
    return article


# --- the press officer's home -------------------------------------------------------------


def test_an_officer_sees_their_agencies_releases_returned_with_the_reason_and_who_asked(
    press_officer, editor, agency, other_agency
):
    returned = article_in(Status.CHANGES_REQUESTED, agency=agency, title="Roads")
    for ago, reason in [(timedelta(days=2), "An older reason."),
                        (timedelta(hours=1), "Name the source of the figures.")]:  # fmt: skip
        step(returned, "request_changes", Status.CHANGES_REQUESTED, NOW - ago,
             actor=editor, comment=reason, from_status=Status.IN_REVIEW)  # fmt: skip
    article_in(Status.CHANGES_REQUESTED, agency=other_agency, title="Not theirs")
    draft = article_in(Status.DRAFT, agency=agency, title="A draft")

    home = desk.home(press_officer, now=NOW)

    assert home.editor == []
    returned_block = block(home.officer, "returned")
    assert (returned_block.count, returned_block.items) == (1, [returned])
    latest = returned_block.items[0].change_requests[0]
    assert (latest.comment, latest.actor) == ("Name the source of the figures.", editor)
    assert block(home.officer, "drafts").items == [draft]
    assert returned_block.see_all == (
        reverse("admin:news_article_changelist")
        + f"?status__exact=changes_requested&agency__id__in={agency.pk}"
    )


def test_an_officer_sees_scheduled_soonest_first_and_only_recent_publications(
    press_officer, agency
):
    later = article_in(Status.SCHEDULED, agency=agency, publish_at=NOW + timedelta(days=3))
    sooner = article_in(Status.SCHEDULED, agency=agency, publish_at=NOW + timedelta(hours=3))
    fresh = article_in(Status.PUBLISHED, agency=agency, published_at=NOW - timedelta(days=6))
    article_in(Status.PUBLISHED, agency=agency, published_at=NOW - timedelta(days=7, hours=13))

    home = desk.home(press_officer, now=NOW)

    assert block(home.officer, "scheduled").items == [sooner, later]
    published = block(home.officer, "published")
    assert (published.count, published.items) == (1, [fresh])
    # The list linked to holds exactly what the block counts: from the same local midnight.
    assert "published_at__gte=2026-03-05T00%3A00%3A00%2B05%3A00" in published.see_all


def test_a_block_lists_a_few_and_counts_them_all(press_officer, agency):
    for _ in range(desk.SHOWN + 3):
        article_in(Status.DRAFT, agency=agency)
    drafts = block(desk.home(press_officer, now=NOW).officer, "drafts")
    assert (drafts.count, len(drafts.items)) == (desk.SHOWN + 3, desk.SHOWN)


# --- the editor's home --------------------------------------------------------------------


def test_the_review_queue_waits_from_the_submit_step_oldest_first(editor, press_officer, agency):
    newer = article_in(Status.IN_REVIEW, agency=agency, title="Submitted an hour ago")
    step(newer, "submit", Status.IN_REVIEW, NOW - timedelta(hours=1), actor=press_officer)
    older = article_in(Status.IN_REVIEW, agency=agency, title="Submitted two days ago")
    step(older, "submit", Status.IN_REVIEW, NOW - timedelta(days=2), actor=press_officer)
    # A re-import keeps it in review: the wait still counts from the submit step.
    step(older, "reimport", Status.IN_REVIEW, NOW - timedelta(minutes=5),
         from_status=Status.IN_REVIEW)  # fmt: skip

    queue = block(desk.home(editor, now=NOW).editor, "review_queue")

    assert queue.items == [older, newer]
    assert queue.items[0].submitted_at == NOW - timedelta(days=2)


def test_the_queue_says_a_release_was_just_submitted_rather_than_waiting_for_0_minutes(
    editor, press_officer, agency
):
    now = timezone.now()
    fresh = article_in(Status.IN_REVIEW, agency=agency, title="Submitted seconds ago")
    step(fresh, "submit", Status.IN_REVIEW, now - timedelta(seconds=20), actor=press_officer)
    waiting = article_in(Status.IN_REVIEW, agency=agency, title="Submitted hours ago")
    step(waiting, "submit", Status.IN_REVIEW, now - timedelta(hours=2), actor=press_officer)

    page = client_for(editor).get(reverse("admin:index")).content.decode()

    assert page.count("submitted just now") == 1
    assert "waiting for 2\xa0hours" in page
    assert "0\xa0minutes" not in page


def test_the_editor_sees_flagged_releases_failed_runs_and_translations_waiting(editor, agency):
    flagged = article_in(Status.IN_REVIEW, agency=agency, title="No agency found")
    ArticleFlag.objects.create(article=flagged, code="agency_unresolved")
    ArticleFlag.objects.create(article=flagged, code="empty_body")
    article_in(Status.IN_REVIEW, agency=agency, title="Clean")
    failed = ImportRun.objects.create(
        input_name="feed.xml",
        status=ImportRun.Status.FAILED,
        started_at=NOW - timedelta(hours=2),
        error_code="timeout",
        error_message="https://example.kz/rss did not answer within 20 s.",
    )
    ImportRun.objects.create(
        input_name="old.xml", status=ImportRun.Status.FAILED, started_at=NOW - timedelta(days=9)
    )
    ImportRun.objects.create(input_name="fine.txt", status=ImportRun.Status.SUCCEEDED)
    original = article_in(Status.PUBLISHED, agency=agency, language="ru")
    job = TranslationJob.objects.create(
        original=original, language="kk", status=TranslationJob.Status.NEEDS_PERSON,
        error_message="No engine for this pair.",
    )  # fmt: skip
    TranslationJob.objects.create(original=original, language="en", status="queued")
    machine = machine_translation_of(original, "en")
    reviewed = ArticleFactory(agency=agency, language="ru")
    machine_translation_of(reviewed, "kk", state=Translation.State.REVIEWED)

    editor_blocks = desk.home(editor, now=NOW).editor

    flagged_block = block(editor_blocks, "flagged")
    assert (flagged_block.count, flagged_block.items) == (1, [flagged])
    assert "flags__code__isnull=False" in flagged_block.see_all
    assert block(editor_blocks, "failed_runs").items == [failed]
    with translation.override("ru"):  # the reason for the code, in the editor's language
        assert block(desk.home(editor, now=NOW).editor, "failed_runs").items[0].reason == (
            "Источник не ответил вовремя."
        )
    assert block(editor_blocks, "translation_jobs").items == [job]
    assert block(editor_blocks, "machine_translations").items == [machine]
    assert block(editor_blocks, "machine_translations").count == 1


def test_a_person_with_both_roles_sees_their_agencys_releases_and_every_agencys(
    agency, other_agency
):
    both = UserFactory(username="both", groups=[roles.PRESS_OFFICERS, roles.EDITORS])
    MembershipFactory(user=both, agency=agency)
    ours = article_in(Status.IN_REVIEW, agency=agency)
    theirs = article_in(Status.IN_REVIEW, agency=other_agency)

    home = desk.home(both, now=NOW)

    officer_review = block(home.officer, "in_review")
    assert (officer_review.count, officer_review.items) == (1, [ours])
    editor_queue = block(home.editor, "review_queue")
    assert (editor_queue.count, set(editor_queue.items)) == (2, {ours, theirs})


def test_staff_without_article_rights_have_no_desk():
    assert desk.home(UserFactory(username="staff"), now=NOW) == desk.Home()


# --- the calendar -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "day", "bounds"),
    [
        ("week", date(2026, 3, 11), (date(2026, 3, 9), date(2026, 3, 16), date(2026, 3, 2),
                                     date(2026, 3, 16))),
        ("month", date(2026, 3, 11), (date(2026, 2, 23), date(2026, 4, 6), date(2026, 2, 1),
                                      date(2026, 4, 1))),
        ("month", date(2026, 2, 1), (date(2026, 1, 26), date(2026, 3, 2), date(2026, 1, 1),
                                     date(2026, 3, 1))),
    ],
)  # fmt: skip
def test_a_period_is_shown_in_whole_weeks_from_monday(kind, day, bounds):
    assert desk.period_bounds(kind, day) == bounds


def test_the_calendar_puts_each_release_on_its_day_in_almaty(editor, agency):
    # 23:30 in Almaty is still the 10th there, though already the 10th's evening in UTC;
    # 00:30 on the 12th in Almaty is the 11th in UTC.
    late = article_in(Status.PUBLISHED, agency=agency,
                      published_at=datetime(2026, 3, 10, 23, 30, tzinfo=ALMATY))  # fmt: skip
    early = article_in(Status.SCHEDULED, agency=agency,
                       publish_at=datetime(2026, 3, 12, 0, 30, tzinfo=ALMATY))  # fmt: skip
    article_in(Status.APPROVED, agency=agency)
    article_in(Status.PUBLISHED, agency=agency, published_at=datetime(2026, 3, 17, tzinfo=ALMATY))

    period = desk.calendar(editor, kind="week", day=date(2026, 3, 11), now=NOW)

    by_day = {day.date: day.items for day in period.days if day.items}
    assert by_day == {date(2026, 3, 10): [late], date(2026, 3, 12): [early]}
    assert [day.date for day in period.days if day.is_today] == [date(2026, 3, 11)]


def test_the_calendar_shows_an_officer_only_their_agencies(press_officer, agency, other_agency):
    ours = article_in(Status.SCHEDULED, agency=agency, publish_at=NOW + timedelta(hours=2))
    article_in(Status.SCHEDULED, agency=other_agency, publish_at=NOW + timedelta(hours=2))
    period = desk.calendar(press_officer, kind="month", day=NOW.date(), now=NOW)
    assert [item for day in period.days for item in day.items] == [ours]


def calendar_url(**query) -> str:
    from django.utils.http import urlencode

    return f"{reverse(CALENDAR)}?{urlencode(query)}"


def reschedule_data(article, day: str, time: str) -> dict:
    prefix = f"reschedule-{article.pk}-publish_at"
    return {"article": article.pk, f"{prefix}_0": day, f"{prefix}_1": time}


def test_an_editor_reschedules_a_release_from_the_calendar(editor, agency):
    with time_machine.travel(NOW, tick=False):
        article = article_in(Status.SCHEDULED, agency=agency, publish_at=NOW + timedelta(hours=3))
        url = calendar_url(view="week", date="2026-03-11")
        page = client_for(editor).get(url).content.decode()
        assert f'name="reschedule-{article.pk}-publish_at_1" value="15:00"' in page

        response = client_for(editor).post(url, reschedule_data(article, "2026-03-18", "09:15"))

        article.refresh_from_db()
        assert article.status == Status.SCHEDULED
        assert article.publish_at == datetime(2026, 3, 18, 9, 15, tzinfo=ALMATY)
        assert article.transitions.get(name="schedule").actor == editor
        # To the week it moved to.
        assert response.status_code == 302
        assert response["Location"] == calendar_url(view="week", date="2026-03-18")


def test_a_refused_reschedule_is_shown_at_the_release_with_the_typed_time_kept(editor, agency):
    with time_machine.travel(NOW, tick=False):
        article = article_in(Status.SCHEDULED, agency=agency, publish_at=NOW + timedelta(hours=3))
        client = client_for(editor)
        client.cookies["django_language"] = "ru"

        response = client.post(
            calendar_url(view="month", date="2026-03-11"),
            reschedule_data(article, "2026-03-11", "08:05"),
        )

        page = response.content.decode()
        assert response.status_code == 409
        assert "Выберите время публикации в будущем." in page
        assert f'name="reschedule-{article.pk}-publish_at_1" value="08:05"' in page
        assert '<details class="calendar-reschedule" open>' in page
        article.refresh_from_db()
        assert article.publish_at == NOW + timedelta(hours=3)


def test_a_press_officer_sees_the_calendar_but_cannot_reschedule(press_officer, agency):
    article = article_in(Status.SCHEDULED, agency=agency)
    client = client_for(press_officer)
    page = client.get(reverse(CALENDAR)).content.decode()
    assert article.title in page
    assert "reschedule-" not in page
    response = client.post(reverse(CALENDAR), reschedule_data(article, "2030-01-01", "10:00"))
    assert response.status_code == 403


# --- scheduling an approved release from the calendar ---------------------------------------


def schedule_data(article, day: str, time: str, **fields) -> dict:
    prefix = f"schedule-{article.pk}"
    data = {"article": article.pk, "action": "schedule"}
    data |= {f"{prefix}-publish_at_0": day, f"{prefix}-publish_at_1": time}
    return data | {f"{prefix}-{name}": value for name, value in fields.items()}


def approved(agency, *, at=NOW - timedelta(days=1), **kwargs):
    """An approved release whose approve step was taken `at`."""
    article = article_in(Status.APPROVED, agency=agency, **kwargs)
    step(article, "approve", Status.APPROVED, at, from_status=Status.IN_REVIEW)
    return article


def awaiting_item(page: str, article) -> str:
    """The part of the page about `article` in the list of releases waiting for a time."""
    start = page.index(f'<li class="awaiting-item" id="awaiting-article-{article.pk}">')
    return page[start : page.index("\n      </li>", start)]


def test_an_editor_schedules_an_approved_release_from_the_calendar(editor, agency):
    with time_machine.travel(NOW, tick=False):
        article = approved(agency)
        client = client_for(editor)
        client.cookies["django_language"] = "ru"
        url = calendar_url(view="week", date="2026-03-11")
        page = client.get(url).content.decode()
        assert '<section id="awaiting-time"' in page
        assert '<a href="#awaiting-time">Одобрены и ждут времени публикации (1) ↓</a>' in page
        item = awaiting_item(page, article)
        assert reverse("admin:news_article_change", args=[article.pk]) in item
        with translation.override("ru"):
            assert str(agency) in item
        assert f'type="date" name="schedule-{article.pk}-publish_at_0"' in item
        assert f'type="time" name="schedule-{article.pk}-publish_at_1"' in item
        assert "override_reason" not in item  # no warnings, nothing to justify

        response = client.post(url, schedule_data(article, "2026-03-18", "09:15"))

        assert response.status_code == 302
        assert response["Location"] == calendar_url(view="week", date="2026-03-18")
        article.refresh_from_db()
        assert article.status == Status.SCHEDULED
        assert article.publish_at == datetime(2026, 3, 18, 9, 15, tzinfo=ALMATY)
        assert article.transitions.get(name="schedule").actor == editor
        moved_to = client.get(response["Location"]).content.decode()
    assert f'id="calendar-article-{article.pk}"' in moved_to
    assert f'id="awaiting-article-{article.pk}"' not in moved_to
    assert f"Релиз «{article.title}» будет опубликован 18.03.2026 09:15." in moved_to


def test_a_past_time_is_refused_on_the_releases_form_with_the_typed_values_kept(editor, agency):
    with time_machine.travel(NOW, tick=False):
        article = approved(agency)
        client = client_for(editor)
        client.cookies["django_language"] = "ru"

        response = client.post(
            calendar_url(view="month", date="2026-03-11"),
            schedule_data(article, "2026-03-11", "08:05"),
        )

    assert response.status_code == 409
    item = awaiting_item(response.content.decode(), article)
    assert "Выберите время публикации в будущем." in item
    assert f'name="schedule-{article.pk}-publish_at_0" value="2026-03-11"' in item
    assert f'name="schedule-{article.pk}-publish_at_1" value="08:05"' in item
    article.refresh_from_db()
    assert (article.status, article.publish_at) == (Status.APPROVED, None)


def test_a_release_with_warnings_is_scheduled_only_with_a_reason_kept_on_the_step(editor, agency):
    with time_machine.travel(NOW, tick=False):
        article = approved(agency, lead="")
        client = client_for(editor)
        url = calendar_url(view="week", date="2026-03-11")
        item = awaiting_item(client.get(url).content.decode(), article)
        assert "The lead is empty." in item
        assert f'name="schedule-{article.pk}-override_reason"' in item
        assert "required" in item.split(f'name="schedule-{article.pk}-override_reason"')[1]

        refused = client.post(url, schedule_data(article, "2026-03-18", "09:15"))
        assert refused.status_code == 400
        item = awaiting_item(refused.content.decode(), article)
        assert "This field is required." in item
        assert 'value="09:15"' in item
        article.refresh_from_db()
        assert article.status == Status.APPROVED

        response = client.post(
            url,
            schedule_data(
                article, "2026-03-18", "09:15", override_reason="The lead is in the body."
            ),
        )

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Status.SCHEDULED
    scheduled = article.transitions.get(name="schedule")
    assert scheduled.override_reason == "The lead is in the body."


def test_a_release_with_blocking_checks_shows_them_and_no_form(editor, agency):
    article = approved(agency, body="")
    page = client_for(editor).get(reverse(CALENDAR)).content.decode()
    item = awaiting_item(page, article)
    assert "The body is empty." in item
    assert reverse("admin:news_article_change", args=[article.pk]) in item
    assert "<form" not in item
    assert f"schedule-{article.pk}-" not in item


def test_approved_releases_wait_oldest_approval_first_and_the_list_links_to_them_all(
    editor, agency, monkeypatch
):
    monkeypatch.setattr(desk, "AWAITING_SHOWN", 2)
    newest = approved(agency, at=NOW - timedelta(hours=1))
    oldest = approved(agency, at=NOW - timedelta(days=3))
    middle = approved(agency, at=NOW - timedelta(days=1))
    article_in(Status.SCHEDULED, agency=agency)

    awaiting = desk.awaiting_time(editor)

    assert awaiting.items == [oldest, middle]
    assert awaiting.more
    listed = client_for(editor).get(awaiting.see_all)
    assert {article.pk for article in listed.context["cl"].result_list} == {
        newest.pk, oldest.pk, middle.pk
    }  # fmt: skip
    page = client_for(editor).get(reverse(CALENDAR)).content.decode()
    assert awaiting.see_all.replace("&", "&amp;") in page


def test_a_press_officer_sees_no_releases_waiting_and_cannot_schedule(press_officer, agency):
    article = approved(agency)
    client = client_for(press_officer)
    page = client.get(reverse(CALENDAR)).content.decode()
    assert "awaiting-time" not in page
    assert f"schedule-{article.pk}" not in page
    response = client.post(reverse(CALENDAR), schedule_data(article, "2030-01-01", "10:00"))
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.status == Status.APPROVED


def test_a_publisher_of_one_agency_cannot_schedule_another_agencys_release(agency, other_agency):
    publisher = UserFactory(username="publisher", groups=[roles.PRESS_OFFICERS])
    publisher.user_permissions.add(Permission.objects.get(codename="publish_article"))
    MembershipFactory(user=publisher, agency=agency)
    ours, theirs = approved(agency), approved(other_agency)
    client = client_for(publisher)

    page = client.get(reverse(CALENDAR)).content.decode()
    assert f'id="awaiting-article-{ours.pk}"' in page
    assert f'id="awaiting-article-{theirs.pk}"' not in page
    response = client.post(reverse(CALENDAR), schedule_data(theirs, "2030-01-01", "10:00"))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Status.APPROVED


def test_a_release_scheduled_by_someone_else_meanwhile_is_not_moved_by_the_old_form(editor, agency):
    with time_machine.travel(NOW, tick=False):
        article = article_in(Status.SCHEDULED, agency=agency, publish_at=NOW + timedelta(days=2))
        response = client_for(editor).post(
            calendar_url(view="week", date="2026-03-11"),
            schedule_data(article, "2026-03-18", "09:15"),
        )
    assert response.status_code == 409
    assert "is no longer waiting for a time" in response.content.decode()
    article.refresh_from_db()
    assert article.publish_at == NOW + timedelta(days=2)


def test_a_calendar_post_asking_for_something_else_is_refused(editor, agency):
    article = approved(agency)
    data = schedule_data(article, "2030-01-01", "10:00") | {"action": "publish"}
    assert client_for(editor).post(reverse(CALENDAR), data).status_code == 400
    article.refresh_from_db()
    assert article.status == Status.APPROVED


def test_the_calendar_marks_today_and_navigates_by_month(editor):
    with time_machine.travel(NOW, tick=False):
        page = client_for(editor).get(calendar_url(view="month", date="2026-03-20"))
    text = page.content.decode()
    assert 'aria-current="date"' in text
    assert calendar_url(view="month", date="2026-02-01").replace("&", "&amp;") in text
    assert calendar_url(view="month", date="2026-04-01").replace("&", "&amp;") in text


@pytest.mark.parametrize(
    "bad", ["2026-13-01", "٢٠٢٦-03-01", "yesterday", "9999-12-31", "0001-01-01"]
)
def test_a_calendar_date_it_cannot_read_shows_this_month(editor, bad):
    with time_machine.travel(NOW, tick=False):
        response = client_for(editor).get(calendar_url(view="month", date=bad))
    assert response.status_code == 200
    assert response.context["period"].start == date(2026, 3, 1)


# Session, user, permissions (2), the releases of the period, and a press officer's agencies
# (an editor's instead: the approved releases waiting for a time, none here); measured on
# PostgreSQL, nothing per release or day.
CALENDAR_MAX_QUERIES = {"editor": 6, "press_officer": 6}
# With approved releases waiting, what their checks read as well: flags, lead photos and
# their images, gallery items and their images, translation records.
CALENDAR_WITH_AWAITING_QUERIES = 6 + 6


@pytest.mark.parametrize("role", ["editor", "press_officer"])
def test_the_calendar_queries_stay_fixed_however_many_releases(
    request, role, agency, django_assert_max_num_queries
):
    user = request.getfixturevalue(role)
    with time_machine.travel(NOW, tick=False):
        client = client_for(user)
        article_in(Status.SCHEDULED, agency=agency, publish_at=NOW + timedelta(hours=1))
        with CaptureQueriesContext(connection) as one:
            client.get(calendar_url(view="month", date="2026-03-11"))
        for hours in range(3, 40 * 3, 3):
            article_in(Status.SCHEDULED, agency=agency, publish_at=NOW + timedelta(hours=hours))
            article_in(Status.PUBLISHED, agency=agency, published_at=NOW - timedelta(hours=hours))
        with django_assert_max_num_queries(CALENDAR_MAX_QUERIES[role]):
            response = client.get(calendar_url(view="month", date="2026-03-11"))
    assert len(one) <= CALENDAR_MAX_QUERIES[role]
    assert response.content.decode().count('id="calendar-article-') == 79


def test_every_see_all_link_opens_a_list_of_what_its_block_counts(
    editor, press_officer, agency, other_agency
):
    both = UserFactory(username="both", groups=[roles.PRESS_OFFICERS, roles.EDITORS])
    MembershipFactory(user=both, agency=agency)
    article_in(Status.DRAFT, agency=other_agency)
    article_in(Status.SCHEDULED, agency=other_agency)
    returned = article_in(Status.CHANGES_REQUESTED, agency=agency)
    step(returned, "request_changes", Status.CHANGES_REQUESTED, NOW, actor=editor,
         comment="Why.", from_status=Status.IN_REVIEW)  # fmt: skip
    for status in (Status.DRAFT, Status.IN_REVIEW, Status.SCHEDULED, Status.PUBLISHED):
        article_in(status, agency=agency)
    ArticleFlag.objects.create(article=article_in(Status.IN_REVIEW), code="empty_body")
    article_in(Status.PUBLISHED, agency=agency, published_at=NOW - timedelta(days=30))
    ImportRun.objects.create(input_name="feed.xml", status=ImportRun.Status.FAILED)
    ImportRun.objects.create(input_name="digest.txt", status=ImportRun.Status.PARTIAL)
    original = article_in(Status.PUBLISHED, agency=agency, language="ru")
    TranslationJob.objects.create(original=original, language="kk", status="needs_person")

    for user in (press_officer, editor, both):
        home = desk.home(user)
        client = client_for(user)
        for shown in home.officer + home.editor:
            response = client.get(shown.see_all)
            assert response.status_code == 200, shown.key
            if "cl" in response.context:
                assert response.context["cl"].result_count == shown.count, shown.key
            else:  # the translations overview lists originals, not translations
                assert shown.key == "machine_translations"


def test_the_releases_waiting_for_a_time_cost_the_same_queries_for_one_or_ten(editor, agency):
    def an_approved_release(n):
        article = approved(agency, at=NOW - timedelta(hours=n + 1), lead="" if n % 2 else "Lead.")
        ArticleFlag.objects.create(article=article, code="suspect_title")
        LeadImage.objects.create(article=article, image=ImageFactory())
        GalleryImage.objects.create(article=article, image=ImageFactory(), position=0)
        return article

    with time_machine.travel(NOW, tick=False):
        client = client_for(editor)
        an_approved_release(0)
        with CaptureQueriesContext(connection) as one:
            client.get(calendar_url(view="month", date="2026-03-11"))
        for n in range(1, 10):
            an_approved_release(n)
        with CaptureQueriesContext(connection) as ten:
            response = client.get(calendar_url(view="month", date="2026-03-11"))
    assert len(one) == len(ten) == CALENDAR_WITH_AWAITING_QUERIES, [q["sql"] for q in ten]
    page = response.content.decode()
    assert page.count('<li class="awaiting-item"') == 10
    # Every one has a warning (the flag), so every one asks for the reason.
    assert page.count('-override_reason" required') == 10


def test_the_calendar_schedules_a_release_for_distribution_under_embargo(editor, agency):
    with time_machine.travel(NOW, tick=False):
        article = approved(agency)
        client = client_for(editor)
        url = calendar_url(view="week", date="2026-03-11")
        item = awaiting_item(client.get(url).content.decode(), article)
        assert f'name="schedule-{article.pk}-distribute_under_embargo"' in item

        response = client.post(
            url, schedule_data(article, "2026-03-18", "09:15", distribute_under_embargo="on")
        )

        assert response.status_code == 302
        article.refresh_from_db()
        assert (article.status, article.distribute_under_embargo) == (Status.SCHEDULED, True)
        # Moved on the calendar, it keeps the choice.
        client.post(url, reschedule_data(article, "2026-03-19", "10:00"))
        article.refresh_from_db()
        assert article.publish_at == datetime(2026, 3, 19, 10, 0, tzinfo=ALMATY)
        assert article.distribute_under_embargo is True
