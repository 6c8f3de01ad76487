"""A worker killed with SIGKILL in the middle of sending a release to its subscribers: the
batch task comes back from Redis, and every subscriber gets the email exactly once.

The worker is killed while the mail server holds one message unanswered (tests/smtp.py's
hold_at): that message was never accepted, so the re-delivered task must send it, and it
must not send again any message the server accepted before the kill."""

import time

import psycopg
import pytest

from outreach.delivery import BATCH_SIZE

from .conftest import VISIBILITY_TIMEOUT, django, pressroom_env, wait_until

pytestmark = pytest.mark.faults

SUBSCRIBERS = 3 * BATCH_SIZE
HELD = BATCH_SIZE + 50  # in the second batch

PUBLISH = """
import json
from django.utils import timezone
from agencies.models import Agency, Region
from news import queue
from news.models import Article
from outreach.models import Subscription

now = timezone.now()
Subscription.objects.bulk_create(
    Subscription(email=f"reader{{n}}@example.kz", language="ru", confirmed_at=now)
    for n in range({count})
)
agency = Agency.objects.create(slug="fault-agency", name_en="Fault Agency", kind="akimat")
article = Article.objects.create(
    title="Аким встретился с жителями", lead="Коротко.", body="<p>Текст.</p>", language="ru",
    agency=agency, status="published", published_at=now,
)
# What the release_stepped receiver does when a step publishes a release.
queue.enqueue("outreach.tasks.announce_release", (article.pk,))
print(json.dumps({{"article": article.pk}}))
"""


def deliveries(database_url: str) -> dict[str, int]:
    with psycopg.connect(database_url, autocommit=True) as connection:
        rows = connection.execute(
            "SELECT status, count(*) FROM outreach_delivery GROUP BY status"
        ).fetchall()
    return dict(rows)


def test_a_killed_worker_s_batch_is_sent_again_to_nobody_twice_and_nobody_missed(
    database, private_redis, start_worker, mail_server
):
    env = pressroom_env(database, private_redis.url, DJANGO_EMAIL_URL=mail_server.url)
    mail_server.hold_at(HELD)
    django(env, PUBLISH.format(count=SUBSCRIBERS))

    first = start_worker(env)
    assert mail_server.held.wait(timeout=300), first.output()
    first.kill()  # the held message was never answered: not accepted
    mail_server.let_go()
    accepted_before_kill = mail_server.recipients()
    assert sum(accepted_before_kill.values()) == HELD - 1
    assert set(accepted_before_kill.values()) == {1}
    assert deliveries(database) == {
        "sent": HELD - 1,
        "claimed": BATCH_SIZE - (HELD - 1 - BATCH_SIZE),
    }

    # Redis hands the unacknowledged task on once its visibility timeout has passed; a
    # worker looks for such tasks when it starts.
    time.sleep(VISIBILITY_TIMEOUT + 1)
    second = start_worker(env)

    def everyone_reached():
        """Every subscriber has had the release."""
        return deliveries(database) == {"sent": SUBSCRIBERS}

    wait_until(everyone_reached, interval=0.2, context=second.output)
    received = mail_server.recipients()
    assert received == {f"reader{n}@example.kz": 1 for n in range(SUBSCRIBERS)}
    assert "send_release_batch[" in second.output()
