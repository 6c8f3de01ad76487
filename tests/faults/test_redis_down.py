"""Redis stopped: the public site still serves, and imports and translations requested
meanwhile wait in the database and run once Redis and a worker are back."""

import logging

import psycopg
import pytest

from config.cache import ResilientRedisCache
from tests.news.translation_fakes import LibreTranslateFake

from .conftest import django, pressroom_env, run_state, wait_until

pytestmark = pytest.mark.faults

# In the web process, with Redis down: the public pages, an upload and a translation request
# through the admin, as an editor would make them.
WHILE_REDIS_IS_DOWN = """
import json, logging
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from news.models import Article
from tests.factories import ArticleFactory

article = ArticleFactory(
    title="Akimat opens a new library", status=Article.Status.PUBLISHED,
    published_at=timezone.now(),
)
admin = get_user_model().objects.create_superuser("chief", "chief@example.kz", "unused-pw-123")
reader, editor = Client(), Client()
editor.force_login(admin)

class Attempts(logging.Handler):
    # config.cache logs each call that found Redis unreachable; calls it skips log nothing.
    count = 0

    def emit(self, record):
        self.count += 1


attempts = Attempts()
logging.getLogger("config.cache").addHandler(attempts)
pages = {}
for path in ["/en/", "/en/releases/", article.get_absolute_url()]:
    attempts.count = 0
    response = reader.get(path)
    pages[path] = [response.status_code, attempts.count,
                   "Akimat opens a new library" in response.content.decode()]
digest = (
    "Regions\\nA library opens in Kostanay 03.02.2026\\nTen thousand books.Source : "
    "https://www.gov.kz/memleket/entities/kostanay/press/news/details/77?lang=en\\n"
).encode()
upload = editor.post(
    reverse("admin:news_importrun_add"),
    {"file": SimpleUploadedFile("digest.txt", digest), "format": "auto"}, follow=True,
)
translate = editor.post(
    reverse("admin:news_article_changelist"),
    {"action": "translate_missing", "_selected_action": [article.pk]}, follow=True,
)
print(json.dumps({
    "pages": pages,
    "article": article.pk,
    "upload": [upload.status_code, upload.redirect_chain[0][1] if upload.redirect_chain else 0,
               upload.content.decode()],
    "translate": [translate.status_code, translate.content.decode()],
}))
"""


def test_with_redis_down_pages_serve_and_work_waits_then_runs_when_it_is_back(
    database, private_redis, start_worker
):
    fake = LibreTranslateFake(api_key="secret")
    env = pressroom_env(
        database,
        private_redis.url,
        PRESSROOM_TRANSLATION_ENGINE="libretranslate",
        PRESSROOM_LIBRETRANSLATE_URL=fake.url,
        PRESSROOM_LIBRETRANSLATE_API_KEY="secret",
    )
    try:
        private_redis.stop()
        down = django(env, WHILE_REDIS_IS_DOWN)

        for path, (status, attempts, found) in down["pages"].items():
            assert (status, found) == (200, True), path
            # Quick however slow the machine: at most one wait for Redis (a socket timeout),
            # then the cache is skipped. A clock here would measure the machine too.
            assert attempts <= 1, f"{path} tried the stopped Redis {attempts} times"
        status, redirected, page = down["upload"]
        assert (status, redirected) == (200, 302)
        assert "The task queue is unavailable; the import will run when it is back." in page
        status, page = down["translate"]
        assert status == 200
        assert "The task queue is unavailable; the translation will run when it is back." in page

        with psycopg.connect(database, autocommit=True) as connection:
            (run_id,) = connection.execute("SELECT id FROM news_importrun").fetchone()
            jobs = connection.execute(
                "SELECT language, status, error_code FROM news_translationjob ORDER BY language"
            ).fetchall()
        assert run_state(database, run_id)["status"] == "queued"
        assert run_state(database, run_id)["error_code"] == "queue_unavailable"
        assert jobs == [
            ("kk", "queued", "queue_unavailable"),
            ("ru", "queued", "queue_unavailable"),
        ]

        private_redis.start()
        resent = django(
            env, "import json; from news.tasks import resend_queued_work; "
            "print(json.dumps(resend_queued_work()))"
        )  # fmt: skip
        assert resent == {"imports": 1, "translations": 2, "abandoned": 0}
        worker = start_worker(env)

        def all_done():
            """The import succeeded and both translations are done."""
            with psycopg.connect(database, autocommit=True) as connection:
                statuses = connection.execute(
                    "SELECT status FROM news_translationjob "
                    "UNION ALL SELECT status FROM news_importrun"
                ).fetchall()
            return sorted(statuses) == [("done",), ("done",), ("succeeded",)]

        wait_until(all_done, interval=0.2, context=worker.output)
        with psycopg.connect(database, autocommit=True) as connection:
            titles = sorted(row[0] for row in connection.execute("SELECT title FROM news_article"))
            errors = connection.execute(
                "SELECT error_code FROM news_translationjob UNION ALL "
                "SELECT error_code FROM news_importrun"
            ).fetchall()
        assert titles == [
            "A library opens in Kostanay",
            "Akimat opens a new library",
            "kk: Akimat opens a new library",
            "ru: Akimat opens a new library",
        ]
        assert errors == [("",), ("",), ("",)]
    finally:
        fake.close()


def test_the_cache_misses_quickly_while_redis_is_down_and_works_again_after(private_redis, caplog):
    cache = ResilientRedisCache(
        private_redis.url, {"OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}}
    )
    cache.set("page", "cached")
    assert cache.get("page") == "cached"

    private_redis.stop()
    with caplog.at_level(logging.WARNING, logger="config.cache"):
        assert cache.get("page", "missing") == "missing"
        cache.set("page", "other")
        assert cache.add("page", "other") is False
        assert cache.get_many(["page"]) == {}
        with pytest.raises(ValueError):
            cache.incr("generation")
    # Quick on any machine: only the first call waited for Redis, the others skipped it
    # (a clock here measured the machine as much as the cache).
    failures = [record for record in caplog.records if record.name == "config.cache"]
    assert len(failures) == 1
    assert failures[0].getMessage().startswith("Cache unavailable")

    private_redis.start()  # empty: this Redis keeps nothing on disk
    cache._skip_until = 0  # past the few seconds it is skipped after a failure
    cache.set("page", "fresh")
    assert cache.get("page") == "fresh"
