"""The interface catalogues: complete, current with the source, compiled, in use.

locale/ holds Pressroom's own strings; locale_django/ the Kazakh that Django's and
django-taggit's catalogues lack, and the Russian and Kazakh that replace their
translations built from a verbose name in the nominative.
"""

import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import axes
import django
import django_celery_beat
import polib
import pytest
import taggit
from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats, translation

from agencies.models import Region
from news.models import Article, ArticleFlag

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ("kk", "ru", "en")
CATALOGUES = [
    *(f"locale/{language}/LC_MESSAGES/django.po" for language in LANGUAGES),
    "locale_django/kk/LC_MESSAGES/django.po",
    "locale_django/ru/LC_MESSAGES/django.po",
    # The body editor's labels, for the admin's JavaScript catalogue.
    "locale/kk/LC_MESSAGES/djangojs.po",
    "locale/ru/LC_MESSAGES/djangojs.po",
]
LOCALE_DJANGO = "locale_django/kk/LC_MESSAGES/django.po"
# Catalogues of Django and django-taggit whose strings Pressroom's screens show; their
# Kazakh is incomplete.
DJANGO = Path(django.__file__).parent
VENDOR_CATALOGUES = {
    "django admin": DJANGO / "contrib/admin/locale",
    "django": DJANGO / "conf/locale",
    "django auth": DJANGO / "contrib/auth/locale",
    "django contenttypes": DJANGO / "contrib/contenttypes/locale",
    "taggit": Path(taggit.__file__).parent / "locale",
}
# Apps whose admin pages Pressroom shows and whose catalogues have no Kazakh at all (nor an
# English catalogue): locale_django/ translates their strings, taken from their Russian.
OTHER_APPS = {
    "django celery beat": Path(django_celery_beat.__file__).parent / "locale",
    "axes": Path(axes.__file__).parent / "locale",
}
# Language names Pressroom never shows, and pages only DEBUG shows.
NOT_SHOWN = (
    "conf/global_settings.py",
    "views/debug.py",
    "views/templates/default_urlconf.html",
    "views/templates/technical_",
)
NPLURALS = {"kk": 2, "ru": 3, "en": 2}
PLACEHOLDER = re.compile(r"%\(\w+\)[sdfr]|%[sdfr]|\{\w*\}")
TAG = re.compile(r"<[^>]*>")


def po_path(language: str, root: Path = ROOT) -> Path:
    return root / "locale" / language / "LC_MESSAGES" / "django.po"


def catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(po_path(language)))


def language_of(po: polib.POFile) -> str:
    return po.metadata["Language"]


def key(entry: polib.POEntry) -> str:
    return f"{entry.msgctxt} | {entry.msgid}" if entry.msgctxt else entry.msgid


def listing(keys) -> str:
    return "".join(f"\n  {item!r}" for item in sorted(keys))


def msgstrs(entry: polib.POEntry) -> list[str]:
    if entry.msgid_plural:
        return [entry.msgstr_plural[form] for form in sorted(entry.msgstr_plural)]
    return [entry.msgstr]


def markup(text: str) -> tuple[set[str], Counter]:
    """The placeholders a translation must keep, and its HTML tags."""
    return set(PLACEHOLDER.findall(text)), Counter(TAG.findall(text))


@pytest.mark.parametrize("path", CATALOGUES)
def test_catalogue_has_no_untranslated_or_fuzzy_entries(path):
    po = polib.pofile(str(ROOT / path))
    untranslated = {key(entry) for entry in po.untranslated_entries()}
    fuzzy = {key(entry) for entry in po.fuzzy_entries()}
    assert po.translated_entries(), "the catalogue is empty"
    assert not (untranslated or fuzzy), (
        f"untranslated in {path}:{listing(untranslated)}\nfuzzy:{listing(fuzzy)}"
    )


@pytest.mark.parametrize("path", CATALOGUES)
def test_every_plural_entry_has_the_languages_plural_forms(path):
    po = polib.pofile(str(ROOT / path))
    nplurals = NPLURALS[language_of(po)]
    assert f"nplurals={nplurals};" in po.metadata["Plural-Forms"].replace(" ", "")
    wrong = {
        key(entry)
        for entry in po
        if entry.msgid_plural and sorted(entry.msgstr_plural) != list(range(nplurals))
    }
    assert not wrong, f"need {nplurals} forms in {path}:{listing(wrong)}"


@pytest.mark.parametrize("path", CATALOGUES)
def test_translations_keep_the_placeholders_and_markup_of_the_source(path):
    broken = set()
    for entry in polib.pofile(str(ROOT / path)).translated_entries():
        allowed = [markup(entry.msgid)]
        if entry.msgid_plural:
            # A singular form may leave the count out ("One release"); plural forms need it.
            allowed.append(markup(entry.msgid_plural))
        broken |= {key(entry) for text in msgstrs(entry) if markup(text) not in allowed}
    assert not broken, f"placeholders or HTML differ from the msgid in {path}:{listing(broken)}"


@pytest.fixture(scope="module")
def source_msgids(tmp_path_factory) -> set[str]:
    """The msgids that `make messages` finds in the source as it is now."""
    if not (shutil.which("xgettext") and shutil.which("msgmerge")):
        pytest.skip("needs GNU gettext (xgettext, msgmerge) to extract the strings from the source")
    # A copy, so that extracting touches neither locale/ nor files others are editing.
    copy = tmp_path_factory.mktemp("source") / "pressroom"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".*", "__pycache__", "bench", "tests", "locale", "staticfiles", "media", "*.sqlite3"
        ),
    )
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale", "en", "--verbosity", "0"],
        cwd=copy,
        env={**os.environ, "DJANGO_DEBUG": "1"},
        check=True,
    )
    return {key(entry) for entry in polib.pofile(str(po_path("en", root=copy)))}


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_has_every_string_of_the_source(language, source_msgids):
    entries = {key(entry) for entry in catalogue(language) if not entry.obsolete}
    missing = source_msgids - entries
    assert not missing, f"run `make messages` and translate, {language} lacks:{listing(missing)}"


@pytest.mark.parametrize("path", CATALOGUES)
def test_compiled_catalogue_matches_its_source(path):
    mo = (ROOT / path).with_suffix(".mo")
    assert mo.exists(), f"{mo.relative_to(ROOT)} is missing: run `make install`"
    compiled = {key(entry): msgstrs(entry) for entry in polib.mofile(str(mo))}
    po = polib.pofile(str(ROOT / path))
    source = {key(entry): msgstrs(entry) for entry in po.translated_entries()}
    assert compiled == source, f"{mo.relative_to(ROOT)} is older than its .po: run `make install`"


def shown(entry: polib.POEntry) -> bool:
    return not all(any(place in path for place in NOT_SHOWN) for path, _ in entry.occurrences)


def vendor_catalogue(name: str, language: str) -> polib.POFile:
    path = VENDOR_CATALOGUES[name] / language / "LC_MESSAGES" / "django.po"
    return polib.pofile(str(path)) if path.exists() else polib.POFile()


@pytest.mark.parametrize("name", VENDOR_CATALOGUES)
def test_every_string_of_django_and_taggit_pressroom_shows_has_kazakh(name):
    """Django's kk catalogues are incomplete, taggit has none; locale_django/ fills in."""
    english = vendor_catalogue(name, "en")
    ours = polib.pofile(str(ROOT / LOCALE_DJANGO))
    translated = {
        key(entry)
        for po in (vendor_catalogue(name, "kk"), ours)
        for entry in po.translated_entries()
    }
    strings = {key(entry) for entry in english if not entry.obsolete and shown(entry)}
    missing = strings - translated
    assert not missing, f"add Kazakh to {LOCALE_DJANGO} for:{listing(missing)}"


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_locale_django_has_only_strings_django_and_taggit_still_have(language):
    strings = {key(entry) for name in VENDOR_CATALOGUES for entry in vendor_catalogue(name, "en")}
    strings |= {
        key(entry)
        for folder in OTHER_APPS.values()
        for entry in polib.pofile(str(folder / "ru" / "LC_MESSAGES" / "django.po"))
    }
    path = ROOT / f"locale_django/{language}/LC_MESSAGES/django.po"
    stale = {key(entry) for entry in polib.pofile(str(path))} - strings
    assert not stale, f"Django and taggit no longer have:{listing(stale)}"


def test_docker_image_compiles_the_catalogues_after_copying_the_sources():
    steps = (ROOT / "Dockerfile").read_text().split("\nRUN ")
    copied = next(i for i, step in enumerate(steps) if re.search(r"^COPY .*\. \.$", step, re.M))
    compiling = next(
        i for i, step in enumerate(steps) if "scripts/compilemessages.py locale*/*/" in step
    )
    assert copied < compiling
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert not {"locale", "locale_django", "scripts"} & ignored


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("kk", ["Басты бет", "Барлық баспасөз релиздері", "Өңірлер", "Мемлекеттік органдар"]),
        ("ru", ["Главная", "Все пресс-релизы", "Регионы", "Ведомства", "Архив"]),
    ],
)
def test_public_navigation_is_in_the_readers_language(client, language, expected):
    html = client.get(f"/{language}/").content.decode()

    nav = re.search(r'<nav class="site-nav".*?</nav>', html, re.S).group(0)
    for text in expected:
        assert f">{text}</a>" in nav, text


@pytest.mark.parametrize(
    ("language", "status", "flag", "awaiting"),
    [
        ("kk", "тексеруде", "қайталануы мүмкін", {1: "1 мақала", 2: "2 мақала", 5: "5 мақала"}),
        ("ru", "на проверке", "возможный дубликат", {1: "1 статья", 2: "2 статьи", 5: "5 статей"}),
    ],
)
def test_workflow_status_flag_and_counts_are_translated(language, status, flag, awaiting):
    with translation.override(language):
        assert str(Article.Status.IN_REVIEW.label) == status
        assert str(ArticleFlag.Code.DUPLICATE_SUSPECT.label) == flag
        for count, words in awaiting.items():
            text = translation.ngettext(
                "%(counter)s article awaiting review", "%(counter)s articles awaiting review", count
            ) % {"counter": count}
            assert text.startswith(words), text


@pytest.mark.parametrize(
    ("language", "kind", "region"), [("kk", "облыс", "өңір"), ("ru", "область", "регион")]
)
def test_a_region_of_any_kind_is_not_called_an_oblast(language, kind, region):
    with translation.override(language):
        assert str(Region.Kind.REGION.label) == kind
        assert str(Region._meta.verbose_name) == region
        assert str(Article._meta.get_field("region").verbose_name) == region


@pytest.mark.parametrize(
    ("language", "expected"),
    [("kk", "22.11.2026"), ("ru", "22 ноября 2026 г."), ("en", "Nov. 22, 2026")],
)
def test_dates_are_written_as_in_the_language(language, expected):
    with translation.override(language):
        assert formats.date_format(date(2026, 11, 22)) == expected


def test_admin_screens_are_in_kazakh_around_pressroom_own_strings(client, editor):
    client.force_login(editor)

    html = client.get("/admin/news/article/", HTTP_ACCEPT_LANGUAGE="kk").content.decode()

    assert "Негізгі мазмұнға өту" in html  # Django's "Skip to main content", from locale_django
    assert "Сайтты ашу" in html  # "View site"
    assert "Таңдалған мақалаларды мақұлдау" in html  # an action of Pressroom's, from locale
    assert "Өзгерту үшін мақала таңдаңыз" in html  # Django's kk misspells it "өзгерту үщін"


def test_form_errors_are_in_kazakh():
    with translation.override("kk"):
        with pytest.raises(ValidationError) as error:
            forms.EmailField().clean("press-service")
        # The message is lazy: it is read in the language active when it is shown.
        assert error.value.messages == ["Дұрыс электрондық пошта мекенжайын енгізіңіз."]


@pytest.mark.parametrize(
    ("language", "action", "section"),
    [
        ("ru", "Архивировать", "Архив"),
        ("kk", "Мұрағаттау", "Мұрағат"),
        ("en", "Archive", "Archive"),
    ],
)
def test_archiving_and_the_archive_are_told_apart(language, action, section):
    from django.utils.translation import gettext, override

    from news.workflow import TRANSITIONS

    with override(language):
        assert str(TRANSITIONS["archive"].label) == action
        assert gettext("Archive") == section
