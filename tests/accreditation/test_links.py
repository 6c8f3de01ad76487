"""Personal links (accreditation.links): what a token opens, read afresh on every use."""

from datetime import timedelta

import pytest
from django.core import signing
from django.utils import timezone

from accreditation import links
from accreditation.links import Verdict
from news import workflow
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_a_token_opens_its_release_until_the_embargo(journalist, embargoed):
    token = links.make_token(journalist, embargoed, embargoed)

    link = links.resolve(token)

    assert link.verdict is Verdict.EMBARGOED
    assert (link.accreditation, link.article, link.version) == (journalist, embargoed, embargoed)


def test_at_the_embargo_the_token_leads_to_the_public_release(journalist, embargoed):
    token = links.make_token(journalist, embargoed, embargoed)

    assert links.resolve(token, now=embargoed.publish_at).verdict is Verdict.PUBLIC
    assert links.resolve(token, now=embargoed.publish_at - timedelta(seconds=1)).verdict is (
        Verdict.EMBARGOED
    )


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),
        lambda token: token.replace(":", "", 1),
        lambda token: "",
        lambda token: "not-a-token",
        lambda token: token + "x" * 5000,
    ],
)
def test_a_tampered_token_is_invalid(journalist, embargoed, tamper):
    token = links.make_token(journalist, embargoed, embargoed)

    assert links.resolve(tamper(token)).verdict is Verdict.INVALID


def test_a_token_signed_for_something_else_is_invalid(journalist, embargoed):
    payload = {"a": journalist.pk, "r": embargoed.pk, "v": embargoed.pk, "t": 0}
    other_salt = signing.dumps(payload, salt="something.else")
    wrong_shape = signing.dumps({"a": "x"}, salt=links.SALT)

    assert links.resolve(other_salt).verdict is Verdict.INVALID
    assert links.resolve(wrong_shape).verdict is Verdict.INVALID


def test_a_version_of_another_release_is_invalid(journalist, embargoed):
    unrelated = ArticleFactory(language="kk", status="draft")
    token = links.make_token(journalist, embargoed, unrelated)

    assert links.resolve(token).verdict is Verdict.INVALID


@pytest.mark.parametrize(
    "revoke",
    [
        {"is_active": False},
        {"active_until": timezone.localdate() - timedelta(days=1)},
    ],
)
def test_revoking_the_accreditation_revokes_its_links_at_once(journalist, embargoed, revoke):
    token = links.make_token(journalist, embargoed, embargoed)
    for field, value in revoke.items():
        setattr(journalist, field, value)
    journalist.save()

    assert links.resolve(token).verdict is Verdict.GONE


def test_an_accreditation_is_current_on_its_last_day(journalist, embargoed):
    journalist.active_until = timezone.localdate()
    journalist.save()

    token = links.make_token(journalist, embargoed, embargoed)

    assert links.resolve(token).verdict is Verdict.EMBARGOED


def test_a_withdrawn_release_is_gone(journalist, embargoed, editor):
    token = links.make_token(journalist, embargoed, embargoed)

    workflow.apply_transition("unschedule", article=embargoed, user=editor)

    assert links.resolve(token).verdict is Verdict.GONE


def test_a_moved_release_is_gone_under_its_old_time(journalist, embargoed, editor):
    old = links.make_token(journalist, embargoed, embargoed)

    moved = workflow.apply_transition(
        "schedule",
        article=embargoed,
        user=editor,
        publish_at=embargoed.publish_at + timedelta(hours=2),
    )

    assert links.resolve(old).verdict is Verdict.GONE
    assert links.resolve(links.make_token(journalist, moved, moved)).verdict is Verdict.EMBARGOED
