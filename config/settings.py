"""Pressroom settings, read from the environment.

The embedded default (no environment at all, DJANGO_DEBUG=1) runs on SQLite with Celery
tasks executed in-process and a local-memory cache. Production sets DATABASE_URL,
REDIS_URL, DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS.
"""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

TRUE_VALUES = {"1", "true", "yes", "on"}
FALSE_VALUES = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE_VALUES:
        return True
    if value in FALSE_VALUES:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {raw!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it, or set DJANGO_DEBUG=1 for local development."
        )
    SECRET_KEY = "django-insecure-local-development-only"  # noqa: S105

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)

INSTALLED_APPS = [
    "config.apps.PressroomAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_filters",
    "ninja",  # serves the API docs' Swagger UI from our static files, not a CDN
    "taggit",
    "simple_history",
    "django_celery_beat",
    "agencies",
    "news",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = os.environ.get("DJANGO_LANGUAGE_CODE", "en")
LANGUAGES = [
    ("kk", _("Kazakh")),
    ("ru", _("Russian")),
    ("en", _("English")),
]
# Pressroom's own strings, then Kazakh for Django strings that Django's kk catalogues lack.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_django"]
FORMAT_MODULE_PATH = ["config.formats"]  # Kazakh dates and numbers
TIME_ZONE = "Asia/Almaty"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]

REDIS_URL = os.environ.get("REDIS_URL", "")

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "pressroom",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Without a broker, tasks run in-process so the embedded default needs no Redis.
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    "publish-scheduled-articles": {
        "task": "news.tasks.publish_scheduled_articles",
        "schedule": crontab(minute="*"),
    },
}

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "pressroom@localhost")

LOGIN_URL = "admin:login"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    # In-process tasks would log a line per task into the runserver console.
    "loggers": {"celery.app.trace": {"level": "WARNING" if CELERY_TASK_ALWAYS_EAGER else "INFO"}},
}

SIMPLE_HISTORY_REVERT_DISABLED = True  # restoring goes through news.revisions instead

# Pressroom's own options.
PRESSROOM_ALLOW_SELF_APPROVAL = env_bool("PRESSROOM_ALLOW_SELF_APPROVAL", False)
PRESSROOM_SITE_URL = os.environ.get("PRESSROOM_SITE_URL", "http://127.0.0.1:8000")
PRESSROOM_IMPORT_MAX_UPLOAD_BYTES = int(
    os.environ.get("PRESSROOM_IMPORT_MAX_UPLOAD_BYTES", str(20 * 1024 * 1024))
)
# How long a public page stays cached at most; any article change drops it at once.
PRESSROOM_PAGE_CACHE_SECONDS = int(os.environ.get("PRESSROOM_PAGE_CACHE_SECONDS", "600"))

# Translation (news/translation/). Without an engine every translation request becomes a
# task for a person in the admin.
PRESSROOM_TRANSLATION_ENGINE = os.environ.get("PRESSROOM_TRANSLATION_ENGINE", "").strip()
_TRANSLATION_ENGINES = {
    "": [],
    "libretranslate": ["PRESSROOM_LIBRETRANSLATE_URL"],
    "deepl": ["PRESSROOM_DEEPL_AUTH_KEY"],
    "argos": ["PRESSROOM_ARGOS_PACKAGES_DIR"],
}
if PRESSROOM_TRANSLATION_ENGINE not in _TRANSLATION_ENGINES:
    raise ImproperlyConfigured(
        f"PRESSROOM_TRANSLATION_ENGINE must be one of {sorted(_TRANSLATION_ENGINES)}, "
        f"not {PRESSROOM_TRANSLATION_ENGINE!r}"
    )
for _required in _TRANSLATION_ENGINES[PRESSROOM_TRANSLATION_ENGINE]:
    if not os.environ.get(_required):
        raise ImproperlyConfigured(
            f"{_required} is required with PRESSROOM_TRANSLATION_ENGINE="
            f"{PRESSROOM_TRANSLATION_ENGINE}"
        )
PRESSROOM_LIBRETRANSLATE_URL = os.environ.get("PRESSROOM_LIBRETRANSLATE_URL", "")
PRESSROOM_LIBRETRANSLATE_API_KEY = os.environ.get("PRESSROOM_LIBRETRANSLATE_API_KEY", "")
PRESSROOM_LIBRETRANSLATE_CHAR_LIMIT = int(
    os.environ.get("PRESSROOM_LIBRETRANSLATE_CHAR_LIMIT", "5000")
)
PRESSROOM_DEEPL_AUTH_KEY = os.environ.get("PRESSROOM_DEEPL_AUTH_KEY", "")
PRESSROOM_DEEPL_SERVER_URL = os.environ.get("PRESSROOM_DEEPL_SERVER_URL", "")
PRESSROOM_ARGOS_PACKAGES_DIR = os.environ.get("PRESSROOM_ARGOS_PACKAGES_DIR", "")
PRESSROOM_TRANSLATION_TIMEOUT = float(os.environ.get("PRESSROOM_TRANSLATION_TIMEOUT", "30"))
PRESSROOM_PUBLISH_UNREVIEWED_MACHINE_TRANSLATIONS = env_bool(
    "PRESSROOM_PUBLISH_UNREVIEWED_MACHINE_TRANSLATIONS", False
)
PRESSROOM_AUTO_TRANSLATE_IMPORTS = env_bool("PRESSROOM_AUTO_TRANSLATE_IMPORTS", False)
