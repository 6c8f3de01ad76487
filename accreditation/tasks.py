"""Celery tasks of accreditation: thin, they take ids and call accreditation.distribution.

Sent by name through news.queue ("accreditation.tasks.<name>"); AccreditationConfig.ready
loads this module so the app knows them.
"""

from celery import shared_task

from news.tasks import NOTICE_TASK_OPTIONS, send_or_retry

from . import distribution


@shared_task(**{**NOTICE_TASK_OPTIONS, "soft_time_limit": 280, "time_limit": 300})
def reconcile_embargo(self, article_id: int) -> int:
    # A whole press corps in one task: longer limits than one person's notice.
    return send_or_retry(
        self,
        lambda: distribution.reconcile(article_id),
        f"Journalists' embargo emails of release {article_id}",
    )
