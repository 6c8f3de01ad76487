"""Which addresses of an imported item may be its photo: the pure rules the parsers share."""

import pytest

from news.importing.image_links import MAX_IMAGE_URL_CHARS, first_img_src, image_url, unique


@pytest.mark.parametrize(
    ("url", "base", "content_type", "expected"),
    [
        ("https://a.kz/p.jpg", "", "image/jpeg", "https://a.kz/p.jpg"),
        ("/up/p.jpg", "https://a.kz/news/rss", "", "https://a.kz/up/p.jpg"),
        ("p.jpg", "https://a.kz/news/rss", "image/jpg", "https://a.kz/news/p.jpg"),
        ("//cdn.a.kz/p", "https://a.kz/rss", "", "https://cdn.a.kz/p"),
        ("  https://a.kz/p.webp  ", "", "image/webp; q=1", "https://a.kz/p.webp"),
        ("data:image/png;base64,iVBORw0KGgo=", "https://a.kz/", "image/png", ""),
        ("https://a.kz/clip.mp4", "", "video/mp4", ""),
        ("https://a.kz/podcast", "", "audio/mpeg", ""),
        ("https://a.kz/logo.svg", "", "image/svg+xml", ""),
        ("https://a.kz/logo.svg", "", "", ""),
        ("https://a.kz/report.pdf", "", "", ""),
        ("ftp://a.kz/p.jpg", "", "", ""),
        ("javascript:alert(1)", "https://a.kz/", "", ""),
        ("/p.jpg", "", "", ""),  # relative with nothing to resolve it against
        ("http://[::1/p.jpg", "", "", ""),
        ("https://a.kz/" + "x" * MAX_IMAGE_URL_CHARS, "", "", ""),
        (None, "", "", ""),
        ("", "https://a.kz/", "", ""),
    ],
)
def test_image_url_resolves_and_leaves_out_what_cannot_be_a_photo(
    url, base, content_type, expected
):
    assert image_url(url, base=base, content_type=content_type) == expected


def test_first_img_src_skips_unusable_images_and_reads_any_quoting():
    body = (
        '<p><img alt="" src="data:image/gif;base64,R0lGOD"></p>'
        "<p><img class=x src=/up/one.jpg?a=1&amp;b=2 width=3></p>"
        "<img src='/up/two.jpg'>"
    )
    assert first_img_src(body, base="https://a.kz/news/") == "https://a.kz/up/one.jpg?a=1&b=2"
    assert first_img_src("<p>No picture, <imgur>.</p>", base="https://a.kz/") == ""


def test_unique_keeps_the_first_of_each_in_order():
    assert unique(["b", "", "a", "b"]) == ("b", "a")
