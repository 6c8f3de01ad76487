"""The one interface every translation engine offers."""

from email.utils import parsedate_to_datetime

from django.utils import timezone

from .. import chunks
from .. import terms as terminology
from ..errors import TranslationError, unsupported_pair


class Engine:
    """Translates batches of plain texts from one language into another.

    Subclasses say which pairs they support and translate one batch that fits their limits;
    splitting long texts, batching and keeping terminology happen here.
    """

    name = ""
    label = ""
    max_text_chars = 5000  # one text in a request
    max_request_chars = 5000  # all texts of one request
    max_request_texts = 50
    by_sentence = False  # True for engines that translate single sentences only

    def supported_pairs(self) -> frozenset[tuple[str, str]]:
        raise NotImplementedError

    def supports(self, source: str, target: str) -> bool:
        return (source, target) in self.supported_pairs()

    def translate(
        self, texts: list[str], *, source: str, target: str, terms: dict[str, str] | None = None
    ) -> list[str]:
        """Translate every text; the terms' target forms replace whatever the engine says."""
        if not self.supports(source, target):
            raise self.unsupported(source, target)
        protected = [
            terminology.protect(text, terminology.present_terms([text], terms or {}))
            for text in texts
        ]
        translated = chunks.translate_in_chunks(
            [item.text for item in protected],
            lambda batch: self.translate_batch(batch, source=source, target=target),
            max_text_chars=self.max_text_chars,
            max_request_chars=self.max_request_chars,
            max_request_texts=self.max_request_texts,
            by_sentence=self.by_sentence,
        )
        return [
            terminology.restore(text, item.targets)
            for text, item in zip(translated, protected, strict=True)
        ]

    def translate_batch(self, texts: list[str], *, source: str, target: str) -> list[str]:
        """Translate texts that already fit the engine's limits, one result per text."""
        raise NotImplementedError

    def unsupported(self, source: str, target: str) -> TranslationError:
        return unsupported_pair(self.label, source, target)

    def close(self) -> None:
        """Release connections; an engine is made per job."""

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()


def parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header: a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():  # `²` is a digit to isdigit(), not to float()
        return float(value)
    try:
        return max(0.0, (parsedate_to_datetime(value) - timezone.now()).total_seconds())
    except (TypeError, ValueError):  # unparseable, or a date without a time zone
        return None
