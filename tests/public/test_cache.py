import re
from datetime import timedelta

import pytest
import time_machine
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache, caches
from django.db import connection, transaction
from django.db.models import ProtectedError, RestrictedError
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import resolve
from django.utils import timezone, translation
from taggit.models import Tag, TaggedItem

from agencies.models import Agency, Region
from media_library.models import ArticleAttachment, GalleryImage, LeadImage
from news import workflow
from news.models import Article, Translation
from public import cache as public_cache
from public import urls as public_urls
from public.api import api
from public.sitemaps import sitemaps

from .. import services
from ..factories import (
    AgencyFactory,
    AttachmentFactory,
    DistrictFactory,
    ImageFactory,
    seeded_region,
)
from ..news.helpers import article_in
from .pages import publish_after_a_visit, published, titles

Status = Article.Status
pytestmark = pytest.mark.django_db


def test_an_anonymous_page_is_served_from_the_cache_without_queries(
    client, django_assert_num_queries
):
    published(title="Cached release")
    first = client.get("/en/releases/")
    with django_assert_num_queries(0):
        second = client.get("/en/releases/")
    assert second.content == first.content
    assert "Cached release" in second.content.decode()
    assert second["Content-Type"] == first["Content-Type"]


def test_a_cached_page_keeps_the_headers_the_inner_middleware_set(client):
    published()
    first = client.get("/ru/releases/")
    second = client.get("/ru/releases/")
    for header in (
        "Content-Type",
        "Content-Language",
        "Content-Security-Policy",
        "X-Frame-Options",
    ):
        assert second[header] == first[header]
    assert second["Content-Language"] == "ru"
    # The outer middleware runs on every hit.
    assert second["X-Content-Type-Options"] == "nosniff"


def test_a_response_that_sets_a_cookie_is_never_stored(rf):
    def view(request):
        response = HttpResponse("for this visitor only")
        response.set_cookie("visitor", "1")
        response.public_page = True
        return response

    middleware = public_cache.PublicPageCacheMiddleware(view)
    middleware(rf.get("/en/releases/"))
    assert cache.get(public_cache.page_key("http://testserver/en/releases/")) is None


def test_only_cached_views_are_stored_and_other_paths_are_not_looked_up(rf):
    def view(request):
        return HttpResponse("not a public page")

    middleware = public_cache.PublicPageCacheMiddleware(view)
    middleware(rf.get("/en/preview/1/"))
    assert cache.get(public_cache.page_key("http://testserver/en/preview/1/")) is None
    cache.set(
        public_cache.page_key("http://testserver/healthz"),
        (public_cache.generation(), b"", {}),
    )
    assert middleware(rf.get("/healthz")).content == b"not a public page"


def test_an_outdated_page_is_rendered_by_one_request_while_the_others_get_it_as_it_was(
    client, django_assert_num_queries
):
    published(title="Before the publication")
    client.get("/en/releases/")
    published(title="The new release")  # outdates every stored page

    assert cache.add(public_cache.RENDERING_KEY, True)  # another request renders a page
    with django_assert_num_queries(0):
        meanwhile = client.get("/en/releases/").content.decode()
    assert "Before the publication" in meanwhile
    assert "The new release" not in meanwhile

    cache.delete(public_cache.RENDERING_KEY)  # that rendering is over (or its time is up)
    assert "The new release" in client.get("/en/releases/").content.decode()
    assert cache.get(public_cache.RENDERING_KEY) is None  # the renderer lets go
    with django_assert_num_queries(0):
        assert "The new release" in client.get("/en/releases/").content.decode()


def test_an_outdated_page_is_served_for_a_few_seconds_after_the_change_at_most(client):
    published(title="Before the publication")
    client.get("/en/releases/")
    published(title="The new release")
    assert cache.add(public_cache.RENDERING_KEY, True)  # another rendering never ends

    later = timezone.now() + timedelta(seconds=public_cache.OUTDATED_SECONDS + 1)
    with time_machine.travel(later):
        assert "The new release" in client.get("/en/releases/").content.decode()


def test_an_unpublished_release_is_never_served_past_the_rendering_of_its_page(client, editor):
    article = published(title="Withdrawn soon")
    client.get(article.get_absolute_url())
    workflow.apply_transition("unpublish", article=article, user=editor, comment="Wrong figures")

    assert client.get(article.get_absolute_url()).status_code == 404
    assert client.get(article.get_absolute_url()).status_code == 404


def test_a_long_address_is_cached_under_a_key_of_fixed_length(client, recwarn):
    published(title="Budget")
    # A search and a tag at their longest: the address is longer than a cache key may be.
    address = "/en/releases/?q=" + "budget+" * 27 + "budget&tag=" + "t" * 100
    assert client.get(address).status_code == 200
    assert cache.get(public_cache.page_key("http://testserver" + address)) is not None
    assert len(public_cache.page_key("http://testserver" + address)) < 64
    assert not [w for w in recwarn if "CacheKeyWarning" in type(w.message).__name__]


def test_each_host_and_scheme_gets_its_own_page(client, settings):
    settings.ALLOWED_HOSTS = ["press.example.kz", "www.press.example.kz"]
    published()
    bare = client.get("/en/releases/", HTTP_HOST="press.example.kz").content.decode()
    www = client.get("/en/releases/", HTTP_HOST="www.press.example.kz").content.decode()
    secure = client.get("/en/releases/", HTTP_HOST="press.example.kz", secure=True)
    assert 'href="http://press.example.kz/en/releases/"' in bare
    assert 'href="http://www.press.example.kz/en/releases/"' in www
    assert 'href="https://press.example.kz/en/releases/"' in secure.content.decode()


def test_a_cached_feed_or_sitemap_keeps_its_headers(client):
    published()
    first = client.get("/en/feeds/atom/")
    second = client.get("/en/feeds/atom/")
    assert second["Content-Type"].startswith("application/atom+xml")
    assert second["Last-Modified"] == first["Last-Modified"]
    client.get("/sitemap-releases.xml")
    assert client.get("/sitemap-releases.xml")["X-Robots-Tag"] == "noindex, noodp, noarchive"


def test_each_language_and_query_is_cached_on_its_own(client):
    published(title="English", language="en")
    published(title="Русский", language="ru")
    assert titles(client.get("/en/releases/?language=en")) == ["English"]
    assert titles(client.get("/ru/releases/?language=ru")) == ["Русский"]
    assert titles(client.get("/ru/releases/?language=en")) == ["English"]
    assert '<html lang="ru">' in client.get("/ru/releases/?language=en").content.decode()


def test_publishing_editing_and_unpublishing_drop_the_cached_pages(
    client, editor, django_capture_on_commit_callbacks
):
    article = article_in(Status.APPROVED, title="On its way")
    assert "On its way" not in client.get("/en/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        workflow.apply_transition("publish", article=article, user=editor)
    assert "On its way" in client.get("/en/").content.decode()

    article.refresh_from_db()
    article.title = "Renamed"
    article.save()
    assert "Renamed" in client.get("/en/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        workflow.apply_transition(
            "unpublish", article=article, user=editor, comment="Wrong figures."
        )
    assert "Renamed" not in client.get("/en/").content.decode()
    assert client.get(f"/en/releases/{article.slug}/").status_code == 404


def test_tag_changes_and_deletions_drop_the_cached_pages(client):
    article = published(title="Tag me")
    assert titles(client.get("/en/releases/?tag=parks")) == []
    article.tags.add("parks")
    assert titles(client.get("/en/releases/?tag=parks")) == ["Tag me"]
    article.tags.clear()
    assert titles(client.get("/en/releases/?tag=parks")) == []
    assert titles(client.get("/en/releases/")) == ["Tag me"]
    article.delete()
    assert titles(client.get("/en/releases/")) == []


def test_the_generation_is_bumped_again_after_commit(django_capture_on_commit_callbacks):
    article = published()
    with django_capture_on_commit_callbacks() as callbacks:
        article.save()
        during = public_cache.generation()
    for callback in callbacks:
        callback()
    # A page rendered between the save and the commit saw the old row; it must not stay.
    assert public_cache.generation() > during


def test_a_cached_page_expires_when_an_embargo_lifts(client):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        article_in(
            Status.SCHEDULED, title="Embargoed", publish_at=timezone.now() + timedelta(minutes=3)
        )
        assert "Embargoed" not in client.get("/en/releases/").content.decode()
        traveller.shift(timedelta(minutes=4))
        assert "Embargoed" in client.get("/en/releases/").content.decode()


def test_logged_in_users_and_previews_are_never_served_from_the_cache(client, editor, draft):
    published(title="First")
    client.get("/en/releases/")
    client.force_login(editor)
    published(title="Second")
    cache.set(public_cache.GENERATION_KEY, public_cache.generation() - 1)  # stale on purpose
    assert "Second" in client.get("/en/releases/").content.decode()
    assert client.get(f"/en/preview/{draft.pk}/")["Cache-Control"] == "private, no-store"


def test_a_lost_generation_never_restarts_at_an_old_value():
    public_cache.bump_generation()
    before = public_cache.generation()
    cache.delete(public_cache.GENERATION_KEY)
    assert public_cache.generation() > before
    cache.delete(public_cache.GENERATION_KEY)
    public_cache.bump_generation()
    assert public_cache.generation() > before


@pytest.mark.redis
def test_invalidation_works_on_redis(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": services.redis_url,
            "KEY_PREFIX": "pressroom-cache-test",
        }
    }
    cache.clear()
    try:
        article = published(title="On Redis")
        assert "On Redis" in client.get("/en/releases/").content.decode()
        article.title = "Changed on Redis"
        article.save()
        assert "Changed on Redis" in client.get("/en/releases/").content.decode()
    finally:
        cache.clear()


def test_a_cache_time_of_zero_turns_the_page_cache_off(client, settings):
    settings.PRESSROOM_PAGE_CACHE_SECONDS = 0
    published(title="Fresh")
    key = public_cache.page_key("http://testserver/en/releases/")
    cache.set(key, (public_cache.generation(), b"stale", {}))

    assert titles(client.get("/en/releases/")) == ["Fresh"]


def test_articles_and_sections_drop_the_cached_pages(django_capture_on_commit_callbacks):
    article = published()
    before = public_cache.generation()
    with django_capture_on_commit_callbacks(execute=True):
        article.save()
    assert public_cache.generation() > before
    before = public_cache.generation()
    with django_capture_on_commit_callbacks(execute=True):
        article.agency.save()
    assert public_cache.generation() > before


def test_after_a_publication_a_list_shows_it_in_a_bounded_number_of_queries(
    client, settings, django_assert_max_num_queries
):
    settings.PRESSROOM_PAGE_CACHE_SECONDS = 0
    publish_after_a_visit(client, "/en/releases/")
    # The filter form's region and agency choices, then the page of releases.
    with django_assert_max_num_queries(3):
        assert titles(client.get("/en/releases/"))[:2] == ["Newest", "Older 2"]


def test_a_renamed_region_is_shown_on_its_page(client, settings):
    settings.PRESSROOM_PAGE_CACHE_SECONDS = 0
    region = seeded_region("KZ-79")
    published(region=region)
    assert "Shymkent" in client.get("/en/regions/shymkent/").content.decode()
    region.name_en = "Shymkent City"
    region.save()
    assert "Shymkent City" in client.get("/en/regions/shymkent/").content.decode()


def test_shared_summaries_follow_changes_with_the_page_cache_off(client, settings):
    settings.PRESSROOM_PAGE_CACHE_SECONDS = 0
    article = published(title="Before", lead="First lead")
    assert titles(client.get("/en/releases/")) == ["Before"]
    article.title = "After"
    article.save()
    assert titles(client.get("/en/releases/")) == ["After"]
    article.agency.name_en = "Renamed agency"
    article.agency.save()
    assert "Renamed agency" in client.get("/en/releases/").content.decode()


def test_a_summary_is_shared_by_lists_of_one_language_only(client, settings):
    settings.PRESSROOM_PAGE_CACHE_SECONDS = 0
    published(title="Только по-русски", language="ru")
    english_list = client.get("/en/releases/").content.decode()
    russian_list = client.get("/ru/releases/").content.decode()
    # An English reader is told the release is in Russian; a Russian reader is not.
    assert 'class="language-note">Русский' in english_list
    assert "language-note" not in russian_list


def test_search_snippets_are_never_shared(client, settings):
    settings.PRESSROOM_PAGE_CACHE_SECONDS = 0
    published(title="Parks and roads", body="<p>New parks opened. Roads were repaired.</p>")
    first = client.get("/en/search/?q=parks").content.decode().lower()
    second = client.get("/en/search/?q=roads").content.decode().lower()
    assert "<mark>parks</mark>" in first
    assert "<mark>roads</mark>" in second
    assert "<mark>parks</mark>" not in second


def test_a_repeated_search_shows_a_changed_result_in_a_bounded_number_of_queries(
    client, settings, django_assert_max_num_queries
):
    settings.PRESSROOM_PAGE_CACHE_SECONDS = 0
    article = published(title="Parks", body="<p>New parks opened.</p>")
    assert "<mark>parks</mark>" in client.get("/en/search/?q=parks").content.decode().lower()
    # The form's region and agency choices, the candidates, then the page with its snippets.
    with django_assert_max_num_queries(4):
        again = client.get("/en/search/?q=parks").content.decode().lower()
    assert "<mark>parks</mark>" in again
    article.body = "<p>More parks opened.</p>"
    article.save()
    assert "more <mark>parks</mark>" in client.get("/en/search/?q=parks").content.decode().lower()


def test_the_filter_form_leaves_out_the_section_and_keeps_the_readers_values(client, settings):
    settings.PRESSROOM_PAGE_CACHE_SECONDS = 0
    article = published(region=seeded_region("KZ-75"))
    everything = client.get("/en/releases/").content.decode()
    region_page = client.get(f"/en/regions/{article.region.slug}/").content.decode()
    search = client.get("/en/search/").content.decode()
    assert 'name="region"' in everything
    assert 'name="region"' not in region_page  # the region page is the region filter
    assert '<details class="filters-box">' in everything
    assert '<details class="filters-box" open>' in search
    # A filtered list shows the reader's values and errors, and only its own.
    filtered = client.get("/en/releases/?tag=parks&date_from=nonsense").content.decode()
    assert 'value="parks"' in filtered
    assert "Enter a valid date." in filtered
    assert 'value="parks"' not in client.get("/en/releases/?before=1_1").content.decode()


@pytest.mark.parametrize("path", ["/en/regions/shymkent/", "/en/regions/shymkent/atom/"])
def test_a_district_moved_to_another_region_is_listed_there(client, path):
    district = DistrictFactory(parent=seeded_region("KZ-75"))
    published(title="In the district", region=district)
    assert "In the district" not in client.get(path).content.decode()  # page cached
    district.parent = seeded_region("KZ-79")
    district.save()  # now Shymkent's
    assert "In the district" in client.get(path).content.decode()


# --- every model a public page shows drops the cached pages -------------------------------


def a_public_site() -> list[str]:
    """A published story (Russian original, English machine translation) with a district,
    an agency, a tag, photos and a file, and the address of every public page that shows
    some of it."""
    from news.models import Translation

    district = DistrictFactory(parent=seeded_region("KZ-79"))
    agency = AgencyFactory(region=district.parent)
    original = published(title="Бюджет", language="ru", region=district, agency=agency)
    english = published(
        title="Budget",
        language="en",
        region=district,
        agency=agency,
        translation_group=original.translation_group,
    )
    Translation.objects.create(
        article=english,
        original=original,
        method=Translation.Method.ENGINE,
        engine="libretranslate",
        state=Translation.State.MACHINE,
        original_version=original.version,
    )
    for article in (original, english):
        article.tags.add("budget")
        LeadImage.objects.create(article=article, image=ImageFactory(agency=agency))
        GalleryImage.objects.create(article=article, image=ImageFactory(agency=agency))
        ArticleAttachment.objects.create(
            article=article, attachment=AttachmentFactory(agency=agency)
        )
    # The library holds media no release uses yet, which the audit can delete.
    ImageFactory(agency=agency)
    AttachmentFactory(agency=agency)
    day = english.release_date
    sections = [
        "/en/feeds/",
        f"/en/regions/{district.slug}/",
        f"/en/agencies/{agency.slug}/",
        "/en/tags/budget/",
    ]
    return [
        "/en/",
        "/en/releases/?tag=budget",
        "/en/search/?q=budget",
        f"/en/releases/{english.slug}/",
        "/en/regions/",
        "/en/agencies/",
        *sections[1:],
        *(f"{section}{feed_format}/" for section in sections for feed_format in ("atom", "rss")),
        "/en/feeds/atom/?q=budget",
        "/en/archive/",
        f"/en/archive/{day.year}/",
        f"/en/archive/{day.year}/{day.month}/",
        f"/en/archive/{day.year}/{day.month}/{day.day}/",
        "/en/statistics/",
        "/sitemap.xml",
        *(f"/sitemap-{name}.xml" for name in sitemaps),
        "/api/v1/articles",
        f"/api/v1/articles?q=budget&region={district.slug}",
        f"/api/v1/articles/{english.pk}",
        "/api/v1/regions",
        "/api/v1/agencies",
    ]


TABLE = re.compile(r'(?:FROM|JOIN)\s+"(\w+)"')


def models_read(client, paths) -> set:
    """The models whose tables the pages at `paths` read, each page rendered afresh."""
    by_table = {model._meta.db_table: model for model in apps.get_models()}
    found = set()
    for path in paths:
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200, path
        for query in queries.captured_queries:
            found.update(by_table[table] for table in TABLE.findall(query["sql"]))
    return found


def drops_cached_pages(model, change) -> bool:
    """Whether `change(instance)` of some stored `model` makes every cached page outdated;
    rolled back. Deletions try instances until one is not protected by another row."""
    for instance in model._default_manager.order_by("-pk"):
        try:
            with transaction.atomic():
                before = public_cache.generation()
                change(instance)
                bumped = public_cache.generation() > before
                raise transaction.TransactionManagementError("roll back")
        except (ProtectedError, RestrictedError):
            continue
        except transaction.TransactionManagementError:
            return bumped
    raise AssertionError(f"no {model.__name__} could be changed")


def test_the_audit_visits_every_cached_page_of_the_site():
    site = a_public_site()
    with translation.override("en"):
        visited = {resolve(path.partition("?")[0]).url_name for path in site}
    pages = {pattern.name for pattern in public_urls.urlpatterns} - {"article_preview"}
    answers = {pattern.name for pattern in api.urls[0]} - {
        "openapi-json",
        "openapi-view",
        "api-root",
    }
    sitemap_views = {"sitemap", "django.contrib.sitemaps.views.sitemap"}
    assert pages | answers | sitemap_views <= visited


def test_every_model_a_public_page_reads_drops_the_cached_pages(client):
    read = models_read(client, a_public_site())
    # Written by migrate only.
    read.discard(ContentType)
    assert {Article, Translation, Tag, TaggedItem, Agency, Region} <= read  # the audit works

    def save(instance):
        instance.save()

    def delete(instance):
        instance.delete()

    assert [model for model in read if not drops_cached_pages(model, save)] == []
    assert [model for model in read if not drops_cached_pages(model, delete)] == []


def test_reviewing_a_machine_translation_drops_its_cached_page(
    client, editor, django_capture_on_commit_callbacks
):
    from news.translation import service

    a_public_site()
    page = f"/en/releases/{Article.objects.get(language='en').slug}/"
    assert "translated by machine" in client.get(page).content.decode()
    english = Article.objects.get(language="en")
    with django_capture_on_commit_callbacks(execute=True):
        service.mark_reviewed(article=english, user=editor)
    assert "translated by machine" not in client.get(page).content.decode()


@pytest.mark.parametrize("change", ["edit of the translation", "edit of the original"])
def test_bulk_updates_of_translation_records_drop_the_cached_pages(
    change, django_capture_on_commit_callbacks
):
    from news.translation import group

    a_public_site()
    edited = Article.objects.get(language="en" if change == "edit of the translation" else "ru")
    edited.title = "Changed by a person"
    Article.objects.filter(pk=edited.pk).update(title=edited.title)  # as the admin saved it
    before = public_cache.generation()
    with django_capture_on_commit_callbacks(execute=True):
        group.record_edit(article=edited, changed_fields=["title"], user=None)
    assert public_cache.generation() > before
    record = Translation.objects.get()
    assert (record.state, record.outdated) == (
        ("edited", False) if change == "edit of the translation" else ("machine", True)
    )


# --- a query string adds entries only for what the page reads -----------------------------


@pytest.fixture(params=["locmem", pytest.param("redis", marks=pytest.mark.redis)])
def counted_cache(request, settings):
    """The cache, on local memory or a real Redis, and a function that counts its keys."""
    if request.param == "redis":
        settings.CACHES = {
            "default": {
                "BACKEND": "config.cache.ResilientRedisCache",
                "LOCATION": services.redis_url,
                "KEY_PREFIX": "pressroom-key-count-test",
            }
        }
    backend = caches["default"]
    backend.clear()

    def count() -> int:
        if request.param == "redis":
            return len(backend._cache.get_client().keys(backend.make_key("*")))
        return len(backend._cache)

    yield count
    backend.clear()


READERS_PAGES = [
    "/en/",
    "/en/releases/",
    "/en/releases/?tag=budget",
    "/en/search/?q=budget",
    "/en/regions/shymkent/",
    "/en/feeds/atom/",
    "/en/statistics/",
    "/api/v1/articles",
    "/sitemap-releases.xml",
]


def test_a_summary_is_stored_once_per_version_and_read_after(client, settings, counted_cache):
    settings.PRESSROOM_PAGE_CACHE_SECONDS = 0
    article = published(title="Before")
    assert titles(client.get("/en/releases/")) == ["Before"]
    stored = counted_cache()
    assert titles(client.get("/en/releases/")) == ["Before"]
    assert counted_cache() == stored  # the same version: read, not stored again
    article.title = "After"
    article.save()
    assert titles(client.get("/en/releases/")) == ["After"]
    assert counted_cache() == stored + 1  # the new version's; the old one expires


@pytest.mark.parametrize("page_cache", ["pages and summaries", "summaries only"])
def test_parameters_no_page_reads_add_no_cache_entries(client, settings, counted_cache, page_cache):
    if page_cache == "summaries only":
        settings.PRESSROOM_PAGE_CACHE_SECONDS = 0
    published(title="Budget", region=seeded_region("KZ-79")).tags.add("budget")
    pages = [*READERS_PAGES, f"/en/releases/{Article.objects.get().slug}/"]
    for page in pages:
        client.get(page)
    stored = counted_cache()

    for number in range(200):
        page = pages[number % len(pages)]
        separator = "&" if "?" in page else "?"
        response = client.get(f"{page}{separator}utm_source=mail{number}&fbclid={number}")
        assert response.status_code == 200
        assert f"mail{number}" not in response.content.decode()  # nor in its links

    assert counted_cache() == stored


def test_pages_of_different_filters_are_cached_apart_and_in_one_order(
    client, django_assert_num_queries
):
    published(title="English", language="en", agency=AgencyFactory(slug="finance"))
    published(title="Русский", language="ru", agency=AgencyFactory(slug="health"))
    assert titles(client.get("/en/releases/?language=en&agency=finance")) == ["English"]
    assert titles(client.get("/en/releases/?language=ru&agency=health")) == ["Русский"]
    assert titles(client.get("/en/releases/?language=ru")) == ["Русский"]
    assert sorted(titles(client.get("/en/releases/"))) == ["English", "Русский"]
    with django_assert_num_queries(0):
        # The same page: its parameters in another order, repeated (the last counts, as
        # for the form), empty or with spaces around them, and with ones it does not read.
        same = client.get("/en/releases/?agency=finance&q=&language=ru&language=+en+&utm=1")
        unfiltered = client.get("/en/releases/?region=&tag=&utm_source=x")
        assert titles(same) == ["English"]
        assert sorted(titles(unfiltered)) == ["English", "Русский"]


def test_invalid_filters_and_overlong_queries_are_served_but_not_cached(client, counted_cache):
    published(title="Budget")
    for page in ["/en/releases/", "/en/regions/shymkent/", "/en/statistics/"]:
        client.get(page)
    stored = counted_cache()
    invalid = [
        *(f"/en/releases/?date_from=nonsense{number}" for number in range(5)),
        *(f"/en/regions/shymkent/?date_from=2025-13-0{number}" for number in range(5)),
        *(f"/en/feeds/rss/?region=nowhere-{number}" for number in range(5)),
        *(f"/en/statistics/?weeks={number}" for number in range(5, 10)),
        *(f"/api/v1/articles?date_from=nonsense{number}" for number in range(5)),
    ]
    overlong = [
        *(f"/en/releases/?before=1_{number}{'0' * 1000}" for number in range(1, 6)),
        *(f"/en/search/?q=budget&page={'0' * 1000}{number}" for number in range(1, 6)),
    ]
    for page in invalid + overlong:
        client.get(page)

    assert counted_cache() == stored
    assert "Enter a valid date." in client.get("/en/releases/?date_from=nonsense").content.decode()
    assert "Select a valid choice." in client.get("/en/statistics/?weeks=5").content.decode()
    assert titles(client.get(f"/en/search/?q=budget&page={'0' * 1000}1")) == ["Budget"]


def test_every_parameter_a_page_reads_is_in_the_cache_key():
    from public.api import ArticleFilters
    from public.filters import PublicArticleFilter
    from public.pagination import CURSOR_PARAMETERS
    from public.stats import WeeksForm

    read = {
        *PublicArticleFilter.base_filters,
        *CURSOR_PARAMETERS,
        *ArticleFilters.model_fields,
        *WeeksForm.base_fields,
        "p",  # a sitemap's page
    }
    assert read == public_cache.PAGE_PARAMETERS
