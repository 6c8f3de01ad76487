"""Health checks for load balancers, container health checks and the site benchmark.

`/healthz` is liveness: the process answers. `/readyz` is readiness: it checks the
database, the cache and the Celery broker and reports each. An orchestrator restarts a
container that fails liveness, and stops sending traffic to one that fails readiness; a
database outage must do the second, never the first.

Only the database makes a web process unready. Without Redis the site still serves (cache
errors are misses) and imports and translations wait in the database until the queue is
back, so a Redis outage is reported as "degraded" with 200: a load balancer that took
every web process out of rotation for it would turn a slower site into no site.
"""

import logging
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from kombu import Connection

logger = logging.getLogger(__name__)

# Seconds each check may take to connect or to answer. A load balancer probes every few
# seconds; a dead Redis must fail the probe quickly, not hold a web worker for minutes.
CHECK_TIMEOUT = 2


@require_GET
@never_cache
def healthz(request):
    """200 while the web process serves requests. It touches neither the database nor the
    cache, so an outage of either does not get healthy web workers restarted."""
    return HttpResponse("ok\n", content_type="text/plain")


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache() -> None:
    location = str(settings.CACHES["default"].get("LOCATION", ""))
    if location.startswith(("redis://", "rediss://", "unix://")):
        # Redis itself, with our own short timeouts: a cache that turns errors into misses
        # would hide the outage from a set-and-get through Django's cache API.
        import redis

        client = redis.Redis.from_url(
            location,
            socket_timeout=CHECK_TIMEOUT,
            socket_connect_timeout=CHECK_TIMEOUT,
        )
        try:
            client.ping()
        finally:
            client.close()
        return
    key = f"pressroom:readyz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=10)
    found = cache.get(key)
    cache.delete(key)
    if found != "1":
        raise RuntimeError("the cache did not return what was just stored")


def check_broker() -> None:
    with Connection(
        settings.CELERY_BROKER_URL,
        connect_timeout=CHECK_TIMEOUT,
        transport_options={"socket_timeout": CHECK_TIMEOUT},
    ) as broker:
        broker.ensure_connection(max_retries=0, timeout=CHECK_TIMEOUT)  # no retry: fail now


CHECKS = {"database": check_database, "cache": check_cache, "broker": check_broker}
ESSENTIAL = {"database"}


@require_GET
@never_cache
def readyz(request):
    """JSON with each dependency's status and time; 503 when the database fails."""
    results = {}
    for name, check in CHECKS.items():
        if name == "broker" and settings.CELERY_TASK_ALWAYS_EAGER:
            # Without a broker tasks run in-process: nothing to wait for.
            results[name] = {"status": "skipped"}
            continue
        started = time.monotonic()
        try:
            check()
        except Exception as error:
            logger.warning("Readiness check %s failed", name, exc_info=True)
            # The class name only: a message could carry a connection URL with a password.
            results[name] = {"status": "fail", "error": type(error).__name__}
        else:
            results[name] = {"status": "ok"}
        results[name]["seconds"] = round(time.monotonic() - started, 3)
    failed = {name for name, result in results.items() if result["status"] == "fail"}
    status = "fail" if ESSENTIAL & failed else ("degraded" if failed else "ok")
    return JsonResponse(
        {"status": status, "checks": results}, status=503 if status == "fail" else 200
    )
