"""Celery tasks: thin, sent by name (news.queue) as "webhooks.tasks.<name>"; WebhooksConfig
loads this module so the app knows them."""

from celery import shared_task

from news.tasks import NOTICE_TASK_OPTIONS, send_or_retry

from . import notifications, sending


# A delivery is recorded before its task is sent: a lost task (worker or Redis restarted)
# leaves it due, and beat's sweep sends it again. The time limit exceeds an attempt's
# timeouts; the lease (sending.LEASE) exceeds the time limit.
@shared_task(acks_late=True, soft_time_limit=40, time_limit=50)
def deliver(delivery_id: int) -> str | None:
    return sending.deliver(delivery_id)


@shared_task(acks_late=True, soft_time_limit=50, time_limit=60)
def send_due_deliveries() -> int:
    """Beat runs it every minute: retries that are due, and deliveries whose task was lost."""
    return sending.send_due_deliveries()


@shared_task(acks_late=True, soft_time_limit=540, time_limit=600)
def prune_delivery_log() -> int:
    """Beat runs it daily: the log keeps PRESSROOM_WEBHOOK_LOG_DAYS of finished deliveries."""
    return sending.prune_log()


@shared_task(**NOTICE_TASK_OPTIONS)
def send_endpoint_paused_notice(self, endpoint_id: int) -> int:
    return send_or_retry(
        self,
        lambda: notifications.notify_endpoint_paused(endpoint_id),
        f"Notice that webhook endpoint {endpoint_id} was paused",
    )
