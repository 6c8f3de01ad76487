"""What an import may read: sources reach only public addresses and the import folder."""

import os

import pytest

from news.importing.http import HttpFetcher
from news.importing.sources import run_source
from news.models import Article, ImportRun, ImportSource

from .test_import_http import LocalServer, Reply

pytestmark = pytest.mark.django_db

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Akimat news</title>
<item><title>The akimat opened a new library in Kostanay</title>
<link>https://www.gov.kz/memleket/entities/kostanay/press/news/details/501?lang=en</link>
<pubDate>Tue, 03 Feb 2026 10:00:00 +0500</pubDate>
<description>A library of ten thousand books opened in Kostanay.</description></item>
</channel></rss>"""


@pytest.fixture
def internal_service():
    """A service on this machine's loopback that an import source must not reach."""
    with LocalServer(lambda request: Reply(body=RSS)) as server:
        yield server


@pytest.mark.parametrize("kind", [ImportSource.Kind.RSS, ImportSource.Kind.GOVKZ])
def test_a_source_at_an_internal_address_fails_with_the_reason_and_reads_nothing(
    internal_service, kind
):
    source = ImportSource.objects.create(
        name="Internal", kind=kind, location=internal_service.url("/"), govkz_agency_slug="mod"
    )
    run = run_source(source)
    assert (run.status, run.error_code) == (ImportRun.Status.FAILED, "forbidden_address")
    assert "is on a private or internal network" in run.error_message
    assert internal_service.requests == []
    assert not Article.objects.exists()


def test_an_allowed_network_is_imported_from(internal_service, settings):
    settings.PRESSROOM_IMPORT_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    source = ImportSource.objects.create(
        name="Intranet feed", kind=ImportSource.Kind.RSS, location=internal_service.url("/rss")
    )
    assert run_source(source).status == ImportRun.Status.SUCCEEDED
    assert Article.objects.get().external_id == "501"


# --- files on this server -------------------------------------------------------------

DIGEST = (
    "Akimat opens a new library in Kostanay 03.02.2026\n"
    "The library has ten thousand books. "
    "Source : https://www.gov.kz/memleket/entities/kostanay/press/news/details/77?lang=en\n"
)
SECRET = "DJANGO_SECRET_KEY=never-shown-to-editors 01.01.2026\n"


@pytest.fixture
def import_dir(tmp_path, settings):
    """The import folder, holding a digest, beside a secret that must never be read."""
    folder = tmp_path / "imports"
    folder.mkdir()
    (folder / "digest.txt").write_text(DIGEST, encoding="utf-8")
    (tmp_path / "secret.env").write_text(SECRET, encoding="utf-8")
    settings.PRESSROOM_IMPORT_DIR = str(folder)
    return folder


def digest_source(location: str) -> ImportSource:
    return ImportSource.objects.create(
        name="Digest on the server", kind=ImportSource.Kind.DIGEST, location=location
    )


def assert_failed_without_reading(run: ImportRun, code: str) -> None:
    assert (run.status, run.error_code) == (ImportRun.Status.FAILED, code)
    assert "never-shown" not in run.error_message
    assert not run.items.exists()
    assert not Article.objects.exists()


def test_without_an_import_folder_a_source_reads_no_file(tmp_path, settings):
    settings.PRESSROOM_IMPORT_DIR = ""
    path = tmp_path / "digest.txt"
    path.write_text(DIGEST, encoding="utf-8")
    run = run_source(digest_source(str(path)))
    assert_failed_without_reading(run, "path_not_allowed")
    assert "no import folder is set up (PRESSROOM_IMPORT_DIR)" in run.error_message


@pytest.mark.parametrize("where", ["absolute", "relative"])
def test_a_source_reads_a_file_in_the_import_folder(import_dir, where):
    location = str(import_dir / "digest.txt") if where == "absolute" else "digest.txt"
    run = run_source(digest_source(location))
    assert (run.status, run.created) == (ImportRun.Status.SUCCEEDED, 1)


@pytest.mark.parametrize(
    "location",
    ["../secret.env", "{root}/../secret.env", "{tmp}/secret.env", "/etc/passwd", "link.env"],
)
def test_a_source_cannot_read_outside_the_import_folder(import_dir, tmp_path, location):
    # A link inside the folder is followed to where it leads before the check.
    (import_dir / "link.env").symlink_to(tmp_path / "secret.env")
    run = run_source(digest_source(location.format(root=import_dir, tmp=tmp_path)))
    assert_failed_without_reading(run, "path_not_allowed")
    assert f"is outside the import folder {import_dir}" in run.error_message


@pytest.mark.parametrize("location", ["file:///etc/passwd", "ftp://example.org/digest.txt"])
def test_a_location_that_is_neither_a_web_address_nor_a_path_is_refused(import_dir, location):
    run = run_source(digest_source(location))
    assert_failed_without_reading(run, "bad_url")


def test_a_missing_file_or_one_that_is_not_a_regular_file_is_not_found(import_dir):
    (import_dir / "folder").mkdir()
    os.mkfifo(import_dir / "pipe")  # would block a reader that waited for a writer
    (import_dir / "loop").symlink_to(import_dir / "loop")
    for location in ("missing.txt", "folder", "pipe", "loop"):
        run = run_source(digest_source(location))
        assert (run.error_code, run.status) == ("not_found", ImportRun.Status.FAILED)
        assert f"There is no file at {location}" in run.error_message
        ImportSource.objects.all().delete()


def test_a_file_larger_than_the_download_limit_is_not_read(import_dir):
    with HttpFetcher(max_bytes=len(DIGEST) - 1) as fetcher:
        run = run_source(digest_source("digest.txt"), fetcher=fetcher)
    assert_failed_without_reading(run, "too_large")
    assert run.error_message == (
        f"The file digest.txt is larger than {len(DIGEST) - 1} bytes, so it was not read."
    )
