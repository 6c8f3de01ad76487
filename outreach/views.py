"""The public subscription pages: subscribe, confirm, change, end. None is stored by the
public page cache (public.cache: only views marked cache_public_page are), and those that
carry a token in their address are marked never to be cached anywhere."""

from django.conf import settings
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from taggit.models import Tag

from agencies.models import Agency, Region

from . import subscriptions, tokens
from .forms import FollowForm, SubscribeForm, initial_of


def client_address(request) -> str:
    if settings.BEHIND_TLS_PROXY:
        from config.security import client_ip_behind_proxy

        return client_ip_behind_proxy(request) or ""
    return request.META.get("REMOTE_ADDR", "")


def _preset(request) -> tuple[dict, Region | None]:
    """What a list page's link asks to follow: ?region=, ?agency= or ?tag= (a slug)."""
    initial: dict = {}
    region = None
    if slug := request.GET.get("region"):
        region = Region.objects.filter(slug=slug).first()
        if region:
            initial["regions"] = [region]
    if slug := request.GET.get("agency"):
        agency = Agency.objects.filter(slug=slug).first()
        if agency:
            initial["agencies"] = [agency]
    if slug := request.GET.get("tag"):
        tag = Tag.objects.filter(slug=slug).first()
        if tag:
            initial["tags"] = tag.name
    return initial, region


@never_cache
@require_http_methods(["GET", "POST"])
def subscribe(request):
    initial, region = _preset(request)
    language = get_language()
    if request.method == "POST":
        if not subscriptions.client_allowed(client_address(request)):
            form = SubscribeForm(request.POST, extra_region=region)
            form.is_valid()
            context = {
                "form": form,
                "refused": _("Too many requests from your network. Please try again in an hour."),
            }
            return render(request, "outreach/subscribe.html", context, status=429)
        form = SubscribeForm(request.POST, extra_region=region)
        if form.is_valid():
            subscriptions.request(form.cleaned_data["email"], form.choices(language))
            return HttpResponseRedirect(reverse("outreach:requested"))
    else:
        form = SubscribeForm(initial={**initial, "release_languages": []}, extra_region=region)
    return render(request, "outreach/subscribe.html", {"form": form})


def requested(request):
    return notice(
        request,
        _("Check your inbox"),
        _(
            "If the address can receive email, a message is on its way to it. Follow the link "
            "in it to confirm: nothing else is sent until you do. The link works for a week."
        ),
    )


def notice(request, title, text, *, status=200, action=None, button=None, link=None):
    return render(
        request,
        "outreach/notice.html",
        {"title": title, "text": text, "action": action, "button": button, "link": link},
        status=status,
    )


def invalid_link(request, error: tokens.InvalidLink):
    status = 400 if error.code == "invalid" else 410
    return notice(request, _("This link does not work"), error.message, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, token: str):
    """GET asks (mail scanners follow links), POST confirms."""
    try:
        subscription = tokens.read(token, tokens.CONFIRM)
    except tokens.InvalidLink as error:
        return invalid_link(request, error)
    if request.method == "GET":
        return notice(
            request,
            _("Confirm your subscription"),
            _("Releases will be sent to %(email)s.") % {"email": subscription.email},
            action=request.path,
            button=_("Confirm"),
        )
    subscriptions.confirm(subscription)
    manage_url = reverse("outreach:manage", args=[tokens.make(subscription, tokens.MANAGE)])
    return notice(
        request,
        _("You are subscribed"),
        _("Releases will be sent to %(email)s. Every email has a link to change or end it.")
        % {"email": subscription.email},
        link=(manage_url, _("Change your subscription")),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def manage(request, token: str):
    try:
        subscription = tokens.read(token, tokens.MANAGE)
    except tokens.InvalidLink as error:
        return invalid_link(request, error)
    current = subscriptions.choices_of(subscription)
    region = next((r for r in current.regions if r.kind == Region.Kind.DISTRICT), None)
    saved = False
    if request.method == "POST":
        form = FollowForm(request.POST, extra_region=region)
        if form.is_valid():
            subscriptions.apply(subscription, form.choices(get_language()))
            saved = True
    else:
        form = FollowForm(initial=initial_of(current), extra_region=region)
    context = {
        "form": form,
        "subscription": subscription,
        "saved": saved,
        "unsubscribe_url": reverse("outreach:unsubscribe", args=[token]),
    }
    return render(request, "outreach/manage.html", context)


@never_cache
@csrf_exempt  # mail services POST it without a cookie (RFC 8058); the token authorizes
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """GET asks, POST ends: the page's button, or a mail service's one-click
    unsubscribe (RFC 8058: a POST of List-Unsubscribe=One-Click)."""
    try:
        subscription = tokens.read(token, tokens.MANAGE)
    except tokens.InvalidLink as error:
        if error.code == "ended" and request.method == "POST":
            return notice(request, _("Unsubscribed"), _("No more emails will be sent."))
        return invalid_link(request, error)
    if request.method == "GET":
        return notice(
            request,
            _("End your subscription"),
            _("No more releases will be sent to %(email)s.") % {"email": subscription.email},
            action=request.path,
            button=_("Unsubscribe"),
        )
    subscriptions.end(subscription)
    return notice(
        request,
        _("Unsubscribed"),
        _("No more emails will be sent to %(email)s, and the address is deleted.")
        % {"email": subscription.email},
    )
