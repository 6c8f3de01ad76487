"""Imported releases' lead photos: fetched from a real local HTTP server after the release is
saved, checked and stored in the media library, and never the reason a release is lost."""

import io
import json

import pytest
from django.utils.translation import override
from PIL import Image as PILImage

from config.celery import app
from media_library.models import Image, LeadImage
from news.flags import Flag
from news.import_reasons import import_reason
from news.importing import lead_photos
from news.importing.prepare import ImportOptions
from news.importing.saving import run_import
from news.importing.sources import run_source
from news.models import Article, ArticleFlag, ImportItem, ImportRun, ImportSource

from ..factories import AgencyFactory
from ..media_library import files
from .test_import_http import LocalServer, Reply
from .test_tasks import wait_until

pytestmark = pytest.mark.django_db

BODY = (
    "Аким области встретился с жителями села и обсудил с ними ремонт дорог, "
    "строительство новой школы и подготовку к зиме."
)
GPS_IFD = 0x8825


@pytest.fixture(autouse=True)
def _photos_from_local_servers(settings, tmp_path):
    settings.PRESSROOM_IMPORT_PHOTOS = True
    settings.PRESSROOM_IMPORT_ALLOWED_NETWORKS = ["127.0.0.1/32"]  # the test servers'
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def agency(db):
    return AgencyFactory(slug="kostanay-akimat", name_en="Kostanay akimat")


def item(guid: str, title: str, *, enclosure: str = "", body: str = BODY) -> str:
    picture = f'<enclosure url="{enclosure}" type="image/jpeg" length="1"/>' if enclosure else ""
    return (
        f"<item><title>{title}</title><guid>{guid}</guid>"
        f"<pubDate>Tue, 03 Feb 2026 09:00:00 +0500</pubDate>"
        f"<description>{body}</description>{picture}</item>"
    )


def feed(*items: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Akimat</title><language>ru-RU</language>{''.join(items)}</channel></rss>"
    ).encode()


def import_feed(data: bytes, agency=None) -> ImportRun:
    run, _ = run_import(
        data,
        input_name="akimat.rss",
        format="rss",
        options=ImportOptions(default_agency=agency),
    )
    return run


def photo_requests(server: LocalServer, path: str = "/photo.jpg") -> int:
    return sum(1 for request in server.requests if request.path == path)


def test_a_feeds_photo_becomes_the_releases_lead_photo_without_gps(agency):
    with LocalServer(lambda r: Reply(body=files.jpeg(exif=files.camera_exif()))) as server:
        run = import_feed(
            feed(
                item("501", "Аким встретился с жителями", enclosure=server.url("/photo.jpg")),
                item("502", "Без фотографии"),
            ),
            agency,
        )

    assert run.created == 2 and not run.items.exists()
    article = Article.objects.get(external_id="501")
    image = article.lead_image.image
    assert (image.agency, image.source_url, image.uploaded_by) == (
        agency,
        server.url("/photo.jpg"),
        None,
    )
    assert (article.language, image.alt_ru, image.alt_kk, image.alt_en) == (
        "ru",
        "Аким встретился с жителями",
        "",
        "",
    )
    assert (image.width, image.height, image.licence) == (1200, 800, "own")
    with image.file.open("rb") as stored:
        exif = PILImage.open(io.BytesIO(stored.read())).getexif()
    assert not exif.get_ifd(GPS_IFD) and files.MAKE not in exif
    flag = ArticleFlag.objects.get(article=article, code=Flag.IMPORTED_PHOTO)
    assert "alt text is only the release's title" in flag.note
    with override("ru"):
        assert flag.get_code_display() == "импортированному фото нужен альтернативный текст"
        assert flag.note.startswith("Главное фото пришло вместе с релизом")
    assert not LeadImage.objects.filter(article__external_id="502").exists()
    assert server.requests[0].headers["accept"] == "image/*"


def test_a_rerun_fetches_and_stores_nothing_again(agency):
    with LocalServer(lambda r: Reply(body=files.jpeg())) as server:
        data = feed(item("501", "Аким встретился с жителями", enclosure=server.url("/photo.jpg")))
        import_feed(data, agency)
        again = import_feed(data, agency)
        assert photo_requests(server) == 1

    assert (again.created, again.unchanged) == (0, 1)
    assert Image.objects.count() == LeadImage.objects.count() == 1
    assert not ImportItem.objects.exists()


def test_a_source_resolves_a_relative_photo_against_its_feed_and_fetches_it_once(agency):
    photo = files.jpeg()

    def respond(request):
        if request.path == "/rss":
            return Reply(
                body=feed(item("501", "Аким встретился с жителями", enclosure="/photo.jpg")),
                headers={"Content-Type": "application/rss+xml"},
            )
        return Reply(body=photo, headers={"Content-Type": "image/jpeg"})

    with LocalServer(respond) as server:
        source = ImportSource.objects.create(
            name="Akimat", kind=ImportSource.Kind.RSS, location=server.url("/rss"),
            default_agency=agency,
        )  # fmt: skip
        run_source(source)
        run_source(source)
        assert photo_requests(server) == 1

    assert Article.objects.get().lead_image.image.source_url == server.url("/photo.jpg")


def test_the_same_photo_for_two_releases_of_an_agency_is_stored_once(agency):
    with LocalServer(lambda r: Reply(body=files.jpeg())) as server:
        import_feed(
            feed(
                item("501", "Первая новость акимата", enclosure=server.url("/photo.jpg")),
                item("502", "Вторая новость акимата", enclosure=server.url("/photo.jpg")),
            ),
            agency,
        )
        assert photo_requests(server) == 1
    assert Image.objects.count() == 1
    assert LeadImage.objects.count() == 2


@pytest.mark.parametrize(
    ("reply", "code", "words"),
    [
        (Reply(status=404, body="gone"), "photo_unreachable", "HTTP 404 Not Found"),
        (
            Reply(body="<html>Not a picture</html>", headers={"Content-Type": "image/jpeg"}),
            "photo_refused",
            "not a photo that can be read",
        ),
        (
            Reply(body=b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>'),
            "photo_refused",
            "SVG drawings cannot be uploaded",
        ),
        (Reply(body=files.png_header_only(20_000, 20_000)), "photo_refused", "megapixels"),
    ],
    ids=["not-found", "not-an-image", "svg", "bomb"],
)
def test_a_photo_that_cannot_be_used_is_recorded_and_the_release_imports(
    agency, reply, code, words
):
    with LocalServer(lambda r: reply) as server:
        run = import_feed(
            feed(item("501", "Аким встретился с жителями", enclosure=server.url("/photo.jpg"))),
            agency,
        )

    article = Article.objects.get()
    assert (run.status, run.created, run.failed) == (ImportRun.Status.SUCCEEDED, 1, 0)
    recorded = run.items.get()
    assert (recorded.outcome, recorded.code, recorded.article) == (
        ImportItem.Outcome.PHOTO_FAILED,
        code,
        article,
    )
    assert words in recorded.message
    with override("kk"):
        assert import_reason(recorded.code).endswith("Релиз фотосыз импортталды.")
    assert json.loads(recorded.raw)["title"] == "Аким встретился с жителями"
    assert not Image.objects.exists() and not LeadImage.objects.exists()
    assert not ArticleFlag.objects.filter(code=Flag.IMPORTED_PHOTO).exists()


def test_a_photo_larger_than_the_media_librarys_limit_is_not_read(agency, settings):
    settings.PRESSROOM_MEDIA_MAX_IMAGE_BYTES = 10_000
    big = files.jpeg(size=(2400, 1600))
    assert len(big) > 10_000
    with LocalServer(lambda r: Reply(body=big, chunked=True)) as server:
        run = import_feed(
            feed(item("501", "Аким встретился с жителями", enclosure=server.url("/photo.jpg"))),
            agency,
        )
    recorded = run.items.get()
    assert (recorded.code, run.created) == ("photo_too_large", 1)
    assert "is larger than 9.76562 KiB" in recorded.message
    assert not Image.objects.exists()


def test_a_photo_on_a_private_address_is_refused_before_any_request(agency):
    # Only 127.0.0.1 is allowed: 127.0.0.2 stands for the server's own network.
    with LocalServer(lambda r: Reply(body=files.jpeg()), host="127.0.0.2") as internal:
        run = import_feed(
            feed(item("501", "Аким встретился с жителями", enclosure=internal.url("/photo.jpg"))),
            agency,
        )
        assert internal.requests == []
    recorded = run.items.get()
    assert (recorded.code, run.created) == ("photo_forbidden_address", 1)
    assert "private or internal network" in recorded.message
    assert Article.objects.exists() and not LeadImage.objects.exists()


def test_a_photo_that_redirects_into_a_private_network_is_refused(agency):
    with LocalServer(lambda r: Reply(body=files.jpeg()), host="127.0.0.2") as internal:
        redirect = Reply(status=302, headers={"Location": internal.url("/photo.jpg")})
        with LocalServer(lambda r: redirect) as public:
            run = import_feed(feed(item("501", "Аким", enclosure=public.url("/photo.jpg"))), agency)
        assert internal.requests == []
    assert run.items.get().code == "photo_forbidden_address"


def test_a_release_without_an_agency_keeps_its_photo_for_the_editor(db):
    with LocalServer(lambda r: Reply(body=files.jpeg())) as server:
        run = import_feed(
            feed(item("501", "Аким встретился с жителями", enclosure=server.url("/photo.jpg")))
        )
        assert server.requests == []
    article = Article.objects.get()
    assert article.agency is None
    recorded = run.items.get()
    assert (recorded.code, recorded.article) == ("photo_no_agency", article)
    assert server.url("/photo.jpg") in recorded.message


def test_new_releases_saved_in_bulk_and_updates_saved_alone_get_their_photos(agency):
    with LocalServer(lambda r: Reply(body=files.jpeg())) as server:
        import_feed(feed(item("501", "Аким встретился с жителями")), agency)
        assert not LeadImage.objects.exists()

        # 501 changed (saved alone, as an update) and now has a photo; 502 is new (in bulk).
        run = import_feed(
            feed(
                item(
                    "501", "Аким встретился с жителями", enclosure=server.url("/a.jpg"),
                    body=BODY + " Встреча прошла в доме культуры.",
                ),
                item("502", "Новая школа открыта", enclosure=server.url("/b.jpg")),
            ),
            agency,
        )  # fmt: skip

    assert (run.created, run.updated) == (1, 1)
    photos = dict(LeadImage.objects.values_list("article__external_id", "image__source_url"))
    assert photos == {"501": server.url("/a.jpg"), "502": server.url("/b.jpg")}


def test_a_release_that_has_a_lead_photo_keeps_it(agency):
    with LocalServer(lambda r: Reply(body=files.jpeg())) as server:
        import_feed(feed(item("501", "Аким", enclosure=server.url("/a.jpg"))), agency)
        import_feed(
            feed(item("501", "Аким", enclosure=server.url("/b.jpg"), body=BODY + " Ещё.")),
            agency,
        )
        assert photo_requests(server, "/b.jpg") == 0
    assert Article.objects.get().lead_image.image.source_url == server.url("/a.jpg")


def test_a_dry_run_fetches_no_photo(agency):
    with LocalServer(lambda r: Reply(body=files.jpeg())) as server:
        run_import(
            feed(item("501", "Аким", enclosure=server.url("/photo.jpg"))),
            input_name="akimat.rss",
            format="rss",
            options=ImportOptions(default_agency=agency, dry_run=True),
        )
        assert server.requests == []
    assert not Article.objects.exists() and not Image.objects.exists()


def test_a_govkz_release_gets_its_hero_picture(agency, settings):
    with LocalServer(lambda r: Reply(body=files.png())) as server:
        payload = [
            {
                "id": 1129425,
                "title": "Әкім тұрғындармен кездесті",
                "body": "<p>Әкім ауыл тұрғындарымен кездесіп, жол жөндеу мен жаңа мектеп "
                "құрылысын талқылады.</p>",
                "created_date": "2025-12-19T22:30:00+05:00",
                "heropic": server.url("/uploads/2025/12/19/hero.png"),
                "projects": "kostanay-akimat",
            }
        ]
        run, _ = run_import(json.dumps(payload).encode(), input_name="news.json", format="govkz")
    article = Article.objects.get()
    assert (article.agency, article.language, run.items.count()) == (agency, "kk", 0)
    image = article.lead_image.image
    assert (image.alt_kk, image.file.name.endswith(".png")) == ("Әкім тұрғындармен кездесті", True)


def test_after_a_photo_server_hangs_the_runs_other_photos_there_are_not_awaited(
    agency, monkeypatch
):
    monkeypatch.setattr(lead_photos, "PHOTO_READ_TIMEOUT", 0.2)
    with LocalServer(lambda r: Reply(body=files.jpeg(), delay=2)) as server:
        run = import_feed(
            feed(
                item("501", "Первая новость акимата", enclosure=server.url("/a.jpg")),
                item("502", "Вторая новость акимата", enclosure=server.url("/b.jpg")),
            ),
            agency,
        )
        assert [request.path for request in server.requests] == ["/a.jpg", "/a.jpg"]

    assert run.created == 2
    first, second = run.items.order_by("article__external_id")
    assert (first.code, second.code) == ("photo_unreachable", "photo_unreachable")
    assert "did not answer within 0.2 seconds" in first.message
    assert "did not answer earlier in this import" in second.message


def test_a_rerun_of_the_same_input_does_not_try_a_failed_photo_again(agency):
    with LocalServer(lambda r: Reply(status=404, body="gone")) as server:
        data = feed(item("501", "Аким встретился с жителями", enclosure=server.url("/photo.jpg")))
        first = import_feed(data, agency)
        again = import_feed(data, agency)
        assert photo_requests(server) == 1

    assert first.items.get().code == "photo_unreachable"
    assert not again.items.exists() and again.unchanged == 1


def test_a_worker_imports_a_sources_photo_and_makes_its_renditions(celery_worker, agency):
    def respond(request):
        if request.path == "/rss":
            return Reply(
                body=feed(item("501", "Аким встретился с жителями", enclosure="/photo.jpg")),
                headers={"Content-Type": "application/rss+xml"},
            )
        return Reply(body=files.jpeg(), headers={"Content-Type": "image/jpeg"})

    with LocalServer(respond) as server:
        source = ImportSource.objects.create(
            name="Akimat", kind=ImportSource.Kind.RSS, location=server.url("/rss"),
            default_agency=agency,
        )  # fmt: skip
        # As beat sends it, by name, to a real worker over Redis.
        app.send_task("news.tasks.run_import_source", args=[source.pk])
        run = wait_until(
            lambda: ImportRun.objects.filter(source=source).exclude(status="running").first()
        )
        image = wait_until(lambda: Image.objects.filter(renditions__isnull=False).first())

    assert (run.status, run.created) == (ImportRun.Status.SUCCEEDED, 1)
    assert Article.objects.get().lead_image.image == image
    assert image.renditions.count() > 1
