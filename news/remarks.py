"""Editorial remarks: a release's thread of comments, and who a remark mentions.

Anyone who may see a release in the admin may read its remarks and add one. A remark is
never edited or deleted: the thread is part of the release's record. `@username` mentions
a person, who is emailed after commit if they may see the release.
"""

import re
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from . import queue, workflow
from .models import Article, Remark

MAX_LENGTH = 10_000
# A username as Django allows it (letters, digits and @ . + - _), after an @ that does not
# end a word: an email address in the text (press@akimat.kz) mentions nobody.
MENTION = re.compile(r"(?<![\w.+@-])@([\w.+-]+)")


class RemarkError(Exception):
    """A refused remark, with a machine-readable code and a readable message."""

    def __init__(self, message, *, code: str):
        super().__init__(str(message))
        self.message = message
        self.code = code


@dataclass
class Mentions:
    """Who a remark mentions: those told by email, those who may not see the release
    (never told), and names that are nobody's."""

    notified: list = field(default_factory=list)
    not_allowed: list = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)


def mentioned_names(text: str) -> list[str]:
    """The usernames `text` mentions, in order, once each; a sentence's full stop or a
    comma after a name is not part of it."""
    names = []
    for match in MENTION.finditer(text):
        name = match.group(1).rstrip(".-")
        if name and name not in names:
            names.append(name)
    return names


def mentions_in(remark: Remark) -> Mentions:
    """Resolve a remark's mentions against the people who may see its release now."""
    names = mentioned_names(remark.text)
    if not names:
        return Mentions()
    users = {
        user.username: user
        for user in get_user_model()
        .objects.filter(username__in=names)
        .select_related("preferences")
    }
    mentions = Mentions()
    for name in names:
        user = users.get(name)
        if user is None:
            mentions.unknown.append(name)
        elif user.pk == remark.author_id:
            continue  # writing one's own name tells nobody anything
        elif workflow.can_view(user, remark.article):
            mentions.notified.append(user)
        else:
            mentions.not_allowed.append(user)
    return mentions


def thread(article: Article):
    """The release's remarks, oldest first, with their authors: one query however many."""
    return (
        Remark.objects.filter(article=article).select_related("author").order_by("created_at", "id")
    )


@transaction.atomic
def add_remark(*, article: Article, user, text: str) -> tuple[Remark, Mentions]:
    """Add `user`'s remark to the release's thread; mentioned people who may see the release
    are emailed once it commits. Returns the remark and whom it mentions."""
    if not workflow.can_view(user, article):
        raise RemarkError(
            _("You can only write remarks on releases you may see."), code="permission_denied"
        )
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        raise RemarkError(_("Write a remark before adding it."), code="empty_remark")
    if len(text) > MAX_LENGTH:
        raise RemarkError(
            _("A remark may be at most %(limit)d characters long.") % {"limit": MAX_LENGTH},
            code="remark_too_long",
        )
    remark = Remark.objects.create(article=article, author=user, text=text)
    mentions = mentions_in(remark)
    if mentions.notified:
        # With the task queue down the remark still stands; its emails are left out, logged.
        transaction.on_commit(
            lambda: queue.enqueue("news.tasks.send_remark_notifications", (remark.pk,))
        )
    return remark, mentions
