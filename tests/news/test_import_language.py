"""Language detection of imported releases: kk, ru, en or undetermined."""

import threading
import time

import pytest

from news.importing import language
from news.importing.language import detect_language, detect_languages

ENGLISH = [
    "The Mayor of Taraz met with farmers",
    "A new bridge over the Ishim river was opened in the capital on Friday.",
    "Preventive raid titled “Safe Winter”",
]
# Short Russian titles made mostly of Kazakh names: the model alone calls most of them
# Kazakh; without a Kazakh letter they are Russian or, at worst, undetermined.
RUSSIAN_NAMES = [
    "Аким Шымкента",
    "Акимат Алматы",
    "Маслихат Кызылорды",
    "Жители Улытау",
    "Байге в Жетысу",
    "Аким Алматы Дархан Сатыбалды",
    "Итоги года в Атырау",
    "Кызылорда – Туркестан – Шымкент",
]
RUSSIAN = [
    "Новости",
    "Отчетная встреча акима",
    "«Открытое государство» в Павлодаре",
    "Аким Шымкента Габит Сыздыкбеков провел прием граждан",
    "В Туркестанской области открыли новую школу на 600 мест",
    "К-2 – это учебная задача, которую экипаж выполняет в первые недели службы.",
    # Kazakh letters in a name do not make a Russian sentence Kazakh.
    "Жители Қаратөбе и Жаңаарқа получили ключи от новых домов",
]
KAZAKH = [
    "Қала әкімі кәсіпкерлермен кездесті",
    "Үкімет отырысы",
    "Әкім",
    "Ауданда жиын өтті",
    "Жаңа жыл",
    "Ақмола облысында жаңа аурухана ашылды",
    "Мемлекет басшысы Жапонияда Біріккен Ұлттар Ұйымының университетінде дәріс оқыды.",
]


@pytest.mark.parametrize("text", ENGLISH)
def test_english_is_en(text):
    assert detect_language(text) == "en"


@pytest.mark.parametrize("text", RUSSIAN)
def test_russian_is_ru(text):
    assert detect_language(text) == "ru"


@pytest.mark.parametrize("text", RUSSIAN_NAMES)
def test_short_russian_titles_of_kazakh_names_are_not_called_kazakh(text):
    assert detect_language(text) in ("ru", "")


@pytest.mark.parametrize("text", KAZAKH)
def test_kazakh_is_kk(text):
    assert detect_language(text) == "kk"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "К-1",
        "IMF",
        "20.12.2025",
        "https://www.gov.kz/memleket/entities/mod/press/news/details/1129374?lang=kk",
        "<p>&nbsp;</p>",
        # Names only, no Kazakh letter: the model leans Kazakh, which would be a guess.
        "Алматы облысы",
        "Дархан Сатыбалды",
    ],
)
def test_text_too_short_or_without_language_is_undetermined(text):
    assert detect_language(text) == ""


def test_a_word_with_one_look_alike_letter_goes_by_the_word_script():
    assert detect_language("Рreventive operation titled “Legal Order”") == "en"


def test_urls_and_tags_are_not_read_as_words():
    text = (
        "<p><a href='https://example.com/the-english-words-here'>Отчетная встреча акима</a></p> "
        "https://www.gov.kz/memleket/entities/shymkent/press/news/details/1?lang=en"
    )
    assert detect_language(text) == "ru"
    # More Latin letters in the address than Cyrillic ones in the words.
    assert detect_language("Отчетная встреча акима press.service.office@akimat-example.kz") == "ru"


def test_only_the_start_of_a_long_text_is_read():
    russian = "Аким встретился с жителями района и ответил на их вопросы. " * 10
    english = "The akim met residents of the district and answered their questions. " * 50
    assert len(russian) > language.SAMPLE_CHARS
    assert detect_language(russian + english) == "ru"
    assert detect_language(english + russian) == "en"


def test_batch_gives_the_same_answers_as_one_by_one():
    texts = [*ENGLISH, *RUSSIAN, *RUSSIAN_NAMES, *KAZAKH, "", "К-1", "Алматы облысы"]
    assert detect_languages(texts) == [detect_language(text) for text in texts]


def test_batch_of_nothing_is_nothing():
    assert detect_languages([]) == []


def test_the_detector_is_built_once_across_threads(monkeypatch):
    monkeypatch.setattr(language, "_detector", None)
    real_builder = language.LanguageDetectorBuilder
    built = []

    class SlowBuilder:
        # Slow enough that, without the lock, every thread would find no detector yet.
        @staticmethod
        def from_languages(*languages):
            built.append(languages)
            time.sleep(0.05)
            return real_builder.from_languages(*languages)

    monkeypatch.setattr(language, "LanguageDetectorBuilder", SlowBuilder)
    start = threading.Barrier(8)
    seen = []

    def detect():
        start.wait()
        seen.append(language._get_detector())

    threads = [threading.Thread(target=detect) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(built) == 1
    assert len({id(detector) for detector in seen}) == 1
