"""The admin's lists refuse filter values they would misread (config.admin)."""

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from config.admin import StrictFilterChangeList, filter_value_is_usable
from news.models import Article

from ..factories import AgencyFactory, ArticleFactory

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@pytest.mark.parametrize(
    ("lookup", "value", "usable"),
    [
        ("agency__id__exact", "3", True),
        ("agency__id__exact", "٣", False),
        ("agency__id__exact", "²", False),
        ("agency__id__exact", "99999999999999999999", False),
        ("agency", "3", True),
        ("agency", "٣", False),
        ("pk__in", "1,2", True),
        ("id__in", "1,٢", False),
        ("agency__isnull", "True", True),
        ("status__exact", "draft", True),
        ("flags__code__exact", "empty_body", True),
        ("release_date__gte", "2025-03-01", True),
        ("release_date__gte", "٢٠٢٥-03-01", False),
        ("version__gte", "-1", True),
        ("title__icontains", "м²", True),  # text, not a number
        ("language__exact", "٣", True),  # a choice: it matches none, which the list shows
    ],
)
def test_a_filter_value_is_usable_when_it_writes_numbers_in_ascii_digits(lookup, value, usable):
    assert filter_value_is_usable(Article, lookup, value) is usable


@pytest.mark.django_db
def test_the_article_list_refuses_an_agency_id_in_other_digits(editor):
    wanted, other = AgencyFactory(), AgencyFactory()
    ArticleFactory(agency=wanted, title="Wanted")
    ArticleFactory(agency=other, title="Other")
    client = Client()
    client.force_login(editor)
    changelist = reverse("admin:news_article_changelist")

    ascii_filter = client.get(changelist, {"agency__id__exact": wanted.pk})
    assert [str(a) for a in ascii_filter.context["cl"].result_list] == ["Wanted"]

    for value in [str(wanted.pk).translate(ARABIC_INDIC), "²", "99999999999999999999"]:
        response = client.get(changelist, {"agency__id__exact": value})
        # The admin's own answer to a filter it cannot use: the whole list, flagged.
        assert response.status_code == 302, value
        assert response["Location"] == f"{changelist}?e=1"


@pytest.mark.django_db
def test_the_press_officers_agency_filter_refuses_other_digits(press_officer, agency):
    ArticleFactory(agency=agency, title="Ours")
    client = Client()
    client.force_login(press_officer)
    changelist = reverse("admin:news_article_changelist")

    assert client.get(changelist, {"agency__id__exact": agency.pk}).status_code == 200
    arabic = str(agency.pk).translate(ARABIC_INDIC)
    assert client.get(changelist, {"agency__id__exact": arabic}).status_code == 302
    assert client.get(changelist, {"agency": "²"}).status_code == 302


@pytest.mark.django_db
def test_other_lists_refuse_other_digits_too(administrator, agency):
    client = Client()
    client.force_login(administrator)
    agencies = reverse("admin:agencies_agency_changelist")
    region = str(agency.region_id).translate(ARABIC_INDIC)

    assert client.get(agencies, {"region__id__exact": agency.region_id}).status_code == 200
    assert client.get(agencies, {"region__id__exact": region}).status_code == 302


def test_every_registered_list_refuses_filter_values_it_would_misread(administrator):
    """Apps' own admins and Django's get the strict filters from the site, not by hand."""
    client = Client()
    client.force_login(administrator)
    for model, model_admin in admin.site._registry.items():
        assert model_admin.get_changelist(None) is StrictFilterChangeList, model
    # A 20-digit id overflowed SQLite's integer when an app's admin lacked the strict filter.
    photos = reverse("admin:media_library_image_changelist")
    assert client.get(photos, {"agency": "9" * 20}).status_code == 302


# --- the admin home (PressroomAdminSite.index over news.desk) ------------------------------


def home_page(user, language="en") -> str:
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = language
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return response.content.decode()


def desk_articles(count: int, *, agency, editor, officer):
    """`count` releases in every state the home shows, each with the steps it would have."""
    from datetime import timedelta

    from django.utils import timezone

    from news.models import ArticleFlag, ArticleTransition, ImportRun, TranslationJob

    now = timezone.now()
    for n in range(count):
        returned = ArticleFactory(agency=agency, status="changes_requested", author=officer)
        ArticleTransition.objects.create(
            article=returned, name="request_changes", from_status="in_review",
            to_status="changes_requested", actor=editor, comment=f"Reason {n}",
        )  # fmt: skip
        ArticleFactory(agency=agency, status="draft")
        review = ArticleFactory(agency=agency, status="in_review")
        ArticleTransition.objects.create(
            article=review, name="submit", from_status="draft", to_status="in_review",
            actor=officer, created_at=now - timedelta(hours=n + 1),
        )  # fmt: skip
        ArticleFlag.objects.create(article=review, code="empty_body")
        ArticleFactory(agency=agency, status="scheduled", publish_at=now + timedelta(hours=n + 1))
        published = ArticleFactory(
            agency=agency, status="published", published_at=now - timedelta(hours=n + 1)
        )
        TranslationJob.objects.create(original=published, language="kk", status="needs_person")
        ImportRun.objects.create(input_name=f"feed-{n}.xml", status=ImportRun.Status.FAILED)


@pytest.mark.django_db
def test_the_officers_home_puts_the_reason_for_changes_first(press_officer, editor, agency):
    from news.models import ArticleTransition

    returned = ArticleFactory(agency=agency, status="changes_requested", title="Roads repaired")
    ArticleTransition.objects.create(
        article=returned, name="request_changes", from_status="in_review",
        to_status="changes_requested", actor=editor, comment="Name the contractor.",
    )  # fmt: skip
    ArticleFactory(agency=agency, status="draft", title="A draft of ours")

    page = home_page(press_officer, "ru")

    assert 'id="desk-officer"' in page
    assert 'id="desk-editor"' not in page
    returned_block = page[page.index('id="officer-returned"') : page.index('id="officer-drafts"')]
    assert "Возвращены вам на доработку" in returned_block
    assert "Roads repaired" in returned_block
    assert "Name the contractor." in returned_block
    assert "editor запросил(а) изменения" in returned_block
    assert "A draft of ours" in page
    assert reverse("admin:news_article_calendar") in page
    assert 'id="content-related"' not in page  # the blocks take the page's width


@pytest.mark.django_db
def test_the_editors_home_shows_the_queue_with_waits_and_keeps_the_sections(editor, agency):
    from datetime import timedelta

    from django.utils import timezone

    from news.models import ArticleTransition

    waiting = ArticleFactory(agency=agency, status="in_review", title="Waiting since Monday")
    ArticleTransition.objects.create(
        article=waiting, name="submit", from_status="draft", to_status="in_review",
        created_at=timezone.now() - timedelta(days=2, hours=3),
    )  # fmt: skip

    page = home_page(editor)

    queue = page[page.index('id="editor-review_queue"') : page.index('id="editor-flagged"')]
    assert "Waiting since Monday" in queue
    assert "waiting for 2\xa0days, 3\xa0hours" in queue
    assert "?status__exact=in_review" in queue
    assert 'id="desk-officer"' not in page
    assert reverse("admin:news_importrun_changelist") in page  # Django's list of sections


@pytest.mark.django_db
def test_staff_without_roles_see_only_the_sections():
    from ..factories import UserFactory

    page = home_page(UserFactory(username="staff-without-roles"))
    assert 'id="desk-' not in page
    assert "Review queue" not in page


# Session, user, permissions (2), the person's agencies, the releases' counts, and one query
# per block's list; the reasons for changes and the flags are one more each, failed runs and
# translation tasks are counted apart. Measured on PostgreSQL; none per release.
HOME_MAX_QUERIES = {"press_officer": 12, "editor": 16}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["press_officer", "editor"])
def test_the_home_queries_stay_fixed_however_many_releases(
    request, role, agency, editor, press_officer, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = request.getfixturevalue(role)
    client = Client()
    client.force_login(user)
    desk_articles(2, agency=agency, editor=editor, officer=press_officer)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("admin:index"))
    desk_articles(12, agency=agency, editor=editor, officer=press_officer)
    with django_assert_max_num_queries(HOME_MAX_QUERIES[role]):
        page = client.get(reverse("admin:index")).content.decode()
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("admin:index"))
    assert len(many) == len(few)
    assert page.count("Reason ") == (5 if role == "press_officer" else 0)
