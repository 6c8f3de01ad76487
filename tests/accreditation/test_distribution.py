"""Releases sent to accredited journalists before their time, and the notices that follow
(accreditation.distribution), through a real SMTP server (tests/smtp.py)."""

import re
from datetime import timedelta
from email.message import EmailMessage

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from accreditation import distribution
from accreditation.models import Distribution, LinkOpening
from news import workflow
from news.models import Article, ArticleTransition
from outreach.models import Delivery
from tests.factories import ArticleFactory, DistrictFactory, seeded_region

from .factories import AccreditationFactory

pytestmark = pytest.mark.django_db


def parts(message: EmailMessage) -> tuple[str, str]:
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    return text, html


def subject(message: EmailMessage) -> str:
    # Django folds a long non-ASCII subject onto the next line; parsed, it keeps a space.
    return str(message["Subject"]).strip()


def personal_link(text: str) -> str:
    return re.search(r"https?://[^\s]+/embargoed/[^\s]+/", text).group(0)


def path_of(url: str) -> str:
    return url.split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def schedule_on_the_step_page(client, article, when, *, distribute=True):
    local = timezone.localtime(when)
    data = {"publish_at_0": local.strftime("%Y-%m-%d"), "publish_at_1": local.strftime("%H:%M")}
    if distribute:
        data["distribute_under_embargo"] = "on"
    url = reverse("admin:news_article_transition", args=[article.pk, "schedule"])
    return client.post(url, data)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_embargoed_release_reaches_the_journalist_and_the_public_at_its_time(
    smtp_server, editor, agency, settings
):
    """Done when: scheduled with the option, the release reaches an accredited journalist
    with a working personal link, stays invisible to the public (page, list, feed, API,
    sitemap, search) until its time, appears then, and the link leads to the public page."""
    settings.PRESSROOM_SITE_URL = "https://pressroom.example.kz"
    journalist = AccreditationFactory(
        journalist="Айгуль Серикова", email="aigul@press.example.kz", agencies=[agency],
        languages=["ru"],
    )  # fmt: skip
    AccreditationFactory(email="other@press.example.kz", languages=["ru"])  # follows nothing
    article = ArticleFactory(
        agency=agency, language="ru", status=Article.Status.APPROVED,
        title="Водопровод в Тургене", lead="Сто домов получили воду.",
        body="<p>Строительство <strong>завершено</strong> досрочно.</p>",
    )  # fmt: skip
    when = (timezone.now() + timedelta(days=1)).replace(second=0, microsecond=0)
    editor_client = Client()
    editor_client.force_login(editor)

    response = schedule_on_the_step_page(editor_client, article, when)

    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.status, article.publish_at, article.distribute_under_embargo) == (
        Article.Status.SCHEDULED, when, True,
    )  # fmt: skip
    [message] = smtp_server.wait_for(1)
    assert message["To"] == "aigul@press.example.kz"
    local = timezone.localtime(when).strftime("%d.%m.%Y %H:%M")
    assert subject(message) == f"ЭМБАРГО ДО {local} (Asia/Almaty): Водопровод в Тургене"
    text, html = parts(message)
    assert text.startswith(f"ЭМБАРГО ДО {local} (Asia/Almaty). Не для публикации до этого времени.")
    assert "Строительство завершено досрочно." in text
    assert "<strong>завершено</strong>" in html
    assert f"ЭМБАРГО ДО {local} (Asia/Almaty)" in html.split("<h1")[0]
    link = personal_link(text)
    assert link.startswith("https://pressroom.example.kz/ru/embargoed/")
    assert link in html

    reader = Client()
    opened = reader.get(path_of(link), HTTP_USER_AGENT="Reporter/1.0", REMOTE_ADDR="203.0.113.7")
    assert opened.status_code == 200
    assert "Водопровод в Тургене" in opened.content.decode()
    assert "ЭМБАРГО до" in opened.content.decode()
    [opening] = LinkOpening.objects.all()
    assert (opening.accreditation, opening.article, opening.client_address) == (
        journalist, article, "203.0.113.7",
    )  # fmt: skip

    public = [
        f"/ru/releases/{article.slug}/",
        "/ru/releases/",
        "/ru/feeds/atom/",
        "/api/v1/articles",
        "/sitemap-releases.xml",
        "/ru/search/?q=Водопровод",
    ]
    cache.clear()
    for address in public[1:]:
        assert "Водопровод в Тургене" not in reader.get(address).content.decode(), address
    assert reader.get(public[0]).status_code == 404

    with time_machine.travel(when + timedelta(seconds=30)):
        assert workflow.publish_due_articles() == [article.pk]
        cache.clear()
        assert reader.get(public[0]).status_code == 200
        for address in public[1:]:
            body = reader.get(address).content.decode()
            assert "Водопровод в Тургене" in body or article.slug in body, address
        after = reader.get(path_of(link))
        assert after.status_code == 302
        assert after["Location"] == f"/ru/releases/{article.slug}/"
    # Nobody else was written to, and publishing told the journalist nothing more.
    assert smtp_server.recipients() == {"aigul@press.example.kz": 1}


@pytest.fixture
def sent(smtp_server, journalist, embargoed):
    distribution.reconcile(embargoed.pk)
    smtp_server.wait_for(1)
    smtp_server.clear()
    return embargoed


def test_each_follower_receives_it_once_however_often_it_is_reconciled(
    smtp_server, journalist, embargoed
):
    assert distribution.reconcile(embargoed.pk) == 1
    assert distribution.reconcile(embargoed.pk) == 0

    assert smtp_server.recipients() == {journalist.email: 1}
    [record] = Distribution.objects.all()
    assert (record.accreditation, record.version, record.embargo_until) == (
        journalist, embargoed, embargoed.publish_at,
    )  # fmt: skip


def test_who_follows_a_release(smtp_server, embargoed, agency):
    region = embargoed.region  # Shymkent, the agency's region
    district = DistrictFactory(parent=region)
    embargoed.region = district
    embargoed.save()
    embargoed.tags.add("вода")
    by_region = AccreditationFactory(email="region@example.kz", regions=[region])
    by_district = AccreditationFactory(email="district@example.kz", regions=[district])
    by_tag = AccreditationFactory(email="tag@example.kz", tags=[Tag.objects.get(name="вода")])
    by_agency = AccreditationFactory(email="agency@example.kz", agencies=[agency])
    AccreditationFactory(email="elsewhere@example.kz", regions=[seeded_region("KZ-75")])
    AccreditationFactory(email="inactive@example.kz", agencies=[agency], is_active=False)
    AccreditationFactory(
        email="expired@example.kz", agencies=[agency],
        active_until=timezone.localdate() - timedelta(days=1),
    )  # fmt: skip

    distribution.reconcile(embargoed.pk)

    expected = {a.email for a in (by_region, by_district, by_tag, by_agency)}
    assert set(smtp_server.recipients()) == expected
    assert all(count == 1 for count in smtp_server.recipients().values())


def test_without_the_option_nobody_receives_it(smtp_server, journalist, embargoed):
    Article.objects.filter(pk=embargoed.pk).update(distribute_under_embargo=False)

    assert distribution.reconcile(embargoed.pk) == 0
    assert smtp_server.messages == []


def test_the_journalist_gets_the_version_in_their_language(smtp_server, agency, embargoed):
    kazakh = ArticleFactory(
        agency=agency, language="kk", status=Article.Status.APPROVED,
        translation_group=embargoed.translation_group, title="Әкім жаңа мектеп ашты",
        body="<p>Мектеп бір жылда салынды.</p>",
    )  # fmt: skip
    ArticleFactory(
        agency=agency, language="en", status=Article.Status.DRAFT,
        translation_group=embargoed.translation_group, title="Draft in English",
    )  # fmt: skip
    reads_kazakh = AccreditationFactory(
        email="kk@example.kz", agencies=[agency], languages=["kk", "ru"]
    )
    reads_english = AccreditationFactory(email="en@example.kz", agencies=[agency], languages=["en"])

    distribution.reconcile(embargoed.pk)

    messages = {str(m["To"]): m for m in smtp_server.wait_for(2)}
    subjects = {to: subject(m) for to, m in messages.items()}
    kk_text, _html = parts(messages[reads_kazakh.email])
    assert subjects[reads_kazakh.email].startswith("ЭМБАРГО ")
    assert subjects[reads_kazakh.email].endswith("ДЕЙІН: Әкім жаңа мектеп ашты")
    assert "Мектеп бір жылда салынды." in kk_text
    assert "/kk/embargoed/" in kk_text
    # No reviewed English version: the release as scheduled, the email in English.
    en_text, _html = parts(messages[reads_english.email])
    assert subjects[reads_english.email].startswith("EMBARGOED UNTIL ")
    assert subjects[reads_english.email].endswith("(Asia/Almaty): Аким открыл новую школу")
    assert "Draft in English" not in en_text
    assert Distribution.objects.get(accreditation=reads_kazakh).version == kazakh
    page = Client().get(path_of(personal_link(kk_text)))
    assert "Әкім жаңа мектеп ашты" in page.content.decode()


def test_the_lead_photo_is_in_the_email_through_the_link(smtp_server, journalist, with_media):
    distribution.reconcile(with_media.pk)

    [message] = smtp_server.wait_for(1)
    _text, html = parts(message)
    photo = re.search(r'<img src="([^"]+)"', html).group(1)
    assert "/ru/embargoed/" in photo and str(with_media.lead_image.image.key) in photo
    response = Client().get(path_of(photo))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"


def test_a_withdrawal_is_announced_once_in_the_journalists_language(
    smtp_server, sent, journalist, editor
):
    workflow.apply_transition("unschedule", article=sent, user=editor)

    assert distribution.reconcile(sent.pk) == 1
    assert distribution.reconcile(sent.pk) == 0

    [message] = smtp_server.messages
    assert subject(message) == "ОТОЗВАНО, не публикуйте: Аким открыл новую школу"
    text, _html = parts(message)
    assert "отозван" in text and "/embargoed/" not in text
    assert Distribution.objects.get().withdrawn_at is not None


def test_a_release_returned_for_changes_is_a_withdrawal(smtp_server, sent, editor):
    workflow.apply_transition("request_changes", article=sent, user=editor, comment="Цифры")

    distribution.reconcile(sent.pk)

    assert [subject(m) for m in smtp_server.messages] == [
        "ОТОЗВАНО, не публикуйте: Аким открыл новую школу"
    ]


def test_a_new_time_is_announced_once_with_a_new_link(smtp_server, sent, journalist, editor):
    old_time = sent.publish_at
    new_time = old_time + timedelta(hours=3)
    workflow.apply_transition("schedule", article=sent, user=editor, publish_at=new_time)

    assert distribution.reconcile(sent.pk) == 1
    assert distribution.reconcile(sent.pk) == 0

    [message] = smtp_server.messages
    local = timezone.localtime(new_time).strftime("%d.%m.%Y %H:%M")
    assert subject(message) == (
        f"Эмбарго перенесено, теперь ЭМБАРГО ДО {local} (Asia/Almaty): Аким открыл новую школу"
    )
    text, _html = parts(message)
    assert timezone.localtime(old_time).strftime("%d.%m.%Y %H:%M") in text
    assert Client().get(path_of(personal_link(text))).status_code == 200
    assert Distribution.objects.get().embargo_until == new_time
    assert Delivery.objects.filter(kind=f"embargo_moved:{new_time.isoformat()}").count() == 1


def test_scheduled_again_after_a_withdrawal_it_is_sent_again(smtp_server, sent, journalist, editor):
    workflow.apply_transition("unschedule", article=sent, user=editor)
    distribution.reconcile(sent.pk)
    smtp_server.clear()
    again = timezone.now() + timedelta(days=2)
    workflow.apply_transition(
        "schedule", article=sent, user=editor, publish_at=again, distribute_under_embargo=True
    )

    distribution.reconcile(sent.pk)

    [message] = smtp_server.messages
    assert subject(message).startswith("ЭМБАРГО ДО ")
    assert Distribution.objects.get().withdrawn_at is None


def test_nothing_is_announced_after_the_embargo(smtp_server, sent, editor):
    with time_machine.travel(sent.publish_at + timedelta(minutes=5)):
        workflow.publish_due_articles()
        workflow.apply_transition("unpublish", article=sent, user=editor, comment="Ошибка")
        assert distribution.reconcile(sent.pk) == 0
    assert smtp_server.messages == []


def test_published_early_the_embargo_is_lifted_once(smtp_server, sent, journalist, editor):
    embargo = sent.publish_at
    workflow.apply_transition("publish", article=sent, user=editor)
    sent.refresh_from_db()

    assert distribution.reconcile(sent.pk) == 1
    assert distribution.reconcile(sent.pk) == 0

    [message] = smtp_server.messages
    assert subject(message) == "Эмбарго снято, опубликовано: Аким открыл новую школу"
    text, html = parts(message)
    assert timezone.localtime(embargo).strftime("%d.%m.%Y %H:%M") in text
    assert timezone.localtime(sent.published_at).strftime("%d.%m.%Y %H:%M") in text
    assert f"/ru/releases/{sent.slug}/" in text and "/embargoed/" not in text
    assert f"/ru/releases/{sent.slug}/" in html
    assert Distribution.objects.get().embargo_until == sent.published_at


def test_a_revoked_journalist_hears_nothing_more(smtp_server, sent, journalist, editor):
    journalist.is_active = False
    journalist.save()
    workflow.apply_transition(
        "schedule", article=sent, user=editor, publish_at=sent.publish_at + timedelta(hours=1)
    )

    distribution.reconcile(sent.pk)

    assert smtp_server.messages == []


@pytest.mark.parametrize(
    ("name", "from_status", "to_status", "concerns"),
    [
        ("schedule", "approved", "scheduled", True),
        ("schedule", "scheduled", "scheduled", True),
        ("unschedule", "scheduled", "approved", True),
        ("request_changes", "scheduled", "changes_requested", True),
        ("publish", "scheduled", "published", True),
        ("publish", "approved", "published", False),
        ("approve", "in_review", "approved", False),
        ("request_changes", "in_review", "changes_requested", False),
    ],
)
def test_which_steps_concern_journalists(name, from_status, to_status, concerns):
    step = ArticleTransition(name=name, from_status=from_status, to_status=to_status)

    assert distribution.concerns_journalists(step) is concerns
