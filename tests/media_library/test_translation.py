"""A release's photos and files follow its machine translation, their text translated by
the same engine (a local LibreTranslate) where the new language has none."""

import pytest

from media_library.models import Attachment, Image
from news.models import Article
from news.translation import service
from tests.factories import ArticleFactory
from tests.news.translation_fakes import LibreTranslateFake

from . import files

pytestmark = pytest.mark.django_db


@pytest.fixture
def libretranslate(settings):
    server = LibreTranslateFake()
    settings.PRESSROOM_TRANSLATION_ENGINE = "libretranslate"
    settings.PRESSROOM_LIBRETRANSLATE_URL = server.url
    settings.PRESSROOM_LIBRETRANSLATE_API_KEY = "secret"
    settings.PRESSROOM_TRANSLATION_TIMEOUT = 2
    yield server
    server.close()


@pytest.fixture
def release_with_media(agency, upload_photo, press_officer):
    from media_library import services
    from media_library.models import ArticleAttachment, GalleryImage, LeadImage

    article = ArticleFactory(agency=agency, language="ru", status="in_review")
    lead = upload_photo(alt_ru="Аким открыл школу", caption_ru="Фото пресс-службы")
    described = upload_photo(alt_ru="Ученики в классе", alt_kk="Сыныптағы оқушылар")
    document = services.upload_document(
        data=files.pdf(), user=press_officer, agency=agency, title_ru="План школы"
    )
    LeadImage.objects.create(article=article, image=lead)
    GalleryImage.objects.create(article=article, image=described, position=1)
    ArticleAttachment.objects.create(article=article, attachment=document, position=1)
    return article, lead, described, document


def test_the_translation_uses_the_same_media_with_their_text_translated(
    libretranslate, release_with_media, django_capture_on_commit_callbacks
):
    article, lead, described, document = release_with_media

    with django_capture_on_commit_callbacks(execute=True):
        service.request_translation(original=article, language="kk")

    kk = Article.objects.get(translation_group=article.translation_group, language="kk")
    assert kk.lead_image.image == lead
    assert [each.image for each in kk.gallery.all()] == [described]
    assert [each.attachment for each in kk.attachments.all()] == [document]
    lead.refresh_from_db()
    # "Әкім": the terminology's Kazakh for the title, as in the release's own text.
    assert (lead.alt_kk, lead.caption_kk) == ("kk: Әкім открыл школу", "kk: Фото пресс-службы")
    assert Image.objects.get(pk=described.pk).alt_kk == "Сыныптағы оқушылар"  # a person's
    assert Attachment.objects.get(pk=document.pk).title_kk == "kk: План школы"
    sent = [text for request in libretranslate.requests for text in request.body.get("q", [])]
    assert any("Фото пресс-службы" in text for text in sent)
    assert not any("Ученики в классе" in text for text in sent)  # it has Kazakh already


def test_without_an_engine_nothing_is_sent_and_the_release_waits_for_a_person(
    release_with_media, django_capture_on_commit_callbacks
):
    article, lead, *_rest = release_with_media

    with django_capture_on_commit_callbacks(execute=True):
        outcome = service.request_translation(original=article, language="kk")

    assert outcome.code != "queued"
    lead.refresh_from_db()
    assert lead.alt_kk == ""
