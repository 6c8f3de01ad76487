from datetime import timedelta

import pytest
import time_machine

from outreach import tokens
from outreach.models import Subscription

from .factories import SubscriptionFactory

pytestmark = pytest.mark.django_db


def test_a_link_leads_to_its_subscription():
    subscription = SubscriptionFactory()
    assert tokens.read(tokens.make(subscription, tokens.MANAGE), tokens.MANAGE) == subscription


@pytest.mark.parametrize(("purpose", "days"), [(tokens.CONFIRM, 7), (tokens.MANAGE, 365)])
def test_a_link_expires(purpose, days):
    subscription = SubscriptionFactory()
    token = tokens.make(subscription, purpose)
    with time_machine.travel(timedelta(days=days, minutes=-1)):
        assert tokens.read(token, purpose) == subscription
    with (
        time_machine.travel(timedelta(days=days, minutes=1)),
        pytest.raises(tokens.InvalidLink) as caught,
    ):
        tokens.read(token, purpose)
    assert caught.value.code == "expired"


def test_a_changed_key_or_an_ended_subscription_voids_the_links():
    subscription = SubscriptionFactory()
    token = tokens.make(subscription, tokens.MANAGE)
    Subscription.objects.filter(pk=subscription.pk).update(token_key="0123456789abcdef")
    with pytest.raises(tokens.InvalidLink) as caught:
        tokens.read(token, tokens.MANAGE)
    assert caught.value.code == "ended"


@pytest.mark.parametrize("token", ["", "garbage", "a:b:c", "eyJzIjoxfQ:1abc:xyz"])
def test_nonsense_is_an_invalid_link(token):
    with pytest.raises(tokens.InvalidLink) as caught:
        tokens.read(token, tokens.CONFIRM)
    assert caught.value.code == "invalid"
