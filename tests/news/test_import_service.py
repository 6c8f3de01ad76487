"""The saving service end to end: the real sample, re-runs, updates, bad input."""

import re
from datetime import date

import pytest
from django.db import DatabaseError
from django.utils import timezone, translation
from django.utils.html import strip_tags
from taggit.models import Tag

from agencies.models import Agency
from news.flags import Flag
from news.importing.saving import ImportOptions, import_items, run_import
from news.models import Article, ArticleFlag, ArticleTransition, ImportItem, ImportRun

from ..factories import AgencyFactory
from ..shared import SAMPLE_DIGEST, shared_path
from .helpers import ENORMOUS_ENDING, ENORMOUS_TITLE, enormous_release

pytestmark = pytest.mark.django_db

Status = Article.Status

# title start -> (agency slug or None, region ISO or None, language, flags that must be there)
SAMPLE_EXPECTATIONS = {
    "A non-woven fabrics factory": ("shymkent", "KZ-79", "en", set()),
    "«Слышащее государство»": ("kostanai-kalasy-akimat", "KZ-39", "en", {Flag.LANGUAGE_MISMATCH}),
    "The Head of State participated": (None, None, "en", {Flag.AGENCY_UNRESOLVED}),
    "The Navy has begun": ("mod", "KZ", "ru", {Flag.LANGUAGE_MISMATCH}),
    "December 13 – Day of Penal": ("duisastana", "KZ-71", "en", set()),
    "Strengthening the material": ("kostanay", "KZ-39", "en", set()),
    "Preventive operation": ("duisastana", "KZ-71", "en", set()),
    "An open Day for parents": ("mod", "KZ", "en", {Flag.EMPTY_BODY}),
    "Ambassador of Kazakhstan Presents": ("mfa-washington", "KZ", "en", set()),
    "International Monetary Fund": ("mfa-washington", "KZ", "en", set()),
    "Kazakhstan and UNDP": ("mfa", "KZ", "en", set()),
    "President of Kazakhstan Delivers": ("mfa-geneva", "KZ", "en", set()),
    "Memorandum of Understanding": ("mfa-geneva", "KZ", "en", set()),
    "Certificates were awarded": ("kgd-akmola", "KZ-11", "en", set()),
    "The Mayor of Shymkent": ("shymkent", "KZ-79", "en", set()),
    "The Akim of Almaty": ("almaty", "KZ-75", "en", set()),
    "For sustainable development": ("kgd-akmola", "KZ-11", "en", set()),
    "oday, on December 19": ("aqmola-zhaksy", "KZ-11", "en", {Flag.SUSPECT_TITLE}),
}


def import_sample():
    return run_import(shared_path("samples", SAMPLE_DIGEST.name), input_name="sample.txt")


def article_starting(title_start: str) -> Article:
    return Article.objects.select_related("agency", "region").get(title__startswith=title_start)


def test_sample_becomes_18_resolved_articles_in_review():
    run, report = import_sample()
    assert (report.created, report.failed, report.updated) == (18, 0, 0), report.errors
    assert run.status == ImportRun.Status.SUCCEEDED
    assert (run.created, run.processed) == (18, 18)
    assert set(Article.objects.values_list("status", flat=True)) == {Status.IN_REVIEW}

    for title_start, (agency, region, language, flags) in SAMPLE_EXPECTATIONS.items():
        article = article_starting(title_start)
        assert (article.agency.slug if article.agency else None) == agency, title_start
        assert (article.region.iso_code if article.region else None) == region, title_start
        assert article.language == language, title_start
        assert flags <= set(article.flags.values_list("code", flat=True)), title_start
        assert article.release_date in (date(2025, 12, 19), date(2025, 12, 20)), title_start
        assert article.transitions.get().name == "import"


def test_sample_sources_signatures_and_ids():
    import_sample()
    kostanai = article_starting("«Слышащее государство»")
    assert kostanai.source_url.startswith(
        "https://www.gov.kz/memleket/entities/kostanai-kalasy-akimat/press/news/details/1129425"
    )
    assert len(kostanai.sources) == 2
    assert kostanai.sources[1].startswith("https://top-news.kz/slyshashhee-gosudarstvo")
    assert (kostanai.source_key, kostanai.external_id) == ("govkz", "1129425")
    assert "Source :" not in kostanai.body

    mayor = article_starting("The Mayor of Shymkent")
    assert mayor.attribution == "Press service of the Akim of Shymkent"
    assert "Press service" not in mayor.body
    assert mayor.external_id == ""
    # Glued sentences became paragraphs.
    assert article_starting("«Слышащее государство»").body.count("<p>") > 1


def test_second_import_of_the_sample_changes_nothing():
    import_sample()
    snapshot = list(Article.objects.order_by("pk").values())
    steps, flags = ArticleTransition.objects.count(), ArticleFlag.objects.count()

    run, report = import_sample()

    assert (report.created, report.updated, report.unchanged, report.failed) == (0, 0, 18, 0)
    assert list(Article.objects.order_by("pk").values()) == snapshot
    assert (ArticleTransition.objects.count(), ArticleFlag.objects.count()) == (steps, flags)
    assert not ImportItem.objects.filter(run=run).exists()


DIGEST = (
    "Regions\n"
    "Akimat opens a new library in Kostanay 03.02.2026\n"
    "The library has ten thousand books.Readers can borrow them for free."
    "Source : https://www.gov.kz/memleket/entities/kostanay/press/news/details/77?lang=en\n"
)


def test_untouched_import_is_updated_when_the_source_changes():
    run_import(DIGEST.encode(), input_name="a.txt")
    changed = DIGEST.replace("ten thousand", "twelve thousand")
    _, report = run_import(changed.encode(), input_name="a.txt")
    assert (report.created, report.updated) == (0, 1)
    assert "twelve thousand" in Article.objects.get().body


def test_edited_article_keeps_the_persons_text_and_the_new_version_waits_beside_it():
    run_import(DIGEST.encode(), input_name="a.txt")
    article = Article.objects.get()
    article.title = "A new library opens in Kostanay"
    article.save()

    changed = DIGEST.replace("ten thousand", "twelve thousand")
    run, report = run_import(changed.encode(), input_name="a.txt")

    article.refresh_from_db()
    assert article.title == "A new library opens in Kostanay"
    assert "ten thousand" in article.body
    pending = ImportItem.objects.get(run=run)
    assert pending.outcome == ImportItem.Outcome.NEW_VERSION
    assert pending.article == article
    assert "twelve thousand" in pending.proposed["body"]
    assert article.flags.filter(code=Flag.NEW_VERSION_PENDING).exists()
    assert (report.updated, report.flagged) == (0, 1)

    _, again = run_import(changed.encode(), input_name="a.txt")
    assert (again.unchanged, again.flagged) == (1, 0)
    assert ImportItem.objects.filter(outcome=ImportItem.Outcome.NEW_VERSION).count() == 1


def test_duplicates_inside_one_file_are_imported_once_and_reported():
    run, report = run_import((DIGEST + DIGEST.split("\n", 1)[1]).encode(), input_name="d.txt")
    assert (report.created, report.unchanged) == (1, 1)
    assert Article.objects.count() == 1
    item = ImportItem.objects.get(run=run)
    assert item.outcome == ImportItem.Outcome.DUPLICATE_IN_INPUT
    assert "Akimat opens a new library" in item.raw


def test_release_without_id_is_recognised_by_its_content_fingerprint():
    text = "News\nThe akimat of Shymkent opened a park 03.02.2026\nThe park is large.\n"
    run_import(text.encode(), input_name="a.txt")
    _, report = run_import(
        text.replace("The park is large.", "It is big.").encode(), input_name="b"
    )
    assert (report.created, Article.objects.count()) == (0, 1)


def test_unknown_agency_slug_creates_an_inactive_agency_for_review():
    text = DIGEST.replace("entities/kostanay/", "entities/aqmola-burabay/")
    run_import(text.encode(), input_name="a.txt")
    article = Article.objects.select_related("agency", "region").get()
    assert article.agency.slug == "aqmola-burabay"
    assert (article.agency.is_active, article.agency.needs_review) == (False, True)
    assert article.agency.region.iso_code == "KZ-11"
    assert article.flags.filter(code=Flag.AGENCY_UNRESOLVED).exists()


def test_a_duplicate_release_naming_an_unknown_agency_creates_no_agency():
    text = DIGEST.replace("entities/kostanay/", "entities/aqmola-burabay/")
    run_import(text.encode(), input_name="a.txt")
    # An editor gives the new agency its real slug; the portal still says the old one.
    Agency.objects.filter(slug="aqmola-burabay").update(slug="burabay-district")
    _, report = run_import(text.encode(), input_name="a.txt")
    assert (report.created, report.unchanged) == (0, 1)
    assert not Agency.objects.filter(slug="aqmola-burabay").exists()


def test_releases_naming_one_unknown_agency_share_the_agency_it_creates():
    text = DIGEST.replace("entities/kostanay/", "entities/aqmola-burabay/")
    second = text.replace("details/77", "details/78").replace("library", "museum")
    run_import((text + second.split("\n", 1)[1]).encode(), input_name="a.txt")
    agencies = {article.agency for article in Article.objects.select_related("agency")}
    assert Article.objects.count() == 2
    assert [agency.slug for agency in agencies] == ["aqmola-burabay"]


def test_a_flag_stores_its_details_and_is_noted_in_the_readers_language():
    text = DIGEST.replace("entities/kostanay/", "entities/aqmola-burabay/")
    run_import(text.encode(), input_name="a.txt")
    flag = ArticleFlag.objects.get(code=Flag.AGENCY_UNRESOLVED)
    assert flag.details == {"new_agency": "aqmola-burabay"}
    with translation.override("kk"):
        assert flag.note.startswith("«aqmola-burabay» мемлекеттік органы Pressroom-да болмаған")
    with translation.override("ru"):
        assert flag.note.startswith("Ведомства «aqmola-burabay» в Pressroom не было")
    assert flag.note.startswith("Agency “aqmola-burabay” was new to Pressroom")


def test_default_agency_applies_when_a_release_names_none():
    agency = AgencyFactory(slug="press-office")
    text = "News\nAnnual report published 03.02.2026\nThe report covers the year.\n"
    run_import(text.encode(), input_name="a.txt", options=ImportOptions(default_agency=agency))
    assert Article.objects.get().agency == agency


BAD_DIGEST = (
    "Section\n"
    "A title with an impossible date 31.02.2026\n"
    "Body of the first release, which is fine otherwise.\n"
    "A good release about roads in Almaty 01.02.2026\n"
    "The akimat of Almaty repaired twelve roads.\n"
    "<script>alert(1)</script> Release with script 02.02.2026\n"
    '<p onclick="steal()">Body</p><img src=x onerror=alert(1)>\n'
)


def test_a_release_with_an_impossible_date_is_imported_undated_and_flagged():
    run, report = run_import(BAD_DIGEST.encode(), input_name="bad.txt")
    assert (report.created, report.failed, run.status) == (3, 0, ImportRun.Status.SUCCEEDED)
    assert not ImportItem.objects.filter(run=run).exists()  # nothing set aside
    undated = Article.objects.get(title="A title with an impossible date")
    assert undated.release_date == timezone.localdate()  # the day it was imported
    assert undated.body == "<p>Body of the first release, which is fine otherwise.</p>"
    assert undated.flags.filter(code=Flag.DATE_MISSING).exists()
    warning = undated.flags.get(code=Flag.IMPORT_WARNING)
    assert "31.02.2026 does not exist" in warning.note


def test_markup_in_a_release_is_kept_as_inert_text_and_the_batch_goes_on():
    _, report = run_import(BAD_DIGEST.encode(), input_name="bad.txt")
    assert (report.created, report.failed) == (3, 0)
    assert Article.objects.get(title__contains="roads in Almaty").release_date == date(2026, 2, 1)
    scripted = Article.objects.get(title__contains="Release with script")
    assert scripted.title == "<script>alert(1)</script> Release with script"  # text, escaped
    assert scripted.body == (
        '<p>&lt;p onclick="steal()"&gt;Body&lt;/p&gt;&lt;img src=x onerror=alert(1)&gt;</p>'
    )
    live_markup = re.compile(r"<script|<img|<[^>]*\son\w+\s*=", re.IGNORECASE)
    assert not any(live_markup.search(article.body) for article in Article.objects.all())
    _, again = run_import(BAD_DIGEST.encode(), input_name="bad.txt")
    assert (again.created, again.unchanged) == (0, 3)


@pytest.mark.parametrize("format", ["digest", "rss", "atom", "govkz"])
def test_an_enormous_body_is_cut_and_its_whole_release_kept_with_the_run(format):
    run, report = run_import(enormous_release(format), input_name=f"enormous.{format}")
    assert (report.created, report.failed, run.status) == (1, 0, ImportRun.Status.SUCCEEDED)
    article = Article.objects.get()
    assert article.title == ENORMOUS_TITLE
    assert ENORMOUS_ENDING not in article.body
    assert len(strip_tags(article.body)) <= 200_000
    kept = ImportItem.objects.get(run=run)
    assert (kept.outcome, kept.code, kept.article) == (
        ImportItem.Outcome.FULL_TEXT_KEPT, Flag.BODY_TRUNCATED, article
    )  # fmt: skip
    assert ENORMOUS_ENDING in kept.raw
    note = article.flags.get(code=Flag.BODY_TRUNCATED).note
    assert f"import run #{run.pk}" in note

    _, again = run_import(enormous_release(format), input_name=f"enormous.{format}")
    assert (again.unchanged, ImportItem.objects.count()) == (1, 1)


ENCODED_DIGEST = (
    "Аким Костаная встретился с фермерами 05.03.2026\n"
    "Встреча прошла в акимате области, обсуждали посевную.\n"
    "Press day in Kostanay 06.03.2026\n"
    "The akim met journalists of the region.\n"
)


def import_bytes(data: bytes, tmp_path, *, from_file: bool):
    """Import `data` as an upload (bytes) or from a file (streamed line by line)."""
    if not from_file:
        return run_import(data, input_name="digest.txt")
    path = tmp_path / "digest.txt"
    path.write_bytes(data)
    return run_import(path, input_name="digest.txt")


def warning(title_start: str) -> str:
    flag = article_starting(title_start).flags.filter(code=Flag.IMPORT_WARNING).first()
    return flag.note if flag else ""


@pytest.mark.parametrize("from_file", [False, True], ids=["bytes", "file"])
def test_releases_read_in_a_guessed_code_page_are_flagged(tmp_path, from_file):
    _, report = import_bytes(ENCODED_DIGEST.encode("cp1251"), tmp_path, from_file=from_file)
    assert report.created == 2
    assert "read as Windows-1251" in warning("Аким Костаная")
    assert warning("Press day") == ""  # plain ASCII reads alike in every code page


@pytest.mark.parametrize("from_file", [False, True], ids=["bytes", "file"])
def test_broken_utf8_is_flagged_on_the_release_it_damaged(tmp_path, from_file):
    data = bytearray(ENCODED_DIGEST.encode())
    data[data.index("посевную".encode()) + 1] = 0xFF  # inside the letter п
    _, report = import_bytes(bytes(data), tmp_path, from_file=from_file)
    assert report.created == 2
    assert "could not be read" in warning("Аким Костаная")
    assert warning("Press day") == ""


@pytest.mark.parametrize("from_file", [False, True], ids=["bytes", "file"])
def test_utf8_releases_are_not_flagged_for_their_encoding(tmp_path, from_file):
    import_bytes(ENCODED_DIGEST.encode(), tmp_path, from_file=from_file)
    assert not ArticleFlag.objects.filter(code=Flag.IMPORT_WARNING).exists()


def test_an_upload_ends_lines_where_a_file_does_not_at_separators_inside_text(tmp_path):
    from news.importing.inputs import iter_input

    # A line separator pasted from a web page, inside a title.
    data = "Roads repaired\u2028in Oral 05.03.2026\nWork went on all winter.\n".encode()
    path = tmp_path / "digest.txt"
    path.write_bytes(data)
    [release] = list(iter_input(data)[1])
    assert release.title == "Roads repaired\u2028in Oral"
    assert release.raw == data.decode().rstrip("\n")
    assert list(iter_input(path)[1]) == [release]


def test_an_enormous_body_updating_an_article_is_kept_whole_with_that_run():
    enormous = enormous_release("rss")
    short = re.sub(
        rb"<description>.*</description>",
        "<description>Подрядчик завершил ремонт улиц.</description>".encode(),
        enormous,
    )
    run_import(short, input_name="a.rss")
    run, report = run_import(enormous, input_name="a.rss")
    assert report.updated == 1
    article = Article.objects.get()
    assert ENORMOUS_ENDING not in article.body
    kept = ImportItem.objects.get()
    assert (kept.run, kept.outcome, kept.article) == (
        run, ImportItem.Outcome.FULL_TEXT_KEPT, article
    )  # fmt: skip
    assert ENORMOUS_ENDING in kept.raw
    assert f"import run #{run.pk}" in article.flags.get(code=Flag.BODY_TRUNCATED).note


@pytest.mark.parametrize(
    ("data", "code"),
    [(b"", "empty"), (b"\x00\x01\x02\xff" * 300, "binary"), (b"   \n\n  ", "empty")],
)
def test_unusable_input_writes_nothing_and_says_why(data, code):
    run, report = run_import(data, input_name="x.bin")
    assert run is None
    assert report.error_code == code
    assert report.error_message
    assert not ImportRun.objects.exists()
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    "data",
    ["Новости\nГлавная / Пресс-центр\n", "Уважаемые коллеги, релизы во вложении.\nС уважением."],
    ids=["headings", "letter"],
)
def test_a_digest_with_no_release_fails_its_run_with_a_reason_never_silently(data):
    queued = ImportRun.objects.create(input_name="a.txt", status=ImportRun.Status.RUNNING)
    run, report = run_import(data.encode(), input_name="a.txt", format="digest", run=queued)
    assert (run.status, run.error_code, report.created) == (
        ImportRun.Status.FAILED,
        "no_releases",
        0,
    )
    assert "No release could be read" in run.error_message
    # What text there was stays with the run.
    assert [item.raw for item in run.items.all()] == ([] if "Новости" in data else [data.strip()])


def test_a_release_whose_layout_cannot_be_read_is_kept_as_a_failure_and_the_rest_imports():
    data = (
        "17.03.2026\nAkimat opened a school\nThe school takes 900 pupils.\n"
        "18.03.2026\nSource : https://example.kz/5\nText whose title was lost.\n"
        "19.03.2026\nRoads repaired in Arkalyk\nForty kilometres of roads.\n"
    )
    run, report = run_import(data.encode(), input_name="a.txt")
    assert (run.status, report.created, report.failed) == (ImportRun.Status.PARTIAL, 2, 1)
    failed = run.items.get()
    assert (failed.item, failed.code) == ("line 4", "release_unreadable")
    assert failed.raw == "18.03.2026\nSource : https://example.kz/5\nText whose title was lost."


def test_dry_run_reports_without_writing():
    _, report = run_import(DIGEST.encode(), input_name="a.txt", options=ImportOptions(dry_run=True))
    assert report.created == 1
    assert not Article.objects.exists()
    assert not ImportRun.objects.exists()


def test_limit_stops_after_n_items():
    text = "".join(
        f"Release {n} about water 0{n}.02.2026\nBody {n} of the release.\n" for n in range(1, 6)
    )
    _, report = run_import(text.encode(), input_name="a.txt", options=ImportOptions(limit=2))
    assert (report.created, Article.objects.count()) == (2, 2)


def test_one_failing_release_does_not_roll_back_the_others(monkeypatch):
    from news.importing import articles

    real = articles.create_articles
    batch_sizes = []

    def refusing_release_2(releases, context):
        batch_sizes.append(len(releases))
        created = real(releases, context)
        if any(release.clean.title.startswith("Release 2") for release in releases):
            raise DatabaseError("simulated refusal after the article was written")
        return created

    monkeypatch.setattr(articles, "create_articles", refusing_release_2)
    text = "".join(
        f"Release {n} about heating 0{n}.02.2026\nBody {n} of the release.\n" for n in range(1, 4)
    )
    run, report = run_import(text.encode(), input_name="a.txt")
    assert (report.created, report.failed) == (2, 1)
    assert run.status == ImportRun.Status.PARTIAL
    failed = ImportItem.objects.get(run=run)
    assert failed.code == "save_failed"
    assert "Release 2 about heating" in failed.raw
    assert report.errors[0]["message"] == (
        "Could not save: simulated refusal after the article was written"
    )
    # The batch was refused as a whole, then each release was saved alone; the failed
    # release's savepoint took its article, history and workflow step with it.
    assert batch_sizes == [3, 1, 1, 1]
    assert not Article.objects.filter(title__startswith="Release 2").exists()
    assert ArticleTransition.objects.count() == 2
    assert Article.history.count() == 2


def test_import_items_keeps_what_came_before_an_input_that_breaks_off():
    from news.importing.http import FetchError
    from news.importing.records import RawRelease

    def items():
        yield RawRelease(item="entry 1", raw="raw", title="First release about rain", body="Rain.")
        raise FetchError("The portal refused the request.", code="refused", url="http://x")

    report = import_items(items(), options=ImportOptions())
    assert report.created == 1
    assert report.error_code == "refused"
    assert Article.objects.count() == 1


def test_source_failing_n_times_in_a_row_is_disabled_and_administrators_told(
    tmp_path, administrator, django_capture_on_commit_callbacks, settings
):
    from django.core import mail
    from django_celery_beat.models import CrontabSchedule

    from news.importing.sources import run_source, sync_schedule
    from news.models import ImportSource

    settings.PRESSROOM_IMPORT_DIR = str(tmp_path)
    source = ImportSource.objects.create(
        name="Broken digest",
        kind=ImportSource.Kind.DIGEST,
        location=str(tmp_path / "missing.txt"),
        schedule=CrontabSchedule.objects.create(minute="0"),
        max_consecutive_failures=3,
    )
    sync_schedule(source)
    for attempt in range(1, 4):
        with django_capture_on_commit_callbacks(execute=True):
            run = run_source(source)
        assert run.status == ImportRun.Status.FAILED
        assert (run.error_code, source.consecutive_failures) == ("not_found", attempt)
        assert "no file" in run.error_message
    source.refresh_from_db()
    assert not source.enabled
    assert not source.periodic_task.enabled
    assert [message.to for message in mail.outbox] == [[administrator.email]]
    assert "Broken digest" in mail.outbox[0].subject
    assert "3 times in a row" in mail.outbox[0].body
    assert "Last error (not_found): The source's address was not found. " in mail.outbox[0].body

    (tmp_path / "missing.txt").write_text(DIGEST, encoding="utf-8")
    source.enabled = True
    source.save()
    assert run_source(source).status == ImportRun.Status.SUCCEEDED
    source.refresh_from_db()
    assert source.consecutive_failures == 0


def test_every_import_flag_is_a_choice_editors_can_filter_on():
    codes = {value for name, value in vars(Flag).items() if not name.startswith("_")}
    assert codes == set(ArticleFlag.Code.values)


def numbered_digest(count: int, *, first: int = 1) -> bytes:
    return "".join(
        f"Release {n} about road repairs 05.03.2026\nBody of release {n}. "
        f"Source : https://www.gov.kz/memleket/entities/shymkent/press/news/details/{n}?lang=en\n"
        for n in range(first, first + count)
    ).encode()


@pytest.mark.parametrize("count", [10, 100])
def test_new_releases_are_saved_with_a_constant_number_of_queries(
    count, django_assert_max_num_queries
):
    with django_assert_max_num_queries(22):
        _, report = run_import(numbered_digest(count), input_name="a.txt")
    assert report.created == count
    article = Article.objects.get(title=f"Release {count} about road repairs")
    assert (article.external_id, article.agency.slug) == (str(count), "shymkent")
    assert article.history.get().history_type == "+"
    assert article.transitions.get().comment == "a.txt"


def test_a_rerun_reads_a_chunk_with_a_constant_number_of_queries(
    django_assert_max_num_queries,
):
    run_import(numbered_digest(100), input_name="a.txt")
    with django_assert_max_num_queries(12):
        _, again = run_import(numbered_digest(100), input_name="a.txt")
    assert (again.unchanged, again.created) == (100, 0)


def test_a_chunk_saves_releases_as_if_one_by_one_in_input_order():
    """A release meeting one queued earlier in the same chunk sees it as already saved."""
    shymkent = AgencyFactory(slug="shymkent")
    digest = (
        "Akimat repairs the bridge 05.03.2026\nThe bridge opens in May.\n"
        # The same release again, now with its portal id: it reached us before without one.
        "Akimat repairs the bridge 05.03.2026\nThe bridge opens in May. Source : "
        "https://www.gov.kz/memleket/entities/shymkent/press/news/details/77?lang=en\n"
        # Same title, date and agency, no id: the same release within one input.
        "Akimat repairs the bridge 05.03.2026\nThe bridge opens in June.\n"
    )
    _, report = run_import(
        digest.encode(), input_name="a.txt", options=ImportOptions(default_agency=shymkent)
    )
    assert (report.created, report.unchanged, report.updated, report.failed) == (1, 2, 0, 0)
    bridge = Article.objects.get()
    assert (bridge.agency, bridge.external_id) == (shymkent, "")
    assert "May" in bridge.body
    duplicate = ImportItem.objects.get()
    assert (duplicate.code, duplicate.item) == ("duplicate_in_input", "line 5")


def language_version_of(article: Article, status: str) -> Article:
    """Its Kazakh version, in step with it, in `status`."""
    from django.utils import timezone

    from ..factories import ArticleFactory

    return ArticleFactory(
        language="kk",
        translation_group=article.translation_group,
        agency=article.agency,
        region=article.region,
        release_date=article.release_date,
        source_url=article.source_url,
        sources=article.sources,
        status=status,
        published_at=timezone.now() if status == Status.PUBLISHED else None,
    )


WITH_A_SECOND_SOURCE = DIGEST.replace(
    "?lang=en\n", "?lang=en Source : https://kostanay.kz/news/library\n"
).replace("ten thousand", "twelve thousand")


def test_an_import_update_never_changes_the_sources_of_a_published_language_version():
    run_import(DIGEST.encode(), input_name="a.txt")
    article = Article.objects.get()
    kk = language_version_of(article, Status.PUBLISHED)
    kk_sources, kk_version = list(kk.sources), kk.version

    run, report = run_import(WITH_A_SECOND_SOURCE.encode(), input_name="a.txt")

    assert (report.updated, report.unchanged, report.flagged) == (0, 1, 1)
    kk.refresh_from_db()
    assert (kk.sources, kk.version) == (kk_sources, kk_version)
    article.refresh_from_db()
    assert "ten thousand" in article.body  # the versions never differ silently
    pending = ImportItem.objects.get(run=run)
    assert (pending.outcome, pending.article) == (ImportItem.Outcome.NEW_VERSION, article)


def test_an_import_update_keeps_unapproved_language_versions_in_step():
    run_import(DIGEST.encode(), input_name="a.txt")
    article = Article.objects.get()
    kk = language_version_of(article, Status.IN_REVIEW)

    _, report = run_import(WITH_A_SECOND_SOURCE.encode(), input_name="a.txt")

    assert report.updated == 1
    article.refresh_from_db()
    kk.refresh_from_db()
    assert article.sources[1:] == ["https://kostanay.kz/news/library"]
    assert kk.sources == article.sources
    reason = kk.history.latest().history_change_reason
    assert reason == "Kept in step with the en version: Updated by import a.txt"


def feed_item(*, link: str, categories: list[str]) -> bytes:
    tags = "".join(f"<category>{name}</category>" for name in categories)
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Akimat of Almaty</title>
<item>
  <title>Akimat repaired twelve roads</title>
  <link>{link}</link>
  <guid isPermaLink="false">almaty-roads-1</guid>
  <pubDate>Tue, 03 Mar 2026 10:00:00 +0500</pubDate>
  {tags}
  <description>The akimat of Almaty repaired twelve roads this spring.</description>
</item></channel></rss>""".encode()


def test_a_source_that_is_no_web_address_is_left_out_and_the_editor_told():
    # The feed's pattern took it for an address; a browser could not open it.
    _, report = run_import(
        feed_item(link="https://bad_host.kz/news/1", categories=[]), input_name="feed.xml"
    )

    assert report.created == 1, report.errors
    article = Article.objects.get()
    assert (article.source_url, article.sources) == ("", [])
    warning = article.flags.get(code=Flag.IMPORT_WARNING)
    assert "“https://bad_host.kz/news/1” is not a web address" in warning.note


def test_a_tag_too_long_for_taggit_is_shortened_and_the_editor_told():
    # Cut to 100 characters, it differed from this tag in case only, so taggit gave it the
    # same slug with "_1" added: 102 characters, more than the column holds.
    Tag.objects.create(name="A" * 100, slug="a" * 100)

    _, report = run_import(
        feed_item(link="https://almaty.gov.kz/news/1", categories=["a" * 150, "roads"]),
        input_name="feed.xml",
    )

    assert (report.created, report.failed) == (1, 0), report.errors
    article = Article.objects.get()
    names = sorted(article.tags.names(), key=len)
    assert names[0] == "roads"
    assert names[1] == "a" * len(names[1]) and len(names[1]) <= 100
    assert "was too long; it was shortened" in article.flags.get(code=Flag.IMPORT_WARNING).note
