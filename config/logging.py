"""Log records as JSON lines on stdout, for production log collectors."""

import json
import logging
from collections.abc import Mapping
from datetime import UTC, datetime

# Attributes every LogRecord has; anything else was passed in `extra=` and is kept.
_STANDARD_ATTRIBUTES = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}

# Gunicorn logs each request with its "atoms" as the record's arguments; these become fields.
GUNICORN_ACCESS_FIELDS = {
    "h": "remote_addr",
    "m": "method",
    "U": "path",
    "q": "query",
    "s": "status",
    "B": "bytes",
    "M": "duration_ms",
    "f": "referer",
    "a": "user_agent",
}


class JsonLinesFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, the `extra=` fields and the
    traceback, so a collector needs no multi-line parsing and no regular expressions."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD_ATTRIBUTES and not key.startswith("_"):
                entry[key] = value
        if record.name == "gunicorn.access" and isinstance(record.args, Mapping):
            for atom, field in GUNICORN_ACCESS_FIELDS.items():
                value = record.args.get(atom)
                # Numbers as numbers; gunicorn writes "-" or None where it has none.
                entry[field] = int(value) if str(value).isdigit() else value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        # default=str: a request object or a model instance passed as `extra` still logs.
        return json.dumps(entry, ensure_ascii=False, default=str)
