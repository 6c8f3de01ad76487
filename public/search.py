"""Full-text search over articles, with a ranked, highlighted snippet for every result.

On PostgreSQL each article's words are stemmed in its own language (`russian`, `english`,
`simple` for Kazakh, which PostgreSQL has no stemmer for), title weighted over lead over
body, and looked up through the GIN index on the stored `search_vector` column that
migration 0007_search adds. When full-text finds nothing (a misspelt word, a query of stop
words) the title's trigram similarity finds near matches. Elsewhere (the embedded SQLite
default) every word of the query must occur in the title, lead or body, compared
case-insensitively in every alphabet.

Only the newest RANKED_CANDIDATES matches (in the order of the queryset searched: the
public lists' newest first) are ranked. A common word matches a third of the archive;
ranking every match reads every match's stored vector, while the newest few hundred are
found by walking the public-order index or, for rare words, through the GIN index. Readers
page through at most MAX_RANKED_PAGES pages of relevance-ordered results, which is what
the candidates fill.
"""

import html
import operator
import re
from functools import reduce

from django.conf import settings
from django.contrib.postgres.lookups import TrigramWordSimilar
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchQueryField,
    SearchRank,
    SearchVectorExact,
    SearchVectorField,
    TrigramWordSimilarity,
)
from django.db import connections
from django.db.models import (
    Case,
    Expression,
    F,
    FloatField,
    Func,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.expressions import Col
from django.db.models.functions import Concat
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .pagination import MAX_RANKED_PAGES, PAGE_SIZE

# PostgreSQL text search configuration per article language; anything else uses `simple`.
SEARCH_CONFIGS = {"ru": "russian", "en": "english"}
DEFAULT_SEARCH_CONFIG = "simple"
# Private-use characters mark the highlights while the snippet is plain text, so that the
# text can be escaped first and the marks turned into <mark> tags after.
MARK_START, MARK_STOP = "\ue000", "\ue001"
SNIPPET_WORDS = 35
TAG_PATTERN = r"<[^>]*>"
MAX_QUERY_LENGTH = 200
WORD_SEPARATOR = "\x1f"  # passes the query words to an SQLite function as one argument
RANKED_CANDIDATES = MAX_RANKED_PAGES * PAGE_SIZE


class HighlightedSnippet(TextField):
    """A snippet whose only markup is <mark> around the words that matched."""

    def from_db_value(self, value, expression, connection) -> SafeString:
        return mark_up_highlights(value or "")


def mark_up_highlights(text: str) -> SafeString:
    # The text came out of HTML: its entities (&amp;, &nbsp;) are decoded before escaping.
    escaped = escape(html.unescape(text))
    return mark_safe(  # noqa: S308 - escaped above; the only markup added is <mark>
        escaped.replace(MARK_START, "<mark>").replace(MARK_STOP, "</mark>")
    )


def search_articles(queryset: QuerySet, query: str, language: str | None = None) -> QuerySet:
    """`queryset` matching `query`, annotated with `rank` and `snippet`, best match first.

    `language` limits the search to articles in that language. A blank query leaves the
    queryset unfiltered apart from the language.
    """
    query = " ".join(query.split())[:MAX_QUERY_LENGTH]
    if language:
        queryset = queryset.filter(language=language)
    if not query:
        return queryset
    if connections[queryset.db].vendor == "postgresql":
        return _search_postgresql(queryset, query, language)
    return _search_portable(queryset, query)


# PostgreSQL


class StoredSearchVector(Expression):
    """The `search_vector` column that migration 0007 adds on PostgreSQL only.

    It is not a model field: SQLite could not compute it, and PostgreSQL keeps it current
    on every write (bulk writes and `update()` included) because it is a generated column.
    """

    output_field = SearchVectorField()

    def resolve_expression(self, query=None, *args, **kwargs):
        field = SearchVectorField()
        field.set_attributes_from_name("search_vector")
        return Col(query.get_initial_alias(), field)


class HighlightedHeadline(SearchHeadline):
    output_field = HighlightedSnippet()


def language_config() -> Case:
    """Each article's own text search configuration, as the generated column uses it."""
    return Case(
        *(When(language=code, then=Value(config)) for code, config in SEARCH_CONFIGS.items()),
        default=Value(DEFAULT_SEARCH_CONFIG),
    )


def plain_body() -> Func:
    return Func(
        F("body"),
        Value(TAG_PATTERN),
        Value(" "),
        Value("g"),
        function="regexp_replace",
        output_field=TextField(),
    )


def _search_postgresql(queryset: QuerySet, query: str, language: str | None) -> QuerySet:
    languages = [language] if language else [code for code, _ in settings.LANGUAGES]
    configs = {code: SEARCH_CONFIGS.get(code, DEFAULT_SEARCH_CONFIG) for code in languages}
    queries = {
        config: SearchQuery(query, config=config, search_type="websearch")
        for config in sorted(set(configs.values()))
    }
    vector = StoredSearchVector()
    # The query in every language's configuration at once: a constant the GIN index can
    # serve. A word can only match a vector that holds the same lexeme, so an article
    # matched through another language's configuration does contain the word.
    any_language = reduce(operator.or_, queries.values())
    # Each article is ranked and highlighted with the query in its own language. Every
    # branch is a constant that PostgreSQL parses once, not once per matching row.
    row_query = Case(
        *(When(language=code, then=queries[config]) for code, config in configs.items()),
        output_field=SearchQueryField(),
    )
    snippet = HighlightedHeadline(
        Concat(F("lead"), Value(" "), plain_body(), output_field=TextField()),
        row_query,
        config=language_config(),
        start_sel=MARK_START,
        stop_sel=MARK_STOP,
        max_words=SNIPPET_WORDS,
        min_words=15,
        max_fragments=2,
        fragment_delimiter=" … ",
    )
    # The candidates' ids are read first: finding them is most of a search's time, and as
    # a subquery it was done again by every query of the results (the API counts them too).
    rank = SearchRank(vector, row_query)
    candidates = _candidates(queryset.filter(SearchVectorExact(vector, any_language)))
    if not candidates:
        # Nothing stems alike: look for titles with a word spelt nearly the same.
        candidates = _candidates(queryset.filter(TrigramWordSimilar(F("title"), query)))
        rank = TrigramWordSimilarity(query, "title")
    # The snippet is computed for the rows of the page only: PostgreSQL evaluates the
    # select list after the LIMIT of the sorted rows.
    return (
        queryset.filter(pk__in=candidates)
        .annotate(rank=rank, snippet=snippet)
        .order_by("-rank", "-published_at", "-id")
    )


def _candidates(found: QuerySet) -> list[int]:
    return list(found.values_list("pk", flat=True)[:RANKED_CANDIDATES])


# Other databases


def _plain_casefold(text: str | None) -> str:
    return html.unescape(re.sub(TAG_PATTERN, " ", text or "")).casefold()


def _highlight(lead: str | None, body: str | None, joined_words: str) -> str:
    """Up to SNIPPET_WORDS words of lead and body from the first match, matches marked."""
    words = joined_words.split(WORD_SEPARATOR)
    text = html.unescape(re.sub(TAG_PATTERN, " ", f"{lead or ''} {body or ''}"))
    tokens = text.split()
    folded = [token.casefold() for token in tokens]
    first = next((i for i, token in enumerate(folded) if any(w in token for w in words)), 0)
    start = max(0, first - 5)
    shown = []
    for token, token_folded in zip(
        tokens[start : start + SNIPPET_WORDS], folded[start : start + SNIPPET_WORDS], strict=True
    ):
        hit = any(word in token_folded for word in words)
        shown.append(f"{MARK_START}{token}{MARK_STOP}" if hit else token)
    return " ".join(shown)


SQLITE_FUNCTIONS = (
    ("pressroom_plain_casefold", 1, _plain_casefold),
    ("pressroom_highlight", 3, _highlight),
)


def _register_functions(alias: str) -> None:
    # SQLite's LIKE and lower() fold ASCII letters only; Python's casefold() folds
    # Cyrillic (and Kazakh's extra letters) too. Registering is per connection and cheap.
    connection = connections[alias]
    connection.ensure_connection()
    for name, arity, function in SQLITE_FUNCTIONS:
        connection.connection.create_function(name, arity, function, deterministic=True)


def _search_portable(queryset: QuerySet, query: str) -> QuerySet:
    _register_functions(queryset.db)
    words = [word.casefold() for word in query.split()]
    fields = {"title": 1.0, "lead": 0.4, "body": 0.1}
    folded = {
        f"_search_{field}": Func(
            F(field), function="pressroom_plain_casefold", output_field=TextField()
        )
        for field in fields
    }
    queryset = queryset.alias(**folded)
    rank = Value(0.0, output_field=FloatField())
    for word in words:
        queryset = queryset.filter(
            Q(_search_title__contains=word)
            | Q(_search_lead__contains=word)
            | Q(_search_body__contains=word)
        )
        rank += Case(
            *(
                When(**{f"_search_{field}__contains": word}, then=Value(weight))
                for field, weight in fields.items()
            ),
            default=Value(0.0),
            output_field=FloatField(),
        )
    snippet = Func(
        F("lead"),
        F("body"),
        Value(WORD_SEPARATOR.join(words)),
        function="pressroom_highlight",
        output_field=HighlightedSnippet(),
    )
    return queryset.annotate(rank=rank, snippet=snippet).order_by("-rank", "-published_at", "-id")
