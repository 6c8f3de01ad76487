"""Celery tasks run in a real worker consuming from Redis, not in eager mode."""

import time
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from news import tasks, workflow
from news.models import Article, ImportItem, ImportRun, ImportSource

from .helpers import ENORMOUS_ENDING, Status, article_in, enormous_release

pytestmark = [pytest.mark.redis, pytest.mark.postgres]


def wait_for(result, timeout=30):
    return result.get(timeout=timeout, disable_sync_subtasks=False)


def wait_until(find, timeout=30.0):
    """Poll until `find()` returns something, as a person refreshing the admin would."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = find()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError(f"nothing found within {timeout} s")


def test_worker_publishes_articles_whose_time_has_come(celery_worker, editor):
    due = article_in(Status.SCHEDULED, publish_at=timezone.now() + timedelta(hours=1))
    not_yet = article_in(Status.SCHEDULED, publish_at=timezone.now() + timedelta(days=2))
    Article.objects.filter(pk=due.pk).update(publish_at=timezone.now() - timedelta(minutes=1))

    published = wait_for(tasks.publish_scheduled_articles.apply_async(ignore_result=False))

    assert published == [due.pk]
    due.refresh_from_db()
    not_yet.refresh_from_db()
    assert (due.status, not_yet.status) == (Status.PUBLISHED, Status.SCHEDULED)
    assert due.transitions.get(name="publish").actor is None


def test_worker_sends_the_submission_email_to_editors(celery_worker, draft, press_officer, editor):
    workflow.apply_transition("submit", article=draft, user=press_officer)
    step = draft.transitions.get(name="submit")

    sent = wait_for(
        tasks.send_transition_notifications.apply_async((step.pk,), ignore_result=False)
    )

    assert sent >= 1
    assert editor.email in [message.to[0] for message in mail.outbox]


def test_beat_schedule_runs_the_publisher_every_minute(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["publish-scheduled-articles"]
    assert entry["task"] == tasks.publish_scheduled_articles.name
    assert entry["schedule"].minute == set(range(60))


RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Akimat news</title><language>ru</language>
<item><title>В Костанае открыли новую библиотеку</title>
<link>https://www.gov.kz/memleket/entities/kostanay/press/news/details/501?lang=ru</link>
<guid>https://www.gov.kz/memleket/entities/kostanay/press/news/details/501?lang=ru</guid>
<pubDate>Tue, 03 Feb 2026 10:00:00 +0500</pubDate>
<description>&lt;p&gt;Акимат Костанайской области открыл библиотеку
на десять тысяч книг.&lt;/p&gt;</description>
</item>
<item><title>В Костанайской области отремонтировали дороги</title>
<link>https://www.gov.kz/memleket/entities/kostanay/press/news/details/502?lang=ru</link>
<guid>https://www.gov.kz/memleket/entities/kostanay/press/news/details/502?lang=ru</guid>
<pubDate>Wed, 04 Feb 2026 10:00:00 +0500</pubDate>
<description>&lt;p&gt;За лето в регионе отремонтировали
сто двадцать километров дорог.&lt;/p&gt;</description>
</item></channel></rss>"""


@pytest.fixture
def feed_server():
    """A feed served on loopback, as a newsroom's source would be."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            body = RSS.encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/rss"
    server.shutdown()
    server.server_close()


def test_worker_runs_a_scheduled_source_end_to_end(celery_worker, feed_server, settings):
    import json

    from django_celery_beat.models import CrontabSchedule

    from config.celery import app
    from news.importing.sources import sync_schedule
    from news.models import ImportRun, ImportSource

    settings.PRESSROOM_IMPORT_ALLOWED_NETWORKS = ["127.0.0.1/32"]  # the feed server's
    schedule = CrontabSchedule.objects.create(minute="*/15")
    source = ImportSource.objects.create(
        name="Kostanay akimat feed", kind=ImportSource.Kind.RSS, location=feed_server,
        schedule=schedule,
    )  # fmt: skip
    sync_schedule(source)
    entry = source.periodic_task
    assert (entry.task, entry.crontab, entry.enabled) == (
        "news.tasks.run_import_source",
        schedule,
        True,
    )

    # What beat sends when the entry is due; beat asks for no result, so watch the database.
    app.send_task(entry.task, args=json.loads(entry.args))
    run = wait_until(
        lambda: ImportRun.objects.filter(source=source).exclude(status="running").first()
    )

    assert (run.status, run.created, run.source) == (ImportRun.Status.SUCCEEDED, 2, source)
    articles = Article.objects.filter(agency__slug="kostanay").order_by("external_id")
    assert [a.external_id for a in articles] == ["501", "502"]
    assert {a.language for a in articles} == {"ru"}
    assert {a.region.iso_code for a in articles} == {"KZ-39"}

    app.send_task(entry.task, args=json.loads(entry.args))
    again = wait_until(
        lambda: (
            ImportRun.objects.filter(source=source)
            .exclude(pk=run.pk)
            .exclude(status="running")
            .first()
        )
    )
    assert (again.created, again.unchanged) == (0, 2)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["digest", "rss", "atom"])
def test_a_scheduled_source_keeps_the_whole_text_of_a_release_it_cut(tmp_path, settings, kind):
    settings.PRESSROOM_IMPORT_DIR = str(tmp_path)
    path = tmp_path / f"releases.{kind}"
    path.write_bytes(enormous_release(kind))
    source = ImportSource.objects.create(name="Kostanay", kind=kind, location=str(path))

    # As beat sends it: no queued run, the task makes its own.
    tasks.run_import_source.apply(args=[source.pk], task_id="beat-1")

    run = ImportRun.objects.get(source=source)
    assert (run.status, run.created, run.flagged) == (ImportRun.Status.SUCCEEDED, 1, 1)
    kept = run.items.get()
    assert (kept.outcome, kept.article) == (
        ImportItem.Outcome.FULL_TEXT_KEPT,
        Article.objects.get(),
    )
    assert ENORMOUS_ENDING in kept.raw


def test_imported_release_is_translated_by_a_worker_reviewed_published_and_outdated(
    celery_worker, settings, editor
):
    """Issue 4, end to end: a Russian-only import gets kk and en versions from LibreTranslate
    in a real worker; an editor reviews one side by side and publishes it; editing the
    original marks both translations outdated."""
    from django.test import Client
    from django.urls import reverse

    from agencies.models import Agency
    from news.importing.saving import ImportOptions, run_import
    from news.models import Translation

    from .test_admin import form_data
    from .translation_fakes import LibreTranslateFake

    server = LibreTranslateFake()
    settings.PRESSROOM_TRANSLATION_ENGINE = "libretranslate"
    settings.PRESSROOM_LIBRETRANSLATE_URL = server.url
    settings.PRESSROOM_LIBRETRANSLATE_API_KEY = "secret"
    settings.PRESSROOM_AUTO_TRANSLATE_IMPORTS = True
    digest = (
        "Аким Костанайской области открыл новую библиотеку 03.02.2026\n"
        "Библиотека на десять тысяч книг открылась в Костанае.\n"
    )
    try:
        options = ImportOptions(default_agency=Agency.objects.get(slug="kostanay"))
        run_import(digest.encode(), input_name="digest.txt", format="digest", options=options)
        original = Article.objects.get(language="ru")
        translations = wait_until(
            lambda: (
                list(Article.objects.filter(translation_record__original=original))
                if Article.objects.filter(translation_record__original=original).count() == 2
                else None
            )
        )
    finally:
        server.close()

    by_language = {article.language: article for article in translations}
    assert set(by_language) == {"kk", "en"}
    kk = by_language["kk"]
    assert kk.title == "kk: Әкім Костанайской области открыл новую библиотеку"
    assert (kk.status, kk.translation_record.state) == (Status.IN_REVIEW, "machine")
    assert {request.body["target"] for request in server.requests_to("/translate")} == {"kk", "en"}

    client = Client()
    client.force_login(editor)
    side_by_side = reverse("admin:news_article_side_by_side", args=[original.pk, "kk"])
    page = client.get(side_by_side)
    assert "Библиотека на десять тысяч книг" in page.content.decode()
    data = form_data(page, "translation-form")
    data["title"] = "Қостанай облысының әкімі жаңа кітапхана ашты"
    reviewed = client.post(side_by_side, {**data, "_save_reviewed": "1"})
    assert reviewed.status_code == 302
    for step in ("approve", "publish"):
        # An imported release has no lead: a pre-publish warning to go ahead despite.
        going_ahead = {"go_ahead": "on", "override_reason": "Imported releases have no lead."}
        done = client.post(
            reverse("admin:news_article_transition", args=[kk.pk, step]), going_ahead
        )
        assert done.status_code == 302, done.content.decode()
    kk.refresh_from_db()
    assert kk.status == Status.PUBLISHED
    assert kk.title == "Қостанай облысының әкімі жаңа кітапхана ашты"
    assert kk.translation_record.state == "reviewed" and not kk.is_machine_translated

    change = reverse("admin:news_article_change", args=[original.pk])
    data = form_data(client.get(change))
    data["body"] = "<p>Библиотека на двенадцать тысяч книг открылась в Костанае.</p>"
    saved = client.post(change, data)
    assert saved.status_code == 302, saved.context["adminform"].form.errors

    outdated = Translation.objects.filter(original=original).values_list("outdated", flat=True)
    assert list(outdated) == [True, True]
