import pytest

from media_library import safety, services
from media_library.models import Image, LeadImage
from news import queue
from news.flags import Flag
from news.workflow import WorkflowError

from . import files

pytestmark = pytest.mark.django_db


def test_renditions_are_made_after_the_upload_commits(
    upload_photo, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        image = upload_photo(files.jpeg((1300, 900)))
    assert not image.renditions.exists()  # nothing is made inside the upload's transaction

    for callback in callbacks:
        callback()  # the task, in-process as on the embedded default

    assert image.renditions.count() == 11  # no 1600 px width from a 1300 px original


def test_with_the_task_queue_down_the_photo_is_kept_and_shows_its_original(
    upload_photo, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(queue, "enqueue", lambda *args, **kwargs: False)
    with django_capture_on_commit_callbacks(execute=True):
        image = upload_photo(files.jpeg((1300, 900)))

    assert Image.objects.filter(pk=image.pk).exists()
    assert image.best_url() == image.get_absolute_url()


def test_an_officer_cannot_upload_for_another_agency(upload_photo, other_agency):
    with pytest.raises(WorkflowError) as refused:
        upload_photo(agency=other_agency)
    assert refused.value.code == "agency_scope"
    assert not Image.objects.exists()


def test_only_an_editor_may_keep_camera_metadata(upload_photo, editor):
    with pytest.raises(WorkflowError) as refused:
        upload_photo(files.jpeg(exif=files.camera_exif()), keep_metadata=True)
    assert refused.value.code == "keep_metadata"

    kept = upload_photo(files.jpeg(exif=files.camera_exif()), keep_metadata=True, user=editor)
    assert files.exif_of(kept.file.read()).get_ifd(files.GPS_IFD)


def test_a_document_is_stored_with_its_kind_size_and_pages(
    press_officer, agency, django_capture_on_commit_callbacks
):
    data = files.pdf(pages=4)
    with django_capture_on_commit_callbacks(execute=True):
        attachment = services.upload_document(
            data=data, user=press_officer, agency=agency, title_kk="Есеп"
        )

    attachment.refresh_from_db()
    assert (attachment.kind, attachment.size, attachment.page_count) == ("pdf", len(data), 4)
    assert attachment.file.name.startswith("documents/") and attachment.file.name.endswith(".pdf")
    assert attachment.preview  # drawn by the task after commit


# --- photos an import fetched ------------------------------------------------------------


def imported(agency, url="https://akimat.example.kz/photo.jpg", data=None):
    checked = safety.check_image(data or files.jpeg())
    return services.save_imported_image(
        checked, agency=agency, source_url=url, language="kk", alt="Әкім тұрғындармен кездесті"
    )


def test_an_imported_photo_has_no_uploader_and_queues_its_renditions(
    agency, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        image = imported(agency)
    assert (image.uploaded_by, image.alt, image.licence) == (
        None,
        "Әкім тұрғындармен кездесті",
        "own",
    )
    assert image.renditions.exists()
    assert services.imported_image(agency=agency, source_url=image.source_url) == image


def test_an_address_is_stored_once_per_agency_even_when_two_imports_race(
    agency, other_agency, monkeypatch, tmp_path
):
    first = imported(agency)
    # The other import looked before this one saved: it finds the stored photo on saving,
    # and its own file is not left behind in the storage.
    before = sorted((tmp_path / "media" / "images").iterdir())
    assert imported(agency, data=files.png()) == first
    assert sorted((tmp_path / "media" / "images").iterdir()) == before
    assert Image.objects.count() == 1
    # Another agency's library is its own.
    assert imported(other_agency) != first


def test_an_imported_lead_photo_never_replaces_one_and_is_flagged_for_its_alt_text(agency, draft):
    first, second = imported(agency, "https://a.kz/1.jpg"), imported(agency, "https://a.kz/2.jpg")
    assert services.set_imported_lead_image(draft, first) is True
    assert services.set_imported_lead_image(draft, second) is False
    assert LeadImage.objects.get(article=draft).image == first
    assert list(draft.flags.values_list("code", flat=True)) == [Flag.IMPORTED_PHOTO]
