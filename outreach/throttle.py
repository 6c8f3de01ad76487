"""Counting requests in Django's cache: how many within a period, per key."""

import hashlib

from django.core.cache import cache


def key_for(scope: str, value: str) -> str:
    # Addresses are not kept in the cache in clear.
    return f"outreach:{scope}:{hashlib.sha256(value.encode()).hexdigest()[:32]}"


def allow(scope: str, value: str, *, limit: int, seconds: int) -> bool:
    """Count one more request for `value` in `scope`; False once more than `limit` came
    within `seconds` of the first."""
    key = key_for(scope, value)
    cache.add(key, 0, timeout=seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds)
        count = 1
    return count <= limit
