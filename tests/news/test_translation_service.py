"""Requesting, making, editing and reviewing translations through the service, with tasks
run eagerly against a local LibreTranslate."""

import pytest
from django.utils import timezone

from news import editing, workflow
from news.models import Article, Translation, TranslationJob
from news.translation import group, service

from ..factories import ArticleFactory, seeded_region
from .translation_fakes import LibreTranslateFake, Reply

pytestmark = pytest.mark.django_db

Job = TranslationJob.Status
State = Translation.State
BODY = '<p>Аким <a href="https://gov.kz/x">открыл</a> школу.</p><p>Второй абзац.</p>'


@pytest.fixture
def libretranslate(settings):
    server = LibreTranslateFake()
    settings.PRESSROOM_TRANSLATION_ENGINE = "libretranslate"
    settings.PRESSROOM_LIBRETRANSLATE_URL = server.url
    settings.PRESSROOM_LIBRETRANSLATE_API_KEY = "secret"
    settings.PRESSROOM_TRANSLATION_TIMEOUT = 2
    yield server
    server.close()


@pytest.fixture
def original(agency):
    article = ArticleFactory(
        title="Аким открыл школу",
        lead="Новая школа на 600 мест.",
        body=BODY,
        language="ru",
        agency=agency,
        status=Article.Status.IN_REVIEW,
        source_url="https://gov.kz/release/1",
        attribution="Пресс-служба акимата",
        sources=["https://gov.kz/release/1"],
    )
    article.tags.add("образование")
    return article


def translate(article, commit, language="kk", user=None):
    with commit(execute=True):
        return service.request_translation(original=article, language=language, user=user)


def edit(article, user, **changes) -> Article:
    return editing.article_update(
        article=article, user=user, changes=changes, expected_version=article.version
    )


def version_in(article, language) -> Article:
    return Article.objects.get(translation_group=article.translation_group, language=language)


def test_a_queued_translation_becomes_an_article_in_the_group(
    libretranslate, original, django_capture_on_commit_callbacks
):
    outcome = translate(original, django_capture_on_commit_callbacks)

    assert outcome.code == "queued"
    kk = version_in(original, "kk")
    assert kk.title == "kk: [T0] открыл школу".replace("[T0]", "Әкім")
    assert kk.lead == "kk: Новая школа на 600 мест."
    assert kk.attribution == "kk: Пресс-служба акимата"
    assert kk.body == (
        '<p>kk: Әкім <a href="https://gov.kz/x" rel="noopener noreferrer">kk: открыл</a>'
        " kk: школу.</p>\n<p>kk: Второй абзац.</p>"
    )
    assert (kk.agency, kk.region, kk.release_date) == (
        original.agency,
        original.region,
        original.release_date,
    )
    assert (kk.source_url, kk.sources) == (original.source_url, original.sources)
    assert set(kk.tags.names()) == {"образование"}
    assert kk.status == Article.Status.IN_REVIEW
    assert kk.transitions.get().name == "translate"
    record = kk.translation_record
    assert (record.original, record.method, record.engine, record.state) == (
        original,
        Translation.Method.ENGINE,
        "libretranslate",
        State.MACHINE,
    )
    assert record.original_version == original.version and not record.outdated
    assert kk.is_machine_translated and not kk.is_original and original.is_original
    assert TranslationJob.objects.get(original=original, language="kk").status == Job.DONE


def test_requesting_again_does_nothing(
    libretranslate, original, django_capture_on_commit_callbacks
):
    translate(original, django_capture_on_commit_callbacks)
    calls = len(libretranslate.requests_to("/translate"))

    again = translate(original, django_capture_on_commit_callbacks)

    assert again.code == "up_to_date"
    assert len(libretranslate.requests_to("/translate")) == calls
    assert Article.objects.filter(translation_group=original.translation_group).count() == 2


def test_running_a_finished_job_again_does_nothing(
    libretranslate, original, django_capture_on_commit_callbacks
):
    translate(original, django_capture_on_commit_callbacks)
    job = TranslationJob.objects.get(original=original, language="kk")

    assert service.run_job(job.pk) == Job.DONE
    assert len(libretranslate.requests_to("/translate")) == 1


def test_without_an_engine_the_request_is_a_task_for_a_person(
    settings, original, django_capture_on_commit_callbacks
):
    settings.PRESSROOM_TRANSLATION_ENGINE = ""
    outcome = translate(original, django_capture_on_commit_callbacks)

    assert outcome.code == "no_engine"
    job = TranslationJob.objects.get(original=original, language="kk")
    assert (job.status, job.error_code) == (Job.NEEDS_PERSON, "no_engine")
    assert not Article.objects.filter(translation_group=original.translation_group, language="kk")


def test_an_unsupported_pair_is_a_task_for_a_person(
    settings, original, django_capture_on_commit_callbacks
):
    server = LibreTranslateFake(languages=("ru", "en"))
    settings.PRESSROOM_TRANSLATION_ENGINE = "libretranslate"
    settings.PRESSROOM_LIBRETRANSLATE_URL = server.url
    settings.PRESSROOM_LIBRETRANSLATE_API_KEY = "secret"
    try:
        translate(original, django_capture_on_commit_callbacks)
    finally:
        server.close()
    job = TranslationJob.objects.get(original=original, language="kk")
    assert (job.status, job.error_code, job.engine) == (
        Job.NEEDS_PERSON,
        "unsupported_pair",
        "libretranslate",
    )
    assert "Kazakh" in job.error_message
    assert server.requests_to("/translate") == []


def queued_job(original, language="kk") -> TranslationJob:
    outcome = service.request_translation(original=original, language=language)
    assert outcome.code == "queued"
    return TranslationJob.objects.get(original=original, language=language)


@pytest.fixture
def retries_run_through(monkeypatch):
    """Eager tasks re-run a retry at once instead of raising it, as a worker would later."""
    from config.celery import app
    from news import tasks

    monkeypatch.setitem(app.conf, "task_eager_propagates", False)
    delays = []

    def recorded_delay(retries, retry_after):
        delays.append((retries, retry_after))
        return 0

    monkeypatch.setattr(tasks, "retry_delay", recorded_delay)
    return delays


def test_a_busy_engine_is_retried_as_it_asks_then_with_backoff(
    libretranslate, original, retries_run_through
):
    from news.tasks import translate_article

    job = queued_job(original)
    libretranslate.fail_next(
        Reply(429, {"error": "Slowdown"}, {"Retry-After": "3"}),
        Reply(502, {"error": "Bad gateway"}),
    )

    result = translate_article.apply(args=[job.pk])

    job.refresh_from_db()
    assert (result.state, result.result, job.status, job.attempts) == (
        "SUCCESS",
        "done",
        Job.DONE,
        3,
    )
    assert retries_run_through == [(0, 3.0), (1, None)]
    assert version_in(original, "kk").title.startswith("kk: ")


def test_retry_delay_follows_retry_after_else_backs_off_exponentially():
    from news.tasks import retry_delay

    assert retry_delay(0, 3.0) == 3.0
    assert retry_delay(5, 7200.0) == 3600
    assert 8 <= retry_delay(0, None) <= 12
    assert 32 <= retry_delay(2, None) <= 48
    assert 480 <= retry_delay(9, None) <= 720


def test_an_engine_down_for_good_hands_the_job_to_a_person(
    libretranslate, original, retries_run_through
):
    from news.tasks import TRANSLATION_MAX_RETRIES, translate_article

    job = queued_job(original)
    libretranslate.fail_next(*[Reply(500, {"error": "down"})] * (TRANSLATION_MAX_RETRIES + 1))

    result = translate_article.apply(args=[job.pk])

    job.refresh_from_db()
    assert (result.result, job.status, job.error_code) == (
        Job.NEEDS_PERSON,
        Job.NEEDS_PERSON,
        "engine_error",
    )
    assert job.attempts == TRANSLATION_MAX_RETRIES + 1
    assert "500" in job.error_message
    assert libretranslate.requests_to("/translate") == []


def test_a_malformed_answer_is_not_saved(
    libretranslate, original, django_capture_on_commit_callbacks
):
    libretranslate.fail_next(Reply(200, [{"code": "ru", "targets": ["kk"]}]), Reply(200, b"oops"))
    translate(original, django_capture_on_commit_callbacks)

    job = TranslationJob.objects.get(original=original, language="kk")
    assert (job.status, job.error_code) == (Job.NEEDS_PERSON, "malformed_response")
    assert not Article.objects.filter(translation_group=original.translation_group, language="kk")


def test_editing_the_original_marks_its_translations_outdated_and_retranslates_machine_ones(
    libretranslate, original, django_capture_on_commit_callbacks, editor
):
    translate(original, django_capture_on_commit_callbacks)
    translate(original, django_capture_on_commit_callbacks, "en")
    kk = version_in(original, "kk")

    original.refresh_from_db()
    edit(original, editor, title="Аким открыл две школы")

    assert set(
        Translation.objects.filter(original=original).values_list("outdated", flat=True)
    ) == {True}
    outcome = translate(original, django_capture_on_commit_callbacks)
    assert outcome.code == "queued"
    kk_again = version_in(original, "kk")
    assert kk_again.pk == kk.pk
    assert kk_again.title == "kk: Әкім открыл две школы"
    assert not kk_again.translation_record.outdated
    assert version_in(original, "en").translation_record.outdated


def test_a_persons_edits_are_never_overwritten(
    libretranslate, original, django_capture_on_commit_callbacks, editor
):
    translate(original, django_capture_on_commit_callbacks)
    kk = version_in(original, "kk")
    service.save_translation(
        original=original,
        language="kk",
        user=editor,
        content={"title": "Әкім мектеп ашты", "lead": kk.lead, "body": kk.body},
        expected_version=kk.version,
    )
    assert version_in(original, "kk").translation_record.state == State.EDITED
    original.refresh_from_db()
    edit(original, editor, lead="Школа на 900 мест.")

    outcome = translate(original, django_capture_on_commit_callbacks)

    assert outcome.code == "edited_by_person"
    assert version_in(original, "kk").title == "Әкім мектеп ашты"
    job = TranslationJob.objects.get(original=original, language="kk")
    assert (job.status, job.error_code) == (Job.NEEDS_PERSON, "edited_by_person")


def test_a_person_can_translate_where_no_engine_can(
    settings, original, press_officer, django_capture_on_commit_callbacks
):
    settings.PRESSROOM_TRANSLATION_ENGINE = ""
    translate(original, django_capture_on_commit_callbacks, "en")

    article = service.save_translation(
        original=original,
        language="en",
        user=press_officer,
        content={"title": "Akim opens a school", "lead": "", "body": "<p>Text.</p>"},
        expected_version=service.NO_TRANSLATION,
    )

    record = article.translation_record
    assert (record.method, record.translator, record.state) == (
        Translation.Method.PERSON,
        press_officer,
        State.EDITED,
    )
    assert (article.status, article.author, article.agency) == (
        Article.Status.DRAFT,
        press_officer,
        original.agency,
    )
    assert not article.is_machine_translated
    assert TranslationJob.objects.get(original=original, language="en").status == Job.DONE


def test_a_press_officer_cannot_translate_another_agencys_article(original, other_officer):
    with pytest.raises(workflow.WorkflowError) as raised:
        service.save_translation(
            original=original,
            language="en",
            user=other_officer,
            content={"title": "x", "lead": "", "body": ""},
            expected_version=service.NO_TRANSLATION,
        )
    assert raised.value.code == "agency_scope"


def test_group_fields_and_tags_follow_any_version(
    libretranslate, original, django_capture_on_commit_callbacks, editor
):
    translate(original, django_capture_on_commit_callbacks)
    kk = version_in(original, "kk")
    editing.article_update(
        article=kk,
        user=editor,
        changes={
            "region": seeded_region("KZ-75"),
            "release_date": timezone.localdate() - timezone.timedelta(days=3),
        },
        tags=["образование", "мектеп"],
        expected_version=kk.version,
    )

    original.refresh_from_db()
    assert original.region.iso_code == "KZ-75"
    assert original.release_date == kk.release_date
    assert set(original.tags.names()) == {"образование", "мектеп"}
    assert original.history.first().history_change_reason == "Kept in step with the kk version"


def test_a_batch_reports_each_article_and_goes_on(
    libretranslate, agency, other_agency, press_officer, django_capture_on_commit_callbacks
):
    mine = [ArticleFactory(language="ru", agency=agency, title=f"Релиз {n}") for n in range(5)]
    theirs = ArticleFactory(language="ru", agency=other_agency)

    with django_capture_on_commit_callbacks(execute=True):
        outcomes = service.request_missing_translations(
            articles=[*mine[:2], theirs, *mine[2:]], user=press_officer
        )

    by_code = {}
    for outcome in outcomes:
        by_code.setdefault(outcome.code, []).append(outcome)
    assert len(by_code["queued"]) == 10
    [refused] = by_code["agency_scope"]
    assert refused.original == theirs
    assert Article.objects.filter(translation_record__original__in=mine).count() == 10


def test_mark_reviewed_clears_outdated_and_records_who(
    libretranslate, original, django_capture_on_commit_callbacks, editor
):
    translate(original, django_capture_on_commit_callbacks)
    original.body = "<p>Новый текст.</p>"
    original.save()
    group.record_edit(article=original, changed_fields=["body"], user=editor)
    kk = version_in(original, "kk")

    record = service.mark_reviewed(article=kk, user=editor)

    assert (record.state, record.reviewed_by, record.outdated) == (State.REVIEWED, editor, False)
    assert record.original_version == Article.objects.get(pk=original.pk).version
    assert not version_in(original, "kk").is_machine_translated


def test_only_translations_can_be_reviewed_and_only_in_scope(
    libretranslate, original, django_capture_on_commit_callbacks, other_officer, editor
):
    translate(original, django_capture_on_commit_callbacks)
    with pytest.raises(workflow.WorkflowError) as raised:
        service.mark_reviewed(article=original, user=editor)
    assert raised.value.code == "not_a_translation"
    with pytest.raises(workflow.WorkflowError) as raised:
        service.mark_reviewed(article=version_in(original, "kk"), user=other_officer)
    assert raised.value.code == "permission_denied"


def test_imported_releases_are_queued_for_missing_languages_when_configured(
    settings, libretranslate, django_capture_on_commit_callbacks
):
    from news.importing.saving import run_import

    settings.PRESSROOM_AUTO_TRANSLATE_IMPORTS = True
    digest = "В Шымкенте открыли новый парк 03.02.2026\nАким города открыл парк на 10 гектаров.\n"
    with django_capture_on_commit_callbacks(execute=True):
        run_import(digest.encode(), input_name="digest.txt", format="digest")

    imported = Article.objects.get(language="ru")
    assert imported.is_original
    translated = Article.objects.filter(translation_record__original=imported)
    assert sorted(translated.values_list("language", flat=True)) == ["en", "kk"]


def test_imports_are_not_translated_unless_configured(
    settings, libretranslate, django_capture_on_commit_callbacks
):
    from news.importing.saving import run_import

    settings.PRESSROOM_AUTO_TRANSLATE_IMPORTS = False
    digest = "В Шымкенте открыли новый парк 03.02.2026\nАким города открыл парк.\n"
    with django_capture_on_commit_callbacks(execute=True):
        run_import(digest.encode(), input_name="digest.txt", format="digest")

    assert TranslationJob.objects.count() == 0
    assert Article.objects.count() == 1


def test_a_batch_of_many_translates_all_but_the_refused_ones(
    settings, agency, editor, django_capture_on_commit_callbacks
):
    server = LibreTranslateFake(refuse="НЕПЕРЕВОДИМО")
    settings.PRESSROOM_TRANSLATION_ENGINE = "libretranslate"
    settings.PRESSROOM_LIBRETRANSLATE_URL = server.url
    settings.PRESSROOM_LIBRETRANSLATE_API_KEY = "secret"
    articles = [
        ArticleFactory(
            language="ru",
            agency=agency,
            title=f"Релиз {n}" + (" НЕПЕРЕВОДИМО" if n % 20 == 7 else ""),
        )
        for n in range(60)
    ]
    try:
        with django_capture_on_commit_callbacks(execute=True):
            outcomes = service.request_missing_translations(articles=articles, user=editor)
    finally:
        server.close()

    assert len(outcomes) == 120 and all(outcome.queued for outcome in outcomes)
    refused = TranslationJob.objects.filter(status=Job.NEEDS_PERSON)
    assert sorted(refused.values_list("original__title", flat=True)) == sorted(
        [f"Релиз {n} НЕПЕРЕВОДИМО" for n in (7, 27, 47)] * 2
    )
    assert {job.error_code for job in refused} == {"engine_rejected"}
    assert "Cannot translate this text" in refused.first().error_message
    assert TranslationJob.objects.filter(status=Job.DONE).count() == 114
    assert Translation.objects.count() == 114


def test_the_offline_engine_translates_an_article_keeping_its_markup(
    settings, original, tmp_path, django_capture_on_commit_callbacks
):
    from .test_translation_engines import make_package

    make_package(tmp_path / "translate-ru_en", "ru", "en", seed=3)
    settings.PRESSROOM_TRANSLATION_ENGINE = "argos"
    settings.PRESSROOM_ARGOS_PACKAGES_DIR = str(tmp_path)

    english = translate(original, django_capture_on_commit_callbacks, "en")
    kazakh = translate(original, django_capture_on_commit_callbacks, "kk")

    assert (english.code, kazakh.code) == ("queued", "queued")
    en = version_in(original, "en")
    assert en.translation_record.engine == "argos"
    # Nonsense words from random weights, inside the original's paragraphs and link.
    assert en.body.count("<p>") == 2
    assert '<a href="https://gov.kz/x" rel="noopener noreferrer">' in en.body
    kk_job = TranslationJob.objects.get(original=original, language="kk")
    assert (kk_job.status, kk_job.error_code) == (Job.NEEDS_PERSON, "language_package_missing")
    assert str(tmp_path) in kk_job.error_message


def test_an_import_that_updates_the_original_outdates_its_translations(
    settings, libretranslate, django_capture_on_commit_callbacks
):
    from news.importing.saving import run_import

    settings.PRESSROOM_AUTO_TRANSLATE_IMPORTS = True
    digest = (
        "В Костанае открыли библиотеку 03.02.2026\n"
        "Библиотека на десять тысяч книг.\n"
        "Source : https://www.gov.kz/memleket/entities/kostanay/press/news/details/77?lang=ru\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        run_import(digest.encode(), input_name="a.txt", format="digest")
    with django_capture_on_commit_callbacks(execute=True):
        _, report = run_import(
            digest.replace("десять", "двенадцать").encode(), input_name="a.txt", format="digest"
        )

    assert report.updated == 1
    original = Article.objects.get(language="ru")
    assert "двенадцать" in original.body
    records = Translation.objects.filter(original=original)
    assert sorted(records.values_list("article__language", "outdated")) == [
        ("en", True),
        ("kk", True),
    ]
