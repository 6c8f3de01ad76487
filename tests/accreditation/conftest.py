from datetime import timedelta

import pytest
from django.utils import timezone

from media_library import renditions, services
from media_library.models import ArticleAttachment, GalleryImage, LeadImage
from tests.factories import ArticleFactory
from tests.media_library import files

from .factories import AccreditationFactory


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def journalist(agency):
    """Accredited, following the agency of the `agency` fixture, reading Russian."""
    return AccreditationFactory(journalist="Айгуль Серикова", agencies=[agency], languages=["ru"])


@pytest.fixture
def embargoed(agency):
    """A Russian release of `agency` scheduled for tomorrow, to be distributed."""
    return ArticleFactory(
        agency=agency,
        language="ru",
        title="Аким открыл новую школу",
        lead="В Шымкенте открылась школа на 1200 мест.",
        body="<p>Школа построена за год.</p>",
        status="scheduled",
        publish_at=timezone.now() + timedelta(days=1),
        distribute_under_embargo=True,
    )


@pytest.fixture
def photo(press_officer, agency):
    image = services.upload_image(
        data=files.jpeg((1700, 1000)),
        user=press_officer,
        agency=agency,
        alt_ru="Новая школа",
        licence="own",
    )
    renditions.make_renditions(image.pk)
    return image


@pytest.fixture
def document(press_officer, agency):
    attachment = services.upload_document(
        data=files.pdf(), user=press_officer, agency=agency, title_ru="Проект школы"
    )
    renditions.make_document_preview(attachment.pk)
    attachment.refresh_from_db()
    return attachment


@pytest.fixture
def with_media(embargoed, photo, document, press_officer, agency):
    """The embargoed release with a lead photo, a gallery photo and a file."""
    LeadImage.objects.create(article=embargoed, image=photo)
    gallery = services.upload_image(
        data=files.jpeg((1200, 800)), user=press_officer, agency=agency,
        alt_ru="Класс", licence="own",
    )  # fmt: skip
    GalleryImage.objects.create(article=embargoed, image=gallery)
    ArticleAttachment.objects.create(article=embargoed, attachment=document)
    return embargoed
