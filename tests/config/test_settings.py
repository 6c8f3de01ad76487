"""Settings come from the environment; a misconfiguration fails fast and says why."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "debug": settings.DEBUG,
    "engine": settings.DATABASES["default"]["ENGINE"],
    "db_name": str(settings.DATABASES["default"]["NAME"]),
    "eager": settings.CELERY_TASK_ALWAYS_EAGER,
    "broker": settings.CELERY_BROKER_URL,
    "cache": settings.CACHES["default"]["BACKEND"],
    "hosts": settings.ALLOWED_HOSTS,
    "tz": settings.TIME_ZONE,
    "use_tz": settings.USE_TZ,
    "languages": [code for code, _ in settings.LANGUAGES],
}))
"""


def load_settings(**environment):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "PRESSROOM_"))
    }
    env.update(environment, DJANGO_SETTINGS_MODULE="config.settings")
    return subprocess.run(  # noqa: S603 - the test's own interpreter and probe
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_embedded_default_is_sqlite_with_in_process_tasks_and_local_memory_cache():
    result = load_settings(DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout)
    assert loaded["engine"] == "django.db.backends.sqlite3"
    assert loaded["db_name"].endswith("db.sqlite3")
    assert loaded["eager"] is True
    assert loaded["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert (loaded["tz"], loaded["use_tz"]) == ("Asia/Almaty", True)
    assert loaded["languages"] == ["kk", "ru", "en"]


def test_production_services_come_from_the_environment():
    result = load_settings(
        DJANGO_SECRET_KEY="x" * 50,
        DATABASE_URL="postgres://press:secret@db.internal:5432/pressroom",
        REDIS_URL="redis://cache.internal:6379/0",
        DJANGO_ALLOWED_HOSTS="press.example.kz, www.press.example.kz",
    )
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout)
    assert loaded["debug"] is False
    assert loaded["engine"] == "django.db.backends.postgresql"
    assert loaded["db_name"] == "pressroom"
    assert (loaded["eager"], loaded["broker"]) == (False, "redis://cache.internal:6379/0")
    assert loaded["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert loaded["hosts"] == ["press.example.kz", "www.press.example.kz"]


def test_production_refuses_to_start_without_a_secret_key():
    result = load_settings()
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_a_malformed_boolean_is_refused_not_guessed():
    result = load_settings(DJANGO_DEBUG="maybe")
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be a boolean" in result.stderr
