"""Cached public pages, dropped whenever what they show may have changed.

Every cached page is stored with the generation number it was rendered under, a number
kept in the cache itself. Saving or deleting anything a public page reads (an article,
its translation record, a tag assignment, a tag, an agency or a region: PAGE_MODELS) bumps
it, so every cached page is outdated at once (and is replaced or expires on its own)
instead of being found and deleted one by one. The bump also runs
after the transaction commits: a page rendered between the save and the commit shows the
old state and would otherwise be taken for current under the new generation. Changes that
send no signal of Django's (QuerySet.update, bulk_create) send news.signals.rows_changed.

Pages are served by PublicPageCacheMiddleware, which sits before sessions, language,
CSRF and authentication: a hit costs one cache round trip (the generation and the page are
read together, and the page is served only when its generation is the current one) and
none of the work of the middleware after it. Views opt in with `cache_public_page`; the
middleware stores their responses with the headers the inner middleware added. Requests
that carry a session cookie (editors, anyone logged in) are never served from or stored in
the cache, so nobody sees a page rendered for someone else.

A release's summary as lists show it is cached apart, by Django's {% cache %} in
templates/public/includes/summaries.html, keyed by what it shows (the release, its version,
the language, the agency's name): a new version is a new key, so nothing needs dropping.

When a page is outdated, one request of the site at a time renders its page anew, and
the others get the page they found, for at most OUTDATED_SECONDS after the change. A
publication then costs one rendering of each page readers ask for, one after the other,
instead of every web process rendering at once while readers wait.

An embargo lifts without any save (a scheduled article is public from its publish_at), so
no page is cached past the next publish_at of a scheduled article.
"""

import functools
import hashlib
import time
from datetime import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse, QueryDict
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from agencies.models import Agency, Region
from config.middleware import is_unreadable
from media_library.models import ArticleAttachment, Attachment, GalleryImage, Image, LeadImage
from news.models import Article, Translation
from news.signals import rows_changed

GENERATION_KEY = "public:generation"
NEXT_EMBARGO_KEY = "public:next-embargo:{generation}"
PAGE_KEY = "public:page:{url}"
RENDERING_KEY = "public:rendering"
# Longest one rendering of an outdated page holds the others back (a worker that died
# while rendering lets go after it).
RENDERING_SECONDS = 10
# Longest an outdated page is served after the change that outdated it.
OUTDATED_SECONDS = 10


def page_key(url: str) -> str:
    """The cache key of the page at `url`, whatever its length: an address is up to
    thousands of characters, which memcached-style keys (and Django's warning) refuse."""
    return PAGE_KEY.format(url=hashlib.blake2b(url.encode(), digest_size=16).hexdigest())


def generation(value: int | None = None) -> int:
    """The current generation, the time (ns) of the last change; `value` is the one just
    read from the cache."""
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
    # The time of the change: how long a page has been outdated is then known from the
    # generation alone (see PublicPageCacheMiddleware.serves_outdated).
    cache.set(GENERATION_KEY, max(time.time_ns(), generation() + 1), timeout=None)


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
    """Marks `view`'s responses as public pages that PublicPageCacheMiddleware may cache."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.public_page = True
        return response

    return wrapper


# Where cached views live: the public site under its language prefixes, the API and the
# sitemaps. Other paths (the admin, health checks) skip the lookup instead of paying a
# cache round trip for a page that is never there.
CACHED_PATH_PREFIXES = (
    *(f"/{code}/" for code, _name in settings.LANGUAGES),
    "/api/",
    "/sitemap",
)


# The GET parameters public pages read: the list filters (public.filters), the list and API
# cursors and page numbers (public.pagination), the API's page size, the statistics' period
# and a sitemap's page. Any other (utm_source, fbclid, a cache buster) changes nothing on a
# page, but would make it a new cache entry for each value.
PAGE_PARAMETERS = frozenset(
    {"region", "agency", "tag", "language", "date_from", "date_to", "q"}
    | {"before", "after", "page", "page_size", "weeks", "p"}
)
# Characters of parameter values; every parameter at its longest (a 200-character search,
# 100-character slugs, cursors) is about 600. A longer query is made up: it is served, but
# not stored.
MAX_CACHED_QUERY_LENGTH = 1000


def canonical_query(params: QueryDict) -> str:
    """The query string of the PAGE_PARAMETERS in `params`, in one order: each with its last
    value (the one forms read), stripped, and left out when empty."""
    values = ((name, params[name].strip()) for name in sorted(params.keys() & PAGE_PARAMETERS))
    return urlencode([(name, value) for name, value in values if value])


def storable_query(params: QueryDict) -> bool:
    """Whether pages of `params`, a canonical query, may be stored."""
    return sum(len(value) for value in params.values()) <= MAX_CACHED_QUERY_LENGTH


class PublicPageCacheMiddleware:
    """Serves and stores the pages of `cache_public_page` views for anonymous GETs.

    The key is the full address, language prefix and query string included; the page is
    stored with the headers the inner middleware set (type, language, Vary, CSP, framing),
    and the outer middleware (security headers, WhiteNoise) still runs on every hit.

    The query string is first reduced to the parameters pages read (`canonical_query`), for
    the key and for the view: a page and its links are the same for every address of one
    key. A page is not stored when its query is too long (`storable_query`) or the view
    marks it private (filters that do not validate, see public.views).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method != "GET"
            or not request.path.startswith(CACHED_PATH_PREFIXES)
            or is_unreadable(request)  # refused as it came, not with its query reduced
        ):
            return self.get_response(request)
        # For logged-in readers too: a view reads the same parameters whoever asks.
        query = canonical_query(request.GET)
        if query != request.META.get("QUERY_STRING", ""):
            request.META["QUERY_STRING"] = query
            request.GET = QueryDict(query, encoding=request.encoding)
        if not self._cacheable(request):
            return self.get_response(request)
        # The whole address: pages carry absolute links (canonical, alternates, OpenGraph),
        # so a page rendered for one allowed host or scheme is not served for another.
        key = page_key(request.build_absolute_uri())
        found = cache.get_many([GENERATION_KEY, key])
        gen = generation(found.get(GENERATION_KEY))
        cached = found.get(key)
        rendering = False  # this request holds the site's one rendering of an outdated page
        if cached is not None:
            if cached[0] != gen and self.outdated_may_be_served(gen):
                rendering = cache.add(RENDERING_KEY, True, timeout=RENDERING_SECONDS)
            if cached[0] == gen or (not rendering and self.outdated_may_be_served(gen)):
                _gen, content, headers = cached
                return HttpResponse(content, headers=headers)
        try:
            response = self.get_response(request)
        finally:
            if rendering:
                cache.delete(RENDERING_KEY)
        if (
            getattr(response, "public_page", False)
            and response.status_code == 200
            and not response.streaming
            and not response.cookies  # a cookie set for this visitor is not for the next
            and "private" not in response.get("Cache-Control", "")
        ):
            timeout = page_timeout(gen)
            if timeout > 0:
                cache.set(key, (gen, response.content, dict(response.headers)), timeout=timeout)
        return response

    @staticmethod
    def outdated_may_be_served(gen: int) -> bool:
        """Whether a page outdated by the change at `gen` may still be served while another
        request renders an outdated page. One request of the site at a time renders its
        outdated page anew, so after a publication the pages are rendered one by one, each
        once, while the web processes keep serving readers instead of all rendering at once."""
        return time.time_ns() - gen < OUTDATED_SECONDS * 1_000_000_000

    @staticmethod
    def _cacheable(request) -> bool:
        return (
            settings.PRESSROOM_PAGE_CACHE_SECONDS > 0  # turned off: no cache round trips
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and storable_query(request.GET)
        )


def drop_cached_pages(sender=None, **kwargs) -> None:
    """Outdate every cached page, now and again on commit; a receiver of the signals that
    rows a page reads changed."""
    bump_generation()
    transaction.on_commit(bump_generation, robust=True)


# What public pages read: releases, whether a release is an unreviewed machine translation
# (its translation record), tags and their assignments, agencies and regions, the photos
# and files of releases (renditions are named before they exist: making one changes no page).
PAGE_MODELS = (
    Article,
    Translation,
    Tag,
    TaggedItem,
    Agency,
    Region,
    Image,
    Attachment,
    LeadImage,
    GalleryImage,
    ArticleAttachment,
)


def connect_invalidation() -> None:
    """Called from PublicConfig.ready, so web processes, workers and commands all bump."""
    rows_changed.connect(drop_cached_pages, dispatch_uid="public-cache-rows-changed")
    for model in PAGE_MODELS:
        post_save.connect(
            drop_cached_pages, sender=model, dispatch_uid=f"public-cache-{model.__name__}"
        )
        post_delete.connect(
            drop_cached_pages, sender=model, dispatch_uid=f"public-cache-delete-{model.__name__}"
        )
