"""Releases sent to accredited journalists before their time, and what they are told when
the embargo changes.

One service, `reconcile`, brings what journalists were told in line with the release as it
is now, whatever step brought it there and in whatever order the steps' tasks run:

- scheduled, with "distribute under embargo": every current accreditation following its
  region (districts included), agency or tags that has not received it gets it now;
- scheduled at another time than a journalist was told: they are told the new time, with
  a new personal link (the old one no longer opens);
- no longer scheduled and not public (withdrawn, unscheduled, returned for changes) before
  its embargo: each journalist who received it is told, once;
- published before the time journalists were told ("Publish now"): the embargo is lifted,
  and each is told, once, with the public address.

Emails go through outreach.delivery, idempotent per (release, recipient, kind): each kind
names the embargo time it is about, so a release withdrawn and scheduled again is sent
again, while a retried task sends nobody anything twice. The Distribution rows are written
after delivery, so a failed batch is simply reconciled again.
"""

from datetime import datetime

from django.conf import settings
from django.core import mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format

from media_library import display
from media_library.models import lead_photo_of
from news.models import Article, ArticleTransition
from news.notifications import full_url, render_subject, render_text
from news.plaintext import html_to_text
from outreach.delivery import Outgoing, deliver
from public.selectors import canonical_path

from . import links
from .models import Accreditation, Distribution

Status = Article.Status
# The language versions a journalist may receive in place of the scheduled one: texts an
# editor has let through (a draft translation is nobody's to send).
SENDABLE_VERSIONS = (Status.APPROVED, Status.SCHEDULED, Status.PUBLISHED)


def concerns_journalists(step: ArticleTransition) -> bool:
    """Whether a workflow step may change what journalists are told: scheduling, or a
    scheduled release leaving its schedule (withdrawn, or published: at its time, or early)."""
    return step.name == "schedule" or step.from_status == Status.SCHEDULED


def reconcile(article_id: int, now: datetime | None = None) -> int:
    """Tell journalists what changed about the release; returns how many emails went."""
    now = now or timezone.now()
    article = (
        Article.objects.select_related("region", "agency", "lead_image__image")
        .filter(pk=article_id)
        .first()
    )
    if article is None:
        return 0
    if Article.objects.published(now).filter(pk=article.pk).exists():
        return announce_lift(article)
    if article.status == Status.SCHEDULED:
        sent = announce_moves(article)
        if article.distribute_under_embargo:
            sent += distribute(article)
        return sent
    return announce_withdrawal(article, now)


def distribute(article: Article) -> int:
    """Send the release to the followers who have not received it under its current time."""
    told = Distribution.objects.filter(
        article=article, embargo_until=article.publish_at, withdrawn_at__isnull=True
    ).values("accreditation_id")
    recipients = list(Accreditation.objects.following(article).exclude(pk__in=told))
    if not recipients:
        return 0
    versions = versions_of(article)
    chosen = {
        accreditation.pk: version_for(accreditation, article, versions)
        for accreditation in recipients
    }
    sent = _deliver(
        article,
        f"embargo:{article.publish_at.isoformat()}",
        [
            Outgoing(
                accreditation.email,
                _builder("embargo", accreditation, article, chosen[accreditation.pk]),
            )
            for accreditation in recipients
        ],
    )
    now = timezone.now()
    Distribution.objects.bulk_create(
        [
            Distribution(
                accreditation=accreditation,
                article=article,
                version=chosen[accreditation.pk],
                embargo_until=article.publish_at,
                sent_at=now,
                withdrawn_at=None,
            )
            for accreditation in recipients
        ],
        update_conflicts=True,
        unique_fields=["accreditation", "article"],
        update_fields=["version", "embargo_until", "sent_at", "withdrawn_at"],
    )
    return sent


def announce_moves(article: Article) -> int:
    """Tell those who received the release under another time of the new one."""
    moved = list(
        Distribution.objects.filter(article=article, withdrawn_at__isnull=True)
        .exclude(embargo_until=article.publish_at)
        .select_related("accreditation", "version")
    )
    moved = [item for item in moved if item.accreditation.is_current()]
    if not moved:
        return 0
    sent = _deliver(
        article,
        f"embargo_moved:{article.publish_at.isoformat()}",
        [
            Outgoing(
                item.accreditation.email,
                _builder(
                    "moved",
                    item.accreditation,
                    article,
                    item.version,
                    previously=item.embargo_until,
                ),
            )
            for item in moved
        ],
    )
    Distribution.objects.filter(pk__in=[item.pk for item in moved]).update(
        embargo_until=article.publish_at
    )
    return sent


def announce_withdrawal(article: Article, now: datetime) -> int:
    """Tell those who received the release, while its embargo still held, that it is
    withdrawn: what they hold must not be published."""
    withdrawn = list(
        Distribution.objects.filter(
            article=article, withdrawn_at__isnull=True, embargo_until__gt=now
        ).select_related("accreditation", "version")
    )
    if not withdrawn:
        return 0
    by_embargo: dict[datetime, list[Distribution]] = {}
    for item in withdrawn:
        by_embargo.setdefault(item.embargo_until, []).append(item)
    sent = 0
    for embargo_until, items in by_embargo.items():
        sent += _deliver(
            article,
            f"embargo_withdrawn:{embargo_until.isoformat()}",
            [
                Outgoing(
                    item.accreditation.email,
                    _builder(
                        "withdrawn",
                        item.accreditation,
                        article,
                        item.version,
                        previously=embargo_until,
                    ),
                )
                for item in items
                if item.accreditation.is_current()
            ],
        )
    Distribution.objects.filter(pk__in=[item.pk for item in withdrawn]).update(withdrawn_at=now)
    return sent


def announce_lift(article: Article) -> int:
    """Tell those who hold the release under a later time that it was published early:
    they need not wait. Published at (or after) its time, it tells nobody anything."""
    if article.published_at is None:
        return 0  # public because its time has passed, before the beat published it
    early = list(
        Distribution.objects.filter(
            article=article, withdrawn_at__isnull=True, embargo_until__gt=article.published_at
        ).select_related("accreditation", "version")
    )
    current = [item for item in early if item.accreditation.is_current()]
    sent = _deliver(
        article,
        f"embargo_lifted:{article.published_at.isoformat()}",
        [
            Outgoing(
                item.accreditation.email,
                _builder(
                    "lifted",
                    item.accreditation,
                    article,
                    item.version,
                    previously=item.embargo_until,
                ),
            )
            for item in current
        ],
    )
    Distribution.objects.filter(pk__in=[item.pk for item in early]).update(
        embargo_until=article.published_at
    )
    return sent


def _deliver(article: Article, kind: str, outgoing: list[Outgoing]) -> int:
    if not outgoing:
        return 0
    return deliver(release=article, kind=kind, outgoing=outgoing)


# --- what each journalist receives ---------------------------------------------------------


def versions_of(article: Article) -> dict[str, Article]:
    """The release's language versions that may be sent, by language."""
    found = (
        Article.objects.filter(translation_group=article.translation_group)
        .filter(Q(status__in=SENDABLE_VERSIONS) | Q(pk=article.pk))
        .select_related("agency", "region__parent", "lead_image__image")
    )
    return {version.language: version for version in found}


def version_for(accreditation: Accreditation, article: Article, versions: dict) -> Article:
    """The version in the first of the journalist's languages that has one, else the
    release as scheduled."""
    for language in accreditation.languages:
        if language in versions:
            return versions[language]
    return article


def email_language(accreditation: Accreditation, version: Article) -> str:
    """Written in the version's language when the journalist reads it, else in theirs."""
    if version.language in accreditation.languages:
        return version.language
    return accreditation.email_language


def _builder(template: str, accreditation, article, version, previously=None):
    def build() -> mail.EmailMessage:
        return compose(template, accreditation, article, version, previously=previously)

    return build


def compose(
    template: str,
    accreditation: Accreditation,
    article: Article,
    version: Article,
    *,
    previously: datetime | None = None,
) -> mail.EmailMultiAlternatives:
    """One email of `template` (embargo, moved, withdrawn, lifted) to one journalist, text
    and HTML.

    Renders templates/accreditation/email/<template>_subject.txt, _body.txt, _body.html.
    """
    language = email_language(accreditation, version)
    # A withdrawn release has no time left and its link opens nothing: the notice has none;
    # a lifted embargo points to the public page.
    token = (
        links.make_token(accreditation, article, version)
        if template in ("embargo", "moved")
        else ""
    )
    lead_photo = lead_photo_of(version) if template == "embargo" else None
    with translation.override(language):
        if token:
            link_url = full_url(links.preview_path(token, language))
        elif template == "lifted":
            link_url = full_url(_public_path(article, version))
        else:
            link_url = ""
        context = {
            "accreditation": accreditation,
            "article": version,
            "language": language,
            "embargo_until": _almaty(article.publish_at) if token else "",
            "published_at": _almaty(article.published_at) if article.published_at else "",
            "previously": _almaty(previously) if previously else "",
            "link_url": link_url,
            "body_text": html_to_text(version.body),
            "lead_photo": lead_photo,
            "lead_photo_url": _photo_url(lead_photo, token, language) if lead_photo else "",
        }
        subject = render_subject(f"accreditation/email/{template}_subject.txt", context)
        text = render_text(f"accreditation/email/{template}_body.txt", context)
        html = render_to_string(
            f"accreditation/email/{template}_body.html", {**context, "subject": subject}
        )
    message = mail.EmailMultiAlternatives(
        subject, text, from_email=settings.DEFAULT_FROM_EMAIL, to=[accreditation.email]
    )
    message.attach_alternative(html, "text/html")
    return message


def _public_path(article: Article, version: Article) -> str:
    """The release's public page, in the version the journalist received if it is public."""
    shown = version if Article.objects.published().filter(pk=version.pk).exists() else article
    return canonical_path(shown)


def _almaty(moment: datetime) -> str:
    """The time as journalists read it: in Asia/Almaty, in the email's language."""
    local = timezone.localtime(moment, timezone.get_default_timezone())
    # Day.month.year and 24-hour time read the same in Kazakh, Russian and English.
    return f"{date_format(local, 'd.m.Y H:i')} (Asia/Almaty)"


def _photo_url(image, token: str, language: str) -> str:
    """The lead photo at the text's width, through the journalist's link."""
    public = display.rendition_url(image, "w800")
    private_prefix = links.media_prefix(token, "image", image.key, language)
    return full_url(private_prefix + public.rsplit("/", 1)[1])
