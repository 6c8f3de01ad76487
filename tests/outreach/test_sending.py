"""Who is sent a release, in which language, and the daily digests."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from news import workflow
from news.models import Article
from outreach import sending, tasks
from outreach.models import Delivery, Subscription
from tests.factories import AgencyFactory, ArticleFactory, DistrictFactory, seeded_region

from .factories import SubscriptionFactory
from .helpers import publish, published_since, translate

pytestmark = pytest.mark.django_db
ALMATY = ZoneInfo("Asia/Almaty")


def body(message) -> str:
    return message.get_body(("plain",)).get_content()


def announce(article, capture):
    with capture(execute=True):
        tasks.announce_release.delay(article.pk)


def test_a_region_s_follower_gets_its_districts_releases_and_nothing_else(
    smtp_server, editor, django_capture_on_commit_callbacks
):
    region = seeded_region("KZ-79")
    district = DistrictFactory(parent=region)
    other_region = seeded_region("KZ-75")
    SubscriptionFactory(email="region@example.kz", regions=[region])
    SubscriptionFactory(email="other@example.kz", regions=[other_region])
    SubscriptionFactory(email="everything@example.kz")
    with django_capture_on_commit_callbacks(execute=True):
        publish(editor, region=district)
    assert smtp_server.recipients() == {"region@example.kz": 1, "everything@example.kz": 1}


def test_agency_tag_and_language_follows(smtp_server, django_capture_on_commit_callbacks):
    agency = AgencyFactory()
    release = ArticleFactory(
        status=Article.Status.PUBLISHED,
        published_at=timezone.now(),
        agency=agency,
        language="ru",
        tags=["экономика"],
    )
    from taggit.models import Tag

    economy = Tag.objects.get(name="экономика")
    SubscriptionFactory(email="agency@example.kz", agencies=[agency])
    SubscriptionFactory(email="tag@example.kz", tags=[economy])
    SubscriptionFactory(email="ru@example.kz", release_languages="ru")
    SubscriptionFactory(email="en-only@example.kz", release_languages="en")
    SubscriptionFactory(email="other-agency@example.kz", agencies=[AgencyFactory()])
    SubscriptionFactory(email="unconfirmed@example.kz", confirmed_at=None)
    SubscriptionFactory(email="digest@example.kz", frequency=Subscription.Frequency.DAILY)
    announce(release, django_capture_on_commit_callbacks)
    assert smtp_server.recipients() == {
        "agency@example.kz": 1,
        "tag@example.kz": 1,
        "ru@example.kz": 1,
    }


def test_each_story_is_sent_once_in_the_subscriber_s_language(
    smtp_server, editor, django_capture_on_commit_callbacks
):
    original = published_since(0.1, language="kk", title="Әкім кездесті")
    russian = translate(original, "ru", title="Аким встретился")
    SubscriptionFactory(email="kk@example.kz", language="kk")
    SubscriptionFactory(email="ru@example.kz", language="ru")
    SubscriptionFactory(email="en@example.kz", language="en")
    announce(original, django_capture_on_commit_callbacks)
    announce(russian, django_capture_on_commit_callbacks)  # the same story: nobody twice
    by_address = {str(m["To"]): m for m in smtp_server.messages}
    assert len(smtp_server.messages) == 3
    assert by_address["kk@example.kz"]["Subject"].strip() == "Әкім кездесті"
    assert by_address["ru@example.kz"]["Subject"].strip() == "Аким встретился"
    assert russian.slug in body(by_address["ru@example.kz"])
    english = by_address["en@example.kz"]
    assert english["Subject"].strip() == "Әкім кездесті"  # the original, with a note
    assert "not published in your language; this is the original" in body(english)
    assert Delivery.objects.filter(release=original, kind="release").count() == 3


def test_the_email_carries_the_whole_release_in_text_and_html(
    smtp_server, django_capture_on_commit_callbacks
):
    release = published_since(
        0.1,
        language="ru",
        title="Аким встретился с жителями",
        lead="Встреча прошла в Шымкенте.",
        body="<p>Обсудили <strong>отопительный</strong> сезон.</p><p>Второй абзац.</p>",
    )
    SubscriptionFactory(email="ru@example.kz", language="ru")
    announce(release, django_capture_on_commit_callbacks)
    (message,) = smtp_server.messages
    text = body(message)
    assert "Встреча прошла в Шымкенте." in text
    assert "Обсудили отопительный сезон." in text and "Второй абзац." in text
    html = message.get_body(("html",)).get_content()
    assert "<p>Обсудили <strong>отопительный</strong> сезон.</p>" in html


def test_a_scheduled_release_is_sent_when_the_publisher_takes_it_public(
    smtp_server, django_capture_on_commit_callbacks
):
    SubscriptionFactory(email="a@example.kz")
    release = ArticleFactory(
        status=Article.Status.SCHEDULED, publish_at=timezone.now() - timedelta(minutes=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert workflow.publish_due_articles() == [release.pk]
    assert smtp_server.recipients() == {"a@example.kz": 1}


def test_a_release_withdrawn_before_the_worker_came_sends_nothing(smtp_server):
    SubscriptionFactory()
    release = ArticleFactory(status=Article.Status.APPROVED)
    assert sending.announce(release.pk) == 0
    assert (
        sending.send_release_batch(
            release.pk, list(Subscription.objects.values_list("pk", flat=True))
        )
        == 0
    )
    assert smtp_server.messages == []


def test_the_email_shows_the_lead_photo_by_its_absolute_address(smtp_server, settings):
    from media_library.models import LeadImage
    from tests.factories import ImageFactory

    settings.PRESSROOM_SITE_URL = "https://press.example.kz"
    release = published_since(0.1)
    image = ImageFactory(agency=release.agency)
    LeadImage.objects.create(article=release, image=image)
    subscription = SubscriptionFactory()
    sending.send_release_batch(release.pk, [subscription.pk])
    (message,) = smtp_server.messages
    html = message.get_body(("html",)).get_content()
    assert f'src="https://press.example.kz/files/images/{image.key}/w800.jpeg"' in html
    assert html.count("<img") == 1


def test_sending_a_batch_asks_a_bounded_number_of_queries(
    smtp_server, django_assert_max_num_queries
):
    release = published_since(0.1)
    ids = [SubscriptionFactory().pk for _ in range(30)]
    # The story (4), subscribers (1), the claim (3), then one update per email sent.
    with django_assert_max_num_queries(12 + 30):
        assert sending.send_release_batch(release.pk, ids) == 30


def at(day, hour, minute=0):
    return datetime(2026, 12, day, hour, minute, tzinfo=ALMATY)


def test_a_digest_comes_at_the_chosen_almaty_hour_with_what_was_published_since(
    smtp_server, django_capture_on_commit_callbacks
):
    follower = SubscriptionFactory(
        email="digest@example.kz",
        language="ru",
        frequency=Subscription.Frequency.DAILY,
        digest_hour=9,
        confirmed_at=at(6, 12),
        digest_through=at(6, 12),
    )
    SubscriptionFactory(
        frequency=Subscription.Frequency.DAILY,
        digest_hour=18,
        confirmed_at=at(6, 12),
        digest_through=at(6, 12),
    )
    before = ArticleFactory(
        status=Article.Status.PUBLISHED, published_at=at(6, 11), title="Вчера утром"
    )
    first = ArticleFactory(
        status=Article.Status.PUBLISHED, published_at=at(6, 15), title="Вчера днём", language="ru"
    )
    second = ArticleFactory(
        status=Article.Status.PUBLISHED,
        published_at=at(7, 8, 30),
        title="Сегодня утром",
        language="ru",
    )
    ArticleFactory(
        status=Article.Status.PUBLISHED, published_at=at(7, 9, 30), title="После дайджеста"
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert sending.queue_digests(now=at(7, 8, 59)) == 0  # not yet its hour
    assert smtp_server.messages == []
    with django_capture_on_commit_callbacks(execute=True):
        sending.queue_digests(now=at(7, 9, 0))
    (digest,) = smtp_server.messages
    assert digest["To"] == "digest@example.kz"
    assert digest["Subject"].strip() == "Пресс-релизы за 7 декабря 2026 г."
    text = body(digest)
    assert first.title in text and second.title in text
    assert before.title not in text and "После дайджеста" not in text
    assert text.index(first.title) < text.index(second.title)
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    follower.refresh_from_db()
    assert follower.digest_through == at(7, 9)

    # Beat again within the hour, or a re-delivered batch: nothing more that day.
    with django_capture_on_commit_callbacks(execute=True):
        sending.queue_digests(now=at(7, 9, 40))
    sending.send_digest_batch("2026-12-07", [follower.pk])
    assert len(smtp_server.messages) == 1
    # The next day's digest starts where this one ended.
    with django_capture_on_commit_callbacks(execute=True):
        sending.queue_digests(now=at(8, 10))
    assert len(smtp_server.messages) == 2
    assert "После дайджеста" in body(smtp_server.messages[1])
    assert first.title not in body(smtp_server.messages[1])


def test_a_digest_missed_by_beat_is_sent_at_the_next_run_and_an_empty_one_not_at_all(
    smtp_server, django_capture_on_commit_callbacks
):
    subscriber = SubscriptionFactory(
        frequency=Subscription.Frequency.DAILY,
        digest_hour=6,
        confirmed_at=at(6, 12),
        digest_through=at(6, 12),
    )
    with django_capture_on_commit_callbacks(execute=True):
        sending.queue_digests(now=at(7, 8))
    assert smtp_server.messages == []  # nothing published: no email
    subscriber.refresh_from_db()
    assert subscriber.digest_through == at(7, 6)
    ArticleFactory(status=Article.Status.PUBLISHED, published_at=at(7, 20))
    with django_capture_on_commit_callbacks(execute=True):
        sending.queue_digests(now=at(8, 11))  # beat was down at 06:00
    assert len(smtp_server.messages) == 1
    assert Delivery.objects.get(kind="digest:2026-12-08").status == Delivery.Status.SENT


def test_beat_runs_digests_every_hour_and_forgets_unconfirmed_daily(settings):
    digests = settings.CELERY_BEAT_SCHEDULE["send-email-digests"]
    assert digests["task"] == tasks.send_due_digests.name
    assert digests["schedule"].minute == {0} and digests["schedule"].hour == set(range(24))
    resend = settings.CELERY_BEAT_SCHEDULE["resend-announcements"]
    assert resend["task"] == tasks.resend_announcements.name
    assert resend["schedule"].minute == set(range(60))
    forget = settings.CELERY_BEAT_SCHEDULE["forget-unconfirmed-subscriptions"]
    assert forget["task"] == tasks.forget_unconfirmed_subscriptions.name


def test_a_release_published_while_the_task_queue_is_down_is_announced_when_it_is_back(
    smtp_server, editor, django_capture_on_commit_callbacks, monkeypatch
):
    from news import queue
    from outreach.models import Announcement

    SubscriptionFactory(email="a@example.kz")
    monkeypatch.setattr(queue, "enqueue", lambda *args, **kwargs: False)
    with django_capture_on_commit_callbacks(execute=True):
        release = publish(editor)
    announcement = Announcement.objects.get(release=release)
    assert (announcement.status, announcement.error_code) == ("queued", queue.QUEUE_UNAVAILABLE)
    assert smtp_server.messages == []
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.resend_announcements() == 1
    assert smtp_server.recipients() == {"a@example.kz": 1}
    announcement.refresh_from_db()
    assert (announcement.status, announcement.error_code) == ("fanned_out", "")
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.resend_announcements() == 0  # nothing waits any more
