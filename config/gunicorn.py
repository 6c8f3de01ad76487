"""Gunicorn's settings in the image and the compose stack:
`gunicorn --config python:config.gunicorn config.wsgi:application`.

Its own log lines (requests, worker starts and timeouts) come out as the same JSON lines as
Django's in production, on standard error, so one collector reads them all.
"""

import os

bind = "0.0.0.0:8000"
workers = 3
# A worker stuck longer than this is killed and replaced; no page should take a minute.
timeout = 60
accesslog = "-"
# No gunicornc control socket: compose manages the processes, and the user's home (/app)
# is not writable in the image.
control_socket_disable = True

_DEBUG = os.environ.get("DJANGO_DEBUG", "0").strip().lower() in {"1", "true", "yes", "on"}
if os.environ.get("DJANGO_LOG_FORMAT", "text" if _DEBUG else "json") == "json":
    _json_handler = {
        "class": "logging.StreamHandler",
        "formatter": "json",
        "stream": "ext://sys.stderr",
    }
    logconfig_dict = {
        "formatters": {"json": {"()": "config.logging.JsonLinesFormatter"}},
        "handlers": {"console": _json_handler, "error_console": _json_handler},
        "root": {"level": "INFO", "handlers": ["console"]},
        # Not propagated: Django's root handler would print every line a second time.
        "loggers": {
            name: {"level": "INFO", "handlers": ["console"], "propagate": False}
            for name in ("gunicorn.error", "gunicorn.access")
        },
    }
