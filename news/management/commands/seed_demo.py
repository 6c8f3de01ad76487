"""Demo users and sample articles in every workflow state, for `make demo`.

Every state is reached through news.workflow, so the demo articles carry a real workflow
history. Running it again changes nothing.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from agencies.models import Agency, AgencyMembership
from news import roles, workflow
from news.models import Article, ArticleTransition

DEMO_SOURCE = "demo"
DEMO_PASSWORD = "pressroom-demo"  # noqa: S105 - printed for the newcomer; DEBUG only

# username, group, agency slug (press officers only), superuser
DEMO_USERS = [
    ("officer.shymkent", roles.PRESS_OFFICERS, "shymkent", False),
    ("officer.mfa", roles.PRESS_OFFICERS, "mfa", False),
    ("editor", roles.EDITORS, None, False),
    ("admin", roles.ADMINISTRATORS, None, True),
]

# The steps that take an article from draft to each state, as (transition, actor role).
PATHS = {
    Article.Status.DRAFT: [],
    Article.Status.IN_REVIEW: [("submit", "author")],
    Article.Status.CHANGES_REQUESTED: [("submit", "author"), ("request_changes", "editor")],
    Article.Status.APPROVED: [("submit", "author"), ("approve", "editor")],
    Article.Status.SCHEDULED: [("submit", "author"), ("approve", "editor"), ("schedule", "editor")],
    Article.Status.PUBLISHED: [("submit", "author"), ("approve", "editor"), ("publish", "editor")],
    Article.Status.UNPUBLISHED: [
        ("submit", "author"),
        ("approve", "editor"),
        ("publish", "editor"),
        ("unpublish", "editor"),
    ],
    Article.Status.ARCHIVED: [("submit", "author"), ("approve", "editor"), ("archive", "editor")],
}

S = Article.Status
# key, agency, language, status, days ago, title, lead, paragraphs, tags
DEMO_ARTICLES = [
    ("shymkent-park", "shymkent", "en", S.PUBLISHED, 1,
     "A new riverside park opens in Shymkent",
     "The park along the Koshkar-Ata river adds twelve hectares of green space.",
     ["The akimat of Shymkent opened a riverside park with walking paths, sports grounds "
      "and a playground for children with disabilities.",
      "Residents proposed the site at open meetings with the akim last spring; the works "
      "were financed from the city budget."],
     ["parks", "urban development"]),
    ("shymkent-bus", "shymkent", "ru", S.PUBLISHED, 2,
     "В Шымкенте вышли на линию 50 новых автобусов",
     "Городской парк пополнился автобусами на газовом топливе.",
     ["Акимат Шымкента передал перевозчикам 50 новых автобусов, работающих на газе.",
      "Новые машины оборудованы пандусами и системой безналичной оплаты проезда."],
     ["transport"]),
    ("shymkent-school", "shymkent", "kk", S.PUBLISHED, 3,
     "Шымкентте 1200 орындық жаңа мектеп ашылды",
     "Жаңа мектеп Тұран ауданындағы оқушыларға арналған.",
     ["Шымкент қаласының әкімдігі 1200 орындық жаңа мектептің ашылғанын хабарлайды.",
      "Мектепте робототехника кабинеттері мен спорт залы бар."],
     ["education"]),
    ("shymkent-water", "shymkent", "en", S.IN_REVIEW, 0,
     "Water supply works in the Abai district to finish by spring",
     "Eleven kilometres of mains are being replaced.",
     ["The city's water utility is replacing worn mains in the Abai district.",
      "Households will be told of short interruptions two days in advance."],
     ["utilities"]),
    ("shymkent-budget", "shymkent", "en", S.CHANGES_REQUESTED, 0,
     "Public hearing on the city budget for next year",
     "Residents can comment on the draft budget until the end of the month.",
     ["The akimat invites residents to a public hearing on the draft city budget."],
     ["budget"]),
    ("shymkent-draft", "shymkent", "ru", S.DRAFT, 0,
     "Подготовка к зимнему сезону в Шымкенте",
     "Коммунальные службы завершают подготовку к отопительному сезону.",
     ["Коммунальные службы города завершают промывку тепловых сетей."],
     ["utilities"]),
    ("shymkent-approved", "shymkent", "en", S.APPROVED, 0,
     "Shymkent hosts a regional handicraft fair",
     "Craftspeople from four regions show their work this weekend.",
     ["The fair on Independence Square brings together more than two hundred craftspeople."],
     ["culture"]),
    ("shymkent-archived", "shymkent", "en", S.ARCHIVED, 30,
     "Road repairs on Tauke Khan Avenue",
     "Traffic was diverted during the repairs.",
     ["The repairs of Tauke Khan Avenue were completed ahead of schedule."],
     ["roads"]),
    ("mfa-un", "mfa", "en", S.PUBLISHED, 1,
     "Kazakhstan and the UN discuss cooperation for the coming year",
     "The First Deputy Minister met the UN Resident Coordinator in Astana.",
     ["The parties reviewed the results of joint programmes and agreed on priorities for "
      "the coming year, including water management and digital public services."],
     ["diplomacy", "united nations"]),
    ("mfa-consular", "mfa", "ru", S.PUBLISHED, 4,
     "МИД напоминает гражданам о правилах въезда в страны Шенгенской зоны",
     "С нового года вводится электронная система регистрации въезда.",
     ["Министерство иностранных дел рекомендует гражданам заранее проверить сроки "
      "действия паспортов и виз."],
     ["consular services"]),
    ("mfa-kk", "mfa", "kk", S.PUBLISHED, 5,
     "Сыртқы істер министрі Жапония елшісімен кездесті",
     "Тараптар екіжақты ынтымақтастық мәселелерін талқылады.",
     ["Кездесуде сауда-экономикалық байланыстарды нығайту мәселелері қаралды."],
     ["diplomacy"]),
    ("mfa-scheduled", "mfa", "en", S.SCHEDULED, -1,
     "Foreign Minister to visit Geneva next week",
     "The visit includes meetings at the UN Office at Geneva.",
     ["The Minister will address the Conference on Disarmament."],
     ["diplomacy"]),
    ("mfa-unpublished", "mfa", "en", S.UNPUBLISHED, 6,
     "Embassy working hours during the holidays",
     "The notice was withdrawn after the schedule changed.",
     ["The embassy announced its holiday working hours."],
     ["consular services"]),
    ("mfa-review", "mfa", "ru", S.IN_REVIEW, 0,
     "Казахстан и Узбекистан обсудили делимитацию границы",
     "Состоялось очередное заседание совместной комиссии.",
     ["Стороны подвели итоги работы экспертных групп."],
     ["diplomacy"]),
]  # fmt: skip


class Command(BaseCommand):
    help = "Create demo users and sample articles in every workflow state (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off (never in production)."
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates users with a published password; it runs only with "
                "DJANGO_DEBUG=1 (or --force)."
            )
        # Demo notifications would only flood the console.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            users = self._users()
            created = sum(
                self._article(users, index, *row) for index, row in enumerate(DEMO_ARTICLES)
            )
        self.stdout.write(self.style.SUCCESS(f"Demo content ready ({created} new articles)."))
        self.stdout.write("Log in at http://127.0.0.1:8000/admin/ with password " + DEMO_PASSWORD)
        for username, group, agency_slug, _superuser in DEMO_USERS:
            where = f" for agency '{agency_slug}'" if agency_slug else ""
            self.stdout.write(f"  {username:<18} {group}{where}")

    @transaction.atomic
    def _users(self) -> dict:
        users = {}
        for username, group, agency_slug, superuser in DEMO_USERS:
            user, created = get_user_model().objects.get_or_create(
                username=username,
                defaults={
                    "email": f"{username}@pressroom.example",
                    "is_staff": True,
                    "is_superuser": superuser,
                },
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            user.groups.add(Group.objects.get(name=group))
            if agency_slug:
                AgencyMembership.objects.get_or_create(
                    user=user, agency=Agency.objects.get(slug=agency_slug)
                )
            users[username] = user
        return users

    def _article(self, users, index, key, agency_slug, language, status, days_ago, title, lead,
                 paragraphs, tags) -> bool:  # fmt: skip
        if Article.objects.filter(source_key=DEMO_SOURCE, external_id=key).exists():
            return False
        agency = Agency.objects.get(slug=agency_slug)
        author = users[f"officer.{agency_slug}"]
        article = Article.objects.create(
            title=title,
            lead=lead,
            body="".join(f"<p>{paragraph}</p>" for paragraph in paragraphs),
            language=language,
            agency=agency,
            region=agency.region,
            author=author,
            source_key=DEMO_SOURCE,
            external_id=key,
            release_date=timezone.localdate() - timedelta(days=max(days_ago, 0)),
        )
        article.tags.add(*tags)
        actors = {"author": author, "editor": users["editor"]}
        for name, role in PATHS[status]:
            workflow.apply_transition(
                name,
                article=article,
                user=actors[role],
                comment="Please add the date of the event." if name == "request_changes"
                else ("Superseded by a new notice." if name == "unpublish" else ""),
                publish_at=timezone.now() + timedelta(days=-days_ago)
                if name == "schedule" else None,
            )  # fmt: skip
        if days_ago > 0:
            self._move_into_the_past(article, days_ago, index)
        return True

    @staticmethod
    def _move_into_the_past(article, days_ago: int, index: int) -> None:
        """Date a release written days ago as it would be: its steps an hour apart on its
        release day, ending at a working hour of its own, so the site lists the demo's
        releases in a readable order rather than all at the second the demo was made."""
        day = timezone.localtime() - timedelta(days=days_ago)
        finished = day.replace(hour=9, minute=0, second=0, microsecond=0) + timedelta(
            minutes=index * 53 % 480
        )
        steps = list(article.transitions.order_by("created_at", "pk"))
        for position, step in enumerate(steps):
            step.created_at = finished - timedelta(hours=len(steps) - 1 - position)
        ArticleTransition.objects.bulk_update(steps, ["created_at"])
        publication = next((step for step in steps if step.name == "publish"), None)
        Article.objects.filter(pk=article.pk).update(
            created_at=finished - timedelta(hours=len(steps)),
            updated_at=finished,
            published_at=publication.created_at if publication else None,
        )
