"""Settings come from the environment; a misconfiguration fails fast and says why."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

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
    "logging": settings.LOGGING,
    "proxy_ssl_header": getattr(settings, "SECURE_PROXY_SSL_HEADER", None),
    "session_age": settings.SESSION_COOKIE_AGE,
    "session_browser": settings.SESSION_EXPIRE_AT_BROWSER_CLOSE,
    "axes_limit": settings.AXES_FAILURE_LIMIT,
    "axes_cooloff": settings.AXES_COOLOFF_TIME.total_seconds(),
}))
"""


def load_settings(probe=PROBE, **environment):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "PRESSROOM_", "SENTRY_"))
    }
    env.update(environment, DJANGO_SETTINGS_MODULE="config.settings")
    return subprocess.run(  # noqa: S603 - the test's own interpreter and probe
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True
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
    assert loaded["cache"] == "config.cache.ResilientRedisCache"  # Redis, errors as misses
    assert loaded["hosts"] == ["press.example.kz", "www.press.example.kz"]


def test_production_refuses_to_start_without_a_secret_key():
    result = load_settings()
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_a_malformed_boolean_is_refused_not_guessed():
    result = load_settings(DJANGO_DEBUG="maybe")
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be a boolean" in result.stderr


PRODUCTION = {
    "DJANGO_DEBUG": "0",
    # Long and varied, as `check --deploy` wants; never a real key.
    "DJANGO_SECRET_KEY": "k7$Qz!p2Lw9#mR4vX8tN1cY6bH3jF5gD0sA-uE_iO+yT=rP/wq3Zn8Vb1Mc5Xl",
    "DJANGO_ALLOWED_HOSTS": "press.example.kz",
    "DJANGO_SECURE_SSL_REDIRECT": "1",
    "DJANGO_SECURE_HSTS_PRELOAD": "1",
    "DJANGO_BEHIND_TLS_PROXY": "1",
}


def manage(*arguments, **environment):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "PRESSROOM_", "SENTRY_"))
    }
    env.update(environment)
    return subprocess.run(  # noqa: S603 - the test's own interpreter and manage.py
        [sys.executable, "manage.py", *arguments], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_check_deploy_is_clean_with_a_production_environment():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_names_the_opt_in_switches_production_must_decide():
    environment = dict(PRODUCTION)
    del environment["DJANGO_SECURE_SSL_REDIRECT"], environment["DJANGO_SECURE_HSTS_PRELOAD"]
    result = manage("check", "--deploy", "--fail-level", "WARNING", **environment)
    assert result.returncode != 0
    reported = set(re.findall(r"\(security\.(W\d+)\)", result.stderr))
    assert reported == {"W008", "W021"}, result.stderr


def test_production_logs_one_json_object_per_line_on_standard_error():
    probe = (
        "import django, logging; django.setup(); "
        "logging.getLogger('pressroom.test').warning('Import of %s failed', 'digest.txt', "
        "extra={'run_id': 7})"
    )
    result = load_settings(probe, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""  # kept for commands' data
    lines = [json.loads(line) for line in result.stderr.splitlines()]
    entry = next(line for line in lines if line["logger"] == "pressroom.test")
    assert entry["level"] == "WARNING"
    assert entry["message"] == "Import of digest.txt failed"
    assert entry["run_id"] == 7
    assert entry["time"].endswith("+00:00")


def test_development_logs_plain_text():
    result = load_settings(DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout)
    assert "formatter" not in loaded["logging"]["handlers"]["console"]


ERROR_REPORTING_PROBE = """
import json, django
django.setup()
import sentry_sdk
client = sentry_sdk.get_client()
print(json.dumps({"active": client.is_active(), "dsn": client.dsn,
                  "environment": client.options["environment"],
                  "pii": client.options["send_default_pii"]}))
"""


def test_error_reporting_is_off_without_sentry_dsn():
    result = load_settings(ERROR_REPORTING_PROBE, DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["active"] is False


def test_sentry_dsn_turns_error_reporting_on_without_personal_data():
    result = load_settings(
        ERROR_REPORTING_PROBE,
        DJANGO_DEBUG="1",
        SENTRY_DSN="https://public@errors.example.kz/3",
        SENTRY_ENVIRONMENT="staging",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "active": True,
        "dsn": "https://public@errors.example.kz/3",
        "environment": "staging",
        "pii": False,
    }


def test_the_proxy_switch_trusts_forwarded_https_only_when_set():
    plain = json.loads(load_settings(DJANGO_DEBUG="1").stdout)
    proxied = json.loads(load_settings(DJANGO_DEBUG="1", DJANGO_BEHIND_TLS_PROXY="1").stdout)
    assert plain["proxy_ssl_header"] is None
    assert proxied["proxy_ssl_header"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_sessions_and_the_login_lockout_are_configurable():
    loaded = json.loads(
        load_settings(
            DJANGO_DEBUG="1",
            DJANGO_SESSION_COOKIE_AGE="3600",
            DJANGO_SESSION_EXPIRE_AT_BROWSER_CLOSE="1",
            PRESSROOM_LOGIN_FAILURE_LIMIT="3",
            PRESSROOM_LOGIN_COOLOFF_MINUTES="10",
        ).stdout
    )
    assert (loaded["session_age"], loaded["session_browser"]) == (3600, True)
    assert (loaded["axes_limit"], loaded["axes_cooloff"]) == (3, 600)


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgres_sessions_run_without_jit():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)


def test_a_malformed_network_for_imports_is_refused():
    result = load_settings(
        DJANGO_DEBUG="1", PRESSROOM_IMPORT_ALLOWED_NETWORKS="10.0.0.0/8,intranet"
    )
    assert result.returncode != 0
    assert "PRESSROOM_IMPORT_ALLOWED_NETWORKS must list networks" in result.stderr
    assert "'intranet' does not appear to be an IPv4 or IPv6 network" in result.stderr


def test_a_relative_import_folder_is_refused():
    # Relative to what? A worker's working directory is nobody's decision.
    result = load_settings(DJANGO_DEBUG="1", PRESSROOM_IMPORT_DIR="imports")
    assert result.returncode != 0
    assert "PRESSROOM_IMPORT_DIR must be an absolute path, not 'imports'" in result.stderr
