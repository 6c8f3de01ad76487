from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.safestring import SafeString

from news.models import Article
from public.pagination import PAGE_SIZE
from public.search import FTS_TRIGGERS, install_fts5, mark_up_highlights, search_articles

from ..news.helpers import article_in
from .pages import published, titles, titles_in

pytestmark = pytest.mark.django_db
postgres_only = pytest.mark.postgres
sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the portable search runs where PostgreSQL does not"
)


def search(query: str, language: str | None = None) -> list[Article]:
    return list(search_articles(Article.objects.published(), query, language=language))


def found_titles(query: str, language: str | None = None) -> list[str]:
    return [article.title for article in search(query, language)]


def test_highlights_are_the_only_markup():
    snippet = mark_up_highlights("a &lt;b&gt; <script>x</script> \ue000word\ue001 & more")

    assert isinstance(snippet, SafeString)
    assert snippet == "a &lt;b&gt; &lt;script&gt;x&lt;/script&gt; <mark>word</mark> &amp; more"


def test_blank_query_leaves_the_list_alone_but_language_still_applies():
    published(title="English")
    published(title="Russian", language="ru")

    assert {a.title for a in search("   ")} == {"English", "Russian"}
    assert found_titles("", language="ru") == ["Russian"]


def test_finds_words_in_title_lead_or_body_and_not_in_markup():
    published(title="Heating season opens", lead="", body="")
    published(title="Other", lead="The heating network was repaired.", body="")
    published(title="Third", lead="", body="<p>Repairs to the <strong>heating</strong> mains.</p>")
    published(title="Unrelated", lead="", body="<p><strong>Schools</strong> open.</p>")

    assert set(found_titles("heating")) == {"Heating season opens", "Other", "Third"}
    assert found_titles("strong") == []


def test_cyrillic_matches_whatever_the_case():
    published(title="ӘКІМДІК жиналысы", language="kk", lead="", body="")
    published(title="Совещание в АКИМАТЕ", language="ru", lead="", body="")

    assert found_titles("әкімдік") == ["ӘКІМДІК жиналысы"]
    assert found_titles("Акимате") == ["Совещание в АКИМАТЕ"]


def test_title_outranks_lead_which_outranks_body():
    published(title="Body", lead="", body="<p>New hospital opened.</p>")
    published(title="Hospital opened", lead="", body="")
    published(title="Lead", lead="A hospital opened.", body="")

    assert found_titles("hospital") == ["Hospital opened", "Lead", "Body"]


def test_equal_ranks_list_the_newest_first():
    now = timezone.now()
    published(title="Older bridge", published_at=now - timedelta(days=2), lead="", body="")
    published(title="Newer bridge", published_at=now - timedelta(days=1), lead="", body="")

    assert found_titles("bridge") == ["Newer bridge", "Older bridge"]


@postgres_only
def test_only_the_newest_candidates_are_ranked(monkeypatch):
    monkeypatch.setattr("public.search.RANKED_CANDIDATES", 2)
    now = timezone.now()
    published(title="Oldest hospital", published_at=now - timedelta(days=3), lead="", body="")
    published(title="Older", published_at=now - timedelta(days=2), lead="", body="<p>hospital</p>")
    published(title="Newer", published_at=now - timedelta(days=1), lead="A hospital.", body="")

    # The oldest has the word in its title, but the two newer matches fill the candidates.
    assert found_titles("hospital") == ["Newer", "Older"]


def test_only_articles_in_the_given_language():
    published(title="Astana forum", language="en")
    published(title="Astana форумы", language="kk")

    assert found_titles("Astana", language="kk") == ["Astana форумы"]


def test_snippet_escapes_the_text_and_marks_the_matches():
    article = published(
        title="Budget",
        lead="Spending on <roads> & bridges",
        body="<p>The budget for &lt;script&gt; roads grew.</p>",
    )
    Article.objects.filter(pk=article.pk).update(lead="Spending on <roads> & bridges")

    (result,) = search("roads")
    assert "<mark>roads</mark>" in result.snippet
    assert "&lt;script&gt;" in result.snippet
    assert "<script>" not in result.snippet and "<p>" not in result.snippet
    assert result.snippet.replace("<mark>", "").replace("</mark>", "").count("<") == 0


def test_every_word_must_occur_somewhere():
    published(title="Road repairs in Almaty", lead="", body="")
    published(title="Road repairs in Astana", lead="", body="")

    assert found_titles("road almaty") == ["Road repairs in Almaty"]


def test_russian_and_english_words_match_other_forms_of_themselves():
    published(title="Строительство новых школ", language="ru", lead="", body="")
    published(title="Building new schools", language="en", lead="", body="")

    assert found_titles("школа") == ["Строительство новых школ"]
    assert found_titles("school build") == ["Building new schools"]


def test_kazakh_inflected_forms_find_their_base_and_each_other():
    published(title="Мектеп салынды", language="kk", lead="", body="")
    published(title="Мектептер салынды", language="kk", lead="", body="")
    published(title="Ауылдағы мектепке компьютерлер берілді", language="kk", lead="", body="")
    published(title="Емхана ашылды", language="kk", lead="", body="")

    everywhere = {
        "Мектеп салынды",
        "Мектептер салынды",
        "Ауылдағы мектепке компьютерлер берілді",
    }
    assert set(found_titles("мектеп")) == everywhere
    assert set(found_titles("мектептерде")) == everywhere
    assert found_titles("ауыл мектебі") == ["Ауылдағы мектепке компьютерлер берілді"]


def test_kazakh_letters_typed_on_a_russian_keyboard_match_and_rank_below_exact_ones():
    published(title="Балабақша ашылды", language="kk", lead="", body="")
    published(title="Балабакша ашылды", language="kk", lead="", body="")  # as some type it
    published(title="Қостанайда жол жөнделді", language="kk", lead="", body="")

    assert found_titles("балабақша") == ["Балабақша ашылды", "Балабакша ашылды"]
    assert set(found_titles("балабакша")) == {"Балабақша ашылды", "Балабакша ашылды"}
    assert found_titles("Костанайда жол") == ["Қостанайда жол жөнделді"]


def test_a_match_in_the_queries_own_script_ranks_above_one_through_transliteration():
    now = timezone.now()
    published(title="A riverside park opens", language="en", published_at=now - timedelta(days=1))
    published(title="Открыт парк у реки", language="ru", published_at=now)  # newer

    assert found_titles("park") == ["A riverside park opens", "Открыт парк у реки"]
    assert found_titles("парк") == ["Открыт парк у реки", "A riverside park opens"]


def test_latin_queries_find_cyrillic_releases_and_cyrillic_ones_latin_names():
    published(title="Шымкентте саябақ ашылды", language="kk", lead="", body="")
    published(title="Костанайские фермеры завершили уборку", language="ru", lead="", body="")
    published(title="Aqmola farmers finish the harvest", language="en", lead="", body="")
    published(title="Ақмола облысында жол жөнделді", language="kk", lead="", body="")

    assert found_titles("Shymkent") == ["Шымкентте саябақ ашылды"]
    assert found_titles("Kostanay") == ["Костанайские фермеры завершили уборку"]
    assert set(found_titles("Akmola")) == {
        "Aqmola farmers finish the harvest",
        "Ақмола облысында жол жөнделді",
    }
    assert set(found_titles("Ақмола")) == set(found_titles("Akmola"))


def test_websearch_syntax_for_phrases_and_exclusions():
    published(title="Heating season opens in Almaty", lead="", body="")
    published(title="Season of heating repairs in Astana", lead="", body="")

    assert found_titles('"heating season"') == ["Heating season opens in Almaty"]
    assert found_titles("heating -astana") == ["Heating season opens in Almaty"]
    assert set(found_titles("almaty or astana")) == {
        "Heating season opens in Almaty",
        "Season of heating repairs in Astana",
    }
    assert found_titles("-astana") == []


def test_a_kazakh_phrase_matches_inflected_words_in_their_order():
    published(title="Жаңа мектептер ашылды", language="kk", lead="", body="")
    published(title="Мектептер жаңа емес", language="kk", lead="", body="")

    assert found_titles('"жаңа мектеп"') == ["Жаңа мектептер ашылды"]


def test_misspelt_words_are_searched_as_the_nearest_title_word_and_say_so():
    published(title="Встреча акима Костанайской области с жителями", language="ru")
    published(title="Совещание в Шымкенте", language="ru")
    published(title="Kazakhstan and the UN discuss cooperation", language="en")
    published(title="Сыртқы істер министрі елшімен кездесті", language="kk")

    (result,) = search("Кустанайской")
    assert result.title == "Встреча акима Костанайской области с жителями"
    assert result.correction == "костанайской"
    assert [a.title for a in search("cooperatoin")] == ["Kazakhstan and the UN discuss cooperation"]
    assert found_titles("министрмен") == ["Сыртқы істер министрі елшімен кездесті"]
    assert search("Шымкенте")[0].correction == ""
    assert found_titles("zzzzqqq") == []


def test_a_misspelling_that_transliterates_like_the_word_is_still_corrected():
    # строителство and строительство are both stroitelstvo in Latin, yet differ.
    published(title="Строительство школ обсудили", language="ru")

    (result,) = search("строителство")
    assert result.correction == "строительство"


def test_a_misspelling_is_corrected_by_an_old_titles_word_in_a_few_queries(
    django_assert_max_num_queries,
):
    old = timezone.now() - timedelta(days=3000)
    published(title="Ирригационный канал", language="ru", published_at=old)
    for index in range(30):
        published(title=f"Новости {index}", language="ru")

    # The failed search, the title words, the corrected search and the results page.
    with django_assert_max_num_queries(4):
        (result,) = search("ирригационый")
    assert result.correction == "ирригационный"


def test_a_drafts_title_words_neither_block_a_correction_nor_are_suggested():
    published(title="Irrigation canal")
    article_in(Article.Status.DRAFT, title="Irrigatoin and Irrigatino in a draft")

    assert [a.correction for a in search("irrigatoin")] == ["irrigation"]
    assert [a.correction for a in search("irrigatino")] == ["irrigation"]


def test_a_suggestion_that_finds_nothing_in_the_queryset_is_not_offered():
    published(title="Irrigation canal", language="en")

    assert search("irrigatoin", language="ru") == []


def test_lexemes_follow_every_save_of_the_text_and_bulk_creation():
    article = published(title="Old words", lead="", body="")
    article.title = "Renamed irrigation canal"
    article.save(update_fields=["title"])
    Article.objects.bulk_create(
        [
            Article(
                title="Bulk школы",
                slug="bulk",
                language="ru",
                status="published",
                published_at=timezone.now(),
            )
        ]
    )

    assert found_titles("irrigation") == ["Renamed irrigation canal"]
    assert found_titles("old") == []
    assert found_titles("школа") == ["Bulk школы"]


@postgres_only
@pytest.mark.parametrize(
    ("query", "index", "operator"),
    [("irrigation", "article_search_vector", "@@"), ("irigattion", "title_word_trigram", " % ")],
)
def test_full_text_and_trigram_conditions_can_use_their_gin_indexes(query, index, operator):
    published(title="Irrigation", lead="", body="")
    with connection.cursor() as cursor:
        # On a table this small the planner would scan it whole; show it could do otherwise.
        cursor.execute("SET LOCAL enable_seqscan = off")
        with CaptureQueriesContext(connection) as queries:
            search_articles(Article.objects.all(), query)
        # The first query with the condition is the one that used it.
        sql = next(q["sql"] for q in queries.captured_queries if operator in q["sql"])
        cursor.execute("EXPLAIN " + sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert index in plan


@postgres_only
def test_the_search_vector_is_kept_in_the_row():
    # Walking the public order tests each row's vector: out of line it cost a TOAST read.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstorage FROM pg_attribute "
            "WHERE attrelid = 'news_article'::regclass AND attname = 'search_vector'"
        )
        assert cursor.fetchone() == ("m",)


def test_the_candidates_are_looked_up_once_for_the_results_and_their_count():
    for index in range(3):
        published(title=f"Irrigation {index}")
    found = search_articles(Article.objects.all(), "irrigation")
    with CaptureQueriesContext(connection) as queries:
        assert found.count() == 3
        assert len(list(found)) == 3
    assert not any(
        "@@" in query["sql"] or "MATCH" in query["sql"] for query in queries.captured_queries
    )


# The search page and the API


def page_titles(client, query: str, language: str = "en") -> list[str]:
    return titles(client.get(f"/{language}/search/", {"q": query}))


def test_the_search_box_and_the_api_find_the_same_releases_in_the_same_order(client):
    published(title="Шымкентте жаңа мектептер ашылды", language="kk", lead="", body="")
    published(title="В Шымкенте открыли школу", language="ru", lead="", body="")
    published(title="Shymkent opens a school", language="en", lead="", body="")
    published(title="Балабақша салынды", language="kk", lead="", body="")

    for query in ("Shymkent", "мектептерде", "балабакша", '"жаңа мектеп" or школа', "shymkemt"):
        api = client.get("/api/v1/articles", {"q": query}).json()["results"]
        assert [item["title"] for item in api] == page_titles(client, query), query
        assert api, query


def test_a_misspelt_search_says_did_you_mean_in_the_readers_language(client):
    published(title="Встреча акима Костанайской области с жителями", language="ru")

    kazakh = client.get("/kk/search/", {"q": "Кустанайской", "language": "ru"}).content.decode()
    russian = client.get("/ru/search/", {"q": "Кустанайской"}).content.decode()

    assert titles_in(russian) == ["Встреча акима Костанайской области с жителями"]
    assert (
        "По запросу «Кустанайской» ничего не найдено. Возможно, вы имели в виду "
        '<a href="?q=%D0%BA%D0%BE%D1%81%D1%82%D0%B0%D0%BD%D0%B0%D0%B9%D1%81%D0%BA%D0%BE%D0%B9">'
        "костанайской</a>?" in russian
    )
    # The suggestion keeps the reader's other filters.
    assert "«Кустанайской» бойынша ештеңе табылмады" in kazakh
    assert "language=ru&amp;q=%D0%BA" in kazakh
    assert "did-you-mean" not in client.get("/ru/search/", {"q": "Костанайской"}).content.decode()


def test_search_pages_cost_the_same_few_queries_on_either_database(
    client, django_assert_max_num_queries
):
    for index in range(PAGE_SIZE + 2):
        published(title=f"Мектеп {index}", language="kk", lead="", body="")
    client.get("/kk/search/", {"q": "мектептер"})  # sessions, sites and the like warm up
    with django_assert_max_num_queries(7):
        assert len(page_titles(client, "мектептер", "kk")) == PAGE_SIZE
    # A misspelt query costs its suggestion's titles and a second search, not a page more.
    with django_assert_max_num_queries(7):
        assert len(page_titles(client, "мектептр", "kk")) == PAGE_SIZE


@pytest.mark.parametrize(
    "query",
    ["²", "½ ¾", "…", "a_b", "🙂", '"', '"unclosed phrase', "- -", "or or", "x OR", "NEAR(a b)"],
)
def test_odd_queries_find_what_they_can_and_never_fail(query):
    published(title="A b unclosed phrase near", lead="", body="")

    assert isinstance(found_titles(query), list)


@sqlite_only
def test_every_migrate_brings_back_sqlite_search_triggers_that_a_rebuilt_table_lost():
    from django.core.management.sql import emit_post_migrate_signal

    published(title="Мектеп салынды", language="kk", lead="", body="")
    with connection.cursor() as cursor:  # as SQLite's schema editor does to alter a column
        for name in FTS_TRIGGERS:
            cursor.execute(f"DROP TRIGGER {name}")
    published(title="Мектептер жөнделді", language="kk", lead="", body="")
    assert found_titles("мектеп") == ["Мектеп салынды"]

    emit_post_migrate_signal(verbosity=0, interactive=False, db=connection.alias)

    assert set(found_titles("мектеп")) == {"Мектеп салынды", "Мектептер жөнделді"}
    assert install_fts5(connection.alias) is False  # nothing missing any more
