"""A release's revisions: what changed between two of them, word by word, how each is
described in the history, and restoring one.

The comparison is pure: `snapshot` reads a revision (or the article) into the text a person
reads, and `compare` and `summarize` work on those snapshots alone.
"""

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from .editing import article_update
from .models import Article
from .plaintext import html_to_text
from .workflow import TRANSITIONS, WorkflowError

Status = Article.Status

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
# Compared word by word; the others are values, compared whole.
TEXT_FIELDS = frozenset({"title", "lead", "body"})
# What the history says changed in each revision: the content and the workflow's state.
# Left out: keys no one reads (fingerprints, hashes, the translation group) and the
# timestamps every save moves.
HISTORY_FIELDS = (
    *RESTORABLE_FIELDS,
    "status",
    "publish_at",
    "published_at",
    "agency",
    "slug",
    "sources",
    "attribution",
    "author",
    "source_key",
    "external_id",
)
# A restore changes what readers see at once (published) or at the scheduled time.
PUBLIC_STATES = frozenset({Status.PUBLISHED, Status.SCHEDULED})
RESTORE_REASON = "restore"


# --- reading a revision ---------------------------------------------------------------


def snapshot(article_like, fields: Sequence[str] = RESTORABLE_FIELDS) -> dict[str, str]:
    """The `fields` of an article or a historical record as a person reads them, in the
    active language: choices by their label, related objects by name, times in the
    site's time zone, the body as its text (news.plaintext.html_to_text).

    Related objects are read from `article_like`: select them with it."""
    return {name: _display(article_like, name) for name in fields}


def _display(article_like, field_name: str) -> str:
    field = Article._meta.get_field(field_name)
    if field.is_relation:
        related = getattr(article_like, field_name)
        return str(related) if related is not None else ""
    value = getattr(article_like, field.attname)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if value is None:
        return ""
    if field_name == "body":
        return html_to_text(value)
    if isinstance(value, list):
        return "\n".join(str(each) for each in value)
    if isinstance(value, datetime):
        return local_time(value)
    return value if isinstance(value, str) else formats.localize(value)


def local_time(moment: datetime) -> str:
    """A moment as the admin writes it: in the site's time zone (Asia/Almaty), in the
    active language's format."""
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


# --- comparing ------------------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    """A run of text that both versions have ("equal"), or only the new ("insert") or
    only the old ("delete")."""

    kind: str
    text: str


@dataclass(frozen=True)
class FieldDiff:
    name: str
    label: str
    old: str
    new: str
    segments: tuple[Segment, ...]

    @property
    def changed(self) -> bool:
        return self.old != self.new


def compare(
    old: Mapping[str, str], new: Mapping[str, str], fields: Sequence[str] = RESTORABLE_FIELDS
) -> list[FieldDiff]:
    """How each of `fields` differs between two snapshots: text fields word by word,
    values whole (the old one deleted, the new one inserted)."""
    diffs = []
    for name in fields:
        before, after = old.get(name, ""), new.get(name, "")
        if name in TEXT_FIELDS:
            segments = diff_text(before, after)
        elif before == after:
            segments = [Segment("equal", before)] if before else []
        else:
            segments = [
                Segment(kind, text)
                for kind, text in (("delete", before), ("insert", after))
                if text
            ]
        diffs.append(
            FieldDiff(
                name=name,
                label=field_label(name),
                old=before,
                new=after,
                segments=tuple(segments),
            )
        )
    return diffs


def field_label(name: str) -> str:
    return capfirst(str(Article._meta.get_field(name).verbose_name))


# A word (letters and digits of any script, joined by hyphens and apostrophes as in
# "Нұр-Сұлтан" or "don't"), a run of spaces, a line break, or one other character.
_TOKEN = re.compile(r"\w+(?:[-'’]\w+)*|[^\S\n]+|\n|[^\w\s]", re.UNICODE)
# Words of the paragraphs that differ, old × new, compared at most word by word.
WORD_DIFF_LIMIT = 4_000_000
_PARAGRAPH = re.compile(r"[^\n]*\n|[^\n]+")


def diff_text(old: str, new: str) -> list[Segment]:
    """The word-level difference between two texts, as runs of equal, deleted and
    inserted text that together spell both (the equal and deleted runs `old`, the equal
    and inserted ones `new`).

    Paragraphs are matched first, then the words of the paragraphs that differ: a long
    body compares quickly, and a paragraph moved or rewritten reads as one change rather
    than as words scattered through the text.
    """
    old_lines, new_lines = _PARAGRAPH.findall(old), _PARAGRAPH.findall(new)
    segments: list[Segment] = []
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for operation, i1, i2, j1, j2 in matcher.get_opcodes():
        before, after = "".join(old_lines[i1:i2]), "".join(new_lines[j1:j2])
        if operation == "equal":
            segments.append(Segment("equal", before))
        else:
            segments.extend(_diff_words(before, after))
    return _merged(segments)


def _diff_words(old: str, new: str) -> list[Segment]:
    old_tokens, new_tokens = _TOKEN.findall(old), _TOKEN.findall(new)
    if len(old_tokens) * len(new_tokens) > WORD_DIFF_LIMIT:
        # Matching words takes time in the product of their numbers: a body rewritten
        # from end to end reads as replaced, rather than keeping the page waiting.
        return [Segment("delete", old), Segment("insert", new)]
    matcher = difflib.SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    opcodes = matcher.get_opcodes()
    segments: list[Segment] = []
    for index, (operation, i1, i2, j1, j2) in enumerate(opcodes):
        before, after = "".join(old_tokens[i1:i2]), "".join(new_tokens[j1:j2])
        between_changes = 0 < index < len(opcodes) - 1
        if operation == "equal" and not (between_changes and before.isspace()):
            segments.append(Segment("equal", before))
            continue
        # A lone space between two changed words belongs to the change: "<del>old
        # words</del><ins>new words</ins>", not "<del>old</del><ins>new</ins> <del>…".
        if before:
            segments.append(Segment("delete", before))
        if after:
            segments.append(Segment("insert", after))
    return segments


def _merged(segments: list[Segment]) -> list[Segment]:
    """Adjacent runs of a kind joined, deletions before insertions within a change."""
    merged: list[Segment] = []
    for segment in segments:
        if not segment.text:
            continue
        if merged and merged[-1].kind == segment.kind:
            merged[-1] = Segment(segment.kind, merged[-1].text + segment.text)
        elif (
            segment.kind == "delete"
            and len(merged) >= 2
            and merged[-1].kind == "insert"
            and merged[-2].kind == "delete"
        ):
            merged[-2] = Segment("delete", merged[-2].text + segment.text)
        else:
            merged.append(segment)
    return merged


@dataclass(frozen=True)
class Change:
    """One field a revision changed, as the history lists it: a text field by its name
    alone (the comparison shows its words), a value as old → new."""

    label: str
    old: str
    new: str
    is_text: bool


def summarize(old: Mapping[str, str], new: Mapping[str, str]) -> list[Change]:
    """What changed from the snapshot `old` to `new`, in the order of HISTORY_FIELDS."""
    return [
        Change(label=field_label(name), old=old[name], new=new[name], is_text=name in TEXT_FIELDS)
        for name in HISTORY_FIELDS
        if name in old and name in new and old[name] != new[name]
    ]


# --- why a revision was made ------------------------------------------------------------

_KEPT_IN_STEP = re.compile(
    r"^Kept in step with the (?P<language>\w+) version(?:: (?P<reason>.*))?$", re.S
)
_MACHINE_TRANSLATION = re.compile(r"^Machine translation \((?P<engine>.*)\)$")
_IMPORT_UPDATE = re.compile(r"^Updated by import ?(?P<source>.*)$")
_RESTORE = re.compile(rf"^{RESTORE_REASON}: (?P<id>\d+) (?P<date>\S+)$")


def describe_reason(reason: str | None) -> str:
    """A revision's stored change reason in the reader's language.

    The reasons are stored in English or as codes, whoever wrote them and in whatever
    language ("submit: Ready", "Kept in step with the kk version: restore: 12 …"); unknown
    ones are shown as they are. No reason is an empty text.
    """
    reason = (reason or "").strip()
    if not reason:
        return ""
    name, _colon, comment = reason.partition(": ")
    if name in TRANSITIONS:
        label = str(TRANSITIONS[name].label)
        return f"{label}: {comment}" if comment else label
    if found := _RESTORE.match(reason):
        try:
            restored = datetime.fromisoformat(found["date"])
        except ValueError:
            return reason
        return _("Restored the revision of %(date)s") % {"date": local_time(restored)}
    if found := _KEPT_IN_STEP.match(reason):
        language = found["language"]
        text = _("Kept in step with the %(language)s version") % {
            "language": str(dict(settings.LANGUAGES).get(language, language))
        }
        inner = describe_reason(found["reason"])
        return f"{text}: {inner}" if inner else text
    if found := _MACHINE_TRANSLATION.match(reason):
        return _("Machine translation (%(engine)s)") % {"engine": found["engine"]}
    if reason == "Translated by a person":
        return _("Translated by a person")
    if found := _IMPORT_UPDATE.match(reason):
        source = found["source"]
        return (
            _("Updated by the import %(source)s") % {"source": source}
            if source
            else _("Updated by an import")
        )
    return reason


def restore_reason(revision) -> str:
    """The stored reason of a restore, naming the revision by its id and time; read back
    in the reader's language by describe_reason."""
    return f"{RESTORE_REASON}: {revision.history_id} {revision.history_date.isoformat()}"


# --- restoring --------------------------------------------------------------------------


def changes_public_page(article: Article) -> bool:
    """Whether a restore changes what readers see: now, or at the scheduled time."""
    return article.status in PUBLIC_STATES


@transaction.atomic
def restore_revision(
    *,
    article: Article,
    revision_id: int,
    user,
    expected_version: int | None,
    public_change_confirmed: bool = False,
) -> Article:
    """Bring back a revision's content as a new edit, under the same rules as any edit
    (news.editing.article_update), the release's other versions kept in step; the
    workflow state stays as it is. The history records the restore with the revision it
    came from.

    A release that is published or scheduled changes for its readers: refused with
    WorkflowError (code "confirmation_required") unless `public_change_confirmed`.
    """
    revision = article.history.get(history_id=revision_id)
    # Read under the edit's lock: the release may have been published since the page showed.
    current = Article.objects.select_for_update().get(pk=article.pk)
    if changes_public_page(current) and not public_change_confirmed:
        raise WorkflowError(
            _(
                "This release is %(status)s: restoring changes what readers see. Confirm "
                "that the public page may change, then restore."
            )
            % {"status": current.get_status_display()},
            code="confirmation_required",
        )
    return article_update(
        article=article,
        user=user,
        changes={
            name: getattr(revision, Article._meta.get_field(name).attname)
            for name in RESTORABLE_FIELDS
        },
        expected_version=expected_version,
        reason=restore_reason(revision),
    )
