"""Pytest plugin that picks the real services before Django is set up.

PostgreSQL and Redis are used when they answer. Without them the suite runs on SQLite and
skips the tests marked `postgres` or `redis`, saying why in the summary; the tests marked
`browser` likewise skip when Chromium is not installed. With
PRESSROOM_REQUIRE_SERVICES=1 (as .ci/run sets it) a missing service stops the run instead.
"""

import os
import shutil
import socket
from urllib.parse import urlsplit

import pytest

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/pressroom"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/15"

database_url = ""
redis_url = ""
skip_reasons: dict[str, str] = {}


def _answers(url: str, default_port: int) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname, parts.port or default_port), timeout=2):
            return True
    except OSError:
        return False


def _required() -> bool:
    return os.environ.get("PRESSROOM_REQUIRE_SERVICES", "").lower() in {"1", "true", "yes"}


def _choose_services() -> None:
    global database_url, redis_url
    os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-secret-key")
    missing = []

    database_url = os.environ.get("DATABASE_URL") or os.environ.get(
        "PRESSROOM_TEST_DATABASE_URL", DEFAULT_DATABASE_URL
    )
    if database_url.startswith("postgres") and not _answers(database_url, 5432):
        missing.append(f"PostgreSQL does not answer at {database_url}")
        skip_reasons["postgres"] = f"needs PostgreSQL, which does not answer at {database_url}"
        database_url = "sqlite://"
    elif not database_url.startswith("postgres"):
        skip_reasons["postgres"] = f"needs PostgreSQL; this run uses {database_url}"
    os.environ["DATABASE_URL"] = database_url

    # Unit tests run tasks eagerly; only the tests marked `redis` talk to a broker.
    redis_url = os.environ.pop("REDIS_URL", "") or os.environ.get(
        "PRESSROOM_TEST_REDIS_URL", DEFAULT_REDIS_URL
    )
    if not _answers(redis_url, 6379):
        missing.append(f"Redis does not answer at {redis_url}")
        skip_reasons["redis"] = (
            f"needs Redis and a Celery worker; Redis does not answer at {redis_url}"
        )
        redis_url = ""

    if not shutil.which("chromium"):
        missing.append("Chromium is not installed (`apt-get install chromium`)")
        skip_reasons["browser"] = "needs Chromium for the browser tests; `chromium` is not on PATH"

    if missing and _required():
        raise pytest.UsageError("PRESSROOM_REQUIRE_SERVICES is set but " + "; ".join(missing) + ".")


@pytest.hookimpl(wrapper=True)
def pytest_load_initial_conftests(early_config, parser, args):
    _choose_services()
    return (yield)


def pytest_report_header(config):
    return [
        f"pressroom database: {database_url}",
        f"pressroom redis: {redis_url or 'none (tests marked redis are skipped)'}",
    ]


def pytest_collection_modifyitems(config, items):
    for item in items:
        for marker, reason in skip_reasons.items():
            if item.get_closest_marker(marker):
                item.add_marker(pytest.mark.skip(reason=reason))
