"""Comparing an article with one of its stored revisions, and restoring a revision."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .editing import article_update
from .models import Article

# Content a person wrote; workflow state, dates of publication and identity stay as they are.
RESTORABLE_FIELDS = (
    "title",
    "lead",
    "body",
    "language",
    "region",
    "release_date",
    "source_url",
)


@dataclass(frozen=True)
class FieldComparison:
    name: str
    label: str
    revision_value: str
    current_value: str

    @property
    def changed(self) -> bool:
        return self.revision_value != self.current_value


def _display(article_like, field_name: str) -> str:
    field = Article._meta.get_field(field_name)
    if field.is_relation:
        related = getattr(article_like, field_name)
        return str(related) if related is not None else ""
    if field.choices:
        value = getattr(article_like, field.attname)
        return str(dict(field.flatchoices).get(value, value))
    value = getattr(article_like, field.attname)
    if value is None:
        return ""
    return formats.localize(value) if not isinstance(value, str) else value


def compare_with_revision(article: Article, revision) -> list[FieldComparison]:
    revision_article = revision.instance
    return [
        FieldComparison(
            name=name,
            label=str(Article._meta.get_field(name).verbose_name),
            revision_value=_display(revision_article, name),
            current_value=_display(article, name),
        )
        for name in RESTORABLE_FIELDS
    ]


@transaction.atomic
def restore_revision(*, article: Article, revision_id: int, user, expected_version: int | None):
    """Bring back a revision's content as a new edit, under the same rules as any edit
    (news.editing.article_update), the release's other versions kept in step."""
    revision = article.history.get(history_id=revision_id)
    return article_update(
        article=article,
        user=user,
        changes={
            name: getattr(revision, Article._meta.get_field(name).attname)
            for name in RESTORABLE_FIELDS
        },
        expected_version=expected_version,
        reason=_("Restored the revision of %(date)s")
        % {"date": formats.localize(timezone.localtime(revision.history_date))},
    )
