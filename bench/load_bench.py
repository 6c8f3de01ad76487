"""Load test of the public site: `make bench` prints it after the site figures.

Serves the site benchmark's database (100,000 articles, loaded by bench/site_bench.py and
kept) with gunicorn as production does (2 sync workers, Redis page cache), then has wrk
keep 50 clients busy on a mix of public pages in three languages (home, lists, regions,
agencies, tags, archive, articles, search, a feed, statistics) for 60 s or 200,000
requests, whichever comes first. Prints throughput, p50 and p99 latency and the errors:
failed connections, timeouts and any answer but 200. Goal: no errors.

Then the same load in a publication storm: an editor publishes a release (through the
workflow, as the admin does) every BENCH_LOAD_PUBLISH_EVERY seconds (10), so the page
cache is dropped again and again as on a busy day. Goals: at least 1,000 requests/s, p99
under 150 ms, no errors.

BENCH_LOAD_CLIENTS, BENCH_LOAD_SECONDS and BENCH_LOAD_MAX_REQUESTS change the bounds;
BENCH_LOAD_PORT (8766) and BENCH_LOAD_REDIS_URL (database 12) where the server runs.
"""

import os
import signal
import socket
import subprocess
import tempfile
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

import site_bench
from site_bench import BENCH_DB, WORKERS, WRK, Server, prepared_database

# site_bench's server, on a port and a Redis database of the load test's own, so that a site
# benchmark running at the same time is neither measured nor has its cache flushed.
site_bench.PORT = PORT = int(os.environ.get("BENCH_LOAD_PORT", "8766"))
site_bench.REDIS_URL = os.environ.get("BENCH_LOAD_REDIS_URL", "redis://127.0.0.1:6379/12")
CLIENTS = int(os.environ.get("BENCH_LOAD_CLIENTS", "50"))
SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "60"))
MAX_REQUESTS = int(os.environ.get("BENCH_LOAD_MAX_REQUESTS", "200000"))
PUBLISH_EVERY = float(os.environ.get("BENCH_LOAD_PUBLISH_EVERY", "10"))
THREADS = 2
ARTICLES_PER_LANGUAGE = 20
STORM_GOALS = {"requests/s": 1000, "p99 ms": 150}

# Each wrk thread walks the page list from its own offset and stops after its share of the
# request budget, saying so (wrk would otherwise sit out its duration and understate the
# throughput); done() adds up what every thread saw, answers other than 200 included (wrk
# itself counts only 4xx/5xx as errors).
WRK_SCRIPT = """
local paths = {%(paths)s}
local threads = {}
local counter = 0
function setup(thread)
  thread:set("offset", #threads * 7)
  table.insert(threads, thread)
end
function init(args)
  budget = %(budget)d
  seen, not_ok = 0, 0
end
function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter + offset) %% #paths + 1])
end
function response(status, headers, body)
  seen = seen + 1
  if status ~= 200 then not_ok = not_ok + 1 end
  if seen == budget then
    io.write("SPENT\\n")
    io.flush()
    wrk.thread:stop()
  end
end
function done(summary, latency, requests)
  local not_ok = 0
  for _, thread in ipairs(threads) do not_ok = not_ok + thread:get("not_ok") end
  local e = summary.errors
  io.write(string.format("RESULT %%d %%d %%d %%d %%d %%d %%d\\n", summary.requests,
    summary.duration, latency:percentile(50), latency:percentile(99), latency.max,
    e.connect + e.read + e.write + e.timeout, not_ok))
end
"""


def public_paths() -> list[str]:
    """A mix of the public pages a reader opens, in Kazakh, Russian and English."""
    from django.urls import reverse
    from django.utils import translation
    from taggit.models import Tag

    from agencies.models import Agency, Region
    from news.models import Article

    region = Region.objects.filter(articles__isnull=False).order_by("pk").first()
    agency = Agency.objects.filter(articles__isnull=False).order_by("pk").first()
    tag = Tag.objects.order_by("pk").first()
    newest = Article.objects.published().order_by("-published_at").first()
    paths = []
    for language in ("kk", "ru", "en"):
        with translation.override(language):
            paths += [
                reverse("public:home"),
                reverse("public:article_list"),
                reverse("public:region", kwargs={"slug": region.slug}),
                reverse("public:agency", kwargs={"slug": agency.slug}),
                reverse("public:tag", kwargs={"slug": tag.slug}),
                reverse("public:archive_year", kwargs={"year": newest.published_at.year}),
                reverse("public:search") + "?" + urlencode({"q": "school"}),
                reverse("public:feed_atom"),
                reverse("public:stats"),
            ]
            articles = (
                Article.objects.published()
                .filter(language=language)
                .order_by("-published_at")[:ARTICLES_PER_LANGUAGE]
            )
            paths += [article.get_absolute_url() for article in articles]
    return paths


def check_pages(paths: list[str]) -> list[str]:
    """The pages that answer 200 (each once, which also fills the cache); others are said."""
    import httpx

    answering = []
    for path in paths:
        status = httpx.get(f"http://127.0.0.1:{PORT}{path}", timeout=30).status_code
        if status == 200:
            answering.append(path)
        else:
            print(f"  left out {path}: it answered {status} before the load")
    return answering


class PublicationStorm:
    """Publishes a release every PUBLISH_EVERY seconds while it runs, as an editor would:
    copies of published releases, approved, then taken through the workflow's "publish"."""

    def __init__(self, count: int):
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group

        from news import roles
        from news.models import Article

        self.editor, _created = get_user_model().objects.get_or_create(
            username="bench-editor", defaults={"is_staff": True}
        )
        self.editor.groups.add(Group.objects.get(name=roles.EDITORS))
        stamp = time.strftime("%Y%m%d%H%M%S")
        self.waiting = []
        for number, model in enumerate(Article.objects.published().order_by("-id")[:count]):
            model.pk, model.id, model.slug = None, None, f"storm-{stamp}-{number}"
            model.title = f"{model.title} ({stamp}-{number})"
            model.status, model.published_at, model.translation_group = (
                Article.Status.APPROVED,
                None,
                uuid.uuid4(),
            )
            model.save()
            self.waiting.append(model)
        self.published = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self) -> None:
        from django.db import connection

        from news import workflow

        try:
            while self.waiting and not self.stop.wait(PUBLISH_EVERY):
                workflow.apply_transition("publish", article=self.waiting.pop(0), user=self.editor)
                self.published += 1
        finally:
            connection.close()

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(timeout=60)
        for article in self.waiting:  # not published in time: no unpublished copy stays
            article.delete()


def run_wrk(paths: list[str], script: Path) -> list[int]:
    script.write_text(
        WRK_SCRIPT
        % {
            "paths": ", ".join(f'"{path}"' for path in paths),
            "budget": MAX_REQUESTS // THREADS,
        }
    )
    process = subprocess.Popen(  # noqa: S603 - wrk with our arguments
        [
            WRK,
            f"-t{THREADS}",
            f"-c{CLIENTS}",
            f"-d{SECONDS}s",
            "--timeout=10s",
            f"--script={script}",
            f"http://127.0.0.1:{PORT}",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    spent, result = 0, None
    for line in process.stdout:
        if line.startswith("RESULT"):
            result = [int(value) for value in line.split()[1:]]
        elif line.startswith("SPENT"):
            spent += 1
            if spent == THREADS:
                # Every thread used its budget: SIGINT ends wrk's wait, and it reports the
                # time it really ran.
                process.send_signal(signal.SIGINT)
    if process.wait(timeout=60) != 0 or result is None:
        raise RuntimeError(f"wrk failed (exit status {process.returncode})")
    return result


def main() -> None:
    if not WRK:
        print("The load test needs wrk: apt-get install wrk (skipped).")
        return
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", PORT)) == 0:
            print(f"Port {PORT} is taken: set BENCH_LOAD_PORT to a free one (load test skipped).")
            return
    database_url = prepared_database("load test left out")
    if not database_url:
        return
    paths = public_paths()
    print(
        f"\nLoad: {CLIENTS} clients on {len(paths)} public pages for {SECONDS} s or "
        f"{MAX_REQUESTS} requests; {BENCH_DB}, gunicorn {WORKERS} sync workers, Redis cache"
    )
    with tempfile.TemporaryDirectory() as folder, Server(database_url, cache_seconds=600):
        paths = check_pages(paths)
        report(run_wrk(paths, Path(folder, "load.lua")))
        storm = PublicationStorm(count=int(SECONDS // PUBLISH_EVERY) + 1)
        print(f"\nPublication storm: the same load, a release published every {PUBLISH_EVERY:g} s")
        with storm:
            result = run_wrk(paths, Path(folder, "storm.lua"))
        print(f"  {storm.published} releases published during the run")
        report(result, STORM_GOALS)


def report(result: list[int], goals: dict[str, float] | None = None) -> None:
    requests, duration, p50, p99, worst, failed, not_ok = result
    seconds = duration / 1e6
    errors = failed + not_ok
    print(
        f"  {requests} requests in {seconds:.1f} s: {requests / seconds:.0f} req/s, "
        f"p50 {p50 / 1000:.1f} ms, p99 {p99 / 1000:.1f} ms, max {worst / 1000:.1f} ms"
    )
    print(
        f"  errors: {errors} ({failed} connection errors or timeouts, "
        f"{not_ok} answers other than 200)"
    )
    met = errors == 0
    if goals:
        met = met and requests / seconds >= goals["requests/s"] and p99 / 1000 < goals["p99 ms"]
        wanted = f"≥ {goals['requests/s']} req/s, p99 < {goals['p99 ms']} ms, no errors"
    else:
        wanted = "no errors"
    print(f"  goal: {wanted} — {'met' if met else 'NOT met'}")


if __name__ == "__main__":
    main()
