"""Photos: `make bench` prints the figures after the site's.

1. Twenty 12-megapixel JPEGs (4000×3000, as a phone takes them) uploaded through the media
   library's checks, each followed by its renditions, in one process as one worker with
   one slot makes them: seconds until every rendition exists, and the process's peak
   memory beside what one decoded photo takes (renditions hold one picture at a time).
2. A release page with a lead photo and a gallery of ten, served by gunicorn on the
   embedded default: Lighthouse's performance score (mobile, in Debian's Chromium; goal at
   least 95), and the image bytes a 390 px wide phone screen (3 device pixels per CSS pixel)
   loads at first and after scrolling to the end.

Each part runs in a fresh SQLite database and media folder of its own. Lighthouse comes
from the npm registry into .bench-tools/ (`make bench` installs it); without Node.js or
Chromium that part says so and is skipped.
"""

import io
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from site_bench import start_gunicorn, stop_gunicorn

ROOT = Path(__file__).resolve().parent.parent
PHOTOS = 20
PHOTO_SIZE = (4000, 3000)
GALLERY = 10
PORT = 8766
LIGHTHOUSE = ROOT / ".bench-tools" / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
LIGHTHOUSE_GOAL = 95


def environment(folder: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "bench",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_LOG_LEVEL": "WARNING",
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "REDIS_URL": "",  # tasks in-process, local-memory cache: the embedded default
        "PRESSROOM_MEDIA_ROOT": str(folder / "media"),
        "PYTHONWARNINGS": "ignore:No directory at:UserWarning",
    }


def phone_photo(seed: int) -> bytes:
    """A 12-megapixel JPEG with detail everywhere (noise over shapes), so it weighs what a
    phone's photo does (a few megabytes) rather than what a flat picture would."""
    from PIL import Image, ImageDraw

    rng = random.Random(seed)  # noqa: S311 - a picture, not a secret
    picture = Image.effect_noise(PHOTO_SIZE, 48).convert("RGB")
    tint = Image.new("RGB", PHOTO_SIZE, (rng.randint(60, 200), rng.randint(60, 200), 140))
    picture = Image.blend(picture, tint, 0.6)
    draw = ImageDraw.Draw(picture)
    for _ in range(40):
        x, y = rng.randint(0, PHOTO_SIZE[0]), rng.randint(0, PHOTO_SIZE[1])
        colour = (rng.randint(0, 255), rng.randint(0, 255), rng.randint(0, 255))
        draw.ellipse((x, y, x + rng.randint(50, 600), y + rng.randint(50, 600)), fill=colour)
    output = io.BytesIO()
    picture.save(output, "JPEG", quality=88)
    return output.getvalue()


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def an_officer():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from agencies.models import Agency, AgencyMembership
    from news import roles

    agency = Agency.objects.get(slug="shymkent")
    officer = get_user_model().objects.create_user("bench.officer", is_staff=True)
    officer.groups.add(Group.objects.get(name=roles.PRESS_OFFICERS))
    AgencyMembership.objects.create(user=officer, agency=agency)
    return officer, agency


def upload(officer, agency, data: bytes, n: int):
    from media_library import services

    return services.upload_image(
        data=data, user=officer, agency=agency, alt_en=f"Photo {n}", alt_ru=f"Фото {n}",
        licence="own",
    )  # fmt: skip


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_renditions(photos: Path) -> None:
    setup_django()
    from media_library import safety
    from media_library.models import Rendition

    officer, agency = an_officer()
    files = sorted(photos.glob("*.jpg"))
    megabytes = sum(path.stat().st_size for path in files) / 1e6
    before = peak_rss_mib()
    safety.check_image(files[0].read_bytes())  # the upload's check alone, kept apart
    checked = peak_rss_mib()
    start, cpu = time.perf_counter(), time.process_time()
    for n, path in enumerate(files):
        upload(officer, agency, path.read_bytes(), n)  # renditions run after the commit
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    decoded = PHOTO_SIZE[0] * PHOTO_SIZE[1] * 3 / 2**20
    print(
        f"{len(files)} photos of {PHOTO_SIZE[0]}×{PHOTO_SIZE[1]} ({megabytes:.0f} MB of JPEG): "
        f"uploaded and {Rendition.objects.count()} renditions made in {seconds:.1f} s, "
        f"{cpu:.1f} s of CPU ({cpu / len(files):.2f} s a photo, one worker)"
    )
    print(
        f"peak memory {peak_rss_mib():.0f} MiB: {peak_rss_mib() - before:.0f} MiB over the "
        f"{before:.0f} MiB before the first upload, of which checking a photo alone "
        f"{checked - before:.0f} MiB; one decoded photo is {decoded:.0f} MiB"
    )


def child_release_page(photos: Path) -> None:
    setup_django()
    from django.utils import timezone

    from media_library.models import GalleryImage, LeadImage
    from news.models import Article

    officer, agency = an_officer()
    article = Article.objects.create(
        title="Shymkent opened a new park", lead="Twelve hectares of green in the city centre.",
        body="".join(f"<p>{'The akimat opened a park with alleys and fountains. ' * 8}</p>"
                     for _ in range(6)),
        language="en", agency=agency, region=agency.region, author=officer,
        status=Article.Status.PUBLISHED, published_at=timezone.now(),
        release_date=timezone.localdate(),
    )  # fmt: skip
    files = sorted(photos.glob("*.jpg"))
    lead = upload(officer, agency, files[0].read_bytes(), 0)
    LeadImage.objects.create(article=article, image=lead)
    for n in range(1, GALLERY + 1):
        image = upload(officer, agency, files[n].read_bytes(), n)
        GalleryImage.objects.create(article=article, image=image, position=n)
    print(article.get_absolute_url())


def run_child(part: str, folder: Path, photos: Path) -> str:
    return subprocess.run(  # noqa: S603 - this interpreter running this file
        [sys.executable, __file__, "--child", part, str(photos)],
        env=environment(folder), cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip


class Server:
    def __init__(self, folder: Path):
        self.env = environment(folder)

    def __enter__(self):
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
            env=self.env, cwd=ROOT, check=True,
        )  # fmt: skip
        self.process = start_gunicorn(self.env, port=PORT, workers=2)
        return self

    def __exit__(self, *exc):
        stop_gunicorn(self.process)


def lighthouse_score(url: str, folder: Path) -> float | None:
    node = shutil.which("node")
    if not (LIGHTHOUSE.exists() and node and Path(CHROMIUM).exists()):
        print("Lighthouse skipped: needs Node.js, .bench-tools/ (make bench) and chromium")
        return None
    report = folder / "lighthouse.json"
    subprocess.run(  # noqa: S603 - Lighthouse from .bench-tools
        [node, str(LIGHTHOUSE), url, "--only-categories=performance", "--output=json",
         f"--output-path={report}", "--quiet",
         "--chrome-flags=--headless=new --no-sandbox --disable-gpu"],
        env={**os.environ, "CHROME_PATH": CHROMIUM}, check=True,
    )  # fmt: skip
    audits = json.loads(report.read_text())
    for name in ("first-contentful-paint", "largest-contentful-paint", "cumulative-layout-shift",
                 "total-blocking-time"):  # fmt: skip
        print(f"  {audits['audits'][name]['title']}: {audits['audits'][name]['displayValue']}")
    return audits["categories"]["performance"]["score"] * 100


def image_bytes_on_a_phone(url: str) -> tuple[int, int]:
    """Image bytes a 390 px wide screen loads at first, and after scrolling to the end."""
    from playwright.sync_api import sync_playwright

    loaded: dict[str, int] = {}

    def count(response):
        if response.request.resource_type == "image":
            loaded[response.url] = len(response.body())

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=3)
        page.on("response", count)
        page.goto(url, wait_until="networkidle")
        first = sum(loaded.values())
        for _ in range(40):
            page.mouse.wheel(0, 800)
            page.wait_for_timeout(100)
        page.wait_for_load_state("networkidle")
        browser.close()
    return first, sum(loaded.values())


def main() -> None:
    print("\nPhotos (media library)")
    with tempfile.TemporaryDirectory() as name:
        photos = Path(name)
        for n in range(PHOTOS):
            (photos / f"{n:02}.jpg").write_bytes(phone_photo(n))
        with tempfile.TemporaryDirectory() as folder:
            print(run_child("renditions", Path(folder), photos), end="")
        with tempfile.TemporaryDirectory() as folder:
            release_page(Path(folder), run_child("page", Path(folder), photos).strip())


def release_page(folder: Path, path: str) -> None:
    with Server(folder):
        url = f"http://127.0.0.1:{PORT}{path}"
        print(f"A release with a lead photo and a gallery of {GALLERY}, photos as above:")
        score = lighthouse_score(url, folder)
        if score is not None:
            verdict = "met" if score >= LIGHTHOUSE_GOAL else "NOT MET"
            print(f"  Lighthouse performance {score:.0f} (goal {LIGHTHOUSE_GOAL}: {verdict})")
        if not Path(CHROMIUM).exists():
            print("  image bytes skipped: no chromium (apt-get install chromium)")
            return
        first, scrolled = image_bytes_on_a_phone(url)
        print(
            f"  image bytes on a 390 px screen (3x): {first / 1024:.0f} KiB at first, "
            f"{scrolled / 1024:.0f} KiB after scrolling to the end"
        )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        photos = Path(sys.argv[3])
        if sys.argv[2] == "renditions":
            child_renditions(photos)
        else:
            child_release_page(photos)
    else:
        main()
