"""The public site in Chromium: a reader browses, filters, searches and switches language
with the keyboard and mouse, without JavaScript errors or missing resources."""

import uuid

import pytest
from django.core.cache import cache

from news.models import Article

from ..factories import AgencyFactory, seeded_region
from ..public.pages import published

pytestmark = [
    pytest.mark.browser,
    # live_server needs committed rows; serialized rollback restores the seeded regions
    # that the flush after the test would otherwise remove for the rest of the suite.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def page(browser):
    """A page that records console errors, uncaught exceptions and failed requests."""
    context = browser.new_context(locale="en-US", java_script_enabled=True)
    page = context.new_page()
    page.problems = []
    page.on(
        "console",
        lambda message: page.problems.append(message.text) if message.type == "error" else None,
    )
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    page.on(
        "response",
        lambda response: (
            page.problems.append(f"{response.status} {response.url}")
            if response.status >= 400
            else None
        ),
    )
    yield page
    context.close()


@pytest.fixture
def releases():
    cache.clear()  # the live server shares this process's local-memory cache
    shymkent = AgencyFactory(
        slug="akimat-shymkent", name_en="Akimat of Shymkent", region=seeded_region("KZ-79")
    )
    group = uuid.uuid4()
    park = published(
        title="A riverside park opens",
        lead="Twelve hectares of green space.",
        body="<p>The park has walking paths along the river.</p>",
        agency=shymkent,
        translation_group=group,
    )
    park.tags.add("parks")
    park_ru = published(
        title="Открыт парк у реки",
        lead="Двенадцать гектаров зелени.",
        body="<p>В парке есть дорожки вдоль реки.</p>",
        agency=shymkent,
        language="ru",
        translation_group=group,
    )
    buses = published(title="Новые автобусы вышли на линии", agency=shymkent, language="ru")
    national = published(
        title="Ministry meets UN coordinator", agency=AgencyFactory(region=None, name_en="MFA")
    )
    return {"park": park, "park_ru": park_ru, "buses": buses, "national": national}


def test_a_reader_browses_from_home_to_a_region_to_a_release_and_switches_language(
    live_server, page, releases
):
    page.goto(f"{live_server.url}/")
    assert page.url == f"{live_server.url}/en/"
    assert page.locator("h1").inner_text() == "Government press releases of Kazakhstan"

    page.get_by_role("link", name="Shymkent", exact=True).click()
    assert page.url.endswith("/en/regions/shymkent/")
    assert page.locator("h1").inner_text() == "Shymkent"
    listed = page.locator(".summary-title").all_inner_texts()
    # One entry per story: the English version of the park, the Russian-only bus story.
    assert sorted(listed) == ["A riverside park opens", "Новые автобусы вышли на линии"]

    page.get_by_role("link", name="A riverside park opens").click()
    assert page.locator("h1").inner_text() == "A riverside park opens"
    facts = page.locator("dl.facts")
    assert facts.get_by_role("link", name="Akimat of Shymkent").is_visible()
    assert facts.get_by_role("link", name="parks").is_visible()

    page.get_by_role("navigation", name="Site language").get_by_role("link", name="Русский").click()
    assert page.url.endswith(f"/ru/releases/{releases['park_ru'].slug}/")
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.locator("h1").inner_text() == "Открыт парк у реки"

    # No Kazakh version: the switcher leads to the Kazakh home page.
    # The page is in Russian now, its labels too: find the switcher by its place.
    page.locator("nav.languages").get_by_role("link", name="Қазақ").click()
    assert page.url.endswith("/kk/")
    assert page.problems == []


def test_a_reader_filters_and_the_filters_stay_in_the_url(live_server, page, releases):
    page.goto(f"{live_server.url}/en/releases/")
    assert len(page.locator(".summary-title").all()) == 3

    filters = page.locator("details.filters-box")
    assert filters.get_attribute("open") is None  # folded until used, releases come first
    page.get_by_text("Filter releases", exact=True).click()
    page.get_by_label("Language", exact=True).select_option("ru")
    page.get_by_role("button", name="Show releases").click()

    assert "language=ru" in page.url
    assert sorted(page.locator(".summary-title").all_inner_texts()) == [
        "Новые автобусы вышли на линии",
        "Открыт парк у реки",
    ]
    assert page.get_by_label("Language", exact=True).input_value() == "ru"
    assert filters.get_attribute("open") is not None  # open while filters apply
    shared = page.url
    page.goto(shared)  # a shared link shows the same list
    assert len(page.locator(".summary-title").all()) == 2
    assert page.problems == []


@pytest.mark.postgres
def test_a_reader_searches_from_the_header(live_server, page, releases):
    page.goto(f"{live_server.url}/en/")
    page.get_by_role("searchbox", name="Search releases").fill("park")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert "/en/search/?q=park" in page.url
    assert page.locator(".summary-title").first.inner_text() == "A riverside park opens"
    assert page.locator(".summary mark").first.inner_text().lower() == "park"
    assert page.problems == []


def test_keyboard_users_can_skip_to_the_content(live_server, page, releases):
    page.goto(f"{live_server.url}/en/releases/")
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    assert skip.inner_text() == "Skip to content"
    assert skip.is_visible()  # shown when focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    assert page.problems == []


def test_pages_fit_a_phone_screen_without_horizontal_scrolling(live_server, page, releases):
    page.set_viewport_size({"width": 360, "height": 740})
    for path in ("/kk/", "/ru/releases/", f"/en/releases/{releases['park'].slug}/"):
        page.goto(f"{live_server.url}{path}")
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, path
    assert page.problems == []


def test_drafts_are_not_found_in_the_browser(live_server, page, releases):
    draft = Article.objects.create(title="Secret draft", language="en")
    response = page.goto(f"{live_server.url}/en/releases/{draft.slug}/")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Page not found"


STRUCTURE_REPORT = """() => {
  const levels = [...document.querySelectorAll("h1, h2, h3, h4, h5, h6")].map(h => +h.tagName[1]);
  const skipped = levels.some((level, i) => i > 0 && level > levels[i - 1] + 1);
  const unlabelled = [...document.querySelectorAll("input, select, textarea")]
    .filter(el => el.type !== "hidden")
    .filter(el => !(el.labels && el.labels.length) && !el.getAttribute("aria-label"))
    .map(el => el.name);
  const count = selector => document.querySelectorAll(selector).length;
  return {
    h1: count("h1"), firstHeading: levels[0], skipped, unlabelled,
    banner: count("body > header"), main: count("main"), footer: count("body > footer"),
    unnamedNav: [...document.querySelectorAll("nav")]
      .filter(nav => !nav.getAttribute("aria-label")).length,
    lang: document.documentElement.lang,
  };
}"""


def test_pages_have_landmarks_ordered_headings_and_labelled_controls(live_server, page, releases):
    paths = [
        "/en/",
        "/ru/releases/?language=ru",
        "/kk/regions/",
        "/en/agencies/akimat-shymkent/",
        "/ru/archive/",
        "/en/search/?q=",
        f"/en/releases/{releases['park'].slug}/",
    ]
    for path in paths:
        page.goto(f"{live_server.url}{path}")
        report = page.evaluate(STRUCTURE_REPORT)
        assert report == {
            "h1": 1,
            "firstHeading": 1,
            "skipped": False,
            "unlabelled": [],
            "banner": 1,
            "main": 1,
            "footer": 1,
            "unnamedNav": 0,
            "lang": path.split("/")[1],
        }, path
    assert page.problems == []
