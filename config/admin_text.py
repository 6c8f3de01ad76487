"""The admin's headings and counts for each model, as whole phrases.

Django builds "Select %s to change", "Add %s" and "8 articles" from a model's verbose
name, which Russian and Kazakh cannot inflect: "Выберите статья для изменения",
"Добавить статья", "8 статьи", "мақала өзгету". Each model registered on the admin site
has its phrases here, translated whole, with a real plural for its count; the
PressroomAdminSite gives them to every ModelAdmin (config.admin.ModelPhrasesMixin).
tests/config/test_admin_language.py fails for a registered model missing from PHRASES.
Permissions, which Django names in English in the database, are listed by
permission_label.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext_lazy, pgettext_lazy
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ModelPhrases:
    select: Promise  # the title of a related object's pop-up list
    select_to_change: Promise
    select_to_view: Promise
    add: Promise  # the list's button and the add page's title
    change: Promise
    view: Promise
    count: Promise  # lazy ngettext keyed by "count"

    def count_of(self, number: int) -> str:
        return self.count % {"count": number}


PHRASES = {
    "news.article": ModelPhrases(
        select=_("Select article"),
        select_to_change=_("Select article to change"),
        select_to_view=_("Select article to view"),
        add=_("Add article"),
        change=_("Change article"),
        view=_("View article"),
        count=ngettext_lazy("%(count)s article", "%(count)s articles", "count"),
    ),
    "news.importrun": ModelPhrases(
        select=_("Select import run"),
        select_to_change=_("Select import run to change"),
        select_to_view=_("Select import run to view"),
        add=_("Add import run"),
        change=_("Change import run"),
        view=_("View import run"),
        count=ngettext_lazy("%(count)s import run", "%(count)s import runs", "count"),
    ),
    "news.importsource": ModelPhrases(
        select=_("Select import source"),
        select_to_change=_("Select import source to change"),
        select_to_view=_("Select import source to view"),
        add=_("Add import source"),
        change=_("Change import source"),
        view=_("View import source"),
        count=ngettext_lazy("%(count)s import source", "%(count)s import sources", "count"),
    ),
    "news.translationjob": ModelPhrases(
        select=_("Select translation task"),
        select_to_change=_("Select translation task to change"),
        select_to_view=_("Select translation task to view"),
        add=_("Add translation task"),
        change=_("Change translation task"),
        view=_("View translation task"),
        count=ngettext_lazy("%(count)s translation task", "%(count)s translation tasks", "count"),
    ),
    "news.term": ModelPhrases(
        select=_("Select term"),
        select_to_change=_("Select term to change"),
        select_to_view=_("Select term to view"),
        add=_("Add term"),
        change=_("Change term"),
        view=_("View term"),
        count=ngettext_lazy("%(count)s term", "%(count)s terms", "count"),
    ),
    "taggit.tag": ModelPhrases(
        select=_("Select tag"),
        select_to_change=_("Select tag to change"),
        select_to_view=_("Select tag to view"),
        add=_("Add tag"),
        change=_("Change tag"),
        view=_("View tag"),
        count=ngettext_lazy("%(count)s tag", "%(count)s tags", "count"),
    ),
    "agencies.region": ModelPhrases(
        select=_("Select region"),
        select_to_change=_("Select region to change"),
        select_to_view=_("Select region to view"),
        add=_("Add region"),
        change=_("Change region"),
        view=_("View region"),
        count=ngettext_lazy("%(count)s region", "%(count)s regions", "count"),
    ),
    "agencies.agency": ModelPhrases(
        select=_("Select agency"),
        select_to_change=_("Select agency to change"),
        select_to_view=_("Select agency to view"),
        add=_("Add agency"),
        change=_("Change agency"),
        view=_("View agency"),
        count=ngettext_lazy("%(count)s agency", "%(count)s agencies", "count"),
    ),
    "agencies.agencymembership": ModelPhrases(
        select=_("Select press officer membership"),
        select_to_change=_("Select press officer membership to change"),
        select_to_view=_("Select press officer membership to view"),
        add=_("Add press officer membership"),
        change=_("Change press officer membership"),
        view=_("View press officer membership"),
        count=ngettext_lazy(
            "%(count)s press officer membership", "%(count)s press officer memberships", "count"
        ),
    ),
    "media_library.image": ModelPhrases(
        select=_("Select image"),
        select_to_change=_("Select image to change"),
        select_to_view=_("Select image to view"),
        add=_("Add image"),
        change=_("Change image"),
        view=_("View image"),
        count=ngettext_lazy("%(count)s image", "%(count)s images", "count"),
    ),
    "media_library.attachment": ModelPhrases(
        select=_("Select attachment"),
        select_to_change=_("Select attachment to change"),
        select_to_view=_("Select attachment to view"),
        add=_("Add attachment"),
        change=_("Change attachment"),
        view=_("View attachment"),
        count=ngettext_lazy("%(count)s attachment", "%(count)s attachments", "count"),
    ),
    "webhooks.endpoint": ModelPhrases(
        select=_("Select webhook endpoint"),
        select_to_change=_("Select webhook endpoint to change"),
        select_to_view=_("Select webhook endpoint to view"),
        add=_("Add webhook endpoint"),
        change=_("Change webhook endpoint"),
        view=_("View webhook endpoint"),
        count=ngettext_lazy("%(count)s webhook endpoint", "%(count)s webhook endpoints", "count"),
    ),
    "webhooks.delivery": ModelPhrases(
        select=_("Select webhook delivery"),
        select_to_change=_("Select webhook delivery to change"),
        select_to_view=_("Select webhook delivery to view"),
        add=_("Add webhook delivery"),
        change=_("Change webhook delivery"),
        view=_("View webhook delivery"),
        count=ngettext_lazy("%(count)s webhook delivery", "%(count)s webhook deliveries", "count"),
    ),
    "auth.user": ModelPhrases(
        select=_("Select user"),
        select_to_change=_("Select user to change"),
        select_to_view=_("Select user to view"),
        add=_("Add user"),
        change=_("Change user"),
        view=_("View user"),
        count=ngettext_lazy("%(count)s user", "%(count)s users", "count"),
    ),
    "people.preferences": ModelPhrases(
        select=_("Select a person's preferences"),
        select_to_change=_("Select a person's preferences to change"),
        select_to_view=_("Select a person's preferences to view"),
        add=_("Add a person's preferences"),
        change=_("Change a person's preferences"),
        view=_("View a person's preferences"),
        count=ngettext_lazy(
            "%(count)s person's preferences", "%(count)s people's preferences", "count"
        ),
    ),
    "outreach.subscription": ModelPhrases(
        select=_("Select email subscription"),
        select_to_change=_("Select email subscription to change"),
        select_to_view=_("Select email subscription to view"),
        add=_("Add email subscription"),
        change=_("Change email subscription"),
        view=_("View email subscription"),
        count=ngettext_lazy(
            "%(count)s email subscription", "%(count)s email subscriptions", "count"
        ),
    ),
    "auth.group": ModelPhrases(
        select=_("Select group"),
        select_to_change=_("Select group to change"),
        select_to_view=_("Select group to view"),
        add=_("Add group"),
        change=_("Change group"),
        view=_("View group"),
        count=ngettext_lazy("%(count)s group", "%(count)s groups", "count"),
    ),
    "django_celery_beat.periodictask": ModelPhrases(
        select=_("Select periodic task"),
        select_to_change=_("Select periodic task to change"),
        select_to_view=_("Select periodic task to view"),
        add=_("Add periodic task"),
        change=_("Change periodic task"),
        view=_("View periodic task"),
        count=ngettext_lazy("%(count)s periodic task", "%(count)s periodic tasks", "count"),
    ),
    "django_celery_beat.clockedschedule": ModelPhrases(
        select=_("Select one-time run"),
        select_to_change=_("Select one-time run to change"),
        select_to_view=_("Select one-time run to view"),
        add=_("Add one-time run"),
        change=_("Change one-time run"),
        view=_("View one-time run"),
        count=ngettext_lazy("%(count)s one-time run", "%(count)s one-time runs", "count"),
    ),
    "django_celery_beat.crontabschedule": ModelPhrases(
        select=_("Select crontab schedule"),
        select_to_change=_("Select crontab schedule to change"),
        select_to_view=_("Select crontab schedule to view"),
        add=_("Add crontab schedule"),
        change=_("Change crontab schedule"),
        view=_("View crontab schedule"),
        count=ngettext_lazy("%(count)s crontab schedule", "%(count)s crontab schedules", "count"),
    ),
    "django_celery_beat.solarschedule": ModelPhrases(
        select=_("Select solar event"),
        select_to_change=_("Select solar event to change"),
        select_to_view=_("Select solar event to view"),
        add=_("Add solar event"),
        change=_("Change solar event"),
        view=_("View solar event"),
        count=ngettext_lazy("%(count)s solar event", "%(count)s solar events", "count"),
    ),
    "django_celery_beat.intervalschedule": ModelPhrases(
        select=_("Select interval"),
        select_to_change=_("Select interval to change"),
        select_to_view=_("Select interval to view"),
        add=_("Add interval"),
        change=_("Change interval"),
        view=_("View interval"),
        count=ngettext_lazy("%(count)s interval", "%(count)s intervals", "count"),
    ),
    "accreditation.accreditation": ModelPhrases(
        select=_("Select accreditation"),
        select_to_change=_("Select accreditation to change"),
        select_to_view=_("Select accreditation to view"),
        add=_("Add accreditation"),
        change=_("Change accreditation"),
        view=_("View accreditation"),
        count=ngettext_lazy("%(count)s accreditation", "%(count)s accreditations", "count"),
    ),
    "accreditation.distribution": ModelPhrases(
        select=_("Select distribution under embargo"),
        select_to_change=_("Select distribution under embargo to change"),
        select_to_view=_("Select distribution under embargo to view"),
        add=_("Add distribution under embargo"),
        change=_("Change distribution under embargo"),
        view=_("View distribution under embargo"),
        count=ngettext_lazy(
            "%(count)s distribution under embargo", "%(count)s distributions under embargo", "count"
        ),
    ),
    "accreditation.linkopening": ModelPhrases(
        select=_("Select personal link opening"),
        select_to_change=_("Select personal link opening to change"),
        select_to_view=_("Select personal link opening to view"),
        add=_("Add personal link opening"),
        change=_("Change personal link opening"),
        view=_("View personal link opening"),
        count=ngettext_lazy(
            "%(count)s personal link opening", "%(count)s personal link openings", "count"
        ),
    ),
    "axes.accessattempt": ModelPhrases(
        select=_("Select access attempt"),
        select_to_change=_("Select access attempt to change"),
        select_to_view=_("Select access attempt to view"),
        add=_("Add access attempt"),
        change=_("Change access attempt"),
        view=_("View access attempt"),
        count=ngettext_lazy("%(count)s access attempt", "%(count)s access attempts", "count"),
    ),
    "axes.accesslog": ModelPhrases(
        select=_("Select access log entry"),
        select_to_change=_("Select access log entry to change"),
        select_to_view=_("Select access log entry to view"),
        add=_("Add access log entry"),
        change=_("Change access log entry"),
        view=_("View access log entry"),
        count=ngettext_lazy("%(count)s access log entry", "%(count)s access log entries", "count"),
    ),
    "axes.accessfailurelog": ModelPhrases(
        select=_("Select access failure"),
        select_to_change=_("Select access failure to change"),
        select_to_view=_("Select access failure to view"),
        add=_("Add access failure"),
        change=_("Change access failure"),
        view=_("View access failure"),
        count=ngettext_lazy("%(count)s access failure", "%(count)s access failures", "count"),
    ),
}


def phrases_for(model) -> ModelPhrases | None:
    return PHRASES.get(model._meta.label_lower)


# Django names the permissions it makes "Can add article", in English, in the database.
DEFAULT_PERMISSION_ACTIONS = {
    "add": pgettext_lazy("permission", "add"),
    "change": pgettext_lazy("permission", "change"),
    "delete": pgettext_lazy("permission", "delete"),
    "view": pgettext_lazy("permission", "view"),
}


def permission_label(permission) -> str:
    """A permission as the group and user forms list it, in the reader's language:
    "Регионы и ведомства | регион | добавление"."""
    model = permission.content_type.model_class()
    action, _, model_name = permission.codename.partition("_")
    if (
        model is not None
        and action in DEFAULT_PERMISSION_ACTIONS
        and model_name == model._meta.model_name
    ):
        name = DEFAULT_PERMISSION_ACTIONS[action]
    else:
        name = gettext(permission.name)  # Pressroom's own are marked for translation
    return f"{permission.content_type} | {name}"
