"""The subscription pages, and the whole path a journalist takes: subscribe, confirm,
receive, unsubscribe in one click."""

import re
import urllib.parse

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from outreach import subscriptions, tokens
from outreach.models import Subscription
from tests.factories import AgencyFactory, DistrictFactory, seeded_region

from .factories import SubscriptionFactory
from .helpers import publish

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


def link_in(message, path_part: str) -> str:
    text = message.get_body(("plain",)).get_content()
    return re.search(rf"https?://\S+{path_part}\S+/", text).group(0)


def path_of(url: str) -> str:
    return urllib.parse.urlsplit(url).path


def subscribe(client, language="kk", **data):
    form = {"email": "tilshi@example.kz", "frequency": "immediate", "digest_hour": "8", **data}
    return client.post(f"/{language}/subscribe/", form)


def test_a_journalist_subscribes_in_kazakh_gets_one_release_and_unsubscribes_in_one_click(
    client, smtp_server, editor, django_capture_on_commit_callbacks
):
    region = seeded_region("KZ-79")
    with django_capture_on_commit_callbacks(execute=True):
        response = subscribe(client, regions=[region.pk])
    assert response.status_code == 302
    (confirmation,) = smtp_server.wait_for(1)
    assert confirmation["To"] == "tilshi@example.kz"
    # Python's parser keeps the space Django folds an encoded subject with.
    assert confirmation["Subject"].strip() == "Баспасөз хабарламаларына жазылымды растаңыз"

    confirm_path = path_of(link_in(confirmation, "/kk/subscribe/confirm/"))
    page = client.get(confirm_path)
    assert "Растау" in page.content.decode()
    assert not Subscription.objects.get().confirmed_at  # a mail scanner's GET confirms nothing
    client.post(confirm_path)
    assert Subscription.objects.get().confirmed_at

    smtp_server.clear()
    with django_capture_on_commit_callbacks(execute=True):
        release = publish(editor, language="kk", title="Әкім тұрғындармен кездесті", region=region)
    (email,) = smtp_server.wait_for(1)
    assert email["Subject"].strip() == release.title
    assert email["To"] == "tilshi@example.kz"
    assert "Хабарламаны оқу" in email.get_body(("plain",)).get_content()
    assert email.get_body(("html",)).get_content().count(release.get_absolute_url()) >= 1
    assert email["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe_url = email["List-Unsubscribe"].strip().strip("<>")
    assert path_of(unsubscribe_url).startswith("/kk/subscribe/unsubscribe/")

    # A mail service's one-click unsubscribe: a POST without cookies or CSRF token.
    one_click = client_class_without_csrf().post(
        path_of(unsubscribe_url), {"List-Unsubscribe": "One-Click"}
    )
    assert one_click.status_code == 200
    assert not Subscription.objects.exists()

    smtp_server.clear()
    with django_capture_on_commit_callbacks(execute=True):
        publish(editor, language="kk", region=region)
    assert smtp_server.messages == []


def client_class_without_csrf():
    from django.test import Client

    return Client(enforce_csrf_checks=True)


@pytest.mark.parametrize(
    ("query", "field", "expected"),
    [
        ("region=astana", "regions", "astana"),
        ("agency=akimat-of-kostanay", "agencies", "akimat-of-kostanay"),
    ],
)
def test_a_list_page_s_link_presets_its_section(client, query, field, expected):
    AgencyFactory(slug="akimat-of-kostanay")
    response = client.get(f"/ru/subscribe/?{query}")
    chosen = response.context["form"].initial[field]
    assert [item.slug for item in chosen] == [expected]
    assert "checked" in response.content.decode() or "selected" in response.content.decode()


def test_a_district_page_offers_its_district(client):
    district = DistrictFactory()
    response = client.get(f"/en/subscribe/?region={district.slug}")
    assert district.name_en in response.content.decode()


def test_every_list_page_links_to_subscribe_preset_to_it(client):
    AgencyFactory(slug="akimat-of-kostanay")
    assert 'href="/en/subscribe/"' in client.get("/en/releases/").content.decode()
    for path, query in [
        ("/en/regions/astana/", "region=astana"),
        ("/kk/agencies/akimat-of-kostanay/", "agency=akimat-of-kostanay"),
    ]:
        page = client.get(path).content.decode()
        assert f"/subscribe/?{query}" in page, path


def test_the_subscribe_page_is_in_each_language_and_never_cached(client):
    for language, heading in [
        ("kk", "Хабарламаларға электрондық пошта арқылы жазылу"),
        ("ru", "Подписка на пресс-релизы по электронной почте"),
        ("en", "Subscribe to releases by email"),
    ]:
        response = client.get(f"/{language}/subscribe/")
        assert heading in response.content.decode()
        assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_bad_input_is_explained_not_a_500(client, django_capture_on_commit_callbacks):
    response = subscribe(client, language="en", email="not an address", tags="no-such-tag")
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["email"] and "no-such-tag" in str(form.errors["tags"])
    response = subscribe(client, language="en", frequency="hourly", digest_hour="25")
    assert set(response.context["form"].errors) == {"frequency", "digest_hour"}
    assert not Subscription.objects.exists()


def test_the_answer_is_the_same_whether_or_not_the_address_is_subscribed(
    client, smtp_server, django_capture_on_commit_callbacks
):
    SubscriptionFactory(email="known@example.kz", language="ru")
    answers = []
    for email in ("known@example.kz", "unknown@example.kz"):
        with django_capture_on_commit_callbacks(execute=True):
            response = subscribe(client, language="ru", email=email)
        answers.append((response.status_code, response["Location"]))
        followed = client.get(response["Location"])
        answers.append((followed.status_code, followed.content))
    assert answers[0] == answers[2] and answers[1] == answers[3]
    # Each address receives one email; only its owner sees which kind.
    assert smtp_server.recipients() == {"known@example.kz": 1, "unknown@example.kz": 1}
    assert Subscription.objects.get(email="known@example.kz").frequency == "immediate"


def test_the_client_address_limit_refuses_with_a_clear_message(client, monkeypatch):
    monkeypatch.setattr(subscriptions, "REQUESTS_PER_CLIENT_HOUR", 2)
    statuses = [subscribe(client, email=f"a{n}@example.kz").status_code for n in range(3)]
    assert statuses == [302, 302, 429]
    response = subscribe(client, language="en", email="a9@example.kz")
    assert "Too many requests from your network" in response.content.decode()
    assert Subscription.objects.count() == 2


def test_the_manage_page_changes_what_is_followed(client):
    subscription = SubscriptionFactory(language="ru")
    region = seeded_region("KZ-79")
    with translation.override("ru"):
        path = reverse("outreach:manage", args=[tokens.make(subscription, tokens.MANAGE)])
    page = client.get(path)
    assert "Ваша подписка" in page.content.decode()
    response = client.post(
        path,
        {
            "regions": [region.pk],
            "release_languages": ["ru"],
            "frequency": "daily",
            "digest_hour": 9,
        },
    )
    assert "Выбор сохранён" in response.content.decode()
    subscription.refresh_from_db()
    assert (subscription.frequency, subscription.digest_hour) == ("daily", 9)
    assert list(subscription.regions.all()) == [region]
    assert subscription.follows_everything is False
    assert subscription.languages == ["ru"]


@pytest.mark.parametrize("view", ["confirm", "manage", "unsubscribe"])
def test_a_tampered_link_is_refused(client, view):
    subscription = SubscriptionFactory()
    purpose = tokens.CONFIRM if view == "confirm" else tokens.MANAGE
    token = tokens.make(subscription, purpose)
    tampered = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    response = client.get(reverse(f"outreach:{view}", args=[tampered]))
    assert response.status_code == 400
    assert "This link is not valid" in response.content.decode()
    # A link made for another purpose is refused too.
    other = tokens.make(
        subscription, tokens.MANAGE if purpose == tokens.CONFIRM else tokens.CONFIRM
    )
    assert client.get(reverse(f"outreach:{view}", args=[other])).status_code == 400


def test_unsubscribing_twice_says_it_is_done(client):
    subscription = SubscriptionFactory()
    path = reverse("outreach:unsubscribe", args=[tokens.make(subscription, tokens.MANAGE)])
    assert "End your subscription" in client.get(path).content.decode()
    assert Subscription.objects.exists()  # GET only asks
    assert client.post(path).status_code == 200
    assert client.post(path).status_code == 200
    assert client.get(path).status_code == 410
