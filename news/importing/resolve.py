"""Which agency published a release and which region it is about, from plain reference data.

Pure: no ORM, no I/O. The import service builds one `Reference` per run from the database
and asks it about every release, so everything that depends only on the reference (slug
aliases, name indexes, place-name lookups) is built once, in the constructor.

The place names and slug spellings below are copied from the project's reference data
(regions of 2022, gov.kz entity slugs) and from the administrative map; the running project
reads nothing outside itself.

Why one module of this size: most of it is those place names and spellings, data that the
agency and region lookups share; split, each half would import the other's tables.
"""

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType
from typing import Literal

# Kinds as in agencies.models, repeated here so this module needs no Django.
COUNTRY, REGION, CITY = "country", "region", "city"
MINISTRY, AKIMAT, EMBASSY, OTHER = "ministry", "akimat", "embassy", "other"
NATIONAL_ROOT = "KZ"

AgencyMethod = Literal["url", "signature", "hint", ""]
RegionMethod = Literal["agency", "slug", "national", "text", ""]


@dataclass(frozen=True, slots=True)
class RegionRef:
    iso_code: str
    kind: str
    name_en: str
    name_ru: str
    name_kk: str
    govkz_akimat_slug: str


@dataclass(frozen=True, slots=True)
class AgencyRef:
    slug: str
    kind: str
    name_en: str
    name_ru: str
    name_kk: str
    region_iso: str | None


@dataclass(frozen=True, slots=True)
class AgencyResolution:
    """`known` is False for a slug the reference lacks: the caller creates it for review."""

    slug: str | None
    known: bool
    method: AgencyMethod
    note: str


@dataclass(frozen=True, slots=True)
class RegionResolution:
    """`guessed` is True only when the region comes from place names in the text."""

    iso_code: str | None
    guessed: bool
    method: RegionMethod


# --- slugs ----------------------------------------------------------------------------

# Tokens of gov.kz entity slugs that name a place, by region. Agencies spell regions their
# own way (`akmola`, `aqmola`, `akm`, `akmolinsk`), and district and town bodies use the
# district's or town's name (`aqmola-zhaksy`, `balkhash-bakanas`, `edu-osakarovka`).
# Left out on purpose, as they name places in several regions or are ordinary words:
# aksu, aktogay, esil, nura, orda, egin, alga, temir, bayterek/baiterek (also a national
# holding), balhash (Balkhash the town, Karaganda, vs `balkhash` the district, Almaty
# Region), zhetisy.
SLUG_ALIASES: dict[str, tuple[str, ...]] = {
    "KZ-10": (
        "abay", "abai", "semey", "semei", "kurchatov", "ayagoz", "ayagos", "aksuat", "urzhar",
        "beskaragay", "besqaraqai", "kokpekti", "zharma", "boroduliha", "borodulikha",
        "zhanasemey",
    ),
    "KZ-11": (
        "aqmola", "akmola", "akm", "akmo", "akmolinsk", "kokshetau", "kokshe", "stepnogorsk",
        "burabay", "celinograd", "tselinograd", "ereymentau", "shortandy", "zhaksy", "bulandy",
        "atbasar", "sandyktau", "kosshy",
    ),
    "KZ-15": (
        "aktobe", "aqtobe", "akt", "khromtau", "hromtau", "mugalzhar", "kargala", "bayganin",
        "shalkar",
    ),
    # `almaty-obl` and its kind are Almaty Region; `almaty` alone is the city.
    "KZ-19": (
        "almobl", "alm", "almaty-obl", "almaty-oblast", "almaty-oblysy", "almaty-region",
        "konaev", "qonaev", "kapshagay", "kapchagay", "enbekshikazakh", "enbekshikazah", "ile",
        "karasay", "talgar", "kegen", "uigur", "raiymbek", "balkhash",
    ),
    "KZ-23": (
        "atyrau", "atr", "inder", "isatay", "makhambet", "kurmangazy", "zhylyoi", "kyzylkoga",
        "makat",
    ),
    "KZ-27": (
        "bko", "zko", "uralsk", "oral", "terekta", "terekti", "taskala", "bokeyorda", "borli",
        "burlin", "chingirlau", "shyngyrlau", "zhangala", "zhanibek", "akzhaik", "kaztalovka",
        "syrym",
    ),
    "KZ-31": (
        "zhambyl", "jambyl", "zhmb", "taraz", "merke", "zhualy", "sarysu", "talas", "shu",
        "kordai", "baizak", "moiynkum",
    ),
    "KZ-33": (
        "zhetysu", "zhetisu", "jetisu", "tdk", "taldykorgan", "alakol", "sarkan", "tekeli",
        "zharkent", "panfilov", "eskeldi", "kerbulak", "koksu",
    ),
    "KZ-35": (
        "karaganda", "karagandy", "krg", "temirtau", "saran", "shahtinsk", "shakhtinsk",
        "priozersk", "osakarovka", "karkaraly", "buhar-zhyrau", "bukhar-zhyrau", "shet",
    ),
    "KZ-39": (
        "kostanai", "kostanay", "kost", "kst", "lisakovsk", "rudny", "rudnyi", "arkalyk",
        "amangeldi", "sarykol", "uzunkol", "karasu", "beimbet-maylin", "fedorov", "zhitikara",
        "kamysty", "auliekol", "mendykara", "naurzum",
    ),
    "KZ-43": (
        "kyzylorda", "kzl", "kzo", "syrdarya", "zhanakorgan", "aral", "kazaly", "shieli",
        "zhalagash", "karmakshy",
    ),
    "KZ-47": (
        "mangystau", "mangistau", "mng", "aktau", "zhanaozen", "beyneu", "karakiya", "munayli",
        "munaily", "tupkaragan",
    ),
    "KZ-55": (
        "pavlodar", "pvl", "ekibastuz", "ekibastyz", "sharbakty", "uspenka", "uspen",
        "zhelezinka", "zhelezin", "irtysh", "ertis", "bayanaul", "akkuly", "terenkol", "maysk",
    ),
    "KZ-59": (
        "sko", "petropavl", "petropavlovsk", "mamlyut", "ualikhanov", "timirazevo", "timiryazev",
        "kyzylzhar",
    ),
    # `uko` is ЮКО, South Kazakhstan, the region's name until 2018.
    "KZ-61": (
        "turkestan", "turkistan", "trk", "uko", "shardara", "zhetysai", "kentau", "arys",
        "saryagash", "sauran",
    ),
    "KZ-62": ("ulytau", "zhezkazgan", "satpaev", "satbayev", "karazhal", "zhanaarka"),
    # `shko` is ШҚО, East Kazakhstan in Kazakh; the root akimat is `akimvko`.
    "KZ-63": (
        "vko", "shko", "oskemen", "ust-kamenogorsk", "ridder", "altai", "altay", "katon-karagay",
        "kurchum", "ulan", "glubokoe", "zyryanovsk", "shemonaikha", "zaisan",
    ),
    "KZ-71": ("astana", "nur-sultan"),
    "KZ-75": ("almaty",),
    "KZ-79": ("shymkent",),
}  # fmt: skip

# Other spellings of a region's own name that gov.kz may use as the slug of the region's
# akimat (`kostanay`, while the districts use `kostanai-…`).
ROOT_SPELLINGS: dict[str, tuple[str, ...]] = {
    "KZ-10": ("abai",),
    "KZ-11": ("akmola",),
    "KZ-15": ("aqtobe",),
    "KZ-31": ("jambyl",),
    "KZ-33": ("zhetisu", "jetisu"),
    "KZ-35": ("karagandy",),
    "KZ-39": ("kostanay",),
    "KZ-47": ("mangistau",),
    "KZ-61": ("turkistan",),
}

# Slugs glue an organisation to a place in one token: `duisastana`, `revkomsko`, `akimvko`,
# `semeymaslihat`.
_GLUED_PREFIXES = ("duis", "revkom", "akim")
_GLUED_SUFFIXES = ("maslihat",)

# --- place names in text --------------------------------------------------------------

_EN_REGION = r"(?i:region|oblast|oblysy|province)"
_RU_REGION = r"(?i:област\w*|обл\.)"
_RU_REGION_FIRST = r"[Оо]бл(?:аст\w*|\.)"
_KK_REGION = r"облыс\w*"

# iso -> (patterns of the region as a whole, {town key: patterns of a town in it}).
# Patterns are case-sensitive regular expressions (place names are capitalized, and so
# `семей` "of families" is not Semey) that start with three letters or `[…]` classes, by
# which the index finds them; a space matches any run of spaces. `\w*` takes the
# Russian and Kazakh endings (`Костанае`, `Шымкентте`) where no other word starts the same.
# Abai, Zhambyl and Jetisu alone are a poet, a poet and a district: only their region
# phrases count. Kazakhstan alone is the country, not a region, so it is not here.
_REGION_PLACES: dict[str, tuple[tuple[str, ...], dict[str, tuple[str, ...]]]] = {
    "KZ-10": (
        (rf"Aba[iy] {_EN_REGION}", rf"{_RU_REGION_FIRST} Абай", rf"Абай {_KK_REGION}",
         rf"Абайск\w* {_RU_REGION}"),
        {
            # Not Semipalatinsk: the city's name until 2007 now names the nuclear test
            # site, a subject rather than where a release happens.
            "semey": (r"Seme[iy]", r"Семей(?:де|дің|ге|ден|дегі)?", r"Семе(?:е|я|ю|ем)"),
            "ayagoz": (r"Ayagoz", r"Аягоз\w*", r"Аягөз\w*"),
        },
    ),
    "KZ-11": (
        (r"Akmola", r"Aqmola", r"Акмолинск\w*", r"Акмол(?:а|ы|е|ой)", r"Ақмола\w*"),
        {
            "kokshetau": (r"Kokshetau", r"Kökşetau", r"Кокшетау\w*", r"Көкшетау\w*"),
            "stepnogorsk": (r"Stepnogorsk", r"Степногорск\w*"),
            "shchuchinsk": (r"Shchuchinsk", r"Щучинск\w*"),
            "burabay": (r"Burabay", r"Бурабай\w*"),
            "kosshy": (r"Kosshy", r"Косшы", r"Қосшы\w*"),
        },
    ),
    "KZ-15": (
        (rf"A[kq]t[oö]be {_EN_REGION}", r"Актюбинск\w*", rf"Ақтөбе {_KK_REGION}"),
        {"aktobe": (r"Aktobe", r"Aqtobe", r"Aqtöbe", r"Актобе", r"Ақтөбе\w*")},
    ),
    "KZ-19": (
        (rf"Almaty {_EN_REGION}", rf"Алматинск\w* {_RU_REGION}", rf"Алматы {_KK_REGION}"),
        {
            "konaev": (r"Konaev", r"Qonaev", r"Konayev", r"Конаев\w*", r"Қонаев\w*"),
            "kapshagay": (r"Kapshagay", r"Kapchagay", r"Kapchagai", r"Капшагай\w*",
                          r"Капчагай\w*", r"Қапшағай\w*"),
            "talgar": (r"Talgar", r"Талгар\w*"),
            "kaskelen": (r"Kaskelen", r"Каскелен\w*", r"Қаскелең\w*"),
        },
    ),
    "KZ-23": (
        (rf"Atyrau {_EN_REGION}", r"Атырауск\w*", rf"Атырау {_KK_REGION}"),
        {
            "atyrau": (r"Atyrau", r"Атырау\w*"),
            "kulsary": (r"Kulsary", r"Кульсары", r"Құлсары\w*"),
        },
    ),
    "KZ-27": (
        (r"West Kazakhstan", r"Западно-Казахстанск\w*", r"Батыс Қазақстан\w*", r"ЗКО", r"БҚО"),
        {"uralsk": (r"Uralsk", r"Уральск(?:а|е|у|ом)?", r"Орал(?:да|ға|дың|дан|дағы)?")},
    ),
    "KZ-31": (
        (rf"Jambyl {_EN_REGION}", rf"Zhambyl {_EN_REGION}", rf"Жамбылск\w* {_RU_REGION}",
         rf"Жамбыл {_KK_REGION}"),
        {
            "taraz": (r"Taraz", r"Тараз\w*"),
            "zhanatas": (r"Zhanatas", r"Жанатас\w*", r"Жаңатас\w*"),
            "kordai": (r"Kordai", r"Кордай\w*", r"Қордай\w*"),
        },
    ),
    "KZ-33": (
        (rf"Jet[iy]su {_EN_REGION}", rf"Zhet[iy]su {_EN_REGION}", rf"{_RU_REGION_FIRST} Жет[іы]су",
         rf"Жет[іы]су {_KK_REGION}", rf"Жетысуск\w* {_RU_REGION}"),
        {
            "taldykorgan": (r"Taldykorgan", r"Taldyqorgan", r"Талдыкорган\w*",
                            r"Талдықорған\w*"),
            "tekeli": (r"Tekeli", r"Текели"),
            "zharkent": (r"Zharkent", r"Жаркент\w*"),
        },
    ),
    "KZ-35": (
        (rf"Karagand[ay] {_EN_REGION}", rf"Qaragandy {_EN_REGION}", r"Карагандинск\w*",
         rf"Қарағанды {_KK_REGION}"),
        {
            "karaganda": (r"Karaganda", r"Karagandy", r"Qaragandy", r"Qaraǵandy",
                          r"Караганд\w*", r"Қарағанды\w*"),
            "temirtau": (r"Temirtau", r"Темиртау\w*", r"Теміртау\w*"),
            "shakhtinsk": (r"Shakhtinsk", r"Шахтинск\w*"),
            "saran": (r"Saran", r"Сарань", r"Сарани", r"Саран(?:да|ға|ның)?"),
            "priozersk": (r"Priozersk", r"Приозерск\w*"),
        },
    ),
    "KZ-39": (
        (rf"[KQ]ostana[iy] {_EN_REGION}", r"Костанайск\w*",
         rf"Қостанай {_KK_REGION}"),
        {
            "kostanay": (r"Kostanay", r"Kostanai", r"Qostanai", r"Qostanay", r"Костана\w*",
                         r"Қостанай\w*"),
            "rudny": (r"Rudny", r"Rudnyi", r"Рудн(?:ый|ого|ом|ому|ым)"),
            "lisakovsk": (r"Lisakovsk", r"Лисаковск\w*"),
            "arkalyk": (r"Arkalyk", r"Аркалык\w*", r"Арқалық\w*"),
        },
    ),
    "KZ-43": (
        (rf"[KQ]yzylorda {_EN_REGION}", r"Кызылординск\w*",
         rf"Қызылорда {_KK_REGION}"),
        {
            "kyzylorda": (r"Kyzylorda", r"Qyzylorda", r"Кызылорд\w*", r"Қызылорда\w*"),
            "aralsk": (r"Aralsk", r"Аральск(?:а|е|у|ом)?"),
        },
    ),
    "KZ-47": (
        (r"Mang[iy]stau", r"Mańǵystaý", r"Манг[иы]стау\w*", r"Маңғыстау\w*"),
        {
            "aktau": (r"Aktau", r"Aqtau", r"Актау", r"Ақтау\w*"),
            "zhanaozen": (r"Zhanaozen", r"Janaozen", r"Жанаозен\w*", r"Жаңаөзен\w*"),
        },
    ),
    "KZ-55": (
        (rf"Pavlodar {_EN_REGION}", r"Павлодарск\w*", rf"Павлодар {_KK_REGION}"),
        {
            "pavlodar": (r"Pavlodar", r"Павлодар\w*"),
            "ekibastuz": (r"Ekibastuz", r"Экибастуз\w*", r"Екібастұз\w*"),
        },
    ),
    "KZ-59": (
        (r"North Kazakhstan", r"Северо-Казахстанск\w*", r"Солтүстік Қазақстан\w*", r"СКО",
         r"СҚО"),
        {"petropavl": (r"Petropavl\w*(?!-Kamchat)", r"Петропавл\w*(?!-Камчат)")},
    ),
    "KZ-61": (
        (rf"T[uü]rk[ie]stan {_EN_REGION}", r"Туркестанск\w*",
         rf"Түркістан {_KK_REGION}", r"South Kazakhstan", r"Южно-Казахстанск\w*",
         r"Оңтүстік Қазақстан\w*", r"ЮКО", r"ОҚО"),
        {
            "turkistan": (r"Turkistan", r"Turkestan", r"Türkistan", r"Туркестан\w*",
                          r"Түркістан\w*"),
            "kentau": (r"Kentau", r"Кентау\w*"),
            "saryagash": (r"Saryagash", r"Сарыагаш\w*", r"Сарыағаш\w*"),
            "arys": (r"Arys", r"Арыс(?:и|е|та|қа|тың|тан|тағы)?"),
        },
    ),
    "KZ-62": (
        (r"Ulytau", r"Ulytaý", r"Улытау\w*", r"Ұлытау\w*"),
        {"zhezkazgan": (r"Zhezkazgan", r"Jezkazgan", r"Жезказган\w*", r"Жезқазған\w*")},
    ),
    "KZ-63": (
        (r"East Kazakhstan", r"Восточно-Казахстанск\w*", r"Шығыс Қазақстан\w*", r"ВКО",
         r"ШҚО"),
        {
            "oskemen": (r"Oskemen", r"Öskemen", r"Ust-Kamenogorsk", r"Усть-Каменогорск\w*",
                        r"Өскемен\w*"),
            "ridder": (r"Ridder", r"Риддер\w*"),
        },
    ),
    # Cities of republican significance: the city is the whole region.
    "KZ-71": ((r"Astana", r"Астан\w*", r"Nur-Sultan", r"Нур-Султан\w*", r"Нұр-Сұлтан\w*"), {}),
    "KZ-75": ((r"Almaty", r"Алматы\w*", r"Alma-Ata", r"Алма-Ат\w*"), {}),
    "KZ-79": ((r"Shymkent", r"Şymkent", r"Шымкент\w*"), {}),
}  # fmt: skip

# Where a place name sits: the region as a whole (or a city of republican significance),
# or a town inside a region, whose akimat is not the region's.
_WHOLE, _TOWN = "whole", "town"


@dataclass(frozen=True, slots=True)
class _Place:
    iso: str
    level: str
    key: str


# --- names and signatures -------------------------------------------------------------

# Russian and Kazakh signatures name the body in the genitive (`Пресс-служба министерства
# обороны`, `Қорғаныс министрлігінің`); the head noun is brought back to the form in the
# agency's name, on both sides, so that one dictionary lookup compares them.
_RU_GENITIVE = {
    "министерства": "министерство",
    "комитета": "комитет",
    "агентства": "агентство",
    "департамента": "департамент",
    "управления": "управление",
    "акимата": "акимат",
    "акима": "аким",
    "посольства": "посольство",
    "представительства": "представительство",
    "консульства": "консульство",
    "службы": "служба",
    "центра": "центр",
    "отдела": "отдел",
    "прокуратуры": "прокуратура",
}
_KK_GENITIVE_ENDINGS = ("нің", "ның", "дің", "дың", "тің", "тың")
_EN_SPELLING = {"defense": "defence", "labor": "labour", "akims": "akim", "mayors": "mayor"}
_DROPPED_WORDS = frozenset({"the", "a"})
# Naming the country adds nothing to which body it is.
_COUNTRY_PHRASES = (
    ("of", "republic", "of", "kazakhstan"),
    ("of", "kazakhstan"),
    ("республики", "казахстан"),
    ("рк",),
    ("қазақстан", "республикасы"),
    ("қр",),
)
_PRESS_SERVICE_START = (
    ("press", "service", "of"),
    ("press", "office", "of"),
    ("press", "service"),
    ("пресс", "служба"),
    ("пресс", "службы"),
)
_PRESS_SERVICE_END = (("баспасөз", "қызметі"),)
_AKIM_WORDS = frozenset(
    {"akim", "akimat", "mayor", "аким", "акимат", "әкім", "әкімі", "әкімдігі", "әкімдік"}
)
# An akim or akimat of a district, village or rural okrug is not the region's or town's.
_BELOW_TOWN_STEMS = (
    "district", "rural", "village", "settlement", "район", "сельск", "посел", "села", "аудан",
    "ауыл", "округ",
)  # fmt: skip
_PRESS_SERVICE_IN_TEXT = re.compile(r"press[ \-‐‑]service|press office|пресс-служб", re.I)
_PRESS_SERVICE_IN_TEXT_KK = re.compile(r"баспасөз қызмет", re.I)
_PHRASE_END = re.compile(r"[.!?…;:\n«»\"“”()]")
_HINT_WINDOW = 160
_WORD = re.compile(r"\w+")
_APOSTROPHES = str.maketrans("", "", "'’ʼ`")
_AMBIGUOUS = ""
_KAZAKH_LETTERS = re.compile("[әғқңөұүһіӘҒҚҢӨҰҮҺІ]")


def _name_words(text: str) -> list[str]:
    """Words of a name or signature, casefolded and in the forms the name index uses."""
    words = []
    for word in _WORD.findall(text.translate(_APOSTROPHES).casefold().replace("ё", "е")):
        if word in _DROPPED_WORDS:
            continue
        word = _RU_GENITIVE.get(word) or _EN_SPELLING.get(word) or word
        if len(word) > 6 and word.endswith(_KK_GENITIVE_ENDINGS):
            word = word[:-3]
        words.append(word)
    return _without_phrases(words, _COUNTRY_PHRASES)


def _without_phrases(words: list[str], phrases: tuple[tuple[str, ...], ...]) -> list[str]:
    kept: list[str] = []
    i = 0
    while i < len(words):
        for phrase in phrases:
            if tuple(words[i : i + len(phrase)]) == phrase:
                i += len(phrase)
                break
        else:
            kept.append(words[i])
            i += 1
    return kept


def _strip_press_service(words: list[str]) -> tuple[list[str], bool | None]:
    """(words without the press service, whether the body is named last), when it was there."""
    for phrase in _PRESS_SERVICE_START:
        if tuple(words[: len(phrase)]) == phrase:
            return words[len(phrase) :], False
    for phrase in _PRESS_SERVICE_END:
        if tuple(words[-len(phrase) :]) == phrase:
            return words[: -len(phrase)], True
    return words, None


# --- the reference --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _RegionIndex:
    aliases: Mapping[str, str]
    longest_alias: int
    by_start: Mapping[str, tuple[tuple[re.Pattern, _Place], ...]]
    word_starts: re.Pattern
    kind_rank: Mapping[str, int]
    country_iso: str


_HYPHEN = "[-‐‑–]"


def _compile_pattern(pattern: str) -> str:
    # Spaces and hyphens as they come out of word processors and HTML.
    return pattern.replace(" ", r"\s+").replace("-", _HYPHEN)


_START = 3


def _starts(pattern: str) -> set[str]:
    """The first letters a pattern's match can begin with.

    Patterns start with letters or `[…]` classes of letters; anything else this early is a
    mistake in the tables, caught when the index is built.
    """
    starts = {""}
    i = 0
    while len(next(iter(starts))) < _START:
        if i < len(pattern) and pattern[i] == "[":
            end = pattern.index("]", i)
            letters, i = pattern[i + 1 : end], end + 1
        elif i < len(pattern) and pattern[i].isalpha():
            letters, i = pattern[i], i + 1
        else:
            raise ValueError(f"A place pattern must start with {_START} letters: {pattern!r}")
        starts = {start + letter for start in starts for letter in letters}
    return starts


def _literal(name: str) -> str:
    """A pattern for a name as written, for `_compile_pattern`."""
    return " ".join("-".join(map(re.escape, word.split("-"))) for word in name.split())


def _find_places(text: str, index: _RegionIndex) -> Iterator[tuple[int, _Place]]:
    """(position, place) of each place named in `text`, in order, none inside another."""
    by_start = index.by_start
    taken = 0
    for word in index.word_starts.finditer(text):
        start = word.start()
        if start < taken:
            continue
        for pattern, place in by_start.get(text[start : start + _START].casefold(), ()):
            found = pattern.match(text, start)
            if found:
                taken = found.end()
                yield start, place
                break


@lru_cache(maxsize=8)
def _region_index(regions: tuple[RegionRef, ...]) -> _RegionIndex:
    # Cached by value: a reference that only gains an agency keeps the same regions.
    by_iso = {region.iso_code: region for region in regions}
    aliases: dict[str, str] = {}
    for iso, tokens in SLUG_ALIASES.items():
        if iso in by_iso:
            for token in tokens:
                aliases[token] = iso
    for region in regions:
        if region.kind in (REGION, CITY) and region.govkz_akimat_slug:
            aliases[region.govkz_akimat_slug.lower()] = region.iso_code

    # Alternatives are tried in order at each position: regions before the cities of
    # republican significance before towns, so that `Almaty Region` is Almaty Region and
    # not the city followed by a word.
    groups: dict[str, list[tuple[str, _Place]]] = {REGION: [], CITY: [], _TOWN: []}
    for iso, region in by_iso.items():
        if region.kind not in (REGION, CITY):
            continue
        region_patterns, town_patterns = _REGION_PLACES.get(iso, ((), {}))
        whole = _Place(iso, _WHOLE, iso)
        # The reference's own names too, in case the database spells one differently; a
        # name too short to index is left to the tables.
        names = {region.name_en, region.name_ru, region.name_kk}
        literals = [
            _literal(name)
            for name in sorted(names, key=len, reverse=True)
            if len(name) >= _START and name[:_START].isalpha()
        ]
        groups[region.kind].extend((pattern, whole) for pattern in (*literals, *region_patterns))
        for key, patterns in town_patterns.items():
            groups[_TOWN].extend((pattern, _Place(iso, _TOWN, key)) for pattern in patterns)
    # One regular expression of all the names is far too slow (every position of every
    # text tries them all): names are looked up by the first letters of a word instead.
    by_start: dict[str, list[tuple[re.Pattern, _Place]]] = {}
    first_letters: set[str] = set()
    for pattern, place in groups[REGION] + groups[CITY] + groups[_TOWN]:
        compiled = re.compile(_compile_pattern(pattern) + r"(?!\w)")
        starts = _starts(pattern)
        first_letters |= {start[0] for start in starts}
        for start in {start.casefold() for start in starts}:
            by_start.setdefault(start, []).append((compiled, place))
    # The start of a word whose first letter some name starts with (mostly capitals, so
    # most words are skipped by the regular expression engine, not by Python). The
    # look-behind comes after the letter so that the engine can scan for the letters fast.
    letters = "".join(sorted(first_letters))
    # With no regions (an empty database) there is nothing to find.
    word_starts = re.compile(f"[{re.escape(letters)}](?<!\\w.)" if letters else "(?!)")
    kind_rank = {iso: (0 if region.kind == CITY else 1) for iso, region in by_iso.items()}
    country = next((r.iso_code for r in regions if r.kind == COUNTRY), NATIONAL_ROOT)
    return _RegionIndex(
        aliases=MappingProxyType(aliases),
        longest_alias=max((alias.count("-") + 1 for alias in aliases), default=0),
        by_start=MappingProxyType({k: tuple(v) for k, v in by_start.items()}),
        word_starts=word_starts,
        kind_rank=MappingProxyType(kind_rank),
        country_iso=country,
    )


@dataclass(frozen=True, slots=True)
class _AgencyIndex:
    names: Mapping[str, str]
    longest_name: int
    akimats_by_name: Mapping[str, str]
    town_akimats: Mapping[tuple[str, str], str]
    region_akimats: Mapping[str, str]


def _index_agencies(
    added: Iterable[AgencyRef],
    agencies: Mapping[str, AgencyRef],
    regions: Mapping[str, RegionRef],
    region_index: _RegionIndex,
    base: _AgencyIndex | None = None,
) -> _AgencyIndex:
    """The lookups of `base` (if any) extended with the agencies `added`."""
    names = dict(base.names) if base else {}
    longest = base.longest_name if base else 0
    akimats_by_name = dict(base.akimats_by_name) if base else {}
    town_akimats = dict(base.town_akimats) if base else {}
    for agency in added:
        for name in {agency.name_en, agency.name_ru, agency.name_kk}:
            words = _name_words(name)
            if words:
                _add_unique(names, " ".join(words), agency.slug)
                longest = max(longest, len(words))
        if agency.kind == AKIMAT:
            if agency.name_en:
                _add_unique(akimats_by_name, agency.name_en.casefold(), agency.slug)
            town = _town_of_akimat(agency, region_index)
            if town:
                _add_unique(town_akimats, town, agency.slug)
    return _AgencyIndex(
        names=MappingProxyType(names),
        longest_name=longest,
        akimats_by_name=MappingProxyType(akimats_by_name),
        town_akimats=MappingProxyType(town_akimats),
        region_akimats=MappingProxyType(_region_akimats(agencies, akimats_by_name, regions)),
    )


def _add_unique(index: dict, key, slug: str) -> None:
    # Two agencies under one key: a signature with it names neither.
    index[key] = slug if index.get(key, slug) == slug else _AMBIGUOUS


def _town_of_akimat(agency: AgencyRef, region_index: _RegionIndex) -> tuple[str, str] | None:
    """(iso, town) when the akimat's names name one town and nothing else (`… Kostanay City`)."""
    names = (agency.name_en, agency.name_ru, agency.name_kk)
    if any(word.startswith(_BELOW_TOWN_STEMS) for name in names for word in _name_words(name)):
        return None
    places = {place for name in names for _, place in _find_places(name, region_index)}
    if len(places) != 1 or (place := next(iter(places))).level != _TOWN:
        return None
    return (place.iso, place.key) if agency.region_iso in (place.iso, None) else None


def _region_akimats(
    agencies: Mapping[str, AgencyRef],
    akimats_by_name: Mapping[str, str],
    regions: Mapping[str, RegionRef],
) -> dict[str, str]:
    """ISO code -> slug of the akimat of the region or city of republican significance."""
    found: dict[str, str] = {}
    for iso, region in regions.items():
        if region.kind not in (REGION, CITY):
            continue
        # The region's own gov.kz root first (`almaty`, `akimvko`), then another spelling
        # of it used as a whole slug (`kostanay`), then the name.
        root = region.govkz_akimat_slug
        candidates = [root, f"akim{root}"] if root else []
        for slug in [*candidates, *ROOT_SPELLINGS.get(iso, ())]:
            agency = agencies.get(slug)
            if agency and agency.kind in (AKIMAT, OTHER) and agency.region_iso in (iso, None):
                found[iso] = slug
                break
        else:
            slug = akimats_by_name.get(f"akimat of {region.name_en}".casefold())
            if slug:
                found[iso] = slug
    return found


@dataclass(frozen=True)
class Reference:
    """The regions (by ISO code) and agencies (by slug) that releases are resolved against.

    Build it once per import run: the constructor copies both mappings and indexes them,
    so resolving a release never scans all agencies.
    """

    regions: Mapping[str, RegionRef]
    agencies: Mapping[str, AgencyRef]
    _regions: _RegionIndex = field(init=False, repr=False, compare=False)
    _agencies: _AgencyIndex = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        regions = MappingProxyType(dict(self.regions))
        agencies = MappingProxyType(dict(self.agencies))
        region_index = _region_index(tuple(sorted(regions.values(), key=lambda r: r.iso_code)))
        self._set(regions, agencies, region_index)
        object.__setattr__(
            self, "_agencies", _index_agencies(agencies.values(), agencies, regions, region_index)
        )

    def _set(self, regions, agencies, region_index) -> None:
        object.__setattr__(self, "regions", regions)
        object.__setattr__(self, "agencies", agencies)
        object.__setattr__(self, "_regions", region_index)

    def with_agency(self, agency: AgencyRef) -> "Reference":
        """A copy that also knows `agency` (one the import has just created).

        Cheap, as an import may create many: only the new agency is indexed.
        """
        agencies = {**self.agencies, agency.slug: agency}
        if agency.slug in self.agencies:
            # A changed agency leaves its old names in the indexes: index all again.
            return Reference(regions=self.regions, agencies=agencies)
        extended = object.__new__(Reference)
        extended._set(self.regions, MappingProxyType(agencies), self._regions)
        index = _index_agencies([agency], agencies, self.regions, self._regions, self._agencies)
        object.__setattr__(extended, "_agencies", index)
        return extended

    @property
    def country_iso(self) -> str:
        """The ISO code of the national root region."""
        return self._regions.country_iso

    def _places_in(self, text: str) -> list[_Place]:
        return [place for _, place in _find_places(text, self._regions)]


# --- regions from slugs ---------------------------------------------------------------


def region_from_slug(slug: str, reference: Reference) -> str | None:
    """ISO code of the region a gov.kz entity slug belongs to, or None (national, abroad, unknown).

    The leftmost place wins, so a district named like another region stays in its own
    (`astana-almaty` is Astana's Almaty district, `almaty-zhetysu` Almaty's Zhetysu district);
    the longest spelling wins at a place (`almaty-obl` is the region, `almaty` the city).
    """
    aliases = reference._regions.aliases
    tokens = [token for token in re.split(r"[-_]+", slug.strip().lower()) if token]
    for i, token in enumerate(tokens):
        for size in range(min(reference._regions.longest_alias, len(tokens) - i), 0, -1):
            iso = aliases.get("-".join(tokens[i : i + size]))
            if iso:
                return iso
        iso = _glued_region(token, aliases)
        if iso:
            return iso
    return None


def _glued_region(token: str, aliases: Mapping[str, str]) -> str | None:
    for prefix in _GLUED_PREFIXES:
        if token.startswith(prefix) and len(token) > len(prefix) + 1:
            iso = aliases.get(token[len(prefix) :])
            if iso:
                return iso
    for suffix in _GLUED_SUFFIXES:
        if token.endswith(suffix) and len(token) > len(suffix) + 1:
            iso = aliases.get(token[: -len(suffix)])
            if iso:
                return iso
    return None


# --- agencies -------------------------------------------------------------------------

_SLUG = re.compile(r"[a-z0-9][a-z0-9_-]{0,99}")


def resolve_agency(
    *, agency_slug: str, attribution: str, text: str, reference: Reference
) -> AgencyResolution:
    """The agency of a release: its gov.kz URL slug, else the press service that signed it,
    else a press service named in the text; unresolved (slug None) when none of them does."""
    slug = (agency_slug or "").strip().lower()
    if slug and _SLUG.fullmatch(slug):
        if slug in reference.agencies:
            return AgencyResolution(slug, True, "url", "From the release's gov.kz address.")
        return AgencyResolution(
            slug, False, "url", "The gov.kz address names an agency Pressroom does not know yet."
        )
    if attribution:
        found = _agency_from_signature(attribution, reference)
        if found:
            return AgencyResolution(found[0], True, "signature", f"The signature {found[1]}.")
    found = _agency_from_text(text, reference)
    if found:
        note = f"Not signed; a press service named in the text {found[1]}: check it."
        return AgencyResolution(found[0], True, "hint", note)
    if attribution:
        note = f"The signature “{attribution}” names no agency Pressroom knows."
        return AgencyResolution(None, False, "", note)
    return AgencyResolution(None, False, "", "No gov.kz address and no signature.")


def _agency_from_text(text: str, reference: Reference) -> tuple[str, str] | None:
    if not text:
        return None
    for match in _PRESS_SERVICE_IN_TEXT.finditer(text):
        phrase = text[match.start() : match.end() + _HINT_WINDOW]
        end = _PHRASE_END.search(phrase, match.end() - match.start())
        found = _agency_from_signature(phrase[: end.start()] if end else phrase, reference)
        if found:
            return found
    for match in _PRESS_SERVICE_IN_TEXT_KK.finditer(text):
        # Kazakh names the press service after its body: read back to the sentence start.
        phrase = text[max(0, match.start() - _HINT_WINDOW) : match.start()]
        ends = list(_PHRASE_END.finditer(phrase))
        phrase = phrase[ends[-1].end() :] if ends else phrase
        found = _agency_from_signature(f"{phrase} баспасөз қызметі", reference)
        if found:
            return found
    return None


def _agency_from_signature(signature: str, reference: Reference) -> tuple[str, str] | None:
    """(slug, how the signature names it) of a known agency, or None."""
    words, named_last = _strip_press_service(_name_words(signature))
    if not words:
        return None
    # The body a signature names comes first in English and Russian (`Ministry of Defence
    # of …`) and last in Kazakh (`… Қорғаныс министрлігі`). Only that end counts, so the
    # parent ministry named after a department is not taken for the department.
    if named_last is None:
        named_last = bool(_KAZAKH_LETTERS.search(signature))
    slug = _agency_by_name(words, named_last, reference)
    if slug:
        return slug, "names it"
    ends = (words[-1],) if named_last else (words[0], words[-1])
    if any(word in _AKIM_WORDS for word in ends):
        if any(word.startswith(_BELOW_TOWN_STEMS) for word in words):
            return None
        slug = _akimat_of_place(reference._places_in(signature), reference)
        if slug:
            return slug, "is of its akim or akimat"
    return None


def _agency_by_name(words: list[str], named_last: bool, reference: Reference) -> str | None:
    names = reference._agencies.names
    for size in range(min(reference._agencies.longest_name, len(words)), 0, -1):
        span = words[len(words) - size :] if named_last else words[:size]
        slug = names.get(" ".join(span))
        if slug:
            return slug
    return None


def _akimat_of_place(places: list[_Place], reference: Reference) -> str | None:
    whole = {place.iso for place in places if place.level == _WHOLE}
    if len(whole) == 1:
        return reference._agencies.region_akimats.get(next(iter(whole)))
    towns = {(place.iso, place.key) for place in places if place.level == _TOWN}
    if not whole and len(towns) == 1:
        return reference._agencies.town_akimats.get(next(iter(towns))) or None
    return None


# --- regions --------------------------------------------------------------------------


def resolve_region(
    *, agency: AgencyRef | None, agency_slug: str | None, text: str, reference: Reference
) -> RegionResolution:
    """The region of a release: its agency's, else its agency slug's, else the national root
    for national bodies and missions abroad, else a guess from the places the text names."""
    if agency and agency.region_iso:
        return RegionResolution(agency.region_iso, False, "agency")
    slug = agency.slug if agency else (agency_slug or "")
    if slug:
        iso = region_from_slug(slug, reference)
        if iso:
            return RegionResolution(iso, False, "slug")
    if _is_national(agency, slug, reference):
        return RegionResolution(reference.country_iso, False, "national")
    iso = guess_region(text, reference)
    if iso:
        return RegionResolution(iso, True, "text")
    return RegionResolution(None, False, "")


def _is_national(agency: AgencyRef | None, slug: str, reference: Reference) -> bool:
    if agency and agency.kind in (MINISTRY, EMBASSY):
        return True
    tokens = slug.lower().split("-") if slug else []
    if not tokens:
        return False
    # The foreign ministry and its missions abroad (`mfa-washington`); a ministry's
    # committee under the ministry's slug (`mti-kzpp`).
    if tokens[0] == "mfa":
        return True
    parent = reference.agencies.get(tokens[0]) if len(tokens) > 1 else None
    return bool(parent and parent.kind == MINISTRY and not parent.region_iso)


def guess_region(text: str, reference: Reference) -> str | None:
    """ISO code of the region the text names most, or None when it names none.

    A tie goes to a city of republican significance over a region, then to the first named.
    """
    index = reference._regions
    counts: dict[str, int] = {}
    first: dict[str, int] = {}
    for position, place in _find_places(unicodedata.normalize("NFC", text or ""), index):
        counts[place.iso] = counts.get(place.iso, 0) + 1
        first.setdefault(place.iso, position)
    if not counts:
        return None
    return min(counts, key=lambda iso: (-counts[iso], index.kind_rank.get(iso, 1), first[iso]))
