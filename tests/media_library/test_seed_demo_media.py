import pytest
from django.core.management import CommandError, call_command

from media_library.models import ArticleAttachment, Image, LeadImage
from news.models import Article

pytestmark = pytest.mark.django_db


def test_demo_media_are_on_seed_demos_articles_and_the_embargo_shows(
    settings, client, django_capture_on_commit_callbacks
):
    settings.DEBUG = True
    call_command("seed_demo")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo_media")

    park = LeadImage.objects.get(article__external_id="shymkent-park").image
    assert park.renditions.count() == 13 and park.alt_kk and park.alt_ru and park.alt_en
    assert client.get(park.get_absolute_url()).status_code == 200  # a published release
    scheduled = LeadImage.objects.get(article__external_id="mfa-scheduled").image
    assert client.get(scheduled.get_absolute_url()).status_code == 404  # under embargo
    report = ArticleAttachment.objects.get(article__external_id="shymkent-school").attachment
    assert (report.kind, report.page_count) == ("pdf", 1) and report.preview

    images = Image.objects.count()
    call_command("seed_demo_media")
    assert Image.objects.count() == images == 4


def test_demo_media_need_the_demo_and_debug(settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="seed_demo first"):
        call_command("seed_demo_media")
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DJANGO_DEBUG=1"):
        call_command("seed_demo_media")
    assert not Article.objects.exists()
