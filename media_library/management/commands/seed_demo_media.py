"""Demo photos and a document for `make demo`, on the articles seed_demo made: a park's
photo on a published release, a school's photos on another, a scheduled release's photo
still under embargo, and the school's plan attached to its published release, so a reader
sees a file. Running it again changes nothing.

The photos are drawn here (no files to ship) and uploaded through media_library.services
by the agencies' demo press officers, so they are checked, stripped and rendered as any
upload is.
"""

import io

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from PIL import Image, ImageDraw

from news.models import Article

from ... import services
from ...models import ArticleAttachment, GalleryImage, LeadImage

DEMO_SOURCE = "demo"  # news.management.commands.seed_demo's source of its articles
CREDIT = "Pressroom demo"

# article key, role, sky colour, ground colour, alt text kk / ru / en
PHOTOS = [
    ("shymkent-park", "lead", "#8ecae6", "#2a9d8f",
     "Жағалаудағы жаңа саябақ", "Новый парк на набережной", "The new riverside park"),
    ("shymkent-school", "lead", "#ffd166", "#e76f51",
     "Жаңа мектеп ғимараты", "Здание новой школы", "The new school building"),
    ("shymkent-school", "gallery", "#bde0fe", "#6d597a",
     "Мектептің спорт залы", "Спортивный зал школы", "The school's gym"),
    ("mfa-scheduled", "lead", "#caf0f8", "#0077b6",
     "Министрлік ғимараты", "Здание министерства", "The ministry building"),
]  # fmt: skip


def drawn_photo(sky: str, ground: str, size=(2400, 1600)) -> bytes:
    """A landscape: sky, sun, ground. JPEG, as a camera gives it."""
    picture = Image.new("RGB", size, sky)
    draw = ImageDraw.Draw(picture)
    width, height = size
    draw.rectangle((0, height * 2 // 3, width, height), fill=ground)
    draw.ellipse((width * 3 // 4, height // 8, width * 3 // 4 + 240, height // 8 + 240), "#fff3b0")
    output = io.BytesIO()
    picture.save(output, "JPEG", quality=88)
    return output.getvalue()


def report_pdf() -> bytes:
    """A one-page PDF with a heading-like bar, written object by object."""
    content = b"0.1 0.3 0.5 rg 40 700 515 60 re f 0.6 g 40 120 515 540 re f"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
    ]
    output = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(output))
        output += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(output)
    output += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    output += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    output += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(output)


class Command(BaseCommand):
    help = "Add demo photos and a document to seed_demo's articles (idempotent)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo_media is demo content; it runs only with DJANGO_DEBUG=1.")
        articles = {
            article.external_id: article
            for article in Article.objects.filter(source_key=DEMO_SOURCE).select_related("agency")
        }
        if not articles:
            raise CommandError("Run seed_demo first: the demo media belong to its articles.")
        added = 0
        for key, role, sky, ground, alt_kk, alt_ru, alt_en in PHOTOS:
            article = articles[key]
            if role == "lead" and LeadImage.objects.filter(article=article).exists():
                continue
            if role == "gallery" and article.gallery.exists():
                continue
            image = services.upload_image(
                data=drawn_photo(sky, ground),
                user=self._officer(article),
                agency=article.agency,
                alt_kk=alt_kk,
                alt_ru=alt_ru,
                alt_en=alt_en,
                credit=CREDIT,
                licence="own",
                focal_x=0.75,
                focal_y=0.3,
            )
            if role == "lead":
                LeadImage.objects.create(article=article, image=image)
            else:
                GalleryImage.objects.create(article=article, image=image, position=1)
            added += 1
        school = articles["shymkent-school"]
        if not school.attachments.exists():
            report = services.upload_document(
                data=report_pdf(),
                user=self._officer(school),
                agency=school.agency,
                title_kk="Жаңа мектептің жоспары",
                title_ru="План новой школы",
                title_en="Plan of the new school",
            )
            ArticleAttachment.objects.create(article=school, attachment=report, position=1)
            added += 1
        self.stdout.write(self.style.SUCCESS(f"Demo media ready ({added} new)."))

    @staticmethod
    def _officer(article):
        return get_user_model().objects.get(username=f"officer.{article.agency.slug}")
