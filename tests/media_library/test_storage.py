"""The media library on S3-compatible object storage: moto's standalone server speaks the
S3 HTTP API on a local port, and Pressroom reaches it through django-storages and boto3
configured from the PRESSROOM_MEDIA_S3_* environment, as in production."""

import json

import httpx
import pytest
from django.utils import timezone

from media_library import renditions
from media_library.models import LeadImage
from tests.config.test_settings import load_settings
from tests.factories import ArticleFactory
from tests.s3 import BUCKET, s3_client, s3_environment

from . import files

STORAGES_PROBE = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps(settings.STORAGES))
"""


@pytest.fixture
def s3(settings, s3_endpoint):
    """STORAGES as config/settings.py builds them from the environment, in this test."""
    loaded = load_settings(STORAGES_PROBE, DJANGO_DEBUG="1", **s3_environment(s3_endpoint, "media"))
    assert loaded.returncode == 0, loaded.stderr
    settings.STORAGES = json.loads(loaded.stdout)
    return s3_client(s3_endpoint)


def stored_keys(client) -> set[str]:
    return {item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])}


def test_settings_choose_private_s3_storage_from_the_environment(s3, settings):
    options = settings.STORAGES["default"]["OPTIONS"]
    assert settings.STORAGES["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    # No ACL sent (buckets with ACLs disabled refuse them): as private as the bucket.
    assert options["default_acl"] is None and options["querystring_auth"] is True
    assert options["querystring_expire"] == 300
    assert options["file_overwrite"] is False


@pytest.mark.django_db
def test_a_photo_and_its_renditions_go_to_the_bucket_and_read_back(s3, upload_photo):
    before = stored_keys(s3)
    image = upload_photo(files.jpeg((1700, 1000), exif=files.camera_exif()))

    assert renditions.make_renditions(image.pk) == 13

    written = stored_keys(s3) - before
    assert f"media/{image.file.name}" in written
    assert {f"media/{each.file.name}" for each in image.renditions.all()} <= written
    with image.rendition("w800", "webp").file.open("rb") as stored:
        assert files.opened(stored.read()).size == (800, 471)
    with image.file.open("rb") as stored:
        assert not files.exif_of(stored.read()).get_ifd(files.GPS_IFD)
    grants = s3.get_object_acl(Bucket=BUCKET, Key=f"media/{image.file.name}")["Grants"]
    assert all("URI" not in grant["Grantee"] for grant in grants)  # no AllUsers grant


@pytest.mark.django_db
def test_readers_are_sent_to_a_short_lived_signed_address_once_the_release_is_public(
    s3, client, upload_photo, agency
):
    image = upload_photo(files.jpeg((900, 600)))
    assert client.get(image.get_absolute_url()).status_code == 404

    article = ArticleFactory(agency=agency, status="published", published_at=timezone.now())
    LeadImage.objects.create(article=article, image=image)
    response = client.get(image.get_absolute_url())

    assert response.status_code == 302
    signed = response["Location"]
    assert "X-Amz-Signature=" in signed and "X-Amz-Expires=300" in signed
    assert "response-content-type=image%2Fjpeg" in signed
    fetched = httpx.get(signed)
    assert fetched.status_code == 200
    with image.file.open("rb") as stored:
        assert fetched.content == stored.read()
