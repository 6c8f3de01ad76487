"""The distinct words of public releases' titles, which "did you mean" (public.search)
compares a misspelt query word with.

Kept in `TitleWord` so that a suggestion reads a few similar words (PostgreSQL's trigram
index finds them) instead of thousands of titles. Words are added when a published or
scheduled release is saved (the receiver below; publishing saves the release) and by
`manage.py update_search_lexemes`, which also adds the words of titles changed with
QuerySet.update(). Drafts' words are left out: a word a draft has would count as known
and not be corrected. A word a title no longer has stays, which costs at most a
suggestion not made: one is only shown when the corrected query finds releases.
"""

from collections.abc import Iterable

from django.db import DEFAULT_DB_ALIAS

from .lexemes import WORD_PATTERN, fold

PUBLIC_STATUSES = ("published", "scheduled")
# Longer "words" are run-together text or codes, which no one misspells in a query.
MAX_WORD_LENGTH = 100


def title_words(titles: Iterable[str]) -> dict[str, str]:
    """The words of `titles` as written (lower-case) by their folded form, first one kept."""
    words: dict[str, str] = {}
    for title in titles:
        for word in WORD_PATTERN.findall((title or "").casefold()):
            if len(word) <= MAX_WORD_LENGTH and not word.isdigit():
                words.setdefault(fold(word), word)
    return words


def record_title_words(titles: Iterable[str], using: str = DEFAULT_DB_ALIAS) -> None:
    """Add the words of `titles` that TitleWord does not have yet."""
    from .models import TitleWord

    TitleWord.objects.using(using).bulk_create(
        [TitleWord(folded=folded, spelling=word) for folded, word in title_words(titles).items()],
        ignore_conflicts=True,
    )


def record_saved_title(sender, instance, using, update_fields=None, **kwargs) -> None:
    """post_save of Article: a public release's title words, unless the save left its title
    and status alone."""
    if update_fields is not None and not {"title", "status"} & set(update_fields):
        return
    if instance.status in PUBLIC_STATUSES:
        record_title_words([instance.title], using)
