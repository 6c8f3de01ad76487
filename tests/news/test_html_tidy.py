"""Foreign HTML in the editor's structure (news.html_tidy, then news.html's allow-list).

The paste samples in paste_samples/ are what a paste from each program carries as text/html:
- libreoffice.html was produced with LibreOffice 7.4 (Debian's libreoffice-writer-nogui): a
  small HTML release (h1, bold, italic, a bulleted and a numbered list, a link, a table with a
  header row, sub- and superscript) converted with `soffice --headless --convert-to odt`,
  then to `docx:"MS Word 2007 XML"`, then with `--convert-to html:"HTML (StarWriter)"`, the
  filter LibreOffice also puts on the clipboard.
- word.html and google_docs.html are written by hand in the form Word (MsoListParagraph
  paragraphs with a typed bullet in a span of mso-list:Ignore, <o:p>, conditional comments,
  an <xml> island) and Google Docs (a <b id="docs-internal-guid-…"> of normal weight around
  everything, bold and italic as styled spans) put on the clipboard; neither program runs
  here.
The browser test (tests/browser/test_body_editor.py) pastes the first two into the editor.
"""

from pathlib import Path

import pytest

from news.html import allow_list, clean, sanitize_html
from news.html_tidy import tidy_html

SAMPLES = Path(__file__).parent / "paste_samples"


def sample(name: str) -> str:
    return sanitize_html((SAMPLES / name).read_text())


def test_libreoffice_keeps_headings_lists_emphasis_links_and_tables():
    assert sample("libreoffice.html") == (
        "<h2>Шымкентте жаңа саябақ ашылды</h2>\n"
        "<p>Шымкент қаласының әкімдігі <strong>15 наурызда</strong> Қаратау ауданында жаңа "
        "саябақтың ашылғанын <em>хабарлайды</em>.</p>\n"
        "<h2>Саябақта не бар</h2>\n"
        "<ul><li><p>балалар алаңы;</p></li><li><p>велосипед жолдары;</p></li>"
        "<li><p>фонтан.</p></li></ul>\n"
        "<ol><li><p>Бірінші кезең — 2026 жыл.</p></li>"
        "<li><p>Екінші кезең — 2027 жыл.</p></li></ol>\n"
        '<p>Толығырақ: <a href="https://shymkent.gov.kz/kk/news/park" rel="noopener noreferrer">'
        "shymkent.gov.kz</a></p>\n"
        "<table><tbody><tr><th><p>Аудан</p></th><th><p>Ағаштар саны</p></th></tr>"
        "<tr><td><p>Қаратау</p></td><td><p>1 200</p></td></tr>"
        "<tr><td><p>Абай</p></td><td><p>850</p></td></tr></tbody></table>\n"
        "<p>CO<sub>2</sub> шығарындысы 5 м<sup>2</sup> азаяды.</p>"
    )


def test_word_list_paragraphs_become_lists_by_level_and_number():
    assert sample("word.html") == (
        "<h2>В Шымкенте открылся новый парк</h2>\n"
        "<p>Акимат города <strong>15 марта</strong> открыл парк в <em>Каратауском</em> "
        "районе.</p>\n"
        "<h2>В парке есть</h2>\n"
        "<ul><li><p>детская площадка;</p><ul><li><p>качели и горки;</p></li></ul></li>"
        "<li><p>велосипедные дорожки.</p></li></ul>\n"
        "<ol><li><p>Первый этап — 2026 год.</p></li><li><p>Второй этап — 2027 год.</p></li></ol>\n"
        '<p>Подробнее: <a href="https://shymkent.gov.kz/ru/news/park" rel="noopener noreferrer">'
        "shymkent.gov.kz</a></p>\n"
        "<table><tbody><tr><td><p><strong>Район</strong></p></td>"
        "<td><p><strong>Деревьев</strong></p></td></tr>"
        "<tr><td><p>Каратауский</p></td><td><p>1&nbsp;200</p></td></tr></tbody></table>\n"
        "<p>Пресс-служба акимата</p>"
    )


def test_google_docs_styled_spans_are_read_as_bold_and_italic():
    assert sample("google_docs.html") == (
        "<h2>New park opens in Shymkent</h2>\n"
        "<p>The akimat opened the park on <strong>15 March</strong><em> in Karatau district</em>"
        ".</p>\n"
        "<ul><li><p>a playground;</p></li><li><p>cycle paths.</p></li></ul>\n"
        '<p>More at <a href="https://shymkent.gov.kz/en/news/park" rel="noopener noreferrer">'
        "shymkent.gov.kz</a></p>"
    )


@pytest.mark.parametrize("name", ["libreoffice.html", "word.html", "google_docs.html"])
def test_no_style_class_span_comment_or_empty_paragraph_survives(name):
    html = sample(name)
    for junk in ("style=", "class=", "<span", "<font", "<!--", "<p></p>", "mso", "o:p", "·"):
        assert junk not in html, junk
    assert sanitize_html(html) == html


@pytest.mark.parametrize(
    ("dirty", "tidy"),
    [
        (
            "<div>Бірінші</div><div>Екінші <b>жуан</b></div>",
            "<p>Бірінші</p>\n<p>Екінші <strong>жуан</strong></p>",
        ),
        ("<h1>Бас</h1><h4>Төрт</h4><h6>Алты</h6>", "<h2>Бас</h2>\n<h3>Төрт</h3>\n<h3>Алты</h3>"),
        ("<p>&nbsp;</p><p><br></p><p>Мәтін<br></p>", "<p>Мәтін</p>"),
        ("<pre>бір\nекі</pre>", "<p>бір<br>екі</p>"),
        ("<p><u>асты</u> <s>сызылған</s> <code>код</code></p>", "<p>асты сызылған код</p>"),
        (
            "<table><caption>Кесте</caption><tr><td>1</td></tr></table>",
            "<p>Кесте</p>\n<table><tbody><tr><td>1</td></tr></tbody></table>",
        ),
        ("<blockquote>Дәйексөз</blockquote>", "<blockquote><p>Дәйексөз</p></blockquote>"),
        ("<p><span style='vertical-align:super'>2</span></p>", "<p><sup>2</sup></p>"),
        ("<p><b style='font-weight:normal'>қалыпты</b></p>", "<p>қалыпты</p>"),
    ],
)
def test_foreign_markup_is_written_as_the_editor_writes_it(dirty, tidy):
    assert tidy_html(dirty) == tidy


def test_an_image_becomes_a_link_to_it_named_by_its_text():
    html = sanitize_html(
        '<figure><img src="https://shymkent.gov.kz/upload/park%20map.jpg" alt=""><figcaption>'
        'Саябақ картасы</figcaption></figure><p><img src="https://x.kz/a.png" alt="Фонтан"></p>'
        '<img src="data:image/png;base64,AAAA" alt="дерек">'
    )

    assert html == (
        '<p><a href="https://shymkent.gov.kz/upload/park%20map.jpg" rel="noopener noreferrer">'
        "park map.jpg</a></p>\n<p>Саябақ картасы</p>\n"
        '<p><a href="https://x.kz/a.png" rel="noopener noreferrer">Фонтан</a></p>'
    )


def test_the_allow_list_is_the_editors_and_the_editors_markup_passes_unchanged():
    rules = allow_list()
    assert rules["tags"] == {
        *("p", "br", "h2", "h3", "strong", "em", "sub", "sup", "a", "ul", "ol", "li"),
        *("blockquote", "table", "thead", "tbody", "tr", "th", "td"),
    }
    # Every tag and attribute the editor writes, as it writes them.
    written = (
        "<h2>Тақырып</h2><h3>Тақырыпша</h3>"
        '<p><strong>a</strong><em>b</em><sub>c</sub><sup>d</sup><br><a href="https://gov.kz" '
        'title="Үкімет" rel="noopener noreferrer">e</a></p>'
        "<blockquote><p>f</p></blockquote>"
        "<ul><li><p>g</p></li></ul>"
        '<ol start="3" type="a" data-type="lower-alpha"><li><p>h</p></li></ol>'
        '<table><tbody><tr><th colspan="2" rowspan="1"><p>i</p></th></tr>'
        '<tr><td colspan="1" rowspan="1"><p>j</p></td></tr></tbody></table>'
    )
    assert clean(written) == written
    # The tidying pass keeps it too, with a line end between top-level blocks.
    assert clean(tidy_html(written)).replace(">\n<", "><") == written
    # And nothing else: decoration the editor cannot write is taken away.
    decorated = (
        '<p class="x" style="color:red" align="center"><u>u</u><s>s</s><span>sp</span>'
        '<a href="https://gov.kz" target="_blank" class="y">a</a><img src="https://gov.kz/i.png">'
        "</p><h1>h1</h1><h4>h4</h4><hr><pre>pre</pre>"
    )
    assert clean(decorated) == (
        '<p>ussp<a href="https://gov.kz" rel="noopener noreferrer">a</a></p>h1h4pre'
    )
