"""Full-text search over articles, with a ranked, highlighted snippet for every result.

Articles and queries are compared as lexemes (news.lexemes): Kazakh, Russian and English
stems, Kazakh letters folded to their Russian-keyboard forms (an article that has the
word as typed ranks higher), Latin queries read in Cyrillic and Cyrillic ones in Latin.
Each article stores its lexemes (`search_lexemes`, written with it); on PostgreSQL the
generated `search_vector` column (migration 0023) holds them as a `simple` tsvector,
title weighted over lead over body, behind a GIN index; on SQLite the FTS5 table
`news_article_search` holds the same lines, so the embedded default understands the same
queries: words, "a phrase", -excluded, or. A query that finds nothing is tried again with
its unknown words replaced by the nearest title words (news.title_words), which the
results page offers as "did you mean".

Only the newest RANKED_CANDIDATES matches (in the order of the queryset searched: the
public lists' newest first) are ranked. A common word matches a third of the archive;
ranking every match reads every match's stored vector, while the newest few hundred are
found by walking the public-order index or, for rare words, through the GIN index. Readers
page through at most MAX_RANKED_PAGES pages of relevance-ordered results, which is what
the candidates fill.
"""

import difflib
import html
import re
from dataclasses import dataclass, field

from django.contrib.postgres.lookups import TrigramSimilar
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorExact,
    SearchVectorField,
    TrigramSimilarity,
)
from django.db import connections
from django.db.models import (
    Case,
    CharField,
    Expression,
    F,
    FloatField,
    Func,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.expressions import Col, RawSQL
from django.db.models.functions import Concat
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from news.lexemes import (
    CYRILLIC,
    LATIN,
    WORD_PATTERN,
    combinations,
    fold,
    query_alternatives,
    same_script_stems,
)
from news.models import TitleWord

from .pagination import MAX_RANKED_PAGES, PAGE_SIZE

# Someone typing Latin letters reads English, someone typing Cyrillic Kazakh or Russian: a
# match through transliteration ranks below the same match in the reader's own script
# ("park" finds the Russian "парк" too, after the English "park").
OWN_SCRIPT_LANGUAGES = {"latin": ["en"], "cyrillic": ["kk", "ru"]}
OWN_SCRIPT_BOOST = 1.5

# Private-use characters mark the highlights while the snippet is plain text, so that the
# text can be escaped first and the marks turned into <mark> tags after.
MARK_START, MARK_STOP = "\ue000", "\ue001"
SNIPPET_WORDS = 35
TAG_PATTERN = r"<[^>]*>"
MAX_QUERY_LENGTH = 200
WORD_SEPARATOR = "\x1f"  # passes the highlighted prefixes to an SQLite function as one
RANKED_CANDIDATES = MAX_RANKED_PAGES * PAGE_SIZE
# A phrase's words each have a few readings; FTS5 has no "or" inside a phrase, so a phrase
# becomes this many phrases at most, the likeliest readings first.
MAX_PHRASE_READINGS = 16
# How many title words like a misspelt query word PostgreSQL's trigram index offers, and
# how alike the one suggested must be.
SUGGESTION_CANDIDATES = 50
SUGGESTION_CUTOFF = 0.75
# The FTS5 table of migration 0023: its rowid is the article's id.
FTS_MATCHING = "SELECT rowid FROM news_article_search WHERE news_article_search MATCH %s"
# bm25 weights of the columns title, lead, body are ts_rank's defaults for A, B, C.
FTS_SCORE = """SELECT bm25(news_article_search, 1.0, 0.4, 0.2) FROM news_article_search
    WHERE news_article_search MATCH %s AND rowid = news_article.id"""


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
    """`queryset` matching `query`, annotated with `rank`, `snippet` and `correction` (the
    query searched instead when this one found nothing; else empty), best match first.

    `language` limits the search to articles in that language. A blank query leaves the
    queryset unfiltered apart from the language; a query of exclusions only finds nothing.
    """
    query = " ".join(query.split())[:MAX_QUERY_LENGTH]
    if language:
        queryset = queryset.filter(language=language)
    if not query:
        return queryset
    search = PostgreSQLSearch if connections[queryset.db].vendor == "postgresql" else FTS5Search
    parsed = parse_query(query)
    correction = ""
    # The candidates' ids are read first: finding them is most of a search's time, and as
    # a subquery it was done again by every query of the results (the API counts them too).
    candidates = search.candidates(queryset, parsed) if parsed.groups else {}
    if not candidates and parsed.groups:
        corrected = suggest_correction(queryset, query)
        if corrected:
            parsed, correction = parse_query(corrected), corrected
            candidates = search.candidates(queryset, parsed)
    # The snippet is computed for the rows of the page only: PostgreSQL evaluates the
    # select list after the LIMIT of the sorted rows.
    return (
        queryset.filter(pk__in=list(candidates))
        .annotate(
            rank=search.rank(parsed, candidates) * own_script_boost(parsed),
            snippet=search.snippet(queryset, parsed),
            correction=Value(correction, output_field=CharField()),
        )
        .order_by("-rank", "-published_at", "-id")
    )


def own_script_boost(parsed: "ParsedQuery") -> Expression:
    """OWN_SCRIPT_BOOST for a release in a language of the query's script, else 1."""
    words = [word.casefold() for group in parsed.groups for term in group for word in term.words]
    scripts = {"latin" if LATIN.search(word) else "cyrillic" for word in words if
               LATIN.search(word) or CYRILLIC.search(word)}  # fmt: skip
    if len(scripts) != 1:
        return Value(1.0)
    return Case(
        When(language__in=OWN_SCRIPT_LANGUAGES[scripts.pop()], then=Value(OWN_SCRIPT_BOOST)),
        default=Value(1.0),
        output_field=FloatField(),
    )


# The query


@dataclass
class Term:
    """A word or a phrase of the query; each word as the lexemes it may match."""

    words: list[str]
    readings: list[list[str]] = field(default_factory=list)  # per word, main stems
    extras: list[str] = field(default_factory=list)  # a single word's other lexemes

    def __post_init__(self):
        analysed = [query_alternatives(word) for word in self.words]
        self.readings = [main for main, _ in analysed]
        if len(self.words) == 1:
            self.extras = analysed[0][1]

    @property
    def lexemes(self) -> list[str]:
        return [lexeme for reading in self.readings for lexeme in reading] + self.extras


@dataclass
class ParsedQuery:
    """Web search syntax: every group must match (a group is terms joined by "or"), no
    excluded term may."""

    groups: list[list[Term]]
    excluded: list[Term]

    def highlight_prefixes(self) -> list[str]:
        prefixes = []
        for term in (term for group in self.groups for term in group):
            for lexeme in term.lexemes:
                prefixes.append(lexeme)
                if lexeme.isascii() and lexeme.endswith("i"):
                    prefixes.append(lexeme[:-1])  # the English stem of almaty is almati
        return [prefix for prefix in dict.fromkeys(prefixes) if len(prefix) >= 2]


QUERY_TOKEN = re.compile(r'-?"[^"]*"?|\S+')


def parse_query(query: str) -> ParsedQuery:
    """Words, "a phrase", -excluded and `or` between terms, as websearch_to_tsquery reads them."""
    groups: list[list[Term]] = []
    excluded: list[Term] = []
    join_next = False
    for token in QUERY_TOKEN.findall(query):
        if token.casefold() == "or":
            join_next = bool(groups)
            continue
        negated = token.startswith("-") and len(token) > 1
        words = WORD_PATTERN.findall(token.casefold())
        if not words:
            continue
        term = Term(words)
        if negated:
            excluded.append(term)
        elif join_next:
            groups[-1].append(term)
        else:
            groups.append([term])
        join_next = False
    return ParsedQuery(groups, excluded)


# PostgreSQL


class StoredSearchVector(Expression):
    """The `search_vector` column that migration 0023 adds on PostgreSQL only.

    It is not a model field: SQLite could not compute it, and PostgreSQL keeps it current
    with `search_lexemes` because it is a generated column.
    """

    output_field = SearchVectorField()

    def resolve_expression(self, query=None, *args, **kwargs):
        field = SearchVectorField()
        field.set_attributes_from_name("search_vector")
        return Col(query.get_initial_alias(), field)


class HighlightedHeadline(SearchHeadline):
    output_field = HighlightedSnippet()


def plain_body() -> Func:
    return Func(
        F("body"),
        Value(TAG_PATTERN),
        Value(" "),
        Value("g"),
        function="regexp_replace",
        output_field=TextField(),
    )


def _tsquery_any(lexemes: list[str]) -> str:
    return "(" + " | ".join(f"'{lexeme}'" for lexeme in lexemes) + ")"


def _tsquery_term(term: Term) -> str:
    if len(term.readings) == 1:
        return _tsquery_any(term.lexemes)
    return "(" + " <-> ".join(_tsquery_any(reading) for reading in term.readings) + ")"


def tsquery(parsed: ParsedQuery) -> str:
    """The query for to_tsquery('simple', …): lexemes contain letters and digits only."""
    groups = [
        "(" + " | ".join(_tsquery_term(term) for term in group) + ")" for group in parsed.groups
    ]
    groups += ["!" + _tsquery_term(term) for term in parsed.excluded]
    return " & ".join(groups)


class PostgreSQLSearch:
    """Search through `search_vector` and its GIN index."""

    @staticmethod
    def query(parsed: ParsedQuery) -> SearchQuery:
        return SearchQuery(tsquery(parsed), config="simple", search_type="raw")

    @classmethod
    def candidates(cls, queryset: QuerySet, parsed: ParsedQuery) -> dict[int, float | None]:
        """The first RANKED_CANDIDATES matches' ids in the queryset's order."""
        found = queryset.filter(SearchVectorExact(StoredSearchVector(), cls.query(parsed)))
        return dict.fromkeys(found.values_list("pk", flat=True)[:RANKED_CANDIDATES])

    @classmethod
    def rank(cls, parsed: ParsedQuery, candidates: dict[int, float | None]) -> Expression:
        return SearchRank(StoredSearchVector(), cls.query(parsed))

    @staticmethod
    def snippet(queryset: QuerySet, parsed: ParsedQuery) -> Expression:
        # The text is shown as written, so its words are matched by the query's stems as
        # prefixes (мектеп finds мектептерде), exact Kazakh forms included.
        prefixes = parsed.highlight_prefixes() or ["-"]
        marked = SearchQuery(
            " | ".join(f"'{prefix}':*" for prefix in prefixes), config="simple", search_type="raw"
        )
        return HighlightedHeadline(
            Concat(F("lead"), Value(" "), plain_body(), output_field=TextField()),
            marked,
            config="simple",
            start_sel=MARK_START,
            stop_sel=MARK_STOP,
            max_words=SNIPPET_WORDS,
            min_words=15,
            max_fragments=2,
            fragment_delimiter=" … ",
        )


# SQLite


def _fts_any(lexemes: list[str]) -> str:
    return "(" + " OR ".join(f'"{lexeme}"' for lexeme in lexemes) + ")"


def _fts_term(term: Term) -> str:
    if len(term.readings) == 1:
        return _fts_any(term.lexemes)
    phrases = combinations(term.readings, MAX_PHRASE_READINGS)
    return "(" + " OR ".join('"' + " ".join(phrase) + '"' for phrase in phrases) + ")"


def fts5_query(parsed: ParsedQuery) -> str:
    """The query for FTS5's MATCH: lexemes contain letters and digits only."""
    positive = " AND ".join(
        "(" + " OR ".join(_fts_term(term) for term in group) + ")" for group in parsed.groups
    )
    if parsed.excluded:
        return f"({positive}) NOT ({' OR '.join(_fts_term(term) for term in parsed.excluded)})"
    return positive


def _plain_text(text: str | None) -> str:
    return html.unescape(re.sub(TAG_PATTERN, " ", text or ""))


def _highlight(lead: str | None, body: str | None, joined_prefixes: str) -> str:
    """Up to SNIPPET_WORDS words of lead and body from the first match, matches marked."""
    prefixes = tuple(joined_prefixes.split(WORD_SEPARATOR)) if joined_prefixes else ()
    tokens = f"{_plain_text(lead)} {_plain_text(body)}".split()

    def hit(token: str) -> bool:
        words = WORD_PATTERN.findall(fold(token.casefold()))
        return bool(prefixes) and any(word.startswith(prefixes) for word in words)

    first = next((i for i, token in enumerate(tokens) if hit(token)), 0)
    start = max(0, first - 5)
    shown = [
        f"{MARK_START}{token}{MARK_STOP}" if hit(token) else token
        for token in tokens[start : start + SNIPPET_WORDS]
    ]
    return " ".join(shown)


SQLITE_FUNCTIONS = (("pressroom_highlight", 3, _highlight),)


def _register_functions(alias: str) -> None:
    # Registering is per connection and cheap.
    connection = connections[alias]
    connection.ensure_connection()
    for name, arity, function in SQLITE_FUNCTIONS:
        connection.connection.create_function(name, arity, function, deterministic=True)


# The FTS5 table and the triggers that keep it current with search_lexemes, whose three
# lines are split with SQLite's own string functions so that any connection's writes (the
# sqlite3 shell's too) keep it current.
# (Constants only are formatted into these statements.)
_REST = "substr(new.search_lexemes, instr(new.search_lexemes, char(10)) + 1)"
_FTS_ROW = f"""new.id, substr(new.search_lexemes, 1, instr(new.search_lexemes, char(10)) - 1),
    substr({_REST}, 1, instr({_REST}, char(10)) - 1),
    substr({_REST}, instr({_REST}, char(10)) + 1)"""
FTS_TABLE = """CREATE VIRTUAL TABLE IF NOT EXISTS news_article_search USING fts5(
    title, lead, body, tokenize = 'unicode61 remove_diacritics 0')"""
FTS_TRIGGERS = {
    "news_article_search_insert": f"""CREATE TRIGGER news_article_search_insert
        AFTER INSERT ON news_article BEGIN
        INSERT INTO news_article_search (rowid, title, lead, body) VALUES ({_FTS_ROW});
    END""",  # noqa: S608  # nosec B608
    "news_article_search_update": f"""CREATE TRIGGER news_article_search_update
        AFTER UPDATE OF search_lexemes ON news_article BEGIN
        DELETE FROM news_article_search WHERE rowid = old.id;
        INSERT INTO news_article_search (rowid, title, lead, body) VALUES ({_FTS_ROW});
    END""",  # noqa: S608  # nosec B608
    "news_article_search_delete": """CREATE TRIGGER news_article_search_delete
        AFTER DELETE ON news_article BEGIN
        DELETE FROM news_article_search WHERE rowid = old.id;
    END""",
}
FTS_REBUILD = [
    "DELETE FROM news_article_search",
    f"INSERT INTO news_article_search (rowid, title, lead, body) SELECT {_FTS_ROW} "  # noqa: S608  # nosec B608
    "FROM news_article AS new",
]


def install_fts5(using: str) -> bool:
    """Create SQLite's search table and its triggers where missing, filled from the stored
    lexemes; True when anything was missing.

    Migration 0023 calls this, and so does every `migrate` after it (public.apps): when a
    later migration rebuilds news_article, as SQLite's schema editor does to alter a
    column, the old table's triggers go with it and the search would silently go stale.
    """
    connection = connections[using]
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name LIKE 'news_article_search%'")
        present = {name for (name,) in cursor.fetchall()}
        missing = [name for name in FTS_TRIGGERS if name not in present]
        if not missing and "news_article_search" in present:
            return False
        cursor.execute(FTS_TABLE)
        for name in missing:
            cursor.execute(FTS_TRIGGERS[name])
        for statement in FTS_REBUILD:
            cursor.execute(statement)
    return True


class FTS5Search:
    """Search through SQLite's FTS5 table of the same lexemes."""

    @staticmethod
    def candidates(queryset: QuerySet, parsed: ParsedQuery) -> dict[int, float | None]:
        """The first RANKED_CANDIDATES matches' ids in the queryset's order, with their
        bm25 scores (lower is better), read in the same query."""
        # The query is a parameter; the SQL is a constant.
        match = fts5_query(parsed)
        found = queryset.filter(pk__in=RawSQL(FTS_MATCHING, [match]))  # noqa: S611  # nosec B611
        # bm25() needs the MATCH of its own query, so each candidate's score is a
        # subquery, which SQLite evaluates for the rows it returns only.
        score = RawSQL(FTS_SCORE, [match], output_field=FloatField())  # noqa: S611  # nosec B611
        return dict(found.annotate(score=score).values_list("pk", "score")[:RANKED_CANDIDATES])

    @staticmethod
    def rank(parsed: ParsedQuery, candidates: dict[int, float | None]) -> Expression:
        return Case(
            *(When(pk=pk, then=Value(-(score or 0.0))) for pk, score in candidates.items()),
            default=Value(0.0),
            output_field=FloatField(),
        )

    @staticmethod
    def snippet(queryset: QuerySet, parsed: ParsedQuery) -> Expression:
        _register_functions(queryset.db)
        return Func(
            F("lead"),
            F("body"),
            Value(WORD_SEPARATOR.join(parsed.highlight_prefixes())),
            function="pressroom_highlight",
            output_field=HighlightedSnippet(),
        )


# Did you mean


def _title_words_like(words: list[str], using: str) -> dict[str, str]:
    """Title words (news.title_words) that may be one of `words` misspelt or inflected, by
    folded form: on PostgreSQL the most similar by trigrams, on SQLite all of them."""
    if connections[using].vendor != "postgresql":
        return dict(TitleWord.objects.using(using).values_list("folded", "spelling"))
    vocabulary: dict[str, str] = {}
    for word in words:
        folded = fold(word)
        similar = (
            TitleWord.objects.using(using)
            .filter(TrigramSimilar(F("folded"), folded))
            .annotate(similarity=TrigramSimilarity("folded", folded))
            .order_by("-similarity", "folded")
            .values_list("folded", "spelling")
        )
        vocabulary.update(similar[:SUGGESTION_CANDIDATES])
    return vocabulary


def _nearest(word: str, vocabulary: dict[str, str]) -> str | None:
    folded = fold(word)
    # Words of a very different length cannot reach the cutoff; leaving them out first
    # keeps the comparison to a few hundred words, not the thousands of a vocabulary.
    alike = [known for known in vocabulary if abs(len(known) - len(folded)) <= 3]
    close = difflib.get_close_matches(folded, alike, n=1, cutoff=SUGGESTION_CUTOFF)
    return vocabulary[close[0]] if close else None


def suggest_correction(queryset: QuerySet, query: str) -> str | None:
    """`query` with each word no title has replaced by the nearest title word, or None.

    The title words are those of every article (news.title_words), not only the
    queryset's: a suggestion is shown only when the corrected query finds releases in the
    queryset. A word is known when a title has a word of the same stem; folded letters
    count as equal, so балабакша is not "corrected" into балабақша.
    """
    query_words = list(dict.fromkeys(WORD_PATTERN.findall(query.casefold())))
    query_words = [word for word in query_words if word != "or" and not word.isdigit()]
    if not query_words:
        return None
    vocabulary = _title_words_like(query_words, queryset.db)
    stems = {stem for word in vocabulary.values() for stem in same_script_stems(word)}
    unknown = [word for word in query_words if not stems & same_script_stems(word)]
    replacements = {word: _nearest(word, vocabulary) for word in unknown}
    replacements = {word: known for word, known in replacements.items() if known}
    if not replacements:
        return None
    return WORD_PATTERN.sub(
        lambda match: replacements.get(match.group().casefold(), match.group()), query
    )
