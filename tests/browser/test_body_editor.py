"""The article body's editor in Chromium, under the site's Content Security Policy: a press
officer writes structure with the toolbar and the keyboard, pastes from LibreOffice and
Word, and what is saved is that structure, in the editor's words (news.html)."""

import re
from pathlib import Path

import pytest
from django.core.cache import cache

from news.html import sanitize_html
from news.models import Article

from ..factories import ArticleFactory

pytestmark = [
    pytest.mark.browser,
    # live_server needs committed rows; serialized rollback restores the seeded regions.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SAMPLES = Path(__file__).resolve().parents[1] / "news" / "paste_samples"
WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__cspViolations.push(event.violatedDirective + ' ' + event.blockedURI);
});
"""
PASTE = """([html, text]) => {
  const data = new DataTransfer();
  data.setData('text/html', html);
  data.setData('text/plain', text);
  document.querySelector('.ProseMirror').dispatchEvent(
    new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true}));
}"""

SELECT_LAST_WORD = """([line, word]) => {
  const paragraph = [...document.querySelectorAll('.ProseMirror p')]
    .find((each) => each.textContent.includes(line));
  const text = paragraph.lastChild;
  const start = text.textContent.lastIndexOf(word);
  const range = document.createRange();
  range.setStart(text, start);
  range.setEnd(text, start + word.length);
  getSelection().removeAllRanges();
  getSelection().addRange(range);
}"""


@pytest.fixture
def officer_page(live_server, browser, press_officer):
    """A logged-in press officer's page, in Kazakh, watching for policy violations."""
    cache.clear()  # the live server shares this process's local-memory cache

    def open_page(language="kk", width=1366, height=900):
        context = browser.new_context(locale=language, viewport={"width": width, "height": height})
        context.add_init_script(WATCH_CSP)
        page = context.new_page()
        page.goto(f"{live_server.url}/admin/login/")
        page.fill("#id_username", press_officer.username)
        page.fill("#id_password", "correct-horse-battery")
        page.click("input[type=submit]")
        page.wait_for_url(f"{live_server.url}/admin/")
        return page

    return open_page


def editor_html(page) -> str:
    return page.locator("#id_body").input_value()


def blocks(html: str) -> str:
    """HTML without the line ends the sanitizer writes between top-level blocks."""
    return re.sub(r">\n<", "><", html)


def test_an_officer_writes_heading_list_link_and_table_with_toolbar_and_keyboard(
    live_server, officer_page, draft
):
    page = officer_page("kk")
    page.goto(f"{live_server.url}/admin/news/article/{draft.pk}/change/")
    editor = page.locator(".ProseMirror")
    editor.wait_for()
    # The toolbar speaks the admin's language and names every button.
    assert page.locator("button[data-name=bold]").get_attribute("aria-label") == "Жуан (Ctrl+B)"
    assert editor.get_attribute("aria-labelledby") == "id_body_label"

    # From the lead, Tab reaches the toolbar, then the text itself.
    page.focus("#id_lead")
    stops = []
    for _ in range(20):
        page.keyboard.press("Tab")
        stops.append(
            page.evaluate("document.activeElement.dataset.name || document.activeElement.className")
        )
        if "ProseMirror" in stops[-1]:
            break
    assert stops[0] == "heading2"
    assert "ProseMirror" in stops[-1], stops

    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.click("button[data-name=heading2]")
    page.keyboard.type("Саябақ ашылды")
    page.keyboard.press("Enter")
    page.keyboard.type("Әкімдік ")
    page.keyboard.press("Control+B")
    page.keyboard.type("15 наурызда")
    page.keyboard.press("Control+B")
    page.keyboard.type(" хабарлады.")
    page.keyboard.press("Enter")
    page.click("button[data-name=bulletList]")
    page.keyboard.type("балалар алаңы")
    page.keyboard.press("Enter")
    page.keyboard.type("фонтан")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")  # an empty item ends the list
    page.keyboard.type("Толығырақ сайтта")
    page.keyboard.press("Enter")
    page.click("button[data-name=table]")
    dialog = page.locator("dialog.prose-editor-dialog")
    dialog.get_by_label("Жолдар").fill("2")
    dialog.get_by_label("Бағандар").fill("2")
    dialog.get_by_label("Тақырып жолы болсын").select_option(label="Иә")
    dialog.get_by_role("button", name="Кестені қою").click()
    for cell in ("Аудан", "Ағаштар", "Қаратау"):
        page.keyboard.type(cell)
        page.keyboard.press("Tab")  # the next cell; in the last one, Tab would add a row
    page.keyboard.type("1 200")
    # Select the last word of the line above the table, to make it a link: as the browser's
    # selection (ProseMirror follows it), since keys pressed under load could select less.
    page.evaluate(SELECT_LAST_WORD, ["Толығырақ", "сайтта"])
    page.wait_for_function("() => getSelection().toString() === 'сайтта'")
    # The link button is enabled once the editor holds the selection.
    page.locator("button[data-name=link]:not(.disabled)").wait_for()
    page.keyboard.press("Control+K")
    dialog.get_by_label("Мекенжай (URL)").fill("https://shymkent.gov.kz/kk/park")
    dialog.get_by_role("button", name="Сақтау").click()
    editor.locator("a[href='https://shymkent.gov.kz/kk/park']").wait_for()
    written = editor_html(page)
    page.click("input[name=_save]")
    page.locator(".messagelist .success").wait_for()

    body = Article.objects.get(pk=draft.pk).body
    assert blocks(body) == (
        "<h2>Саябақ ашылды</h2>"
        "<p>Әкімдік <strong>15 наурызда</strong> хабарлады.</p>"
        "<ul><li><p>балалар алаңы</p></li><li><p>фонтан</p></li></ul>"
        '<p>Толығырақ <a href="https://shymkent.gov.kz/kk/park" rel="noopener noreferrer">'
        "сайтта</a></p>"
        "<table><tbody><tr><th><p>Аудан</p></th><th><p>Ағаштар</p></th></tr>"
        "<tr><td><p>Қаратау</p></td><td><p>1 200</p></td></tr></tbody></table>"
    )
    # What the editor wrote is what the sanitizer keeps: the allow-list is the editor's.
    # (The sanitizer adds rel to links and drops an empty title; it takes nothing else away.)
    assert blocks(sanitize_html(written)).replace(' rel="noopener noreferrer"', "") == (
        written.replace(' title=""', "")
    )
    assert page.evaluate("window.__cspViolations") == []


@pytest.mark.parametrize(
    ("sample", "kept", "dropped"),
    [
        (
            "libreoffice.html",
            [
                "<h2>Шымкентте жаңа саябақ ашылды</h2>",
                "<strong>15 наурызда</strong>",
                "<ul><li><p>балалар алаңы;</p></li>",
                "</ul><ol",
                "<li><p>Бірінші кезең — 2026 жыл.</p></li>",
                '<a href="https://shymkent.gov.kz/kk/news/park">shymkent.gov.kz</a>',
                "<th",
                "CO<sub>2</sub>",
            ],
            ["Пресс-релиз", "western", "<font", "<p></p>"],
        ),
        (
            "word.html",
            [
                "<h2>В Шымкенте открылся новый парк</h2>",
                "<strong>15 марта</strong>",
                "<ul><li><p>детская площадка;</p><ul><li><p>качели и горки;</p></li></ul></li>",
                "</ul><ol",
                "<li><p>Первый этап — 2026 год.</p></li>",
                '<a href="https://shymkent.gov.kz/ru/news/park">shymkent.gov.kz</a>',
                "<td",
            ],
            ["·", "Mso", "mso-", "<p></p>", "o:p"],
        ),
    ],
)
def test_pasting_from_an_office_suite_keeps_the_structure_and_drops_the_rest(
    live_server, officer_page, draft, sample, kept, dropped
):
    page = officer_page("ru")
    page.goto(f"{live_server.url}/admin/news/article/{draft.pk}/change/")
    editor = page.locator(".ProseMirror")
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.evaluate(PASTE, [(SAMPLES / sample).read_text(), "plain text fallback"])

    pasted = editor_html(page)
    for fragment in kept:
        assert fragment in pasted, pasted
    for fragment in dropped:
        assert fragment not in pasted, fragment
    page.click("input[name=_save]")
    page.locator(".messagelist .success").wait_for()
    assert blocks(Article.objects.get(pk=draft.pk).body) == blocks(sanitize_html(pasted))
    assert page.evaluate("window.__cspViolations") == []


def test_the_side_by_side_translation_page_has_the_editor(live_server, officer_page, draft):
    page = officer_page("ru")
    page.goto(f"{live_server.url}/admin/news/article/{draft.pk}/translations/kk/")
    form = page.locator("#translation-form")
    form.locator(".ProseMirror").wait_for()
    assert form.locator("button[data-name=orderedList]").get_attribute("title") == (
        "Нумерованный список"
    )
    assert page.evaluate("window.__cspViolations") == []


def test_a_plain_text_body_opens_structured(live_server, officer_page, press_officer, agency):
    article = ArticleFactory(
        agency=agency,
        author=press_officer,
        body="Бірінші абзац.\n\n- бір\n- екі\n\nТолығырақ: www.gov.kz",
    )
    page = officer_page("kk")
    page.goto(f"{live_server.url}/admin/news/article/{article.pk}/change/")
    editor = page.locator(".ProseMirror")
    editor.wait_for()
    assert editor.locator("ul li").count() == 2
    assert editor.locator("a[href='https://www.gov.kz']").count() == 1


def test_pasted_plain_text_gets_paragraphs_lists_and_links(live_server, officer_page, draft):
    page = officer_page("kk")
    page.goto(f"{live_server.url}/admin/news/article/{draft.pk}/change/")
    page.locator(".ProseMirror").click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    text = "Әкімдік хабарлайды:\n\n- бірінші\n- екінші\n\nТолығырақ: www.gov.kz."
    page.evaluate(
        """(text) => {
          const data = new DataTransfer();
          data.setData('text/plain', text);
          document.querySelector('.ProseMirror').dispatchEvent(
            new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true}));
        }""",
        text,
    )

    assert editor_html(page) == (
        "<p>Әкімдік хабарлайды:</p>"
        "<ul><li><p>бірінші</p></li><li><p>екінші</p></li></ul>"
        '<p>Толығырақ: <a href="https://www.gov.kz">www.gov.kz</a>.</p>'
    )
