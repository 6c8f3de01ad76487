"""What each import failure code means, in the reader's language.

The fetcher and the parsers (news.importing) stay free of Django, so the details they
report (an address, a status, a line number) are stored in English as they wrote them;
the admin and the administrators' email put the reason for the code, translated, before
that detail.
"""

from django.utils.translation import gettext_lazy as _

REASONS = {
    "bad_url": _("The source's address is not valid."),
    "binary": _("The file is not text."),
    "body_truncated": _(
        "The release was too long for an article: its body was cut, and its whole text is "
        "kept here."
    ),
    "connection": _("The source could not be reached."),
    "duplicate_in_input": _("The same release appears twice in the input."),
    "empty": _("The input holds no releases."),
    "empty_entry": _("A feed entry has no title and no text."),
    "forbidden_address": _(
        "The source's address leads into a private or internal network; imports may only use "
        "public addresses."
    ),
    "interrupted": _("The import stopped before it finished."),
    "malformed": _("The input could not be read."),
    "malformed_feed": _("The feed is malformed."),
    "malformed_item": _("A release in the input is malformed."),
    "new_version": _("The source changed a release that a person has edited."),
    "no_releases": _("No release could be read in the input: no title with its date was found."),
    "not_found": _("The source's address was not found."),
    "orphan_text": _("Text outside any release was set aside."),
    "path_not_allowed": _("The source's file is outside the folder files may be imported from."),
    "photo_forbidden_address": _(
        "The release's photo is on a private or internal network; imports may only fetch "
        "from public addresses. The release was imported without it."
    ),
    "photo_no_agency": _(
        "The release has no agency, so its photo was not stored. The release was imported "
        "without it."
    ),
    "photo_not_stored": _(
        "The release's photo could not be stored in the media library. The release was "
        "imported without it."
    ),
    "photo_refused": _(
        "The release's photo is not a picture that can be used (not an image, an SVG drawing, "
        "or far too many pixels). The release was imported without it."
    ),
    "photo_too_large": _(
        "The release's photo is larger than a photo may be. The release was imported without it."
    ),
    "photo_unreachable": _(
        "The release's photo could not be fetched. The release was imported without it."
    ),
    "queue_unavailable": _("The task queue was unavailable; the import is sent again."),
    "rate_limited": _("The source asked to wait before asking again."),
    "refused": _("The source refused the request."),
    "release_unreadable": _(
        "A date in the digest has no title beside it, so its text was set aside as it was."
    ),
    "server_error": _("The source answered with a server error."),
    "task_failed": _("The import task failed."),
    "timeout": _("The source did not answer in time."),
    "too_large": _("The input is larger than allowed."),
    "unknown_format": _("The format of the input was not recognised."),
}


def import_reason(code: str) -> str:
    """The reason for `code` in the active language; empty for a code without one."""
    reason = REASONS.get(code)
    return str(reason) if reason else ""
