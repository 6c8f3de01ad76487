"""The editors' overview: each original against every language, one state per cell.

The same rules decide a cell's state in Python (for the rows shown) and in SQL (to filter
rows by a state), so a filter never shows a row without the state it asked for.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from news.models import Article, TranslationJob

from .service import languages


class CellState(models.TextChoices):
    ORIGINAL = "original", _("original")
    MISSING = "missing", _("missing")
    QUEUED = "queued", _("queued")
    MACHINE = "machine", _("machine")
    EDITED = "edited", _("edited")
    REVIEWED = "reviewed", _("reviewed")
    OUTDATED = "outdated", _("outdated")
    NEEDS_PERSON = "needs_person", _("needs a person")


@dataclass(frozen=True)
class Cell:
    language: str
    state: str
    article: Article | None
    note: str = ""

    @property
    def label(self) -> str:
        return CellState(self.state).label

    @property
    def language_name(self) -> str:
        return dict(settings.LANGUAGES)[self.language]


@dataclass(frozen=True)
class Row:
    original: Article
    cells: list[Cell]


def originals(queryset):
    """Articles that are nobody's translation."""
    return queryset.filter(translation_record__isnull=True)


def rows(page: list[Article]) -> list[Row]:
    """Cells for a page of originals, in two queries whatever the page size."""
    members: dict[tuple, Article] = {}
    for article in (
        Article.objects.filter(translation_group__in={a.translation_group for a in page})
        .select_related("translation_record")
        .defer("body", "lead")
    ):
        members[(article.translation_group, article.language)] = article
    jobs = {
        (job.original_id, job.language): job
        for job in TranslationJob.objects.filter(original__in=page).only(
            "original_id", "language", "status", "error_message"
        )
    }
    return [
        Row(
            original,
            [
                _cell(
                    original,
                    language,
                    members.get((original.translation_group, language)),
                    jobs.get((original.pk, language)),
                )
                for language in languages()
            ],
        )
        for original in page
    ]


def _cell(original, language, member, job) -> Cell:
    if language == original.language:
        return Cell(language, CellState.ORIGINAL, original)
    if job is not None and job.status == TranslationJob.Status.QUEUED:
        return Cell(language, CellState.QUEUED, member)
    needs_person = job is not None and job.status == TranslationJob.Status.NEEDS_PERSON
    note = job.error_message if needs_person else ""
    if member is None:
        return Cell(
            language, CellState.NEEDS_PERSON if needs_person else CellState.MISSING, None, note
        )
    record = member.translation_or_none
    if record is None:
        return Cell(language, CellState.ORIGINAL, member)
    return Cell(language, CellState.OUTDATED if record.outdated else record.state, member, note)


# Every row has its original's cell, so "original" is no filter.
FILTER_STATES = [(state.value, state.label) for state in CellState if state != CellState.ORIGINAL]


def with_state(queryset, state: str):
    """Originals with at least one cell in `state`."""
    condition = Q(pk__in=[])
    for language in languages():
        queued = _job(language, TranslationJob.Status.QUEUED)
        needs_person = _job(language, TranslationJob.Status.NEEDS_PERSON)
        if state == CellState.QUEUED:
            found = queued
        elif state == CellState.MISSING:
            found = ~queued & ~_member(language) & ~needs_person
        elif state == CellState.NEEDS_PERSON:
            found = ~queued & ~_member(language) & needs_person
        elif state == CellState.OUTDATED:
            found = ~queued & _member(language, translation_record__outdated=True)
        else:
            found = ~queued & _member(
                language, translation_record__state=state, translation_record__outdated=False
            )
        condition |= found & ~Q(language=language)
    return originals(queryset).filter(condition)


def _member(language: str, **filters) -> Exists:
    return Exists(
        Article.objects.filter(
            translation_group=OuterRef("translation_group"), language=language, **filters
        )
    )


def _job(language: str, status: str) -> Exists:
    return Exists(
        TranslationJob.objects.filter(original=OuterRef("pk"), language=language, status=status)
    )
