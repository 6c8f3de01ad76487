"""gov.kz news: the pure parsers, and the paging client against a local stand-in portal."""

import json
import re
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from news.importing.govkz import (
    GRAPHQL_PATH,
    REST_NEWS_PATH,
    GovkzClient,
    parse_govkz_payload,
    parse_graphql_items,
    parse_rest_items,
)
from news.importing.http import FetchError, HttpFetcher
from news.importing.records import ItemError, RawRelease, UnusableInput

from .test_import_http import LOOPBACK, LocalServer, Reply, Seen

SLUG = "akimvko"
ASTANA_EVENING = "2025-12-19T22:30:00+03:00"


def portal_item(n: int, *, lang: str = "ru") -> dict:
    """The n-th newest release as the portal sends it; one hour older per step."""
    created = datetime(2025, 12, 19, 22, 30, tzinfo=timezone(timedelta(hours=3)))
    return {
        "id": 1_130_000 - n,
        "slug": f"release-{n}",
        "title": f"Release {n} ({lang}): Өскеменде жаңа мектеп ашылды",
        "body": f'<p>Text {n}.</p><p><img src="/uploads/2025/12/19/photo-{n}.jpg"></p>',
        "created_date": (created - timedelta(hours=n)).isoformat(),
        "heropic": f"/uploads/2025/12/19/hero-{n}.jpg",
        "short_description": f"Lead {n}.",
        "projects": SLUG,
    }


# --- pure parsers ---------------------------------------------------------------------


def test_rest_item_becomes_a_release_with_its_canonical_address_and_almaty_date():
    item = {
        "id": 1129425,
        "title": "  «Слышащее государство»  ",
        "body": '<p>Встреча с жителями.</p><img src="/uploads/2025/12/19/a.jpg">',
        "created_date": ASTANA_EVENING,
        "heropic": "/uploads/2025/12/19/hero.jpg",
        "short_description": "Встреча",
        "projects": "kostanai-kalasy-akimat",
    }
    [release] = parse_rest_items([item], slug="kostanai-kalasy-akimat", lang="ru", page=2)

    assert release == RawRelease(
        item="kostanai-kalasy-akimat ru page 2 item 1",
        raw=json.dumps(item, ensure_ascii=False),
        title="«Слышащее государство»",
        body='<p>Встреча с жителями.</p><img src="https://www.gov.kz/uploads/2025/12/19/a.jpg">',
        body_is_html=True,
        release_date=date(2025, 12, 20),
        published_at=datetime(2025, 12, 19, 19, 30, tzinfo=UTC),
        url=(
            "https://www.gov.kz/memleket/entities/kostanai-kalasy-akimat/press/news/details/"
            "1129425?lang=ru"
        ),
        external_id="1129425",
        language_hint="ru",
        agency_hint="kostanai-kalasy-akimat",
        image_urls=("https://www.gov.kz/uploads/2025/12/19/hero.jpg",),
    )
    assert release.published_at.utcoffset() == timedelta(hours=3)


@pytest.mark.parametrize(
    ("heropic", "body", "expected"),
    [
        # The portal's hero picture is on its own host, whichever host served the page.
        ("/uploads/hero.png", '<img src="/uploads/in-body.jpg">', "https://www.gov.kz/uploads/hero.png"),
        ("https://cdn.example.kz/h.jpg", "", "https://cdn.example.kz/h.jpg"),
        # Without one, the body's first picture.
        (None, '<p>x</p><img src="data:image/png;base64,AAAA"><img src="/uploads/b.jpg">',
         "https://www.gov.kz/uploads/b.jpg"),
        ("", '<p>Text only.</p>', None),
        ({"url": "/uploads/odd.jpg"}, "", None),  # not a string: nothing guessed
        ("/uploads/logo.svg", "", None),
    ],
)  # fmt: skip
def test_a_release_offers_its_hero_picture_else_the_first_body_image(heropic, body, expected):
    item = {"id": 7, "title": "T", "body": body, "heropic": heropic, "projects": SLUG}
    [release] = parse_rest_items([item], slug=SLUG, lang="kk", page=1)
    assert release.image_urls == ((expected,) if expected else ())


@pytest.mark.parametrize(
    ("created_date", "almaty_date"),
    [
        (ASTANA_EVENING, date(2025, 12, 20)),
        ("2025-12-19T18:59:59Z", date(2025, 12, 19)),
        ("2025-12-19T19:00:00+00:00", date(2025, 12, 20)),
        ("2025-12-19T23:59:00+05:00", date(2025, 12, 19)),
        ("2025-12-20T00:30:00.123+06:00", date(2025, 12, 19)),
        # Before 1 March 2024 Almaty was on UTC+6.
        ("2023-06-01T18:30:00Z", date(2023, 6, 2)),
    ],
)
def test_release_date_is_the_date_in_almaty(created_date, almaty_date):
    [release] = parse_rest_items(
        [{"id": 1, "title": "T", "created_date": created_date}], slug=SLUG, lang="kk", page=1
    )
    assert release.release_date == almaty_date
    assert release.published_at == datetime.fromisoformat(created_date)
    assert release.problems == []


def test_date_without_zone_is_taken_as_almaty_time_and_noted():
    [release] = parse_rest_items(
        [{"id": 1, "title": "T", "created_date": "2025-12-19T23:30:00"}],
        slug=SLUG,
        lang="kk",
        page=1,
    )
    assert release.published_at == datetime(2025, 12, 19, 18, 30, tzinfo=UTC)
    assert release.release_date == date(2025, 12, 19)
    assert [problem.code for problem in release.problems] == ["date_without_zone"]


@pytest.mark.parametrize("created_date", ["19.12.2025", 1734633000000, {"date": "today"}])
def test_unreadable_date_is_a_problem_not_a_failure(created_date):
    [release] = parse_rest_items(
        [{"id": 1, "title": "T", "created_date": created_date}], slug=SLUG, lang="kk", page=1
    )
    assert (release.published_at, release.release_date) == (None, None)
    assert [problem.code for problem in release.problems] == ["date_unreadable"]


def test_missing_date_is_left_for_the_cleaner_to_flag():
    [release] = parse_rest_items([{"id": 1, "title": "T"}], slug=SLUG, lang="kk", page=1)
    assert (release.published_at, release.release_date, release.problems) == (None, None, [])


def test_relative_image_and_link_addresses_become_absolute_on_govkz():
    body = (
        '<p><img src="/uploads/a.jpg" alt="/uploads/not-an-address">'
        "<img SRC='/uploads/b.png'><img src=/uploads/c.gif>"
        '<a href="/memleket/entities/akimvko">akimat</a>'
        '<img srcset="/uploads/d-1x.jpg 1x, /uploads/d-2x.jpg 2x">'
        '<img src="//cdn.example.kz/e.jpg"><img src="https://akorda.kz/f.jpg"></p>'
    )
    [release] = parse_rest_items(
        [{"id": 1, "title": "T", "body": body}], slug=SLUG, lang="en", page=1
    )
    assert release.body == (
        '<p><img src="https://www.gov.kz/uploads/a.jpg" alt="/uploads/not-an-address">'
        "<img SRC='https://www.gov.kz/uploads/b.png'><img src=https://www.gov.kz/uploads/c.gif>"
        '<a href="https://www.gov.kz/memleket/entities/akimvko">akimat</a>'
        '<img srcset="https://www.gov.kz/uploads/d-1x.jpg 1x, '
        'https://www.gov.kz/uploads/d-2x.jpg 2x">'
        '<img src="//cdn.example.kz/e.jpg"><img src="https://akorda.kz/f.jpg"></p>'
    )


@pytest.mark.parametrize("body", [None, "", "  ", "<p>&nbsp;</p>", "<p>\xa0</p>"])
def test_short_description_is_the_body_when_the_body_is_empty(body):
    item = {"id": 1, "title": "T", "body": body, "short_description": "Жаңа <мектеп> & бақша"}
    [release] = parse_rest_items([item], slug=SLUG, lang="kk", page=1)
    assert release.body == "<p>Жаңа &lt;мектеп&gt; &amp; бақша</p>"


@pytest.mark.parametrize("body", ["<p>Full text.</p>", '<p><img src="/uploads/only.jpg"></p>'])
def test_short_description_is_not_added_to_a_body_with_content(body):
    item = {"id": 1, "title": "T", "body": body, "short_description": "Lead."}
    [release] = parse_rest_items([item], slug=SLUG, lang="kk", page=1)
    assert "Lead." not in release.body
    assert release.body.startswith("<p>")


def test_a_body_that_is_not_text_is_left_out_and_noted():
    [release] = parse_rest_items(
        [{"id": 1, "title": "T", "body": {"blocks": []}}], slug=SLUG, lang="kk", page=1
    )
    assert release.body == ""
    assert [problem.code for problem in release.problems] == ["body_unreadable"]


def test_items_without_id_or_title_are_item_errors_and_the_rest_import():
    items = [
        portal_item(0),
        {"title": "No id here", "body": "<p>x</p>"},
        {"id": 5, "title": "   "},
        {"id": True, "title": "A boolean is not an id"},
        {"id": "12/../34", "title": "Not an id either"},
        "just text",
        portal_item(1),
    ]
    parsed = parse_rest_items(items, slug=SLUG, lang="ru", page=4)

    assert [type(item).__name__ for item in parsed] == [
        "RawRelease",
        *["ItemError"] * 5,
        "RawRelease",
    ]
    errors = [item for item in parsed if isinstance(item, ItemError)]
    assert {error.code for error in errors} == {"malformed_item"}
    assert errors[0].item == f"{SLUG} ru page 4 item 2"
    assert errors[0].message == "The news item has no usable id, so it cannot be imported."
    assert errors[1].message == "The news item has no usable title, so it cannot be imported."
    assert [json.loads(error.raw) for error in errors] == items[1:6]
    assert parsed[-1].item == f"{SLUG} ru page 4 item 7"


def test_graphql_page_is_read_from_its_envelope():
    payload = {"data": {"news": [portal_item(0, lang="kk"), portal_item(1, lang="kk")]}}
    parsed = parse_graphql_items(payload, slug=SLUG, lang="kk", page=1)
    assert [release.external_id for release in parsed] == ["1130000", "1129999"]
    assert parsed[1].url == (
        "https://www.gov.kz/memleket/entities/akimvko/press/news/details/1129999?lang=kk"
    )


def test_rest_page_wrapped_in_an_object_is_read():
    payload = {"content": [portal_item(0)], "totalElements": 1, "last": True}
    [release] = parse_rest_items(payload, slug=SLUG, lang="ru", page=1)
    assert release.external_id == "1130000"


@pytest.mark.parametrize("payload", [{"total": 3}, "notAllowed", 7, None, {"content": "x"}])
def test_rest_payload_not_in_the_documented_shape_is_malformed(payload):
    with pytest.raises(UnusableInput) as caught:
        parse_rest_items(payload, slug=SLUG, lang="ru", page=1)
    assert caught.value.code == "malformed"
    assert caught.value.message.startswith("The portal's answer is not a list of news")
    assert not {"total", "content", "notAllowed"} & set(re.findall(r"\w+", caught.value.message))


@pytest.mark.parametrize(
    ("payload", "says"),
    [
        ([portal_item(0)], "not a GraphQL news list (a list instead)"),
        ({"data": {}}, "not a GraphQL news list"),
        ({"data": {"news": None}}, "not a GraphQL news list"),
        ({"data": None, "errors": [{"message": "notAllowed"}]}, "an error instead of news."),
        ({"data": {"token": "s3cr3t"}}, "not a GraphQL news list (an object instead)"),
    ],
)
def test_graphql_payload_not_in_the_documented_shape_is_malformed(payload, says):
    with pytest.raises(UnusableInput) as caught:
        parse_graphql_items(payload, slug=SLUG, lang="ru", page=1)
    assert caught.value.code == "malformed"
    assert says in caught.value.message
    # The answer's own words (its errors, its keys) stay out of what editors read.
    assert not {"notAllowed", "token", "s3cr3t"} & set(re.findall(r"\w+", caught.value.message))


@pytest.mark.parametrize(
    "saved",
    [
        [portal_item(0), portal_item(1)],
        {"data": {"news": [portal_item(0), portal_item(1)]}},
        {"content": [portal_item(0), portal_item(1)], "number": 0},
    ],
    ids=["list", "graphql", "rest page"],
)
def test_saved_file_from_either_api_is_read(saved):
    parsed = parse_govkz_payload(json.dumps(saved, ensure_ascii=False).encode())
    assert [(item.item, item.external_id) for item in parsed] == [
        ("item 1", "1130000"),
        ("item 2", "1129999"),
    ]
    first = parsed[0]
    # The agency comes from the item; a saved file does not say its language.
    assert (first.agency_hint, first.language_hint) == (SLUG, "")
    assert first.url == "https://www.gov.kz/memleket/entities/akimvko/press/news/details/1130000"
    assert first.release_date == date(2025, 12, 20)


def test_saved_single_item_and_project_list_are_read():
    item = {**portal_item(3), "projects": ["eq:mfa-washington"]}
    [release] = parse_govkz_payload(json.dumps(item).encode("utf-8-sig"))
    assert (release.agency_hint, release.external_id) == ("mfa-washington", "1129997")


def test_saved_item_without_a_project_has_no_address_but_keeps_its_id():
    item = {**portal_item(0), "projects": None}
    [release] = parse_govkz_payload(json.dumps([item]).encode())
    assert (release.url, release.agency_hint, release.external_id) == ("", "", "1130000")


@pytest.mark.parametrize(
    "data", [b"", b"<html>gov.kz</html>", b'{"data": {"news": [', b'{"total": 1}', b"42"]
)
def test_saved_file_that_is_not_govkz_news_is_unusable(data):
    with pytest.raises(UnusableInput) as caught:
        parse_govkz_payload(data)
    assert caught.value.code == "malformed"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=20,
)
news_like_items = st.fixed_dictionaries(
    {},
    optional={
        "id": st.integers() | st.text(max_size=70) | json_values,
        "title": st.text() | json_values,
        "body": st.text() | json_values,
        "created_date": st.datetimes(timezones=st.timezones()).map(datetime.isoformat)
        | st.text()
        | json_values,
        "short_description": st.text() | json_values,
        "projects": st.text() | st.lists(st.text()) | json_values,
    },
)
payloads = (
    json_values
    | st.lists(news_like_items | json_values, max_size=5)
    | st.builds(lambda items: {"data": {"news": items}}, st.lists(news_like_items, max_size=5))
    | st.builds(lambda items: {"content": items}, st.lists(news_like_items, max_size=5))
)


def assert_well_formed(parsed):
    for item in parsed:
        if isinstance(item, ItemError):
            assert item.code == "malformed_item"
            continue
        assert isinstance(item, RawRelease)
        assert item.title and item.title == item.title.strip()
        assert item.external_id
        assert item.body_is_html
        if item.published_at is not None:
            assert item.published_at.tzinfo is not None
            assert item.release_date is not None


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(payloads)
def test_api_parsers_raise_only_unusable_input_on_any_json(payload):
    for parse in (parse_rest_items, parse_graphql_items):
        try:
            parsed = parse(payload, slug=SLUG, lang="kk", page=1)
        except UnusableInput as error:
            assert error.code == "malformed"
            continue
        assert_well_formed(parsed)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(payloads.map(lambda payload: json.dumps(payload).encode()), st.binary()))
def test_saved_file_parser_raises_only_unusable_input_on_any_bytes(data):
    try:
        parsed = parse_govkz_payload(data)
    except UnusableInput as error:
        assert error.code == "malformed"
        return
    assert_well_formed(parsed)


# --- the client against a stand-in portal ---------------------------------------------


class FakePortal:
    """gov.kz as documented: newest first, paged, API calls only within a session.

    `expire_every` ends the session after that many served pages; `refusal` says how the
    portal refuses ("http" for HTTP 400, "graphql" for an error in a 200 answer).
    """

    def __init__(self, count: int = 107, *, require_session: bool = True):
        self.count = count
        self.require_session = require_session
        self.sessions: list[str] = []
        self.valid_session = ""
        self.api_requests: list[Seen] = []
        self.served = 0
        self.expire_every: int | None = None
        self.refuse_always = False
        self.refusal = "http"
        self.ignore_page = False
        self.broken: dict[int, dict] = {}
        self.news_page_status = 200
        self.answer: object = None

    def __call__(self, request: Seen) -> Reply:
        if request.path == f"/memleket/entities/{SLUG}/press/news":
            if self.news_page_status != 200:
                return Reply(self.news_page_status)
            self.sessions.append(request.query.get("lang", ""))
            self.valid_session = f"s{len(self.sessions)}"
            return Reply(
                body="<html><title>gov.kz</title></html>",
                headers={
                    "Content-Type": "text/html",
                    "Set-Cookie": f"SESSION={self.valid_session}; Path=/",
                },
            )
        if request.path not in (REST_NEWS_PATH, GRAPHQL_PATH):
            return Reply(404)
        self.api_requests.append(request)
        graphql = request.path == GRAPHQL_PATH
        session = request.cookies.get("SESSION")
        if self.refuse_always or (self.require_session and session != self.valid_session):
            if graphql and self.refusal == "graphql":
                return Reply(body={"data": None, "errors": [{"message": "notAllowed"}]})
            return Reply(400, body={"error": "notAllowed"})
        if self.answer is not None:
            return Reply(body=self.answer)
        slug, lang, page, size = self._arguments(request, graphql)
        if slug != SLUG:
            items = []
        else:
            first = 0 if self.ignore_page else (page - 1) * size
            numbers = range(first, min(first + size, self.count))
            items = [self.broken.get(n, portal_item(n, lang=lang)) for n in numbers]
        self.served += 1
        if self.expire_every and self.served % self.expire_every == 0:
            self.valid_session = ""
        return Reply(body={"data": {"news": items}} if graphql else items)

    @staticmethod
    def _arguments(request: Seen, graphql: bool) -> tuple[str, str, int, int]:
        if not graphql:
            query = request.query
            slug = query["projects"].removeprefix("eq:")
            return slug, query["lang"], int(query["page"]), int(query["size"])
        text = json.loads(request.body)["query"]
        found = dict(re.findall(r'(\w+): ("[^"]*"|\d+)', text))
        return (
            json.loads(found["projects"]).removeprefix("eq:"),
            json.loads(found["_lang"]),
            int(found["_page"]),
            int(found["_size"]),
        )


@pytest.fixture
def portal():
    fake = FakePortal()
    with LocalServer(fake) as server:
        fake.server = server
        yield fake


@pytest.fixture
def sleeps():
    return []


@pytest.fixture
def fetcher(sleeps):
    with HttpFetcher(allowed_networks=LOOPBACK, sleep=sleeps.append, jitter=lambda: 1.0) as fetcher:
        yield fetcher


def client_for(portal, fetcher, shape="rest", **options) -> GovkzClient:
    return GovkzClient(fetcher, base_url=portal.server.url("/"), shape=shape, **options)


@pytest.mark.parametrize("shape", ["rest", "graphql"])
def test_news_are_paged_through_50_50_and_7_items(portal, fetcher, shape, sleeps):
    items = list(client_for(portal, fetcher, shape).iter_news(SLUG, "ru"))

    assert len(items) == 107
    assert all(isinstance(item, RawRelease) for item in items)
    assert [item.external_id for item in items] == [str(1_130_000 - n) for n in range(107)]
    assert items[0].item == f"{SLUG} ru page 1 item 1"
    assert items[-1].item == f"{SLUG} ru page 3 item 7"
    assert items[-1].url == (
        "https://www.gov.kz/memleket/entities/akimvko/press/news/details/1129894?lang=ru"
    )
    assert "(ru)" in items[-1].title
    assert 'src="https://www.gov.kz/uploads/2025/12/19/photo-106.jpg"' in items[-1].body
    # The session page is opened first, and every API call carries its cookie.
    assert portal.server.requests[0].path == f"/memleket/entities/{SLUG}/press/news"
    assert portal.sessions == ["ru"]
    assert len(portal.api_requests) == 3
    assert {request.cookies["SESSION"] for request in portal.api_requests} == {"s1"}
    assert {request.headers["accept-language"] for request in portal.api_requests} == {"ru"}
    assert sleeps == []


def test_rest_request_asks_for_the_agency_newest_first_in_the_language(portal, fetcher):
    list(client_for(portal, fetcher, "rest", page_size=20).iter_news(SLUG, "kk", max_pages=2))
    assert [request.query for request in portal.api_requests] == [
        {
            "sort-by": "created_date:DESC",
            "projects": f"eq:{SLUG}",
            "page": str(page),
            "size": "20",
            "lang": "kk",
        }
        for page in (1, 2)
    ]
    assert {request.method for request in portal.api_requests} == {"GET"}


def test_graphql_request_asks_for_the_agency_newest_first_in_the_language(portal, fetcher):
    list(client_for(portal, fetcher, "graphql", page_size=20).iter_news(SLUG, "en", max_pages=1))
    [request] = portal.api_requests
    assert request.method == "POST"
    query = json.loads(request.body)["query"]
    assert query == (
        '{ news(projects: "eq:akimvko", _lang: "en", _page: 1, _size: 20, '
        '_sort: "created_date:desc") '
        "{ id title slug body created_date heropic short_description projects } }"
    )


@pytest.mark.parametrize(
    ("shape", "refusal"), [("rest", "http"), ("graphql", "http"), ("graphql", "graphql")]
)
def test_a_refused_page_opens_a_new_session_and_is_asked_again(
    portal, fetcher, shape, refusal, sleeps
):
    portal.expire_every = 1
    portal.refusal = refusal
    items = list(client_for(portal, fetcher, shape).iter_news(SLUG, "kk"))

    assert len(items) == 107
    assert len({item.external_id for item in items}) == 107
    assert portal.sessions == ["kk", "kk", "kk"]
    # Pages 2 and 3 were each refused once, then served in the new session.
    assert len(portal.api_requests) == 5
    assert sleeps == []


@pytest.mark.parametrize(
    ("shape", "refusal", "status"),
    [("rest", "http", 400), ("graphql", "http", 400), ("graphql", "graphql", None)],
)
def test_a_portal_refusing_even_a_new_session_gives_up_as_refused(
    portal, fetcher, shape, refusal, status, sleeps
):
    portal.refuse_always = True
    portal.refusal = refusal
    with pytest.raises(FetchError) as caught:
        list(client_for(portal, fetcher, shape).iter_news(SLUG, "ru"))

    error = caught.value
    assert (error.code, error.status, error.detail) == ("refused", status, "notAllowed")
    assert error.message.startswith("The portal refused the request")
    assert "notAllowed" not in error.message
    assert len(portal.api_requests) == 2
    assert len(portal.sessions) == 2
    assert sleeps == []


def test_without_the_session_handshake_the_portal_refuses(portal, fetcher):
    # The stand-in must really insist on the cookie, or the handshake tests prove nothing.
    with pytest.raises(FetchError) as caught:
        fetcher.get_json(portal.server.url(REST_NEWS_PATH), {"projects": f"eq:{SLUG}"})
    assert (caught.value.code, caught.value.detail) == ("refused", "notAllowed")


def test_a_missing_news_page_does_not_stop_the_api(fetcher):
    fake = FakePortal(count=3, require_session=False)
    fake.news_page_status = 404
    with LocalServer(fake) as server:
        fake.server = server
        items = list(client_for(fake, fetcher).iter_news(SLUG, "en"))
    assert len(items) == 3


def test_max_pages_stops_paging(portal, fetcher):
    items = list(client_for(portal, fetcher).iter_news(SLUG, "ru", max_pages=2))
    assert len(items) == 100
    assert len(portal.api_requests) == 2


def test_since_stops_at_releases_older_than_it(portal, fetcher):
    since = datetime.fromisoformat(portal_item(60)["created_date"])
    items = list(client_for(portal, fetcher).iter_news(SLUG, "ru", since=since))

    assert [item.external_id for item in items] == [str(1_130_000 - n) for n in range(61)]
    assert all(item.published_at >= since for item in items)
    assert len(portal.api_requests) == 2


def test_since_must_say_its_time_zone(portal, fetcher):
    with pytest.raises(ValueError, match="timezone-aware"):
        client_for(portal, fetcher).iter_news(SLUG, "ru", since=datetime(2025, 12, 1))


def test_a_portal_ignoring_the_page_number_is_not_read_forever(portal, fetcher):
    portal.ignore_page = True
    # max_pages only bounds this test should the guard fail; the guard must stop at page 2.
    items = list(client_for(portal, fetcher).iter_news(SLUG, "ru", max_pages=5))
    assert len(items) == 50
    assert len(portal.api_requests) == 2


def test_broken_items_are_item_errors_while_the_rest_import(portal, fetcher):
    portal.broken = {3: {"id": 1, "body": "<p>no title</p>"}, 75: {"title": "No id"}}
    items = list(client_for(portal, fetcher).iter_news(SLUG, "ru"))

    errors = [item for item in items if isinstance(item, ItemError)]
    assert [(error.item, error.code) for error in errors] == [
        (f"{SLUG} ru page 1 item 4", "malformed_item"),
        (f"{SLUG} ru page 2 item 26", "malformed_item"),
    ]
    assert json.loads(errors[1].raw) == {"title": "No id"}
    assert sum(isinstance(item, RawRelease) for item in items) == 105


@pytest.mark.parametrize(
    ("shape", "answer"), [("rest", {"unexpected": True}), ("graphql", {"data": {"posts": []}})]
)
def test_a_page_in_an_unknown_shape_is_malformed(portal, fetcher, shape, answer):
    portal.answer = answer
    with pytest.raises(FetchError) as caught:
        list(client_for(portal, fetcher, shape).iter_news(SLUG, "ru"))
    assert caught.value.code == "malformed"
    assert caught.value.url.endswith(REST_NEWS_PATH if shape == "rest" else GRAPHQL_PATH)


def test_a_page_failing_midway_keeps_what_came_before(portal, fetcher):
    portal.expire_every = 1
    client = client_for(portal, fetcher)
    news = client.iter_news(SLUG, "ru")
    first_page = [next(news) for _ in range(50)]
    portal.refuse_always = True
    with pytest.raises(FetchError) as caught:
        next(news)
    assert len(first_page) == 50
    assert caught.value.code == "refused"


@pytest.mark.django_db
def test_a_scheduled_portal_source_keeps_the_whole_text_of_a_release_it_cut(portal, fetcher):
    from news.importing.sources import run_source
    from news.models import Article, ImportRun, ImportSource

    from .helpers import ENORMOUS_ENDING, enormous_govkz_item

    portal.count, portal.broken = 1, {0: enormous_govkz_item()}
    source = ImportSource.objects.create(
        name="Akimat of East Kazakhstan", kind=ImportSource.Kind.GOVKZ,
        location=portal.server.url("/"), govkz_agency_slug=SLUG, language="ru",
    )  # fmt: skip
    run = run_source(source, fetcher=fetcher)
    assert (run.status, run.created) == (ImportRun.Status.SUCCEEDED, 1)
    kept = run.items.get()
    assert kept.article == Article.objects.get()
    assert ENORMOUS_ENDING in kept.raw
