"""Every editorial transition of an article, and who may edit or see it.

Admin buttons, bulk actions, Celery tasks and any API call these functions, so a rule
holds the same way everywhere. Each transition locks the row, checks permission,
agency scope and current state, records the step and schedules notifications after
commit.
"""

from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from . import checks, queue, signals
from .models import Article, ArticleTransition, ImportItem

Status = Article.Status

PERM_SUBMIT = "news.submit_article"
PERM_REVIEW = "news.review_article"
PERM_PUBLISH = "news.publish_article"
PERM_ALL_AGENCIES = "news.access_all_agencies"


class WorkflowError(Exception):
    """A refused workflow action, with a machine-readable code and a readable message."""

    def __init__(self, message, *, code: str, checks=()):
        super().__init__(str(message))
        self.message = message
        self.code = code
        self.checks = list(checks)  # the pre-publish checks that refused the step, if any


@dataclass(frozen=True)
class Transition:
    name: str
    label: Promise
    sources: frozenset[str]
    target: str
    permission: str
    comment_required: bool = False


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        Transition(
            "submit",
            _("Submit for review"),
            frozenset({Status.DRAFT, Status.CHANGES_REQUESTED}),
            Status.IN_REVIEW,
            PERM_SUBMIT,
        ),
        Transition(
            "withdraw",
            _("Withdraw from review"),
            frozenset({Status.IN_REVIEW}),
            Status.DRAFT,
            PERM_SUBMIT,
        ),
        Transition(
            "approve", _("Approve"), frozenset({Status.IN_REVIEW}), Status.APPROVED, PERM_REVIEW
        ),
        Transition(
            "request_changes",
            _("Request changes"),
            frozenset({Status.IN_REVIEW, Status.APPROVED, Status.SCHEDULED}),
            Status.CHANGES_REQUESTED,
            PERM_REVIEW,
            comment_required=True,
        ),
        Transition(
            "schedule",
            _("Schedule"),
            frozenset({Status.APPROVED, Status.SCHEDULED}),
            Status.SCHEDULED,
            PERM_PUBLISH,
        ),
        Transition(
            "unschedule",
            _("Cancel schedule"),
            frozenset({Status.SCHEDULED}),
            Status.APPROVED,
            PERM_PUBLISH,
        ),
        Transition(
            "publish",
            _("Publish now"),
            frozenset({Status.APPROVED, Status.SCHEDULED, Status.UNPUBLISHED}),
            Status.PUBLISHED,
            PERM_PUBLISH,
        ),
        Transition(
            "unpublish",
            _("Unpublish"),
            frozenset({Status.PUBLISHED}),
            Status.UNPUBLISHED,
            PERM_PUBLISH,
            comment_required=True,
        ),
        Transition(
            "archive",
            # The verb; the site's "Archive" (of releases by date) is a noun in Kazakh and Russian.
            pgettext_lazy("workflow action", "Archive"),
            frozenset(
                {
                    Status.DRAFT,
                    Status.CHANGES_REQUESTED,
                    Status.APPROVED,
                    Status.PUBLISHED,
                    Status.UNPUBLISHED,
                }
            ),
            Status.ARCHIVED,
            PERM_PUBLISH,
        ),
        Transition(
            "reopen",
            _("Return to draft"),
            frozenset({Status.UNPUBLISHED, Status.ARCHIVED}),
            Status.DRAFT,
            PERM_PUBLISH,
        ),
    )
}

AUTHOR_EDITABLE = frozenset({Status.DRAFT, Status.CHANGES_REQUESTED})
EDITOR_EDITABLE = frozenset(set(Status) - {Status.ARCHIVED})
# What an import may still change without a person: nobody has approved it yet.
IMPORT_UPDATABLE = AUTHOR_EDITABLE | {Status.IN_REVIEW}
# The steps that record who started the import that brought a release in or updated it.
IMPORT_STEPS = ("import", "reimport")
# Steps the system records without a person choosing them (news.importing, translation).
SYSTEM_STEP_LABELS = {
    "import": _("Imported"),
    "reimport": _("Updated by an import"),
    "translate": _("Machine-translated"),
}


def step_label(name: str) -> str:
    """What a recorded step is called in the workflow history, never its code."""
    if name in TRANSITIONS:
        return TRANSITIONS[name].label
    return SYSTEM_STEP_LABELS.get(name, name)


# --- who may see and edit -------------------------------------------------------------


def user_agency_ids(user) -> frozenset[int]:
    """The agencies a user writes for; cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_pressroom_agency_ids", None)
    if cached is None:
        cached = frozenset(user.agency_memberships.values_list("agency_id", flat=True))
        user._pressroom_agency_ids = cached
    return cached


def has_all_agencies(user) -> bool:
    return user.is_active and user.has_perm(PERM_ALL_AGENCIES)


def articles_visible_to(user, queryset=None):
    """Narrow a queryset to the articles the user may see in the admin."""
    return owned_by_agencies_of(user, Article.objects.all() if queryset is None else queryset)


def owned_by_agencies_of(user, queryset):
    """Narrow a queryset of what agencies own (articles, photos, files) to what the user may
    see and use: everything for editors, their own agencies' for press officers."""
    if has_all_agencies(user):
        return queryset
    return queryset.filter(agency_id__in=user_agency_ids(user))


def agencies_writable_by(user, queryset=None):
    from agencies.models import Agency

    queryset = Agency.objects.all() if queryset is None else queryset
    if has_all_agencies(user):
        return queryset
    return queryset.filter(id__in=user_agency_ids(user))


def in_scope(user, article: Article) -> bool:
    return has_all_agencies(user) or article.agency_id in user_agency_ids(user)


def can_view(user, article: Article) -> bool:
    return (
        user.is_active
        and (user.has_perm("news.view_article") or user.has_perm("news.change_article"))
        and in_scope(user, article)
    )


def can_review_translation(user, article: Article) -> bool:
    """Editors review any translation; a press officer only their agency's, while editable."""
    if not (user.is_active and in_scope(user, article)):
        return False
    return user.has_perm(PERM_REVIEW) or can_edit(user, article)


def is_editor(user) -> bool:
    """Editors review and publish, and may edit an article in any state but archived."""
    return user.has_perm(PERM_REVIEW) or user.has_perm(PERM_PUBLISH)


def can_edit(user, article: Article) -> bool:
    if not (user.is_active and user.has_perm("news.change_article") and in_scope(user, article)):
        return False
    return article.status in (EDITOR_EDITABLE if is_editor(user) else AUTHOR_EDITABLE)


def import_may_update(article: Article) -> bool:
    """Whether an import (no person acting) may still change this article."""
    return article.status in IMPORT_UPDATABLE


def edit_refusal(user, article: Article) -> WorkflowError | None:
    """Why this user may not edit this article now, or None when they may."""
    if can_edit(user, article):
        return None
    if not in_scope(user, article):
        return WorkflowError(
            _("You can only edit articles of your own agencies."), code="agency_scope"
        )
    return WorkflowError(
        _("An article that is %(status)s cannot be edited by you.")
        % {"status": article.get_status_display()},
        code="not_editable",
    )


def check_edit(user, article_pk: int, expected_version: int | None) -> Article:
    """Lock the stored article and refuse a person's edit that would overwrite another's.

    Call inside the transaction that saves the edit: the row stays locked until commit. An
    edit that does not say which version it was made on is refused: it cannot be checked.
    """
    current = Article.objects.select_for_update().get(pk=article_pk)
    if expected_version is None:
        raise WorkflowError(
            _(
                "The page did not say which version of the article you edited, so your "
                "changes were not saved: reload the page, then edit again."
            ),
            code="missing_version",
        )
    if current.version != expected_version:
        raise WorkflowError(
            _(
                "Someone else saved this article while you were editing it. Your changes "
                "were not saved: reload the page to see their version, then edit again."
            ),
            code="edit_conflict",
        )
    refusal = edit_refusal(user, current)
    if refusal:
        raise refusal
    return current


# --- transitions ----------------------------------------------------------------------


def check_transition(user, article: Article, transition: Transition) -> None:
    """Raise WorkflowError unless `user` may take `transition` on `article` as it is now."""
    if not (user.is_active and user.has_perm(transition.permission)):
        raise WorkflowError(
            _("You do not have permission to %(action)s articles.")
            % {"action": str(transition.label).lower()},
            code="permission_denied",
        )
    if not in_scope(user, article):
        raise WorkflowError(
            _("You can only work on articles of your own agencies."), code="agency_scope"
        )
    if article.status not in transition.sources:
        raise WorkflowError(
            _("“%(action)s” is not possible for an article that is %(status)s.")
            % {"action": transition.label, "status": article.get_status_display()},
            code="invalid_state",
        )
    if transition.name == "approve" and not settings.PRESSROOM_ALLOW_SELF_APPROVAL:
        check_four_eyes(user, article)
    if transition.name == "withdraw":
        check_withdrawer(user, article)


def check_withdrawer(user, article: Article) -> None:
    """Only the release's author, or whoever submitted it last, takes it back from review:
    the review queue is not another officer's to empty."""
    if article.author_id == user.pk:
        return
    submitted = (
        ArticleTransition.objects.filter(article_id=article.pk, name="submit")
        .order_by("-created_at", "-id")
        .values_list("actor_id", flat=True)
        .first()
    )
    if submitted != user.pk:
        raise WorkflowError(
            _("Only the person who submitted this article, or its author, can withdraw it."),
            code="not_submitter",
        )


def check_four_eyes(user, article: Article) -> None:
    """Refuse the approval of a release by the person who wrote it or imported it."""
    if article.author_id == user.pk:
        raise WorkflowError(
            _("You cannot approve an article you wrote; another editor must review it."),
            code="self_approval",
        )
    if imported_by(user, article):
        raise WorkflowError(
            _("You cannot approve a release you imported; another editor must review it."),
            code="self_approval",
        )


def imported_by(user, article: Article) -> bool:
    """Whether `user` started an import that brought this release in, updated it, or kept a
    newer version of it (ImportRun.triggered_by): for the four-eyes rule, its author."""
    return (
        ArticleTransition.objects.filter(
            article_id=article.pk, name__in=IMPORT_STEPS, actor_id=user.pk
        ).exists()
        or ImportItem.objects.filter(article_id=article.pk, run__triggered_by_id=user.pk).exists()
    )


def check_prepublish(
    article: Article, transition: Transition, *, override_reason: str = "", system=False
) -> list[checks.Check]:
    """Refuse a step towards publication while a blocking check fails, or while warnings
    fail and no reason to go ahead anyway is given; returns the warnings overridden.

    The system (scheduled publishing) is refused only by blocking checks: the warnings were
    accepted, with a reason, by whoever scheduled the release.
    """
    if transition.name not in checks.STEPS_CHECKED:
        return []
    found = checks.prepublish_checks(checks.with_check_relations([article])[0])
    refusing = checks.blocking(found)
    if refusing:
        raise WorkflowError(
            _("“%(action)s” is refused until this is put right: %(checks)s")
            % {"action": transition.label, "checks": checks.describe(refusing)},
            code="prepublish_blocked",
            checks=refusing,
        )
    warned = checks.warnings(found)
    if warned and not system and not override_reason.strip():
        raise WorkflowError(
            _("Check this before “%(action)s”: %(checks)s To go ahead anyway, say why.")
            % {"action": transition.label, "checks": checks.describe(warned)},
            code="prepublish_warnings",
            checks=warned,
        )
    return warned if not system else []


def available_transitions(user, article: Article) -> list[Transition]:
    available = []
    for transition in TRANSITIONS.values():
        try:
            check_transition(user, article, transition)
        except WorkflowError:
            continue
        available.append(transition)
    return available


@transaction.atomic
def apply_transition(
    name: str,
    *,
    article: Article,
    user=None,
    comment: str = "",
    publish_at: datetime | None = None,
    override_reason: str = "",
    distribute_under_embargo: bool | None = None,
) -> Article:
    """Take transition `name`; `user=None` means the system acts (scheduled publishing).

    Approving, scheduling and publishing run news.checks: `override_reason` is why the person
    goes ahead despite its warnings, recorded on the step with the warnings' codes.
    Scheduling stores `distribute_under_embargo` with the time (None keeps what the release
    had: moving it on the calendar does not change who receives it early).
    """
    try:
        transition = TRANSITIONS[name]
    except KeyError:
        raise WorkflowError(
            _("Unknown workflow action “%(name)s”.") % {"name": name}, code="unknown_transition"
        ) from None
    locked = Article.objects.select_for_update().get(pk=article.pk)
    if user is None:
        if locked.status not in transition.sources:
            raise WorkflowError(
                _("“%(action)s” is not possible for an article that is %(status)s.")
                % {"action": transition.label, "status": locked.get_status_display()},
                code="invalid_state",
            )
    else:
        check_transition(user, locked, transition)
    comment = (comment or "").strip()
    if transition.comment_required and not comment:
        raise WorkflowError(
            _("Please give a reason for “%(action)s”.") % {"action": transition.label},
            code="comment_required",
        )

    now = timezone.now()
    from_status = locked.status
    if transition.target == Status.SCHEDULED:
        if publish_at is None or publish_at <= now:
            raise WorkflowError(
                _("Choose a publication time in the future."), code="invalid_publish_at"
            )
        locked.publish_at = publish_at
        if distribute_under_embargo is not None:
            locked.distribute_under_embargo = distribute_under_embargo
    elif name == "unschedule":
        locked.publish_at = None
    elif transition.target == Status.PUBLISHED:
        locked.published_at = locked.published_at or now
    override_reason = (override_reason or "").strip()
    overridden = check_prepublish(
        locked, transition, override_reason=override_reason, system=user is None
    )

    locked.status = transition.target
    locked._history_user = user
    locked._change_reason = f"{transition.name}: {comment}" if comment else transition.name
    locked.save()
    step = ArticleTransition.objects.create(
        article=locked,
        name=transition.name,
        from_status=from_status,
        to_status=transition.target,
        actor=user,
        comment=comment,
        overridden_checks=[check.code for check in overridden],
        override_reason=override_reason if overridden else "",
        created_at=now,
    )

    # With the task queue down the transition still stands; its emails are left out, logged.
    transaction.on_commit(
        lambda: queue.enqueue("news.tasks.send_transition_notifications", (step.pk,))
    )
    transaction.on_commit(lambda: signals.release_stepped.send_robust(sender=Article, step=step))
    article.refresh_from_db()
    return locked


def publish_due_articles(*, now: datetime | None = None) -> list[int]:
    """Publish every scheduled article whose time has come; returns their ids.

    A release that fails a blocking check at its time (an edit emptied it, a machine
    translation lost its review, the setting changed) is not published: it goes back to
    approved with the checks in the step's comment, for an editor to put right and schedule
    again. Left scheduled it would be public anyway (Article.objects.published() lifts the
    embargo by time) and be retried every minute.
    """
    now = now or timezone.now()
    due = Article.objects.filter(status=Status.SCHEDULED, publish_at__lte=now)
    published = []
    for article in due.only("pk").order_by("publish_at"):
        try:
            apply_transition("publish", article=article, comment=str(_("Scheduled publication")))
        except WorkflowError as error:
            if error.code == "prepublish_blocked":
                _return_to_approved(article, error.checks)
            continue  # otherwise rescheduled or pulled back between the query and the lock
        published.append(article.pk)
    return published


def _return_to_approved(article: Article, failed: list[checks.Check]) -> None:
    comment = _("Not published at its time: %(checks)s") % {"checks": checks.describe(failed)}
    # Refused only when a person moved it meanwhile: theirs is the newer decision.
    with suppress(WorkflowError):
        apply_transition("unschedule", article=article, comment=str(comment))


@dataclass
class BulkResult:
    succeeded: list[Article]
    refused: list[tuple[Article, WorkflowError]]


def apply_bulk(name: str, *, articles, user, comment: str = "") -> BulkResult:
    """Apply a transition to each article on its own; one refusal never blocks the rest."""
    result = BulkResult(succeeded=[], refused=[])
    for article in articles:
        try:
            apply_transition(name, article=article, user=user, comment=comment)
        except WorkflowError as error:
            result.refused.append((article, error))
        else:
            result.succeeded.append(article)
    return result


def file_imported_articles(*, articles, comment: str = "", importer=None, run=None):
    """Record that the system filed freshly imported articles in the review queue, in one
    query for a whole chunk of an import.

    The importer creates them already in review; this is their first workflow step, and its
    actor the person who started the import (None for a scheduled one), who may therefore
    not approve them. Editors are not emailed per release: an import brings hundreds at
    once, and the review queue on the admin index counts them. The step names the import
    `run`, whose page lists what it created.
    """
    return _filed_by_system(
        articles,
        "import",
        comment,
        _("Only an article filed in review can be recorded as imported."),
        actor=importer,
        import_run=run,
    )


def record_import_update(*, article: Article, comment: str = "", importer=None, run=None):
    """Record that an import replaced the text of an article nobody has approved yet; the
    person who started it (None for a scheduled import) may then not approve it."""
    if not import_may_update(article):
        raise WorkflowError(
            _("An import cannot change an article that is %(status)s.")
            % {"status": article.get_status_display()},
            code="invalid_state",
        )
    return ArticleTransition.objects.create(
        article=article,
        name="reimport",
        from_status=article.status,
        to_status=article.status,
        actor=importer,
        comment=comment,
        import_run=run,
    )


def file_machine_translation(*, article: Article, comment: str = "") -> ArticleTransition:
    """Record that the system filed a new machine translation in the review queue; like an
    import, nobody is emailed per article."""
    return _filed_by_system(
        [article],
        "translate",
        comment,
        _("Only a translation filed in review can be recorded as translated."),
    )[0]


def _filed_by_system(
    articles, name, comment, refusal, actor=None, import_run=None
) -> list[ArticleTransition]:
    if any(article.status != Status.IN_REVIEW for article in articles):
        raise WorkflowError(refusal, code="invalid_state")
    return ArticleTransition.objects.bulk_create(
        ArticleTransition(
            article=article,
            name=name,
            from_status=Status.DRAFT,
            to_status=Status.IN_REVIEW,
            actor=actor,
            comment=comment,
            import_run=import_run,
        )
        for article in articles
    )
