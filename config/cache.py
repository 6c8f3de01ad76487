"""A Redis cache whose failures are misses, so the public site outlives its cache.

Django's RedisCache raises when Redis is down, which would turn every cached page into an
error. Here a connection error or timeout is logged and answered as a miss (a read gives
the default, a write does nothing); after one, the cache is skipped for a few seconds, so
requests do not each wait for the socket timeout while Redis is away.
"""

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNAVAILABLE = (RedisConnectionError, RedisTimeoutError)
# Seconds the cache is skipped after a failure; long enough to spare requests the socket
# timeout, short enough to notice a restarted Redis soon.
SKIP_SECONDS = 5.0


def _degrades_to(miss):
    """Run the cache method unless Redis was just found down; then, or when it fails,
    answer `miss(*arguments)` instead: what the method gives when nothing is cached."""

    def decorator(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            if time.monotonic() >= self._skip_until:
                try:
                    return method(self, *args, **kwargs)
                except UNAVAILABLE as error:
                    self._unavailable(error)
            return miss(*args, **kwargs)

        return wrapper

    return decorator


def _default(key, default=None, *args, **kwargs):
    return default


def _constant(value):
    return lambda *args, **kwargs: value


def _no_keys(keys, *args, **kwargs):
    return {}


def _all_failed(data, *args, **kwargs):
    return list(data)


def _incr_miss(key, *args, **kwargs):
    # What Django raises for a missing key: callers already handle it (public.cache sets it).
    raise ValueError(f"Key '{key}' not found: the cache is unavailable")


class PooledClientRedisCacheClient(RedisCacheClient):
    """Django's client builds a new `redis.Redis` for every call (a get took 0.24 ms with
    it, 0.16 ms without, here); a client only wraps its thread-safe pool, so keep one per
    pool."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    """RedisCache that logs and misses while Redis is unreachable."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = PooledClientRedisCacheClient
        self._skip_until = 0.0

    def validate_key(self, key) -> None:
        """Redis takes any key. Django's check is for memcached's limits (250 characters, no
        spaces): it would warn about long page addresses, and it cost ~10 µs a key on the
        22 keys a list page reads."""

    def _unavailable(self, error: Exception) -> None:
        self._skip_until = time.monotonic() + SKIP_SECONDS
        logger.warning("Cache unavailable (%s); serving without it for %.0f s", error, SKIP_SECONDS)

    get = _degrades_to(_default)(RedisCache.get)
    add = _degrades_to(_constant(False))(RedisCache.add)
    set = _degrades_to(_constant(None))(RedisCache.set)
    touch = _degrades_to(_constant(False))(RedisCache.touch)
    delete = _degrades_to(_constant(False))(RedisCache.delete)
    has_key = _degrades_to(_constant(False))(RedisCache.has_key)
    incr = _degrades_to(_incr_miss)(RedisCache.incr)
    get_many = _degrades_to(_no_keys)(RedisCache.get_many)
    set_many = _degrades_to(_all_failed)(RedisCache.set_many)
    delete_many = _degrades_to(_constant(None))(RedisCache.delete_many)
    clear = _degrades_to(_constant(False))(RedisCache.clear)
