"""The pre-publish checks of a release (news.checks): what they find, which block, and what
they cost."""

import pytest
from django.utils.translation import override

from agencies.models import Agency
from media_library.models import GalleryImage, LeadImage
from news import checks
from news.models import Article, ArticleFlag, Translation

from ..factories import AgencyFactory, ArticleFactory, ImageFactory

pytestmark = pytest.mark.django_db

Flag = ArticleFlag.Code


def found(article: Article) -> dict[str, bool]:
    """The checks of a freshly loaded `article`: code -> blocking."""
    loaded = checks.with_check_relations(Article.objects.filter(pk=article.pk)).get()
    return {check.code: check.blocking for check in checks.prepublish_checks(loaded)}


def test_a_release_in_order_passes_every_check():
    assert found(ArticleFactory()) == {}


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"body": "<p> </p>"}, {"empty_body": True}),
        ({"body": ""}, {"empty_body": True}),
        ({"lead": "  "}, {"empty_lead": False}),
        ({"title": "Akimat opens a school."}, {"title_is_sentence": False}),
        ({"title": "Akimat opens a school..."}, {}),  # an ellipsis, not a full stop
        ({"title": "A" * 150}, {}),
        ({"title": "A" * 151}, {"title_too_long": False}),
    ],
)
def test_content_checks(fields, expected):
    assert found(ArticleFactory(**fields)) == expected


def test_no_agency_blocks():
    assert found(ArticleFactory(agency=None, region=None)) == {"no_agency": True}


def test_no_region_is_a_warning_for_a_regional_agency_only():
    regional = AgencyFactory()
    national = AgencyFactory(kind=Agency.Kind.MINISTRY, region=None)
    assert found(ArticleFactory(agency=regional, region=None)) == {"no_region": False}
    # A ministry's release is national: it has no region to choose.
    assert found(ArticleFactory(agency=national, region=None)) == {}


def test_photos_without_alt_text_in_the_releases_language_are_a_warning():
    article = ArticleFactory(language="kk")
    LeadImage.objects.create(article=article, image=ImageFactory(alt_kk="Әкім"))
    assert found(article) == {}
    for position in range(2):  # described in Russian and English only
        GalleryImage.objects.create(article=article, image=ImageFactory(), position=position)
    article = checks.with_check_relations(Article.objects.filter(pk=article.pk)).get()
    [check] = checks.prepublish_checks(article)
    assert (check.code, check.blocking) == ("photo_alt_missing", False)
    assert check.message == "2 photos have no alt text in the release's language."
    with override("ru"):
        [check] = checks.prepublish_checks(article)
    assert check.message == "У 2 фотографий нет альтернативного текста на языке релиза."


def test_open_flags_block_or_warn_by_what_they_say():
    article = ArticleFactory()
    for code in (Flag.AGENCY_UNRESOLVED, Flag.LANGUAGE_MISMATCH, Flag.SUSPECT_TITLE):
        ArticleFlag.objects.create(article=article, code=code)
    assert found(article) == {
        "flag_agency_unresolved": True,
        "flag_language_mismatch": False,
        "flag_suspect_title": False,
    }
    loaded = checks.with_check_relations([Article.objects.get(pk=article.pk)])[0]
    listed = checks.prepublish_checks(loaded)
    assert listed[0].code == "flag_agency_unresolved"  # blocking checks come first
    assert "“agency unresolved”" in listed[0].message
    assert "No agency could be found" in listed[0].message


def test_a_flag_that_says_what_a_check_says_is_shown_once():
    article = ArticleFactory(body="")
    ArticleFlag.objects.create(article=article, code=Flag.EMPTY_BODY)
    assert found(article) == {"empty_body": True}
    # Once the body is written, the open flag still asks a person to look and delete it.
    Article.objects.filter(pk=article.pk).update(body="<p>Written since.</p>")
    assert found(article) == {"flag_empty_body": True}


def machine_translation(state: str) -> Article:
    original = ArticleFactory(language="ru")
    article = ArticleFactory(language="kk", translation_group=original.translation_group)
    Translation.objects.create(
        article=article,
        original=original,
        method=Translation.Method.ENGINE,
        engine="libretranslate",
        state=state,
        original_version=original.version,
        original_content_hash="x",
    )
    return article


def test_an_unreviewed_machine_translation_blocks_unless_the_setting_allows_it(settings):
    assert found(machine_translation(Translation.State.MACHINE)) == {
        "unreviewed_machine_translation": True
    }
    assert found(machine_translation(Translation.State.REVIEWED)) == {}
    settings.PRESSROOM_PUBLISH_UNREVIEWED_MACHINE_TRANSLATIONS = True
    assert found(machine_translation(Translation.State.MACHINE)) == {}


@pytest.mark.parametrize("photos", [1, 6])
def test_checks_cost_the_same_few_queries_whatever_the_release_carries(
    photos, django_assert_num_queries
):
    article = ArticleFactory(lead="", title="A sentence.", language="kk")
    LeadImage.objects.create(article=article, image=ImageFactory())
    for position in range(photos):
        GalleryImage.objects.create(article=article, image=ImageFactory(), position=position)
    for code in (Flag.LANGUAGE_MISMATCH, Flag.DATE_MISSING, Flag.REGION_GUESSED):
        ArticleFlag.objects.create(article=article, code=code)
    # The article; its agency, flags, lead photo and its image, gallery and its images, and
    # translation record.
    with django_assert_num_queries(8):
        loaded = checks.with_check_relations(Article.objects.filter(pk=article.pk)).get()
        listed = checks.prepublish_checks(loaded)
    assert len(listed) == 6


def test_a_kept_code_reads_as_the_checks_name():
    assert checks.check_label("empty_lead") == "empty lead"
    assert checks.check_label("flag_suspect_title") == "flag “suspect title”"
    with override("kk"):
        assert checks.check_label("empty_lead") == "лиды бос"
