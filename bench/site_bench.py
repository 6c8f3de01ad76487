"""Public site throughput and latency: `make bench` prints the figures after the import's.

Loads 100,000 published articles (Kazakh, Russian and English, with tags, regions and
agencies) into a PostgreSQL database of its own, kept between runs, then serves the site
with gunicorn (2 sync workers, Redis cache) and drives it with wrk (`apt-get install
wrk`). Every URL is measured the same way, twice: under load (requests/s, p50 and p95)
and one request at a time (p50 and p95 with no queueing), with the page cache on and then
off (PRESSROOM_PAGE_CACHE_SECONDS=0; release summaries stay cached by {% cache %}, as after
any publication), and the lists and the release page once more cold, with no cache at all
(bench.cold_settings: Django's dummy cache, so no summary is kept either). Requests per
second are also given as a ratio to /healthz, which does no work, measured just before
each URL, so the figures compare across machines and over a run on a busy one.

The URLs come from the URL configuration: pages that do not exist yet are listed as
skipped. Goals: cached pages at least 0.8 of /healthz; cold, lists at least 0.04 and the
release page at least 0.15; search p95 under 50 ms with the page cache off.
"""

import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

import psycopg

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/")
BENCH_DB = "pressroom_site_bench"
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
ARTICLES = 100_000
PORT = 8765
WORKERS = 2
LOAD_CONNECTIONS = 4  # two per worker: each always has the next request waiting
LOAD_SECONDS = 8
SINGLE_SECONDS = 4
# /healthz is measured again just before each URL: on a shared machine the load of other
# work drifts over the minutes a run takes, and a ratio to a baseline taken minutes
# earlier measured that drift as much as the page.
BASELINE_SECONDS = 4
# A place and a topic, as readers search; the generated text puts both words in about one
# article in 75. The common words are in one article in three: the worst case.
SEARCH_WORDS = "Костанайская отопительный"
COMMON_WORDS = "строительство школ"
WRK = shutil.which("wrk")

TITLES = {
    "ru": [
        "Аким {region} встретился с жителями",
        "В {region} обсудили строительство школ и поликлиник",
        "Отопительный сезон в {region}: ход подготовки",
        "{agency}: итоги работы за квартал",
        "В {region} открыли новый спортивный комплекс",
        "Предприниматели {region} получили льготные кредиты",
    ],
    "kk": [
        "{region} әкімі тұрғындармен кездесті",
        "{region} мектептер мен емханалар құрылысы талқыланды",
        "{region} жылыту маусымына дайындық",
        "{agency}: тоқсан қорытындысы",
        "{region} жаңа спорт кешені ашылды",
        "{region} кәсіпкерлері жеңілдетілген несие алды",
    ],
    "en": [
        "Akim of {region} met residents",
        "{region} discussed the construction of schools and clinics",
        "Heating season in {region}: preparations under way",
        "{agency}: results of the quarter",
        "New sports complex opened in {region}",
        "Entrepreneurs of {region} received soft loans",
    ],
}
SENTENCES = {
    "ru": [
        "Участники обсудили строительство школ и поликлиник в отдалённых сёлах.",
        "За последние два года построено 26 объектов первичной медико-санитарной помощи.",
        "Министерство доложило о ходе реализации государственной программы.",
        "Предприниматели подняли вопросы доступа к кредитам и земельным участкам.",
        "Особое внимание уделено подготовке к отопительному сезону и ремонту сетей.",
        "Аким поручил ускорить выдачу разрешений и обеспечить прозрачность закупок.",
        "В ходе встречи жители задали вопросы о благоустройстве дворов и дорог.",
        "Реализация проекта позволит создать более трёхсот постоянных рабочих мест.",
    ],
    "kk": [
        "Қатысушылар шалғай ауылдардағы мектептер мен емханалар құрылысын талқылады.",
        "Соңғы екі жылда алғашқы медициналық-санитарлық көмектің 26 нысаны салынды.",
        "Министрлік мемлекеттік бағдарламаның іске асырылу барысы туралы баяндады.",
        "Кәсіпкерлер несие мен жер учаскелеріне қол жеткізу мәселелерін көтерді.",
        "Жылыту маусымына дайындық пен желілерді жөндеуге ерекше назар аударылды.",
        "Әкім рұқсат беруді жеделдетуді және сатып алудың ашықтығын қамтамасыз етуді тапсырды.",
        "Кездесу барысында тұрғындар аулалар мен жолдарды абаттандыру туралы сұрақ қойды.",
        "Жобаны іске асыру үш жүзден астам тұрақты жұмыс орнын ашуға мүмкіндік береді.",
    ],
    "en": [
        "Participants discussed the construction of schools and clinics in remote villages.",
        "Over the past two years, 26 primary health care facilities have been built.",
        "The Ministry reported on the implementation of the state programme.",
        "Entrepreneurs raised questions about access to credit and land plots.",
        "Particular attention was paid to the heating season and repairs of the networks.",
        "The akim instructed to speed up permits and keep procurement transparent.",
        "During the meeting residents asked about the improvement of yards and roads.",
        "The project will create more than three hundred permanent jobs.",
    ],
}
TAGS = {
    "ru": ["образование", "здравоохранение", "строительство", "экономика", "спорт", "ЖКХ"],
    "kk": ["білім", "денсаулық", "құрылыс", "экономика", "спорт", "тұрғын үй"],
    "en": ["education", "health", "construction", "economy", "sport", "housing"],
}


# Loading


def connect_django(database_url: str) -> None:
    os.environ.update(bench_environment(database_url, cache_seconds=600))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def ensure_database() -> str:
    with psycopg.connect(POSTGRES_URL + "postgres", autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DB]
        ).fetchone()
        if not exists:
            connection.execute(f"CREATE DATABASE {BENCH_DB}")
    return POSTGRES_URL + BENCH_DB


def load_articles() -> None:
    """Fill the database up to ARTICLES published articles; a full one is reused as is."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone
    from taggit.models import Tag, TaggedItem

    from agencies.models import Agency, Region
    from news.models import Article
    from news.slugs import transliterate_slug

    call_command("migrate", verbosity=0)
    existing = Article.objects.count()
    if existing >= ARTICLES:
        print(f"Reusing {existing} articles in {BENCH_DB}.")
        return
    Article.objects.all().delete()
    rng = random.Random(11)  # noqa: S311 - repeatable test data, not secrets
    agencies = list(Agency.objects.select_related("region"))
    tags = {
        language: [Tag.objects.get_or_create(name=name)[0] for name in names]
        for language, names in TAGS.items()
    }
    content_type = ContentType.objects.get_for_model(Article)
    # The importer files national bodies' releases under the country.
    country = Region.objects.get(kind=Region.Kind.COUNTRY)
    now = timezone.now()
    start = time.perf_counter()
    created = 0
    while created < ARTICLES:
        batch, batch_tags = [], []
        while len(batch) < 2_000 and created + len(batch) < ARTICLES:
            agency = rng.choice(agencies)
            region = agency.region or country
            group = uuid.uuid4()
            published_at = now - timedelta(minutes=rng.randint(10, 2 * 365 * 24 * 60))
            languages = rng.choice([["ru"], ["kk"], ["ru", "kk"], ["ru", "kk", "en"], ["en"]])
            for language in languages:
                n = created + len(batch)
                names = {"region": getattr(region, f"name_{language}"), "agency": agency.name}
                title = rng.choice(TITLES[language]).format(**names)
                paragraphs = [
                    " ".join(rng.sample(SENTENCES[language], 3)) for _ in range(rng.randint(2, 5))
                ]
                batch.append(
                    Article(
                        title=title,
                        slug=f"{transliterate_slug(title, 150)}-{n}",
                        lead=rng.choice(SENTENCES[language]),
                        body="".join(f"<p>{paragraph}</p>" for paragraph in paragraphs),
                        language=language,
                        agency=agency,
                        region=region,
                        status=Article.Status.PUBLISHED,
                        release_date=timezone.localdate(published_at),
                        published_at=published_at,
                        translation_group=group,
                    )
                )
                batch_tags.append(rng.sample(tags[language], rng.randint(0, 3)))
        saved = Article.objects.bulk_create(batch)
        TaggedItem.objects.bulk_create(
            TaggedItem(tag=tag, content_type=content_type, object_id=article.pk)
            for article, article_tags in zip(saved, batch_tags, strict=True)
            for tag in article_tags
        )
        created += len(saved)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"Loaded {created} articles in {time.perf_counter() - start:.0f} s.")


def prepared_database(when_absent: str) -> str | None:
    """The benchmark database, connected and filled; None (said why) without PostgreSQL."""
    try:
        database_url = ensure_database()
    except psycopg.OperationalError as error:
        print(f"PostgreSQL does not answer at {POSTGRES_URL}: {when_absent} ({error}).")
        return None
    connect_django(database_url)
    load_articles()
    return database_url


def postgres_jit() -> str:
    """JIT as the workers' connections have it: the settings turn it off (it cost ~860 ms
    per home page), and the workers get the same settings from the same environment."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        return cursor.fetchone()[0]


@dataclass
class Target:
    label: str
    path: str
    kind: str  # "baseline", "page", "release", "list", "search" or "api"


def targets() -> list[Target]:
    """The URLs to measure, found in the URL configuration; missing pages are skipped."""
    from django.urls import NoReverseMatch, reverse
    from django.utils import translation

    from news.models import Article

    article = (
        Article.objects.published()
        .filter(language="ru", published_at__isnull=False)
        .order_by("-published_at")
        .first()
    )
    search = "?" + urlencode({"q": SEARCH_WORDS})
    common = "?" + urlencode({"q": COMMON_WORDS})
    wanted = [
        ("trivial /healthz", "healthz", {}, "", "baseline"),
        ("home", "public:home", {}, "", "page"),
        ("region list", "public:region", {"slug": "almaty"}, "", "list"),
        ("all releases", "public:article_list", {}, "", "list"),
        ("article", "public:article_detail", {"slug": article.slug}, "", "release"),
        ("search", "public:search", {}, search, "search"),
        ("search, common", "public:search", {}, common, "search"),
        ("feed", "public:feed_atom", {}, "", "list"),
        ("statistics", "public:stats", {}, "", "page"),
        ("API list", "api-v1:article_list", {}, "", "api"),
        ("API search", "api-v1:article_list", {}, search, "api"),
    ]
    found = []
    with translation.override("ru"):
        for label, name, kwargs, query, kind in wanted:
            try:
                found.append(Target(label, reverse(name, kwargs=kwargs) + query, kind))
            except NoReverseMatch:
                print(f"skipped {label}: no URL named {name} yet")
    return found


# Serving and measuring


def bench_environment(database_url: str, cache_seconds: int) -> dict[str, str]:
    return {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "bench",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_LOG_LEVEL": "WARNING",
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL,
        "PRESSROOM_PAGE_CACHE_SECONDS": str(cache_seconds),
        # WhiteNoise notes the missing STATIC_ROOT in every worker; the bench fetches pages only.
        "PYTHONWARNINGS": "ignore:No directory at:UserWarning",
    }


class Server:
    def __init__(
        self, database_url: str, cache_seconds: int, settings_module: str = "config.settings"
    ):
        self.env = {
            **os.environ,
            **bench_environment(database_url, cache_seconds),
            "DJANGO_SETTINGS_MODULE": settings_module,
        }

    def __enter__(self):
        import redis

        redis.Redis.from_url(REDIS_URL).flushdb()
        self.process = start_gunicorn(self.env, port=PORT, workers=WORKERS)
        return self

    def __exit__(self, *exc):
        stop_gunicorn(self.process)


def start_gunicorn(env: dict[str, str], *, port: int, workers: int) -> subprocess.Popen:
    """gunicorn from this virtualenv serving the project on `port`, once it answers."""
    process = subprocess.Popen(  # noqa: S603 - gunicorn from this virtualenv
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "config.wsgi:application",
            f"--workers={workers}",
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("gunicorn did not start within 30 s")


def stop_gunicorn(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)


@dataclass
class Result:
    rps: float
    p50: float
    p95: float
    errors: int


WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95),
    e.connect + e.read + e.write + e.status + e.timeout))
end
"""


def wrk(url: str, connections: int, seconds: int, script: str) -> Result:
    threads = min(connections, 2)
    output = subprocess.run(  # noqa: S603 - wrk with our arguments
        [
            WRK,
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout=10s",
            f"--script={script}",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(line for line in output.splitlines() if line.startswith("RESULT"))
    requests, duration, p50, p95, errors = (int(value) for value in line.split()[1:])
    return Result(requests / (duration / 1e6), p50 / 1000, p95 / 1000, errors)


@dataclass
class Measured:
    loaded: Result
    single: Result
    baseline: float  # requests/s of /healthz under the same load, just before

    @property
    def ratio(self) -> float:
        return self.loaded.rps / self.baseline


def measure(all_targets: list[Target], script: str) -> dict[str, Measured]:
    import httpx

    baseline_url = f"http://127.0.0.1:{PORT}/healthz"
    results = {}
    for target in all_targets:
        url = f"http://127.0.0.1:{PORT}{target.path}"
        response = httpx.get(url, timeout=30)  # warm up: fills the cache when it is on
        if response.status_code != 200:
            print(f"skipped {target.label}: {target.path} answered {response.status_code}")
            continue
        for _ in range(5):
            httpx.get(url, timeout=30)
        baseline = None
        if target.kind != "baseline":
            baseline = wrk(baseline_url, LOAD_CONNECTIONS, BASELINE_SECONDS, script).rps
        loaded = wrk(url, LOAD_CONNECTIONS, LOAD_SECONDS, script)
        single = wrk(url, 1, SINGLE_SECONDS, script)
        results[target.label] = Measured(loaded, single, baseline or loaded.rps)
    return results


def report(title: str, all_targets, results: dict[str, Measured]) -> None:
    print(f"\n{title} (ratio: to /healthz measured just before)")
    print(
        f"{'':18} {'req/s':>7} {'ratio':>6} {'p50 ms':>7} {'p95 ms':>7}"
        f" | 1 at a time: {'p50 ms':>7} {'p95 ms':>7} {'errors':>7}"
    )
    for target in all_targets:
        if target.label not in results:
            continue
        measured = results[target.label]
        loaded, single = measured.loaded, measured.single
        print(
            f"{target.label:18} {loaded.rps:7.0f} {measured.ratio:6.2f} "
            f"{loaded.p50:7.1f} {loaded.p95:7.1f} |              {single.p50:7.1f} "
            f"{single.p95:7.1f} {loaded.errors + single.errors:7d}"
        )


# Every cache off (the first rendering after a change of a region, agency or tag): what a
# reader waits for at worst.
COLD_GOALS = {"list": 0.04, "release": 0.15}


def goals(all_targets, cached, uncached, cold) -> None:
    print("\nGoals")
    for target in all_targets:
        label = target.label
        if target.kind in ("page", "release", "list", "search") and label in cached:
            ratio = cached[label].ratio
            verdict = "met" if ratio >= 0.8 else "NOT met"
            print(f"  cached {label}: {ratio:.2f} of /healthz (goal >= 0.8) {verdict}")
        if label in cold and target.kind in COLD_GOALS:
            ratio, goal = cold[label].ratio, COLD_GOALS[target.kind]
            verdict = "met" if ratio >= goal else "NOT met"
            print(f"  cold {label}: {ratio:.2f} of /healthz (goal >= {goal}) {verdict}")
        if target.kind in ("search", "api") and "search" in label and label in uncached:
            loaded, single = uncached[label].loaded, uncached[label].single
            verdict = "met" if single.p95 < 50 else "NOT met"
            print(
                f"  uncached {label}: p95 {single.p95:.1f} ms one at a time, {loaded.p95:.1f} ms"
                f" under load (goal < 50 ms) {verdict}"
            )


def main() -> None:
    if not WRK:
        print("The site benchmark needs wrk: apt-get install wrk (skipped).")
        return
    database_url = prepared_database("site figures left out")
    if not database_url:
        return
    jit = postgres_jit()
    all_targets = targets()
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder, "report.lua")
        script.write_text(WRK_SCRIPT)
        with Server(database_url, cache_seconds=600):
            cached = measure(all_targets, str(script))
        with Server(database_url, cache_seconds=0):
            uncached = measure(all_targets, str(script))
        coldest = [target for target in all_targets if target.kind in ("baseline", *COLD_GOALS)]
        with Server(database_url, cache_seconds=0, settings_module="bench.cold_settings"):
            cold = measure(coldest, str(script))
    print(
        f"\nSite: {ARTICLES} articles, gunicorn {WORKERS} sync workers, Redis cache; wrk "
        f"{LOAD_CONNECTIONS} connections for {LOAD_SECONDS} s, then 1 for {SINGLE_SECONDS} s; "
        f"PostgreSQL JIT {jit} for the site's connections"
    )
    report("Cached (PRESSROOM_PAGE_CACHE_SECONDS=600)", all_targets, cached)
    report("Uncached (PRESSROOM_PAGE_CACHE_SECONDS=0)", all_targets, uncached)
    report("Cold (no cache at all: bench.cold_settings)", coldest, cold)
    goals(all_targets, cached, uncached, cold)


if __name__ == "__main__":
    main()
