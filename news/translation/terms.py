"""Official titles and names: which apply to a text, and keeping them through an engine.

Engines without a glossary get each term replaced by a numbered placeholder before
translation and the required target term put back afterwards, so "аким" becomes "akim"
rather than "mayor" or "governor".
"""

import re
from dataclasses import dataclass

from news.models import Term

# Brackets and a letter survive every engine we use as-is; the pattern tolerates the spaces
# some engines insert around punctuation.
_PLACEHOLDER = "[T{}]"
_PLACEHOLDER_PATTERN = re.compile(r"\[\s*T\s*(\d+)\s*\]")


def terms_for(source: str, target: str, agency=None) -> dict[str, str]:
    """The terminology list for one language pair, plus the article's agency's own names."""
    terms = dict(
        Term.objects.filter(source_language=source, target_language=target).values_list(
            "source_term", "target_term"
        )
    )
    if agency is not None:
        source_name = getattr(agency, f"name_{source}", "")
        target_name = getattr(agency, f"name_{target}", "")
        if source_name and target_name:
            terms.setdefault(source_name, target_name)
    return terms


def _pattern(terms: dict[str, str]) -> re.Pattern:
    # Longest first, so "акимат" is not taken for "аким" + "ат"; whole words only.
    alternatives = "|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def present_terms(texts: list[str], terms: dict[str, str]) -> dict[str, str]:
    """The terms that occur in the texts, so a request carries only what it needs."""
    if not terms:
        return {}
    found = {match.casefold() for text in texts for match in _pattern(terms).findall(text)}
    return {source: target for source, target in terms.items() if source.casefold() in found}


@dataclass(frozen=True)
class Protected:
    text: str
    targets: tuple[str, ...]


def protect(text: str, terms: dict[str, str]) -> Protected:
    """Replace each term with a numbered placeholder; `restore` puts the target term back."""
    if not terms or not text:
        return Protected(text, ())
    by_key = {source.casefold(): target for source, target in terms.items()}
    targets: list[str] = []

    def placeholder(match: re.Match) -> str:
        target = by_key[match.group(0).casefold()]
        if match.group(0)[:1].isupper() and target[:1].islower():
            target = target[:1].upper() + target[1:]  # "Аким города" → "Akim of the city"
        targets.append(target)
        return _PLACEHOLDER.format(len(targets) - 1)

    return Protected(_pattern(terms).sub(placeholder, text), tuple(targets))


def restore(text: str, targets: tuple[str, ...]) -> str:
    if not targets:
        return text

    def term(match: re.Match) -> str:
        index = int(match.group(1))
        return targets[index] if index < len(targets) else match.group(0)

    return _PLACEHOLDER_PATTERN.sub(term, text)
