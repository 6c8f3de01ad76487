"""Remarks in Chromium: the thread's form sits outside the change form (HTML does not nest
forms), posts on its own, and a mention reaches the editor in Kazakh."""

import pytest
from django.core import mail
from django.core.cache import cache

from news.models import Remark
from people import languages

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct-horse-battery"


@pytest.mark.parametrize("width", [1366, 390])
def test_an_officer_adds_a_remark_that_mentions_an_editor(
    live_server, browser, press_officer, editor, draft, width
):
    cache.clear()  # the live server shares this process's local-memory cache
    languages.record_admin_language(editor, "kk")
    context = browser.new_context(locale="ru", viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/admin/login/")
        page.fill("#id_username", press_officer.username)
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        page.wait_for_url(f"{live_server.url}/admin/")
        page.goto(f"{live_server.url}/admin/news/article/{draft.pk}/change/")
        assert page.locator("#remarks").evaluate("e => e.closest('form') === null")
        assert page.locator("#remark-text").evaluate("e => e.form.closest('#article_form')") is None

        page.fill("#remark-text", "@editor проверьте цифры.\nИсточник — отчёт акимата.")
        page.click(".remarks__form button[type=submit]")
        page.wait_for_url(f"**/admin/news/article/{draft.pk}/change/#remark-*")

        remark = Remark.objects.get()
        assert remark.text == "@editor проверьте цифры.\nИсточник — отчёт акимата."
        assert page.locator(".messagelist").inner_text().count("@editor") == 1
        shown = page.locator(f"#remark-{remark.pk} .remark__text")
        assert shown.inner_html() == "@editor проверьте цифры.<br>Источник — отчёт акимата."
        [message] = mail.outbox
        assert message.to == [editor.email]
        assert message.subject.startswith("Сізді атап өтті")
    finally:
        context.close()
