"""An article body is stored clean however it is written: admin form, ORM save or bulk."""

import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from news.html import allow_list, sanitize_html
from news.models import Article

from ..factories import ArticleFactory
from .helpers import NO_MEDIA

HOSTILE = (
    '<p onclick="steal()">Intro <a href="javascript:alert(1)">link</a></p>'
    '<script>alert("x")</script>'
    '<img src="https://www.gov.kz/a.png" onerror="alert(2)" alt="photo">'
    '<svg onload="alert(3)"><circle r="1"></circle></svg>'
    '<iframe src="https://evil.example/"></iframe>'
    '<p style="position:fixed">Styled <a href="https://www.gov.kz/" target="_blank">gov.kz</a></p>'
)
# The image is not shown inline: it becomes a link named by its alternative text.
CLEAN = (
    "<p>Intro link</p>\n"
    '<p><a href="https://www.gov.kz/a.png" rel="noopener noreferrer">photo</a></p>\n'
    '<p>Styled <a href="https://www.gov.kz/" rel="noopener noreferrer">gov.kz</a></p>'
)
DANGER = re.compile(r"<script|<svg|<iframe|javascript:|\son\w+\s*=|style=", re.IGNORECASE)


def assert_clean(value: str) -> None:
    assert value == CLEAN
    assert not DANGER.search(value)


# --- the allow-list ---------------------------------------------------------------------


def test_hostile_body_keeps_only_the_allowed_html():
    assert_clean(sanitize_html(HOSTILE))


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ('<a href="JaVaScRiPt:alert(1)">x</a>', "<p>x</p>"),
        ('<a href="&#106;avascript:alert(1)">x</a>', "<p>x</p>"),
        ('<img src="data:image/png;base64,AAAA">', ""),
        ("<style>p { display: none }</style><p>Text</p>", "<p>Text</p>"),
        ("<!-- a comment --><b>bold</b>", "<p><strong>bold</strong></p>"),
        ('<form action="https://evil.example/"><input name="pin"></form>', ""),
        ('<object data="x"></object><embed src="x">', ""),
        (
            '<td colspan="2" onclick="x()">cell</td>',
            "<p>cell</p>",  # a cell outside a table is not a cell
        ),
        (
            '<table><tr><td colspan="2" onmouseover="x()">cell</td></tr></table>',
            '<table><tbody><tr><td colspan="2">cell</td></tr></tbody></table>',
        ),
        (
            '<a href="mailto:press@gov.kz">mail</a>',
            '<p><a href="mailto:press@gov.kz" rel="noopener noreferrer">mail</a></p>',
        ),
        # The editor's own markup is kept as it is.
        ("<h2>Heading</h2><ul><li>one</li></ul>", "<h2>Heading</h2><ul><li>one</li></ul>"),
        ("Plain text &amp; no tags", "<p>Plain text &amp; no tags</p>"),
        ("", ""),
    ],
)
def test_sanitize_html(dirty, clean):
    assert sanitize_html(dirty) == clean


FRAGMENTS = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<script>",
        "</script>",
        "<a href='javascript:alert(1)'>",
        "<a href='https://gov.kz'>",
        "</a>",
        "<img src=x onerror=alert(1)>",
        "<svg onload=alert(1)>",
        "<iframe src=//evil>",
        "<b style='color:red'>",
        "<div onclick=x>",
        '"',
        "'",
        "<",
        ">",
        "=",
        "onload=",
        "javascript:",
        "text",
        "Қазақстан",
    ]
)


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


@settings(max_examples=300, deadline=None)
@given(st.lists(FRAGMENTS, max_size=12).map("".join))
def test_sanitized_html_is_stable_and_has_only_allowed_markup(dirty):
    clean = sanitize_html(dirty)
    assert sanitize_html(clean) == clean
    parser = _Tags()
    parser.feed(clean)
    rules = allow_list()
    for tag, attrs in parser.tags:
        assert tag in rules["tags"]
        allowed = rules["attributes"].get(tag, set()) | ({"rel"} if tag == "a" else set())
        assert set(attrs) <= allowed
        for url in (attrs.get("href"), attrs.get("src")):
            assert not (url or "").strip().lower().startswith("javascript:")


# --- every ORM write path that calls the field's pre_save ----------------------------


@pytest.mark.django_db
def test_create_stores_a_clean_body():
    article = ArticleFactory(body=HOSTILE)
    assert_clean(article.body)  # the instance holds what was stored
    assert_clean(Article.objects.get(pk=article.pk).body)


@pytest.mark.django_db
def test_saving_an_existing_article_stores_a_clean_body():
    article = ArticleFactory()
    article.body = HOSTILE
    article.save(update_fields=["body", "version"])
    assert_clean(Article.objects.get(pk=article.pk).body)


@pytest.mark.django_db
def test_bulk_create_stores_clean_bodies(agency):
    Article.objects.bulk_create(
        Article(title=f"Bulk {n}", slug=f"bulk-{n}", body=HOSTILE, language="en", agency=agency)
        for n in range(3)
    )
    bodies = set(Article.objects.values_list("body", flat=True))
    assert bodies == {CLEAN}


@pytest.mark.django_db
def test_update_or_create_stores_a_clean_body(agency):
    Article.objects.update_or_create(
        slug="upsert", defaults={"title": "Upsert", "body": HOSTILE, "agency": agency}
    )
    Article.objects.update_or_create(slug="upsert", defaults={"body": HOSTILE + "<p>again</p>"})
    assert Article.objects.get(slug="upsert").body == CLEAN + "\n<p>again</p>"


@pytest.mark.django_db
def test_revisions_keep_the_clean_body():
    article = ArticleFactory(body=HOSTILE)
    assert_clean(article.history.get().body)


# --- the admin form ---------------------------------------------------------------------


def admin_form_data(agency, **fields) -> dict:
    return {
        "title": "Body with scripts",
        "lead": "",
        "body": HOSTILE,
        "tags": "",
        "agency": agency.pk,
        "region": "",
        "language": "en",
        "release_date": "2025-03-01",
        "source_url": "",
        "slug": "",
        "transitions-TOTAL_FORMS": "0",
        "transitions-INITIAL_FORMS": "0",
        "transitions-MIN_NUM_FORMS": "0",
        "transitions-MAX_NUM_FORMS": "1000",
        **NO_MEDIA,
        **fields,
    }


@pytest.mark.django_db
def test_body_posted_through_the_admin_is_stored_clean(press_officer, agency):
    client = Client()
    client.force_login(press_officer)

    added = client.post(reverse("admin:news_article_add"), admin_form_data(agency))
    assert added.status_code == 302
    article = Article.objects.get()
    assert_clean(article.body)

    changed = client.post(
        reverse("admin:news_article_change", args=[article.pk]),
        admin_form_data(
            agency,
            slug=article.slug,
            body=HOSTILE + '<p><a href="vbscript:x">more</a></p>',
            expected_version=article.version,
        ),
    )
    assert changed.status_code == 302
    article.refresh_from_db()
    assert article.body == CLEAN + "\n<p>more</p>"

    page = client.get(reverse("admin:news_article_change", args=[article.pk])).content.decode()
    assert "<script>alert" not in page
    assert "onerror=" not in page
