"""Which of Pressroom's languages (kk, ru, en) a text is in; pure, no ORM.

The script decides most cases for free: only English among the three is written in Latin
letters. Between Kazakh and Russian, both Cyrillic, lingua decides, held back by the nine
letters only Kazakh has: proper names (`Алматы`, `Шымкента`) look Kazakh to the model, so a
short text without any of them is not called Kazakh on the model's word alone.
"""

import html
import re
import threading

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

SAMPLE_CHARS = 500
# Fewer letters than this carry no language (`К-1`, `IMF`, a date).
MIN_LETTERS = 4
# Below this many Cyrillic letters, a text without Kazakh letters that the model still calls
# Kazakh is nearly always a list of names (`Аким Алматы Дархан Сатыбалды`): undetermined.
SHORT_CYRILLIC = 40

KAZAKH_LETTERS = "әғқңөұүһіӘҒҚҢӨҰҮҺІ"
_KAZAKH = re.compile(f"[{KAZAKH_LETTERS}]")
_CYRILLIC = re.compile(r"[\u0400-\u0481\u048a-\u04ff]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f]")
_TAG = re.compile(r"<[^>]*>")
_URL = re.compile(r"(?:https?://|www\.)\S*", re.IGNORECASE)
# Matched from the start of its token only: trying every position of a long run without
# spaces would take quadratic time.
_EMAIL = re.compile(r"(?<!\S)[^\s@]*@\S*")
# Enough text that the sample is still full after tags and addresses are taken out, and a
# bound on the work for a huge body.
_READ_CHARS = SAMPLE_CHARS * 4
_CODES = {Language.KAZAKH: "kk", Language.RUSSIAN: "ru", Language.ENGLISH: "en"}

_detector: LanguageDetector | None = None
_detector_lock = threading.Lock()


def _get_detector() -> LanguageDetector:
    # Built on first use, not at import: a Celery prefork parent that never detects does
    # not load the models, and each child loads them once. The lock keeps threaded
    # workers from building it twice.
    global _detector
    if _detector is None:
        with _detector_lock:
            if _detector is None:
                _detector = LanguageDetectorBuilder.from_languages(*_CODES).build()
    return _detector


def _sample(text: str) -> str:
    text = text[:_READ_CHARS]
    # Each pattern only runs where its mark is: most texts have neither tags nor addresses.
    if "<" in text or "&" in text:
        text = html.unescape(_TAG.sub(" ", text))
    if "://" in text or "ww." in text or "WW." in text:
        text = _URL.sub(" ", text)
    if "@" in text:
        text = _EMAIL.sub(" ", text)
    return " ".join(text.split())[:SAMPLE_CHARS]


class _Letters:
    """Letter counts of a sample, by script."""

    __slots__ = ("cyrillic", "kazakh", "latin")

    def __init__(self, sample: str):
        # Regular expressions count in C: a Python loop over each character was the
        # slowest part of an import.
        self.cyrillic = len(_CYRILLIC.findall(sample))
        self.kazakh = len(_KAZAKH.findall(sample)) if self.cyrillic else 0
        self.latin = len(_LATIN.findall(sample))


def _by_script(letters: _Letters) -> str | None:
    """The answer when the script settles it, None when Kazakh and Russian must be weighed."""
    if letters.cyrillic + letters.latin < MIN_LETTERS:
        return ""
    if letters.latin > letters.cyrillic:
        # lingua, restricted to kk/ru/en, can only answer English for Latin text anyway.
        return "en"
    return None


def _weigh(letters: _Letters, kazakh: float, russian: float) -> str:
    if russian >= kazakh:
        return "ru"
    if letters.kazakh == 0 and letters.cyrillic < SHORT_CYRILLIC:
        return ""
    return "kk"


def _confidences(values) -> tuple[float, float]:
    found = {value.language: value.value for value in values}
    return found.get(Language.KAZAKH, 0.0), found.get(Language.RUSSIAN, 0.0)


def detect_language(text: str) -> str:
    """The language code (kk, ru, en) of the start of `text`; "" when it is too short to tell."""
    sample = _sample(text)
    letters = _Letters(sample)
    settled = _by_script(letters)
    if settled is not None:
        return settled
    values = _get_detector().compute_language_confidence_values(sample)
    return _weigh(letters, *_confidences(values))


def detect_languages(texts: list[str]) -> list[str]:
    """`detect_language` of each text; the Cyrillic ones go to lingua in one parallel batch."""
    samples = [_sample(text) for text in texts]
    letters = [_Letters(sample) for sample in samples]
    results = [_by_script(counts) for counts in letters]
    pending = [index for index, result in enumerate(results) if result is None]
    if pending:
        batch = _get_detector().compute_language_confidence_values_in_parallel(
            [samples[index] for index in pending]
        )
        for index, values in zip(pending, batch, strict=True):
            results[index] = _weigh(letters[index], *_confidences(values))
    return [result or "" for result in results]
