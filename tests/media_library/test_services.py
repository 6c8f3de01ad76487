import pytest

from media_library import services
from media_library.models import Image
from news import queue
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
