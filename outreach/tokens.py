"""The links in subscription emails: signed (django.core.signing), expiring, and void once
the subscription is ended or its key replaced."""

from datetime import timedelta

from django.core import signing
from django.utils.translation import gettext_lazy as _

from .models import Subscription

CONFIRM = "confirm"
MANAGE = "manage"
# A confirmation link lasts as long as an unconfirmed address is kept; the links to change
# or end a subscription, in every email, last a year (each new email brings fresh ones).
MAX_AGE = {CONFIRM: timedelta(days=7), MANAGE: timedelta(days=365)}


class InvalidLink(Exception):
    def __init__(self, code: str, message):
        super().__init__(message)
        self.code, self.message = code, message


def make(subscription: Subscription, purpose: str) -> str:
    return signing.dumps(
        {"s": subscription.pk, "k": subscription.token_key}, salt=f"outreach.{purpose}"
    )


def read(token: str, purpose: str) -> Subscription:
    """The subscription the link is for; InvalidLink says why there is none."""
    try:
        data = signing.loads(token, salt=f"outreach.{purpose}", max_age=MAX_AGE[purpose])
    except signing.SignatureExpired:
        raise InvalidLink(
            "expired", _("This link has expired. Subscribe again to get a new one.")
        ) from None
    except signing.BadSignature:
        raise InvalidLink(
            "invalid", _("This link is not valid. Check that it was copied whole.")
        ) from None
    subscription = (
        Subscription.objects.filter(pk=data.get("s"), token_key=data.get("k")).first()
        if isinstance(data, dict)
        else None
    )
    if subscription is None:
        raise InvalidLink("ended", _("This subscription has ended; the link no longer works."))
    return subscription
