import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from agencies.models import AgencyMembership
from news.management.commands.seed_demo import DEMO_ARTICLES
from news.models import Article, ArticleTransition

Status = Article.Status


@pytest.mark.django_db
def test_demo_has_every_state_with_real_history_and_is_idempotent(settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo")
    output = capsys.readouterr().out
    for username in ("officer.shymkent", "officer.mfa", "editor", "admin"):
        assert username in output
    assert "pressroom-demo" in output

    assert set(Article.objects.values_list("status", flat=True)) == set(Status)
    assert Article.objects.count() == len(DEMO_ARTICLES)
    published = Article.objects.filter(status=Status.PUBLISHED).first()
    assert list(
        published.transitions.order_by("created_at", "id").values_list("name", flat=True)
    ) == ["submit", "approve", "publish"]
    memberships = set(AgencyMembership.objects.values_list("user__username", "agency__slug"))
    assert memberships == {("officer.shymkent", "shymkent"), ("officer.mfa", "mfa")}

    steps = ArticleTransition.objects.count()
    call_command("seed_demo")
    assert Article.objects.count() == len(DEMO_ARTICLES)
    assert ArticleTransition.objects.count() == steps


@pytest.mark.django_db
def test_demo_refuses_to_run_in_production(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DJANGO_DEBUG=1"):
        call_command("seed_demo")
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_demo_releases_were_published_at_times_of_their_own_in_the_order_of_their_days(
    settings,
):
    settings.DEBUG = True
    call_command("seed_demo")
    published = Article.objects.exclude(published_at=None).order_by("-published_at")
    times = [article.published_at for article in published]
    assert len(set(times)) == len(times) == published.count() > 3
    days = [article.release_date for article in published]
    assert days == sorted(days, reverse=True)
    for article in published:
        publish = article.transitions.get(name="publish")
        assert publish.created_at == article.published_at
        assert article.release_date == timezone.localdate(article.published_at)
