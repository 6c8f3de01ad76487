"""Every admin page speaks Kazakh and Russian: no English left, no raw codes, no broken forms.

Logged in as a superuser over sample data of every kind, the test renders every page the
admin site serves (each registered model's list, add, change, history and delete pages; the
index and app pages; every custom view of a ModelAdmin or of the site, found from their
URL patterns so that a new view is checked without being named here) in kk and in ru, and
reads the text a person sees. A failure names the page, the language and the offending
words.
"""

import re
from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.contrib.messages import get_messages
from django.db import models
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, reverse
from django.utils import timezone, translation
from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    SolarSchedule,
)
from taggit.models import Tag

from accreditation.models import Accreditation, Distribution, LinkOpening
from agencies.models import Agency, Region
from config.admin import ModelPhrasesMixin
from config.admin_text import PHRASES, phrases_for
from news import workflow
from news.models import (
    Article,
    ArticleFlag,
    ImportItem,
    ImportRun,
    ImportSource,
    Term,
    TranslationJob,
)
from outreach.models import Subscription
from people.models import Preferences
from webhooks.models import Delivery, Endpoint

from ..factories import (
    AgencyFactory,
    ArticleFactory,
    AttachmentFactory,
    ImageFactory,
    MembershipFactory,
    UserFactory,
)
from ..webhooks.factories import DeliveryFactory, EndpointFactory

pytestmark = pytest.mark.django_db

LANGUAGES = ("kk", "ru")
MODELS = sorted(model._meta.label_lower for model in admin.site._registry)

# Words that are names or codes in any language. Everything else in Latin letters is
# English that a Kazakh or Russian reader should not meet.
NAMES = {
    "Pressroom", "URL", "RSS", "Atom", "API", "ID", "HTML", "JSON", "PDF", "DOCX", "XLSX",
    "ODT", "JPEG", "PNG", "WebP", "EXIF", "GPS", "UTC", "ISO", "gov", "kz", "KZ", "crontab",
    "Celery", "Asia", "Almaty", "Mozilla", "Crontab", "IP", "Redis", "RabbitMQ", "AMQP",
    "CC", "BY", "SA", "CC0", "Word", "Excel", "OpenDocument",
    "Axes",  # django-axes, the login guard: its app's name
    "dM", "MY",  # crontab's fields, "(m/h/dM/MY/d)"
    "Control", "Command", "Mac",  # keys: "«Control» пернесін (Mac-та «Command»)"
    "LDAP", "GET", "POST", "HTTP", "CELERY_TASK_QUEUES",
    "md5",  # the tests' password hasher, named on the user form
    "Standard", "Webhooks",  # the specification partners' webhooks are signed by
}  # fmt: skip
# Sample data in English on purpose, or names the admin shows as they are stored: the
# roles' group names (news.roles) are data, shown as stored in every language.
DATA = {
    "Press officers", "Editors", "Administrators", "superuser", "officer", "editor", "intruder",
    "Single Sign-On", "Single Sing-On", "User Agent", "HTTP Accept",
}  # fmt: skip
# Addresses, file names, slugs, dotted code paths ("proj.tasks.import_contacts") and JSON
# examples in help texts (["arg1", "arg2"]): read as names, not words.
ADDRESS = re.compile(
    r"\S+@\S+|\bhttps?://\S+|\b\w+(?:\.\w+)+\b|\b[a-z0-9]+(?:-[a-z0-9]+)+\b"
    r'|\[(?:"\w+",? ?)+\]|\{(?:"\w+": "\w+",? ?)+\}'
    r"|\b\w+\*+"  # a password hash's salt and hash as the user form masks them: "bc7b****"
)
WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%s|\{\w+\}")

# Pages others are fixing now: the words they still show. Remove an entry when its owner's
# work is merged; the test then checks the page like every other.
TRANSLATION_CELLS = {"en", "kk", "ru"}  # the translation status cells write language codes
PENDING: dict[str, set[str]] = {}
# English that other apps write without marking it for translation: only replacing their
# admins would change it. Content types of models whose apps do not name them in Kazakh or
# Russian (simple_history's "historical …", celery beat's task track, axes' expiration) are
# listed by the permission and tag pages.
CONTENT_TYPES = {"historical", "access", "attempt", "expiration", "periodic", "task", "track"}
THIRD_PARTY_ENGLISH = {
    # Inline and field titles ("Periodic Tasks Using This Schedule", "Task Name",
    # "Scheduler"), help texts newer than its catalogue, cron_descriptor's "Every 6 hours".
    "django_celery_beat": {
        "Periodic",
        "Tasks",
        "Using",
        "This",
        "Schedule",
        "Task",
        "Name",
        "Scheduler",
        "Human",
        "readable",
        "Every",
        "Cron",
        "cron",
        "minute",
        "hours",
        "Days",
        "seconds",
        "Timedelta",
        "with",
        "which",
        "the",
        "will",
        "no",
        "longer",
        "trigger",
        "to",
        "run",
        "exchange",
        "translation",
    },
    # Its __str__ ("Attempted Access: …", "Access Log for …", "Failed access from … on …")
    # and its newer list columns and action ("Attempt Remaining", "Clean up expired attempts").
    "axes": {
        "Access",
        "Attempted",
        "Attempt",
        "attempt",
        "attempts",
        "expiration",
        "Log",
        "for",
        "Failed",
        "access",
        "from",
        "on",
        "user",
        "Clean",
        "up",
        "expired",
        "Locked",
        "Out",
        "Remaining",
        "Status",
    },
    # Django writes the rows of a many-to-many table as "Group_permissions object (1)".
    "auth": {
        "Group_permissions",
        "User_groups",
        "Group",
        "User",
        "group",
        "permission",
        "object",
        "relationship",
        "relationships",
        *CONTENT_TYPES,
    },
    "taggit": CONTENT_TYPES,
}
# Django's AdminPasswordChangeForm joins a translatable help text to an English one when it
# is imported, so the page shows it in English in every language (Django 5.2).
THIRD_PARTY_ENGLISH_PAGES = {
    "auth_user_password_change": {
        "Whether",
        "the",
        "user",
        "will",
        "be",
        "able",
        "to",
        "authenticate",
        "using",
        "a",
        "password",
        "or",
        "not",
        "If",
        "disabled",
        "they",
        "may",
        "still",
        "other",
        "backends",
        "such",
        "as",
        "current",
        "for",
        "this",
        "lost",
    },
}
# URLs that only redirect, and where to.
REDIRECTS = {
    "news_article_simple_history": "simple_history's revision URL; to news_article_revision",
    "people_preferences_changelist": "a list of one: to the person's own preferences",
}
# Views that only take a form's POST, read through the page that holds the form.
POST_ONLY = {"news_article_add_remark": "the remark form of the change page"}
# Pages not read, and why.
NOT_PAGES = {
    "logout": "POST only",
    "login": "redirects a signed-in person",
    "view_on_site": "a redirect to the public site",
    "autocomplete": "JSON",
    "jsi18n": "JavaScript",
}


class VisibleText(HTMLParser):
    """The text a person reads on a page: text nodes, a button's value, and the title,
    placeholder and aria-label attributes; not scripts, styles or other attributes."""

    HIDDEN = {"script", "style", "template"}
    # Selects whose options are names in every language: time zones ("Asia/Almaty").
    NAMED_OPTIONS = {"timezone"}
    READ_ATTRIBUTES = {"title", "placeholder", "aria-label"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.headings: list[str] = []
        self._hidden = 0
        self._in_named_select = False
        self._heading: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        named = tag == "select" and attributes.get("name") in self.NAMED_OPTIONS
        self._in_named_select = self._in_named_select or named
        if tag in self.HIDDEN or named:
            self._hidden += 1
        self.parts += [value for name, value in attrs if name in self.READ_ATTRIBUTES and value]
        # An input button shows its value; a <button> shows its content, its value is sent.
        if tag == "input" and attributes.get("type") in ("submit", "button", "reset"):
            self.parts.append(attributes.get("value") or "")
        if tag == "h1":
            self._heading = []

    def handle_endtag(self, tag):
        if tag in self.HIDDEN or (tag == "select" and self._in_named_select):
            self._hidden = max(0, self._hidden - 1)
            self._in_named_select = self._in_named_select and tag != "select"
        if tag == "h1" and self._heading is not None:
            self.headings.append(" ".join("".join(self._heading).split()))
            self._heading = None

    def handle_data(self, data):
        if self._hidden:
            return
        self.parts.append(data)
        if self._heading is not None:
            self._heading.append(data)

    @property
    def text(self) -> str:
        # One line per text node, so that a phrase is not read across two elements (the
        # sidebar's "Добавить" link and the next model's name).
        lines = (" ".join(part.split()) for part in self.parts)
        return "\n".join(line for line in lines if line)


@dataclass
class Page:
    url: str
    name: str
    model: str = ""
    problems: list[str] = field(default_factory=list)


# --- sample data --------------------------------------------------------------------------


@pytest.fixture
def samples(settings) -> dict[str, list[models.Model]]:
    """Objects of every registered model, by label: an article in each status, an import
    source with a run and its items, flags, a translation task, photos, a document..."""
    settings.AXES_ENABLED = False
    superuser = UserFactory(username="superuser", is_superuser=True)
    officer = UserFactory(username="officer", groups=["Press officers"])
    agency = AgencyFactory(
        slug="akimat-test", name_en="Akimat", name_ru="Акимат города", name_kk="Қала әкімдігі"
    )
    membership = MembershipFactory(user=officer, agency=agency)
    articles = []
    for number, status in enumerate(Article.Status):
        article = ArticleFactory(
            status=status,
            title=f"Аким встретился с жителями {number}",
            lead="Краткое содержание встречи.",
            body="<p>Аким ответил на вопросы жителей.</p>",
            language="ru",
            agency=agency,
            author=officer,
            publish_at=timezone.now() + timedelta(days=1) if status == "scheduled" else None,
            published_at=timezone.now() if status in ("published", "unpublished") else None,
            tags=["экономика"],
        )
        articles.append(article)
    flagged = articles[1]
    for code in ArticleFlag.Code:
        ArticleFlag.objects.create(article=flagged, code=code)
    schedule = CrontabSchedule.objects.create(minute="0", hour="*/6")
    source = ImportSource.objects.create(
        name="Лента акимата", kind=ImportSource.Kind.RSS, location="https://akimat.example.kz/rss",
        default_agency=agency, schedule=schedule,
    )  # fmt: skip
    run = ImportRun.objects.create(
        source=source, input_name="https://akimat.example.kz/rss", format="rss",
        status=ImportRun.Status.PARTIAL, finished_at=timezone.now(), processed=3, created=1,
        failed=1, triggered_by=superuser,
    )  # fmt: skip
    failed_run = ImportRun.objects.create(
        input_name="digest.txt", format="digest", status=ImportRun.Status.FAILED,
        finished_at=timezone.now(), error_code="no_releases",
    )  # fmt: skip
    for outcome in ImportItem.Outcome:
        ImportItem.objects.create(
            run=run, item="строка 1", outcome=outcome, code="orphan_text",
            message="", raw="Текст без заголовка", article=flagged,
        )  # fmt: skip
    job = TranslationJob.objects.create(
        original=articles[0], language="kk", status=TranslationJob.Status.NEEDS_PERSON,
        error_code="no_engine",
    )  # fmt: skip
    term = Term.objects.create(
        source_language="ru",
        target_language="kk",
        source_term="пресс-служба",
        target_term="баспасөз қызметі",
    )
    interval = IntervalSchedule.objects.create(every=1, period=IntervalSchedule.HOURS)
    periodic = PeriodicTask.objects.create(
        name="Импорт ленты", task="news.tasks.import_from_source", interval=interval
    )
    clocked = ClockedSchedule.objects.create(clocked_time=timezone.now())
    solar = SolarSchedule.objects.create(event="sunrise", latitude=43.24, longitude=76.95)
    attempt = AccessAttempt.objects.create(
        username="intruder", ip_address="10.0.0.1", user_agent="Mozilla/5.0",
        get_data="", post_data="", failures_since_start=3,
    )  # fmt: skip
    log = AccessLog.objects.create(
        username="officer", ip_address="10.0.0.2", user_agent="Mozilla/5.0"
    )
    failure = AccessFailureLog.objects.create(
        username="intruder", ip_address="10.0.0.1", user_agent="Mozilla/5.0"
    )
    endpoint = EndpointFactory(name="Агентство новостей", regions=[agency.region])
    failed_delivery = DeliveryFactory(
        endpoint=endpoint, article=articles[0], failed_with=503, attempts=3
    )
    journalist = Accreditation.objects.create(
        journalist="Айгуль Серикова", outlet="Казинформ", email="aigul@press.example.kz",
        languages=["kk", "ru"], active_until=timezone.localdate() + timedelta(days=90),
    )  # fmt: skip
    journalist.agencies.set([agency])
    journalist.regions.set([Region.objects.get(iso_code="KZ-79")])
    embargoed = articles[list(Article.Status).index(Article.Status.SCHEDULED)]
    distribution = Distribution.objects.create(
        accreditation=journalist, article=embargoed, version=embargoed,
        embargo_until=embargoed.publish_at,
    )  # fmt: skip
    opening = LinkOpening.objects.create(
        accreditation=journalist, article=embargoed, kind=LinkOpening.Kind.PAGE,
        client_address="203.0.113.7", user_agent="Mozilla/5.0",
    )  # fmt: skip
    return {
        "accreditation.accreditation": [journalist],
        "accreditation.distribution": [distribution],
        "accreditation.linkopening": [opening],
        "news.article": articles,
        "news.importrun": [run, failed_run],
        "news.importsource": [source],
        "news.translationjob": [job],
        "news.term": [term],
        "taggit.tag": [Tag.objects.get(name="экономика")],
        "agencies.region": [Region.objects.get(iso_code="KZ-79")],
        "agencies.agency": [agency],
        "agencies.agencymembership": [membership],
        "media_library.image": [ImageFactory(agency=agency, alt_kk="Әкім тұрғындармен")],
        "media_library.attachment": [
            AttachmentFactory(agency=agency, title_kk="Әкімдік қаулысы", title_en="")
        ],
        "auth.user": [superuser, officer],
        "people.preferences": [Preferences.objects.create(user=officer, language="kk")],
        "outreach.subscription": [subscription_sample(agency)],
        "auth.group": [Group.objects.get(name="Editors")],
        "django_celery_beat.periodictask": [periodic],
        "django_celery_beat.crontabschedule": [schedule],
        "django_celery_beat.intervalschedule": [interval],
        "django_celery_beat.clockedschedule": [clocked],
        "django_celery_beat.solarschedule": [solar],
        "axes.accessattempt": [attempt],
        "axes.accesslog": [log],
        "axes.accessfailurelog": [failure],
        "webhooks.endpoint": [endpoint],
        "webhooks.delivery": [failed_delivery],
        "superuser": [superuser],
    }


def subscription_sample(agency):
    subscription = Subscription.objects.create(
        email="tilshi@example.kz", language="kk", confirmed_at=timezone.now()
    )
    subscription.agencies.set([agency])
    subscription.tags.set([Tag.objects.get(name="экономика")])
    return subscription


def test_the_samples_cover_every_registered_model(samples):
    assert set(MODELS) <= set(samples), "add samples of " + ", ".join(set(MODELS) - set(samples))


# --- the pages ----------------------------------------------------------------------------


def route_parameters(pattern: URLPattern) -> list[str]:
    regex = pattern.pattern.regex
    return list(regex.groupindex) or [f"#{index}" for index in range(regex.groups)]


def fillings(label: str, name: str, parameter: str, obj) -> list[str]:
    """The values a page's URL parameter takes for the sample `obj`; a new parameter fails
    the test until it is taught here."""
    if parameter in ("object_id", "#0", "id"):
        return [str(obj.pk)]
    if parameter == "transition_name":
        return [transition.name for transition in workflow.TRANSITIONS.values()]
    if parameter == "language":
        return [language for language in ("kk", "ru", "en") if language != obj.language]
    if parameter in ("history_id", "#1"):
        return [str(obj.history.order_by("history_id").first().history_id)]
    raise AssertionError(f"{label} {name}: teach fillings() the parameter {parameter!r}")


def query_of(name: str, obj) -> str:
    """The query a page needs besides its URL: the two revisions compared."""
    if name == "news_article_compare":
        revisions = obj.history.order_by("history_id").values_list("history_id", flat=True)
        return f"?old={revisions.first()}&new={revisions.last()}"
    return ""


def offered(model_admin, name: str, user, obj=None) -> bool:
    """Whether the admin offers `user` the page at all: axes' logs cannot be added by hand,
    a translation task is made by a request, not a form, a press officer deletes nothing."""
    request = RequestFactory().get("/admin/")
    request.user = user
    if name.endswith("_changelist"):
        return model_admin.has_view_or_change_permission(request)
    if name.endswith(("_change", "_history")):
        return model_admin.has_view_or_change_permission(request, obj)
    if name.endswith("_add"):
        return model_admin.has_add_permission(request)
    if name.endswith("_delete"):
        return model_admin.has_delete_permission(request, obj)
    return True


def model_pages(label: str, model_admin, samples, user=None) -> list[Page]:
    user = user or samples["superuser"][0]
    pages = []
    for pattern in model_admin.get_urls():
        if not pattern.name:
            continue  # Django's redirect of an object's bare URL to its change page
        if pattern.name in REDIRECTS or pattern.name in POST_ONLY:
            continue
        parameters = route_parameters(pattern)
        if not parameters and not offered(model_admin, pattern.name, user):
            continue
        if not parameters:
            url = reverse(f"admin:{pattern.name}")
            pages.append(Page(url, pattern.name, label))
            if pattern.name.endswith("_changelist"):
                # The list a related field's magnifier opens: "Select …" instead.
                pages.append(Page(f"{url}?_popup=1", pattern.name, label))
            continue
        for obj in samples[label]:
            if not offered(model_admin, pattern.name, user, obj):
                continue
            combinations = [[]]
            for parameter in parameters:
                values = fillings(label, pattern.name, parameter, obj)
                combinations = [[*done, value] for done in combinations for value in values]
            for arguments in combinations:
                url = reverse(f"admin:{pattern.name}", args=arguments) + query_of(pattern.name, obj)
                pages.append(Page(url, pattern.name, label))
    return pages


def site_pages(user) -> list[Page]:
    pages = []
    for pattern in admin.site.get_urls():
        if isinstance(pattern, URLResolver) or not pattern.name:
            continue
        if pattern.name in NOT_PAGES:
            continue
        if pattern.name == "app_list":
            request = RequestFactory().get("/admin/")
            request.user = user
            apps = {app["app_label"] for app in admin.site.get_app_list(request)}
            pages += [Page(reverse("admin:app_list", args=[app]), "app_list") for app in apps]
            continue
        assert not route_parameters(pattern), f"teach site_pages() the page {pattern.name}"
        pages.append(Page(reverse(f"admin:{pattern.name}"), pattern.name))
    return pages


# --- what a page must not show ------------------------------------------------------------


def choice_codes() -> set[str]:
    codes = {name for name in workflow.TRANSITIONS}
    for model in admin.site._registry:
        for model_field in model._meta.get_fields():
            for value, _label in getattr(model_field, "flatchoices", None) or ():
                if isinstance(value, str):
                    codes.add(value)
    return codes


def data_names() -> set[str]:
    """Sample data and the seeded terminology, written as stored in every language."""
    names = set(DATA)
    for term in Term.objects.all():
        names |= {term.source_term, term.target_term}
    names |= set(Agency.objects.values_list("slug", flat=True))
    # A partner's signing secret and a delivery's webhook-id are shown as stored.
    names |= set(Endpoint.objects.values_list("secret", flat=True))
    names |= set(Delivery.objects.values_list("message_id", flat=True))
    return names


def english_words(text: str, allowed: set[str], data: set[str]) -> list[str]:
    text = ADDRESS.sub(" ", text)
    names = "|".join(re.escape(name) for name in sorted(data, key=len, reverse=True))
    text = re.sub(rf"(?<!\w)(?:{names})(?!\w)", " ", text)
    return [
        word
        for word in WORD.findall(text)
        if len(word) > 1 and word not in NAMES and word not in allowed
    ]


def agrees(number: int, noun: str, singular: str) -> bool:
    """Whether `noun`, one of the two forms Django writes, is right after `number`."""
    if noun == singular:
        return number % 10 == 1 and number % 100 != 11
    # After 2-4 Russian takes the genitive singular, often spelt as the plural: "2 статьи".
    return 2 <= number % 10 <= 4 and not 12 <= number % 100 <= 14


def broken_russian(text: str) -> list[str]:
    """Django's forms from a nominative verbose name: "Добавить статья", "8 статьи"."""
    found = []
    with translation.override("ru"):
        for model in admin.site._registry:
            singular = str(model._meta.verbose_name)
            plural = str(model._meta.verbose_name_plural)
            verbs = r"(?:Выберите|Добавить|Изменить|Просмотреть|Удалить)"
            for match in re.finditer(rf"\b{verbs} {re.escape(singular)}(?!\w)", text, re.I):
                accusative = phrases_for(model) and str(phrases_for(model).add).split(" ", 1)[1]
                if accusative != singular:
                    found.append(match.group(0))
            nouns = {re.escape(singular), re.escape(plural)}
            for match in re.finditer(rf"\b(\d+) ({'|'.join(nouns)})(?!\w)", text):
                if not agrees(int(match.group(1)), match.group(2), singular):
                    found.append(match.group(0))
    # Django's "{name} «{obj}» был успешно добавлен", whatever the noun's gender.
    found += re.findall(r"\bбыл (?:успешно (?:добавлен|изменен|удален)|изменен успешно)", text)
    return found


def problems_of(page: Page, language: str, html: str, data: set[str]) -> list[str]:
    reader = VisibleText()
    reader.feed(html)
    text = reader.text
    pending = (
        PENDING.get(page.name, set())
        | THIRD_PARTY_ENGLISH.get(page.model.split(".")[0], set())
        | THIRD_PARTY_ENGLISH_PAGES.get(page.name, set())
    )
    codes = choice_codes()
    problems = []
    words = english_words(text, pending, data)
    if raw := sorted({word for word in words if word in codes or "_" in word}):
        problems.append(f"raw codes: {', '.join(raw)}")
    if english := sorted({word for word in words if word not in codes and "_" not in word}):
        problems.append(f"English: {', '.join(english)}")
    if "→" in text and re.search(r"\b[a-z_]+ → [a-z_]+\b", text):
        problems.append(
            "a transition written as codes: " + re.search(r"\b[a-z_]+ → [a-z_]+\b", text).group(0)
        )
    if leftovers := PLACEHOLDER.findall(text):
        problems.append(f"placeholders: {', '.join(leftovers)}")
    if lower := [heading for heading in reader.headings if heading[:1].islower()]:
        problems.append(f"headings in lower case: {' | '.join(lower)}")
    if language == "ru" and (broken := broken_russian(text)):
        problems.append(f"broken Russian: {' | '.join(sorted(set(broken)))}")
    if language == "kk" and (typos := re.findall(r"\w*өзгету\w*", text)):
        problems.append(f"Django's Kazakh typo: {', '.join(typos)}")
    return problems


def report(pages: list[Page], language: str) -> str:
    return "".join(
        f"\n/{language} {page.url} ({page.name}):\n    " + "\n    ".join(page.problems)
        for page in pages
        if page.problems
    )


def read_pages(client: Client, pages: list[Page], language: str) -> list[Page]:
    data = data_names()
    for page in pages:
        response = client.get(page.url, HTTP_ACCEPT_LANGUAGE=language)
        # A refused workflow step answers 409 with its form and the reason.
        if response.status_code not in (200, 409):
            page.problems.append(f"answered {response.status_code}, not a page")
            continue
        page.problems += problems_of(page, language, response.content.decode(), data)
    return pages


@pytest.fixture
def superuser_client(samples) -> Client:
    client = Client()
    client.force_login(samples["superuser"][0])
    return client


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("label", MODELS)
def test_every_page_of_a_model_is_in_the_language(superuser_client, samples, label, language):
    model_admin = next(a for m, a in admin.site._registry.items() if m._meta.label_lower == label)
    pages = read_pages(superuser_client, model_pages(label, model_admin, samples), language)

    assert not report(pages, language), report(pages, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_sites_own_pages_are_in_the_language(superuser_client, samples, language):
    pages = read_pages(superuser_client, site_pages(samples["superuser"][0]), language)

    assert not report(pages, language), report(pages, language)


# --- the phrases themselves ---------------------------------------------------------------


def test_every_registered_model_has_its_phrases_and_speaks_them():
    for model, model_admin in admin.site._registry.items():
        assert phrases_for(model), f"add {model._meta.label_lower} to config.admin_text.PHRASES"
        assert isinstance(model_admin, ModelPhrasesMixin), model._meta.label_lower


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("ru", {1: "1 статья", 2: "2 статьи", 5: "5 статей", 11: "11 статей", 21: "21 статья"}),
        ("kk", {1: "1 мақала", 2: "2 мақала", 5: "5 мақала"}),
    ],
)
def test_a_count_takes_the_form_its_number_needs(language, expected):
    with translation.override(language):
        for number, text in expected.items():
            assert PHRASES["news.article"].count_of(number) == text


@pytest.mark.parametrize(
    ("language", "texts"),
    [
        ("ru", ["Выберите статью для изменения", "8 статей", "Добавить статью"]),
        ("kk", ["Өзгерту үшін мақала таңдаңыз", "8 мақала", "Мақала қосу"]),
    ],
)
def test_the_article_list_says_its_heading_count_and_button_whole(
    superuser_client, samples, language, texts
):
    html = superuser_client.get(
        reverse("admin:news_article_changelist"), HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()

    for text in texts:
        assert text in html, text


@pytest.mark.parametrize(
    ("language", "add", "change"),
    [("ru", "Добавить тег", "Изменить тег"), ("kk", "Тег қосу", "Тегті өзгерту")],
)
def test_add_and_change_pages_are_titled_whole(superuser_client, samples, language, add, change):
    tag = samples["taggit.tag"][0]
    add_page = superuser_client.get(reverse("admin:taggit_tag_add"), HTTP_ACCEPT_LANGUAGE=language)
    change_page = superuser_client.get(
        reverse("admin:taggit_tag_change", args=[tag.pk]), HTTP_ACCEPT_LANGUAGE=language
    )

    assert f"<h1>{add}</h1>" in add_page.content.decode()
    assert f"<h1>{change}</h1>" in change_page.content.decode()


@pytest.mark.parametrize(
    ("language", "added", "deleted"),
    [
        ("ru", "Добавлено: группа «Корректоры».", "Удалено: группа «Корректоры»."),
        ("kk", "Сәтті қосылды: топ «Корректоры».", "Сәтті жойылды: топ «Корректоры»."),
    ],
)
def test_messages_after_adding_and_deleting_hold_for_any_noun(
    superuser_client, samples, language, added, deleted
):
    headers = {"HTTP_ACCEPT_LANGUAGE": language}
    # A feminine noun in Russian: Django's own would say "группа … был успешно добавлен".
    response = superuser_client.post(
        reverse("admin:auth_group_add"), {"name": "Корректоры"}, **headers
    )
    group = Group.objects.get(name="Корректоры")
    [message] = get_messages(response.wsgi_request)
    assert re.sub(r"<[^>]+>", "", str(message)) == added  # the name links to the group

    response = superuser_client.post(
        reverse("admin:auth_group_delete", args=[group.pk]), {"post": "yes"}, **headers
    )
    # The add's message is still in the test client's storage: the delete's comes last.
    assert [str(message) for message in get_messages(response.wsgi_request)][-1] == deleted


def test_permissions_are_listed_in_the_readers_language(
    superuser_client, samples, django_assert_max_num_queries
):
    group = samples["auth.group"][0]
    # The first page in a language records it as the person's (people.middleware), once.
    superuser_client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="ru")

    # Labels come from the content types the form already joins: no query per permission
    # (there are over a hundred).
    with django_assert_max_num_queries(6):
        html = superuser_client.get(
            reverse("admin:auth_group_change", args=[group.pk]), HTTP_ACCEPT_LANGUAGE="ru"
        ).content.decode()

    assert "Регионы и ведомства | регион | добавление" in html
    assert "| статья | Может отправлять статьи на проверку" in html  # Pressroom's own
    assert "Can add" not in html


@pytest.mark.parametrize(
    ("url_name", "parameter", "code", "label"),
    [
        ("admin:news_importrun_changelist", "format", "rss", "RSS-лента"),
        (
            "admin:news_translationjob_changelist",
            "error_code",
            "no_engine",
            "нет системы машинного перевода",
        ),
    ],
)
def test_code_filters_offer_labels(superuser_client, samples, url_name, parameter, code, label):
    html = superuser_client.get(reverse(url_name), HTTP_ACCEPT_LANGUAGE="ru").content.decode()

    assert f'href="?{parameter}={code}"' in html
    assert label in html


def test_the_checks_catch_djangos_forms_and_english():
    broken = "Выберите статья для изменения\n8 статьи\nДобавить пользователь\n0 сеансы импорта"
    broken += "\nстатья «Итоги» был успешно добавлен."
    fixed = "Выберите статью для изменения\n8 статей\nДобавить пользователя\n2 статьи"
    page = Page("/admin/", "index")

    assert len(broken_russian(broken)) == 5
    assert broken_russian(fixed) == []
    assert problems_of(
        page, "ru", "<h1>черновик</h1><p>in_review</p><p>View history</p>", set()
    ) == [
        "raw codes: in_review",
        "English: View, history",
        "headings in lower case: черновик",
    ]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("label", ["news.article", "auth.user", "agencies.agencymembership"])
def test_the_bulk_delete_confirmation_is_in_the_language(
    superuser_client, samples, label, language
):
    model = next(m for m in admin.site._registry if m._meta.label_lower == label)
    objects = [obj for obj in samples[label] if obj.pk != samples["superuser"][0].pk] or [
        samples[label][0]
    ]
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    response = superuser_client.post(
        url,
        {"action": "delete_selected", "_selected_action": [obj.pk for obj in objects]},
        HTTP_ACCEPT_LANGUAGE=language,
    )
    page = Page(url, "delete_selected", label)

    assert 'name="post" value="yes"' in response.content.decode()  # the confirmation page
    page.problems = problems_of(page, language, response.content.decode(), data_names())
    assert not page.problems, report([page], language)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("role", ["officer", "editor"])
def test_the_pages_a_press_officer_and_an_editor_see_are_in_the_language(samples, role, language):
    """Their forms differ from a superuser's: their own agency, the workflow's buttons."""
    user = (
        User.objects.get(username="officer")
        if role == "officer"
        else UserFactory(username="editor", groups=["Editors"])
    )
    client = Client()
    client.force_login(user)
    article_admin = admin.site._registry[Article]
    pages = read_pages(
        client,
        [*site_pages(user), *model_pages("news.article", article_admin, samples, user)],
        language,
    )

    assert not report(pages, language), report(pages, language)
