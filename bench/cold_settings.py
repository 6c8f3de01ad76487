"""The site with no cache at all, for site_bench's cold lists: no page is stored and no
release summary either, as on the first requests after the cache was emptied."""

from config.settings import *  # noqa: F403

CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
PRESSROOM_PAGE_CACHE_SECONDS = 0
