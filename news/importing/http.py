"""Fetching over HTTP for the importers: bounded in time and size, retried politely, one error,
and only from public addresses.

Every failure becomes a `FetchError` whose `code` a run can store and whose message a press
officer can act on; no httpx exception leaks out, so callers need to catch only one type.
An import source is configured in the admin, so its address must not lead the server into
its own network (its loopback, the cloud's metadata service, the database's host): every
request, each redirect included, goes only to addresses checked to be public (or in a
network the operator allowed), and connects to exactly the address it checked.

Why one module of this size: the address checks, the retries and the size limits guard
the same request, and a reader must see them together to trust that none is bypassed.
"""

import email.utils
import ipaddress
import json
import logging
import random
import re
import socket
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC
from http import HTTPStatus
from typing import Any

import httpx

logger = logging.getLogger(__name__)

MAX_BYTES = 20 * 1024 * 1024
CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 30.0
# A server dripping a byte just inside the read timeout could otherwise hold a worker for hours.
TOTAL_TIMEOUT = 120.0
MAX_ATTEMPTS = 4
BACKOFF_BASE = 1.0
BACKOFF_CAP = 30.0
RETRY_AFTER_CAP = 120.0
USER_AGENT = "Pressroom/0.1 (editorial CMS importing government press releases; python-httpx)"
# An error page is read only far enough to find the portal's reason, never in full.
ERROR_BODY_BYTES = 16 * 1024
ERROR_DETAIL_CHARS = 200
# The well-known NAT64 prefix: its addresses carry an IPv4 address in their last 32 bits.
NAT64_PREFIX = ipaddress.ip_network("64:ff9b::/96")

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


class FetchError(Exception):
    """A fetch that failed for good; `code` is machine-readable, `message` is for an editor.

    `detail` is the reason the server gave in its error body (e.g. `notAllowed`), if any, for
    the code to act on; the message never quotes it.
    """

    def __init__(
        self,
        message: str,
        *,
        code: str,
        status: int | None = None,
        url: str,
        detail: str = "",
    ):
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status
        self.url = url
        self.detail = detail


@dataclass(frozen=True, slots=True)
class FetchedResponse:
    """A successful answer, read in full; `url` is the final one after redirects."""

    content: bytes
    content_type: str
    url: str
    status: int


class AddressRefused(Exception):
    """`host` is on a network imports may not reach; nothing was sent to it."""

    def __init__(self, host: str):
        super().__init__(host)
        self.host = host


def resolve_host(host: str) -> list[str]:
    """Every address `host` resolves to (an address resolves to itself), in the system's
    order of preference."""
    found = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(entry[4][0]) for entry in found))


def is_reachable(address: IPAddress, allowed_networks: Iterable[IPNetwork] = ()) -> bool:
    """Whether an import may connect to `address`: a public one, or one in `allowed_networks`.

    Loopback, private, link-local, shared, reserved, multicast and unspecified addresses are
    not public; an IPv6 address that carries an IPv4 one (mapped, NAT64, 6to4) is judged by
    the IPv4 address it leads to.
    """
    if any(address in network for network in allowed_networks):
        return True
    embedded = _embedded_ipv4(address)
    if embedded is not None:
        return is_reachable(embedded, allowed_networks)
    site_local = isinstance(address, ipaddress.IPv6Address) and address.is_site_local
    return address.is_global and not (address.is_multicast or address.is_reserved or site_local)


def reachable_addresses(
    host: str,
    *,
    allowed_networks: Iterable[IPNetwork] = (),
    resolve: Callable[[str], list[str]] = resolve_host,
) -> list[IPAddress]:
    """The addresses of `host`, each one reachable (see `is_reachable`).

    Raises AddressRefused if any is not: one internal address is enough, as which one a
    connection would use is not ours to decide once the name is handed on. Raises OSError
    when the name does not resolve.
    """
    found = [ipaddress.ip_address(address) for address in resolve(host)]
    if not found:
        raise OSError(f"{host} has no address")
    refused = [str(address) for address in found if not is_reachable(address, allowed_networks)]
    if refused:
        logger.warning("Refused %s: it has the address %s", host, ", ".join(refused))
        raise AddressRefused(host)
    return found


def _embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    if isinstance(address, ipaddress.IPv4Address):
        return None
    if address.ipv4_mapped:
        return address.ipv4_mapped
    if address in NAT64_PREFIX:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address.sixtofour


class PublicAddressTransport(httpx.BaseTransport):
    """An httpx transport that connects only to addresses an import may reach (see
    `is_reachable`), and to exactly the address it checked.

    httpx sends each hop of a redirect as a request of its own, so every hop is checked. The
    host is resolved here, once, and the connection made to the checked address, while the
    Host header and, for https, the TLS server name (SNI and the certificate check) stay
    those of the name asked for. Nothing resolves the name again between the check and the
    connection, so a name that changes its answer (DNS rebinding) cannot slip through.
    """

    def __init__(
        self,
        *,
        allowed_networks: Iterable[IPNetwork] = (),
        resolve: Callable[[str], list[str]] = resolve_host,
    ):
        self.allowed_networks = tuple(allowed_networks)
        self._resolve = resolve
        self._ssl_context = httpx.create_ssl_context()
        # A pool per name: a connection made (and its certificate checked) for one name is
        # never reused for another name at the same address.
        self._pools: dict[tuple[str, str, int | None], httpx.HTTPTransport] = {}

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        if url.scheme not in ("http", "https"):
            raise httpx.UnsupportedProtocol(f"{url.scheme}: is not http or https", request=request)
        host = url.raw_host.decode("ascii")
        *others, last = self._checked_addresses(host, request)
        pool = self._pools.get((url.scheme, host, url.port))
        if pool is None:
            pool = self._pools[(url.scheme, host, url.port)] = httpx.HTTPTransport(
                verify=self._ssl_context
            )
        for address in others:
            try:
                return pool.handle_request(_pinned(request, host, address))
            except httpx.ConnectError:
                continue  # no route to this one (IPv6 on an IPv4-only network): the next
        return pool.handle_request(_pinned(request, host, last))

    def _checked_addresses(self, host: str, request: httpx.Request) -> list[IPAddress]:
        try:
            return reachable_addresses(
                host, allowed_networks=self.allowed_networks, resolve=self._resolve
            )
        except (OSError, UnicodeError) as error:
            raise httpx.ConnectError(str(error), request=request) from error

    def close(self) -> None:
        for pool in self._pools.values():
            pool.close()
        self._pools.clear()


def _pinned(request: httpx.Request, host: str, address: IPAddress) -> httpx.Request:
    """`request` sent to `address`, still naming `host` in its Host header and TLS."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    extensions = dict(request.extensions)
    if request.url.scheme == "https":
        extensions["sni_hostname"] = host
    return httpx.Request(
        request.method,
        request.url.copy_with(host=str(address)),
        headers=request.headers,
        stream=request.stream,
        extensions=extensions,
    )


class _Retry(Exception):
    """A failure worth another attempt; `delay` is what the server asked for, if it asked."""

    def __init__(self, error: FetchError, delay: float | None = None):
        super().__init__(error.message)
        self.error = error
        self.delay = delay


class HttpFetcher:
    """One httpx client with timeouts, a size limit, and retries with backoff for passing trouble.

    Timeouts, dropped connections, 429 and 5xx are retried (honouring Retry-After, capped);
    any other 4xx is final at once. Only public addresses are reached, and those in
    `allowed_networks` (e.g. "10.20.0.0/16"); see `PublicAddressTransport`. `sleep`, `clock`
    (epoch seconds), `jitter` (a number in [0, 1)) and `resolve` (a host name to its
    addresses) are injectable so that tests neither wait, depend on chance nor need DNS.
    """

    def __init__(
        self,
        *,
        connect_timeout: float = CONNECT_TIMEOUT,
        read_timeout: float = READ_TIMEOUT,
        total_timeout: float = TOTAL_TIMEOUT,
        max_bytes: int = MAX_BYTES,
        max_attempts: int = MAX_ATTEMPTS,
        backoff_base: float = BACKOFF_BASE,
        backoff_cap: float = BACKOFF_CAP,
        retry_after_cap: float = RETRY_AFTER_CAP,
        user_agent: str = USER_AGENT,
        allowed_networks: Iterable[str] = (),
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
        jitter: Callable[[], float] = random.random,
        resolve: Callable[[str], list[str]] = resolve_host,
    ):
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1.")
        self.timeout = httpx.Timeout(
            connect=connect_timeout, read=read_timeout, write=read_timeout, pool=connect_timeout
        )
        self.total_timeout = total_timeout
        self.max_bytes = max_bytes
        self.max_attempts = max_attempts
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.retry_after_cap = retry_after_cap
        self._sleep = sleep
        self._clock = clock
        self._jitter = jitter
        # A transport of our own also means no proxy from the environment: a proxy would
        # resolve the names itself, past the check.
        transport = PublicAddressTransport(
            allowed_networks=map(ipaddress.ip_network, allowed_networks), resolve=resolve
        )
        self._client = httpx.Client(
            headers={"User-Agent": user_agent},
            timeout=self.timeout,
            follow_redirects=True,
            transport=transport,
        )

    def __enter__(self) -> "HttpFetcher":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def clear_cookies(self) -> None:
        """Forget the session cookies, so the next request starts a new session."""
        self._client.cookies.clear()

    def get_bytes(
        self,
        url: str,
        params: Mapping[str, Any] | None = None,
        *,
        headers: Mapping[str, str] | None = None,
    ) -> FetchedResponse:
        """GET `url` and read the whole body (at most `max_bytes`)."""
        return self._request("GET", url, params=params, payload=None, headers=headers)

    def get_json(
        self,
        url: str,
        params: Mapping[str, Any] | None = None,
        *,
        headers: Mapping[str, str] | None = None,
    ) -> Any:
        """GET `url` and decode its JSON answer."""
        response = self._request(
            "GET", url, params=params, payload=None, headers=_json_headers(headers)
        )
        return _decode_json(response)

    def post_json(self, url: str, payload: Any, *, headers: Mapping[str, str] | None = None) -> Any:
        """POST `payload` as JSON to `url` and decode its JSON answer."""
        response = self._request(
            "POST", url, params=None, payload=payload, headers=_json_headers(headers)
        )
        return _decode_json(response)

    def _request(self, method, url, *, params, payload, headers) -> FetchedResponse:
        shown = _shown_url(url, params)
        attempt = 1
        while True:
            try:
                return self._send(
                    method, url, shown, params=params, payload=payload, headers=headers
                )
            except _Retry as retry:
                if attempt >= self.max_attempts:
                    raise _after_attempts(retry.error, attempt) from None
                delay = retry.delay if retry.delay is not None else self._backoff(attempt)
                logger.info(
                    "Attempt %d of %s %s failed (%s); retrying in %.1f s",
                    attempt, method, shown, retry.error.code, delay,
                )  # fmt: skip
                self._sleep(delay)
                attempt += 1

    def _backoff(self, attempt: int) -> float:
        # Half fixed, half random ("equal jitter"): spreads out clients that failed together
        # without ever retrying at once.
        delay = min(self.backoff_cap, self.backoff_base * 2 ** (attempt - 1))
        return delay / 2 + self._jitter() * delay / 2

    def _send(self, method, url, shown, *, params, payload, headers) -> FetchedResponse:
        deadline = self._clock() + self.total_timeout
        try:
            with self._client.stream(
                method, url, params=params, json=payload, headers=headers, timeout=self.timeout
            ) as response:
                if response.is_success:
                    content = self._read_body(response, shown, deadline)
                    return FetchedResponse(
                        content=content,
                        content_type=response.headers.get("Content-Type", ""),
                        url=str(response.url),
                        status=response.status_code,
                    )
                raise self._status_failure(response, shown)
        except httpx.ConnectTimeout:
            raise _Retry(
                FetchError(
                    f"Could not connect to {_host(shown)} within {self.timeout.connect:g} seconds.",
                    code="timeout",
                    url=shown,
                )
            ) from None
        except httpx.TimeoutException:
            raise _Retry(
                FetchError(
                    f"The server did not answer within {self.timeout.read:g} seconds for {shown}.",
                    code="timeout",
                    url=shown,
                )
            ) from None
        except AddressRefused as refused:
            raise forbidden_address(shown, refused.host) from None
        except (httpx.UnsupportedProtocol, httpx.InvalidURL):
            raise bad_url(shown) from None
        except httpx.TooManyRedirects:
            raise FetchError(
                f"{shown} redirects too many times; the address may have moved or be broken.",
                code="connection",
                url=shown,
            ) from None
        except httpx.DecodingError:
            raise FetchError(
                f"The answer from {shown} could not be decompressed.", code="malformed", url=shown
            ) from None
        except httpx.TransportError as error:
            raise _Retry(
                FetchError(
                    f"Could not reach {_host(shown)} ({_reason(error)}).",
                    code="connection",
                    url=shown,
                )
            ) from None

    def _read_body(self, response: httpx.Response, shown: str, deadline: float) -> bytes:
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise self._too_large(shown)
        chunks, size = [], 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > self.max_bytes:
                raise self._too_large(shown)
            if self._clock() > deadline:
                raise _Retry(
                    FetchError(
                        f"The download from {shown} took longer than "
                        f"{self.total_timeout:g} seconds and was stopped.",
                        code="timeout",
                        url=shown,
                    )
                )
            chunks.append(chunk)
        return b"".join(chunks)

    def _too_large(self, shown: str) -> FetchError:
        return FetchError(
            f"The answer from {shown} is larger than {size_text(self.max_bytes)}, so it was not "
            "read.",
            code="too_large",
            url=shown,
        )

    def _status_failure(self, response: httpx.Response, shown: str) -> FetchError | _Retry:
        status = response.status_code
        # The server's reason is kept for the code (gov.kz's `notAllowed` asks for a new
        # session) but never put in the message: a body is the server's to write, and editors
        # read the message.
        detail = _error_detail(_read_some(response, ERROR_BODY_BYTES))
        described = f"HTTP {status} {_phrase(response)}"
        if status == 429:
            error = FetchError(
                f"The portal is limiting requests ({described}) for {shown}; try again later.",
                code="rate_limited",
                status=status,
                url=shown,
                detail=detail,
            )
        elif status >= 500:
            error = FetchError(
                f"The portal had an internal error ({described}) for {shown}.",
                code="server_error",
                status=status,
                url=shown,
                detail=detail,
            )
        else:
            return FetchError(
                f"The portal refused the request ({described}) for {shown}.",
                code="refused",
                status=status,
                url=shown,
                detail=detail,
            )
        return _Retry(error, self._retry_after(response.headers.get("Retry-After", "")))

    def _retry_after(self, value: str) -> float | None:
        value = value.strip()
        if not value:
            return None
        if re.fullmatch(r"\d+(\.\d+)?", value):
            seconds = float(value)
        else:
            try:
                when = email.utils.parsedate_to_datetime(value)
            except (TypeError, ValueError, IndexError):
                return None
            if when.tzinfo is None:
                when = when.replace(tzinfo=UTC)
            seconds = max(0.0, when.timestamp() - self._clock())
        return min(seconds, self.retry_after_cap)


def check_url(url: str, *, allowed_networks: Iterable[str] = ()) -> None:
    """Raise the FetchError that fetching `url` would meet before connecting: it is not
    http(s), or its host is on a network imports may not reach. A name that does not
    resolve passes: it may later."""
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL:
        raise bad_url(url) from None
    if parsed.scheme not in ("http", "https"):
        raise bad_url(url)
    host = parsed.raw_host.decode("ascii")
    try:
        reachable_addresses(host, allowed_networks=map(ipaddress.ip_network, allowed_networks))
    except AddressRefused:
        raise forbidden_address(url, host) from None
    except (OSError, UnicodeError):
        pass


def bad_url(url: str) -> FetchError:
    return FetchError(
        f"“{url}” is not a web address that can be fetched (it must start with http:// or "
        "https://).",
        code="bad_url",
        url=url,
    )


def forbidden_address(url: str, host: str) -> FetchError:
    """The error for `url`, which leads to `host` (itself or by a redirect), refused."""
    direct = host == httpx.URL(url).raw_host.decode("ascii")
    where = url if direct else f"{url} redirects to {host}, which"
    return FetchError(
        f"{where} is on a private or internal network; an import may only fetch from "
        "public web addresses.",
        code="forbidden_address",
        url=url,
    )


def _json_headers(headers: Mapping[str, str] | None) -> dict[str, str]:
    return {"Accept": "application/json", **(headers or {})}


def _decode_json(response: FetchedResponse) -> Any:
    try:
        return json.loads(response.content)
    except (ValueError, RecursionError):
        raise FetchError(
            f"The answer from {response.url} is not valid JSON, so it cannot be read.",
            code="malformed",
            status=response.status,
            url=response.url,
        ) from None


def _shown_url(url: str, params: Mapping[str, Any] | None) -> str:
    try:
        return str(httpx.URL(url).copy_merge_params(params or {}))
    except (httpx.InvalidURL, TypeError, ValueError):
        return url


def _after_attempts(error: FetchError, attempts: int) -> FetchError:
    if attempts == 1:
        return error
    return FetchError(
        f"{error.message} Tried {attempts} times.",
        code=error.code,
        status=error.status,
        url=error.url,
        detail=error.detail,
    )


def _read_some(response: httpx.Response, limit: int) -> bytes:
    chunks, size = [], 0
    try:
        for chunk in response.iter_bytes():
            chunks.append(chunk)
            size += len(chunk)
            if size >= limit:
                break
    except httpx.HTTPError:
        # The status already says what went wrong; a body cut short only loses the detail.
        pass
    return b"".join(chunks)[:limit]


def _error_detail(body: bytes) -> str:
    """The reason a server gave in an error body, short: `notAllowed`, or a line of text."""
    text = body.decode("utf-8", errors="replace").strip()
    if not text:
        return ""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        data = None
    if data is not None:
        return _shorten(_json_reason(data))
    if text.startswith("<"):
        # An HTML error page says nothing the status does not.
        return ""
    return _shorten(text)


def _json_reason(data: Any) -> str:
    if isinstance(data, str):
        return data
    if isinstance(data, dict):
        for key in ("error", "message", "detail", "title", "errors"):
            reason = _json_reason(data.get(key))
            if reason:
                return reason
    if isinstance(data, list):
        return "; ".join(filter(None, (_json_reason(entry) for entry in data[:3])))
    return ""


def _shorten(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) <= ERROR_DETAIL_CHARS:
        return text
    return text[: ERROR_DETAIL_CHARS - 1] + "…"


def _phrase(response: httpx.Response) -> str:
    try:
        return HTTPStatus(response.status_code).phrase
    except ValueError:
        return response.reason_phrase or "Unknown status"


def _host(url: str) -> str:
    try:
        return httpx.URL(url).host or url
    except httpx.InvalidURL:
        return url


def _reason(error: httpx.TransportError) -> str:
    reason = str(error).strip()
    return reason or type(error).__name__


def size_text(limit: int) -> str:
    """`limit` bytes in the unit a person reads it in: 20 MiB, 16 KiB, 1000 bytes."""
    if limit >= 1024 * 1024:
        return f"{limit / (1024 * 1024):g} MiB"
    if limit >= 1024:
        return f"{limit / 1024:g} KiB"
    return f"{limit} bytes"
