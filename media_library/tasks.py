"""Celery tasks of the media library: thin, they take ids and call media_library.renditions.

media_library.services sends them by name through news.queue; MediaLibraryConfig.ready
loads this module so the Celery app knows them. Both are idempotent, so a re-delivered
message (acks_late, a worker lost) only finds its work done.
"""

import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError

from news.translation.errors import EngineUnavailable, TranslationError

from . import renditions, translation

logger = logging.getLogger(__name__)

TASK_OPTIONS = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": True,
    "retry_kwargs": {"max_retries": 5},
    "soft_time_limit": 240,
    "time_limit": 300,
}


@shared_task(**TASK_OPTIONS)
def make_renditions(image_id: int) -> int:
    return renditions.make_renditions(image_id)


@shared_task(**TASK_OPTIONS)
def make_document_preview(attachment_id: int) -> bool:
    return renditions.make_document_preview(attachment_id)


# An engine that is down is tried again later; any other refusal leaves the media's text
# in that language to a person, as a failed translation job does.
@shared_task(
    **{**TASK_OPTIONS, "autoretry_for": (*TASK_OPTIONS["autoretry_for"], EngineUnavailable)}
)
def translate_media(original_id: int, translation_id: int) -> int:
    try:
        return translation.translate_media(original_id, translation_id)
    except TranslationError as error:
        if error.retryable:
            raise
        logger.warning("Media of article %s not translated: %s", translation_id, error.code)
        return 0
