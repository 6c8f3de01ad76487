import pytest
from django.core import mail
from django.utils import timezone

from news import roles
from people.models import Preferences
from webhooks.notifications import notify_endpoint_paused

from ..factories import UserFactory
from .factories import DeliveryFactory, EndpointFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def paused():
    endpoint = EndpointFactory(
        name="Kazinform", url="https://partner.example.kz/hooks", paused_at=timezone.now()
    )
    DeliveryFactory(endpoint=endpoint, failed_with=502, attempts=14)
    return endpoint


def test_each_administrator_is_told_in_their_language_with_text_and_html(paused):
    kazakh = UserFactory(username="admin-kk", groups=[roles.ADMINISTRATORS])
    Preferences.objects.create(user=kazakh, language="kk")
    english = UserFactory(username="root", is_superuser=True)
    Preferences.objects.create(user=english, language="en")
    UserFactory(username="editor-x", groups=[roles.EDITORS])
    UserFactory(username="no-mail", groups=[roles.ADMINISTRATORS], email="")

    assert notify_endpoint_paused(paused.pk) == 2

    by_person = {message.to[0]: message for message in mail.outbox}
    assert set(by_person) == {kazakh.email, english.email}
    message = by_person[english.email]
    assert message.subject == "Webhook endpoint paused: Kazinform"
    assert "failed for a day, so it was paused" in message.body
    assert "Last error: The endpoint answered with an error (HTTP 502)." in message.body
    assert f"/admin/webhooks/endpoint/{paused.pk}/change/" in message.body
    html, kind = message.alternatives[0]
    assert kind == "text/html" and "Open the webhook endpoint" in html
    kazakh_message = by_person[kazakh.email]
    assert kazakh_message.subject == "Вебхук қабылдаушысы тоқтатылды: Kazinform"
    assert "Қабылдаушы қатемен жауап берді (HTTP 502)." in kazakh_message.body


def test_nobody_is_told_about_an_endpoint_resumed_meanwhile(paused):
    UserFactory(username="root", is_superuser=True)
    paused.paused_at = None
    paused.save()

    assert notify_endpoint_paused(paused.pk) == 0
    assert mail.outbox == []
