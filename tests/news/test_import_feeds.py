"""RSS and Atom feeds to releases: our own feeds, real Russian feeds, feedparser's corpus."""

import json
from datetime import UTC, date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from news.importing.feeds import MAX_EXTERNAL_ID_CHARS, parse_feed
from news.importing.formats import detect_format
from news.importing.records import ItemError, RawRelease, UnusableInput

from ..shared import SHARED_DIR, shared_path

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel>
<title>Akimat of Kostanay region</title><language>ru-RU</language>
<item>
  <title>Аким встретился с фермерами &amp; предпринимателями</title>
  <link>https://www.gov.kz/memleket/entities/kostanay/press/news/details/901?lang=ru</link>
  <guid isPermaLink="false">kostanay-901</guid>
  <pubDate>Tue, 03 Feb 2026 21:30:00 GMT</pubDate>
  <category>Сельское хозяйство</category>
  <category>Встречи</category>
  <description>&lt;p&gt;Обсудили посевную кампанию и &lt;b&gt;кредиты&lt;/b&gt;.&lt;/p&gt;
  </description>
</item>
<item>
  <title>Second item has no guid</title>
  <link>https://kostanay.example.kz/news/902</link>
  <pubDate>Wed, 04 Feb 2026 10:00:00 +0500</pubDate>
  <description>Plain words only.</description>
</item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="kk-KZ">
<title>Әкімдік жаңалықтары</title>
<id>urn:pressroom:test-feed</id><updated>2026-02-05T08:00:00Z</updated>
<entry>
  <title type="html">&lt;b&gt;Жаңа&lt;/b&gt; мектеп &amp;amp; балабақша ашылды</title>
  <id>urn:pressroom:entry-1</id>
  <link rel="alternate" href="https://www.gov.kz/memleket/entities/almaty/press/news/details/77"/>
  <updated>2026-02-05T08:00:00Z</updated>
  <category term="edu" label="Білім"/>
  <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">
    <p>Мектеп <b>600</b> оқушыға арналған.</p>
  </div></content>
</entry>
<entry xml:lang="en">
  <title>Plain-text entry</title>
  <id>urn:pressroom:entry-2</id>
  <published>2026-02-06T01:00:00+06:00</published>
  <content type="text">A body in plain text, &lt;not&gt; markup.</content>
</entry>
</feed>"""


def rss(items: str, *, declaration: str = '<?xml version="1.0" encoding="utf-8"?>') -> str:
    return f'{declaration}\n<rss version="2.0"><channel><title>T</title>{items}</channel></rss>'


def releases(data: bytes | str, **kwargs) -> list:
    return list(parse_feed(data.encode() if isinstance(data, str) else data, **kwargs))


# --- our own feeds --------------------------------------------------------------------


def test_rss_item_becomes_a_release_with_every_field():
    first, second = releases(RSS)
    assert isinstance(first, RawRelease)
    assert first.item == "entry 1"
    assert first.title == "Аким встретился с фермерами & предпринимателями"
    assert first.body == "<p>Обсудили посевную кампанию и <b>кредиты</b>.</p>"
    assert first.body_is_html
    assert (
        first.url == "https://www.gov.kz/memleket/entities/kostanay/press/news/details/901?lang=ru"
    )
    assert first.external_id == "kostanay-901"
    assert first.published_at == datetime(2026, 2, 3, 21, 30, tzinfo=UTC)
    # 21:30 UTC is already the next day in Almaty.
    assert first.release_date == date(2026, 2, 4)
    assert first.language_hint == "ru"
    assert first.tags == ("Сельское хозяйство", "Встречи")
    assert first.problems == []
    assert second.item == "entry 2"


def test_rss_item_without_guid_is_identified_by_its_link():
    second = releases(RSS)[1]
    assert second.external_id == second.url == "https://kostanay.example.kz/news/902"
    assert second.published_at == datetime(2026, 2, 4, 5, 0, tzinfo=UTC)
    assert second.release_date == date(2026, 2, 4)


def test_raw_is_the_entrys_own_fields_as_json():
    first = releases(RSS)[0]
    raw = json.loads(first.raw)
    assert raw["id"] == "kostanay-901"
    assert raw["published"] == "Tue, 03 Feb 2026 21:30:00 GMT"
    assert "Обсудили посевную кампанию" in raw["summary"]
    assert not any(key.endswith("_parsed") for key in raw)


def test_atom_entry_with_html_title_xhtml_content_and_only_an_updated_date():
    first = releases(ATOM)[0]
    assert first.title == "Жаңа мектеп & балабақша ашылды"
    assert first.body == "<p>Мектеп <b>600</b> оқушыға арналған.</p>"
    assert first.body_is_html
    assert first.external_id == "urn:pressroom:entry-1"
    assert first.url == "https://www.gov.kz/memleket/entities/almaty/press/news/details/77"
    assert first.published_at == datetime(2026, 2, 5, 8, 0, tzinfo=UTC)
    assert first.language_hint == "kk"
    assert first.tags == ("Білім",)


def test_atom_plain_text_content_and_entry_language():
    second = releases(ATOM)[1]
    assert second.title == "Plain-text entry"
    assert second.body == "A body in plain text, <not> markup."
    assert not second.body_is_html
    assert second.language_hint == "en"
    assert second.published_at == datetime(2026, 2, 5, 19, 0, tzinfo=UTC)
    assert second.release_date == date(2026, 2, 6)


def test_summary_is_the_body_when_there_is_no_content():
    [item] = releases(
        rss("<item><title>T</title><description>Only a summary.</description></item>")
    )
    assert item.body == "Only a summary."


@pytest.mark.parametrize(
    ("language", "expected"),
    [("ru", "ru"), ("kk-KZ", "kk"), ("kz", "kk"), ("en_GB", "en"), ("de-DE", ""), ("", "")],
)
def test_feed_language_is_read_as_kk_ru_en_or_nothing(language, expected):
    data = RSS.replace("<language>ru-RU</language>", f"<language>{language}</language>")
    assert releases(data)[0].language_hint == expected


def test_entry_without_title_or_text_is_an_item_error_keeping_its_raw():
    items = releases(
        rss(
            "<item><guid>empty-1</guid><description>  &lt;p&gt; &lt;/p&gt; </description></item>"
            "<item><title>Has a title</title></item>"
        )
    )
    assert isinstance(items[0], ItemError)
    assert (items[0].item, items[0].code) == ("entry 1", "empty_entry")
    assert "empty-1" in items[0].raw
    assert items[0].message
    assert isinstance(items[1], RawRelease) and items[1].body == ""


def test_entry_date_that_cannot_be_read_is_a_problem():
    [item] = releases(rss("<item><title>T</title><pubDate>the day after tomorrow</pubDate></item>"))
    assert (item.published_at, item.release_date) == (None, None)
    assert [problem.code for problem in item.problems] == ["date_unreadable"]


def test_relative_links_are_resolved_against_the_feed_address_or_dropped():
    data = rss("<item><title>T</title><link>/news/5</link></item>")
    [resolved] = releases(data, url="https://akimat.example.kz/rss")
    assert resolved.url == "https://akimat.example.kz/news/5"
    [dropped] = releases(data)
    assert dropped.url == ""
    assert [problem.code for problem in dropped.problems] == ["link_dropped"]


@pytest.mark.parametrize("link", ["javascript:alert(1)", "http://[::1", "ftp://example.kz/a"])
def test_links_that_are_not_web_addresses_are_never_kept(link):
    [item] = releases(rss(f"<item><title>T</title><link>{link}</link></item>"))
    assert item.url == ""


def test_overlong_guid_becomes_a_stable_digest():
    guid = "tag:example.kz," + "x" * 300
    data = rss(f"<item><title>T</title><guid>{guid}</guid></item>")
    [first], [again] = releases(data), releases(data)
    assert len(first.external_id) <= MAX_EXTERNAL_ID_CHARS
    assert first.external_id.startswith("sha256:")
    assert first.external_id == again.external_id


def test_malformed_feed_with_entries_yields_them_with_a_problem():
    data = rss(
        "<item><title>Recovered one</title><description>Body &nbsp; one</description></item>"
        "<item><title>Recovered two</title></item>"
    )
    items = releases(data)
    assert [item.title for item in items] == ["Recovered one", "Recovered two"]
    for item in items:
        assert item.problems[0].code == "feed_malformed"
        assert "not well-formed" in item.problems[0].message


@pytest.mark.parametrize(
    "data",
    [
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>Cut off',
        b"<rss><channel><title>&undefined;</title></channel></rss>",
        b"This is a letter, not a feed at all.",
        b"<html><body><p>A web page</p></body></html>",
        b"\x00\x01\x02\xff" * 50,
        b"",
    ],
    ids=["cut-off", "undefined-entity", "letter", "html", "binary", "empty"],
)
def test_unreadable_feed_without_entries_is_unusable_with_a_reason(data):
    with pytest.raises(UnusableInput) as refused:
        parse_feed(data)
    assert refused.value.code == "malformed_feed"
    assert refused.value.message.startswith(("The feed cannot be read", "The file is not"))


def test_feedparser_crashing_inside_is_reported_not_raised():
    # feedparser 6 fails with UnicodeEncodeError on a character reference to a surrogate.
    with pytest.raises(UnusableInput) as refused:
        parse_feed(rss("<item><title>A &#xD800; B</title></item>").encode())
    assert refused.value.code == "malformed_feed"


def test_bytes_naming_a_file_are_read_as_a_feed_not_as_a_path(tmp_path):
    secret = tmp_path / "feed.xml"
    secret.write_text(rss("<item><title>Read from disk</title></item>"))
    with pytest.raises(UnusableInput):
        parse_feed(str(secret).encode())


def test_valid_feed_without_entries_gives_nothing():
    assert releases(rss("")) == []


def test_undeclared_windows_1251_feed_is_read_as_cyrillic():
    data = rss(
        "<item><title>Акимат отремонтировал дороги в районе</title>"
        "<description>За лето в районе отремонтировали сорок километров дорог.</description>"
        "</item>",
        declaration="",
    ).encode("cp1251")
    [item] = releases(data)
    assert item.title == "Акимат отремонтировал дороги в районе"
    assert [problem.code for problem in item.problems] == ["encoding_guessed"]
    assert "Windows-1251" in item.problems[0].message


def test_undeclared_western_feed_is_not_read_as_cyrillic():
    data = rss("<item><title>Café opened in Genève</title></item>", declaration="")
    [item] = releases(data.encode("cp1252"))
    assert item.title == "Café opened in Genève"
    assert "encoding_guessed" not in [problem.code for problem in item.problems]


# --- real feeds and feedparser's own corpus -------------------------------------------


def corpus(*parts: str) -> list:
    """Every feed file under ../shared/corpus/<parts>, or one parameter that skips."""
    folder = SHARED_DIR.joinpath("corpus", *parts)
    files = sorted(folder.rglob("*.xml")) if folder.is_dir() else []
    return [pytest.param(path, id=str(path.relative_to(folder))) for path in files] or [
        pytest.param(None, id="absent")
    ]


@pytest.mark.parametrize("path", corpus("feedparser-tests") + corpus("ru-feeds"))
def test_every_corpus_feed_yields_items_or_is_unusable(path):
    path = path or shared_path("corpus", "feedparser-tests")
    data = path.read_bytes()
    assert detect_format(data, filename=path.name) in ("rss", "atom")
    try:
        items = list(parse_feed(data))
    except UnusableInput as refused:
        assert refused.code == "malformed_feed"
        assert refused.message
        return
    for item in items:
        assert isinstance(item, RawRelease | ItemError)
        assert item.raw
        if isinstance(item, RawRelease):
            assert item.title or item.body
            assert item.published_at is None or item.published_at.tzinfo is not None


@pytest.mark.parametrize(
    ("name", "first_title", "count"),
    [
        ("SYNTHETIC_miniflux_koi8r.rss.xml", "Первая новость", 2),
        ("miniflux_encoding_WINDOWS-1251_ibash.org.ru.rss.xml", "Цитата #17703", 50),
    ],
)
def test_russian_feeds_in_old_code_pages_have_readable_titles(name, first_title, count):
    items = releases(shared_path("corpus", "ru-feeds", name).read_bytes())
    assert len(items) == count
    assert items[0].title == first_title
    for item in items:
        letters = [char for char in item.title if char.isalpha()]
        assert letters and all("\u0400" <= char <= "\u04ff" for char in letters), item.title
        assert item.language_hint == "ru"
        assert item.problems == []


def test_undeclared_koi8_r_feed_of_the_corpus_is_read_as_cyrillic():
    path = shared_path("corpus", "feedparser-tests", "illformed", "chardet", "koi8r.xml")
    [item] = releases(path.read_bytes())
    assert item.title == "Как пережить новогоднюю ночь"


def test_real_russian_news_feed_maps_dates_links_and_ids():
    path = shared_path("corpus", "ru-feeds", "mos.ru_news_2022-07-27.rss.xml")
    items = releases(path.read_bytes())
    assert len(items) == 10
    first = items[0]
    assert first.title.startswith("«Моспром вдохновляет»")
    assert first.url == first.external_id == "https://www.mos.ru/news/item/110547073/"
    assert first.published_at == datetime(2022, 7, 27, 8, 1, 1, tzinfo=UTC)
    assert first.release_date == date(2022, 7, 27)


# --- fuzzing --------------------------------------------------------------------------


# feedparser's speed varies with the input; a slow case is not a failure.
@settings(deadline=None)
@given(st.binary(max_size=3000))
def test_any_bytes_yield_items_or_are_unusable(data):
    try:
        items = list(parse_feed(data))
    except UnusableInput as refused:
        assert refused.code == "malformed_feed"
        return
    assert all(isinstance(item, RawRelease | ItemError) for item in items)


_XML_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=200)


@settings(deadline=None)
@given(_XML_TEXT, _XML_TEXT, _XML_TEXT, _XML_TEXT)
def test_any_text_inside_an_item_yields_items_or_is_unusable(title, body, date_text, link):
    data = rss(
        f"<item><title>{title}</title><description>{body}</description>"
        f"<pubDate>{date_text}</pubDate><link>{link}</link><guid>{link}</guid></item>"
    ).encode("utf-8")
    try:
        items = list(parse_feed(data))
    except UnusableInput as refused:
        assert refused.code == "malformed_feed"
        return
    for item in items:
        assert isinstance(item, RawRelease | ItemError)
        if isinstance(item, RawRelease):
            assert item.url == "" or item.url.startswith(("http://", "https://"))
            assert len(item.external_id) <= MAX_EXTERNAL_ID_CHARS


# --- photos an entry offers -------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "count", "first"),
    [
        # RSS enclosures, one written "image/jpg" as real feeds do.
        ("liga.net_ru_2021-08-22.rss.xml", 12,
         "https://www.liga.net/images/general/2020/09/17/thumbnail-h-20200917123150-4153.jpg"),
        ("mos.ru_news_2022-07-27.rss.xml", 10,
         "https://www.mos.ru/upload/newsfeed/newsfeed/mosprom-vdohnovlyaet_kepizo.jpg"),
        # An enclosure and media:content of the same picture: offered once.
        ("news.tut.by_all_2019-12-30.rss.xml", 100,
         "https://img.tyt.by/n/illyustracii/0c/7/astrological_game_cover.jpg"),
        # media:thumbnail.
        ("onliner.by_feed_2021-10-26.rss.xml", 30,
         "https://content.onliner.by/news/thumbnail/9dce887732f599102ef2663d8bca4985.jpeg"),
        ("miniflux_encoding_WINDOWS-1251_ibash.org.ru.rss.xml", 0, None),
    ],
)  # fmt: skip
def test_real_feeds_offer_their_entries_photos(name, count, first):
    items = releases(shared_path("corpus", "ru-feeds", name).read_bytes())
    with_photos = [item for item in items if item.image_urls]
    assert len(with_photos) == count
    # Every address absolute and web, none twice (mos.ru gives a gallery's worth).
    for item in with_photos:
        assert all(url.startswith("https://") for url in item.image_urls)
        assert len(set(item.image_urls)) == len(item.image_urls)
    if first:
        assert items[0].image_urls == (first,)


def test_photos_are_offered_best_first_and_resolved_against_the_feed():
    feed = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><title>T</title>
<item><title>Enclosures</title><description>x</description>
  <enclosure url="/audio/brief.mp3" type="audio/mpeg" length="1"/>
  <enclosure url="/img/lead.jpg" type="image/jpeg" length="1"/>
  <enclosure url="/img/untyped.jpg" length="1"/>
  <media:content url="/img/video.mp4" medium="video"/>
  <media:content url="/img/big.png" type="image/png"/>
  <media:thumbnail url="/img/thumb.jpg"/>
</item>
<item><title>Body only</title>
  <description>&lt;p&gt;&lt;img src="data:image/png;base64,AA"&gt;
    &lt;img src="pics/a.jpg"&gt;&lt;/p&gt;</description>
</item>
<item><title>A video and nothing else</title><description>No picture.</description>
  <enclosure url="https://a.kz/v.mp4" type="video/mp4" length="1"/>
</item>
</channel></rss>"""
    first, body_only, video = releases(feed.encode(), url="https://akimat.example.kz/news/rss")
    assert first.image_urls == (
        "https://akimat.example.kz/img/lead.jpg",
        "https://akimat.example.kz/img/big.png",
        "https://akimat.example.kz/img/thumb.jpg",
    )
    assert body_only.image_urls == ("https://akimat.example.kz/news/pics/a.jpg",)
    assert video.image_urls == ()


def test_an_atom_enclosure_link_of_an_image_type_is_a_photo():
    feed = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><id>urn:t</id>
<updated>2026-02-05T08:00:00Z</updated>
<entry><title>Photo</title><id>urn:1</id><updated>2026-02-05T08:00:00Z</updated>
  <link rel="alternate" href="https://a.kz/news/1"/>
  <link rel="enclosure" type="text/html" href="https://a.kz/page.html"/>
  <link rel="enclosure" type="image/webp" href="https://a.kz/photo.webp"/>
  <content type="html">&lt;img src="https://a.kz/in-body.jpg"&gt;</content>
</entry></feed>"""
    [entry] = releases(feed.encode())
    assert entry.image_urls == ("https://a.kz/photo.webp",)
