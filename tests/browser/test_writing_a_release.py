"""Issue 14 end to end in Chromium: a press officer writes a release with structure, a
pasted document, a lead photo described in three languages, a gallery and a PDF, and
submits it; an editor approves and publishes it; readers then see it all, and not before."""

import re
from pathlib import Path

import pytest
from django.core.cache import cache

from news.models import Article

from ..media_library import files

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct-horse-battery"
PASTE = """(html) => {
  const data = new DataTransfer();
  data.setData('text/html', html);
  data.setData('text/plain', '');
  document.querySelector('.ProseMirror').dispatchEvent(
    new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true}));
}"""
SAMPLE = Path(__file__).resolve().parents[1] / "news" / "paste_samples" / "libreoffice.html"


@pytest.fixture
def log_in(live_server, browser, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    cache.clear()  # the live server shares this process's local-memory cache
    pages = []

    def open_page(user, language="ru"):
        context = browser.new_context(locale=language, viewport={"width": 1366, "height": 900})
        page = context.new_page()
        page.goto(f"{live_server.url}/admin/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        page.wait_for_url(f"{live_server.url}/admin/")
        pages.append(context)
        return page

    yield open_page
    for context in pages:
        context.close()


def upload_photo(page, base, agency, path: Path, alt: tuple[str, str, str], caption="", credit=""):
    page.goto(f"{base}/admin/media_library/image/add/")
    page.set_input_files("#id_file", str(path))
    page.select_option("#id_agency", str(agency.pk))
    for code, text in zip(("kk", "ru", "en"), alt, strict=True):
        page.fill(f"#id_alt_{code}", text)
    if caption:
        page.fill("#id_caption_ru", caption)
    if credit:
        page.fill("#id_credit", credit)
    page.select_option("#id_licence", "own")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")


def pick(page, select_id: str, search: str):
    """Choose in an admin autocomplete (select2) by typing part of the label."""
    page.click(f"#{select_id} + .select2 .select2-selection")
    page.fill(".select2-container--open .select2-search__field", search)
    page.click(f".select2-results__option:has-text('{search}')")


def test_an_officer_writes_with_photos_and_an_editor_publishes(
    live_server, log_in, press_officer, editor, draft, tmp_path, client
):
    base = live_server.url
    photos = []
    for name, colour in (("lead", "steelblue"), ("first", "olive"), ("second", "tomato")):
        path = tmp_path / f"IMG_{name}.JPG"
        path.write_bytes(files.jpeg((2000, 1500), colour=colour))
        photos.append(path)
    document = tmp_path / "plan.pdf"
    document.write_bytes(files.pdf(pages=2))

    officer = log_in(press_officer)
    park = ("Жаңа саябақ", "Новый парк", "The new park")
    upload_photo(officer, base, draft.agency, photos[0], park,
                 caption="Парк в день открытия", credit="А. Сейткали")  # fmt: skip
    upload_photo(officer, base, draft.agency, photos[1], ("Аллея", "Аллея парка", "An alley"))
    upload_photo(officer, base, draft.agency, photos[2], ("Фонтан", "Фонтан парка", "The fountain"))
    officer.goto(f"{base}/admin/media_library/attachment/add/")
    officer.set_input_files("#id_file", str(document))
    officer.select_option("#id_agency", str(draft.agency.pk))
    officer.fill("#id_title_ru", "План парка")
    officer.click("input[name=_save]")
    officer.wait_for_selector(".messagelist .success")

    officer.goto(f"{base}/admin/news/article/{draft.pk}/change/")
    officer.locator(".ProseMirror").wait_for()
    officer.click(".ProseMirror")
    officer.keyboard.press("Control+A")
    officer.keyboard.press("Delete")
    officer.evaluate(PASTE, SAMPLE.read_text(encoding="utf-8"))
    officer.click("#lead_image-group .add-row a")
    pick(officer, "id_lead_image-0-image", "Новый парк")
    for index, alt in enumerate(("Аллея парка", "Фонтан парка")):
        officer.click("#gallery-group .add-row a")
        officer.fill(f"#id_gallery-{index}-position", str(index + 1))
        pick(officer, f"id_gallery-{index}-image", alt)
    officer.click("#attachments-group .add-row a")
    pick(officer, "id_attachments-0-attachment", "План парка")
    officer.click("input[name=_continue]")
    officer.wait_for_selector(".messagelist .success")

    draft.refresh_from_db()
    for tag in ("<h2>", "<ul>", "<table>", "<a href="):
        assert tag in draft.body, tag
    assert draft.lead_image.image.alt_kk == "Жаңа саябақ"
    assert [item.image.alt_ru for item in draft.gallery.all()] == ["Аллея парка", "Фонтан парка"]
    preview = officer.goto(f"{base}/ru/preview/{draft.pk}/").text()
    files_of_the_release = sorted(
        set(re.findall(r'(?:src|href|content)="(?:http://[^/"]+)?(/files/[^"\s]+)"', preview))
    )
    assert len(files_of_the_release) >= 5
    officer.goto(f"{base}/admin/news/article/{draft.pk}/workflow/submit/")
    officer.click("input[type=submit]")
    officer.wait_for_selector(".messagelist .success")

    for address in files_of_the_release:  # nothing reachable before publication
        assert client.get(address).status_code == 404, address

    desk = log_in(editor)
    for step in ("approve", "publish"):
        desk.goto(f"{base}/admin/news/article/{draft.pk}/workflow/{step}/")
        desk.click("input[type=submit]")
        desk.wait_for_selector(".messagelist .success")
    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED

    reader = desk.context.browser.new_page()
    reader.goto(f"{base}/ru/releases/{draft.slug}/")
    figure = reader.locator("figure.lead-photo")
    # Described in the release's language (English), the caption in the reader's.
    assert figure.locator("img").get_attribute("alt") == "The new park"
    assert "w800.webp 800w" in figure.locator("source").get_attribute("srcset")
    assert "Парк в день открытия" in figure.inner_text()
    assert "А. Сейткали" in figure.inner_text()
    assert reader.locator("#gallery-heading ~ figure img").count() == 2
    assert reader.locator(".attachments a", has_text="План парка").count() == 1
    card = reader.locator('meta[property="og:image"]').get_attribute("content")
    assert card.endswith("/social.jpeg")
    for address in files_of_the_release:
        assert client.get(address).status_code == 200, address
    reader.close()
