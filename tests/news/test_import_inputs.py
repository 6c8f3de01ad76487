"""What an import may read: sources reach only public addresses and the import folder."""

import pytest

from news.importing.service import run_source
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
