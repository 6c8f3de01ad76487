"""A person's edit of an article that exists: the one path the admin's change form,
restoring a revision and the side-by-side translation page take.

Not in news.workflow, which this builds on: an edit also keeps the release's other
language versions in step through news.translation.group, which itself depends on
news.workflow. Creating an article and an import's update are other paths.
"""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction

from . import signals
from .models import Article
from .translation import group
from .workflow import WorkflowError, check_edit

TAGS = "tags"


@transaction.atomic
def article_update(
    *,
    article: Article,
    user,
    changes: dict,
    tags=None,
    expected_version: int | None,
    reason: str = "",
) -> Article:
    """Save `user`'s `changes` (field name → value) and `tags` (names; None: as they are)
    to `article` as a new revision that says `reason`, and keep its release's other
    language versions in step; returns the stored article, the caller's one refreshed.

    Refused with WorkflowError, nothing saved, like check_update; and when the changed
    values are invalid (a language another version has, a title of several lines).
    """
    current, changed = _checked(article, user, changes, tags, expected_version)
    if not changed:
        return current
    fields = [name for name in changed if name != TAGS]
    for name in fields:
        field = Article._meta.get_field(name)
        setattr(current, field.attname, _stored(field, changes[name]))
    if fields:
        _validate(current, fields)
    current._history_user = user
    if reason:
        current._change_reason = reason
    current.save()
    if TAGS in changed:
        current.tags.set(sorted(set(tags)))
    # In this transaction: a version the user may not edit takes the whole edit back.
    group.record_edit(article=current, changed_fields=changed, user=user, reason=reason)
    transaction.on_commit(
        lambda: signals.release_edited.send_robust(
            sender=Article, article=current, changed_fields=list(changed)
        )
    )
    if article is not current:
        article.refresh_from_db()
    return current


def check_update(*, article: Article, user, changes: dict, tags=None, expected_version):
    """Raise WorkflowError unless `user` may make these changes to `article` now: the
    workflow's rules for an edit (agency, state, the version the page showed), and no
    shared field changed in a language version the user may not edit.

    The stored article stays locked until the end of the transaction, so a form that checks
    before saving is not overtaken. Returns it.
    """
    return _checked(article, user, changes, tags, expected_version)[0]


def _checked(article, user, changes, tags, expected_version) -> tuple[Article, list[str]]:
    current = check_edit(user, article.pk, expected_version)
    changed = _changed(current, changes, tags)
    if set(changed) & set(group.GROUP_FIELDS):
        values = group.shared_values(current)
        for name in set(changed) & set(group.SHARED_FIELDS):
            values[name] = changes[name]
        if TAGS in changed:
            values[TAGS] = set(tags)
        group.check_shared_change(article=current, values=values, user=user)
    return current, changed


def _changed(current: Article, changes: dict, tags) -> list[str]:
    """The names of the fields `changes` would change, as stored now."""
    changed = []
    for name, value in changes.items():
        field = Article._meta.get_field(name)
        if getattr(current, field.attname) != _stored(field, value):
            changed.append(field.name)
    if tags is not None and set(tags) != set(current.tags.names()):
        changed.append(TAGS)
    return changed


def _stored(field, value):
    """`value` as the column holds it: a related object by its key."""
    if field.is_relation and isinstance(value, models.Model):
        return value.pk
    return value


def _validate(article: Article, fields: list[str]) -> None:
    """Validate the changed fields and the constraints they take part in."""
    others = [field.name for field in Article._meta.concrete_fields if field.name not in fields]
    try:
        article.full_clean(exclude=others)
    except ValidationError as error:
        errors = error.error_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: [error]}
        codes = [each.code for field_errors in errors.values() for each in field_errors]
        raise WorkflowError(" ".join(error.messages), code=codes[0] or "invalid") from error
