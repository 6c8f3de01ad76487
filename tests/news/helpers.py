import json
from datetime import timedelta

from django.utils import timezone

from news.models import Article

from ..factories import ArticleFactory

Status = Article.Status


def article_in(status: str, **kwargs) -> Article:
    """An article already in `status`, with the dates that state requires."""
    now = timezone.now()
    if status == Status.SCHEDULED:
        kwargs.setdefault("publish_at", now + timedelta(days=1))
    if status in (Status.PUBLISHED, Status.UNPUBLISHED):
        kwargs.setdefault("published_at", now - timedelta(days=1))
    return ArticleFactory(status=status, **kwargs)


def transition_kwargs(name: str) -> dict:
    kwargs = {"comment": "Because the figures need a source."}
    if name == "schedule":
        kwargs["publish_at"] = timezone.now() + timedelta(hours=2)
    return kwargs


ENORMOUS_TITLE = "Подрядчик завершил ремонт улиц в Костанае"
ENORMOUS_ENDING = "Последний абзац полного текста о ремонте улиц."
# Longer than an article's body may be (200,000 characters), ending with ENORMOUS_ENDING.
ENORMOUS_PARAGRAPHS = [
    f"Абзац {n}: подрядчик отремонтировал в Костанае ещё один участок улицы Абая."
    for n in range(3000)
] + [ENORMOUS_ENDING]


def enormous_release(format: str) -> bytes:
    """One release in `format` (digest, rss, atom, govkz) with the enormous body."""
    text = " ".join(ENORMOUS_PARAGRAPHS)
    if format == "digest":
        return "\n".join([f"{ENORMOUS_TITLE} 05.03.2026", *ENORMOUS_PARAGRAPHS]).encode()
    if format == "rss":
        return (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Kostanay</title><item><title>{ENORMOUS_TITLE}</title><guid>road-1</guid>"
            "<pubDate>Thu, 05 Mar 2026 10:00:00 +0500</pubDate>"
            f"<description>{text}</description></item></channel></rss>"
        ).encode()
    if format == "atom":
        return (
            '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            "<title>Kostanay</title><id>urn:kostanay</id>"
            "<updated>2026-03-05T10:00:00+05:00</updated>"
            f"<entry><title>{ENORMOUS_TITLE}</title><id>urn:road-1</id>"
            "<updated>2026-03-05T10:00:00+05:00</updated>"
            f'<content type="text">{text}</content></entry></feed>'
        ).encode()
    assert format == "govkz", format
    return json.dumps([enormous_govkz_item()], ensure_ascii=False).encode()


def enormous_govkz_item() -> dict:
    """The enormous release as the gov.kz news API sends it."""
    return {
        "id": 1_200_001,
        "title": ENORMOUS_TITLE,
        "body": "".join(f"<p>{text}</p>" for text in ENORMOUS_PARAGRAPHS),
        "created_date": "2026-03-05T10:00:00+05:00",
        "projects": ["eq:kostanay"],
    }


# The article form's media inlines (media_library.admin), empty: an article form posted by
# hand needs their management forms as it needs the workflow history's.
NO_MEDIA = {
    f"{prefix}-{field}": "0"
    for prefix in ("lead_image", "gallery", "attachments")
    for field in ("TOTAL_FORMS", "INITIAL_FORMS")
}
