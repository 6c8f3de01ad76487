"""What can go wrong while translating, each with a machine-readable code."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _


class TranslationError(Exception):
    """A translation that did not happen; `retryable` errors are worth trying again later."""

    retryable = False

    def __init__(self, message, *, code: str, retry_after: float | None = None):
        super().__init__(str(message))
        self.message = message
        self.code = code
        self.retry_after = retry_after


class EngineUnavailable(TranslationError):
    """The engine did not answer, timed out or failed on its side (5xx)."""

    retryable = True


class EngineBusy(EngineUnavailable):
    """The engine asked us to slow down (HTTP 429); `retry_after` is its wish in seconds."""


class UnsupportedPair(TranslationError):
    """The engine cannot translate between these two languages; a person must."""


class EngineRefused(TranslationError):
    """The engine refused the request for good: a wrong key, an exhausted quota, bad input."""


class MalformedResponse(TranslationError):
    """The engine answered with something that is not a translation."""


def language_name(code: str) -> str:
    return str(dict(settings.LANGUAGES).get(code, code))


def unsupported_pair(engine_label, source: str, target: str) -> UnsupportedPair:
    return UnsupportedPair(
        _("%(engine)s cannot translate from %(source)s into %(target)s; a person must.")
        % {
            "engine": engine_label,
            "source": language_name(source),
            "target": language_name(target),
        },
        code="unsupported_pair",
    )
