import pytest

from .receiver import Receiver


@pytest.fixture
def receiver(settings):
    """A partner's endpoint on loopback, reachable as the import tests reach theirs."""
    settings.PRESSROOM_IMPORT_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    server = Receiver().start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _site_url(settings):
    # The API's links in tests are made for Django's test client's host.
    settings.PRESSROOM_SITE_URL = "http://testserver"
