"""The media library admin and the article form's media over HTTP, as each role."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from media_library import renditions
from media_library.models import Attachment, GalleryImage, Image, LeadImage
from news.models import Article
from tests.factories import ArticleFactory
from tests.news.helpers import NO_MEDIA

from . import files

pytestmark = pytest.mark.django_db

IMAGES = "admin:media_library_image_changelist"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def own_photo(upload_photo):
    return upload_photo(alt_ru="Своё фото акимата", alt_en="Own photo")


@pytest.fixture
def others_photo(upload_photo, other_officer, other_agency):
    return upload_photo(
        user=other_officer, agency=other_agency, alt_ru="Чужое фото", alt_en="Other photo"
    )


def article_data(agency, **fields) -> dict:
    return {
        "title": "Аким встретился с жителями",
        "lead": "",
        "body": "<p>Текст.</p>",
        "tags": "",
        "agency": agency.pk,
        "region": "",
        "language": "ru",
        "release_date": "2026-03-01",
        "source_url": "",
        "slug": "",
        "transitions-TOTAL_FORMS": "0",
        "transitions-INITIAL_FORMS": "0",
        **NO_MEDIA,
        "_save": "Save",
        **fields,
    }


def test_an_officer_lists_only_their_agencys_media(press_officer, own_photo, others_photo):
    response = client_for(press_officer).get(reverse(IMAGES))

    assert list(response.context["cl"].result_list) == [own_photo]
    page = response.content.decode()
    assert "Own photo" in page and "Other photo" not in page
    assert own_photo.url_of("thumbnail", "webp") in page  # the thumbnail column


def test_editors_list_every_agencys_media(editor, own_photo, others_photo):
    response = client_for(editor).get(reverse(IMAGES))
    assert set(response.context["cl"].result_list) == {own_photo, others_photo}


def test_an_officer_cannot_open_or_change_another_agencys_photo(
    press_officer, others_photo, agency
):
    client = client_for(press_officer)
    url = reverse("admin:media_library_image_change", args=[others_photo.pk])

    assert client.get(url).status_code == 302  # to the admin index: "does not exist"
    client.post(url, {"alt_ru": "Переписано", "agency": agency.pk, "licence": "own"})

    others_photo.refresh_from_db()
    assert others_photo.alt_ru == "Чужое фото"


def test_search_and_the_renditions_filter(editor, own_photo, others_photo):
    renditions.make_renditions(own_photo.pk)
    client = client_for(editor)

    found = client.get(reverse(IMAGES), {"q": "Чужое"})
    assert list(found.context["cl"].result_list) == [others_photo]
    made = client.get(reverse(IMAGES), {"renditions": "yes"})
    assert list(made.context["cl"].result_list) == [own_photo]
    missing = client.get(reverse(IMAGES), {"renditions": "no"})
    assert list(missing.context["cl"].result_list) == [others_photo]


def test_the_image_list_asks_a_bounded_number_of_queries(
    editor, upload_photo, django_assert_max_num_queries
):
    for number in range(12):
        renditions.make_renditions(upload_photo(alt_en=f"Photo {number}").pk)
    client = client_for(editor)
    with django_assert_max_num_queries(12):
        assert client.get(reverse(IMAGES)).status_code == 200


def test_uploading_in_the_admin_stores_a_clean_photo(press_officer, agency):
    client = client_for(press_officer)
    add_url = reverse("admin:media_library_image_add")
    form = client.get(add_url).content.decode()
    assert 'name="keep_metadata"' not in form  # an editor's choice

    upload = SimpleUploadedFile(
        "IMG_0001.HEIC.jpg", files.jpeg(exif=files.camera_exif()), "image/heic"
    )
    response = client.post(
        add_url,
        {
            "file": upload,
            "agency": agency.pk,
            "alt_kk": "Әкім тұрғындармен кездесті",
            "licence": "own",
            "focal_x": "0.5",
            "focal_y": "0.5",
            "keep_metadata": "on",  # posted by hand: ignored for a press officer
        },
    )

    assert response.status_code == 302
    image = Image.objects.get()
    assert image.uploaded_by == press_officer and not image.keep_metadata
    assert image.file.name.startswith("images/") and "IMG_0001" not in image.file.name
    assert not files.exif_of(image.file.read()).get_ifd(files.GPS_IFD)


def test_an_editor_may_keep_the_metadata_when_uploading(editor, agency):
    client = client_for(editor)
    add_url = reverse("admin:media_library_image_add")
    assert 'name="keep_metadata"' in client.get(add_url).content.decode()

    client.post(
        add_url,
        {
            "file": SimpleUploadedFile("a.jpg", files.jpeg(exif=files.camera_exif())),
            "agency": agency.pk,
            "alt_en": "The akim meets residents",
            "licence": "cc-by-4.0",
            "focal_x": "0.5",
            "focal_y": "0.5",
            "keep_metadata": "on",
        },
    )

    image = Image.objects.get()
    assert image.keep_metadata
    assert files.exif_of(image.file.read()).get_ifd(files.GPS_IFD)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (files.SVG, "SVG"),
        (b"<html><script>alert(1)</script></html>", "not a photo"),
    ],
)
def test_an_unsafe_upload_is_refused_on_the_form(press_officer, agency, data, message):
    response = client_for(press_officer).post(
        reverse("admin:media_library_image_add"),
        {
            "file": SimpleUploadedFile("photo.jpg", data, "image/jpeg"),
            "agency": agency.pk,
            "alt_ru": "Фото",
            "licence": "own",
            "focal_x": "0.5",
            "focal_y": "0.5",
        },
    )
    assert response.status_code == 200
    assert message in str(response.context["adminform"].form.errors["file"])
    assert not Image.objects.exists()


def test_a_photo_without_alt_text_is_refused_on_the_form(press_officer, agency):
    response = client_for(press_officer).post(
        reverse("admin:media_library_image_add"),
        {
            "file": SimpleUploadedFile("a.jpg", files.jpeg()),
            "agency": agency.pk,
            "licence": "own",
            "focal_x": "0.5",
            "focal_y": "0.5",
        },
    )
    assert response.status_code == 200
    assert "at least one language" in str(response.context["adminform"].form.errors)


def test_a_document_is_uploaded_and_listed_with_its_pages(press_officer, agency):
    client = client_for(press_officer)
    response = client.post(
        reverse("admin:media_library_attachment_add"),
        {
            "file": SimpleUploadedFile("report.exe", files.pdf(pages=5)),
            "agency": agency.pk,
            "title_ru": "Отчёт акима",
        },
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert (attachment.kind, attachment.page_count) == ("pdf", 5)
    assert attachment.file.name.endswith(".pdf")

    listed = client.get(reverse("admin:media_library_attachment_changelist"), {"q": "акима"})
    assert list(listed.context["cl"].result_list) == [attachment]


def test_the_article_forms_autocomplete_offers_only_the_officers_media(
    press_officer, editor, own_photo, others_photo
):
    url = reverse("admin:autocomplete")
    query = {"app_label": "media_library", "model_name": "galleryimage", "field_name": "image"}

    offered = client_for(press_officer).get(url, {**query, "term": "фото"}).json()["results"]
    assert [result["id"] for result in offered] == [str(own_photo.pk)]
    lead = client_for(press_officer).get(url, {**query, "model_name": "leadimage"}).json()
    assert [result["id"] for result in lead["results"]] == [str(own_photo.pk)]
    everything = client_for(editor).get(url, {**query, "term": "фото"}).json()["results"]
    assert {result["id"] for result in everything} == {str(own_photo.pk), str(others_photo.pk)}


def test_an_officer_picks_a_lead_photo_and_a_gallery_on_the_article_form(
    press_officer, agency, own_photo, upload_photo
):
    second = upload_photo(alt_ru="Второе фото")
    response = client_for(press_officer).post(
        reverse("admin:news_article_add"),
        article_data(
            agency,
            **{
                "lead_image-TOTAL_FORMS": "1",
                "lead_image-0-image": own_photo.pk,
                "gallery-TOTAL_FORMS": "2",
                "gallery-0-image": second.pk,
                "gallery-0-position": "2",
                "gallery-1-image": own_photo.pk,
                "gallery-1-position": "1",
            },
        ),
    )

    assert response.status_code == 302, response.context["errors"]
    article = Article.objects.get()
    assert article.lead_image.image == own_photo
    assert [each.image for each in article.gallery.all()] == [own_photo, second]


def test_another_agencys_photo_cannot_be_posted_into_an_article(
    press_officer, agency, others_photo
):
    response = client_for(press_officer).post(
        reverse("admin:news_article_add"),
        article_data(agency, **{"gallery-TOTAL_FORMS": "1", "gallery-0-image": others_photo.pk}),
    )

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Article.objects.exists() and not GalleryImage.objects.exists()


def test_a_photo_needs_alt_text_in_the_releases_language(press_officer, agency, upload_photo):
    russian_only = upload_photo(alt_ru="Только по-русски")
    response = client_for(press_officer).post(
        reverse("admin:news_article_add"),
        article_data(
            agency,
            language="kk",
            **{"lead_image-TOTAL_FORMS": "1", "lead_image-0-image": russian_only.pk},
        ),
    )

    assert response.status_code == 200
    assert "no alt text in Kazakh" in response.content.decode()
    assert not LeadImage.objects.exists()


def test_an_officer_cannot_change_the_photos_of_an_article_in_review(
    press_officer, agency, own_photo
):
    article = ArticleFactory(agency=agency, status="in_review", language="ru")
    client = client_for(press_officer)
    url = reverse("admin:news_article_change", args=[article.pk])
    assert 'name="lead_image-0-image"' not in client.get(url).content.decode()

    response = client.post(
        url,
        article_data(
            agency,
            expected_version=article.version,
            **{"lead_image-TOTAL_FORMS": "1", "lead_image-0-image": own_photo.pk},
        ),
    )

    assert response.status_code == 403
    assert not LeadImage.objects.exists()


def test_a_photo_uploaded_from_the_article_forms_popup_comes_back_to_the_picker(
    press_officer, agency
):
    client = client_for(press_officer)
    article_form = client.get(reverse("admin:news_article_add")).content.decode()
    popup = reverse("admin:media_library_image_add") + "?_to_field=id&amp;_popup=1"
    assert popup in article_form  # the "+" beside the lead photo and gallery pickers

    response = client.post(
        reverse("admin:media_library_image_add") + "?_to_field=id&_popup=1",
        {
            "_popup": "1",
            "_to_field": "id",
            "file": SimpleUploadedFile("DSC_0042.JPG", files.jpeg()),
            "agency": agency.pk,
            "alt_ru": "Новое фото",
            "licence": "own",
            "focal_x": "0.5",
            "focal_y": "0.5",
        },
    )

    image = Image.objects.get()
    assert response.status_code == 200
    assert "admin/popup_response.html" in [template.name for template in response.templates]
    assert f"&quot;value&quot;: &quot;{image.pk}&quot;" in response.content.decode()


def test_deleting_a_photo_removes_its_files_and_a_used_one_cannot_be_deleted(
    editor, agency, own_photo, upload_photo, django_capture_on_commit_callbacks
):
    from django.core.files.storage import default_storage

    renditions.make_renditions(own_photo.pk)
    names = [own_photo.file.name, *own_photo.renditions.values_list("file", flat=True)]
    assert len(names) == 12 and all(default_storage.exists(name) for name in names)
    used = upload_photo(alt_ru="Используется")
    LeadImage.objects.create(article=ArticleFactory(agency=agency), image=used)
    client = client_for(editor)

    refused = client.post(
        reverse("admin:media_library_image_delete", args=[used.pk]), {"post": "yes"}
    )
    assert refused.status_code == 200  # the page lists the release that protects it
    assert Image.objects.filter(pk=used.pk).exists()

    with django_capture_on_commit_callbacks(execute=True):
        deleted = client.post(
            reverse("admin:media_library_image_delete", args=[own_photo.pk]), {"post": "yes"}
        )
    assert deleted.status_code == 302
    assert not Image.objects.filter(pk=own_photo.pk).exists()
    assert not any(default_storage.exists(name) for name in names)


def test_the_article_forms_gallery_asks_one_query_a_photo_at_most(
    press_officer, agency, upload_photo
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    article = ArticleFactory(agency=agency, language="ru")
    client = client_for(press_officer)
    url = reverse("admin:news_article_change", args=[article.pk])

    def queries_with(count: int) -> int:
        GalleryImage.objects.filter(article=article).delete()
        for position in range(count):
            image = upload_photo(alt_ru=f"Фото {position}")
            renditions.make_renditions(image.pk)
            GalleryImage.objects.create(article=article, image=image, position=position)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    # Django's autocomplete picker reads its chosen photo's label, one query a row; the
    # thumbnails beside them come from one prefetch of every row's renditions.
    one = queries_with(1)
    assert queries_with(6) - one <= 5
