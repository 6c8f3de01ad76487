"""HttpFetcher against a real local HTTP server: retries, limits, and the errors an editor sees."""

import itertools
import json
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import formatdate
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from news.importing.http import FetchError, HttpFetcher, fetch_url

# Longest a reply may be held back; the server releases it at once when it stops.
MAX_DELAY = 5.0


@dataclass
class Reply:
    status: int = 200
    body: bytes | str | dict | list = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    chunked: bool = False


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes

    @property
    def cookies(self) -> dict[str, str]:
        cookie = SimpleCookie(self.headers.get("cookie", ""))
        return {name: morsel.value for name, morsel in cookie.items()}


class LocalServer:
    """A ThreadingHTTPServer on 127.0.0.1 answering with `respond(request)` or queued replies.

    Every request is recorded in `requests`; held-back replies end when the server stops.
    """

    def __init__(self, respond: Callable[[Seen], Reply] | None = None):
        self.requests: list[Seen] = []
        self.respond = respond or (lambda request: Reply(body=b"ok"))
        self.stopping = threading.Event()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def __enter__(self) -> "LocalServer":
        self.thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=MAX_DELAY)

    def url(self, path: str = "/") -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}{path}"

    def reply_with(self, *replies: Reply) -> None:
        """Answer with these replies in turn, repeating the last one."""
        queue = list(replies)
        self.respond = lambda request: queue.pop(0) if len(queue) > 1 else queue[0]

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                self._answer()

            def do_POST(self):
                self._answer()

            def log_message(self, format, *args):
                pass

            def _answer(self):
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                seen = Seen(
                    method=self.command,
                    path=parts.path,
                    query={key: values[-1] for key, values in parse_qs(parts.query).items()},
                    headers={key.lower(): value for key, value in self.headers.items()},
                    body=self.rfile.read(length) if length else b"",
                )
                server.requests.append(seen)
                reply = server.respond(seen)
                if reply.delay:
                    server.stopping.wait(min(reply.delay, MAX_DELAY))
                try:
                    self._send(reply)
                except OSError:
                    # The client gave up first (a timeout, a size limit): nobody to answer.
                    self.close_connection = True

            def _send(self, reply: Reply):
                body, headers = reply.body, dict(reply.headers)
                if isinstance(body, dict | list):
                    body = json.dumps(body, ensure_ascii=False)
                    headers.setdefault("Content-Type", "application/json")
                if isinstance(body, str):
                    body = body.encode()
                    headers.setdefault("Content-Type", "text/plain; charset=utf-8")
                self.send_response(reply.status)
                for name, value in headers.items():
                    self.send_header(name, value)
                if reply.chunked:
                    self.send_header("Transfer-Encoding", "chunked")
                    self.end_headers()
                    for start in range(0, len(body), 1024):
                        piece = body[start : start + 1024]
                        self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
                    self.wfile.write(b"0\r\n\r\n")
                else:
                    if "Content-Length" not in headers:
                        self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)

        return Handler


@pytest.fixture
def server():
    with LocalServer() as running:
        yield running


@pytest.fixture
def sleeps():
    return []


NOW = 1_766_000_000.0


def make_fetcher(sleeps: list, **options) -> HttpFetcher:
    """A fetcher that records the delays it asks for instead of waiting, with fixed jitter."""
    options.setdefault("jitter", lambda: 1.0)
    options.setdefault("clock", lambda: NOW)
    return HttpFetcher(sleep=sleeps.append, **options)


def fetch_error(call, *args, **kwargs) -> FetchError:
    with pytest.raises(FetchError) as caught:
        call(*args, **kwargs)
    return caught.value


def test_get_bytes_follows_redirects_sends_params_and_names_pressroom(server, sleeps):
    feed = "<rss><channel><title>Ақорда</title></channel></rss>".encode()

    def respond(request):
        if request.path == "/old":
            return Reply(302, headers={"Location": "/feed"})
        return Reply(body=feed, headers={"Content-Type": "application/rss+xml"})

    server.respond = respond
    with make_fetcher(sleeps) as fetcher:
        response = fetcher.get_bytes(server.url("/old"), params={"lang": "kk"})

    assert response.content == feed
    assert response.content_type == "application/rss+xml"
    assert (response.url, response.status) == (server.url("/feed"), 200)
    assert server.requests[0].query == {"lang": "kk"}
    assert server.requests[0].headers["user-agent"].startswith("Pressroom/")
    assert sleeps == []


def test_post_json_sends_the_payload_as_json_and_decodes_the_answer(server, sleeps):
    server.reply_with(Reply(body={"data": {"news": []}}))
    with make_fetcher(sleeps) as fetcher:
        answer = fetcher.post_json(server.url("/graphql"), {"query": "{ news { id } }"})

    assert answer == {"data": {"news": []}}
    request = server.requests[0]
    assert request.method == "POST"
    assert request.headers["content-type"] == "application/json"
    assert request.headers["accept"] == "application/json"
    assert json.loads(request.body) == {"query": "{ news { id } }"}


def test_429_waits_as_long_as_retry_after_says_then_succeeds(server, sleeps):
    server.reply_with(Reply(429, headers={"Retry-After": "7"}), Reply(body={"ok": True}))
    with make_fetcher(sleeps) as fetcher:
        assert fetcher.get_json(server.url("/api")) == {"ok": True}
    assert sleeps == [7.0]
    assert len(server.requests) == 2


def test_retry_after_as_an_http_date_is_measured_from_the_clock(server, sleeps):
    server.reply_with(
        Reply(503, headers={"Retry-After": formatdate(NOW + 42, usegmt=True)}),
        Reply(body={"ok": True}),
    )
    with make_fetcher(sleeps) as fetcher:
        assert fetcher.get_json(server.url("/api")) == {"ok": True}
    assert sleeps == [42.0]


def test_a_long_retry_after_is_capped(server, sleeps):
    server.reply_with(Reply(429, headers={"Retry-After": "3600"}), Reply(body=b"fine"))
    with make_fetcher(sleeps, retry_after_cap=60) as fetcher:
        assert fetcher.get_bytes(server.url("/api")).content == b"fine"
    assert sleeps == [60.0]


def test_server_errors_are_retried_with_exponential_backoff_then_succeed(server, sleeps):
    server.reply_with(Reply(500), Reply(502), Reply(body=b"third time"))
    with make_fetcher(sleeps, backoff_base=1.0) as fetcher:
        assert fetcher.get_bytes(server.url("/api")).content == b"third time"
    assert sleeps == [1.0, 2.0]
    assert len(server.requests) == 3


def test_server_error_every_time_fails_as_server_error_after_all_attempts(server, sleeps):
    server.reply_with(Reply(503, body={"error": "maintenance"}))
    url = server.url("/api?page=1")
    with make_fetcher(sleeps, max_attempts=4, jitter=lambda: 0.0) as fetcher:
        error = fetch_error(fetcher.get_json, url)

    assert (error.code, error.status, error.url, error.detail) == (
        "server_error",
        503,
        url,
        "maintenance",
    )
    assert error.message == (
        f"The portal had an internal error (HTTP 503 Service Unavailable: maintenance) for "
        f"{url}. Tried 4 times."
    )
    assert len(server.requests) == 4
    # Jitter at its lowest halves each delay; it never lengthens one.
    assert sleeps == [0.5, 1.0, 2.0]


def test_rate_limiting_every_time_fails_as_rate_limited_with_capped_backoff(server, sleeps):
    server.reply_with(Reply(429))
    with make_fetcher(sleeps, max_attempts=4, backoff_cap=1.5) as fetcher:
        error = fetch_error(fetcher.get_bytes, server.url("/api"))
    assert (error.code, error.status) == ("rate_limited", 429)
    assert "HTTP 429 Too Many Requests" in error.message
    assert sleeps == [1.0, 1.5, 1.5]


def test_403_is_refused_at_once_without_retry(server, sleeps):
    server.reply_with(Reply(403, body="<html><body>Forbidden</body></html>"))
    url = server.url("/api")
    with make_fetcher(sleeps) as fetcher:
        error = fetch_error(fetcher.get_bytes, url)
    assert (error.code, error.status) == ("refused", 403)
    assert error.message == f"The portal refused the request (HTTP 403 Forbidden) for {url}."
    assert len(server.requests) == 1
    assert sleeps == []


@pytest.mark.parametrize(
    ("status", "body", "detail"),
    [
        (400, {"error": "notAllowed"}, "notAllowed"),
        (401, {"message": "Token expired"}, "Token expired"),
        (404, "No such agency: akimxyz", "No such agency: akimxyz"),
        (410, {"errors": [{"message": "Gone"}, {"message": "for good"}]}, "Gone; for good"),
    ],
)
def test_refusal_quotes_the_portals_reason(server, sleeps, status, body, detail):
    server.reply_with(Reply(status, body=body))
    with make_fetcher(sleeps) as fetcher:
        error = fetch_error(fetcher.get_json, server.url("/api"))
    assert (error.code, error.status, error.detail) == ("refused", status, detail)
    assert f"HTTP {status} " in error.message
    assert f": {detail}) for {server.url('/api')}" in error.message
    assert len(server.requests) == 1


def test_a_server_slower_than_the_read_timeout_is_a_timeout(server, sleeps):
    server.reply_with(Reply(body=b"too late", delay=MAX_DELAY))
    with make_fetcher(sleeps, read_timeout=0.05, max_attempts=2) as fetcher:
        error = fetch_error(fetcher.get_bytes, server.url("/slow"))
    assert error.code == "timeout"
    assert "did not answer within 0.05 seconds" in error.message
    assert len(server.requests) == 2
    assert sleeps == [1.0]


def test_a_download_longer_than_the_total_timeout_is_stopped(server, sleeps):
    server.reply_with(Reply(body=b"x" * 10_000, chunked=True))
    ticks = itertools.count(start=0, step=100)
    with make_fetcher(sleeps, clock=lambda: next(ticks), total_timeout=50, max_attempts=1) as f:
        error = fetch_error(f.get_bytes, server.url("/drip"))
    assert error.code == "timeout"
    assert "took longer than 50 seconds" in error.message


def test_nobody_listening_is_a_connection_error_after_retries(sleeps):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with make_fetcher(sleeps, max_attempts=2) as fetcher:
        error = fetch_error(fetcher.get_bytes, f"http://127.0.0.1:{port}/feed")
    assert error.code == "connection"
    assert error.message.startswith("Could not reach 127.0.0.1 (")
    assert error.message.endswith("Tried 2 times.")
    assert sleeps == [1.0]


def test_invalid_json_is_malformed_and_not_retried(server, sleeps):
    server.reply_with(Reply(body=b'{"news": [', headers={"Content-Type": "application/json"}))
    with make_fetcher(sleeps) as fetcher:
        error = fetch_error(fetcher.get_json, server.url("/api"))
    assert (error.code, error.status) == ("malformed", 200)
    assert (
        error.message
        == f"The answer from {server.url('/api')} is not valid JSON, so it cannot be read."
    )
    assert len(server.requests) == 1


@pytest.mark.parametrize("chunked", [False, True], ids=["declared length", "chunked"])
def test_a_body_over_the_limit_is_too_large(server, sleeps, chunked):
    server.reply_with(Reply(body=b"x" * 5000, chunked=chunked))
    with make_fetcher(sleeps, max_bytes=1000) as fetcher:
        error = fetch_error(fetcher.get_bytes, server.url("/big"))
    assert error.code == "too_large"
    assert "is larger than 1000 bytes, so it was not read" in error.message
    assert len(server.requests) == 1


def test_a_body_of_exactly_the_limit_is_read(server, sleeps):
    server.reply_with(Reply(body=b"x" * 1000, chunked=True))
    with make_fetcher(sleeps, max_bytes=1000) as fetcher:
        assert len(fetcher.get_bytes(server.url("/big")).content) == 1000


def test_default_limit_is_reported_in_mebibytes(server, sleeps):
    server.reply_with(Reply(body=b"x", headers={"Content-Length": str(21 * 1024 * 1024)}))
    with make_fetcher(sleeps) as fetcher:
        error = fetch_error(fetcher.get_bytes, server.url("/huge"))
    assert error.code == "too_large"
    assert "larger than 20 MiB" in error.message


def test_cookies_are_kept_between_requests_until_cleared(server, sleeps):
    def respond(request):
        if request.path == "/login":
            return Reply(body=b"hello", headers={"Set-Cookie": "SESSION=abc; Path=/"})
        return Reply(body=request.cookies.get("SESSION", "none").encode())

    server.respond = respond
    with make_fetcher(sleeps) as fetcher:
        fetcher.get_bytes(server.url("/login"))
        assert fetcher.get_bytes(server.url("/api")).content == b"abc"
        fetcher.clear_cookies()
        assert fetcher.get_bytes(server.url("/api")).content == b"none"


def test_fetch_url_returns_the_body_with_a_fetcher_of_its_own(server):
    server.reply_with(Reply(body=b"<rss/>"))
    assert fetch_url(server.url("/rss")) == b"<rss/>"


def test_fetch_url_uses_the_fetcher_given(server, sleeps):
    server.reply_with(Reply(500), Reply(body=b"<feed/>"))
    assert fetch_url(server.url("/atom"), fetcher=make_fetcher(sleeps)) == b"<feed/>"
    assert sleeps == [1.0]


def test_an_address_that_is_not_http_is_refused_before_connecting():
    error = fetch_error(fetch_url, "ftp://example.org/feed.xml")
    assert error.code == "bad_url"
    assert "“ftp://example.org/feed.xml” is not a web address that can be fetched" in error.message
