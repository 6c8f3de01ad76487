"""Who hears about a workflow step or a remark, and what they are told: each person in
their own language (people.languages), as text and HTML, with a link to the release."""

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.template import Context, Engine
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.functional import lazy

from people.languages import by_language

from . import remarks
from .fields import single_line
from .import_reasons import import_reason
from .models import Article, ArticleTransition, ImportRun, ImportSource, Remark
from .roles import ADMINISTRATORS, EDITORS

NOTIFIED_STEPS = {
    "submit": "editors",
    "approve": "author",
    "request_changes": "author",
    "schedule": "author",
    "publish": "author",
    # Only when the system takes it: a scheduled release that failed a blocking check at its
    # time goes back to approved (news.workflow.publish_due_articles), and nobody expects it.
    "unschedule": "editors and author",
}


def render_text(template_name: str, context: dict) -> str:
    """A mail template rendered as text: without HTML autoescaping (`&` stays `&`)."""
    template = Engine.get_default().get_template(template_name)
    return template.render(Context(context, autoescape=False))


def render_subject(template_name: str, context: dict) -> str:
    """A subject is one line: a line break in it is refused as header injection."""
    return single_line(render_text(template_name, context))


def full_url(path: str) -> str:
    return settings.PRESSROOM_SITE_URL.rstrip("/") + path


def compose(
    template: str, context: dict, recipients: Iterable, *, folder: str = "news/email"
) -> list[mail.EmailMessage]:
    """One message per person (nobody sees the others' addresses), in their language, with
    a text and an HTML part; each language's text is rendered once.

    `template` names <folder>/<template>_subject.txt, _body.txt and _body.html."""
    messages = []
    for language, people in by_language(recipients).items():
        with translation.override(language):
            context = {**context, "language": language}
            subject = render_subject(f"{folder}/{template}_subject.txt", context)
            text = render_text(f"{folder}/{template}_body.txt", context)
            html = render_to_string(
                f"{folder}/{template}_body.html", {**context, "subject": subject}
            )
        for person in people:
            message = mail.EmailMultiAlternatives(subject, text, to=[person.email])
            message.attach_alternative(html, "text/html")
            messages.append(message)
    return messages


def send(messages: list[mail.EmailMessage]) -> int:
    if not messages:
        return 0
    with mail.get_connection() as connection:
        return connection.send_messages(messages) or 0


def reachable(users):
    """Active people with an address, with their language preferences."""
    return users.filter(is_active=True).exclude(email="").select_related("preferences")


# --- workflow steps -----------------------------------------------------------------------


def recipients_for(step: ArticleTransition) -> list:
    """The people a workflow step is told to (users), by email address."""
    audience = NOTIFIED_STEPS.get(step.name)
    if audience == "editors and author":
        if step.actor_id is not None:
            return []  # a person cancelled the schedule: their own decision
        people = set(reachable(get_user_model().objects.filter(groups__name=EDITORS)).distinct())
        author = step.article.author
        if author and author.is_active and author.email:
            people.add(author)
        return sorted(people, key=lambda user: user.email)
    if audience == "editors":
        editors = reachable(get_user_model().objects.filter(groups__name=EDITORS))
        if step.actor_id:
            editors = editors.exclude(pk=step.actor_id)
        return sorted(editors.distinct(), key=lambda user: user.email)
    if audience == "author":
        author = step.article.author
        if step.name == "schedule" and step.article.status != Article.Status.SCHEDULED:
            return []  # unscheduled before the email went: there is no time to tell
        if author and author.is_active and author.email and author.pk != step.actor_id:
            return [author]
    return []


def build_messages(step: ArticleTransition) -> list[mail.EmailMessage]:
    context = {
        "step": step,
        "article": step.article,
        "admin_url": full_url(step.article.get_admin_url()),
    }
    return compose("transition", context, recipients_for(step))


def notify_transition(transition_id: int) -> int:
    """Send the emails a workflow step calls for; returns how many were sent."""
    step = ArticleTransition.objects.select_related(
        "article__author__preferences", "article__agency", "actor"
    ).get(pk=transition_id)
    return send(build_messages(step))


# --- remarks ------------------------------------------------------------------------------


def remark_messages(remark: Remark) -> list[mail.EmailMessage]:
    """Emails to the people a remark mentions who may see its release (checked again now:
    their access may have changed since it was written)."""
    mentioned = [
        user for user in remarks.mentions_in(remark).notified if user.is_active and user.email
    ]
    context = {
        "remark": remark,
        "article": remark.article,
        "admin_url": full_url(f"{remark.article.get_admin_url()}#remark-{remark.pk}"),
    }
    return compose("remark", context, mentioned)


def notify_remark(remark_id: int) -> int:
    """Email the people a remark mentions; returns how many were sent."""
    remark = Remark.objects.select_related("article", "author").get(pk=remark_id)
    return send(remark_messages(remark))


# --- imports ------------------------------------------------------------------------------


def administrators():
    users = get_user_model().objects.all()
    chosen = users.filter(groups__name=ADMINISTRATORS) | users.filter(is_superuser=True)
    return reachable(chosen.distinct())


def notify_source_disabled(source_id: int, run_id: int) -> int:
    """Tell administrators that a source failed too often in a row and was switched off."""
    source = ImportSource.objects.get(pk=source_id)
    run = ImportRun.objects.get(pk=run_id)
    context = {
        "source": source,
        "run": run,
        # Lazy: written in each administrator's language.
        "reason": lazy(import_reason, str)(run.error_code),
        "admin_url": full_url(reverse("admin:news_importsource_change", args=[source.pk])),
    }
    people = sorted(administrators(), key=lambda user: user.email)
    return send(compose("source_disabled", context, people))
