"""Who hears about a workflow step, and what they are told."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.template import Context, Engine
from django.urls import reverse
from django.utils import translation

from .fields import single_line
from .import_reasons import import_reason
from .models import ArticleTransition, ImportRun, ImportSource
from .roles import ADMINISTRATORS, EDITORS

NOTIFIED_STEPS = {
    "submit": "editors",
    "approve": "author",
    "request_changes": "author",
    "publish": "author",
}


def render_text(template_name: str, context: dict) -> str:
    """A mail template rendered as text: without HTML autoescaping (`&` stays `&`)."""
    template = Engine.get_default().get_template(template_name)
    return template.render(Context(context, autoescape=False))


def render_subject(template_name: str, context: dict) -> str:
    """A subject is one line: a line break in it is refused as header injection."""
    return single_line(render_text(template_name, context))


def recipients_for(step: ArticleTransition) -> list[str]:
    audience = NOTIFIED_STEPS.get(step.name)
    if audience == "editors":
        editors = (
            get_user_model().objects.filter(groups__name=EDITORS, is_active=True).exclude(email="")
        )
        if step.actor_id:
            editors = editors.exclude(pk=step.actor_id)
        return sorted(set(editors.values_list("email", flat=True)))
    if audience == "author":
        author = step.article.author
        if author and author.is_active and author.email and author.pk != step.actor_id:
            return [author.email]
    return []


def build_messages(step: ArticleTransition) -> list[mail.EmailMessage]:
    recipients = recipients_for(step)
    if not recipients:
        return []
    context = {
        "step": step,
        "article": step.article,
        "admin_url": settings.PRESSROOM_SITE_URL.rstrip("/") + step.article.get_admin_url(),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_subject("news/email/transition_subject.txt", context)
        body = render_text("news/email/transition_body.txt", context)
    # One message per person: editors do not see each other's addresses.
    return [mail.EmailMessage(subject, body, to=[address]) for address in recipients]


def notify_transition(transition_id: int) -> int:
    """Send the emails a workflow step calls for; returns how many were sent."""
    step = ArticleTransition.objects.select_related("article__author", "actor").get(
        pk=transition_id
    )
    messages = build_messages(step)
    if not messages:
        return 0
    with mail.get_connection() as connection:
        return connection.send_messages(messages) or 0


def administrator_addresses() -> list[str]:
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    administrators = users.filter(groups__name=ADMINISTRATORS) | users.filter(is_superuser=True)
    return sorted(set(administrators.values_list("email", flat=True)))


def notify_source_disabled(source_id: int, run_id: int) -> int:
    """Tell administrators that a source failed too often in a row and was switched off."""
    source = ImportSource.objects.get(pk=source_id)
    run = ImportRun.objects.get(pk=run_id)
    context = {
        "source": source,
        "run": run,
        "admin_url": settings.PRESSROOM_SITE_URL.rstrip("/")
        + reverse("admin:news_importsource_change", args=[source.pk]),
    }
    with translation.override(settings.LANGUAGE_CODE):
        context["reason"] = import_reason(run.error_code)
        subject = render_subject("news/email/source_disabled_subject.txt", context)
        body = render_text("news/email/source_disabled_body.txt", context)
    messages = [mail.EmailMessage(subject, body, to=[to]) for to in administrator_addresses()]
    if not messages:
        return 0
    with mail.get_connection() as connection:
        return connection.send_messages(messages) or 0
