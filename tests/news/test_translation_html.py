"""Markup survives translation; long texts fit the engine; terms are kept."""

import pytest

from news.translation import chunks, html, terms


def shout(texts):
    return [text.upper() for text in texts]


def translate_body(body: str) -> str:
    return html.replace_text_nodes(body, shout(html.text_nodes(body)))


def test_only_text_nodes_are_translated_tags_and_links_stay():
    body = (
        '<p>Аким <a href="https://gov.kz/a?x=1&amp;y=2" title="Сайт">посетил</a> школу.</p>'
        '<ul><li>первый</li><li><strong>второй</strong></li></ul><img src="/s.png" alt="фото">'
    )
    assert html.text_nodes(body) == ["Аким ", "посетил", " школу.", "первый", "второй"]
    assert translate_body(body) == (
        '<p>АКИМ <a href="https://gov.kz/a?x=1&amp;y=2" title="Сайт">ПОСЕТИЛ</a> ШКОЛУ.</p>'
        '<ul><li>ПЕРВЫЙ</li><li><strong>ВТОРОЙ</strong></li></ul><img src="/s.png" alt="фото">'
    )


def test_text_is_unescaped_for_the_engine_and_escaped_again():
    body = "<p>Цена &lt; 5 &amp; больше</p>"
    assert html.text_nodes(body) == ["Цена < 5 & больше"]
    assert html.replace_text_nodes(body, ["Price < 5 & more"]) == "<p>Price &lt; 5 &amp; more</p>"


def test_code_and_whitespace_between_tags_are_left_alone():
    body = "<p>Команда</p>\n<pre><code>pip install x</code></pre>\n<p>готово</p>"
    assert html.text_nodes(body) == ["Команда", "готово"]
    assert translate_body(body) == (
        "<p>КОМАНДА</p>\n<pre><code>pip install x</code></pre>\n<p>ГОТОВО</p>"
    )


def test_a_wrong_number_of_translations_is_refused():
    with pytest.raises(ValueError, match="2 text nodes, 1 translations"):
        html.replace_text_nodes("<p>a</p><p>b</p>", ["A"])


def test_empty_body():
    assert html.text_nodes("") == []
    assert html.replace_text_nodes("", []) == ""


# --- chunks ------------------------------------------------------------------------------


def test_long_text_splits_at_sentence_ends_and_joins_back():
    text = "Первое предложение. Второе предложение! Третье? Четвёртое предложение."
    parts = chunks.split_long(text, 42)
    assert all(len(part) <= 42 for part in parts)
    assert parts[0] == "Первое предложение. Второе предложение! "
    assert "".join(parts) == text


def test_a_sentence_longer_than_the_limit_splits_at_spaces_then_inside_words():
    text = "слово " * 10 + "x" * 25
    parts = chunks.split_long(text, 12)
    assert all(len(part) <= 12 for part in parts)
    assert "".join(parts) == text
    assert parts[:5] == ["слово слово "] * 5  # packed at spaces
    assert parts[5:] == ["x" * 12, "x" * 12, "x"]  # one word cut only because it must be


def test_batches_respect_characters_and_count():
    texts = ["a" * 40, "b" * 40, "c" * 40, "d", "e", "f"]
    assert list(chunks.batches(texts, max_chars=100, max_texts=2)) == [[0, 1], [2, 3], [4, 5]]


def test_translate_in_chunks_reassembles_each_text_and_keeps_outer_whitespace():
    calls = []

    def engine(batch):
        calls.append(batch)
        return [f"<{text}>" for text in batch]

    result = chunks.translate_in_chunks(
        ["  Один. Два. Три.  ", "", "Четыре."],
        engine,
        max_text_chars=8,
        max_request_chars=12,
        max_request_texts=10,
    )
    assert result == ["  <Один.> <Два.> <Три.>  ", "", "<Четыре.>"]
    assert all(sum(map(len, batch)) <= 12 for batch in calls)


# --- terms -------------------------------------------------------------------------------


def test_terms_become_placeholders_longest_first_whole_words_any_case():
    protected = terms.protect(
        "Акимат и аким встретились; акимы нет.", {"аким": "akim", "акимат": "akimat"}
    )
    assert protected.text == "[T0] и [T1] встретились; акимы нет."
    assert protected.targets == ("Akimat", "akim")
    assert terms.restore("[T0] and [ T1 ] met; [T7] stays", protected.targets) == (
        "Akimat and akim met; [T7] stays"
    )


def test_present_terms_picks_only_what_the_texts_use():
    found = terms.present_terms(["Депутаты Мажилиса"], {"мажилиса": "Mazhilis", "сенат": "Senate"})
    assert found == {"мажилиса": "Mazhilis"}


@pytest.mark.django_db
def test_terms_for_a_pair_include_the_seeded_list_and_the_agency_names():
    from ..factories import AgencyFactory

    agency = AgencyFactory(name_ru="Акимат города Шымкент", name_en="Akimat of Shymkent")
    found = terms.terms_for("ru", "en", agency)
    assert found["аким"] == "akim"
    assert found["Мажилис"] == "Mazhilis"
    assert found["Акимат города Шымкент"] == "Akimat of Shymkent"
    assert "әкім" not in found  # another pair's term


def test_translate_in_chunks_by_sentence_sends_each_sentence_alone():
    calls = []

    def engine(batch):
        calls.append(batch)
        return [text.upper() for text in batch]

    result = chunks.translate_in_chunks(
        ["Один. Два!\nТри", "Четыре."],
        engine,
        max_text_chars=400,
        max_request_chars=4000,
        max_request_texts=32,
        by_sentence=True,
    )
    assert calls == [["Один.", "Два!", "Три", "Четыре."]]
    assert result == ["ОДИН. ДВА!\nТРИ", "ЧЕТЫРЕ."]
