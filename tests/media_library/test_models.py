import pytest
from django.db import IntegrityError

from media_library import renditions
from media_library.models import Image, stored_name

from . import files

pytestmark = pytest.mark.django_db


def test_until_renditions_exist_the_original_stands_in(upload_photo):
    image = upload_photo(files.jpeg((1700, 1000)))

    assert image.best_url(800) == image.get_absolute_url()
    assert image.get_absolute_url().endswith("/original.jpg")
    assert image.url_of("social") == image.get_absolute_url()
    assert image.srcset() == ""


def test_with_renditions_the_best_width_and_a_srcset_are_offered(upload_photo):
    image = upload_photo(files.jpeg((1700, 1000)))
    renditions.make_renditions(image.pk)
    image = Image.objects.prefetch_related("renditions").get(pk=image.pk)

    assert image.best_url(800).endswith("/w800.jpeg")
    assert image.best_url(900).endswith("/w1200.jpeg")
    assert image.best_url(3000).endswith("/w1600.jpeg")  # the largest there is
    assert image.url_of("social").endswith("/social.jpeg")
    base = f"/files/images/{image.key}/"
    assert image.srcset() == ", ".join(
        f"{base}w{width}.webp {width}w" for width in (480, 800, 1200, 1600)
    )


def test_prefetched_renditions_are_read_without_queries(upload_photo, django_assert_num_queries):
    image = upload_photo(files.jpeg((1700, 1000)))
    renditions.make_renditions(image.pk)
    image = Image.objects.prefetch_related("renditions").get(pk=image.pk)

    with django_assert_num_queries(0):
        image.srcset()
        image.best_url(480)
        image.url_of("thumbnail", "webp")


def test_stored_names_are_random_and_ignore_the_uploaders_name():
    names = {stored_name("images", "../../etc/passwd.php") for _ in range(50)}
    assert len(names) == 50
    assert all(name.startswith("images/") and "." not in name for name in names)
    assert len(stored_name("images", "x.JPG").removeprefix("images/")) == 32 + 4


def test_a_photo_without_any_alt_text_cannot_be_stored(upload_photo):
    with pytest.raises(IntegrityError):
        upload_photo(alt_ru="")
