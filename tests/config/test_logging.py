"""Production logs are JSON lines: Django's records and gunicorn's, requests included."""

import json
import logging
import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

from config.logging import JsonLinesFormatter

ROOT = Path(__file__).resolve().parents[2]


def test_a_record_becomes_one_json_line_with_its_extra_fields_and_traceback():
    try:
        raise ValueError("the feed is not XML")
    except ValueError:
        record = logging.getLogger("news.importing").makeRecord(
            "news.importing",
            logging.ERROR,
            __file__,
            1,
            "Import of %s failed",
            ("digest.txt",),
            sys.exc_info(),
            extra={"run_id": 7, "source": object()},
        )

    line = JsonLinesFormatter().format(record)

    assert "\n" not in line
    entry = json.loads(line)
    assert entry["level"] == "ERROR"
    assert entry["logger"] == "news.importing"
    assert entry["message"] == "Import of digest.txt failed"
    assert entry["run_id"] == 7
    assert entry["source"].startswith("<object object")
    assert entry["exception"].endswith("ValueError: the feed is not XML")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, server: subprocess.Popen, timeout: float = 120) -> None:
    """Return once something listens on `port`; fail if `server` exits or `timeout` passes."""
    deadline = time.monotonic() + timeout
    while server.poll() is None:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=timeout):
                return
        except OSError:
            assert time.monotonic() < deadline, "gunicorn did not listen"
            time.sleep(0.1)
    raise AssertionError(f"gunicorn exited with {server.returncode}")


def test_gunicorn_logs_its_requests_as_json_lines_with_their_fields():
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(
        DJANGO_SECRET_KEY="gunicorn-logging-test-" + "x" * 40,
        DJANGO_ALLOWED_HOSTS="localhost",
        DATABASE_URL="sqlite://",
        REDIS_URL="",
        # The image has collected static files; this checkout need not.
        PYTHONWARNINGS="ignore:No directory at",
    )
    server = subprocess.Popen(  # noqa: S603 - the venv's gunicorn with fixed arguments
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "--config",
            "python:config.gunicorn",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "config.wsgi:application",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    marker = f"probe={uuid.uuid4().hex}"
    try:
        # Ready once gunicorn listens: a request sent then waits in the socket's queue
        # until the worker has loaded Django. Only the connection is retried, never the
        # request, so one request is made and logged however slow the machine is.
        wait_for_port(port, server)
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/healthz?{marker}",
            headers={"Host": "localhost", "User-Agent": "probe"},
        )
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
            assert response.status == 200
    finally:
        server.terminate()
        try:
            stdout, stderr = server.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            stdout, stderr = server.communicate()

    assert stdout == ""
    entries = [json.loads(line) for line in stderr.splitlines() if line.strip()]
    access = [
        entry
        for entry in entries
        if entry["logger"] == "gunicorn.access" and entry.get("query") == marker
    ]
    assert len(access) == 1, stderr
    assert {key: access[0][key] for key in ("method", "path", "query", "status", "user_agent")} == {
        "method": "GET",
        "path": "/healthz",
        "query": marker,
        "status": 200,
        "user_agent": "probe",
    }
    assert isinstance(access[0]["duration_ms"], int)
    assert any(entry["logger"] == "gunicorn.error" for entry in entries)
