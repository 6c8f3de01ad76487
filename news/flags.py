"""What an editor should check on an article: one code each, its label and its note.

The one home of flags: `ArticleFlag.Code` is `Flag`, and the pure import modules use the same
codes. An import stores a flag's code and machine details (a slug, a region, a run); its note
is written from them when shown, in the reader's language, not stored in English.
"""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Flag(models.TextChoices):
    AGENCY_UNRESOLVED = "agency_unresolved", _("agency unresolved")
    REGION_GUESSED = "region_guessed", _("region guessed")
    REGION_UNRESOLVED = "region_unresolved", _("region unresolved")
    EMPTY_BODY = "empty_body", _("empty body")
    LANGUAGE_MISMATCH = "language_mismatch", _("language mismatch")
    LANGUAGE_UNDETERMINED = "language_undetermined", _("language undetermined")
    SUSPECT_TITLE = "suspect_title", _("suspect title")
    DUPLICATE_SUSPECT = "duplicate_suspect", _("possible duplicate")
    DATE_MISSING = "date_missing", _("date missing")
    BODY_TRUNCATED = "body_truncated", _("body truncated")
    NEW_VERSION_PENDING = "new_version_pending", _("newer import waiting")
    IMPORT_WARNING = "import_warning", _("import warning")
    IMPORTED_PHOTO = "imported_photo", _("imported photo needs alt text")


NOTES = {
    Flag.AGENCY_UNRESOLVED: _("No agency could be found in the release's source URL or signature."),
    Flag.REGION_GUESSED: _("The region was guessed from place names in the text."),
    Flag.REGION_UNRESOLVED: _("No region could be found."),
    Flag.EMPTY_BODY: _("The release has no body text."),
    Flag.LANGUAGE_MISMATCH: _("The title and the body are in different languages."),
    Flag.LANGUAGE_UNDETERMINED: _("The language could not be detected."),
    Flag.SUSPECT_TITLE: _("The title looks cut or is a whole sentence."),
    Flag.DUPLICATE_SUSPECT: _("Another article has the same title, date and agency."),
    Flag.DATE_MISSING: _("The release gave no date; the import date was used."),
    Flag.BODY_TRUNCATED: _("The body was too long and was cut."),
    Flag.NEW_VERSION_PENDING: _("A newer version was imported after a person edited this article."),
    Flag.IMPORT_WARNING: _("The import noticed something to check."),
    Flag.IMPORTED_PHOTO: _(
        "The lead photo came with the release; its alt text is only the release's title. "
        "Describe what the photo shows."
    ),
}
# The note that says more, when the import gave the detail it names.
DETAILED_NOTES = {
    (Flag.AGENCY_UNRESOLVED, "new_agency"): _(
        "Agency “%(new_agency)s” was new to Pressroom; it was created inactive for review."
    ),
    (Flag.REGION_GUESSED, "region"): _("Guessed %(region)s from place names in the text."),
    (Flag.LANGUAGE_MISMATCH, "title_language"): _(
        "Title detected as %(title_language)s, body as %(body_language)s."
    ),
    (Flag.BODY_TRUNCATED, "run"): _(
        "The body was too long and was cut; the whole release is kept in import run "
        "#%(run)s (%(item)s)."
    ),
}
SOURCE_LEFT_OUT = _("The source “%(source)s” is not a web address; it was left out.")
TAG_SHORTENED = _("The tag “%(tag)s…” was too long; it was shortened.")


def flag_note(code: str, details: dict) -> str:
    """The note of a flag in the active language, written from its stored details."""
    if "text" in details:
        return details["text"]  # written before notes were translated, kept as it was
    if code == Flag.IMPORT_WARNING:
        return _import_warning(details)
    for (flag, key), note in DETAILED_NOTES.items():
        if flag == code and key in details:
            return str(note) % _in_language(details)
    return str(NOTES.get(code, ""))


def _in_language(details: dict) -> dict:
    """Details as a note shows them: a name given in several languages, in the reader's."""
    language = (get_language() or "en")[:2]
    return {
        key: value.get(language) or value.get("en", "") if isinstance(value, dict) else value
        for key, value in details.items()
    }


def _import_warning(details: dict) -> str:
    # What parsers noticed is their own detail, in English (as news.import_reasons says);
    # what the import itself left out is said in the reader's language.
    parts = list(details.get("warnings", []))
    parts += [str(SOURCE_LEFT_OUT) % {"source": url} for url in details.get("sources_left_out", [])]
    parts += [str(TAG_SHORTENED) % {"tag": tag} for tag in details.get("tags_shortened", [])]
    return " ".join(parts) or str(NOTES[Flag.IMPORT_WARNING])
