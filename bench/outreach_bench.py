"""Email subscriptions at scale: `make bench` prints the figures.

In a PostgreSQL database of its own: 10,000 confirmed subscribers sent each release at
once, and 10,000 more with a daily digest (following every release, a region or an agency,
in kk, ru and en). One Celery worker (solo pool, as the fault tests run it) sends to a
local aiosmtpd server that accepts and counts every message. Measured: the time from
queueing a publication until the server has accepted its 10,000 emails, the same for the
hour's digests, and the worker's peak memory in each (a fresh worker per run).
"""

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg
import redis

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.smtp import Controller, free_port  # noqa: E402 - the project on the path first

POSTGRES_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/")
BENCH_DB = "pressroom_outreach_bench"
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")
SUBSCRIBERS = 10_000
DIGEST_RELEASES = 40
VENV_BIN = Path(sys.executable).parent

SEED = """
import json
from datetime import timedelta
from django.utils import timezone
from agencies.models import Agency, Region
from news.models import Article
from outreach.models import FollowedAgency, FollowedRegion, Subscription

now = timezone.now()
hour = timezone.localtime(now).hour
regions = list(Region.objects.exclude(kind="district").order_by("pk"))
agencies = [
    Agency.objects.create(slug=f"bench-{{n}}", name_en=f"Bench agency {{n}}", kind="akimat",
                          region=regions[n % len(regions)])
    for n in range(20)
]
languages = ["kk", "ru", "en"]
def subscribers(prefix, frequency):
    made = Subscription.objects.bulk_create(
        Subscription(email=f"{{prefix}}{{n}}@example.kz", language=languages[n % 3],
                     frequency=frequency, digest_hour=hour, confirmed_at=now - timedelta(days=2),
                     digest_through=now - timedelta(days=1), follows_everything=n % 3 == 0)
        for n in range({count})
    )
    FollowedRegion.objects.bulk_create(
        FollowedRegion(subscription=s, region=agencies[n % len(agencies)].region)
        for n, s in enumerate(made) if n % 3 == 1
    )
    FollowedAgency.objects.bulk_create(
        FollowedAgency(subscription=s, agency=agencies[n % len(agencies)])
        for n, s in enumerate(made) if n % 3 == 2
    )
subscribers("now", "immediate")
subscribers("daily", "daily")
for n in range({releases}):
    Article.objects.create(
        title=f"Release {{n}} of the day", lead="The akimat held a meeting with residents.",
        body="<p>Participants discussed the construction of schools.</p>",
        language=languages[n % 3], agency=agencies[n % len(agencies)],
        region=agencies[n % len(agencies)].region, status="published",
        published_at=now - timedelta(hours=23) + timedelta(minutes=30 * n),
    )
# The release everyone sent it at once follows: a national body's, in Kazakh.
article = Article.objects.create(
    title="Үкімет отырысы өтті", lead="Үкімет отырысында жылу маусымы талқыланды.",
    body="<p>Мәтін.</p>", language="kk", agency=None, region=None, status="published",
    published_at=now - timedelta(hours=2),
)
Subscription.objects.filter(frequency="immediate").update(follows_everything=True)
print(json.dumps({{"article": article.pk}}))
"""


class Counter:
    """An SMTP handler that accepts and counts, so the server keeps up with the worker."""

    def __init__(self):
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
        return "250 OK"


def environment(database_url: str, smtp_port: int) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PRESSROOM_"))},
        "DJANGO_SECRET_KEY": "bench",
        "DJANGO_LOG_FORMAT": "text",
        "DJANGO_LOG_LEVEL": "WARNING",
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL,
        "DJANGO_EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
    }


def manage(env, *args) -> str:
    done = subprocess.run(  # noqa: S603 - this project's manage.py
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode:
        raise SystemExit(done.stderr[-3000:])
    return done.stdout


def shell(env, code: str) -> dict:
    return json.loads(manage(env, "shell", "--no-imports", "-c", code).strip().splitlines()[-1])


def peak_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def run(env, counter: Counter, label: str, task: str, args: list, expected: int) -> None:
    worker = subprocess.Popen(  # noqa: S603 - celery from this virtualenv
        [str(VENV_BIN / "celery"), "--app", "config", "worker", "--pool", "solo",
         "--loglevel", "WARNING", "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        time.sleep(5)  # the worker connects and starts consuming
        start_count = counter.count
        start = time.perf_counter()
        shell(
            env,
            f"from news import queue; import json; "
            f"print(json.dumps(queue.enqueue({task!r}, tuple({args!r}))))",
        )
        deadline = start + 1800
        while counter.count - start_count < expected:
            if time.perf_counter() > deadline or worker.poll() is not None:
                raise SystemExit(f"{label}: {counter.count - start_count} of {expected} sent")
            time.sleep(0.05)
        elapsed = time.perf_counter() - start
        print(
            f"{label}: {expected} emails accepted in {elapsed:.1f} s "
            f"({expected / elapsed:.0f}/s); worker peak RSS {peak_mib(worker.pid):.0f} MiB"
        )
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def main() -> None:
    with psycopg.connect(POSTGRES_URL + "postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")
        connection.execute(f"CREATE DATABASE {BENCH_DB}")
    redis.Redis.from_url(REDIS_URL).flushdb()
    counter = Counter()
    controller = Controller(counter, hostname="127.0.0.1", port=free_port())
    controller.start()
    env = environment(POSTGRES_URL + BENCH_DB, controller.port)
    try:
        manage(env, "migrate", "--no-input", "--verbosity", "0")
        seeded = shell(env, SEED.format(count=SUBSCRIBERS, releases=DIGEST_RELEASES))
        print(
            f"{SUBSCRIBERS} immediate and {SUBSCRIBERS} daily subscribers, "
            f"{DIGEST_RELEASES} releases in the last day; one worker, solo pool"
        )
        run(env, counter, "publication to 10,000", "outreach.tasks.announce_release",
            [seeded["article"]], SUBSCRIBERS)  # fmt: skip
        # Every digest subscriber follows something published that day.
        run(env, counter, "daily digest, 10,000", "outreach.tasks.send_due_digests", [],
            SUBSCRIBERS)  # fmt: skip
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
