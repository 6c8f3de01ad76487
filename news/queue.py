"""Work recorded in the database, then sent to a worker after commit, re-sent if it waited.

Import runs and translation jobs follow one protocol: the record is written as queued in the
caller's transaction; its task is sent once that commits; when the task queue (Redis) is
down the record is marked `QUEUE_UNAVAILABLE` and waits, and beat's `resend_queued_work`
sends again whatever waited. Tasks are sent by name, so no service imports `news.tasks`
(which imports the services): the Celery app knows each task once `news.tasks` is loaded,
which `NewsConfig.ready` does.
"""

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from celery import current_app
from django.db import models, transaction
from django.db.models import Q
from kombu.exceptions import OperationalError as QueueUnavailable

logger = logging.getLogger(__name__)

QUEUE_UNAVAILABLE = "queue_unavailable"


class _Breaker:
    """After the task queue refused a task, this process does not try again for a few
    seconds: a request queueing many translations would otherwise wait out every
    connection attempt."""

    SKIP_SECONDS = 5.0

    def __init__(self):
        self.skipped_until = 0.0

    def closed(self) -> bool:
        return time.monotonic() >= self.skipped_until

    def trip(self) -> None:
        self.skipped_until = time.monotonic() + self.SKIP_SECONDS

    def reset(self) -> None:
        self.skipped_until = 0.0


breaker = _Breaker()


def enqueue(task_name: str, args: tuple, *, task_id: str | None = None) -> bool:
    """Send the task named `task_name`; False when the task queue is down. The caller has
    recorded the work in the database, or accepts that it is lost (a notice)."""
    if breaker.closed():
        try:
            current_app.tasks[task_name].apply_async(args, task_id=task_id)
        except QueueUnavailable:
            breaker.trip()
        else:
            return True
    logger.warning("Task queue unavailable: %s%s left queued in the database", task_name, args)
    return False


@dataclass(frozen=True)
class RecordedWork:
    """One kind of work recorded before it is sent: its model (with `status`, `error_code`
    and `error_message`), the status meaning "waiting for a worker", and what editors are
    told while the task queue is down."""

    model: type[models.Model]
    queued: str
    unavailable_message: object

    def send(self, record, task_name: str, args: tuple, *, task_id: str | None = None) -> bool:
        """Send the record's task now; note on the record whether the task queue took it."""
        sent = enqueue(task_name, args, task_id=task_id)
        code, message = ("", "") if sent else (QUEUE_UNAVAILABLE, str(self.unavailable_message))
        if (record.error_code, record.error_message) != (code, message):
            self.model.objects.filter(pk=record.pk, status=self.queued).update(
                error_code=code, error_message=message
            )
            record.error_code, record.error_message = code, message
        return sent

    def send_after_commit(self, send: Callable[[], bool]) -> None:
        """Send once the record is committed: a worker must find it, and a rollback must
        leave no task behind."""
        transaction.on_commit(send)

    def waiting(self, stale: Q) -> models.QuerySet:
        """Records still queued that the task queue refused, or that match `stale` (sent
        long ago: a restarted Redis forgets its queue)."""
        return self.model.objects.filter(status=self.queued).filter(
            Q(error_code=QUEUE_UNAVAILABLE) | stale
        )

    def resend(self, records: Iterable, restamp: Callable, send: Callable[..., bool]) -> int:
        """Send again each record that `restamp` (a conditional update) still finds
        waiting; returns how many the task queue took."""
        return sum(send(record) for record in records if restamp(record))
