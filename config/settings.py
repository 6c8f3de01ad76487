"""Pressroom settings, read from the environment.

The embedded default (no environment at all, DJANGO_DEBUG=1) runs on SQLite with Celery
tasks executed in-process and a local-memory cache. Production sets DATABASE_URL,
REDIS_URL, DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS.
"""

import ipaddress
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from django_prose_editor.config import html_tags
from js_asset import static_lazy

from config.email_url import parse_email_url

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
    "axes",
    "csp",
    "django_prose_editor",
    "agencies",
    "news",
    "media_library",
    "public",
    "people",
    "outreach",
    "webhooks",
    "accreditation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before sessions, language, CSRF and authentication: a cached public page needs none.
    "public.cache.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # The language of each staff member's emails, until they choose one.
    "people.middleware.AdminLanguageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Before any view, in the reader's language and with the headers of every page.
    "config.middleware.RejectUnreadableRequestMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
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
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # An unreachable server fails a request (and /readyz) in seconds instead of hanging it.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = int(
        os.environ.get("DJANGO_DB_CONNECT_TIMEOUT", "5")
    )
    # PostgreSQL's JIT compiles plans of queries over large tables; for this site's short
    # page queries compiling costs far more than it saves.
    DATABASES["default"]["OPTIONS"].setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The site-wide public-order index includes columns on PostgreSQL (news.models); SQLite, the
# embedded default, builds it without them, and says so at every command.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = os.environ.get("DJANGO_LANGUAGE_CODE", "en")
LANGUAGES = [
    ("kk", _("Kazakh")),
    ("ru", _("Russian")),
    ("en", _("English")),
]
# Pressroom's own strings, then locale_django: Kazakh for Django strings that Django's kk
# catalogues lack, and Russian and Kazakh for its phrases built from a verbose name.
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
    # A Redis that is down or slow makes the cache miss instead of failing the page: every
    # call gives up after the socket timeout, then the cache is skipped for a few seconds.
    _CACHE_TIMEOUT = float(os.environ.get("PRESSROOM_CACHE_SOCKET_TIMEOUT", "0.5"))
    CACHES = {
        "default": {
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "pressroom",
            "OPTIONS": {"socket_connect_timeout": _CACHE_TIMEOUT, "socket_timeout": _CACHE_TIMEOUT},
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
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # Redis hands a task whose worker died unacknowledged (acks_late) to another worker after
    # this many seconds. It must exceed the longest task (imports: 3600 s) and retry
    # countdown, or a task still running would be delivered twice.
    "visibility_timeout": int(os.environ.get("PRESSROOM_BROKER_VISIBILITY_TIMEOUT", "3900")),
    # A web request that queues a task learns in seconds that Redis is unreachable.
    "socket_connect_timeout": 3,
}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    "publish-scheduled-articles": {
        "task": "news.tasks.publish_scheduled_articles",
        "schedule": crontab(minute="*"),
    },
    "resend-queued-work": {
        "task": "news.tasks.resend_queued_work",
        "schedule": crontab(minute="*"),
    },
    "resend-announcements": {
        "task": "outreach.tasks.resend_announcements",
        "schedule": crontab(minute="*"),
    },
    "send-email-digests": {
        "task": "outreach.tasks.send_due_digests",
        "schedule": crontab(minute=0),
    },
    "forget-unconfirmed-subscriptions": {
        "task": "outreach.tasks.forget_unconfirmed_subscriptions",
        "schedule": crontab(minute=15, hour=3),
    },
    "send-due-webhook-deliveries": {
        "task": "webhooks.tasks.send_due_deliveries",
        "schedule": crontab(minute="*"),
    },
    "prune-webhook-delivery-log": {
        "task": "webhooks.tasks.prune_delivery_log",
        "schedule": crontab(hour="3", minute="40"),
    },
}

# The outgoing mail server as one address (config/email_url.py): smtp://user:pass@host:587?tls=1,
# smtps://…, or console:// (the default: emails are printed, none leaves the machine).
if "DJANGO_EMAIL_BACKEND" in os.environ:
    raise ImproperlyConfigured(
        "DJANGO_EMAIL_BACKEND is replaced by DJANGO_EMAIL_URL, e.g. smtp://user:pass@host:587?tls=1"
    )
globals().update(parse_email_url(os.environ.get("DJANGO_EMAIL_URL", "console://")))
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "pressroom@localhost")

LOGIN_URL = "admin:login"

# Security. Defaults are for production; the embedded default (DJANGO_DEBUG=1) serves plain
# HTTP on localhost. `manage.py check --deploy` passes with the values in .env.example.
# Behind a reverse proxy that terminates TLS: trust its X-Forwarded-Proto (and, for the
# login lockout, its X-Forwarded-For). Never without such a proxy, which must overwrite
# both headers: a client could otherwise claim HTTPS or someone else's address.
BEHIND_TLS_PROXY = env_bool("DJANGO_BEHIND_TLS_PROXY", False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Off by default so that tests and a plain-HTTP local run are not redirected; production
# sets it, or lets the proxy redirect (then check --deploy's W008 is expected).
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", False)
# Load balancers probe over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
# Sent only on HTTPS responses. Start low on a new domain: browsers remember it.
SECURE_HSTS_SECONDS = int(
    os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000")
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
# Preloading is a commitment to browsers' built-in lists, so it is opt-in.
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
# Only the admin uses sessions: a working day, then log in again.
SESSION_COOKIE_AGE = int(os.environ.get("DJANGO_SESSION_COOKIE_AGE", str(8 * 60 * 60)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("DJANGO_SESSION_EXPIRE_AT_BROWSER_CLOSE", False)
# Request bodies held in memory: an article with tables fits, a flood does not. Uploaded
# files above FILE_UPLOAD_MAX_MEMORY_SIZE go to a temporary file; the import upload has its
# own limit (PRESSROOM_IMPORT_MAX_UPLOAD_BYTES) and accepted file types.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Content Security Policy (django-csp): scripts, styles and images only from this site, no
# inline script, no plugins, no framing. Body images of imported releases may be hosted on
# the agencies' sites (https:); Swagger UI draws its icons from data: URIs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        # The nonce is for the body editor's import map, the one inline script (news.forms).
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "https:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# The body editor's own extension (labels in the admin's language, Word's lists on paste);
# it writes no HTML of its own, so it adds nothing to the body's allow-list (news.html).
DJANGO_PROSE_EDITOR_EXTENSIONS = [
    {
        "js": [static_lazy("news/body_editor.js")],
        "extensions": {"PressroomEditor": html_tags([])},
    }
]

# Brute force on the admin login (django-axes): after PRESSROOM_LOGIN_FAILURE_LIMIT wrong
# passwords for one username from one address, that pair is locked out for the cool-off
# time; a successful login resets the count.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = env_bool("PRESSROOM_LOGIN_LOCKOUT", True)
AXES_FAILURE_LIMIT = int(os.environ.get("PRESSROOM_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("PRESSROOM_LOGIN_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_CALLABLE = "config.security.lockout_response"
if BEHIND_TLS_PROXY:
    AXES_CLIENT_IP_CALLABLE = "config.security.client_ip_behind_proxy"

AXES_VERBOSE = False  # no banner on every process start; lockouts are still logged

# JSON lines in production, on standard error: the container runtime collects it like
# standard output, which export_articles and `import_releases --json` keep for their data.
LOG_FORMAT = os.environ.get("DJANGO_LOG_FORMAT", "text" if DEBUG else "json")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(f"DJANGO_LOG_FORMAT must be json or text, not {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "config.logging.JsonLinesFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            **({"formatter": "json"} if LOG_FORMAT == "json" else {}),
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    # In-process tasks would log a line per task into the runserver console.
    "loggers": {"celery.app.trace": {"level": "WARNING" if CELERY_TASK_ALWAYS_EAGER else "INFO"}},
}

# Unhandled errors go to Sentry (the `sentry` extra) when SENTRY_DSN is set; off otherwise.
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    from config.error_reporting import init_sentry

    init_sentry(
        SENTRY_DSN,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
    )

SIMPLE_HISTORY_REVERT_DISABLED = True  # restoring goes through news.revisions instead

# Pressroom's own options.
PRESSROOM_ALLOW_SELF_APPROVAL = env_bool("PRESSROOM_ALLOW_SELF_APPROVAL", False)
PRESSROOM_SITE_URL = os.environ.get("PRESSROOM_SITE_URL", "http://127.0.0.1:8000")
PRESSROOM_IMPORT_MAX_UPLOAD_BYTES = int(
    os.environ.get("PRESSROOM_IMPORT_MAX_UPLOAD_BYTES", str(20 * 1024 * 1024))
)
# Import sources are set up in the admin: by default they fetch from public addresses only,
# never from this server or its network. Private networks listed here (e.g. an intranet
# feed server's 10.20.0.0/16) may be fetched from too.
PRESSROOM_IMPORT_ALLOWED_NETWORKS = env_list("PRESSROOM_IMPORT_ALLOWED_NETWORKS", [])
for _network in PRESSROOM_IMPORT_ALLOWED_NETWORKS:
    try:
        ipaddress.ip_network(_network)
    except ValueError as error:
        raise ImproperlyConfigured(
            f"PRESSROOM_IMPORT_ALLOWED_NETWORKS must list networks such as 10.20.0.0/16: {error}"
        ) from None
# Imports fetch the photo a release offers (a feed's image enclosure, gov.kz's heropic) into
# the media library, by the same network rules as their sources; 0 turns that off (e.g. an
# installation without internet access, where every photo would wait out its timeouts).
PRESSROOM_IMPORT_PHOTOS = env_bool("PRESSROOM_IMPORT_PHOTOS", True)
# The folder whose files import sources may name (a relative location is taken inside it);
# unset, sources read web addresses only. `manage.py import_releases` reads any file its
# operator names.
PRESSROOM_IMPORT_DIR = os.environ.get("PRESSROOM_IMPORT_DIR", "")
if PRESSROOM_IMPORT_DIR and not Path(PRESSROOM_IMPORT_DIR).is_absolute():
    raise ImproperlyConfigured(
        f"PRESSROOM_IMPORT_DIR must be an absolute path, not {PRESSROOM_IMPORT_DIR!r}"
    )
# How long a public page stays cached at most; any article change drops it at once.
PRESSROOM_PAGE_CACHE_SECONDS = int(os.environ.get("PRESSROOM_PAGE_CACHE_SECONDS", "600"))
# Imports and translations queued this long without a worker starting them are sent again
# (a restarted Redis forgets its queue); those refused while it was down are sent at once.
PRESSROOM_QUEUE_RESEND_AFTER_SECONDS = int(
    os.environ.get("PRESSROOM_QUEUE_RESEND_AFTER_SECONDS", "900")
)
# How many days the log of partners' webhook deliveries keeps a finished delivery.
PRESSROOM_WEBHOOK_LOG_DAYS = int(os.environ.get("PRESSROOM_WEBHOOK_LOG_DAYS", "90"))

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

# The media library (media_library/): photos and files of releases. Files are stored under
# random names and served only through media_library.views, which checks that the release
# using them is public (or that the user may see them in the admin): no web server serves
# MEDIA_ROOT, and on S3 the objects are private, reached by short-lived signed addresses.
MEDIA_ROOT = os.environ.get("PRESSROOM_MEDIA_ROOT") or str(BASE_DIR / "media")
MEDIA_URL = "/media-storage/"  # never routed: media_library.views serves every file
PRESSROOM_MEDIA_MAX_IMAGE_BYTES = int(
    os.environ.get("PRESSROOM_MEDIA_MAX_IMAGE_BYTES", str(25 * 1024 * 1024))
)
PRESSROOM_MEDIA_MAX_DOCUMENT_BYTES = int(
    os.environ.get("PRESSROOM_MEDIA_MAX_DOCUMENT_BYTES", str(50 * 1024 * 1024))
)
# Larger photos are refused before they are decoded (a decompression bomb): 60 megapixels
# is beyond any press camera's output, and a decoded one needs ~240 MB.
PRESSROOM_MEDIA_MAX_IMAGE_PIXELS = int(
    os.environ.get("PRESSROOM_MEDIA_MAX_IMAGE_PIXELS", str(60_000_000))
)
PRESSROOM_MEDIA_S3_BUCKET = os.environ.get("PRESSROOM_MEDIA_S3_BUCKET", "")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if PRESSROOM_MEDIA_S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": PRESSROOM_MEDIA_S3_BUCKET,
            # Empty for AWS itself; the address of MinIO, Ceph, or a cloud's S3 service.
            "endpoint_url": os.environ.get("PRESSROOM_MEDIA_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("PRESSROOM_MEDIA_S3_REGION") or None,
            "access_key": os.environ.get("PRESSROOM_MEDIA_S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("PRESSROOM_MEDIA_S3_SECRET_ACCESS_KEY") or None,
            "location": os.environ.get("PRESSROOM_MEDIA_S3_PREFIX", ""),
            "addressing_style": os.environ.get("PRESSROOM_MEDIA_S3_ADDRESSING_STYLE") or None,
            "signature_version": "s3v4",
            # No ACL is sent: objects are as private as the bucket, which must allow no
            # public reads (AWS buckets with ACLs disabled, the default, refuse any ACL but
            # the owner's). A reader gets a signed address valid this many seconds, and
            # only once media_library.views found the file public.
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": int(os.environ.get("PRESSROOM_MEDIA_S3_URL_SECONDS", "300")),
            "file_overwrite": False,
        },
    }
