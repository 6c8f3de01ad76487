"""The pre-publish checks of a release: what must be right before it is approved, scheduled
or published, in one place.

A blocking check refuses the step (news.workflow); any other is a warning the person taking
the step may accept with a reason ("publish anyway"), recorded on the step. The admin shows
the same list at the top of the release's form and on the step's page.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import prefetch_related_objects
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from media_library.models import lead_photo_of

from .flags import Flag
from .models import Article

# What a check needs besides the article's own columns; prefetched once, so the checks of
# a release cost the same few queries whatever it carries.
CHECK_RELATIONS = ("agency", "flags", "lead_image__image", "gallery__image", "translation_record")

# Longer than gov.kz's own headlines (60–120 characters) with room to spare, and still
# short enough for a search result or a social card to show most of it: past this, a
# "title" is nearly always the lead's first sentence pasted in.
TITLE_MAX_CHARS = 150

# Flags that mean the release is not what it should be until a person has dealt with them
# (and deleted the flag): no body, or an agency nobody has confirmed. The others ask for a
# look; a region may be missing for a national body, a title may be meant as it is.
BLOCKING_FLAGS = frozenset({Flag.AGENCY_UNRESOLVED, Flag.EMPTY_BODY})
# A flag whose own check below says the same thing while it still holds; shown once.
FLAG_SAME_AS_CHECK = {Flag.EMPTY_BODY: "empty_body", Flag.AGENCY_UNRESOLVED: "no_agency"}

STEPS_CHECKED = frozenset({"approve", "schedule", "publish"})


@dataclass(frozen=True)
class Check:
    """One thing wrong with a release: a code, a message a press officer understands, and
    whether it refuses the step outright."""

    code: str
    message: str
    blocking: bool


# What a check is called where only its code was kept (a step's overridden checks).
CHECK_LABELS = {
    "no_agency": _("no agency"),
    "no_region": _("no region"),
    "empty_body": _("empty body"),
    "empty_lead": _("empty lead"),
    "title_too_long": _("title too long"),
    "title_is_sentence": _("title is a sentence"),
    "photo_alt_missing": _("photos without alt text"),
    "unreviewed_machine_translation": _("unreviewed machine translation"),
}


def check_label(code: str) -> str:
    if code.startswith("flag_") and code[5:] in Flag.values:
        return _("flag “%(flag)s”") % {"flag": Flag(code[5:]).label}
    return CHECK_LABELS.get(code, code)


def with_check_relations(articles):
    """Load what the checks read for an article or a list of them (a queryset or objects)."""
    if hasattr(articles, "prefetch_related"):
        return articles.prefetch_related(*CHECK_RELATIONS)
    prefetch_related_objects(list(articles), *CHECK_RELATIONS)
    return articles


def prepublish_checks(article: Article) -> list[Check]:
    """What is wrong with `article` before it goes live: blocking checks first."""
    checks = [
        *_content_checks(article),
        *_photo_checks(article),
        *_translation_checks(article),
    ]
    fired = {check.code for check in checks}
    for flag in article.flags.all():
        if FLAG_SAME_AS_CHECK.get(flag.code) in fired:
            continue
        checks.append(
            Check(
                f"flag_{flag.code}",
                _("Open flag “%(flag)s”: %(note)s")
                % {"flag": flag.get_code_display(), "note": flag.note},
                flag.code in BLOCKING_FLAGS,
            )
        )
    return sorted(checks, key=lambda check: not check.blocking)


def blocking(checks: list[Check]) -> list[Check]:
    return [check for check in checks if check.blocking]


def warnings(checks: list[Check]) -> list[Check]:
    return [check for check in checks if not check.blocking]


def describe(checks: list[Check]) -> str:
    """The checks' messages as one sentence list, for an error or a step's record."""
    return " ".join(str(check.message) for check in checks)


def _content_checks(article: Article):
    if article.agency_id is None:
        yield Check("no_agency", _("No agency: choose the agency that issued the release."), True)
    elif article.region_id is None and article.agency.region_id is not None:
        # A ministry's release is national and has no region; a regional akimat's has one.
        yield Check(
            "no_region",
            _("No region, although the agency is a regional one: choose the region."),
            False,
        )
    if not strip_tags(article.body).strip():
        yield Check("empty_body", _("The body is empty."), True)
    if not article.lead.strip():
        yield Check("empty_lead", _("The lead is empty."), False)
    title = article.title.strip()
    if len(title) > TITLE_MAX_CHARS:
        yield Check(
            "title_too_long",
            _(
                "The title is %(length)d characters long; keep it under %(limit)d, and put "
                "the rest in the lead."
            )
            % {"length": len(title), "limit": TITLE_MAX_CHARS},
            False,
        )
    if title.endswith(".") and not title.endswith(".."):
        yield Check(
            "title_is_sentence",
            _("The title ends with a full stop, like a sentence: a headline has none."),
            False,
        )


def _photo_checks(article: Article):
    lead = lead_photo_of(article)
    photos = ([lead] if lead else []) + [item.image for item in article.gallery.all()]
    undescribed = sum(1 for photo in photos if not photo.alt_in(article.language))
    if undescribed:
        yield Check(
            "photo_alt_missing",
            ngettext(
                "%(count)d photo has no alt text in the release's language.",
                "%(count)d photos have no alt text in the release's language.",
                undescribed,
            )
            % {"count": undescribed},
            False,
        )


def _translation_checks(article: Article):
    allowed = settings.PRESSROOM_PUBLISH_UNREVIEWED_MACHINE_TRANSLATIONS  # the page then says so
    if article.is_machine_translated and not allowed:
        yield Check(
            "unreviewed_machine_translation",
            _(
                "This is a machine translation no one has reviewed yet. Compare it with the "
                "original and mark it reviewed before it is published."
            ),
            True,
        )
