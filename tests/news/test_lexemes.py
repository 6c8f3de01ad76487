"""news.lexemes: the analysis search shares between indexing and querying."""

import csv
import io
import re

import pytest
from django.core.management import call_command

from news.lexemes import (
    analyze_word,
    cyrillic_to_latin,
    document_field,
    document_lexemes,
    fold,
    latin_to_cyrillic,
    query_alternatives,
    stem_english,
    stem_kazakh,
    stem_russian,
    words,
)
from news.models import Article

from ..public.pages import published
from ..shared import SAMPLE_DIGEST, shared_path


def main_stem(word: str, language: str = "kk") -> str:
    return analyze_word(word.casefold(), language)[0][0]


@pytest.mark.parametrize(
    "forms",
    [
        # case, plural, possessive and their chains
        "мектеп мектептер мектепке мектепте мектептен мектептің мектепті мектебі мектептерде "
        "мектептерге мектептердің мектебінде мектептеріміз",
        "балабақша балабақшалар балабақшаға балабақшада балабақшаның балабақшалардың",
        "облыс облыстар облысы облысында облысының облысына облыстағы облыстарда",
        "аудан аудандар ауданда ауданнан аудандағы ауданның ауданында ауданындағы ауданын",
        "құрылыс құрылысы құрылысын құрылысына құрылыстар",
        "Шымкент Шымкентте Шымкенттің Шымкентін Шымкенттегі",
        "Астана Астанада Астанадағы Астананың Астанадан",
        "қала қалада қаланың қалаға қаладағы қаласы қаласында",
        "кітапхана кітапханалар кітапханаларына кітапханада",
        "емхана емханалар емханада емхананың емханаларда",
        "тұрғын тұрғындар тұрғындармен тұрғындарға",
        "жол жолдар жолдарды жолда жолдың",
        "кітап кітабы кітаптар",
    ],
)
def test_inflected_kazakh_forms_share_their_base_stem(forms):
    base = main_stem(forms.split()[0])
    # Every form's stems (the main one and an alternative) include the base form's.
    apart = {form for form in forms.split() if base not in analyze_word(form.casefold(), "kk")[0]}

    assert apart == set()


@pytest.mark.parametrize(
    ("one", "other"),
    [("мектеп", "емхана"), ("облыс", "облигация"), ("қала", "қалам"), ("аудан", "ауа")],
)
def test_different_kazakh_words_keep_different_stems(one, other):
    assert main_stem(one) != main_stem(other)


def test_third_person_possessive_is_read_both_ways_after_a_vowel():
    # облыс + ы and қала + сы end alike; both stems are kept, the likelier first.
    assert stem_kazakh("облысы") == ["облыс", "облы"]
    assert "кала" in stem_kazakh("қаласы")


def test_folding_gives_the_letters_of_a_russian_keyboard():
    assert fold("әғқңөұүһіё") == "агкноуухие"
    assert main_stem("балабакшаларда") == main_stem("балабақшаларда") == "балабакша"


def test_the_exact_form_is_kept_beside_the_folded_one_only_when_they_differ():
    assert analyze_word("балабақшада", "kk") == (["балабакша"], "балабақша")
    assert analyze_word("балабакшада", "kk") == (["балабакша"], None)
    assert analyze_word("мектепте", "kk") == (["мектеп"], None)


@pytest.mark.parametrize(
    "forms",
    [
        "школа школы школе школу школой школ школами",
        "строительство строительства строительству строительством",
        "костанайская костанайской костанай костанае",
        "поликлиника поликлиники поликлинику",
        "открылся открылась открыли открыл",
    ],
)
def test_inflected_russian_forms_share_their_stem(forms):
    stems = {stem_russian(form) for form in forms.split()}

    assert len(stems) == 1, stems


@pytest.mark.parametrize(
    "forms",
    ["school schools", "city cities", "open opens opened opening", "run running", "repair repairs"],
)
def test_inflected_english_forms_share_their_stem(forms):
    assert len({stem_english(form) for form in forms.split()}) == 1


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("shymkent", "шымкент"),
        ("kostanay", "костанай"),
        ("qostanai", "костанай"),
        ("aqmola", "акмола"),
        ("almaty", "алматы"),
        ("şymkent", "шымкент"),
        ("zhezkazgan", "жезказган"),
    ],
)
def test_latin_names_are_read_in_folded_cyrillic(latin, cyrillic):
    assert cyrillic in latin_to_cyrillic(latin)


def test_cyrillic_names_are_spelt_informally_and_in_the_2021_alphabet():
    assert cyrillic_to_latin("қостанай") == ["kostanay", "qostanai"]
    assert cyrillic_to_latin("шымкент") == ["shymkent"]


def test_words_drop_markup_and_entities():
    assert words("<p>Жаңа&nbsp;<b>мектеп</b> ашылды!</p>") == ["жаңа", "мектеп", "ашылды"]


def test_a_document_keeps_its_words_in_order_then_alternatives_and_exact_forms():
    stored = document_lexemes("Қаласы", "", "<p>Мектептерде</p>", "kk")

    assert stored.split("\n") == ["калас кала қалас", "", "мектеп"]
    assert document_field("Shymkent's school", "ru") == "shymkent s school"


# Real names: Kazakhstan's regions and their centres in three languages (../shared/data).
TRANSLATED_NAMES = {"West", "North", "East"}  # Батыс, Солтүстік, Шығыс are translations
# English spells the city as Russian does; its Kazakh name reads Qaragandy.
KNOWN_MISSES = {"Karaganda"}


def region_names():
    with shared_path("data", "kz_regions.csv").open(encoding="utf-8") as file:
        for row in csv.DictReader(file):
            yield row["name_en"].split()[0], row["name_kk"].split()[0]
            if row["centre_en"]:
                yield row["centre_en"].split()[0], row["centre_kk"].split()[0]


def test_latin_names_of_regions_and_centres_find_their_kazakh_and_back():
    names = [(en, kk) for en, kk in region_names() if en not in TRANSLATED_NAMES]
    latin_misses = {en for en, kk in names if main_stem(kk) not in query_alternatives(en)[0]}
    cyrillic_misses = {
        en for en, kk in names if main_stem(en, "en") not in query_alternatives(kk)[0]
    }

    assert len(names) >= 30
    assert latin_misses == set()
    assert cyrillic_misses == KNOWN_MISSES


def test_the_sample_listings_latin_place_names_are_found_by_their_cyrillic_names():
    sample = shared_path(SAMPLE_DIGEST.relative_to(SAMPLE_DIGEST.parents[1])).read_text()
    english = set(document_field(sample, "en").split())
    russian = set(document_field(re.sub(r"[A-Za-z]", " ", sample), "ru").split())

    for name in ("Шымкент", "Қостанай", "Астана"):
        assert english & set(query_alternatives(name)[0]), name
    # the Russian title «Слышащее государство» в Костанае
    assert russian & set(query_alternatives("Kostanay")[0])


@pytest.mark.django_db
def test_the_command_brings_stale_lexemes_up_to_date_and_leaves_the_rest():
    current = published(title="Мектептер ашылды", language="kk")
    stale = published(title="Old", language="en")
    Article.objects.filter(pk=stale.pk).update(title="Балабақшалар", language="kk")

    output = io.StringIO()
    call_command("update_search_lexemes", stdout=output)

    assert Article.objects.get(pk=stale.pk).search_lexemes.startswith("балабакша")
    assert Article.objects.get(pk=current.pk).search_lexemes.startswith("мектеп")
    assert output.getvalue().startswith("2 articles read, 1 updated")
