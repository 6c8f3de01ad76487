"""The gov.kz portal's news: pure parsers of its REST and GraphQL answers, and a paging client.

The parsers turn one page (or a saved file) into `RawRelease`s and `ItemError`s without any
I/O; `GovkzClient` walks the pages over an `HttpFetcher`, keeping the portal's session cookie.
"""

import html
import json
import logging
import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from . import image_links
from .http import FetchError, HttpFetcher
from .records import ItemError, ParsedItem, ParseProblem, RawRelease, UnusableInput

logger = logging.getLogger(__name__)

GOVKZ_BASE_URL = "https://www.gov.kz"
# Releases are dated where they are written: Kazakhstan is on UTC+5 since 1 March 2024, and
# the zone database also knows the older +6 for releases from before.
ALMATY = ZoneInfo("Asia/Almaty")
REST_NEWS_PATH = "/api/v1/public/content-manager/news"
GRAPHQL_PATH = "/graphql"
NEWS_FIELDS = "id title slug body created_date heropic short_description projects"
PAGE_SIZE = 50
FIRST_PAGE = 1
# Keys under which a REST answer or a saved file may wrap its list (`content` is how Spring
# pages the list).
REST_LIST_KEYS = ("content", "items", "news", "data", "results")

_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
_SLUG = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")
_MAX_ID_DIGITS = 30
_TAG = re.compile(r"<[^>]*>")
# Root-relative addresses (`/uploads/…`, not protocol-relative `//host/…`) in the attributes
# that load or link something; the body is shown on another site, where they would break.
_ROOT_RELATIVE_ATTR = re.compile(
    r"""(\s(?:src|href|poster|data-src)\s*=\s*)(["']?)/(?!/)""", re.IGNORECASE
)
_SRCSET = re.compile(r"""(\ssrcset\s*=\s*)(["'])(.*?)\2""", re.IGNORECASE | re.DOTALL)


# --- pure parsing ---------------------------------------------------------------------


def parse_rest_items(payload: Any, *, slug: str, lang: str, page: int) -> list[ParsedItem]:
    """One page of the REST API (a list, or an object wrapping it) as releases and errors.

    Raises UnusableInput(code="malformed") when the payload is not such a page.
    """
    return _parse_items(_rest_news_list(payload), slug=slug, lang=lang, page=page)


def parse_graphql_items(payload: Any, *, slug: str, lang: str, page: int) -> list[ParsedItem]:
    """One page of the GraphQL API (`{"data": {"news": [...]}}`) as releases and errors.

    Raises UnusableInput(code="malformed") when the payload is not such a page.
    """
    return _parse_items(_graphql_news_list(payload), slug=slug, lang=lang, page=page)


def parse_govkz_payload(data: bytes) -> list[ParsedItem]:
    """Releases and errors from a JSON file saved from either API.

    The file may hold a list of items, a GraphQL envelope, a REST page object, or one item.
    The agency comes from each item's `projects`; the language is left for detection because
    a saved file does not say it. Raises UnusableInput(code="malformed") for anything else.
    """
    try:
        payload = json.loads(data)
    except (ValueError, RecursionError):
        raise UnusableInput(
            "The file is not valid JSON, so it cannot be read as gov.kz news.", code="malformed"
        ) from None
    graphql = isinstance(payload, dict) and ("data" in payload or "errors" in payload)
    if graphql and not isinstance(payload.get("data"), list):
        items = _graphql_news_list(payload)
    elif isinstance(payload, dict) and "id" in payload and "title" in payload:
        items = [payload]
    else:
        items = _rest_news_list(payload)
    return _parse_items(items, slug="", lang="", page=None)


def news_url(slug: str, external_id: str, lang: str = "") -> str:
    """The canonical address of one release on gov.kz."""
    url = (
        f"{GOVKZ_BASE_URL}/memleket/entities/{quote(slug, safe='')}/press/news/details/"
        f"{quote(external_id, safe='')}"
    )
    return f"{url}?lang={quote(lang, safe='')}" if lang else url


def absolutize_urls(body: str) -> str:
    """Make root-relative image and link addresses (`/uploads/…`) absolute on gov.kz."""
    body = _ROOT_RELATIVE_ATTR.sub(lambda m: f"{m[1]}{m[2]}{GOVKZ_BASE_URL}/", body)
    return _SRCSET.sub(lambda m: f"{m[1]}{m[2]}{_absolute_srcset(m[3])}{m[2]}", body)


def _absolute_srcset(value: str) -> str:
    candidates = []
    for candidate in value.split(","):
        stripped = candidate.strip()
        if stripped.startswith("/") and not stripped.startswith("//"):
            stripped = GOVKZ_BASE_URL + stripped
        candidates.append(stripped)
    return ", ".join(candidates)


def _rest_news_list(payload: Any) -> list:
    if isinstance(payload, list):
        return payload
    if isinstance(payload, dict):
        for key in REST_LIST_KEYS:
            if isinstance(payload.get(key), list):
                return payload[key]
    raise UnusableInput(
        f"The portal's answer is not a list of news ({_shape(payload)} instead).",
        code="malformed",
    )


def _graphql_news_list(payload: Any) -> list:
    if isinstance(payload, dict):
        data = payload.get("data")
        news = data.get("news") if isinstance(data, dict) else None
        if isinstance(news, list):
            return news
        if graphql_errors(payload):
            raise UnusableInput(
                "The portal answered with an error instead of news.", code="malformed"
            )
    raise UnusableInput(
        f"The portal's answer is not a GraphQL news list ({_shape(payload)} instead).",
        code="malformed",
    )


def graphql_errors(payload: Any) -> list[str]:
    """The messages of a GraphQL answer's `errors`, if it has any."""
    errors = payload.get("errors") if isinstance(payload, dict) else None
    if not isinstance(errors, list):
        return []
    messages = []
    for error in errors[:5]:
        message = error.get("message") if isinstance(error, dict) else error
        if isinstance(message, str) and message.strip():
            messages.append(message.strip()[:200])
    return messages or (["an unnamed error"] if errors else [])


def _shape(payload: Any) -> str:
    # The kind of answer only: its keys and values are the portal's to write, not ours to show.
    if isinstance(payload, dict):
        return "an object" if payload else "an empty object"
    return {list: "a list", str: "text", bool: "true or false", type(None): "null"}.get(
        type(payload), "a number"
    )


def _parse_items(items: list, *, slug: str, lang: str, page: int | None) -> list[ParsedItem]:
    return [
        _parse_item(item, label=_label(slug, lang, page, n), slug=slug, lang=lang)
        for n, item in enumerate(items, start=1)
    ]


def _label(slug: str, lang: str, page: int | None, n: int) -> str:
    parts = [slug, lang, f"page {page}" if page is not None else "", f"item {n}"]
    return " ".join(part for part in parts if part)


def _parse_item(item: Any, *, label: str, slug: str, lang: str) -> ParsedItem:
    raw = _dump(item)
    if not isinstance(item, dict):
        return ItemError(
            item=label,
            raw=raw,
            code="malformed_item",
            message="This entry is not a news item: it has no fields.",
        )
    external_id = _item_id(item.get("id"))
    title = item.get("title").strip() if isinstance(item.get("title"), str) else ""
    missing = [name for name, value in (("id", external_id), ("title", title)) if not value]
    if missing:
        return ItemError(
            item=label,
            raw=raw,
            code="malformed_item",
            message=(
                f"The news item has no usable {' or '.join(missing)}, so it cannot be imported."
            ),
        )
    problems: list[ParseProblem] = []
    published_at = _published_at(item.get("created_date"), problems)
    agency = slug or _project_slug(item.get("projects"))
    body = _body(item, problems)
    return RawRelease(
        item=label,
        raw=raw,
        title=title,
        body=body,
        body_is_html=True,
        release_date=published_at.astimezone(ALMATY).date() if published_at else None,
        published_at=published_at,
        url=news_url(agency, external_id, lang) if agency else "",
        external_id=external_id,
        language_hint=lang,
        agency_hint=agency,
        image_urls=_image_urls(item.get("heropic"), body),
        problems=problems,
    )


def _dump(item: Any) -> str:
    try:
        return json.dumps(item, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        # Only reachable with data that did not come from JSON; keep what can be kept.
        return repr(item)[:100_000]


def _item_id(value: Any) -> str:
    if isinstance(value, bool):
        return ""
    if isinstance(value, int):
        # Bounded before str(): huge integers would make str() itself fail.
        return str(value) if 0 <= value < 10**_MAX_ID_DIGITS else ""
    if isinstance(value, str) and _ID.fullmatch(value.strip()):
        return value.strip()
    return ""


def _project_slug(value: Any) -> str:
    candidates = value if isinstance(value, list) else [value]
    for candidate in candidates[:10]:
        if isinstance(candidate, str):
            slug = candidate.strip().removeprefix("eq:")
            if _SLUG.fullmatch(slug):
                return slug
    return ""


def _body(item: dict, problems: list[ParseProblem]) -> str:
    body = item.get("body")
    if not isinstance(body, str):
        if body is not None:
            problems.append(
                ParseProblem("body_unreadable", "The body was not text, so it was left out.")
            )
        body = ""
    body = absolutize_urls(body.strip())
    if _has_content(body):
        return body
    lead = item.get("short_description")
    if isinstance(lead, str) and lead.strip():
        return f"<p>{html.escape(lead.strip())}</p>"
    return body


def _image_urls(heropic: Any, body: str) -> tuple[str, ...]:
    """The release's hero picture (`/uploads/…` on the portal), else the body's first image."""
    hero = image_links.image_url(heropic, base=GOVKZ_BASE_URL + "/")
    return image_links.unique([hero or image_links.first_img_src(body, base=GOVKZ_BASE_URL + "/")])


def _has_content(body: str) -> bool:
    if "<img" in body.lower():
        return True
    text = html.unescape(_TAG.sub("", body)).replace("\xa0", " ")
    return bool(text.strip())


def _published_at(value: Any, problems: list[ParseProblem]) -> datetime | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    unreadable = ParseProblem(
        "date_unreadable", f"The date {_dump(value)[:60]} could not be read, so it was left out."
    )
    if not isinstance(value, str):
        problems.append(unreadable)
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=ALMATY)
            problems.append(
                ParseProblem(
                    "date_without_zone", "The date had no time zone; Almaty time was assumed."
                )
            )
        # Dates at the ends of the calendar cannot be moved to Almaty; find that out here.
        parsed.astimezone(ALMATY)
    except (ValueError, OverflowError):
        problems.append(unreadable)
        return None
    return parsed


# --- fetching -------------------------------------------------------------------------


class GovkzClient:
    """Reads an agency's news from the portal page by page, newest first.

    The portal refuses API calls (HTTP 400 `notAllowed`) from clients without a session
    cookie, so the client first opens the agency's news page as a browser would, and opens a
    new session once when a page is refused before giving up.
    """

    def __init__(
        self,
        fetcher: HttpFetcher,
        *,
        base_url: str = GOVKZ_BASE_URL,
        shape: str = "rest",
        page_size: int = PAGE_SIZE,
    ):
        if shape not in ("rest", "graphql"):
            raise ValueError(f"shape must be 'rest' or 'graphql', not {shape!r}.")
        if page_size < 1:
            raise ValueError("page_size must be at least 1.")
        self.fetcher = fetcher
        self.base_url = base_url.rstrip("/")
        self.shape = shape
        self.page_size = page_size

    def iter_news(
        self,
        slug: str,
        lang: str,
        *,
        max_pages: int | None = None,
        since: datetime | None = None,
    ) -> Iterator[ParsedItem]:
        """The agency's releases in `lang`, newest first.

        Stops after a short page, after `max_pages`, or once releases are older than `since`
        (timezone-aware). A failure raises FetchError after the items already yielded.
        """
        if since is not None and since.tzinfo is None:
            raise ValueError("since must be timezone-aware.")
        if max_pages is not None and max_pages < 1:
            raise ValueError("max_pages must be at least 1.")
        return self._iter_news(slug, lang, max_pages=max_pages, since=since)

    def _iter_news(self, slug, lang, *, max_pages, since) -> Iterator[ParsedItem]:
        self._open_session(slug, lang)
        seen: set[str] = set()
        page = FIRST_PAGE
        while max_pages is None or page - FIRST_PAGE < max_pages:
            items, count = self._page(slug, lang, page)
            releases = [item for item in items if isinstance(item, RawRelease)]
            fresh = [item for item in releases if item.external_id not in seen]
            reached_since = False
            for item in items:
                if isinstance(item, RawRelease):
                    if item.external_id in seen:
                        # Paging shifts by one when a release is published meanwhile.
                        continue
                    seen.add(item.external_id)
                    if since and item.published_at and item.published_at < since:
                        reached_since = True
                        continue
                yield item
            if count < self.page_size or reached_since:
                return
            if releases and not fresh:
                # A full page of releases already seen: the portal ignores `page`.
                logger.warning("gov.kz repeated page %d of %s (%s); stopping", page, slug, lang)
                return
            page += 1

    def session_url(self, slug: str) -> str:
        """The agency's news page, which hands out the session cookie the API asks for."""
        return f"{self.base_url}/memleket/entities/{quote(slug, safe='')}/press/news"

    def _open_session(self, slug: str, lang: str) -> None:
        try:
            self.fetcher.get_bytes(self.session_url(slug), params={"lang": lang})
        except FetchError as error:
            if error.code != "refused":
                raise
            # The API may still answer; if it does not, its own refusal is the clearer error.
            logger.info("gov.kz news page of %s refused: %s", slug, error.message)

    def _page(self, slug: str, lang: str, page: int) -> tuple[list[ParsedItem], int]:
        try:
            items = self._request_page(slug, lang, page)
        except FetchError as error:
            if not _not_allowed(error):
                raise
            logger.info("gov.kz refused page %d of %s; opening a new session", page, slug)
            self.fetcher.clear_cookies()
            self._open_session(slug, lang)
            items = self._request_page(slug, lang, page)
        return _parse_items(items, slug=slug, lang=lang, page=page), len(items)

    def _request_page(self, slug: str, lang: str, page: int) -> list:
        headers = {
            "Accept-Language": lang,
            "Referer": f"{self.session_url(slug)}?lang={quote(lang, safe='')}",
        }
        if self.shape == "rest":
            url = f"{self.base_url}{REST_NEWS_PATH}"
            params = {
                "sort-by": "created_date:DESC",
                "projects": f"eq:{slug}",
                "page": page,
                "size": self.page_size,
                "lang": lang,
            }
            payload = self.fetcher.get_json(url, params, headers=headers)
            return _as_fetch_error(_rest_news_list, payload, url)
        url = f"{self.base_url}{GRAPHQL_PATH}"
        payload = self.fetcher.post_json(
            url, {"query": news_query(slug, lang, page, self.page_size)}, headers=headers
        )
        errors = graphql_errors(payload)
        news = payload.get("data") if isinstance(payload, dict) else None
        if errors and not (isinstance(news, dict) and isinstance(news.get("news"), list)):
            raise FetchError(
                f"The portal refused the request for {url}.",
                code="refused",
                url=url,
                detail="; ".join(errors),
            )
        return _as_fetch_error(_graphql_news_list, payload, url)


def news_query(slug: str, lang: str, page: int, size: int) -> str:
    """The GraphQL query for one page of an agency's news."""
    # json.dumps quotes and escapes a string as GraphQL expects.
    arguments = ", ".join(
        (
            f"projects: {json.dumps('eq:' + slug)}",
            f"_lang: {json.dumps(lang)}",
            f"_page: {int(page)}",
            f"_size: {int(size)}",
            '_sort: "created_date:desc"',
        )
    )
    return f"{{ news({arguments}) {{ {NEWS_FIELDS} }} }}"


def _as_fetch_error(extract, payload: Any, url: str) -> list:
    try:
        return extract(payload)
    except UnusableInput as error:
        raise FetchError(f"{error.message} ({url})", code=error.code, url=url) from None


def _not_allowed(error: FetchError) -> bool:
    return error.code == "refused" and "notallowed" in error.detail.lower()
