"""Readable, unique slugs for titles in Kazakh, Russian and English."""

from collections.abc import Callable

from django.utils.text import slugify
from unidecode import unidecode

MAX_SLUG_LENGTH = 200


def transliterate_slug(text: str, max_length: int = MAX_SLUG_LENGTH) -> str:
    """`«Слышащее государство» в Костанае` → `slyshashchee-gosudarstvo-v-kostanae`."""
    slug = slugify(unidecode(text or ""))[:max_length].strip("-")
    return slug or "article"


def unique_slug(text: str, is_taken: Callable[[str], bool]) -> str:
    base = transliterate_slug(text, MAX_SLUG_LENGTH - 8)
    candidate, counter = base, 2
    while is_taken(candidate):
        candidate = f"{base}-{counter}"
        counter += 1
    return candidate
