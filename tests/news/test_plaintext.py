"""Plain text given paragraphs, lists and links before it is sanitized (news.plaintext)."""

import pytest

from news.html import sanitize_html
from news.plaintext import html_to_text, linkify, structure_plain_text


def test_blank_lines_separate_paragraphs_and_single_line_ends_are_breaks():
    text = "Шымкентте жаңа саябақ ашылды.\nОны әкім ашты.\n\nСаябақ 5 гектар алады."

    assert structure_plain_text(text) == (
        "<p>Шымкентте жаңа саябақ ашылды.<br>Оны әкім ашты.</p>\n<p>Саябақ 5 гектар алады.</p>"
    )


def test_text_without_blank_lines_has_a_paragraph_per_line():
    text = "В Шымкенте открыт парк.\r\nПлощадь парка — 5 гектаров.\r\n"

    assert structure_plain_text(text) == (
        "<p>В Шымкенте открыт парк.</p>\n<p>Площадь парка — 5 гектаров.</p>"
    )


@pytest.mark.parametrize("marker", ["- ", "* ", "• "])
def test_bulleted_lines_become_a_list(marker):
    text = f"В парке есть:\n{marker}детская площадка;\n{marker}фонтан.\n\nЖдём всех."

    assert structure_plain_text(text) == (
        "<p>В парке есть:</p>\n<ul><li>детская площадка;</li><li>фонтан.</li></ul>\n"
        "<p>Ждём всех.</p>"
    )


def test_numbered_lines_become_a_numbered_list_that_keeps_its_first_number():
    assert structure_plain_text("1. Бірінші кезең\n2. Екінші кезең") == (
        "<ol><li>Бірінші кезең</li><li>Екінші кезең</li></ol>"
    )
    assert structure_plain_text("3) үшінші\n4) төртінші") == (
        '<ol start="3"><li>үшінші</li><li>төртінші</li></ol>'
    )


def test_a_dash_opening_direct_speech_is_not_a_list():
    text = "– Саябақ барлығына ашық, – деді әкім."

    assert structure_plain_text(text) == "<p>– Саябақ барлығына ашық, – деді әкім.</p>"


@pytest.mark.parametrize(
    ("text", "html"),
    [
        (
            "Подробнее: https://shymkent.gov.kz/ru/news/1.",
            'Подробнее: <a href="https://shymkent.gov.kz/ru/news/1">'
            "https://shymkent.gov.kz/ru/news/1</a>.",
        ),
        (
            "Толығырақ: www.gov.kz/memleket (ресми сайт)",
            'Толығырақ: <a href="https://www.gov.kz/memleket">www.gov.kz/memleket</a> (ресми сайт)',
        ),
        (
            "Сайт (https://ru.wikipedia.org/wiki/Шымкент_(город)), пресс-служба",
            'Сайт (<a href="https://ru.wikipedia.org/wiki/Шымкент_(город)">'
            "https://ru.wikipedia.org/wiki/Шымкент_(город)</a>), пресс-служба",
        ),
        (
            "Сұрақтар: press@shymkent.gov.kz",
            'Сұрақтар: <a href="mailto:press@shymkent.gov.kz">press@shymkent.gov.kz</a>',
        ),
        ("«Кавычки» & <скобки>", "«Кавычки» &amp; &lt;скобки&gt;"),
    ],
)
def test_addresses_become_links_and_the_rest_is_escaped(text, html):
    assert linkify(text) == html


def test_a_plain_text_body_is_stored_structured_and_sanitized():
    body = "Акимат сообщает:\n\n- первое\n- второе\n\nПодробнее: www.gov.kz"

    assert sanitize_html(body) == (
        "<p>Акимат сообщает:</p>\n<ul><li>первое</li><li>второе</li></ul>\n"
        '<p>Подробнее: <a href="https://www.gov.kz" rel="noopener noreferrer">www.gov.kz</a></p>'
    )


def test_entities_in_text_without_tags_are_read_once():
    assert (
        structure_plain_text("Ойын&nbsp;алаңы &amp; фонтан") == "<p>Ойын\xa0алаңы &amp; фонтан</p>"
    )


def test_blank_text_stays_empty():
    assert structure_plain_text(" \n\n \n") == ""
    assert sanitize_html(" \n ") == ""


# --- html_to_text: a body's text, for comparing revisions -------------------------------


def test_html_to_text_keeps_paragraphs_lists_and_breaks_and_drops_markup():
    body = (
        "<h2>Итоги</h2><p>Аким <strong>открыл</strong>\n  школу.<br>Вторая строка</p>"
        '<ul><li><p>один</p></li><li><p>два</p><ol start="3"><li>три</li></ol></li></ul>'
        "<table><tr><th>Район</th><th>Школы</th></tr><tr><td>Абай</td><td>2</td></tr></table>"
        "<p>A &amp; B</p><p> </p>"
    )
    assert html_to_text(body) == (
        "Итоги\n\nАким открыл школу.\nВторая строка\n\n- один\n- два\n  3. три"
        "\n\nРайон | Школы\n\nАбай | 2\n\nA & B"
    )


def test_html_to_text_reads_back_what_structure_plain_text_wrote():
    text = "Первый абзац со ссылкой https://gov.kz.\n\n- пункт\n- ещё пункт\n\n1. раз\n2. два"
    assert html_to_text(structure_plain_text(text)) == text
    assert html_to_text("") == ""
