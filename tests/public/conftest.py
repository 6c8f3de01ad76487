import pytest
from django.core.cache import cache

from public import cache as public_cache


@pytest.fixture(autouse=True)
def _empty_cache():
    """Public pages are cached in local memory, which outlives each test's rolled-back
    database; a page cached by one test must not answer the next. So are the sections a
    process remembers."""
    cache.clear()
    public_cache.forget()
    yield
    cache.clear()
    public_cache.forget()
