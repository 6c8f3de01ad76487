"""Fault tests: Pressroom in real processes, on private services broken on purpose.

A Celery worker and `manage.py` run as subprocesses against a PostgreSQL cluster and a
redis-server started here on free ports, so killing a worker, stopping Redis or restarting
PostgreSQL touches nothing but what these fixtures started. Without the binaries the tests
skip with the reason, or fail under PRESSROOM_REQUIRE_SERVICES=1 as tests/services.py does.
"""

import glob
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import psycopg
import pytest

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
TEMPLATE_DB = "pressroom_faults_template"
# Seconds Redis waits before handing an unacknowledged task of a dead worker to another.
VISIBILITY_TIMEOUT = 2


def unavailable(reason: str):
    if os.environ.get("PRESSROOM_REQUIRE_SERVICES", "").lower() in {"1", "true", "yes"}:
        pytest.fail(f"PRESSROOM_REQUIRE_SERVICES is set but {reason}", pytrace=False)
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# Deadlines for what a test waits for. Only a failing test waits them out, so they are
# generous: a loaded machine may take minutes where an idle one takes seconds.
PATIENCE = 300


def wait_for_port(port: int, timeout: float = PATIENCE) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"nothing listens on port {port} after {timeout} s")


def wait_until(find, timeout: float = PATIENCE, interval: float = 0.05, *, context=lambda: ""):
    """Poll until `find()` returns something true, and return it; on time out the error
    tells what was awaited and `context()` (a worker's log, say)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = find()
        if found:
            return found
        time.sleep(interval)
    raise AssertionError(f"still not true after {timeout} s: {find.__doc__ or find}\n{context()}")


class PrivateRedis:
    """A redis-server of our own: no persistence, so a restart forgets its queue."""

    def __init__(self, binary: str, directory: Path):
        self.binary, self.directory = binary, directory
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603 - redis-server with our arguments
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for_port(self.port)

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None


class PrivatePostgres:
    """A PostgreSQL cluster of our own in a temporary folder, run as the postgres user when
    the tests run as root (initdb refuses root)."""

    def __init__(self, bindir: Path, directory: Path):
        self.bindir, self.directory = bindir, directory
        self.data = directory / "data"
        self.port = free_port()
        self.user = None
        if os.geteuid() == 0:
            try:
                self.user = pwd.getpwnam("postgres")
            except KeyError:
                unavailable("the tests run as root and there is no postgres user for initdb")
            os.chown(directory, self.user.pw_uid, self.user.pw_gid)

    def _run(self, *args: str) -> None:
        done = subprocess.run(  # noqa: S603 - PostgreSQL's own tools with our arguments
            [str(self.bindir / args[0]), *args[1:]],
            capture_output=True,
            text=True,
            user=self.user.pw_uid if self.user else None,
            group=self.user.pw_gid if self.user else None,
            timeout=PATIENCE,
        )
        assert done.returncode == 0, f"{args[0]} failed: {done.stdout}{done.stderr}"

    def _ctl(self, action: str, *extra: str) -> None:
        options = (
            f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(
            "pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.directory / "log"),
            "-w", *extra, action,
        )  # fmt: skip

    def start(self) -> None:
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust",
                  "-E", "UTF8", "--no-sync")  # fmt: skip
        self._ctl("start")

    def restart(self) -> None:
        self._ctl("restart", "-m", "fast")

    def stop(self) -> None:
        self._ctl("stop", "-m", "immediate")

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def connect(self, database: str = "postgres") -> psycopg.Connection:
        return psycopg.connect(self.url(database), autocommit=True)


def pressroom_env(database_url: str, redis_url: str, **extra: str) -> dict[str, str]:
    """The environment of a Pressroom process on the private services, with nothing of the
    test run's own DATABASE_URL or settings."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PRESSROOM_", "CELERY_"))
        and key not in ("DATABASE_URL", "REDIS_URL")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_SECRET_KEY="fault-tests-only",
        DJANGO_ALLOWED_HOSTS="testserver,127.0.0.1",
        DJANGO_LOG_FORMAT="text",
        DJANGO_DB_CONNECT_TIMEOUT="2",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        PRESSROOM_BROKER_VISIBILITY_TIMEOUT=str(VISIBILITY_TIMEOUT),
        **extra,
    )
    return env


def django(env: dict[str, str], code: str, timeout: float = PATIENCE):
    """Run `code` in `manage.py shell` with `env`; it prints one JSON line, returned."""
    done = subprocess.run(  # noqa: S603 - this project's manage.py
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


class Worker:
    """`celery --app config worker` in its own process, one task at a time."""

    def __init__(self, env: dict[str, str], log: Path):
        self.log = log
        self.process = subprocess.Popen(  # noqa: S603 - celery from this virtualenv
            [str(VENV_BIN / "celery"), "--app", "config", "worker", "--pool", "solo",
             "--loglevel", "INFO", "--without-gossip", "--without-mingle", "--without-heartbeat",
             "--hostname", f"faults-{uuid.uuid4().hex[:8]}@localhost"],
            cwd=ROOT,
            env=env,
            stdout=log.open("ab"),
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        wait_until(self.ready)

    def ready(self) -> bool:
        """The worker logged that it is ready."""
        if self.process.poll() is not None:
            raise AssertionError(f"the worker exited:\n{self.output()}")
        return " ready." in self.output()

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def kill(self) -> None:
        """SIGKILL: no shutdown, no acknowledgement, as when the machine loses the process."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture(scope="session")
def private_postgres():
    """A private cluster with a migrated template database; each test copies it."""
    bindirs = sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    bindir = Path(os.environ.get("PRESSROOM_PG_BINDIR") or (bindirs[0] if bindirs else ""))
    if not (bindir / "initdb").exists():
        unavailable(
            "the fault tests need PostgreSQL's initdb and pg_ctl (apt-get install postgresql)"
        )
    # Not under pytest's temporary folder: its parents are closed to the postgres user.
    folder = Path(tempfile.mkdtemp(prefix="pressroom-faults-pg-"))
    cluster = PrivatePostgres(bindir, folder)
    cluster.start()
    try:
        with cluster.connect() as connection:
            connection.execute(f"CREATE DATABASE {TEMPLATE_DB}")
        done = subprocess.run(
            [sys.executable, "manage.py", "migrate", "--no-input", "--verbosity", "0"],
            cwd=ROOT,
            env=pressroom_env(cluster.url(TEMPLATE_DB), ""),
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def database(private_postgres):
    """A fresh migrated database on the private cluster: its URL."""
    name = f"faults_{uuid.uuid4().hex[:12]}"
    with private_postgres.connect() as connection:
        connection.execute(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE_DB}")
    return private_postgres.url(name)


@pytest.fixture
def private_redis(tmp_path):
    binary = shutil.which("redis-server")
    if binary is None:
        unavailable("the fault tests need redis-server (apt-get install redis-server)")
    server = PrivateRedis(binary, tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def start_worker(tmp_path):
    """Start workers with an environment; every one still running is stopped afterwards."""
    started: list[Worker] = []

    def start(env: dict[str, str]) -> Worker:
        worker = Worker(env, tmp_path / f"worker-{len(started)}.log")
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


def write_digest(path: Path, count: int, *, first_id: int = 5_000_000) -> Path:
    """A digest of `count` distinct releases, each with its own gov.kz id."""
    sentences = (
        "The akimat held a meeting with residents on the heating season. "
        "Participants discussed the construction of schools and clinics. "
    )
    with path.open("w", encoding="utf-8") as out:
        out.write("World\n")
        for n in range(count):
            out.write(f"Release number {n} about regional development {1 + n % 28:02d}.11.2025\n")
            out.write(
                f"{sentences * (1 + n % 3)}Source : https://www.gov.kz/memleket/entities/"
                f"kostanay/press/news/details/{first_id + n}?lang=en\n"
            )
    return path


QUEUE_UPLOAD = """
import json
from pathlib import Path
from news.importing.runs import queue_upload
run = queue_upload(payload=Path({path!r}).read_bytes(), input_name={name!r}, format="digest",
                   source=None, user=None)
print(json.dumps({{"run": run.pk, "error_code": run.error_code}}))
"""


def queue_upload(env: dict[str, str], path: Path) -> dict:
    """Queue a file's import as the admin's upload does, in a process of its own."""
    return django(env, QUEUE_UPLOAD.format(path=str(path), name=path.name))


def run_state(database_url: str, run_id: int) -> dict:
    with psycopg.connect(database_url, autocommit=True) as connection:
        row = connection.execute(
            "SELECT status, processed, created, updated, unchanged, failed, error_code,"
            " error_message FROM news_importrun WHERE id = %s",
            [run_id],
        ).fetchone()
    keys = ("status", "processed", "created", "updated", "unchanged", "failed", "error_code",
            "error_message")  # fmt: skip
    return dict(zip(keys, row, strict=True))


def imported_ids(database_url: str) -> list[str]:
    """The external id of every article, once per article."""
    with psycopg.connect(database_url, autocommit=True) as connection:
        return [
            row[0] for row in connection.execute("SELECT external_id FROM news_article ORDER BY id")
        ]
