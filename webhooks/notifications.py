"""Telling administrators, each in their language, that an endpoint was paused."""

from django.core import mail
from django.urls import reverse

from news.notifications import administrators, compose, full_url, send

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
    return compose("endpoint_paused", context, people, folder="webhooks/email")


def notify_endpoint_paused(endpoint_id: int) -> int:
    """Email the administrators that an endpoint failed for a day and was paused; returns
    how many were sent. Nothing when it was resumed meanwhile."""
    endpoint = Endpoint.objects.filter(pk=endpoint_id, paused_at__isnull=False).first()
    if endpoint is None:
        return 0
    return send(paused_messages(endpoint))
