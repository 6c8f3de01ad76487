import pytest
from django.core.files.storage import default_storage
from PIL import Image as PillowImage

from media_library import renditions
from media_library.models import Attachment, Rendition

from . import files

pytestmark = pytest.mark.django_db


def stored(rendition) -> PillowImage.Image:
    with rendition.file.open("rb") as file:
        return files.opened(file.read())


@pytest.mark.parametrize(
    ("focal", "expected"),
    [
        ((0.5, 0.5), (200, 0, 800, 600)),
        ((0.0, 0.5), (0, 0, 600, 600)),  # at the left edge the box stops at the edge
        ((1.0, 0.2), (400, 0, 1000, 600)),
        ((0.3, 0.5), (0, 0, 600, 600)),
    ],
)
def test_a_crop_is_centred_on_the_focal_point_as_far_as_the_edges_allow(focal, expected):
    assert renditions.crop_box(1000, 600, 240, 240, *focal) == expected


def test_a_tall_picture_is_cropped_top_to_bottom_around_the_focal_point():
    assert renditions.crop_box(600, 2000, 1200, 630, 0.5, 0.02) == (0, 0, 600, 315)
    assert renditions.crop_box(600, 2000, 1200, 630, 0.5, 0.1) == (0, 42, 600, 357)
    assert renditions.crop_box(600, 2000, 1200, 630, 0.5, 0.5) == (0, 842, 600, 1157)


def test_every_size_is_made_in_webp_and_jpeg_and_the_social_card_in_jpeg(upload_photo):
    image = upload_photo(files.jpeg((2000, 1000)))

    assert renditions.make_renditions(image.pk) == 13

    made = {(each.size, each.format): each for each in image.renditions.all()}
    assert set(made) == {
        *(
            (size, image_format)
            for size in ("thumbnail", "list", "w480", "w800", "w1200", "w1600")
            for image_format in ("webp", "jpeg")
        ),
        ("social", "jpeg"),
    }
    assert (made["social", "jpeg"].width, made["social", "jpeg"].height) == (1200, 630)
    assert (made["w800", "webp"].width, made["w800", "webp"].height) == (800, 400)
    assert (made["thumbnail", "jpeg"].width, made["thumbnail", "jpeg"].height) == (240, 240)
    for (_size, image_format), rendition in made.items():
        picture = stored(rendition)
        assert picture.format == {"webp": "WEBP", "jpeg": "JPEG"}[image_format]
        assert picture.size == (rendition.width, rendition.height)


def test_no_rendition_carries_metadata_even_when_an_editor_kept_it(upload_photo, editor, agency):
    data = files.jpeg((1800, 1200), exif=files.camera_exif())
    image = upload_photo(data, user=editor, keep_metadata=True)
    assert files.exif_of(image.file.read()).get_ifd(files.GPS_IFD)

    renditions.make_renditions(image.pk)

    for rendition in image.renditions.all():
        exif = stored(rendition).getexif()
        assert not exif.get_ifd(files.GPS_IFD) and files.MAKE not in exif, rendition


def test_a_small_original_is_never_enlarged(upload_photo):
    image = upload_photo(files.jpeg((700, 500)))

    renditions.make_renditions(image.pk)

    widths = {each.size: each.width for each in image.renditions.filter(format="jpeg")}
    assert widths == {"thumbnail": 240, "list": 640, "w480": 480, "social": 700}
    assert image.renditions.get(size="social", format="jpeg").height == 368


def test_the_social_card_keeps_the_focal_point(upload_photo):
    # The red square fills the top-left quarter; a card focused there shows mostly red.
    image = upload_photo(files.jpeg((2400, 2400)), focal_x=0.1, focal_y=0.05)

    renditions.make_renditions(image.pk)

    card = stored(image.renditions.get(size="social"))
    red, green, blue = card.convert("RGB").getpixel((100, 60))
    assert red > 200 and green < 60 and blue < 60


def test_making_them_again_changes_nothing(upload_photo):
    image = upload_photo(files.jpeg((1700, 1000)))
    renditions.make_renditions(image.pk)
    before = set(image.renditions.values_list("id", "file"))

    assert renditions.make_renditions(image.pk) == 0

    assert set(image.renditions.values_list("id", "file")) == before
    assert all(default_storage.exists(name) for _id, name in before)


def test_a_new_focal_point_remakes_only_the_crops(upload_photo):
    image = upload_photo(files.jpeg((1700, 1000)))
    renditions.make_renditions(image.pk)
    before = dict(image.renditions.values_list("id", "file"))

    image.focal_x = 0.9
    image.save()
    assert renditions.make_renditions(image.pk) == 5  # thumbnail and list twice, social once

    after = dict(image.renditions.values_list("id", "file"))
    changed = {pk for pk in before if before[pk] != after[pk]}
    assert set(Rendition.objects.filter(pk__in=changed).values_list("size", flat=True)) == {
        "thumbnail",
        "list",
        "social",
    }
    assert not any(default_storage.exists(before[pk]) for pk in changed)  # old files gone


def test_a_deleted_image_is_nothing_to_do():
    assert renditions.make_renditions(987654) == 0


def test_the_first_page_of_a_pdf_is_drawn_once(press_officer, agency):
    from media_library import services

    attachment = services.upload_document(
        data=files.pdf(pages=2), user=press_officer, agency=agency, title_ru="Отчёт"
    )
    assert attachment.page_count == 2

    assert renditions.make_document_preview(attachment.pk) is True
    assert renditions.make_document_preview(attachment.pk) is False

    attachment.refresh_from_db()
    with attachment.preview.open("rb") as file:
        page = files.opened(file.read())
    assert page.format == "WEBP" and page.width == renditions.PREVIEW_WIDTH
    assert page.height == 600  # the page's 2:3 proportions
    assert Attachment.objects.get(pk=attachment.pk).preview_url().endswith("/preview.webp")
