"""The emails subscribers get, each in the subscriber's language with text and HTML parts,
and in every one the links to change or end the subscription, the end one-click
(List-Unsubscribe, RFC 8058)."""

from datetime import date

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from media_library.display import rendition_url
from media_library.models import lead_photo_of
from news.notifications import full_url, render_subject, render_text
from news.plaintext import html_to_text

from . import tokens
from .models import Subscription
from .stories import Story


def _message(template: str, context: dict, subscription: Subscription, headers=None):
    """`template` names outreach/email/<template>_subject.txt, _body.txt and _body.html."""
    with translation.override(subscription.language):
        subject = render_subject(f"outreach/email/{template}_subject.txt", context)
        text = render_text(f"outreach/email/{template}_body.txt", context)
        html = render_to_string(
            f"outreach/email/{template}_body.html",
            {**context, "subject": subject, "language": subscription.language},
        )
    message = EmailMultiAlternatives(subject, text, to=[subscription.email], headers=headers)
    message.attach_alternative(html, "text/html")
    return message


def links(subscription: Subscription) -> dict[str, str]:
    """The subscriber's own pages, in their language."""
    token = tokens.make(subscription, tokens.MANAGE)
    with translation.override(subscription.language):
        return {
            "manage_url": full_url(reverse("outreach:manage", args=[token])),
            "unsubscribe_url": full_url(reverse("outreach:unsubscribe", args=[token])),
        }


def _sent_to_subscriber(template: str, context: dict, subscription: Subscription):
    own = links(subscription)
    headers = {
        "List-Unsubscribe": f"<{own['unsubscribe_url']}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    return _message(template, {**context, **own}, subscription, headers)


def confirmation(subscription: Subscription, language: str) -> EmailMultiAlternatives:
    """The one email sent before confirmation: the confirmation link, or, to an address
    already subscribed, the link to change the subscription."""
    subscription.language = language  # the person who asked reads this one
    if subscription.confirmed_at is None:
        token = tokens.make(subscription, tokens.CONFIRM)
        with translation.override(language):
            url = full_url(reverse("outreach:confirm", args=[token]))
        return _message("confirm", {"confirm_url": url}, subscription)
    return _sent_to_subscriber("already_subscribed", {}, subscription)


def photo_url(release) -> str:
    image = lead_photo_of(release)
    return full_url(rendition_url(image, "w800")) if image else ""


def release(subscription: Subscription, story: Story) -> EmailMultiAlternatives:
    version, other_language = story.version_for(subscription.language)
    with translation.override(subscription.language):
        url = full_url(version.get_absolute_url())
    context = {
        "release": version,
        "body_text": html_to_text(version.body),
        "release_url": url,
        "other_language": other_language,
        "photo_url": photo_url(version),
    }
    return _sent_to_subscriber("release", context, subscription)


def digest(subscription: Subscription, day: date, stories: list[Story]) -> EmailMultiAlternatives:
    releases = []
    with translation.override(subscription.language):
        for story in stories:
            version, other_language = story.version_for(subscription.language)
            releases.append(
                {
                    "release": version,
                    "url": full_url(version.get_absolute_url()),
                    "other_language": other_language,
                }
            )
    return _sent_to_subscriber("digest", {"day": day, "releases": releases}, subscription)
