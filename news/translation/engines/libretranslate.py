"""LibreTranslate, self-hosted: POST /translate, GET /languages, an optional api_key."""

import httpx
from django.utils.translation import gettext_lazy as _

from ..errors import EngineBusy, EngineRefused, EngineUnavailable, MalformedResponse
from .base import Engine, parse_retry_after


class LibreTranslateEngine(Engine):
    name = "libretranslate"
    label = "LibreTranslate"

    def __init__(self, url: str, *, api_key: str = "", timeout: float = 30, char_limit=5000):
        self.url = url.rstrip("/")
        self.api_key = api_key
        # A server's --char-limit counts every text of a request together.
        self.max_text_chars = self.max_request_chars = char_limit
        self._client = httpx.Client(timeout=timeout)
        self._pairs: frozenset[tuple[str, str]] | None = None

    def close(self) -> None:
        self._client.close()

    def supported_pairs(self) -> frozenset[tuple[str, str]]:
        if self._pairs is None:
            languages = self._call("GET", "/languages")
            try:
                self._pairs = frozenset(
                    (language["code"], target)
                    for language in languages
                    for target in language["targets"]
                    if target != language["code"]
                )
            except (TypeError, KeyError) as error:
                raise _malformed("/languages") from error
        return self._pairs

    def translate_batch(self, texts: list[str], *, source: str, target: str) -> list[str]:
        payload = {"q": texts, "source": source, "target": target, "format": "text"}
        if self.api_key:
            payload["api_key"] = self.api_key
        answer = self._call("POST", "/translate", json=payload)
        translated = answer.get("translatedText") if isinstance(answer, dict) else None
        if not (
            isinstance(translated, list)
            and len(translated) == len(texts)
            and all(isinstance(text, str) for text in translated)
        ):
            raise _malformed("/translate")
        return translated

    def _call(self, method: str, path: str, **kwargs):
        try:
            response = self._client.request(method, self.url + path, **kwargs)
        except httpx.TimeoutException as error:
            raise EngineUnavailable(
                _("LibreTranslate did not answer in time; the translation will be retried."),
                code="engine_timeout",
            ) from error
        except httpx.TransportError as error:
            raise EngineUnavailable(
                _("LibreTranslate cannot be reached; the translation will be retried."),
                code="engine_unreachable",
            ) from error
        if response.status_code == 429:
            raise EngineBusy(
                _("LibreTranslate is busy; the translation will be retried."),
                code="engine_busy",
                retry_after=parse_retry_after(response.headers.get("Retry-After")),
            )
        if response.status_code >= 500:
            raise EngineUnavailable(
                _("LibreTranslate failed (error %(status)s); the translation will be retried.")
                % {"status": response.status_code},
                code="engine_error",
            )
        if response.status_code in (401, 403):
            raise EngineRefused(
                _("LibreTranslate refused the API key; an administrator must check it."),
                code="engine_auth",
            )
        if response.status_code >= 400:
            raise EngineRefused(
                _("LibreTranslate refused the text: %(reason)s") % {"reason": _reason(response)},
                code="engine_rejected",
            )
        try:
            return response.json()
        except ValueError as error:
            raise _malformed(path) from error


def _reason(response: httpx.Response) -> str:
    try:
        return str(response.json()["error"])
    except (ValueError, KeyError, TypeError):
        return response.text[:200]


def _malformed(path: str) -> MalformedResponse:
    return MalformedResponse(
        _("LibreTranslate answered %(path)s with something that is not a translation.")
        % {"path": path},
        code="malformed_response",
    )
