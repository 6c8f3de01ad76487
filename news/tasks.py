from celery import shared_task

from . import notifications, workflow


@shared_task(
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_kwargs={"max_retries": 5},
    soft_time_limit=50,
    time_limit=60,
)
def send_transition_notifications(transition_id: int) -> int:
    return notifications.notify_transition(transition_id)


@shared_task(acks_late=True, soft_time_limit=100, time_limit=120)
def publish_scheduled_articles() -> list[int]:
    return workflow.publish_due_articles()
