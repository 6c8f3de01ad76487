import pytest

from config.cache import ResilientRedisCache


@pytest.mark.redis
def test_the_cache_reuses_one_redis_client_per_connection_pool():
    from tests.services import redis_url

    cache = ResilientRedisCache(redis_url, {"KEY_PREFIX": "test-client-reuse"})
    client = cache._cache.get_client(write=True)

    assert cache._cache.get_client(write=False) is client
    cache.set("page", "cached", timeout=10)
    assert cache.get("page") == "cached"
    assert cache._cache.get_client(write=True) is client
    cache.delete("page")


def test_long_keys_are_taken_without_memcached_warnings(recwarn):
    cache = ResilientRedisCache("redis://127.0.0.1:1/0", {})
    cache.validate_key("public:page:https://press.example.kz/en/releases/?" + "q=word&" * 60)
    assert not recwarn.list
