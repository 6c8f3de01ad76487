"""outreach.delivery against a real SMTP server: each message once per (release, recipient,
kind), one connection per batch, a re-run sending only what was not accepted."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as QueueUnavailable

from outreach import delivery
from outreach.delivery import Outgoing, deliver, fan_out
from outreach.models import Delivery
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def outgoing(addresses, built=None):
    def build(address):
        def make():
            if built is not None:
                built.append(address)
            return mail.EmailMultiAlternatives("A release", "Text", to=[address])

        return make

    return [Outgoing(address, build(address)) for address in addresses]


def addresses(count):
    return [f"reader{n}@example.kz" for n in range(count)]


def test_each_recipient_gets_one_message_and_a_rerun_sends_nothing(smtp_server):
    release = ArticleFactory()
    assert deliver(release=release, kind="release", outgoing=outgoing(addresses(5))) == 5
    assert smtp_server.recipients() == {address: 1 for address in addresses(5)}
    built = []
    assert deliver(release=release, kind="release", outgoing=outgoing(addresses(6), built)) == 1
    assert built == ["reader5@example.kz"]  # the sent ones are not even built again
    assert sum(smtp_server.recipients().values()) == 6
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}
    assert Delivery.objects.filter(sent_at__isnull=True).count() == 0


def test_another_kind_or_release_is_another_message(smtp_server):
    first, second = ArticleFactory(), ArticleFactory()
    deliver(release=first, kind="release", outgoing=outgoing(["a@example.kz"]))
    deliver(release=first, kind="embargo", outgoing=outgoing(["a@example.kz"]))
    deliver(release=second, kind="release", outgoing=outgoing(["a@example.kz"]))
    deliver(release=None, kind="digest:2026-12-07", outgoing=outgoing(["a@example.kz"]))
    deliver(release=None, kind="digest:2026-12-07", outgoing=outgoing(["a@example.kz"]))
    assert smtp_server.recipients() == {"a@example.kz": 4}


def test_one_connection_per_batch(smtp_server):
    release = ArticleFactory()
    with mock.patch.object(delivery.mail, "get_connection", wraps=mail.get_connection) as opened:
        sent = deliver(
            release=release, kind="release", outgoing=outgoing(addresses(7)), batch_size=3
        )
    assert sent == 7
    assert opened.call_count == 3


def test_a_refused_address_is_recorded_and_not_tried_again(smtp_server):
    release = ArticleFactory()
    smtp_server.refuse.add("gone@example.kz")
    targets = ["gone@example.kz", "here@example.kz"]
    assert deliver(release=release, kind="release", outgoing=outgoing(targets)) == 1
    refused = Delivery.objects.get(recipient="gone@example.kz")
    assert refused.status == Delivery.Status.REFUSED
    assert "No such mailbox" in refused.error
    built = []
    assert deliver(release=release, kind="release", outgoing=outgoing(targets, built)) == 0
    assert built == []
    assert smtp_server.recipients() == {"here@example.kz": 1}


def test_a_message_the_server_did_not_accept_is_sent_by_the_rerun(smtp_server):
    release = ArticleFactory()
    smtp_server.hold_at(2)
    smtp_server.let_go()  # answered 451 at once: "try again later"
    with pytest.raises(Exception, match="Try again later"):
        deliver(release=release, kind="release", outgoing=outgoing(addresses(3)), claimant="t1")
    assert smtp_server.recipients() == {"reader0@example.kz": 1}
    # The same task delivered again takes its claims back at once.
    assert (
        deliver(release=release, kind="release", outgoing=outgoing(addresses(3)), claimant="t1")
        == 2
    )
    assert smtp_server.recipients() == {address: 1 for address in addresses(3)}


def test_a_live_claim_of_another_task_is_left_to_it_and_a_stale_one_taken_over(smtp_server):
    release = ArticleFactory()
    Delivery.objects.create(
        release=release, recipient="a@example.kz", kind="release", claimed_by="other",
        claimed_at=timezone.now(),
    )  # fmt: skip
    assert deliver(release=release, kind="release", outgoing=outgoing(["a@example.kz"])) == 0
    Delivery.objects.update(
        claimed_at=timezone.now() - timedelta(seconds=delivery.CLAIM_SECONDS + 1)
    )
    assert deliver(release=release, kind="release", outgoing=outgoing(["a@example.kz"])) == 1
    assert smtp_server.recipients() == {"a@example.kz": 1}


def test_fan_out_queues_one_task_per_batch_after_commit(django_capture_on_commit_callbacks):
    with (
        mock.patch.object(delivery.queue, "enqueue", return_value=True) as enqueue,
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert fan_out("outreach.tasks.x", (7,), range(5), batch_size=2) == 3
        assert enqueue.call_count == 0  # nothing before the commit
    assert [call.args for call in enqueue.call_args_list] == [
        ("outreach.tasks.x", (7, [0, 1])),
        ("outreach.tasks.x", (7, [2, 3])),
        ("outreach.tasks.x", (7, [4])),
    ]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_fan_out_outside_a_transaction_raises_when_the_queue_refuses_a_batch():
    assert not transaction.get_connection().in_atomic_block
    with (
        mock.patch.object(delivery.queue, "enqueue", side_effect=[True, False]),
        pytest.raises(QueueUnavailable),
    ):
        fan_out("outreach.tasks.x", (), range(4), batch_size=2)
