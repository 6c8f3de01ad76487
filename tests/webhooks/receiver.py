"""A real HTTP receiver in the test process, on 127.0.0.1, that verifies every delivery
with the partner's secret as any Standard Webhooks library does."""

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks import Webhook, WebhookVerificationError


@dataclass
class Received:
    headers: dict[str, str]  # names in lower case
    body: bytes
    verified: object = None  # the parsed JSON when the signature verified
    error: str = ""


@dataclass
class Receiver:
    """Answers each POST with the next of `answers` (HTTP statuses; the last repeats) and
    keeps what it received, verified with `secret` when one is set."""

    secret: str = ""
    answers: list[int] = field(default_factory=lambda: [204])
    received: list[Received] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/hooks"

    def answer(self) -> int:
        return self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]

    def start(self) -> "Receiver":
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                headers = {name.lower(): value for name, value in self.headers.items()}
                got = Received(headers=headers, body=body)
                if receiver.secret:
                    try:
                        got.verified = Webhook(receiver.secret).verify(body, got.headers)
                    except WebhookVerificationError as error:
                        got.error = str(error)
                receiver.received.append(got)
                status = receiver.answer()
                self.send_response(status)
                if 300 <= status < 400:
                    self.send_header("Location", "http://127.0.0.1:1/elsewhere")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
