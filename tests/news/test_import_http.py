"""HttpFetcher against a real local HTTP server: retries, limits, and the errors an editor sees."""

import ipaddress
import itertools
import json
import shutil
import socket
import ssl
import subprocess
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import formatdate
from http import HTTPStatus
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from news.importing.http import FetchError, HttpFetcher, is_reachable, resolve_host

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
    """A ThreadingHTTPServer on 127.0.0.1 (or `host`) answering with `respond(request)` or
    queued replies.

    Every request is recorded in `requests`; held-back replies end when the server stops.
    """

    def __init__(self, respond: Callable[[Seen], Reply] | None = None, *, host: str = "127.0.0.1"):
        self.requests: list[Seen] = []
        self.respond = respond or (lambda request: Reply(body=b"ok"))
        self.stopping = threading.Event()
        self.httpd = ThreadingHTTPServer((host, 0), self._handler())
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
# The test servers' network, which a fetcher reaches only when told it may.
LOOPBACK = ["127.0.0.1/32"]


def make_fetcher(sleeps: list, **options) -> HttpFetcher:
    """A fetcher of the local test servers that records the delays it asks for instead of
    waiting, with fixed jitter."""
    options.setdefault("allowed_networks", LOOPBACK)
    options.setdefault("jitter", lambda: 1.0)
    options.setdefault("clock", lambda: NOW)
    return HttpFetcher(sleep=sleeps.append, **options)


def resolver(answers: dict[str, list[str]]) -> Callable[[str], list[str]]:
    """Resolves the names in `answers` to their addresses there, and any other as usual."""
    return lambda host: answers[host] if host in answers else resolve_host(host)


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
        f"The portal had an internal error (HTTP 503 Service Unavailable) for {url}. Tried 4 times."
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
def test_a_refusal_keeps_the_portals_reason_for_the_code_but_out_of_the_message(
    server, sleeps, status, body, detail
):
    # Editors read the message; what a server wrote in its body is for the code only.
    server.reply_with(Reply(status, body=body))
    with make_fetcher(sleeps) as fetcher:
        error = fetch_error(fetcher.get_json, server.url("/api"))
    assert (error.code, error.status, error.detail) == ("refused", status, detail)
    phrase = HTTPStatus(status).phrase
    assert error.message == (
        f"The portal refused the request (HTTP {status} {phrase}) for {server.url('/api')}."
    )
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


def test_an_address_that_is_not_http_is_refused_before_connecting(sleeps):
    with make_fetcher(sleeps) as fetcher:
        error = fetch_error(fetcher.get_bytes, "ftp://example.org/feed.xml")
    assert error.code == "bad_url"
    assert "“ftp://example.org/feed.xml” is not a web address that can be fetched" in error.message


# --- which addresses may be reached ---------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "http://127.0.0.1:{port}/feed",
        "http://10.1.2.3:{port}/feed",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:{port}/feed",
        "http://[::ffff:127.0.0.1]:{port}/feed",
        "http://localhost:{port}/feed",
        "http://0.0.0.0:{port}/feed",
        "http://2130706433:{port}/feed",
        "https://[fd00::1]/feed",
    ],
)
def test_private_and_internal_addresses_are_refused_before_connecting(server, sleeps, address):
    url = address.format(port=server.httpd.server_address[1])
    # No allowed networks, as in production; a short timeout in case a connection is tried.
    with HttpFetcher(sleep=sleeps.append, connect_timeout=0.2, max_attempts=1) as fetcher:
        error = fetch_error(fetcher.get_bytes, url)
    assert (error.code, error.url) == ("forbidden_address", url)
    assert "private or internal network" in error.message
    assert server.requests == []
    assert sleeps == []


def test_a_name_resolving_to_any_internal_address_is_refused(server, sleeps):
    port = server.httpd.server_address[1]
    url = f"http://news.example:{port}/feed"
    resolve = resolver({"news.example": ["93.184.216.34", "127.0.0.1"]})
    with make_fetcher(sleeps, allowed_networks=[], resolve=resolve) as fetcher:
        error = fetch_error(fetcher.get_bytes, url)
    assert error.code == "forbidden_address"
    assert error.message.startswith(f"{url} is on a private or internal network")
    assert server.requests == []


def test_a_redirect_to_an_internal_address_is_refused_before_it_is_read(sleeps):
    # news.example stands for a public site (its address is allowed here); it sends the
    # fetcher on to a service on this machine's loopback, which must never be asked.
    with (
        LocalServer(lambda request: Reply(body=b"secret")) as internal,
        LocalServer(host="127.0.0.2") as public,
    ):
        public.reply_with(Reply(302, headers={"Location": internal.url("/admin")}))
        url = f"http://news.example:{public.httpd.server_address[1]}/feed"
        with make_fetcher(
            sleeps,
            allowed_networks=["127.0.0.2/32"],
            resolve=resolver({"news.example": ["127.0.0.2"]}),
        ) as fetcher:
            error = fetch_error(fetcher.get_bytes, url)

    assert (error.code, error.url) == ("forbidden_address", url)
    assert error.message.startswith(
        f"{url} redirects to 127.0.0.1, which is on a private or internal network"
    )
    assert "secret" not in error.message
    assert [request.path for request in public.requests] == ["/feed"]
    assert internal.requests == []


def test_the_connection_goes_to_the_address_checked_under_the_name_asked_for(server, sleeps):
    # feeds.example resolves nowhere but through the fetcher's own lookup: reaching the
    # server proves the connection was made to the address that was checked.
    lookups = []

    def resolve(host):
        lookups.append(host)
        return ["127.0.0.1"]

    server.reply_with(Reply(body=b"<rss/>"))
    port = server.httpd.server_address[1]
    with make_fetcher(sleeps, resolve=resolve) as fetcher:
        response = fetcher.get_bytes(f"http://feeds.example:{port}/rss")
    assert (response.content, response.url) == (b"<rss/>", f"http://feeds.example:{port}/rss")
    assert server.requests[0].headers["host"] == f"feeds.example:{port}"
    assert lookups == ["feeds.example"]


def test_https_is_pinned_too_and_the_certificate_checked_for_the_name(
    tmp_path, sleeps, monkeypatch
):
    ca, certificate, key = issue_certificate(tmp_path, "feeds.example")
    monkeypatch.setenv("SSL_CERT_FILE", str(ca))
    names = []
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificate, key)
    context.sni_callback = lambda connection, name, context: names.append(name)
    with LocalServer(lambda request: Reply(body=b"<feed/>")) as server:
        server.httpd.socket = context.wrap_socket(server.httpd.socket, server_side=True)
        port = server.httpd.server_address[1]
        resolve = resolver({"feeds.example": ["127.0.0.1"], "other.example": ["127.0.0.1"]})
        with make_fetcher(sleeps, resolve=resolve, max_attempts=1) as fetcher:
            content = fetcher.get_bytes(f"https://feeds.example:{port}/atom").content
            error = fetch_error(fetcher.get_bytes, f"https://other.example:{port}/atom")
    assert content == b"<feed/>"
    assert names == ["feeds.example", "other.example"]
    assert server.requests[0].headers["host"] == f"feeds.example:{port}"
    # The same address under a name its certificate does not cover is not trusted.
    assert error.code == "connection"
    assert len(server.requests) == 1


def issue_certificate(directory: Path, name: str) -> tuple[Path, Path, Path]:
    """A throwaway certificate authority and a certificate it issued for `name`."""
    if shutil.which("openssl") is None:
        pytest.skip("the https test needs the openssl command")
    ca, ca_key = directory / "ca.pem", directory / "ca.key"
    certificate, key = directory / "leaf.pem", directory / "leaf.key"
    request, extensions = directory / "leaf.csr", directory / "leaf.ext"
    extensions.write_text(f"subjectAltName=DNS:{name}\nbasicConstraints=CA:FALSE\n")
    new_key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    for command in (
        ["req", "-x509", *new_key, "-keyout", ca_key, "-out", ca, "-days", "1",
         "-subj", "/CN=Pressroom test CA", "-addext", "basicConstraints=critical,CA:TRUE",
         "-addext", "keyUsage=critical,keyCertSign"],
        ["req", *new_key, "-keyout", key, "-out", request, "-subj", f"/CN={name}"],
        ["x509", "-req", "-in", request, "-CA", ca, "-CAkey", ca_key, "-CAcreateserial",
         "-out", certificate, "-days", "1", "-extfile", extensions],
    ):  # fmt: skip
        subprocess.run(["openssl", *map(str, command)], check=True, capture_output=True)  # noqa: S603, S607 - openssl with our arguments
    return ca, certificate, key


@pytest.mark.parametrize(
    ("address", "reachable"),
    [
        ("93.184.216.34", True),
        ("2a00:1450:4001::1", True),
        ("::ffff:93.184.216.34", True),
        ("64:ff9b::5db8:d822", True),  # NAT64 of 93.184.216.34
        ("127.0.0.1", False),
        ("10.0.0.1", False),
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("100.64.0.1", False),
        ("169.254.169.254", False),
        ("0.0.0.0", False),  # noqa: S104 - an address to refuse, not one to bind
        ("224.0.0.1", False),
        ("240.0.0.1", False),
        ("255.255.255.255", False),
        ("::1", False),
        ("::", False),
        ("fe80::1", False),
        ("fd00::1", False),
        ("fec0::1", False),
        ("ff02::1", False),
        ("::7f00:1", False),
        ("::ffff:10.0.0.1", False),
        ("64:ff9b::7f00:1", False),
        ("2002:7f00:1::", False),  # 6to4 of 127.0.0.1
    ],
)
def test_only_public_addresses_are_reachable(address, reachable):
    assert is_reachable(ipaddress.ip_address(address)) is reachable


def test_allowed_networks_are_reachable_in_either_notation():
    allowed = [ipaddress.ip_network("10.20.0.0/16")]
    assert is_reachable(ipaddress.ip_address("10.20.3.4"), allowed)
    assert is_reachable(ipaddress.ip_address("::ffff:10.20.3.4"), allowed)
    assert not is_reachable(ipaddress.ip_address("10.21.0.1"), allowed)
