"""Telling administrators, each in their language, that an endpoint was paused."""

from django.core import mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from news.notifications import administrators, full_url, render_subject, render_text, send
from people.languages import by_language

from .models import Endpoint


def paused_messages(endpoint: Endpoint) -> list[mail.EmailMessage]:
    last = (
        endpoint.deliveries.exclude(last_error_code__in=("", "paused"))
        .order_by("-created_at", "-pk")
        .first()
    )
    context = {
        "endpoint": endpoint,
        "last": last,
        "admin_url": full_url(reverse("admin:webhooks_endpoint_change", args=[endpoint.pk])),
    }
    people = sorted(administrators(), key=lambda user: user.email)
    messages = []
    for language, group in by_language(people).items():
        with translation.override(language):
            context = {**context, "language": language}
            subject = render_subject("webhooks/email/endpoint_paused_subject.txt", context)
            text = render_text("webhooks/email/endpoint_paused_body.txt", context)
            html = render_to_string(
                "webhooks/email/endpoint_paused_body.html", {**context, "subject": subject}
            )
        for person in group:
            message = mail.EmailMultiAlternatives(subject, text, to=[person.email])
            message.attach_alternative(html, "text/html")
            messages.append(message)
    return messages


def notify_endpoint_paused(endpoint_id: int) -> int:
    """Email the administrators that an endpoint failed for a day and was paused; returns
    how many were sent. Nothing when it was resumed meanwhile."""
    endpoint = Endpoint.objects.filter(pk=endpoint_id, paused_at__isnull=False).first()
    if endpoint is None:
        return 0
    return send(paused_messages(endpoint))
