"""Liveness (/healthz) and readiness (/readyz) for load balancers and container checks."""

import socket
import time

import pytest
from django.db import OperationalError

from config import health
from config.health import CHECK_TIMEOUT


def test_healthz_answers_without_touching_the_database(client):
    # No django_db mark: pytest-django makes any database access here an error.
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Content-Type"] == "text/plain"
    assert "no-cache" in response["Cache-Control"]
    assert client.post("/healthz").status_code == 405


@pytest.mark.django_db
def test_readyz_reports_each_dependency_as_json(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "memory://localhost/"

    response = client.get("/readyz")

    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
    body = response.json()
    assert body["status"] == "ok"
    assert {name: check["status"] for name, check in body["checks"].items()} == {
        "database": "ok",
        "cache": "ok",
        "broker": "ok",
    }
    assert all(check["seconds"] < CHECK_TIMEOUT for check in body["checks"].values())
    assert client.post("/readyz").status_code == 405


@pytest.mark.django_db
def test_readyz_skips_the_broker_when_tasks_run_in_process(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True

    body = client.get("/readyz").json()

    assert body["status"] == "ok"
    assert body["checks"]["broker"] == {"status": "skipped"}


@pytest.mark.django_db
def test_readyz_is_degraded_and_names_the_dead_broker_and_cache_quickly(client, settings):
    dead = f"redis://:secret-password@127.0.0.1:{unused_port()}/0"
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = dead
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": dead}
    }

    started = time.monotonic()
    response = client.get("/readyz")

    assert time.monotonic() - started < 2 * CHECK_TIMEOUT
    # Pages still serve without Redis; only the database takes a web process out.
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["database"]["status"] == "ok"
    for name in ("cache", "broker"):
        assert body["checks"][name]["status"] == "fail", name
        assert body["checks"][name]["error"], name
    # The reason is a class name: never the URL with its password.
    assert "secret-password" not in response.content.decode()


@pytest.mark.redis
@pytest.mark.django_db
def test_readyz_passes_against_real_redis(client, settings):
    from tests.services import redis_url

    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = redis_url
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}
    }

    body = client.get("/readyz").json()

    assert body["status"] == "ok", body
    assert body["checks"]["cache"]["status"] == body["checks"]["broker"]["status"] == "ok"


def test_readyz_fails_when_the_database_does_not_answer(client, monkeypatch):
    def refuse():
        raise OperationalError("connection refused")

    monkeypatch.setitem(health.CHECKS, "database", refuse)

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"]["database"]["error"] == "OperationalError"


def test_readyz_and_healthz_answer_plain_http_when_https_is_enforced(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/healthz").status_code == 200
    assert client.get("/en/").status_code == 301


def unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
