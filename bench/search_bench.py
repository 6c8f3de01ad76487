"""Search at 100,000 articles on PostgreSQL: `make bench` prints it after the site's figures.

Uses the site benchmark's database (bench/site_bench.py fills `pressroom_site_bench` with
100,000 published articles in Kazakh, Russian and English the first time, with their
lexemes, and keeps it). Prints:

- indexing: articles analysed per second by news.lexemes alone, and articles per second
  analysed and written (`update_search_lexemes` on stale rows: Python, the UPDATE, the
  generated `search_vector` and its GIN index);
- size: the GIN index, the stored vectors and lexemes, and the vectors the previous
  per-language configuration made of the same text (a sample, scaled);
- latency one request at a time, for a query of every kind, p50 and p95 of SEARCH_RUNS
  requests: the search itself (search_articles and the first page's rows) and the whole
  search page rendered by Django in this process, page cache off (release summaries
  cached, as after a publication), beside the release list's page without a search.
  Goal: the search's p95 under 50 ms (site_bench measures the pages through gunicorn).
"""

import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psycopg

from bench import site_bench

SEARCH_RUNS = 40
WARM_UP = 3
P95_GOAL_MS = 50
INDEXING_SAMPLE = 5_000
OLD_SIZE_SAMPLE = 10_000
# A query of every kind the search understands, on the benchmark's generated text.
QUERIES = [
    ("Russian, rare", "ru", "Костанайская отопительный"),
    ("Russian, common", "ru", "строительство школ"),
    ("Kazakh inflected", "kk", "ауылдағы мектептерде"),
    ("Kazakh folded", "kk", "Костанай жылыту"),
    ("Kazakh, common", "kk", "емханалар курылысы"),
    ("Latin name", "en", "Kostanay"),
    ("Latin for Cyrillic", "kk", "Shymkent mektep"),
    ("English phrase", "en", '"heating season" -Almaty'),
    ("or", "ru", "Алматы or Астана"),
    ("misspelt", "ru", "строителство"),
]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def indexing() -> None:
    from news.lexemes import document_lexemes
    from news.management.commands.update_search_lexemes import update_search_lexemes
    from news.models import Article

    sample = list(
        Article.objects.order_by("pk").values_list("title", "lead", "body", "language")[
            :INDEXING_SAMPLE
        ]
    )
    start = time.perf_counter()
    for title, lead, body, language in sample:
        document_lexemes(title, lead, body, language)
    analysed = len(sample) / (time.perf_counter() - start)
    first_ids = [
        row[0] for row in Article.objects.order_by("pk").values_list("pk")[:INDEXING_SAMPLE]
    ]
    Article.objects.filter(pk__in=first_ids).update(search_lexemes="")
    start = time.perf_counter()
    read, changed = update_search_lexemes(limit=INDEXING_SAMPLE)
    written = changed / (time.perf_counter() - start)
    print(
        f"Indexing: {analysed:,.0f} articles/s analysed (news.lexemes, one core); "
        f"{written:,.0f} articles/s analysed and written ({changed} of {read} articles)."
    )


def sizes() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT count(*), pg_relation_size('article_search_vector'),
                sum(pg_column_size(search_vector)), sum(pg_column_size(search_lexemes)),
                pg_total_relation_size('news_article')
            FROM news_article"""
        )
        count, index, vectors, lexemes, table = cursor.fetchone()
        # The vectors of migration 0007 (stems of PostgreSQL's russian and english
        # configurations, Kazakh as written) for comparison, from a sample.
        cursor.execute(
            """SELECT avg(pg_column_size(
                setweight(to_tsvector(c, coalesce(title, '')), 'A')
                || setweight(to_tsvector(c, coalesce(lead, '')), 'B')
                || setweight(to_tsvector(c, regexp_replace(body, '<[^>]*>', ' ', 'g')), 'C')))
            FROM (SELECT title, lead, body, CASE language WHEN 'ru' THEN 'russian'::regconfig
                WHEN 'en' THEN 'english'::regconfig ELSE 'simple'::regconfig END AS c
                FROM news_article ORDER BY id LIMIT %s) AS sample""",
            [OLD_SIZE_SAMPLE],
        )
        (old_average,) = cursor.fetchone()
    mb = 1024 * 1024
    print(
        f"Size at {count:,} articles: GIN index {index / mb:.1f} MB; stored vectors "
        f"{vectors / mb:.1f} MB ({vectors / count:.0f} B each; the per-language vectors "
        f"they replace {float(old_average):.0f} B); lexemes {lexemes / mb:.1f} MB; "
        f"the table with its indexes {table / mb:.0f} MB."
    )


def timed(request, runs: int = SEARCH_RUNS) -> list[float]:
    for _ in range(WARM_UP):
        request()
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        request()
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def latency() -> bool:
    from django.test import Client

    from news.models import Article
    from public.search import search_articles

    client = Client()
    reference = timed(lambda: client.get("/ru/releases/"))
    print(
        f"Search one request at a time ({SEARCH_RUNS} each, page cache off), beside the "
        f"release list's page without a search: p50 {statistics.median(reference):.1f} ms, "
        f"p95 {percentile(reference, 0.95):.1f} ms. 'search' is search_articles and the "
        "first page's rows; 'page' the whole search page as Django renders it."
    )
    worst = 0.0
    for label, language, query in QUERIES:
        url = f"/{language}/search/?" + urlencode({"q": query})
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        found = response.content.decode().count('class="summary-title"')
        page = timed(lambda url=url: client.get(url))
        alone = timed(
            lambda query=query: list(search_articles(Article.objects.published(), query)[:20])
        )
        worst = max(worst, percentile(alone, 0.95))
        print(
            f"  {label:<18} {query!r:<28} search p50 {statistics.median(alone):5.1f} ms "
            f"p95 {percentile(alone, 0.95):5.1f} ms; page p50 {statistics.median(page):5.1f} ms "
            f"p95 {percentile(page, 0.95):5.1f} ms ({found} found)"
        )
    met = worst < P95_GOAL_MS
    print(f"Goal: search p95 < {P95_GOAL_MS} ms: {'met' if met else 'NOT met'} ({worst:.1f} ms).")
    return met


def main() -> None:
    try:
        database_url = site_bench.ensure_database()
    except psycopg.OperationalError as error:
        print(f"PostgreSQL does not answer: no search benchmark ({error}).")
        return
    # As site_bench.connect_django, with the page cache off: every request searches.
    os.environ.update(site_bench.bench_environment(database_url, cache_seconds=0))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()
    start = time.perf_counter()
    site_bench.load_articles()
    print(f"Database ready in {time.perf_counter() - start:.0f} s.")
    if "--latency" not in sys.argv:
        indexing()
        sizes()
    latency()


if __name__ == "__main__":
    main()
