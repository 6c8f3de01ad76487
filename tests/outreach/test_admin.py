import pytest
from django.urls import reverse

from outreach.models import Delivery, Subscription

from .factories import SubscriptionFactory
from .helpers import published_since

pytestmark = pytest.mark.django_db


def test_administrators_see_subscriptions_and_delete_them_with_their_deliveries(
    client, administrator, smtp_server
):
    subscription = SubscriptionFactory(email="tilshi@example.kz")
    from outreach import sending

    sending.send_release_batch(published_since(0.1).pk, [subscription.pk])
    client.force_login(administrator)
    listing = client.get(reverse("admin:outreach_subscription_changelist"))
    assert "tilshi@example.kz" in listing.content.decode()
    change = client.get(reverse("admin:outreach_subscription_change", args=[subscription.pk]))
    assert change.status_code == 200
    assert 'name="email"' not in change.content.decode()  # addresses are not edited here
    assert client.get(reverse("admin:outreach_subscription_add")).status_code == 403
    response = client.post(
        reverse("admin:outreach_subscription_delete", args=[subscription.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Subscription.objects.exists()
    assert not Delivery.objects.filter(recipient="tilshi@example.kz").exists()


def test_editors_and_press_officers_do_not_see_subscribers(client, editor, press_officer):
    SubscriptionFactory()
    for user in (editor, press_officer):
        client.force_login(user)
        response = client.get(reverse("admin:outreach_subscription_changelist"))
        assert response.status_code == 403
        assert "outreach" not in client.get(reverse("admin:index")).content.decode()
