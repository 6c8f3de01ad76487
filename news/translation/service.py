"""Requesting, making, editing and reviewing translations: the one place they happen.

Admin actions, the import service and the Celery tasks call these functions. An engine is
only ever called from `run_job`, which runs in a Celery task, never in a web request.

Why one module of this size: requesting, making and syncing translations share the rules
of who may change which language version; apart, each part would re-import the others.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from news import queue, workflow
from news.editing import article_update
from news.models import Article, Translation, TranslationJob
from news.queue import RecordedWork
from news.signals import machine_translated

from . import html
from . import terms as terminology
from .engines import get_engine
from .errors import TranslationError, language_name
from .group import CONTENT_FIELDS, SHARED_FIELDS, content_hash

logger = logging.getLogger(__name__)

Job = TranslationJob.Status
State = Translation.State


def languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def original_of(article: Article) -> Article:
    """The original a language version was translated from; an original is its own."""
    record = article.translation_or_none
    return record.original if record else article


def can_request(user, article: Article) -> bool:
    return (
        user.is_active and user.has_perm("news.change_article") and workflow.in_scope(user, article)
    )


# --- requesting -------------------------------------------------------------------------


@dataclass(frozen=True)
class RequestOutcome:
    """What became of one request: `code` says it for machines, `message` for editors."""

    original: Article
    language: str
    code: str
    message: str

    @property
    def queued(self) -> bool:
        return self.code == "queued"


def _outcome(original, language, code, message) -> RequestOutcome:
    return RequestOutcome(original, language, code, str(message))


@transaction.atomic
def request_translation(*, original: Article, language: str, user=None) -> RequestOutcome:
    """Queue the translation of `original` into `language` for a worker, unless one exists,
    is queued, or must be done by a person; the outcome says which. Safe to repeat."""
    if language == original.language:
        return _outcome(original, language, "same_language", _("It is the original's language."))
    existing = (
        Article.objects.filter(translation_group=original.translation_group, language=language)
        .select_related("translation_record")
        .first()
    )
    record = existing.translation_or_none if existing else None
    if existing is not None and record is None:
        return _outcome(original, language, "exists", _("A version in this language exists."))
    if record is not None and not record.outdated:
        return _outcome(original, language, "up_to_date", _("The translation is up to date."))
    job = TranslationJob.objects.select_for_update().filter(
        original=original, language=language
    ).first() or TranslationJob(original=original, language=language)
    if job.pk and job.status == Job.QUEUED:
        return _outcome(original, language, "already_queued", _("It is already queued."))
    job.requested_by = user
    if record is not None and record.state != State.MACHINE:
        return _for_person(
            job,
            "edited_by_person",
            _(
                "The original changed, but a person edited or reviewed this translation, so "
                "it is not replaced: update it by hand."
            ),
        )
    if not settings.PRESSROOM_TRANSLATION_ENGINE:
        return _for_person(job, "no_engine", _("No translation engine is configured."))
    job.status, job.error_code, job.error_message = Job.QUEUED, "", ""
    job.save()
    JOBS.send_after_commit(lambda: send_job(job))
    return _outcome(original, language, "queued", _("Queued for machine translation."))


# A job is queued in the database before its task is sent, so a task queue that is down
# loses nothing: the job waits, marked so, and resend_queued_jobs sends it again.
JOBS = RecordedWork(
    model=TranslationJob,
    queued=Job.QUEUED,
    unavailable_message=_(
        "The task queue is unavailable; the translation will run when it is back."
    ),
)
QUEUE_UNAVAILABLE_MESSAGE = JOBS.unavailable_message


def send_job(job: TranslationJob) -> bool:
    """Send a queued job's task; if the task queue is down, note it on the job."""
    return JOBS.send(job, "news.tasks.translate_article", (job.pk,))


def resend_queued_jobs(*, older_than: timedelta) -> int:
    """Send again the jobs no worker has started: those the task queue refused, and those
    queued longer than `older_than` (a restarted Redis forgets its queue), at most once per
    `older_than`. A job a worker has tried (attempts > 0) waits for that worker's retry."""
    waiting = JOBS.waiting(Q(attempts=0, updated_at__lt=timezone.now() - older_than))

    def restamp(job) -> bool:
        return bool(TranslationJob.objects.filter(pk=job.pk).update(updated_at=timezone.now()))

    return JOBS.resend(waiting.order_by("pk"), restamp, send_job)


def jobs_waiting_for_queue(outcomes) -> int:
    """How many of the queued requests wait for the task queue to come back."""
    requested = Q()
    for outcome in outcomes:
        if outcome.queued:
            requested |= Q(original=outcome.original, language=outcome.language)
    if not requested:
        return 0
    return TranslationJob.objects.filter(
        requested, status=Job.QUEUED, error_code=queue.QUEUE_UNAVAILABLE
    ).count()


def _for_person(job: TranslationJob, code: str, message) -> RequestOutcome:
    job.status, job.error_code, job.error_message = Job.NEEDS_PERSON, code, str(message)
    job.save()
    return _outcome(job.original, job.language, code, message)


def request_missing_translations(*, articles, user=None) -> list[RequestOutcome]:
    """Request every other language of each article's original; one failure (another
    agency's article, a database error) is reported for that article and the rest go on."""
    outcomes: list[RequestOutcome] = []
    done: set[int] = set()
    for article in articles:
        original = original_of(article)
        if original.pk in done:
            continue
        done.add(original.pk)
        if user is not None and not can_request(user, original):
            outcomes.append(
                _outcome(
                    original,
                    "",
                    "agency_scope",
                    _("You can only translate articles of your own agencies."),
                )
            )
            continue
        for language in languages():
            if language == original.language:
                continue
            try:
                outcomes.append(
                    request_translation(original=original, language=language, user=user)
                )
            except DatabaseError as error:
                logger.exception("Translation request for %s → %s failed", original.pk, language)
                outcomes.append(_outcome(original, language, "failed", error))
    return outcomes


def queue_imported_articles(articles) -> None:
    """Called by the import service for new releases, when imports are auto-translated.

    Jobs are written in the import's own transaction and sent to workers only after commit,
    so releases that fail to import leave no translation behind.
    """
    if settings.PRESSROOM_AUTO_TRANSLATE_IMPORTS:
        request_missing_translations(articles=articles)


# --- making (in a worker) ---------------------------------------------------------------


def run_job(job_id: int) -> str:
    """Translate one queued job with the configured engine; returns the job's new status.

    A temporary engine failure (EngineUnavailable) propagates for the task to retry, the
    job still queued; every other failure makes the job a task for a person.
    """
    with transaction.atomic():
        job = (
            TranslationJob.objects.select_for_update(of=("self",))
            .select_related("original__agency")
            .filter(pk=job_id)
            .first()
        )
        if job is None or job.status != Job.QUEUED:
            return job.status if job else "gone"  # done by an earlier delivery, or cancelled
        job.attempts += 1
        job.save(update_fields=["attempts", "updated_at"])
    original = job.original
    engine = get_engine()
    if engine is None:
        return give_up(job.pk, "no_engine", _("No translation engine is configured."))
    with engine:
        try:
            if not engine.supports(original.language, job.language):
                raise engine.unsupported(original.language, job.language)
            content = translate_content(engine, original, job.language)
        except TranslationError as error:
            if error.retryable:
                raise
            return give_up(job.pk, error.code, error.message, engine=engine.name)
    return _save_machine_translation(job, original, content, engine.name)


def translate_content(engine, original: Article, language: str) -> dict[str, str]:
    """Title, lead, signature and body of `original` in `language`, the body's markup
    untouched; all in as few engine requests as its limits allow."""
    texts = [original.title, original.lead, original.attribution, *html.text_nodes(original.body)]
    translated = engine.translate(
        texts,
        source=original.language,
        target=language,
        terms=terminology.terms_for(original.language, language, original.agency),
    )
    return {
        "title": translated[0][: Article._meta.get_field("title").max_length],
        "lead": translated[1],
        "attribution": translated[2][: Article._meta.get_field("attribution").max_length],
        "body": html.replace_text_nodes(original.body, translated[3:]),
    }


def give_up(job_id: int, code: str, message, *, engine: str = "") -> str:
    """Hand a job to a person, saying why the machine could not do it."""
    TranslationJob.objects.filter(pk=job_id).update(
        status=Job.NEEDS_PERSON,
        error_code=code,
        error_message=str(message),
        engine=engine,
        updated_at=timezone.now(),
    )
    return Job.NEEDS_PERSON


@transaction.atomic
def _save_machine_translation(job, original_snapshot, content, engine_name) -> str:
    original = Article.objects.select_for_update().get(pk=original_snapshot.pk)
    existing = (
        Article.objects.select_for_update()
        .filter(translation_group=original.translation_group, language=job.language)
        .first()
    )
    record = existing.translation_or_none if existing else None
    if existing is not None and (record is None or record.state != State.MACHINE):
        # A person's work meanwhile (their own version, or edits) is never overwritten.
        return give_up(
            job.pk,
            "edited_by_person",
            _("A person edited this translation meanwhile; it was not replaced."),
            engine=engine_name,
        )
    if existing is None:
        existing = Article(
            language=job.language,
            translation_group=original.translation_group,
            status=Article.Status.IN_REVIEW,
            **{field: getattr(original, field) for field in SHARED_FIELDS},
        )
        record = Translation(original=original, method=Translation.Method.ENGINE)
    for field, value in content.items():
        setattr(existing, field, value)
    existing._change_reason = f"Machine translation ({engine_name})"
    is_new = existing.pk is None
    existing.save()
    if is_new:
        existing.tags.set(list(original.tags.names()))
        # The step's label says "Machine-translated" in the reader's language; this, by what.
        workflow.file_machine_translation(article=existing, comment=engine_name)
    record.article = existing
    record.engine = engine_name
    record.state = State.MACHINE
    record.original_version = original_snapshot.version
    record.original_content_hash = content_hash(original_snapshot)
    # The original may have changed while the engine worked: then this is already outdated.
    record.outdated = record.original_content_hash != content_hash(original)
    record.save()
    TranslationJob.objects.filter(pk=job.pk).update(
        status=Job.DONE,
        engine=engine_name,
        error_code="",
        error_message="",
        updated_at=timezone.now(),
    )
    transaction.on_commit(
        lambda: machine_translated.send(sender=Article, original=original, translation=existing)
    )
    return Job.DONE


# --- reviewing and people's translations ------------------------------------------------


@transaction.atomic
def mark_reviewed(*, article: Article, user) -> Translation:
    """A person checked this translation against the original as it is now."""
    record = (
        Translation.objects.select_for_update()
        .select_related("original")
        .filter(article=article)
        .first()
    )
    if record is None:
        raise workflow.WorkflowError(
            _("This article is an original, not a translation."), code="not_a_translation"
        )
    if not workflow.can_review_translation(user, article):
        raise workflow.WorkflowError(
            _("You cannot review translations of this article."), code="permission_denied"
        )
    record.state = State.REVIEWED
    record.reviewed_by = user
    record.reviewed_at = timezone.now()
    record.original_version = record.original.version
    record.original_content_hash = content_hash(record.original)
    record.outdated = False
    record.save()
    TranslationJob.objects.filter(
        original=record.original, language=article.language, status=Job.NEEDS_PERSON
    ).update(status=Job.DONE, error_code="", error_message="", updated_at=timezone.now())
    return record


# The version a side-by-side form expects when it was opened with no translation yet.
NO_TRANSLATION = 0


@transaction.atomic
def save_translation(
    *,
    original: Article,
    language: str,
    user,
    content: dict[str, str],
    expected_version: int | None,
    reviewed: bool = False,
) -> Article:
    """A person's edit of a translation, or their new translation where none exists.

    `expected_version` is the version the person's page showed, NO_TRANSLATION when it
    showed none. Refused like any edit (news.editing.article_update: scope, state), and
    when that is not what is stored now (a save, a new translation, or none at all:
    edit_conflict, missing_version), so nobody's translation is overwritten unseen.
    """
    existing = (
        Article.objects.select_for_update()
        .filter(translation_group=original.translation_group, language=language)
        .first()
    )
    stored_version = existing.version if existing else NO_TRANSLATION
    if expected_version is None:
        raise workflow.WorkflowError(
            _(
                "The page did not say which version of the translation you edited, so your "
                "text was not saved. It is kept below: save it again."
            ),
            code="missing_version",
        )
    if expected_version != stored_version:
        raise translation_conflict(language)
    if existing is None:
        article = _new_person_translation(original, language, user, content)
    else:
        article = article_update(
            article=existing,
            user=user,
            changes={field: content[field] for field in CONTENT_FIELDS},
            expected_version=expected_version,
            reason="Translation edited side by side",
        )
    if reviewed:
        mark_reviewed(article=article, user=user)
    return article


def translation_conflict(language: str) -> workflow.WorkflowError:
    return workflow.WorkflowError(
        _(
            "Someone else saved the %(language)s translation while you were writing yours. "
            "Your text was not saved: it is kept below, beside what is stored now. Compare "
            "them, then save yours again if it should replace theirs."
        )
        % {"language": language_name(language)},
        code="edit_conflict",
    )


def _new_person_translation(original, language, user, content) -> Article:
    if language == original.language or language not in languages():
        raise workflow.WorkflowError(
            _("Choose another language than the original's."), code="invalid_language"
        )
    if not (user.has_perm("news.add_article") and can_request(user, original)):
        raise workflow.WorkflowError(
            _("You can only translate articles of your own agencies."), code="agency_scope"
        )
    article = Article(
        language=language,
        translation_group=original.translation_group,
        author=user,
        attribution=original.attribution,
        **{field: getattr(original, field) for field in SHARED_FIELDS},
        **content,
    )
    article._history_user = user
    article._change_reason = "Translated by a person"
    try:
        with transaction.atomic():
            article.save()
    except IntegrityError:
        # Another person's new translation in this language was saved a moment earlier.
        if Article.objects.filter(
            translation_group=original.translation_group, language=language
        ).exists():
            raise translation_conflict(language) from None
        raise
    article.tags.set(list(original.tags.names()))
    Translation.objects.create(
        article=article,
        original=original,
        method=Translation.Method.PERSON,
        translator=user,
        state=State.EDITED,
        original_version=original.version,
        original_content_hash=content_hash(original),
    )
    TranslationJob.objects.filter(original=original, language=language).update(
        status=Job.DONE, error_code="", error_message="", updated_at=timezone.now()
    )
    return article
