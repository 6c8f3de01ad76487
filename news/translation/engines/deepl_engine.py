"""DeepL through its official client, with a glossary made from the terminology list."""

import contextlib
import uuid

import deepl
from django.utils.translation import gettext_lazy as _

from .. import terms as terminology
from ..errors import (
    EngineBusy,
    EngineRefused,
    EngineUnavailable,
    MalformedResponse,
    TranslationError,
)
from .base import Engine

# DeepL wants a variant for English output; government releases here follow British usage.
TARGET_CODES = {"en": "EN-GB"}


class DeepLEngine(Engine):
    name = "deepl"
    label = "DeepL"
    # The API takes up to 50 texts and 128 KiB per request; Cyrillic is two bytes a letter.
    max_text_chars = 30000
    max_request_chars = 60000
    max_request_texts = 50

    def __init__(self, auth_key: str, *, server_url: str = "", timeout: float = 30):
        # The client's own retries sleep inside the worker; Celery retries with back-off
        # instead, so a busy DeepL does not hold a worker for minutes.
        deepl.http_client.max_network_retries = 0
        deepl.http_client.min_connection_timeout = timeout
        self._translator = deepl.Translator(
            auth_key, server_url=server_url or None, send_platform_info=False
        )
        self._pairs: frozenset[tuple[str, str]] | None = None
        self._glossary_pairs: frozenset[tuple[str, str]] | None = None
        self._glossary: deepl.GlossaryInfo | None = None

    def close(self) -> None:
        self._translator.close()

    def supported_pairs(self) -> frozenset[tuple[str, str]]:
        if self._pairs is None:
            sources = self._call(self._translator.get_source_languages)
            targets = self._call(self._translator.get_target_languages)
            sources = {_base(language.code) for language in sources}
            targets = {_base(language.code) for language in targets}
            self._pairs = frozenset((s, t) for s in sources for t in targets if s != t)
        return self._pairs

    def translate(self, texts, *, source, target, terms=None):
        """Terms go to DeepL as a glossary where it supports one for the pair."""
        needed = terminology.present_terms(texts, terms or {})
        if (
            not needed
            or not self.supports(source, target)
            or not self._has_glossaries(source, target)
        ):
            return super().translate(texts, source=source, target=target, terms=needed)
        self._glossary = self._call(
            self._translator.create_glossary,
            f"pressroom-{uuid.uuid4().hex[:12]}",
            source.upper(),
            target.upper(),
            needed,
        )
        try:
            return super().translate(texts, source=source, target=target)
        finally:
            glossary, self._glossary = self._glossary, None
            # A leftover one-off glossary costs nothing; the translation stands.
            with contextlib.suppress(TranslationError):
                self._call(self._translator.delete_glossary, glossary)

    def translate_batch(self, texts: list[str], *, source: str, target: str) -> list[str]:
        results = self._call(
            self._translator.translate_text,
            texts,
            source_lang=source.upper(),
            target_lang=TARGET_CODES.get(target, target.upper()),
            glossary=self._glossary,
        )
        if not isinstance(results, list) or len(results) != len(texts):
            raise _malformed()
        return [result.text for result in results]

    def _has_glossaries(self, source: str, target: str) -> bool:
        if self._glossary_pairs is None:
            self._glossary_pairs = frozenset(
                (pair.source_lang.lower(), pair.target_lang.lower())
                for pair in self._call(self._translator.get_glossary_languages)
            )
        return (source, target) in self._glossary_pairs

    def _call(self, method, *args, **kwargs):
        try:
            return method(*args, **kwargs)
        except deepl.TooManyRequestsException as error:
            raise EngineBusy(
                _("DeepL is busy; the translation will be retried."), code="engine_busy"
            ) from error
        except deepl.QuotaExceededException as error:
            raise EngineRefused(
                _("The DeepL quota for this month is used up; translate by hand or wait."),
                code="quota_exceeded",
            ) from error
        except deepl.AuthorizationException as error:
            raise EngineRefused(
                _("DeepL refused the authentication key; an administrator must check it."),
                code="engine_auth",
            ) from error
        except deepl.ConnectionException as error:
            raise EngineUnavailable(
                _("DeepL cannot be reached or did not answer in time; it will be retried."),
                code="engine_unreachable",
            ) from error
        except deepl.DeepLException as error:
            if (error.http_status_code or 0) >= 500:
                raise EngineUnavailable(
                    _("DeepL failed (error %(status)s); the translation will be retried.")
                    % {"status": error.http_status_code},
                    code="engine_error",
                ) from error
            raise EngineRefused(
                _("DeepL refused the text: %(reason)s") % {"reason": error},
                code="engine_rejected",
            ) from error
        except (TypeError, ValueError, KeyError, AttributeError) as error:
            # The client reads fields it expects without checking them.
            raise _malformed() from error


def _base(code: str) -> str:
    return code.split("-")[0].lower()


def _malformed() -> MalformedResponse:
    return MalformedResponse(
        _("DeepL answered with something that is not a translation."), code="malformed_response"
    )
