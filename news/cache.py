"""Cached public pages, dropped whenever what they show may have changed.

Every cached page is stored with the generation number it was rendered under, a number
kept in the cache itself. Saving or deleting an article, a tag assignment, a tag, an
agency or a region bumps it, so every cached page is outdated at once (and is replaced or
expires on its own) instead of being found and deleted one by one. The bump also runs
after the transaction commits: a page rendered between the save and the commit shows the
old state and would otherwise be taken for current under the new generation.

A hit costs one cache round trip: the generation and the page are read together, and the
page is served only when its generation is the current one.

An embargo lifts without any save (a scheduled article is public from its publish_at), so
no page is cached past the next publish_at of a scheduled article.
"""

import functools
import time
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from agencies.models import Agency, Region

from .models import Article

GENERATION_KEY = "public:generation"
NEXT_EMBARGO_KEY = "public:next-embargo:{generation}"
PAGE_KEY = "public:page:{path}"


def generation(value: int | None = None) -> int:
    """The current generation; `value` is the one just read from the cache, if any."""
    if value is None:
        value = cache.get(GENERATION_KEY)
    if value is None:
        # Never restart from a small number after an eviction: keys made under an earlier
        # generation with the same value would come back to life.
        value = time.time_ns()
        cache.add(GENERATION_KEY, value, timeout=None)
        value = cache.get(GENERATION_KEY, value)
    return value


def bump_generation() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # evicted or never set
        cache.set(GENERATION_KEY, time.time_ns(), timeout=None)


def _next_embargo(gen: int) -> datetime | None:
    """When the next scheduled article becomes public, cached per generation."""
    key = NEXT_EMBARGO_KEY.format(generation=gen)
    now = timezone.now()
    stored = cache.get(key)
    if stored is not None and (stored == "none" or stored > now):
        return None if stored == "none" else stored
    upcoming = (
        Article.objects.filter(status=Article.Status.SCHEDULED, publish_at__gt=now)
        .order_by("publish_at")
        .values_list("publish_at", flat=True)
        .first()
    )
    cache.set(key, upcoming or "none", timeout=settings.PRESSROOM_PAGE_CACHE_SECONDS)
    return upcoming


def page_timeout(gen: int) -> int:
    seconds = settings.PRESSROOM_PAGE_CACHE_SECONDS
    embargo = _next_embargo(gen)
    if embargo is not None:
        seconds = min(seconds, int((embargo - timezone.now()).total_seconds()))
    return seconds


def cache_public_page(view):
    """Serve anonymous GETs of `view` from the cache; the key is the full path, language
    prefix and query string included, under the current generation."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if (
            request.method != "GET"
            or request.user.is_authenticated
            or settings.PRESSROOM_PAGE_CACHE_SECONDS <= 0  # turned off: no cache round trips
        ):
            return view(request, *args, **kwargs)
        key = PAGE_KEY.format(path=request.get_full_path())
        found = cache.get_many([GENERATION_KEY, key])
        gen = generation(found.get(GENERATION_KEY))
        cached = found.get(key)
        if cached is not None and cached[0] == gen:
            _gen, content, headers = cached
            return HttpResponse(content, headers=headers)
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        timeout = page_timeout(gen)
        if response.status_code == 200 and not response.streaming and timeout > 0:
            # The view's own headers (type, a feed's Last-Modified, a sitemap's X-Robots-Tag);
            # middleware adds the rest to every response, cached or not.
            cache.set(key, (gen, response.content, dict(response.headers)), timeout=timeout)
        return response

    return wrapper


def _invalidate(**kwargs) -> None:
    bump_generation()
    transaction.on_commit(bump_generation, robust=True)


def connect_invalidation() -> None:
    """Called from NewsConfig.ready, so web processes, workers and commands all bump."""
    for model in (Article, TaggedItem, Tag, Agency, Region):
        post_save.connect(_invalidate, sender=model, dispatch_uid=f"public-cache-{model.__name__}")
        post_delete.connect(
            _invalidate, sender=model, dispatch_uid=f"public-cache-delete-{model.__name__}"
        )
