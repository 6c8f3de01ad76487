import re
import uuid
from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from media_library.models import ArticleAttachment, GalleryImage, LeadImage
from news.models import Article

from ..factories import (
    AgencyFactory,
    AttachmentFactory,
    DistrictFactory,
    ImageFactory,
    UserFactory,
    seeded_region,
)
from ..news.helpers import article_in
from .pages import published, titles, titles_in

Status = Article.Status
pytestmark = pytest.mark.django_db


def story(**languages) -> dict[str, Article]:
    """Published versions of one story, keyed by language, sharing a translation group."""
    group = uuid.uuid4()
    agency = AgencyFactory()
    return {
        code: published(title=title, language=code, translation_group=group, agency=agency)
        for code, title in languages.items()
    }


@pytest.fixture
def district(db):
    return DistrictFactory(slug="abai-district-shymkent", name_en="Abai District")


class TestLanguage:
    def test_root_redirects_to_the_visitors_language(self, client):
        response = client.get("/", headers={"accept-language": "ru-RU,ru;q=0.9"})
        assert response.status_code == 302
        assert response["Location"] == "/ru/"

    def test_lists_show_one_version_per_story_preferring_the_readers_language(self, client):
        both = story(en="Budget adopted", ru="Бюджет принят")
        only_ru = story(ru="Только по-русски")
        assert titles(client.get("/en/releases/")) == ["Только по-русски", "Budget adopted"]
        assert titles(client.get("/ru/releases/")) == ["Только по-русски", "Бюджет принят"]
        # No Kazakh version: Kazakh readers get the Russian one, the first fallback.
        assert titles(client.get("/kk/releases/")) == ["Только по-русски", "Бюджет принят"]
        # Each title leads to the version shown, in its own language.
        links = re.findall(
            r'class="summary-title"><a href="/kk/releases/([^/"]+)/" lang="(\w+)"',
            client.get("/kk/releases/").content.decode(),
        )
        assert links == [(only_ru["ru"].slug, "ru"), (both["ru"].slug, "ru")]

    def test_fallback_prefers_the_second_state_language_over_english(self, client):
        story(en="Water project", ru="Водный проект")
        assert titles(client.get("/kk/releases/")) == ["Водный проект"]
        story(en="English and Kazakh", kk="Ағылшын және қазақ")
        assert "Ағылшын және қазақ" in titles(client.get("/ru/releases/"))
        assert "English and Kazakh" not in titles(client.get("/ru/releases/"))

    def test_a_draft_translation_does_not_hide_the_published_fallback(self, client):
        versions = story(ru="Опубликовано")
        article_in(Status.DRAFT, language="en", translation_group=versions["ru"].translation_group)
        assert titles(client.get("/en/releases/")) == ["Опубликовано"]

    def test_switcher_on_a_release_leads_to_its_versions_or_the_home_page(self, client):
        versions = story(en="Roads repaired", ru="Дороги отремонтированы")
        html = client.get(f"/en/releases/{versions['en'].slug}/").content.decode()
        assert f'<a href="/ru/releases/{versions["ru"].slug}/" hreflang="ru"' in html
        assert '<a href="/kk/" hreflang="kk"' in html  # no Kazakh version
        assert f'hreflang="ru" href="http://testserver/ru/releases/{versions["ru"].slug}/"' in html
        assert 'rel="alternate" hreflang="kk"' not in html
        assert 'hreflang="x-default"' not in html  # a release exists in its languages only

    def test_switcher_on_a_list_keeps_the_page_and_its_filters(self, client, agency):
        html = client.get(f"/en/agencies/{agency.slug}/?language=ru").content.decode()
        assert f'<a href="/kk/agencies/{agency.slug}/?language=ru" hreflang="kk"' in html
        x_default = f"http://testserver/agencies/{agency.slug}/?language=ru"
        assert f'<link rel="alternate" hreflang="x-default" href="{x_default}">' in html

    def test_a_release_read_under_another_language_has_its_own_canonical_url(self, client):
        article = published(title="Canonical", language="en")
        html = client.get(f"/ru/releases/{article.slug}/").content.decode()
        canonical = f"http://testserver/en/releases/{article.slug}/"
        assert f'<link rel="canonical" href="{canonical}">' in html
        assert '<html lang="ru">' in html
        assert '<h1 lang="en">Canonical</h1>' in html


class TestHome:
    def test_latest_releases_and_latest_per_region(self, client, district):
        national = AgencyFactory(slug="mfa-test", region=None, name_en="Foreign Ministry")
        shymkent = AgencyFactory(region=seeded_region("KZ-79"))
        astana = AgencyFactory(region=seeded_region("KZ-71"))
        published(title="National news", agency=national)
        for day in range(4):
            published(
                title=f"Shymkent {day}",
                agency=shymkent,
                published_at=timezone.now() - timedelta(days=day + 1),
            )
        published(title="District news", agency=shymkent, region=district)
        published(title="Astana news", agency=astana)
        article_in(Status.DRAFT, title="Draft news", agency=astana)

        html = client.get("/en/").content.decode()

        assert "Draft news" not in html
        sections = re.findall(r'<h3 id="region-([\w-]+)">', html)
        assert sections == ["kazakhstan", "astana", "shymkent"]
        shymkent_block = html.split('id="region-shymkent"')[1]
        # The district's release counts for its city; only the latest three are shown.
        assert re.findall(r">(District news|Shymkent \d)</a>", shymkent_block) == [
            "District news",
            "Shymkent 0",
            "Shymkent 1",
        ]

    def test_regions_list_the_last_thirty_days_only(self, client):
        astana = AgencyFactory(region=seeded_region("KZ-71"))
        month_ago = timezone.now() - timedelta(days=31)
        published(title="Old Astana news", agency=astana, published_at=month_ago)
        published(title="Recent Shymkent news")
        html = client.get("/en/").content.decode()
        assert re.findall(r'<h3 id="region-([\w-]+)">', html) == ["shymkent"]
        assert "Old Astana news" in html  # still among the latest releases

    def test_query_count_does_not_grow_with_releases_or_regions(
        self, client, django_assert_max_num_queries
    ):
        for iso in ("KZ-79", "KZ-71", "KZ-75", "KZ-11", "KZ-35"):
            agency = AgencyFactory(region=seeded_region(iso))
            for _ in range(4):
                published(agency=agency).tags.add("economy", "energy")
        published(agency=AgencyFactory(region=None))
        # Latest, per-region, the regions, and when the next embargo lifts (for the cache);
        # the home page shows no tags.
        with django_assert_max_num_queries(4):
            response = client.get("/en/")
        assert len(titles(response)) == 10


class TestSections:
    def test_region_includes_its_districts_and_only_them(self, client, district):
        shymkent = AgencyFactory(region=seeded_region("KZ-79"))
        published(title="City release", agency=shymkent)
        published(title="District release", agency=shymkent, region=district)
        published(title="Astana release", agency=AgencyFactory(region=seeded_region("KZ-71")))

        response = client.get("/en/regions/shymkent/")

        assert sorted(titles(response)) == ["City release", "District release"]
        assert "<h1>Shymkent</h1>" in response.content.decode()
        assert 'href="/en/regions/abai-district-shymkent/"' in response.content.decode()
        assert titles(client.get("/en/regions/abai-district-shymkent/")) == ["District release"]

    def test_national_section_holds_bodies_without_a_region(self, client):
        ministry = AgencyFactory(region=None)
        published(title="Ministry release", agency=ministry)
        published(title="Country release", region=seeded_region("KZ"))
        published(title="City release")

        response = client.get("/en/regions/kazakhstan/")

        assert sorted(titles(response)) == ["Country release", "Ministry release"]
        assert "<h1>National government</h1>" in response.content.decode()

    def test_agency_page(self, client, agency, other_agency):
        published(title="Ours", agency=agency)
        published(title="Theirs", agency=other_agency)
        response = client.get(f"/en/agencies/{agency.slug}/")
        assert titles(response) == ["Ours"]
        assert "<h1>Agency A</h1>" in response.content.decode()

    def test_tag_page_with_a_cyrillic_tag(self, client):
        published(title="Tagged").tags.add("образование")
        published(title="Untagged")
        response = client.get("/ru/tags/образование/")
        assert titles(response) == ["Tagged"]
        assert "образование" in response.content.decode()

    def test_unknown_sections_are_404(self, client):
        response = client.get("/en/regions/atlantis/")
        assert response.status_code == 404
        assert "<h1>Page not found</h1>" in response.content.decode()
        assert '<html lang="ru">' in client.get("/ru/regions/atlantis/").content.decode()
        assert client.get("/en/agencies/nobody/").status_code == 404
        assert client.get("/en/tags/nothing/").status_code == 404

    def test_date_archive_by_year_month_and_day(self, client):
        published(title="Spring", release_date=date(2025, 3, 10))
        published(title="Spring later", release_date=date(2025, 3, 11))
        published(title="Winter", release_date=date(2024, 12, 31))

        assert sorted(titles(client.get("/en/archive/2025/"))) == ["Spring", "Spring later"]
        assert sorted(titles(client.get("/en/archive/2025/3/"))) == ["Spring", "Spring later"]
        assert titles(client.get("/en/archive/2025/3/10/")) == ["Spring"]
        assert titles(client.get("/en/archive/2024/12/")) == ["Winter"]
        assert client.get("/en/archive/2025/2/30/").status_code == 404
        assert client.get("/en/archive/2025/13/").status_code == 404

    @pytest.mark.parametrize(
        "path",
        [
            "/en/archive/99999999999999999999/",
            "/en/archive/2025/99999999999999999999/",
            "/en/archive/2025/3/99999999999999999999/",
            "/en/archive/%D9%A2%D9%A0%D9%A2%D9%A5/",  # 2025 in Arabic-Indic digits
            "/en/archive/0/",
        ],
    )
    def test_a_date_no_calendar_has_is_a_missing_page(self, client, path):
        response = client.get(path)

        assert response.status_code == 404
        assert "There is no public page at this address." in response.content.decode()

    def test_a_preview_of_an_id_past_every_article_is_a_missing_page(self, client, editor):
        client.force_login(editor)

        assert client.get("/en/preview/99999999999999999999/").status_code == 404

    def test_lists_narrowed_by_release_date_show_the_newest_release_first(self, client):
        now = timezone.now()
        # Published in the opposite order of their release dates.
        for hours, day in enumerate([10, 11, 12], start=1):
            published(
                title=f"March {day}",
                release_date=date(2025, 3, day),
                published_at=now - timedelta(hours=hours),
            )
        expected = ["March 12", "March 11", "March 10"]
        assert titles(client.get("/en/archive/2025/3/")) == expected
        assert titles(client.get("/en/releases/?date_from=2025-03-01")) == expected
        # Otherwise the newest publication comes first.
        assert titles(client.get("/en/releases/"))[0] == "March 10"

    def test_archive_index_lists_months_with_releases(self, client):
        published(release_date=date(2025, 3, 10))
        article_in(Status.DRAFT, release_date=date(2023, 1, 5))
        html = client.get("/en/archive/").content.decode()
        assert 'href="/en/archive/2025/3/">March</a>' in html
        assert "2023" not in html

    def test_region_and_agency_indexes(self, client, agency):
        regions = client.get("/ru/regions/").content.decode()
        assert 'href="/ru/regions/shymkent/">Шымкент</a>' in regions
        assert 'href="/ru/regions/kazakhstan/">' in regions
        agencies = client.get("/ru/agencies/").content.decode()
        assert f'href="/ru/agencies/{agency.slug}/"' in agencies

    # With nothing cached: the page's releases, then the articles of their summaries (lists
    # show no tags; a filtered list reads both at once), the next embargo (for the page
    # cache), the filter form's regions and agencies, and the section's own rows.
    @pytest.mark.parametrize(
        ("url", "queries"),
        [
            ("/en/releases/", 5),
            ("/en/regions/shymkent/", 7),  # the region and its parent, its districts
            ("/en/archive/2026/", 5),
            ("/en/tags/energy/", 6),  # the tag
            ("/en/releases/?tag=energy&language=en&date_from=2026-01-01", 4),
        ],
    )
    def test_list_query_count_does_not_grow_with_the_page(
        self, client, url, queries, django_assert_max_num_queries
    ):
        agency = AgencyFactory(region=seeded_region("KZ-79"))
        for _ in range(25):
            published(agency=agency, release_date=date(2026, 5, 1)).tags.add("energy", "water")
        with django_assert_max_num_queries(queries):
            response = client.get(url)
        assert len(titles(response)) == 20


class TestVisibility:
    @pytest.mark.parametrize(
        "status",
        [
            Status.DRAFT,
            Status.IN_REVIEW,
            Status.CHANGES_REQUESTED,
            Status.APPROVED,
            Status.SCHEDULED,
            Status.UNPUBLISHED,
            Status.ARCHIVED,
        ],
    )
    def test_unpublished_states_are_404_and_absent_from_lists(self, client, status):
        article = article_in(status, title="Not for the public")
        assert client.get(f"/en/releases/{article.slug}/").status_code == 404
        assert "Not for the public" not in client.get("/en/releases/").content.decode()

    def test_an_embargo_lifts_at_its_time_before_the_status_flips(self, client):
        article = article_in(
            Status.SCHEDULED, title="Embargo over", publish_at=timezone.now() - timedelta(minutes=1)
        )
        assert client.get(f"/en/releases/{article.slug}/").status_code == 200
        assert titles(client.get("/en/releases/")) == ["Embargo over"]


class TestArticlePage:
    def test_shows_facts_versions_related_and_meta(self, client, agency):
        group = uuid.uuid4()
        article = published(
            title="Park opened",
            lead="Twelve hectares of green.",
            body="<p>The akimat opened a park.</p>",
            agency=agency,
            release_date=date(2026, 6, 1),
            source_url="https://www.gov.kz/memleket/entities/shymkent/press/news/details/1",
            attribution="Press service of the akimat",
            translation_group=group,
        )
        article.tags.add("parks")
        russian = published(title="Парк открыт", language="ru", translation_group=group)
        same_tag = published(title="Another park", agency=AgencyFactory(region=None))
        same_tag.tags.add("parks")
        unrelated = published(title="Unrelated", agency=AgencyFactory(region=None))

        html = client.get(f"/en/releases/{article.slug}/").content.decode()

        assert '<h1 lang="en">Park opened</h1>' in html
        assert "<p>The akimat opened a park.</p>" in html
        assert f'href="/en/agencies/{agency.slug}/">Agency A</a>' in html
        assert 'href="/en/regions/shymkent/">Shymkent</a>' in html
        assert 'href="/en/tags/parks/" rel="tag">parks</a>' in html
        assert '<time datetime="2026-06-01">' in html
        assert 'href="/en/archive/2026/6/1/"' in html
        assert 'href="https://www.gov.kz/memleket/entities/shymkent/press/news/details/1"' in html
        version = f'href="/en/releases/{russian.slug}/" hreflang="ru" lang="ru">Парк открыт</a>'
        assert version in html
        related = html.split('id="related-heading"')[1]
        assert "Another park" in related
        assert "Unrelated" not in related
        assert "Парк открыт" not in related  # a version of the same story is not "related"
        assert '<meta property="og:title" content="Park opened">' in html
        assert '<meta property="og:type" content="article">' in html
        assert '<meta property="og:locale" content="en_US">' in html
        assert '<meta property="og:locale:alternate" content="ru_RU">' in html
        assert '<meta name="twitter:card" content="summary">' in html
        assert '<meta property="article:tag" content="parks">' in html
        assert f"/releases/{unrelated.slug}/" not in html

    def test_a_district_release_names_its_region_too(self, client, district):
        article = published(region=district)
        html = client.get(f"/en/releases/{article.slug}/").content.decode()
        assert 'href="/en/regions/abai-district-shymkent/">Abai District</a>,' in html
        assert 'href="/en/regions/shymkent/">Shymkent</a>' in html

    def test_an_untagged_release_is_related_by_agency_and_region(self, client, agency):
        article = published(title="Untagged", agency=agency)
        published(title="Same agency", agency=agency)
        published(title="Same region", region=article.region)
        published(title="Elsewhere", agency=AgencyFactory(region=seeded_region("KZ-71")))
        html = client.get(f"/en/releases/{article.slug}/").content.decode()
        related = titles_in(html.split('id="related-heading"')[1])
        assert sorted(related) == ["Same agency", "Same region"]

    def test_query_count(self, client, django_assert_max_num_queries):
        article = published()
        article.tags.add("a", "b", "c")
        for _ in range(5):
            published(agency=article.agency).tags.add("a", "b")
        # Article (with its lead photo), tags, gallery, files, versions, the newest releases
        # of the agency, the region and the tags (each bounded), the related ones among them
        # (shown without tags), next embargo.
        with django_assert_max_num_queries(10):
            assert client.get(f"/en/releases/{article.slug}/").status_code == 200


class TestPreview:
    def test_editor_sees_a_draft_with_a_banner(self, client, editor, draft):
        client.force_login(editor)
        response = client.get(f"/en/preview/{draft.pk}/")
        html = response.content.decode()
        assert "this release is draft and not public" in html
        assert f'<h1 lang="en">{draft.title}</h1>' in html
        assert '<meta name="robots" content="noindex, nofollow">' in html
        assert response["Cache-Control"] == "private, no-store"

    def test_anonymous_readers_are_sent_to_log_in(self, client, draft):
        response = client.get(f"/en/preview/{draft.pk}/")
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")

    def test_officers_of_other_agencies_and_non_staff_get_404(
        self, client, draft, other_officer, press_officer
    ):
        client.force_login(other_officer)
        assert client.get(f"/en/preview/{draft.pk}/").status_code == 404
        client.force_login(UserFactory(username="reader", is_staff=False, is_superuser=True))
        assert client.get(f"/en/preview/{draft.pk}/").status_code == 404
        client.force_login(press_officer)
        assert client.get(f"/en/preview/{draft.pk}/").status_code == 200


class TestPagination:
    def test_pages_follow_each_other_without_gaps_or_repeats(self, client):
        same_time = timezone.now() - timedelta(hours=1)
        created = [published(title=f"Release {n:02}", published_at=same_time) for n in range(45)]
        expected = [article.title for article in reversed(created)]

        seen, url = [], "/en/releases/"
        while url:
            html = client.get(url).content.decode()
            seen += titles_in(html)
            found = re.search(r'rel="next" href="\?([^"]+)"', html)
            url = f"/en/releases/?{found.group(1).replace('&amp;', '&')}" if found else None
        assert seen == expected

        # Back from the last page: the previous page is the 20 before it.
        previous = re.search(r'rel="prev" href="\?([^"]+)"', html).group(1)
        back = client.get(f"/en/releases/?{previous.replace('&amp;', '&')}")
        assert titles(back) == expected[20:40]

    def test_a_malformed_cursor_is_404(self, client):
        assert client.get("/en/releases/?before=yesterday").status_code == 404


def test_robots_txt_points_at_the_sitemap(client):
    response = client.get("/robots.txt")
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Disallow: /en/preview/" in lines
    assert response["Content-Type"].startswith("text/plain")


def test_favicon_ico_leads_to_the_sites_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("favicon.svg")


def test_filter_forms_submit_to_their_own_page_without_an_empty_action(client):
    for path in ("/en/releases/", "/en/statistics/"):
        html = client.get(path).content.decode()
        assert 'class="filters"' in html
        assert 'action=""' not in html


class TestFiltersAndSearch:
    def test_a_chosen_language_overrides_the_one_version_per_story(self, client):
        story(en="Budget adopted", ru="Бюджет принят")
        assert titles(client.get("/en/releases/?language=ru")) == ["Бюджет принят"]
        assert titles(client.get("/en/releases/?language=kk")) == []

    def test_filters_narrow_a_section_and_its_form_leaves_out_the_section(self, client, agency):
        published(title="Parks", agency=agency).tags.add("parks")
        published(title="Roads", agency=agency).tags.add("roads")
        published(title="Elsewhere parks", agency=AgencyFactory()).tags.add("parks")

        response = client.get(f"/en/agencies/{agency.slug}/?tag=parks")

        assert titles(response) == ["Parks"]
        html = response.content.decode()
        assert '<label for="id_tag">Tag</label>' in html
        assert 'name="agency"' not in html
        assert 'name="region"' in html
        assert f'href="/en/agencies/{agency.slug}/atom/?tag=parks"' in html

    def test_pagination_keeps_the_filters(self, client):
        for _ in range(25):
            published().tags.add("energy")
        published(title="Untagged")
        html = client.get("/en/releases/?tag=energy&region=&q=").content.decode()
        next_query = re.search(r'rel="next" href="\?([^"]+)"', html).group(1)
        assert next_query.startswith("tag=energy&amp;before=")  # empty fields dropped
        following = client.get(f"/en/releases/?{next_query.replace('&amp;', '&')}")
        assert len(titles(following)) == 5
        assert "Untagged" not in titles(following)

    def test_an_invalid_date_range_is_reported_and_ignored(self, client):
        published(title="Kept", release_date=date(2026, 3, 1))
        response = client.get("/en/releases/?date_from=2026-05-01&date_to=2026-01-01")
        assert "The end date is before the start date." in response.content.decode()
        assert titles(response) == []  # the valid start date still applies

    @pytest.mark.postgres
    def test_search_shows_highlighted_snippets_in_every_language(self, client):
        story(en="Water pipes replaced", ru="Водопровод заменён")
        published(title="Road news", body="<p>Nothing about it.</p>")
        published(title="Irrigation", body="<p>New water channels for farmers.</p>")

        html = client.get("/en/search/?q=water").content.decode()

        found = titles_in(html)
        assert sorted(found) == ["Irrigation", "Water pipes replaced"]
        assert "<mark>water</mark>" in html.lower()
        assert 'href="/en/feeds/atom/?q=water"' in html

    def test_the_search_page_lists_nothing_until_asked(self, client):
        published(title="Something")
        html = client.get("/en/search/").content.decode()
        assert titles_in(html) == []
        assert '<label for="id_q">Search</label>' in html
        assert titles(client.get("/en/search/?q=&language=en")) == ["Something"]

    def test_search_results_have_a_bounded_number_of_pages(self, client):
        for n in range(25):
            published(title=f"Harvest report {n}")
        html = client.get("/en/search/?q=harvest").content.decode()
        assert len(titles_in(html)) == 20
        assert 'rel="next" href="?q=harvest&amp;page=2"' in html
        assert len(titles(client.get("/en/search/?q=harvest&page=2"))) == 5
        assert client.get("/en/search/?q=harvest&page=11").status_code == 404


def test_pages_answer_head_requests(client):
    article = published()
    for url in ("/en/", "/en/regions/", f"/en/releases/{article.slug}/", "/robots.txt"):
        response = client.head(url)
        assert response.status_code == 200, url
        assert response.content == b""


@pytest.mark.parametrize(
    ("state", "notice_shown"),
    [("machine", True), ("edited", True), ("reviewed", False)],
)
def test_a_release_says_when_it_was_machine_translated_and_not_reviewed(
    client, state, notice_shown
):
    from news.models import Translation

    versions = story(ru="Бюджет принят", en="Budget adopted")
    Translation.objects.create(
        article=versions["en"],
        original=versions["ru"],
        method=Translation.Method.ENGINE,
        engine="libretranslate",
        state=state,
        original_version=versions["ru"].version,
    )
    page = client.get(versions["en"].get_absolute_url().replace("/ru/", "/en/")).content.decode()
    assert ("translated by machine" in page) is notice_shown
    original = client.get(f"/ru/releases/{versions['ru'].slug}/").content.decode()
    assert "machine-translation" not in original


def with_photos(article):
    """A lead photo, a gallery of two and a PDF for `article`, owned by its agency."""
    lead = ImageFactory(
        agency=article.agency, caption_en="The new park", credit="A. Seitkali", width=2000
    )
    LeadImage.objects.create(article=article, image=lead)
    gallery = [ImageFactory(agency=article.agency, alt_en=f"View {n}") for n in (1, 2)]
    for position, image in enumerate(gallery):
        GalleryImage.objects.create(article=article, image=image, position=position)
    document = AttachmentFactory(agency=article.agency, title_en="Park plan")
    ArticleAttachment.objects.create(article=article, attachment=document)
    return lead, gallery, document


class TestReleasePhotos:
    def test_the_release_page_shows_its_photos_and_files(self, client):
        article = published(title="Park opened")
        lead, _gallery, document = with_photos(article)

        html = client.get(f"/en/releases/{article.slug}/").content.decode()

        lead_figure = html.split('class="photo lead-photo"')[1].split("</figure>")[0]
        base = f"/files/images/{lead.key}"
        assert (
            f'<source type="image/webp" srcset="{base}/w480.webp 480w, {base}/w800.webp 800w, '
            f'{base}/w1200.webp 1200w, {base}/w1600.webp 1600w" sizes="(min-width: 46rem) 44rem,'
            ' 100vw">' in lead_figure
        )
        assert f'<img src="{base}/w800.jpeg" srcset="{base}/w480.jpeg 480w' in lead_figure
        # The height follows the original's proportions (2000×1200), so nothing moves.
        assert 'width="800" height="480" alt="The akim meets residents" lang="en"' in lead_figure
        assert 'fetchpriority="high"' in lead_figure and "loading=" not in lead_figure
        assert '<span lang="en">The new park</span>' in lead_figure
        assert '<span class="credit">Photo: A. Seitkali</span>' in lead_figure
        photos = html.split('id="gallery-heading"')[1].split("</section>")[0]
        assert photos.count('loading="lazy"') == 2
        assert photos.index('alt="View 1"') < photos.index('alt="View 2"')
        files = html.split('id="attachments-heading"')[1].split("</section>")[0]
        assert f'href="/files/documents/{document.key}/park-plan.pdf" download>Park plan</a>' in (
            files
        )
        assert "PDF, 240.0\xa0KB, 3 pages" in files
        social = f"http://testserver{base}/social.jpeg"
        assert f'<meta property="og:image" content="{social}">' in html
        assert '<meta property="og:image:width" content="1200">' in html
        assert '<meta property="og:image:height" content="630">' in html
        assert '<meta property="og:image:alt" content="The akim meets residents">' in html
        assert '<meta name="twitter:card" content="summary_large_image">' in html

    def test_a_small_original_is_never_enlarged(self, client):
        article = published()
        LeadImage.objects.create(
            article=article, image=ImageFactory(agency=article.agency, width=700, height=500)
        )
        html = client.get(f"/en/releases/{article.slug}/").content.decode()
        assert "w480.webp 480w" in html and "w800" not in html.split("<img")[1].split("srcset")[1]

    def test_lists_show_a_decorative_thumbnail(self, client):
        article = published(title="Park opened")
        lead, _gallery, _document = with_photos(article)
        published(title="No photo", agency=article.agency)

        html = client.get("/en/releases/").content.decode()

        base = f"/files/images/{lead.key}"
        thumbnail = html.split('class="summary-photo"')[1].split("</a>")[0]
        assert f'<source type="image/webp" srcset="{base}/list.webp">' in thumbnail
        assert f'<img src="{base}/list.jpeg" width="640" height="360" alt=""' in thumbnail
        assert html.count('class="summary-photo"') == 1

    def test_a_changed_lead_photo_shows_in_cached_summaries(self, client):
        article = published(title="Park opened")
        client.get("/en/releases/")
        photo = ImageFactory(agency=article.agency)
        LeadImage.objects.create(article=article, image=photo)
        assert (
            f"/files/images/{photo.key}/list.jpeg" in client.get("/en/releases/").content.decode()
        )

    def test_photo_files_are_public_only_once_the_release_is(
        self, client, settings, tmp_path, editor
    ):
        settings.MEDIA_ROOT = str(tmp_path)
        draft = article_in(Article.Status.DRAFT, title="Embargoed")
        photo = ImageFactory(agency=draft.agency)
        (tmp_path / "images").mkdir()
        (tmp_path / photo.file.name).write_bytes(b"\xff\xd8 original")
        LeadImage.objects.create(article=draft, image=photo)
        staff = Client()
        staff.force_login(editor)
        preview = staff.get(f"/en/preview/{draft.pk}/").content.decode()
        card = re.search(r'og:image" content="http://testserver([^"]+)"', preview)[1]
        thumbnail = re.search(r'<img src="([^"]+)"', preview)[1]

        for address in (card, thumbnail):
            assert client.get(address).status_code == 404

        draft.status = Article.Status.PUBLISHED
        draft.published_at = timezone.now()
        draft.save()
        for address in (card, thumbnail):
            response = client.get(address)
            # No rendition made yet: the original stands in, as its own type.
            assert response.status_code == 200
            assert b"".join(response.streaming_content) == b"\xff\xd8 original"
            assert response["Content-Type"] == "image/jpeg"
