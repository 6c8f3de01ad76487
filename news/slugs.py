"""Readable, unique slugs for titles in Kazakh, Russian and English."""

from collections.abc import Callable

from django.utils.text import slugify
from unidecode import unidecode

MAX_SLUG_LENGTH = 200


# Unidecode turns the Kazakh schwa into "@", which slugify drops; the Kazakh Latin
# alphabet writes it Ä, so a slug writes "a".
KAZAKH_LETTERS = str.maketrans({"Ә": "A", "ә": "a"})


FALLBACK = "article"


def is_number(slug: str) -> bool:
    """Whether `slug` is all ASCII digits, which the API would read as an article's id."""
    return slug.isascii() and slug.isdigit()


def transliterate_slug(text: str, max_length: int = MAX_SLUG_LENGTH) -> str:
    """`«Слышащее государство» в Костанае` → `slyshashchee-gosudarstvo-v-kostanae`;
    `2025` → `article-2025`: a slug is never a number."""
    slug = slugify(unidecode((text or "").translate(KAZAKH_LETTERS)))[:max_length].strip("-")
    if is_number(slug):
        slug = f"{FALLBACK}-{slug}"[:max_length]
    return slug or FALLBACK


def unique_slug(text: str, is_taken: Callable[[str], bool]) -> str:
    [slug] = unique_slugs([text], lambda candidates: set(filter(is_taken, candidates)))
    return slug


def unique_slugs(texts: list[str], taken_among: Callable[[set[str]], set[str]]) -> list[str]:
    """Slugs for many titles at once, unique among themselves and against `taken_among`.

    `taken_among(candidates)` returns those already in use: one lookup for the whole list,
    then one per collision, instead of one per title.
    """
    bases = [transliterate_slug(text, MAX_SLUG_LENGTH - 8) for text in texts]
    checked = set(bases)
    taken = taken_among(checked)

    def is_taken(candidate: str) -> bool:
        if candidate not in checked:
            checked.add(candidate)
            taken.update(taken_among({candidate}))
        return candidate in taken

    slugs = []
    for base in bases:
        candidate, counter = base, 2
        while is_taken(candidate):
            candidate = f"{base}-{counter}"
            counter += 1
        taken.add(candidate)
        slugs.append(candidate)
    return slugs
