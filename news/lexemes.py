"""The words search compares: stems, folded letters and transliterations (no ORM here).

Indexing (an article's stored `search_lexemes`) and querying (public.search) both go
through `analyze_word`, so a word is found exactly when it reduces to the same lexeme:

- **Stemming.** Kazakh by a suffix-stripping stemmer of case, possessive and plural
  endings (мектептерде, мектепке, мектебі → мектеп); Russian and English by light
  stemmers of inflectional endings (школы → школ, schools → school). Pure Python, the
  same on PostgreSQL and SQLite.
- **Folding.** Kazakh letters are compared in their Russian-keyboard forms (қ→к, ә→а,
  ө→о, ү/ұ→у, і→и, ғ→г, ң→н, һ→х; and ё→е), so балабакша finds балабақша. A word with
  Kazakh letters is also indexed as written, so an exact match ranks higher.
- **Script.** A Latin word is also looked for in Cyrillic (Shymkent → шымкент, Aqmola →
  акмола) and a Cyrillic one in Latin (Қостанай → kostanay, qostanay), by the 2021 Kazakh
  Latin alphabet and the usual informal spellings.
"""

import functools
import html
import itertools
import re
import unicodedata

TAG_PATTERN = re.compile(r"<[^>]*>")
WORD_PATTERN = re.compile(r"[^\W_]+")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
LATIN = re.compile(r"[a-z\u00c0-\u024f]")
# A stored document is three lines of lexemes: title, lead and body.
FIELD_SEPARATOR = "\n"

FOLDING = str.maketrans("әғқңөұүһіё", "агкноуухие")
KAZAKH_LETTERS = re.compile("[әғқңөұүһі]")
VOWELS = set("аәеиоөуұүыіэюяё")
FOLDED_VOWELS = set("аеиоуыэюяё")


def fold(word: str) -> str:
    """Kazakh letters as typed on a Russian keyboard."""
    return word.translate(FOLDING)


def words(text: str) -> list[str]:
    """The words of plain text or HTML, lower-cased, markup and entities dropped."""
    plain = html.unescape(TAG_PATTERN.sub(" ", text or ""))
    return WORD_PATTERN.findall(plain.casefold())


# Kazakh


def _folded(*suffixes: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(fold(suffix) for suffix in suffixes))


# Endings of Kazakh nouns, folded like the words they are stripped from. The stemmer
# strips any of them repeatedly (case, then possessive, then plural), longest first.
KK_SUFFIXES = frozenset(_folded(
    # locative-attributive (Алматыдағы), locative, ablative, genitive, dative, accusative
    "дағы", "дегі", "тағы", "тегі", "ндағы", "ндегі",
    "да", "де", "та", "те", "нда", "нде",
    "дан", "ден", "тан", "тен", "нан", "нен",
    "ның", "нің", "дың", "дің", "тың", "тің",
    "ға", "ге", "қа", "ке", "на", "не",
    "ны", "ні", "ды", "ді", "ты", "ті", "н",
    "мен", "бен", "пен",
    # possessive: third person and "our" (еліміз); the others are rare in releases, and
    # folded (ың → ын, ім → им) they would eat the ends of тұрғын, білім
    "ымыз", "іміз", "мыз", "міз", "сы", "сі", "ы", "і",
    # plural
    "лар", "лер", "дар", "дер", "тар", "тер",
))  # fmt: skip
KK_SUFFIX_LENGTHS = sorted({len(suffix) for suffix in KK_SUFFIXES}, reverse=True)
# Endings that only follow a third-person possessive (облысында, облысына): elsewhere
# -на and -нда end the stem itself (Астана).
KK_AFTER_POSSESSIVE = set(_folded("нда", "нде", "ндағы", "ндегі", "на", "не"))
KK_POSSESSIVE = set(_folded("ымыз", "іміз", "мыз", "міз", "сы", "сі", "ы", "і"))
KK_PLURAL = set(_folded("лар", "лер", "дар", "дер", "тар", "тер"))
KK_CASES = KK_SUFFIXES - KK_POSSESSIVE - KK_PLURAL
KK_GENITIVE = set(_folded("ның", "нің", "дың", "дің", "тың", "тің"))
MIN_STEM = 3
# Consonants voiced before a vowel ending return to their dictionary form: мектебі → мектеп.
KK_DEVOICING = {"б": "п", "г": "к", "ғ": "қ"}


def _kazakh_strip(
    word: str, possessive_seen: bool = False, case_seen: bool = False
) -> tuple[str, str | None]:
    """The stem of a folded word, and an alternative where an ending reads two ways."""
    alternative = None
    for _ in range(4):
        for length in KK_SUFFIX_LENGTHS:
            suffix, rest = word[-length:], word[:-length]
            if suffix not in KK_SUFFIXES or len(rest) < MIN_STEM:
                continue
            if not any(letter in FOLDED_VOWELS for letter in rest):
                continue
            if suffix in KK_AFTER_POSSESSIVE and rest[-1] not in "ыи":
                continue
            if suffix in KK_POSSESSIVE and possessive_seen:
                continue  # a word has one possessive ending
            if suffix in KK_CASES and case_seen:
                continue  # and one case ending
            if suffix == "н":
                # The accusative after a possessive: құрылыс-ы-н, аудан-ы-н, қала-сы-н; but
                # тұрғын and жиын end so themselves.
                if rest[-1] not in "ыи" or len(rest) < 6 or possessive_seen:
                    continue
                if rest[-2] == "с" and rest[-3] in FOLDED_VOWELS and alternative is None:
                    alternative = _kazakh_strip(rest[:-2], True, True)[0]
                word, possessive_seen, case_seen = rest[:-1], True, True
                break
            if suffix in KK_GENITIVE and len(word) >= 7 and not possessive_seen:
                # Folded, the genitive (Астана-ның, Шымкент-тің) and a possessive's
                # accusative (аудан-ы-н, Шымкент-і-н) end alike: both stems are kept.
                alternative = alternative or _kazakh_strip(word[:-2], True, True)[0]
            if suffix in ("ы", "и") and rest[-1] in FOLDED_VOWELS:
                continue
            if suffix in ("сы", "си"):
                # облысы is облыс + ы, қаласы is қала + сы: both stems are kept.
                if alternative is None:
                    alternative = _kazakh_strip(rest, True, case_seen)[0]
                rest = word[:-1]
            possessive_seen = possessive_seen or suffix in KK_POSSESSIVE
            case_seen = case_seen or suffix in KK_CASES
            word = rest
            break
        else:
            break
    return word, alternative


def _devoice(stem: str) -> str:
    last = stem[-1:]
    return stem[:-1] + KK_DEVOICING[last] if last in KK_DEVOICING else stem


def stem_kazakh(word: str) -> list[str]:
    """Folded stems of a lower-case Kazakh word: the main one first, then an alternative."""
    main, alternative = _kazakh_strip(fold(word))
    stems = [_devoice(main)]
    if alternative and _devoice(alternative) != stems[0]:
        stems.append(_devoice(alternative))
    return stems


def exact_kazakh_stem(word: str, folded_stem: str) -> str | None:
    """The stem as written, when it has Kazakh letters its folded form lacks."""
    exact = _devoice(word[: len(folded_stem)])
    return exact if fold(exact) == folded_stem and exact != folded_stem else None


# Russian and English: light stemmers of inflectional endings

RU_REFLEXIVE = ("ся", "сь")
RU_ENDINGS = sorted(
    (
        # adjectives and participles
        "ого", "его", "ому", "ему", "ыми", "ими", "ая", "яя", "ое", "ее", "ые", "ие", "ый",
        "ий", "ой", "ую", "юю", "ых", "их", "ым", "им", "ом", "ем",
        # nouns
        "ами", "ями", "иями", "ах", "ях", "иях", "ам", "ям", "ов", "ев", "ей", "ью", "ия",
        "ию", "ии", "а", "я", "о", "е", "ы", "и", "у", "ю", "ь", "й",
        # verbs; the past tense keeps its -л- (открыл, открыла, открыли): -ла, -ли would
        # also cut nouns (школа, земли)
        "ать", "ять", "ить", "еть", "уть", "ти", "ет", "ит", "ут", "ют", "ат", "ят", "ем",
        "ете", "ите",
    ),
    key=len,
    reverse=True,
)  # fmt: skip


# Adjectives made from place names drop -ск- with their ending, and -ин- that joins it
# to a name ending in a vowel, so that Костанайская, Кызылординской and Алматинский find
# the place (Костанай, Кызылорда, Алматы; and Kostanay through transliteration).
RU_PLACE_ADJECTIVE = re.compile(
    r"(?<=...)ск(?:ий|ый|ая|ое|ие|ые|ого|ому|ой|ую|ых|их|ым|им|ими|ыми)$"
)


def stem_russian(word: str) -> str:
    word = word.replace("ё", "е")
    place = RU_PLACE_ADJECTIVE.sub("", word)
    if place != word:
        if place.endswith("ин") and len(place) >= 6:
            return place[:-2]
        return place[:-1] if place.endswith("й") else place  # Костанайская, Костанае
    for ending in RU_REFLEXIVE:
        if word.endswith(ending) and len(word) - 2 >= 4:
            word = word[:-2]
            break
    for ending in RU_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
            return word[: -len(ending)]
    return word


def _has_vowel(text: str) -> bool:
    return any(letter in "aeiouy" for letter in text)


def stem_english(word: str) -> str:
    if len(word) <= 3:
        return word
    if word.endswith("'s"):
        word = word[:-2]
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("sses"):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        word = word[:-1]
    for ending in ("ing", "ed"):
        rest = word[: -len(ending)]
        if word.endswith(ending) and len(rest) >= 3 and _has_vowel(rest):
            # running → run, opened → open
            if len(rest) > 3 and rest[-1] == rest[-2] and rest[-1] not in "lsz":
                rest = rest[:-1]
            word = rest
            break
    if word.endswith("y") and len(word) > 3 and word[-2] not in "aeiou":
        word = word[:-1] + "i"  # city and cities alike
    return word


# Transliteration


def ascii_fold(word: str) -> str:
    """Latin letters without their marks (ş → s, ğ → g, ä → a); ı is i's dotless twin."""
    decomposed = unicodedata.normalize("NFKD", word.replace("ı", "i"))
    return "".join(letter for letter in decomposed if not unicodedata.combining(letter))


LATIN_DIPHTHONG_I = re.compile(r"(?<=[aeou])i(?![aeiou])")


def fold_latin(word: str) -> str:
    """One spelling of the ways Kazakh names are written in Latin: Qostanai, Kostanay and
    Qostanay all become kostanay, Aqmola akmola, Şymkent shymkent."""
    word = ascii_fold(word.replace("ş", "sh").replace("ç", "ch")).replace("q", "k")
    return LATIN_DIPHTHONG_I.sub("y", word)


# Folded Cyrillic → Latin; each entry lists the informal spelling first.
CYRILLIC_TO_LATIN = {
    "а": ("a",), "б": ("b",), "в": ("v",), "г": ("g",), "д": ("d",), "е": ("e",),
    "ж": ("zh", "j"), "з": ("z",), "и": ("i",), "й": ("y", "i"), "к": ("k",),
    "л": ("l",), "м": ("m",), "н": ("n",), "о": ("o",), "п": ("p",), "р": ("r",),
    "с": ("s",), "т": ("t",), "у": ("u",), "ф": ("f",), "х": ("kh", "h"), "ц": ("ts",),
    "ч": ("ch",), "ш": ("sh",), "щ": ("shch",), "ъ": ("",), "ы": ("y",), "ь": ("",),
    "э": ("e",), "ю": ("yu",), "я": ("ya",), "ё": ("yo",),
}  # fmt: skip
# The 2021 alphabet's own letters for Kazakh ones (Aqmola, Qostanai), as typed in ASCII.
KAZAKH_TO_LATIN = {"қ": "q", "ғ": "g", "ә": "a", "ө": "o", "ү": "u", "ұ": "u", "і": "i"}


def cyrillic_to_latin(word: str) -> list[str]:
    """ASCII spellings of a lower-case Cyrillic word: informal first, then with q, i for й."""
    folded = fold(word)
    informal = "".join(CYRILLIC_TO_LATIN.get(letter, (letter,))[0] for letter in folded)
    official = "".join(
        KAZAKH_TO_LATIN.get(letter) or CYRILLIC_TO_LATIN.get(fold(letter), (letter,))[-1]
        for letter in word
    )
    return list(dict.fromkeys([informal, official]))


LATIN_DIGRAPHS = {
    "shch": "щ", "sh": "ш", "ch": "ч", "zh": "ж", "kh": "х", "ts": "ц",
    "yu": "ю", "ya": "я", "yo": "е",
}  # fmt: skip
LATIN_LETTERS = {
    "a": "а", "b": "б", "c": "с", "d": "д", "e": "е", "f": "ф", "g": "г", "h": "х",
    "i": "и", "j": "ж", "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п",
    "q": "к", "r": "р", "s": "с", "t": "т", "u": "у", "v": "в", "w": "у", "x": "кс",
    "z": "з",
}  # fmt: skip
LATIN_VOWELS = set("aeiouy")


def latin_to_cyrillic(word: str) -> list[str]:
    """Folded Cyrillic readings of a Latin word (Shymkent → шымкент, Kostanay → костанай)."""
    # Kazakh 2021 letters first: ş, ç and ğ are digraphs' sounds, not s, c and g.
    word = word.replace("ş", "sh").replace("ç", "ch").replace("ı", "y")
    word = ascii_fold(word)
    readings = [""]
    i = 0
    while i < len(word):
        digraph = next((d for d in LATIN_DIGRAPHS if word.startswith(d, i)), None)
        if digraph and not (digraph.startswith("y") and i > 0 and word[i - 1] in LATIN_VOWELS):
            readings = [r + LATIN_DIGRAPHS[digraph] for r in readings]
            i += len(digraph)
            continue
        letter = word[i]
        after_vowel = i > 0 and word[i - 1] in LATIN_VOWELS
        before_vowel = i + 1 < len(word) and word[i + 1] in LATIN_VOWELS
        if letter == "y":
            options = ["й"] if after_vowel else ["ы", "и"]
        elif letter == "i" and after_vowel and not before_vowel:
            options = ["й", "и"]  # Qostanai, Aqtobe's Baiganin
        else:
            options = [LATIN_LETTERS.get(letter, letter)]
        readings = [r + option for r in readings for option in options][:4]
        i += 1
    return readings


# Words and documents


def _script_stems(word: str, language: str) -> list[str]:
    if LATIN.search(word):
        return [stem_english(fold_latin(word))]
    if language == "kk" or (language != "ru" and KAZAKH_LETTERS.search(word)):
        return stem_kazakh(word)
    if CYRILLIC.search(word):
        return [fold(stem_russian(word))]
    return [word]  # numbers


@functools.lru_cache(maxsize=200_000)
def analyze_word(word: str, language: str) -> tuple[list[str], str | None]:
    """A lower-case word's lexemes as a text in `language` indexes it: the main stem
    first, then alternatives; and the stem as written when folding changed it."""
    stems = _script_stems(word, language)
    exact = exact_kazakh_stem(word, stems[0]) if KAZAKH_LETTERS.search(word) else None
    return stems, exact


def document_field(text: str, language: str) -> str:
    """A field's lexemes: the main stem of every word in order (phrases are matched on
    these), then the other stems and the exact forms, which only add matches and rank."""
    main, extra = [], []
    for word in words(text):
        stems, exact = analyze_word(word, language)
        main.append(stems[0])
        extra.extend(stems[1:])
        if exact:
            extra.append(exact)
    return " ".join(main + list(dict.fromkeys(extra)))


def document_lexemes(title: str, lead: str, body: str, language: str) -> str:
    """The stored search text of an article: title, lead and body lexemes, a line each."""
    return FIELD_SEPARATOR.join(
        document_field(text, language) for text in (title or "", lead or "", body or "")
    )


def query_alternatives(word: str) -> tuple[list[str], list[str]]:
    """Lexemes a query word may match, in any language and script: (main stems, extras).

    Main stems are what a phrase matches position by position; extras (alternative
    stems, the exact Kazakh form) widen or rank a single word's match."""
    word = word.casefold()
    main: list[str] = []
    extra: list[str] = []
    if LATIN.search(word):
        main.append(stem_english(fold_latin(word)))
        for reading in latin_to_cyrillic(word):
            main.extend([stem_kazakh(reading)[0], fold(stem_russian(reading))])
    elif CYRILLIC.search(word):
        kazakh = stem_kazakh(word)
        main.extend([kazakh[0], fold(stem_russian(word))])
        extra.extend(kazakh[1:])
        exact = exact_kazakh_stem(word, kazakh[0]) if KAZAKH_LETTERS.search(word) else None
        if exact:
            extra.append(exact)
        for spelling in cyrillic_to_latin(word):
            main.append(stem_english(fold_latin(spelling)))
    else:
        main.append(word)
    main = list(dict.fromkeys(main))
    return main, [lexeme for lexeme in dict.fromkeys(extra) if lexeme not in main]


@functools.lru_cache(maxsize=200_000)
def same_script_stems(word: str) -> frozenset[str]:
    """A lower-case word's stems in its own script, in every language: whether two words
    are the same word, as transliteration cannot tell (строителство and строительство are
    both stroitelstvo in Latin)."""
    if LATIN.search(word):
        return frozenset([stem_english(fold_latin(word))])
    if CYRILLIC.search(word):
        return frozenset([*stem_kazakh(word), fold(stem_russian(word))])
    return frozenset([word])


def combinations(alternatives: list[list[str]], limit: int) -> list[tuple[str, ...]]:
    """Up to `limit` sequences taking one lexeme per position, first choices first."""
    return list(itertools.islice(itertools.product(*alternatives), limit))
