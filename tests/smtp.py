"""A real SMTP server for tests: aiosmtpd on a free local port in the test process, which
receives what Django's SMTP backend sends as a mail server would and keeps every message,
headers included.

`smtp_server` also points Django's SMTP backend at it; `mail_server` only runs it (for a
worker in another process, given `mail_server.url` as DJANGO_EMAIL_URL)."""

import asyncio
import email
import email.policy
import importlib.metadata
import importlib.util
import logging
import socket
import sys
import threading
import time
from collections import Counter

import pytest


def _import_aiosmtpd_controller():
    """aiosmtpd imports its `public` decorator from atpublic's top-level module `public`,
    which this project's app of that name hides; aiosmtpd is loaded with atpublic's in
    place, then the name goes back to the app."""
    ours = sys.modules.pop("public", None)
    init = importlib.metadata.distribution("atpublic").locate_file("public/__init__.py")
    spec = importlib.util.spec_from_file_location(
        "public", init, submodule_search_locations=[str(init.parent)]
    )
    atpublic = importlib.util.module_from_spec(spec)
    sys.modules["public"] = atpublic
    try:
        spec.loader.exec_module(atpublic)
        from aiosmtpd.controller import Controller
    finally:
        for name in [n for n in sys.modules if n == "public" or n.startswith("public.")]:
            if sys.modules[name] is atpublic or name.startswith("public._"):
                del sys.modules[name]
        if ours is not None:
            sys.modules["public"] = ours
    return Controller


Controller = _import_aiosmtpd_controller()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class MailServer:
    """The messages accepted so far, in order, as `email.message.EmailMessage`s.

    `refuse` holds addresses answered with 550 (a mailbox that does not exist).
    `hold_at(n)` makes the n-th message (from 1) wait, unanswered, until `let_go()`; it is
    then answered 451 and not kept: a client that died meanwhile never got a reply."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.refuse: set[str] = set()
        self.sessions = 0  # SMTP connections opened
        self._lock = threading.Lock()
        self._hold_at: int | None = None
        self._seen = 0
        self.held = threading.Event()
        self._released = threading.Event()
        self.controller = Controller(self, hostname="127.0.0.1", port=free_port())

    @property
    def host(self) -> str:
        return self.controller.hostname

    @property
    def port(self) -> int:
        return self.controller.port

    @property
    def url(self) -> str:
        return f"smtp://{self.host}:{self.port}"

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        with self._lock:
            self.sessions += 1
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refuse:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            self._seen += 1
            hold = self._seen == self._hold_at
        if hold:
            self.held.set()
            while not self._released.is_set():
                await asyncio.sleep(0.01)
            return "451 4.3.0 Try again later"
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        with self._lock:
            self.messages.append(message)
        return "250 Message accepted for delivery"

    def hold_at(self, number: int) -> None:
        self._hold_at = number

    def let_go(self) -> None:
        self._released.set()

    def recipients(self) -> Counter:
        """How many messages each address received."""
        with self._lock:
            return Counter(str(message["To"]).lower() for message in self.messages)

    def wait_for(self, count: int, timeout: float = 60) -> list:
        """The messages, once at least `count` arrived; fails after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while len(self.messages) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"{len(self.messages)} messages of {count} in {timeout} s")
            time.sleep(0.02)
        return self.messages

    def clear(self) -> None:
        with self._lock:
            self.messages.clear()


@pytest.fixture
def mail_server():
    # aiosmtpd logs every command it receives at INFO.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    server = MailServer()
    server.controller.start()
    yield server
    server.let_go()
    server.controller.stop()


@pytest.fixture
def smtp_server(mail_server, settings):
    """The server, with Django's SMTP backend sending to it."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = mail_server.host
    settings.EMAIL_PORT = mail_server.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    return mail_server
