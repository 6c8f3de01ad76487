"""Security helpers the settings refer to by name."""

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _


def client_ip_behind_proxy(request) -> str | None:
    """The client's address for the login lockout when a TLS proxy is in front.

    The proxy appends the address it received the request from to X-Forwarded-For, so the
    last entry is the one a client cannot forge; earlier entries are whatever it sent.
    """
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    addresses = [address.strip() for address in forwarded.split(",") if address.strip()]
    return addresses[-1] if addresses else request.META.get("REMOTE_ADDR")


def lockout_response(request, original_response, credentials):
    """django-axes' answer to a locked-out login: the admin's own page, in the reader's
    language, saying how long to wait (axes' default is a line of English text)."""
    from django.contrib import admin

    minutes = max(1, round(settings.AXES_COOLOFF_TIME.total_seconds() / 60))
    context = {
        **admin.site.each_context(request),
        "title": _("Sign-in locked"),
        "cooloff_minutes": minutes,
    }
    return render(request, "admin/lockout.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)
