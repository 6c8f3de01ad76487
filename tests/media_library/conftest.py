import pytest

from media_library import services

from . import files


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def upload_photo(press_officer, agency):
    """Upload a photo through the service as the agency's press officer."""

    def upload(data=None, *, user=None, **fields):
        fields.setdefault("agency", agency)
        fields.setdefault("alt_ru", "Аким на встрече с жителями")
        fields.setdefault("licence", "own")
        return services.upload_image(
            data=data or files.jpeg(), user=user or press_officer, **fields
        )

    return upload
