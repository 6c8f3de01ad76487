import io

import pytest
from PIL import Image

from media_library import safety

from . import files


def test_a_phone_photo_is_stored_upright_without_its_camera_and_gps_metadata():
    data = files.jpeg((60, 40), exif=files.camera_exif(orientation=6))
    assert files.exif_of(data).get_ifd(files.GPS_IFD)  # the upload carries a position

    checked = safety.check_image(data)

    assert (checked.width, checked.height, checked.suffix) == (40, 60, ".jpg")
    stored = files.opened(checked.content)
    assert stored.format == "JPEG" and stored.size == (40, 60)
    exif = stored.getexif()
    assert files.MAKE not in exif and files.ORIENTATION not in exif
    assert not exif.get_ifd(files.GPS_IFD)
    assert b"Exif" not in checked.content[:200]


def test_an_editor_may_keep_the_metadata_and_the_orientation_is_still_applied():
    data = files.jpeg((60, 40), exif=files.camera_exif(orientation=6))

    checked = safety.check_image(data, keep_metadata=True)

    exif = files.exif_of(checked.content)
    assert exif[files.MAKE] == "Canon"
    assert exif.get_ifd(files.GPS_IFD)[2] == (43.0, 15.0, 0.0)
    assert exif.get(files.ORIENTATION, 1) == 1  # turned already: viewers must not turn it again
    assert (checked.width, checked.height) == (40, 60)


def test_xmp_and_comments_do_not_survive_the_upload():
    picture = Image.new("RGB", (50, 50), "white")
    output = io.BytesIO()
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><GPSLatitude>43,15N</GPSLatitude></x:xmpmeta>'
    picture.save(output, "JPEG", xmp=xmp, comment=b"shot at home, Abai st. 12")

    assert b"GPSLatitude" in output.getvalue() and b"Abai" in output.getvalue()

    content = safety.check_image(output.getvalue()).content

    assert b"GPSLatitude" not in content and b"Abai" not in content


def test_heic_from_a_phone_is_accepted_and_stored_as_jpeg():
    checked = safety.check_image(files.heic((640, 480)))

    assert checked.suffix == ".jpg"
    assert files.opened(checked.content).format == "JPEG"
    assert (checked.width, checked.height) == (640, 480)


def test_png_keeps_its_transparency_and_webp_its_format():
    checked = safety.check_image(files.png(mode="RGBA"))
    assert checked.suffix == ".png"
    assert files.opened(checked.content).mode == "RGBA"

    output = io.BytesIO()
    Image.new("RGB", (30, 20), "navy").save(output, "WEBP")
    assert safety.check_image(output.getvalue()).suffix == ".webp"


def test_svg_is_refused_whatever_it_is_called():
    with pytest.raises(safety.UnsafeFile) as refused:
        safety.check_image(files.SVG)
    assert refused.value.code == "svg"


@pytest.mark.parametrize(
    "data",
    [
        b"GIF89a not really",
        b"%PDF-1.4 a document, not a photo",
        b"\xff\xd8\xff\xe0 a truncated JPEG header",
        files.jpeg()[:600],  # a photo cut off in the middle
    ],
)
def test_what_pillow_cannot_decode_is_refused(data):
    with pytest.raises(safety.UnsafeFile) as refused:
        safety.check_image(data)
    assert refused.value.code == "not_an_image"


def test_a_decompression_bomb_is_refused_from_its_header_before_decoding(settings):
    settings.PRESSROOM_MEDIA_MAX_IMAGE_PIXELS = 60_000_000
    bomb = files.png_header_only(30_000, 30_000)  # 900 megapixels in 70 bytes
    assert len(bomb) < 100

    with pytest.raises(safety.UnsafeFile) as refused:
        safety.check_image(bomb)

    assert refused.value.code == "too_many_pixels"
    assert "60" in str(refused.value.message)


def test_the_pixel_limit_is_ours_not_only_pillows(settings):
    # Below Pillow's own limit, above the one configured: refused, not just warned about.
    settings.PRESSROOM_MEDIA_MAX_IMAGE_PIXELS = 1_000_000
    with pytest.raises(safety.UnsafeFile) as refused:
        safety.check_image(files.jpeg((1200, 900)))
    assert refused.value.code == "too_many_pixels"
    assert safety.check_image(files.jpeg((1000, 1000))).width == 1000


def test_a_file_over_the_limit_is_refused_without_reading_it_all():
    stream = io.BytesIO(b"x" * 10_000)

    with pytest.raises(safety.UnsafeFile) as refused:
        safety.read_limited(stream, 1000)

    assert refused.value.code == "too_large"
    assert stream.tell() == 1001


def test_a_pdf_is_parsed_and_its_pages_counted():
    checked = safety.check_document(files.pdf(pages=3))
    assert (checked.kind, checked.page_count) == ("pdf", 3)


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"%PDF-1.7\n this is no PDF at all", "pdf_unreadable"),
        (
            files.pdf(catalog_extra="/OpenAction << /S /JavaScript /JS (app.alert(1)) >> "),
            "pdf_script",
        ),
        (
            files.pdf(
                pages=1,
                catalog_extra="/Names << /JavaScript 6 0 R >> ",
                more_objects=("<< /Names [(x) << /S /JavaScript /JS (app.alert(1)) >>] >>",),
            ),
            "pdf_script",
        ),
    ],
)
def test_unreadable_and_scripted_pdfs_are_refused(data, code):
    with pytest.raises(safety.UnsafeFile) as refused:
        safety.check_document(data)
    assert refused.value.code == code


def test_a_password_protected_pdf_is_refused():
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(200, 300)
    writer.encrypt("secret")
    output = io.BytesIO()
    writer.write(output)

    with pytest.raises(safety.UnsafeFile) as refused:
        safety.check_document(output.getvalue())
    assert refused.value.code == "pdf_encrypted"


@pytest.mark.parametrize("kind", ["docx", "xlsx", "odt"])
def test_office_documents_are_recognised_by_their_container(kind):
    checked = safety.check_document(files.office(kind))
    assert (checked.kind, checked.page_count) == (kind, None)


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (files.office("docx", macros=True), "macros"),
        (files.zip_of({"readme.txt": b"just a zip"}), "unsupported_document"),
        (files.office("docx")[:-30], "zip_damaged"),
        (b"MZ\x90\x00 a program", "unsupported_document"),
        (files.jpeg(), "unsupported_document"),
    ],
)
def test_other_files_are_refused_as_documents(data, code):
    with pytest.raises(safety.UnsafeFile) as refused:
        safety.check_document(data)
    assert refused.value.code == code


def test_a_zip_bomb_is_refused_before_it_is_unpacked(monkeypatch):
    monkeypatch.setattr(safety, "MAX_UNPACKED_BYTES", 100_000)
    bomb = files.zip_of({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"\0" * 200_000})
    assert len(bomb) < 2_000

    with pytest.raises(safety.UnsafeFile) as refused:
        safety.check_document(bomb)
    assert refused.value.code == "zip_bomb"
