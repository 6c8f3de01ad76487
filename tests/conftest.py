import pytest
from django.core import mail
from django.utils import translation

from news import queue, roles

from .factories import AgencyFactory, ArticleFactory, MembershipFactory, UserFactory
from .s3 import s3_endpoint  # noqa: F401 - the S3 server fixture of the media and backup tests
from .smtp import mail_server, smtp_server  # noqa: F401 - a real SMTP server (tests/smtp.py)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The real hasher costs ~0.4 s per user; tests create hundreds.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    # A request through LocaleMiddleware leaves its language active in the thread; the next
    # test must not inherit Russian from a /ru/ page.
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _queue_tried_afresh():
    # A refused task makes news.queue skip the queue for a few seconds (per process); a
    # test that refuses one must not leave the next test's tasks unsent.
    yield
    queue.breaker.reset()


@pytest.fixture(autouse=True)
def _no_photos_from_the_internet(settings):
    # Imported releases offer photos at real addresses (gov.kz, feeds' hosts): tests never
    # fetch them. tests/news/test_import_lead_photos.py turns photos on with a local server.
    settings.PRESSROOM_IMPORT_PHOTOS = False


@pytest.fixture(autouse=True)
def _locmem_email(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []


@pytest.fixture
def agency(db):
    return AgencyFactory(slug="agency-a", name_en="Agency A")


@pytest.fixture
def other_agency(db):
    return AgencyFactory(slug="agency-b", name_en="Agency B")


@pytest.fixture
def press_officer(agency):
    user = UserFactory(username="officer", groups=[roles.PRESS_OFFICERS])
    MembershipFactory(user=user, agency=agency)
    return user


@pytest.fixture
def other_officer(other_agency):
    user = UserFactory(username="other-officer", groups=[roles.PRESS_OFFICERS])
    MembershipFactory(user=user, agency=other_agency)
    return user


@pytest.fixture
def editor(db):
    return UserFactory(username="editor", groups=[roles.EDITORS])


@pytest.fixture
def second_editor(db):
    return UserFactory(username="editor2", groups=[roles.EDITORS])


@pytest.fixture
def administrator(db):
    return UserFactory(username="administrator", groups=[roles.ADMINISTRATORS])


@pytest.fixture
def draft(agency, press_officer):
    return ArticleFactory(agency=agency, author=press_officer)


@pytest.fixture
def celery_worker(transactional_db, django_db_serialized_rollback, settings):
    """A real Celery worker thread consuming from Redis, for end-to-end task tests."""
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    from .services import redis_url

    previous = {key: app.conf[key] for key in ("broker_url", "result_backend", "task_always_eager")}
    app.conf.update(broker_url=redis_url, result_backend=redis_url, task_always_eager=False)
    forget_cached_connections(app)
    try:
        with start_worker(app, perform_ping_check=False, loglevel="WARNING") as worker:
            yield worker
    finally:
        app.conf.update(previous)
        forget_cached_connections(app)


def forget_cached_connections(app):
    """Celery keeps the first result backend and broker pool it built, even from eager calls;
    the worker tests switch both to Redis and back."""
    app._backend_cache = None
    app._local.__dict__.pop("backend", None)
    app._pool = None
    app.amqp._producer_pool = None
