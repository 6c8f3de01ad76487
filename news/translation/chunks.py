"""Fitting texts into an engine's limits: long texts split at sentences, texts batched."""

import re
from collections.abc import Callable, Iterator

_SENTENCE_BREAK = re.compile(r"(?<=[.!?…;:])(\s+)")
_SPACE = re.compile(r"(\s+)")


def _pieces(text: str, pattern: re.Pattern) -> list[str]:
    """Split keeping the separators attached to the piece before them."""
    parts = pattern.split(text)
    return ["".join(parts[i : i + 2]) for i in range(0, len(parts), 2)]


def split_long(text: str, limit: int) -> list[str]:
    """Cut `text` into parts of at most `limit` characters, at sentence ends where possible,
    then at spaces, and only as a last resort inside a word. Joined, they give `text` back."""
    if len(text) <= limit:
        return [text]
    parts: list[str] = []
    current = ""
    for sentence in _pieces(text, _SENTENCE_BREAK):
        units = [sentence] if len(sentence) <= limit else _pieces(sentence, _SPACE)
        for unit in units:
            while len(unit) > limit:
                if current:
                    parts.append(current)
                    current = ""
                parts.append(unit[:limit])
                unit = unit[limit:]
            if len(current) + len(unit) > limit:
                parts.append(current)
                current = ""
            current += unit
    if current:
        parts.append(current)
    return parts


def batches(texts: list[str], *, max_chars: int, max_texts: int) -> Iterator[list[int]]:
    """Indices of `texts` grouped so that each group fits one request."""
    group: list[int] = []
    size = 0
    for index, text in enumerate(texts):
        if group and (size + len(text) > max_chars or len(group) >= max_texts):
            yield group
            group, size = [], 0
        group.append(index)
        size += len(text)
    if group:
        yield group


def translate_in_chunks(
    texts: list[str],
    translate_batch: Callable[[list[str]], list[str]],
    *,
    max_text_chars: int,
    max_request_chars: int,
    max_request_texts: int,
    by_sentence: bool = False,
) -> list[str]:
    """Translate every text through `translate_batch`, however long, in as few requests as
    the limits allow; `by_sentence` sends each sentence on its own, for engines trained on
    single sentences. Whitespace around each part is kept as it was: engines drop it."""
    owners: list[int] = []
    cores: list[str] = []
    edges: list[tuple[str, str]] = []
    for owner, text in enumerate(texts):
        sentences = _pieces(text, _SENTENCE_BREAK) if by_sentence else [text]
        for part in (
            piece for sentence in sentences for piece in split_long(sentence, max_text_chars)
        ):
            core = part.strip()
            if not core:
                continue
            start = part.index(core[0])
            owners.append(owner)
            cores.append(core)
            edges.append((part[:start], part[start + len(core) :]))
    translated = [""] * len(cores)
    for group in batches(cores, max_chars=max_request_chars, max_texts=max_request_texts):
        for index, result in zip(group, translate_batch([cores[i] for i in group]), strict=True):
            translated[index] = result
    results = [""] * len(texts)
    for owner, (before, after), text in zip(owners, edges, translated, strict=True):
        results[owner] += f"{before}{text.strip()}{after}"
    return results
