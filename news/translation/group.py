"""A release's language versions kept in step: what they share, and what an edit of one
does to the others (news.editing and imports call it after saving a version)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from news import workflow
from news.importing.dedup import content_hash as _content_hash
from news.models import Article, Translation
from news.signals import rows_changed

from .errors import language_name

State = Translation.State

# Kept identical in every language version of a release.
SHARED_FIELDS = ("agency", "region", "release_date", "source_url", "sources")
GROUP_FIELDS = (*SHARED_FIELDS, "tags")
CONTENT_FIELDS = ("title", "lead", "body")


def content_hash(article: Article) -> str:
    return _content_hash(title=article.title, lead=article.lead, body=article.body)


def record_edit(*, article: Article, changed_fields, user, reason: str = "") -> None:
    """After `user` (None: an import) saved an article: keep its group in step, note that a
    machine translation was edited, and mark the translations of a changed original outdated.

    Raises WorkflowError, before any other version is changed, when keeping the group in
    step would change a version `user` may not edit: call it in the saving transaction.
    """
    changed = set(changed_fields)
    if changed & set(GROUP_FIELDS):
        sync_group(article, user=user, reason=reason)
    if changed & set(CONTENT_FIELDS):
        # An update sends no signal, and public pages read translation records.
        if Translation.objects.filter(article=article, state=State.MACHINE).update(
            state=State.EDITED, updated_at=timezone.now()
        ):
            rows_changed.send(sender=Translation)
        mark_translations_outdated(article)


def mark_translations_outdated(original: Article) -> int:
    """Mark the translations made from another text of `original` outdated; idempotent."""
    marked = (
        Translation.objects.filter(original=original, outdated=False)
        .exclude(original_content_hash=content_hash(original))
        .update(outdated=True, updated_at=timezone.now())
    )
    if marked:  # an update sends no signal, and public pages read translation records
        rows_changed.send(sender=Translation)
    return marked


def shared_values(article: Article) -> dict:
    """What every version of `article`'s release shares, as stored: agency, region, dates,
    sources and tag names."""
    return {field: getattr(article, field) for field in SHARED_FIELDS} | {
        "tags": set(article.tags.names())
    }


def versions_to_sync(article: Article, values: dict) -> list[Article]:
    """The other versions of `article`'s release that sharing `values` would change, locked
    until the end of the transaction."""
    others = (
        Article.objects.select_for_update()
        .filter(translation_group=article.translation_group)
        .exclude(pk=article.pk)
        .order_by("pk")
    )
    return [other for other in others if _differs(other, values)]


def _differs(other: Article, values: dict) -> bool:
    for field in SHARED_FIELDS:
        attname = Article._meta.get_field(field).attname
        if getattr(other, attname) != getattr(values[field], "pk", values[field]):
            return True
    return set(other.tags.names()) != set(values["tags"])


def may_sync_into(user, version: Article) -> bool:
    """Whether `user` (None: an import) may change this version's shared fields: only as
    they may edit it, so no change reaches an approved or published version unreviewed."""
    if user is None:
        return workflow.import_may_update(version)
    return workflow.can_edit(user, version)


def sync_refusal(*, article: Article, values: dict, user) -> workflow.WorkflowError | None:
    """Why `user` may not give `article`'s release these shared `values`, or None.

    Shared fields are the same in every version, so a change that would reach a version the
    user may not edit is refused as a whole: the versions never silently differ.
    """
    for other in versions_to_sync(article, values):
        if not may_sync_into(user, other):
            return _locked_version(user, other)
    return None


def check_shared_change(*, article: Article, values: dict, user) -> None:
    """Raise WorkflowError unless `user` may give `article`'s release these shared values."""
    refusal = sync_refusal(article=article, values=values, user=user)
    if refusal:
        raise refusal


def _locked_version(user, other: Article) -> workflow.WorkflowError:
    names = {"language": language_name(other.language), "status": other.get_status_display()}
    if user is not None and not workflow.is_editor(user):
        message = _(
            "The %(language)s version of this release is %(status)s, and you cannot change "
            "it. Agency, region, release date, sources and tags are the same in every "
            "language version, so an editor must make this change."
        )
    else:
        message = _(
            "The %(language)s version of this release is %(status)s, and you cannot change "
            "it. Agency, region, release date, sources and tags are the same in every "
            "language version: return that version to draft first, then make this change."
        )
    return workflow.WorkflowError(message % names, code="shared_fields_locked")


def sync_group(article: Article, *, user, reason: str = "") -> None:
    """Give every other version of the release this one's agency, region, dates, sources
    and tags, each as a revision by `user` (None: an import) that says why.

    Refused as a whole (WorkflowError, nothing changed) when a version that would change is
    one `user` may not edit.
    """
    values = shared_values(article)
    changing = versions_to_sync(article, values)
    for other in changing:
        if not may_sync_into(user, other):
            raise _locked_version(user, other)
    for other in changing:
        for field in SHARED_FIELDS:
            setattr(other, field, getattr(article, field))
        # Saved even when only the tags differ: the revision records the change and its
        # reason, and the new version number refuses forms opened on the old one.
        other._history_user = user
        other._change_reason = f"Kept in step with the {article.language} version"
        if reason:
            other._change_reason += f": {reason}"
        other.save()
        if set(other.tags.names()) != values["tags"]:
            other.tags.set(sorted(values["tags"]))
