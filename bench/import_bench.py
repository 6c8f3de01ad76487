"""Import throughput and memory: `make bench` prints the figures.

Parses and normalizes generated digests alone, then imports them end to end into SQLite and
PostgreSQL (when it answers), each in a fresh database in its own process, and reports
releases per second and peak memory. Memory should not grow with the file: the 10,000
release run is compared with a 2,000 release one.
"""

import os
import random
import resource
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/")
BENCH_DB = "pressroom_bench"

AGENCIES = ["mod", "mfa", "kostanay", "almaty", "astana", "shymkent", "kgd-akmola", "edu"]
SENTENCES = [
    "The akimat of the region held a meeting with residents on the heating season.",
    "Participants discussed the construction of schools and outpatient clinics.",
    "Over the past two years, 26 primary health care facilities have been built.",
    "The Ministry reported on the implementation of the state programme.",
    "Entrepreneurs raised questions about access to credit and land plots.",
]


def generate_digest(path: Path, count: int, seed: int = 7) -> None:
    rng = random.Random(seed)  # noqa: S311 - repeatable test data, not secrets
    with path.open("w", encoding="utf-8") as out:
        out.write("World\n")
        for n in range(count):
            agency = rng.choice(AGENCIES)
            day = 1 + n % 28
            body = "".join(rng.choice(SENTENCES) for _ in range(rng.randint(3, 8)))
            out.write(f"Release number {n} about regional development {day:02d}.11.2025\n")
            out.write(
                f"{body}Source : https://www.gov.kz/memleket/entities/{agency}/press/news/"
                f"details/{1_000_000 + n}?lang=en\n"
            )


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_parse(path: Path) -> None:
    from news.importing.inputs import iter_input
    from news.importing.normalize import clean_release

    start = time.perf_counter()
    _, items = iter_input(path, format="digest")
    count = sum(1 for item in items)
    parsed = time.perf_counter() - start

    start = time.perf_counter()
    _, items = iter_input(path, format="digest")
    cleaned = sum(1 for item in items if clean_release(item))
    both = time.perf_counter() - start
    print(f"parse only:           {count / parsed:9.0f} releases/s ({count} in {parsed:.2f} s)")
    print(f"parse + normalize:    {cleaned / both:9.0f} releases/s ({cleaned} in {both:.2f} s)")


def bench_import(path: Path, label: str) -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from news.importing.saving import ImportOptions, run_import

    before = peak_rss_mib()
    start = time.perf_counter()
    _, report = run_import(path, input_name=path.name, options=ImportOptions())
    elapsed = time.perf_counter() - start
    start = time.perf_counter()
    _, again = run_import(path, input_name=path.name, options=ImportOptions())
    rerun = time.perf_counter() - start
    print(
        f"{label}: {report.created / elapsed:7.0f} releases/s created "
        f"({report.created} in {elapsed:.1f} s; failed {report.failed}); re-run "
        f"{again.unchanged / rerun:7.0f}/s unchanged {again.unchanged}; "
        f"peak RSS {peak_rss_mib():.0f} MiB (+{peak_rss_mib() - before:.0f} during import)"
    )


def child(mode: str, path: str, label: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    if mode == "parse":
        bench_parse(Path(path))
    else:
        bench_import(Path(path), label)


def run_child(mode: str, path: Path, label: str, database_url: str) -> None:
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "bench",
        "DATABASE_URL": database_url,
        "REDIS_URL": "",
    }
    subprocess.run(  # noqa: S603 - this interpreter running this file
        [sys.executable, __file__, "--child", mode, str(path), label], env=env, check=True
    )


def postgres_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=2):
            return True
    except OSError:
        return False


def recreate_postgres_database() -> str:
    import psycopg

    with psycopg.connect(POSTGRES_URL + "postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")
        connection.execute(f"CREATE DATABASE {BENCH_DB}")
    return POSTGRES_URL + BENCH_DB


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        small, large = Path(folder, "digest-2000.txt"), Path(folder, "digest-10000.txt")
        generate_digest(small, 2_000)
        generate_digest(large, 10_000)
        sizes = [path.stat().st_size >> 10 for path in (small, large)]
        print(f"Generated digests: {sizes[0]} KiB and {sizes[1]} KiB")
        run_child("parse", large, "parse", "sqlite://")
        for path in (small, large):
            database = Path(folder, f"bench-{path.stem}.sqlite3")
            run_child("import", path, f"SQLite     {path.stem}", f"sqlite:///{database}")
        if postgres_answers():
            for path in (small, large):
                run_child("import", path, f"PostgreSQL {path.stem}", recreate_postgres_database())
        else:
            print("PostgreSQL does not answer at 127.0.0.1:5432: its figures are left out.")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(*sys.argv[2:5])
    else:
        main()
