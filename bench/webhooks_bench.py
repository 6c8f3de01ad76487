"""Webhook throughput and memory: `make bench` prints the figures after the site's.

In a PostgreSQL database of its own (recreated each run), publishes ARTICLES releases to
one partner endpoint: first recording the events (each release's body rendered by the API's
schema, one delivery each), then sending every delivery as the Celery task does
(webhooks.sending.deliver: signed, posted, logged), one after another, to a receiver on
127.0.0.1 in another process that verifies each signature with the standardwebhooks
library, as a partner would. Prints events recorded per second, deliveries per second and
the sender's peak memory (Python allocations while sending, and the process's peak RSS).
"""

import json
import os
import resource
import socket
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/")
BENCH_DB = "pressroom_webhooks_bench"
ARTICLES = int(os.environ.get("BENCH_WEBHOOK_DELIVERIES", "1000"))


# --- the partner's receiver, in its own process ----------------------------------------------


def serve_receiver(secret: str) -> None:
    """Answer 204 to every delivery that verifies (400 otherwise); GET /stats counts them."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from standardwebhooks import Webhook, WebhookVerificationError

    webhook = Webhook(secret)
    counts = {"verified": 0, "refused": 0}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            try:
                webhook.verify(body, dict(self.headers.items()))
            except WebhookVerificationError:
                counts["refused"] += 1
                self.send_response(400)
            else:
                counts["verified"] += 1
                self.send_response(204)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_GET(self):
            payload = json.dumps(counts).encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()


def start_receiver(secret: str) -> tuple[subprocess.Popen, int]:
    process = subprocess.Popen(  # noqa: S603 - this interpreter running this file
        [sys.executable, __file__, "--receiver", secret], stdout=subprocess.PIPE, text=True
    )
    return process, int(process.stdout.readline())


def receiver_counts(port: int) -> dict:
    import httpx

    return httpx.get(f"http://127.0.0.1:{port}/stats").json()


# --- the sender ------------------------------------------------------------------------------


def postgres_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=2):
            return True
    except OSError:
        return False


def recreate_database() -> str:
    import psycopg

    with psycopg.connect(POSTGRES_URL + "postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")
        connection.execute(f"CREATE DATABASE {BENCH_DB}")
    return POSTGRES_URL + BENCH_DB


def connect_django(database_url: str) -> None:
    os.environ.update(
        {
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "bench",
            "DJANGO_LOG_LEVEL": "WARNING",
            "DATABASE_URL": database_url,
            "REDIS_URL": "",
            "PRESSROOM_IMPORT_ALLOWED_NETWORKS": "127.0.0.1/32",  # the receiver's
            "PRESSROOM_SITE_URL": "https://pressroom.example.kz",
        }
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def create_articles(count: int) -> list[int]:
    from django.utils import timezone

    from agencies.models import Agency
    from news.models import Article

    agencies = list(Agency.objects.order_by("pk")[:20])
    now = timezone.now()
    articles = Article.objects.bulk_create(
        Article(
            title=f"Аким области встретился с жителями {n}",
            slug=f"bench-release-{n}",
            lead="Обсудили отопительный сезон и строительство школ.",
            body="<p>Аким ответил на вопросы жителей о ремонте дорог и школ.</p>" * 8,
            language="ru",
            agency=agencies[n % len(agencies)],
            region=agencies[n % len(agencies)].region,
            status=Article.Status.PUBLISHED,
            published_at=now,
        )
        for n in range(count)
    )
    return [article.pk for article in articles]


def bench() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from webhooks import events, sending
    from webhooks.models import Delivery, Endpoint, EventType

    pks = create_articles(ARTICLES)
    endpoint = Endpoint.objects.create(name="Bench partner", url="http://127.0.0.1:1/")
    receiver, port = start_receiver(endpoint.secret)
    try:
        endpoint.url = f"http://127.0.0.1:{port}/hooks"
        endpoint.events = [EventType.PUBLISHED]
        endpoint.save()
        # Recorded without sending: the deliveries are then sent one by one below.
        events.queue.enqueue = lambda *args, **kwargs: True
        start = time.perf_counter()
        for pk in pks:
            events.announce(EventType.PUBLISHED, pk)
        recorded = time.perf_counter() - start

        deliveries = list(Delivery.objects.order_by("pk").values_list("pk", flat=True))
        tracemalloc.start()
        start = time.perf_counter()
        for pk in deliveries:
            sending.deliver(pk)
        sent = time.perf_counter() - start
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()

        counts = receiver_counts(port)
        succeeded = Delivery.objects.filter(status=Delivery.Status.SUCCEEDED).count()
    finally:
        receiver.terminate()
        receiver.wait()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"webhooks: {len(pks) / recorded:6.0f} events/s recorded "
        f"({len(pks)} in {recorded:.1f} s, body rendered by the API's schema)"
    )
    print(
        f"webhooks: {len(deliveries) / sent:6.0f} deliveries/s sent one after another "
        f"({succeeded} of {len(deliveries)} delivered in {sent:.1f} s; the receiver verified "
        f"{counts['verified']}, refused {counts['refused']})"
    )
    print(
        f"webhooks: peak memory while sending {peak / 1024 / 1024:.1f} MiB of Python "
        f"allocations; peak RSS {rss:.0f} MiB"
    )


def main() -> None:
    if not postgres_answers():
        print("PostgreSQL does not answer at 127.0.0.1:5432: the webhook figures are left out.")
        return
    connect_django(recreate_database())
    bench()


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--receiver":
        serve_receiver(sys.argv[2])
    else:
        main()
