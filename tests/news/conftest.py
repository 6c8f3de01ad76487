import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache():
    """Public pages are cached in local memory, which outlives each test's rolled-back
    database; a page cached by one test (an admin action's redirect to the site, a
    preview) must not answer the next."""
    cache.clear()
    yield
    cache.clear()
