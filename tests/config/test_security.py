"""Security settings at work: headers and the Content Security Policy, the admin login
lockout, CSRF on admin forms, sessions, passwords and request size limits."""

import base64
import hashlib
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from django.urls import reverse

from config.security import client_ip_behind_proxy
from news.models import Article, ImportRun

from ..factories import ArticleFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]
LOGIN = "/admin/login/"
PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory's


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (directive.split() for directive in header.split(";") if directive)
    }


@pytest.mark.django_db
def test_public_pages_carry_a_strict_policy_and_the_security_headers(client):
    response = client.get("/en/")

    assert response.status_code == 200
    csp = policy(response)
    assert csp["script-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["base-uri"] == csp["form-action"] == ["'self'"]
    assert "'unsafe-inline'" not in csp["style-src"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_hsts_is_sent_over_https_only(client):
    assert "Strict-Transport-Security" not in client.get("/healthz")
    secure = client.get("/healthz", secure=True)
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def inline_styles() -> dict[str, str]:
    """Every inline <style> element in the project's templates, by template."""
    found = {}
    for template in (ROOT / "templates").rglob("*.html"):
        for number, match in enumerate(
            re.finditer(r"<style[^>]*>(.*?)</style>", template.read_text(), re.S)
        ):
            found[f"{template.relative_to(ROOT)}#{number}"] = match.group(1)
    return found


def test_every_inline_style_in_the_templates_is_admitted_by_its_hash():
    # An inline <style> not in the policy is silently ignored by browsers: the page loses
    # its layout. Move new styles to static/css/ rather than adding hashes.
    admitted = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["style-src"]
    for name, css in inline_styles().items():
        digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in admitted, f"{name}: its inline <style> is blocked by the CSP"
    assert len(admitted) == 1 + len(inline_styles()), "a hash admits a style no template has"


def blocked_by_the_policy(html: str, nonce: str | None = None) -> list[str]:
    """Markup of our own that the policy would block: inline scripts, handlers, styles.

    An inline script is allowed with the page's nonce (the body editor's import map)."""
    blocked = []
    # Data blocks (application/json) are never executed, so the policy does not apply.
    inline = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)[^>]*>", html)
    if any(not nonce or f'nonce="{nonce}"' not in tag for tag in inline):
        blocked.append("inline <script> (script-src 'self')")
    if re.search(r"\sstyle=", html):
        blocked.append("style= attribute (style-src)")
    if re.search(r"\son[a-z]+=", html):
        blocked.append("event handler attribute (script-src)")
    return blocked


@pytest.mark.parametrize("template", sorted((ROOT / "templates").rglob("*.html")), ids=str)
def test_templates_have_no_inline_script_or_style_attribute(template):
    assert blocked_by_the_policy(template.read_text()) == []


@pytest.mark.django_db
def test_admin_pages_work_under_the_policy():
    superuser = UserFactory(username="root", is_staff=True, is_superuser=True)
    article = ArticleFactory(author=superuser)
    client = Client()
    client.force_login(superuser)
    pages = [
        "/admin/",
        reverse("admin:news_article_changelist"),
        reverse("admin:news_article_add"),
        reverse("admin:news_article_change", args=[article.pk]),
        reverse("admin:news_article_history", args=[article.pk]),
        reverse("admin:news_article_translations"),
        reverse("admin:news_importrun_add"),
        reverse("admin:news_importsource_add"),
        # django-celery-beat's own template has an inline script; ours replaces it.
        reverse("admin:django_celery_beat_periodictask_add"),
        reverse("admin:auth_user_add"),
        reverse("admin:password_change"),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        nonces = [
            value[len("'nonce-") : -1]
            for value in policy(response)["script-src"]
            if value.startswith("'nonce-")
        ]
        nonce = nonces[0] if nonces else None
        assert blocked_by_the_policy(response.content.decode(), nonce) == [], url
    periodic = client.get(reverse("admin:django_celery_beat_periodictask_add")).content.decode()
    assert 'id="readable-crontabs"' in periodic
    # A page without the editor has no nonce in its policy, and the editor's import map
    # does not run without the page's own.
    changelist = client.get(reverse("admin:news_article_changelist"))
    assert policy(changelist)["script-src"] == ["'self'"]
    editing = client.get(reverse("admin:news_article_add")).content.decode()
    assert blocked_by_the_policy(editing, "forged") == ["inline <script> (script-src 'self')"]
    assert "/static/news/periodic_task.js" in periodic


@pytest.mark.django_db
def test_the_api_documentation_loads_swagger_ui_from_this_site(client):
    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()
    assert policy(response)["script-src"] == ["'self'"]


def failed_login(client: Client, username: str):
    return client.post(LOGIN, {"username": username, "password": "wrong-password!"})


@pytest.mark.django_db
def test_the_fifth_failed_login_locks_out_that_username_from_that_address():
    UserFactory(username="editor", is_staff=True)
    client = Client(REMOTE_ADDR="203.0.113.7")
    assert settings.AXES_FAILURE_LIMIT == 5

    for _attempt in range(4):
        response = failed_login(client, "editor")
        assert response.status_code == 200
        assert "Please enter the correct username and password" in response.content.decode()

    locked = failed_login(client, "editor")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Too many failed sign-ins with this username from your address." in page
    assert "Try again in 30 minutes." in page
    assert "<title>Sign-in locked | Pressroom administration</title>" in page
    # While locked out even the right password is refused.
    right = client.post(LOGIN, {"username": "editor", "password": PASSWORD})
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session

    # The lock is per username and address: the same person elsewhere still logs in.
    elsewhere = Client(REMOTE_ADDR="198.51.100.9")
    assert elsewhere.post(LOGIN, {"username": "editor", "password": PASSWORD}).status_code == 302


@pytest.mark.django_db
def test_a_successful_login_resets_the_failure_count():
    UserFactory(username="editor", is_staff=True)
    client = Client(REMOTE_ADDR="203.0.113.8")
    for _attempt in range(4):
        failed_login(client, "editor")

    assert client.post(LOGIN, {"username": "editor", "password": PASSWORD}).status_code == 302
    client.logout()

    for _attempt in range(4):
        assert failed_login(client, "editor").status_code == 200


@pytest.mark.django_db
def test_a_login_sets_an_eight_hour_secure_http_only_session_cookie():
    UserFactory(username="editor", is_staff=True)
    client = Client()

    response = client.post(LOGIN, {"username": "editor", "password": PASSWORD})

    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == 8 * 60 * 60
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


@pytest.mark.django_db
def test_admin_posts_without_a_csrf_token_are_refused(editor):
    article = ArticleFactory(title="Unchanged title")
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    change = reverse("admin:news_article_change", args=[article.pk])

    refused = client.post(change, {"title": "Changed without a token"})
    assert refused.status_code == 403
    assert "CSRF verification failed" in refused.content.decode()
    article.refresh_from_db()
    assert article.title == "Unchanged title"

    # The same client with the form's token is not refused for CSRF.
    client.get(change)
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    accepted = client.post(change, {"title": "", "csrfmiddlewaretoken": token})
    assert accepted.status_code == 200
    assert "This field is required" in accepted.content.decode()

    upload = client.post(
        reverse("admin:news_importrun_add"),
        {"file": SimpleUploadedFile("digest.txt", b"Title 01.02.2026\nBody"), "format": "auto"},
    )
    assert upload.status_code == 403
    assert not ImportRun.objects.exists()

    # An admin action on the list is a POST like any other.
    in_review = ArticleFactory(status=Article.Status.IN_REVIEW)
    approve = {"action": "bulk_approve", "_selected_action": [in_review.pk]}
    changelist = reverse("admin:news_article_changelist")
    assert client.post(changelist, approve).status_code == 403
    in_review.refresh_from_db()
    assert in_review.status == Article.Status.IN_REVIEW
    assert client.post(changelist, {**approve, "csrfmiddlewaretoken": token}).status_code == 302
    in_review.refresh_from_db()
    assert in_review.status == Article.Status.APPROVED


@pytest.mark.django_db
def test_the_login_form_itself_needs_a_csrf_token():
    UserFactory(username="editor", is_staff=True)
    client = Client(enforce_csrf_checks=True)

    response = client.post(LOGIN, {"username": "editor", "password": PASSWORD})

    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_passwords_need_twelve_characters_and_must_not_be_common_or_numeric():
    with pytest.raises(ValidationError) as short:
        validate_password("Kx8#mq2!vz")
    assert [error.code for error in short.value.error_list] == ["password_too_short"]
    with pytest.raises(ValidationError) as common:
        validate_password("password1234")
    assert "password_too_common" in [error.code for error in common.value.error_list]
    with pytest.raises(ValidationError) as numeric:
        validate_password("735918264073")
    assert "password_entirely_numeric" in [error.code for error in numeric.value.error_list]
    validate_password("steppe-river-Kx8#")


@pytest.mark.django_db
def test_a_request_body_over_the_memory_limit_is_refused(editor):
    client = Client()
    client.force_login(editor)
    article = ArticleFactory()

    response = client.post(
        reverse("admin:news_article_change", args=[article.pk]),
        {"body": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)},
    )

    assert response.status_code == 400


@pytest.mark.django_db
def test_an_import_file_larger_than_the_memory_limit_is_still_accepted(editor):
    # Files are not counted against DATA_UPLOAD_MAX_MEMORY_SIZE: they stream to a temporary
    # file and only PRESSROOM_IMPORT_MAX_UPLOAD_BYTES bounds them.
    size = settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1024
    assert size < settings.PRESSROOM_IMPORT_MAX_UPLOAD_BYTES
    digest = b"A long release 01.02.2026\n" + b"Text of the release. " * (size // 21)
    client = Client()
    client.force_login(editor)

    response = client.post(
        reverse("admin:news_importrun_add"),
        {"file": SimpleUploadedFile("long.txt", digest), "format": "auto"},
    )

    assert response.status_code == 302
    assert ImportRun.objects.get().input_name == "long.txt"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "accepted"),
    [
        ("digest.TXT", True),
        ("feed.rss", True),
        ("releases.json", True),
        ("release.txt.html", False),
        ("page.svg", False),
        ("archive.zip", False),
        ("no-suffix", False),
    ],
)
def test_import_uploads_accept_only_the_formats_it_parses(editor, name, accepted):
    client = Client()
    client.force_login(editor)

    response = client.post(
        reverse("admin:news_importrun_add"),
        {"file": SimpleUploadedFile(name, b"Title 01.02.2026\nBody"), "format": "auto"},
    )

    assert (response.status_code == 302) is accepted
    assert ImportRun.objects.exists() is accepted
    if not accepted:
        assert "cannot be imported" in response.content.decode()


def test_behind_a_proxy_the_lockout_counts_the_address_the_proxy_saw():
    request = RequestFactory().get(
        "/admin/login/",
        HTTP_X_FORWARDED_FOR="10.0.0.1, 203.0.113.50",
        REMOTE_ADDR="172.18.0.2",
    )
    assert client_ip_behind_proxy(request) == "203.0.113.50"
    assert client_ip_behind_proxy(RequestFactory().get("/", REMOTE_ADDR="172.18.0.2")) == (
        "172.18.0.2"
    )
