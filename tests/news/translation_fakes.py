"""Local HTTP servers speaking the LibreTranslate and DeepL APIs, for engine tests.

Each runs http.server in a thread on loopback. A test queues failures (`fail_next`) that
the next requests get instead of an answer, and reads what the engine sent (`requests`).
"""

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


def fake_translation(text: str, target: str) -> str:
    """What the fakes answer: recognisably the input, marked with the target language."""
    return f"{target.lower()}: {text}"


@dataclass
class Request:
    method: str
    path: str
    headers: dict
    body: object


@dataclass
class Reply:
    status: int
    body: object = None
    headers: dict = field(default_factory=dict)
    delay: float = 0.0


class FakeServer:
    def __init__(self):
        self.requests: list[Request] = []
        self.failures: list[Reply] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                content_type = self.headers.get("Content-Type", "")
                if "json" in content_type:
                    body = json.loads(raw or b"null")
                else:
                    body = {k: v[-1] for k, v in parse_qs(raw.decode() or parts.query).items()}
                request = Request(self.command, parts.path, dict(self.headers), body)
                owner.requests.append(request)
                reply = owner.failures.pop(0) if owner.failures else owner.respond(request)
                if reply.delay:
                    time.sleep(reply.delay)
                payload = (
                    reply.body
                    if isinstance(reply.body, bytes)
                    else json.dumps(reply.body).encode()
                    if reply.body is not None
                    else b""
                )
                try:
                    self.send_response(reply.status)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting, as a timeout test wants

            do_GET = do_POST = do_DELETE = _handle

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def fail_next(self, *replies: Reply) -> None:
        self.failures.extend(replies)

    def requests_to(self, path: str) -> list[Request]:
        return [request for request in self.requests if request.path == path]

    def respond(self, request: Request) -> Reply:
        raise NotImplementedError

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


class LibreTranslateFake(FakeServer):
    """POST /translate and GET /languages as LibreTranslate documents them."""

    def __init__(self, *, api_key: str = "secret", languages=("ru", "en", "kk"), refuse=""):
        self.api_key = api_key
        self.languages = list(languages)
        self.refuse = refuse  # texts containing this are refused with 400, as bad input is
        super().__init__()

    def respond(self, request: Request) -> Reply:
        if request.path == "/languages" and request.method == "GET":
            return Reply(
                200,
                [
                    {"code": code, "name": code, "targets": list(self.languages)}
                    for code in self.languages
                ],
            )
        if request.path == "/translate" and request.method == "POST":
            data = request.body
            if self.api_key and data.get("api_key") != self.api_key:
                return Reply(403, {"error": "Invalid API key"})
            if data["source"] not in self.languages or data["target"] not in self.languages:
                return Reply(400, {"error": f"{data['target']} is not supported"})
            texts = data["q"] if isinstance(data["q"], list) else [data["q"]]
            if self.refuse and any(self.refuse in text for text in texts):
                return Reply(400, {"error": "Cannot translate this text"})
            translated = [fake_translation(text, data["target"]) for text in texts]
            return Reply(200, {"translatedText": translated})
        return Reply(404, {"error": "Not Found"})


class DeepLFake(FakeServer):
    """The parts of the DeepL API v2 the official client calls for text and glossaries."""

    SOURCES = ["EN", "RU"]
    TARGETS = ["EN-GB", "EN-US", "RU"]

    def __init__(self, *, auth_key: str = "deepl-key:fx"):
        self.auth_key = auth_key
        self.glossaries: dict[str, dict] = {}
        super().__init__()

    def respond(self, request: Request) -> Reply:
        if request.headers.get("Authorization") != f"DeepL-Auth-Key {self.auth_key}":
            return Reply(403, {"message": "Wrong key"})
        if request.path == "/v2/languages":
            kind = (request.body or {}).get("type", "source")
            codes = self.TARGETS if kind == "target" else self.SOURCES
            return Reply(200, [{"language": code, "name": code} for code in codes])
        if request.path == "/v2/glossary-language-pairs":
            pairs = [{"source_lang": "ru", "target_lang": "en"}]
            return Reply(200, {"supported_languages": pairs})
        if request.path == "/v2/glossaries" and request.method == "POST":
            glossary_id = f"g{len(self.glossaries) + 1}"
            entries = dict(line.split("\t") for line in request.body["entries"].splitlines())
            self.glossaries[glossary_id] = entries
            return Reply(
                201,
                {
                    "glossary_id": glossary_id,
                    "name": request.body["name"],
                    "ready": True,
                    "source_lang": request.body["source_lang"].lower(),
                    "target_lang": request.body["target_lang"].lower(),
                    "creation_time": "2026-11-27T02:00:00.000000Z",
                    "entry_count": len(entries),
                },
            )
        if request.path.startswith("/v2/glossaries/") and request.method == "DELETE":
            self.glossaries.pop(request.path.rsplit("/", 1)[1], None)
            return Reply(204)
        if request.path == "/v2/translate" and request.method == "POST":
            data = request.body
            entries = self.glossaries.get(data.get("glossary_id"), {})
            results = []
            for text in data["text"]:
                for source, target in entries.items():
                    text = text.replace(source, target)
                results.append(
                    {
                        "detected_source_language": data.get("source_lang", "RU"),
                        "text": fake_translation(text, data["target_lang"]),
                        "billed_characters": len(text),
                    }
                )
            return Reply(200, {"translations": results})
        return Reply(404, {"message": "Not found"})
