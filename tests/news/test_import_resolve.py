"""Resolving a release's agency and region from plain reference data: no database."""

import csv
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from news.importing.resolve import (
    AgencyRef,
    AgencyResolution,
    Reference,
    RegionRef,
    RegionResolution,
    guess_region,
    region_from_slug,
    resolve_agency,
    resolve_region,
)

from ..shared import SAMPLE_DIGEST, shared_path

# As seeded by agencies/migrations/0002: iso, kind, name_en, name_ru, name_kk, gov.kz slug.
REGIONS = [
    ("KZ", "country", "Kazakhstan", "Казахстан", "Қазақстан", ""),
    ("KZ-10", "region", "Abai Region", "область Абай", "Абай облысы", "abay"),
    ("KZ-11", "region", "Akmola Region", "Акмолинская область", "Ақмола облысы", "aqmola"),
    ("KZ-15", "region", "Aktobe Region", "Актюбинская область", "Ақтөбе облысы", "aktobe"),
    ("KZ-19", "region", "Almaty Region", "Алматинская область", "Алматы облысы", "almobl"),
    ("KZ-23", "region", "Atyrau Region", "Атырауская область", "Атырау облысы", "atyrau"),
    ("KZ-27", "region", "West Kazakhstan Region", "Западно-Казахстанская область",
     "Батыс Қазақстан облысы", "bko"),
    ("KZ-31", "region", "Jambyl Region", "Жамбылская область", "Жамбыл облысы", "zhambyl"),
    ("KZ-33", "region", "Jetisu Region", "область Жетісу", "Жетісу облысы", "zhetysu"),
    ("KZ-35", "region", "Karaganda Region", "Карагандинская область", "Қарағанды облысы",
     "karaganda"),
    ("KZ-39", "region", "Kostanay Region", "Костанайская область", "Қостанай облысы", "kostanai"),
    ("KZ-43", "region", "Kyzylorda Region", "Кызылординская область", "Қызылорда облысы",
     "kyzylorda"),
    ("KZ-47", "region", "Mangystau Region", "Мангистауская область", "Маңғыстау облысы",
     "mangystau"),
    ("KZ-55", "region", "Pavlodar Region", "Павлодарская область", "Павлодар облысы", "pavlodar"),
    ("KZ-59", "region", "North Kazakhstan Region", "Северо-Казахстанская область",
     "Солтүстік Қазақстан облысы", "sko"),
    ("KZ-61", "region", "Turkistan Region", "Туркестанская область", "Түркістан облысы",
     "turkestan"),
    ("KZ-62", "region", "Ulytau Region", "область Ұлытау", "Ұлытау облысы", "ulytau"),
    ("KZ-63", "region", "East Kazakhstan Region", "Восточно-Казахстанская область",
     "Шығыс Қазақстан облысы", "vko"),
    ("KZ-71", "city", "Astana", "Астана", "Астана", "astana"),
    ("KZ-75", "city", "Almaty", "Алматы", "Алматы", "almaty"),
    ("KZ-79", "city", "Shymkent", "Шымкент", "Шымкент", "shymkent"),
]  # fmt: skip

M, A, D, E = "ministry", "akimat", "department", "embassy"
# Some of the seeded agencies: slug, kind, region, name_en, name_ru, name_kk.
AGENCIES = [
    ("minfin", M, None, "Ministry of Finance", "Министерство финансов", "Қаржы министрлігі"),
    ("mfa", M, None, "Ministry of Foreign Affairs", "Министерство иностранных дел",
     "Сыртқы істер министрлігі"),
    ("mod", M, None, "Ministry of Defence", "Министерство обороны", "Қорғаныс министрлігі"),
    ("sport", M, None, "Ministry of Tourism and Sport", "Министерство туризма и спорта",
     "Туризм және спорт министрлігі"),
    ("tsm", M, None, "Ministry of Tourism", "Министерство туризма", "Туризм министрлігі"),
    ("mti", M, None, "Ministry of Trade and Integration", "Министерство торговли и интеграции",
     "Сауда және интеграция министрлігі"),
    ("kgd-akmola", D, "KZ-11", "State Revenue Department for Akmola Region",
     "Департамент государственных доходов по Акмолинской области",
     "Ақмола облысы бойынша мемлекеттік кірістер департаменті"),
    ("mfa-washington", E, None, "Embassy of Kazakhstan in the USA", "Посольство Казахстана в США",
     "Қазақстанның АҚШ-тағы елшілігі"),
    ("mfa-geneva", E, None, "Permanent Mission of Kazakhstan to the UN Office in Geneva",
     "Постоянное представительство Казахстана при Отделении ООН в Женеве",
     "Қазақстанның Женевадағы БҰҰ бөлімшесі жанындағы тұрақты өкілдігі"),
    ("duisastana", D, "KZ-71", "Penal System Department of Astana",
     "Департамент уголовно-исполнительной системы по городу Астане",
     "Астана қаласы бойынша қылмыстық-атқару жүйесі департаменті"),
    ("almaty", A, "KZ-75", "Akimat of Almaty", "Акимат города Алматы", "Алматы қаласының әкімдігі"),
    ("astana", A, "KZ-71", "Akimat of Astana", "Акимат города Астаны", "Астана қаласының әкімдігі"),
    ("shymkent", A, "KZ-79", "Akimat of Shymkent", "Акимат города Шымкента",
     "Шымкент қаласының әкімдігі"),
    ("kyzylorda", A, "KZ-43", "Akimat of Kyzylorda Region", "Акимат Кызылординской области",
     "Қызылорда облысының әкімдігі"),
    ("kostanay", A, "KZ-39", "Akimat of Kostanay Region", "Акимат Костанайской области",
     "Қостанай облысының әкімдігі"),
    ("kostanai-kalasy-akimat", A, "KZ-39", "Akimat of Kostanay City", "Акимат города Костаная",
     "Қостанай қаласының әкімдігі"),
    ("aqmola-zhaksy", A, "KZ-11", "Akimat of Zhaksy District", "Акимат Жаксынского района",
     "Жақсы ауданының әкімдігі"),
]  # fmt: skip


def region_refs(regions=REGIONS) -> list[RegionRef]:
    return [RegionRef(*row) for row in regions]


def agency_refs(agencies=AGENCIES) -> list[AgencyRef]:
    return [
        AgencyRef(slug=slug, kind=kind, name_en=en, name_ru=ru, name_kk=kk, region_iso=region)
        for slug, kind, region, en, ru, kk in agencies
    ]


def reference_of(regions, agencies) -> Reference:
    """A reference keyed by ISO code and slug, as the import service builds it."""
    return Reference(
        regions={region.iso_code: region for region in regions},
        agencies={agency.slug: agency for agency in agencies},
    )


REFERENCE = reference_of(region_refs(), agency_refs())


def agency_of(*, slug="", attribution="", text="", reference=REFERENCE) -> AgencyResolution:
    return resolve_agency(agency_slug=slug, attribution=attribution, text=text, reference=reference)


def region_of(*, agency=None, slug=None, text="", reference=REFERENCE) -> RegionResolution:
    return resolve_region(agency=agency, agency_slug=slug, text=text, reference=reference)


# --- regions from slugs ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("slug", "iso"),
    [
        ("aqmola-zhaksy", "KZ-11"),
        ("kgd-akmola", "KZ-11"),
        ("anticorruption-aqmola", "KZ-11"),
        ("adilet-akm", "KZ-11"),
        ("departament-kkbtu-akmolinsk", "KZ-11"),
        ("kostanai-kalasy-akimat", "KZ-39"),
        ("kostanay-fedorov", "KZ-39"),
        ("duis-kost", "KZ-39"),
        ("akimvko", "KZ-63"),
        ("vko-karzhy", "KZ-63"),
        ("sko-karzhy", "KZ-59"),
        ("bko-karzhy", "KZ-27"),
        ("afm-zko", "KZ-27"),
        ("maslihat-uralsk", "KZ-27"),
        ("duistdk", "KZ-33"),
        ("duisastana", "KZ-71"),
        ("enbek-nur-sultan", "KZ-71"),
        ("ekibastuz-goo", "KZ-55"),
        # Almaty the city, Almaty Region and its new centre.
        ("almaty", "KZ-75"),
        ("kgd-almaty", "KZ-75"),
        ("almobl", "KZ-19"),
        ("kgd-alm", "KZ-19"),
        ("dep-stat-almaty-obl", "KZ-19"),
        ("dkmfk-almaty-oblast", "KZ-19"),
        ("ombudsman-almaty-oblysy", "KZ-19"),
        ("qonaev-karzhy", "KZ-19"),
        ("enbek-konaev", "KZ-19"),
        # A district named like another place belongs to the place named first.
        ("astana-almaty", "KZ-71"),
        ("almaty-zhetysu", "KZ-75"),
        ("shymkent-abai", "KZ-79"),
        ("maslihat-karaganda-balkhash", "KZ-35"),
        ("balkhash-bakanas", "KZ-19"),
        # Written otherwise than gov.kz does.
        ("KGD-Akmola", "KZ-11"),
        (" aqmola_zhaksy ", "KZ-11"),
        # National bodies and missions abroad, except the ministry's office in Almaty.
        ("mfa", None),
        ("mfa-washington", None),
        ("mfa-geneva", None),
        ("mfa-almaty", "KZ-75"),
        ("mod", None),
        ("kgd", None),
        ("shekaraknb", None),
        ("mti-kzpp", None),
        ("", None),
        ("-", None),
    ],
)
def test_region_from_slug(slug, iso):
    assert region_from_slug(slug, REFERENCE) == iso


def test_region_from_slug_names_only_regions_the_reference_has():
    without_akmola = reference_of(
        [region for region in region_refs() if region.iso_code != "KZ-11"], []
    )
    assert region_from_slug("aqmola-zhaksy", without_akmola) is None
    assert region_from_slug("kgd-kostanay", without_akmola) == "KZ-39"


def test_region_from_slug_follows_the_akimat_slug_the_database_gives():
    renamed = [
        RegionRef(r.iso_code, r.kind, r.name_en, r.name_ru, r.name_kk, "qostanai")
        if r.iso_code == "KZ-39"
        else r
        for r in region_refs()
    ]
    reference = reference_of(renamed, [])
    assert region_from_slug("qostanai-bilim", reference) == "KZ-39"
    assert region_from_slug("qostanai-bilim", REFERENCE) is None


# --- the project's list of gov.kz slugs --------------------------------------------------

# Rows where the CSV guesses a region and this module deliberately answers otherwise.
# There are none: every guess in the CSV is right.
DELIBERATE_DISAGREEMENTS: dict[str, tuple[str | None, str]] = {}

# Rows where the CSV has no guess but the slug names a place, by why its two rules (an
# akimat-tree prefix, a region suffix) missed them. Left without a region on purpose:
# `aksu-…` (Aksu is a town in Pavlodar Region and places in Akmola and Jetisu),
# `esil-…`, `edu-nura`, `aktogay-edu`, `maslihat-orda`, `maslihat-alga` and
# `maslihat-temir` (alga and temir are ordinary words), `…-bayterek` (also a national
# holding), `social-balhash`, `kzh-…`, `zhetisy-maslihat`, `ovp-kokshetauakmo`.
FILLED_BY_REASON = {
    "a district or town of the region, not the region itself": {
        "KZ-10": "aksuat-bilim ayagoz-roo beskaragay-roo bilim-kurchatov kokpekti-roo",
        "KZ-11": """economy-kokshe-akmo gosaktivy-zakupki-kokshetau kbsh-kokshe maslihat-bulandy
            maslihat-burabay maslihat-celinograd maslihat-ereymentau maslihat-shortandy
            maslihat-stepnogorsk maslihat-zhaksy sobes-kokshetau-akmo stroitelstvo-kokshetau
            zhkh-kokshetau-akmo""",
        "KZ-15": """maslihat-bayganin maslihat-hromtau maslihat-kargala maslihat-mugalzhar
            shalkar-oo""",
        "KZ-19": """balkhash-akdala balkhash-akkol balkhash-akzhar balkhash-bakanas
            balkhash-bakbakty balkhash-balatopar balkhash-bereke balkhash-birlik balkhash-karoi
            balkhash-karzhy balkhash-koktal balkhash-kuigan balkhash-kurylys balkhash-madeniet
            balkhash-miyaly balkhash-topar balkhash-tuksh-kolik balkhash-zheltorangy
            balkhash-zhideli balkhash-zhumys-aleumettik-korgau enbekshikazah-karzhy
            enbekshikazah-kasipkerlik enbekshikazah-kurylys enbekshikazakh-akshi
            enbekshikazakh-asy enbekshikazakh-avat enbekshikazakh-baltabai
            enbekshikazakh-bartogai enbekshikazakh-bolek enbekshikazakh-esik
            enbekshikazakh-karaturyk enbekshikazakh-kazahstan enbekshikazakh-koktobe
            enbekshikazakh-kyrbaltabai enbekshikazakh-rahat enbekshikazakh-saimasai
            enbekshikazakh-shelek enbekshikazakh-teskensu enbekshikazakh-turgen
            enbekshikazakh-zhanashar ile-ashchybulak ile-bilim ile-energeticheski ile-karaoi
            ile-kazcik ile-mezhdurechensk ile-zhumys-aleumettik-korgau karasay-eltay
            karasay-pervomay karasay-shamalgan karasay-zhibek-zholy kegen-algabas
            kegen-boleksaz kegen-karabulak kegen-karzhy kegen-kegen kegen-kurylys
            kegen-madeniet kegen-saty kegen-shyrganak kegen-tasashy kegen-zhalanash kegen-zher
            kegen-zhumys-aleumettik-korgau maslihat-enbekshikazah maslihat-ile
            maslihat-raiymbek raiymbek-karasaz talgar-beskainar talgar-nura talgar-talgar
            uigur-avat uigur-kalzhat uigur-kishi-dihan uigur-sharyn uigur-shonzhy
            uigur-taskarasu uigur-tiirmen""",
        "KZ-23": "maslihat-inder-district maslihat-isatay-district",
        "KZ-27": """bilim-bokeyorda bilim-borli bilim-chingirlau bilim-oral bilim-taskala
            bilim-zhangala bilim-zhanibek taskala-maslihat terekta-maslihat""",
        "KZ-31": """maslihat-merke maslihat-sarysu maslihat-shu maslihat-talas maslihat-taraz
            maslihat-zhualy""",
        "KZ-33": "maslihat-alakol maslihat-sarkan maslihat-taldykorgan",
        "KZ-35": """architecture-osakarovka culture-osakarovka culture-shahtinsk
            dolinka-shahtinsk economy-priozersk economy-saran economy-shahtinsk
            edu-buhar-zhyrau edu-osakarovka edu-priozersk edu-shahtinsk edu-shet
            maslihat-osakarovka novodolinskiy-shahtinsk op-shahtinsk ovp-osakarovka ovp-saran
            ovp-shahtinsk oz-osakarovka ozo-saran prom-osakarovka selhoz-osakarovka
            shahan-shahtinsk social-buhar-zhyrau social-priozersk social-saran
            social-shahtinsk social-temirtau sport-osakarovka sport-shahtinsk stroy-osakarovka
            stroyotdel-saran stroyotdel-shahtinsk transport-osakarovka zem-shahtinsk
            zhil-inspekcia-shahtinsk zhkh-shahtinsk""",
        "KZ-39": """maslihat-amangeldi maslihat-arkalyk maslihat-beimbet-maylin maslihat-karasu
            maslihat-lisakovsk maslihat-sarykol maslihat-uzunkol""",
        "KZ-43": "maslihat-syrdarya maslihat-zhanakorgan",
        "KZ-47": """akimat-beyneu akimat-goroda-aktau akimat-goroda-zhanaozen akimat-karakiya
            akimat-munayli akimat-tupkaragan""",
        "KZ-55": """ekibastyz-selhoz irtysh-bilim maslihat-sharbakty maslihat-uspenka
            uspen-bilim zhelezin-bilim""",
        "KZ-59": """opred-mamlyut otdel-obrazovaniya-petropavlovsk ovp-mamlyut ozo-mamlyut
            ualikhanov-oefin ualikhanov-ozo""",
        "KZ-61": "maslihat-shardara",
        "KZ-62": """architecture-zhezkazgan culture-zhezkazgan economy-zhezkazgan edu-karazhal
            edu-zhanaarka kengir-zhezkazgan kolik-zhezkazgan malshybay-zhezkazgan
            maslihat-satpaev ovp-zhezkazgan oz-zhezkazgan selhoz-satpaev selhoz-zhezkazgan
            sport-zhezkazgan stroy-zhezkazgan talap-zhezkazgan transport-zhezkazgan
            zem-satpaev zhkh-satpaev zhkh-zhezkazgan""",
        "KZ-63": "altai-roo katon-karagay-roo kurchum-roo ulan-roo",
    },
    "the region, in the middle of the slug or spelled in a way its rules did not know": {
        "KZ-10": "ombudsman-abay-oblysy",
        "KZ-11": "ombudsman-aqmola-oblysy prokuratura-akm-obl",
        "KZ-15": "ombudsman-aktobe-oblysy",
        "KZ-19": "ombudsman-almaty-oblysy",
        "KZ-23": "maslihat-atyrau-region ombudsman-atyrau-oblysy",
        "KZ-27": "ombudsman-bko-oblysy",
        "KZ-31": "ombudsman-zhambyl-oblysy",
        "KZ-33": "dsek-zhetisu ombudsman-zhetysu-oblysy",
        "KZ-35": """maslihat-karaganda-balkhash maslihat-karaganda-buhar-zhyrau
            maslihat-karaganda-karkaraly maslihat-karaganda-priozersk ombudsman-karaganda-oblysy""",
        "KZ-39": "ombudsman-kostanay-oblysy",
        "KZ-43": "ombudsman-kyzylorda-oblysy",
        "KZ-47": """akimat-mangistau-rayon maslihat-mangystau-aktau maslihat-mangystau-oblysy
            ombudsman-mangystau-oblysy""",
        "KZ-55": """maslihat-pavlodar-akkuly maslihat-pavlodar-aksu maslihat-pavlodar-aktogay
            maslihat-pavlodar-audan maslihat-pavlodar-bayanaul maslihat-pavlodar-ertis
            maslihat-pavlodar-maysk maslihat-pavlodar-obl maslihat-pavlodar-terenkol
            maslihat-pavlodar-zhelezinka ombudsman-pavlodar-oblysy
            udalen-upt-pavl-obl-pavlodar-upt""",
        "KZ-59": "maslihat-sko-kyzylzhar ombudsman-sko-oblysy",
        "KZ-61": "maslihat-turkestan-city maslihat-turkestan-zhetysai ombudsman-turkistan-oblysy",
        "KZ-62": "ombudsman-ulytau-oblysy",
        "KZ-63": "ombudsman-vko-oblysy",
        # Astana was named Nur-Sultan in 2019-2022.
        "KZ-71": """nur-sultan-bilim nur-sultan-kurylys nur-sultan-madeniet nur-sultan-saulet
            nur-sultan-uad nur-sultan-uagz nur-sultan-zhastar""",
    },
    "an abbreviation: ЮКО, South Kazakhstan until 2018; ШҚО, East Kazakhstan in Kazakh": {
        "KZ-61": "enbek-uko",
        "KZ-63": "adilet-shko",
    },
    "glued to the body's name in one word": {
        "KZ-10": "revkomabay semeymaslihat",
        "KZ-59": "revkomsko",
    },
}
FILLED_WHERE_CSV_HAS_NONE = {
    slug: iso
    for by_region in FILLED_BY_REASON.values()
    for iso, slugs in by_region.items()
    for slug in slugs.split()
}


@pytest.fixture(scope="module")
def govkz_slugs() -> list[dict[str, str]]:
    with shared_path("data", "govkz_agency_slugs.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_every_region_the_slug_list_infers_is_found(govkz_slugs):
    guessed = {row["slug"]: row["region_iso_inferred"] for row in govkz_slugs}
    guessed = {slug: iso for slug, iso in guessed.items() if iso}
    ours = {slug: region_from_slug(slug, REFERENCE) for slug in guessed}
    disagreements = {slug: iso for slug, iso in ours.items() if iso != guessed[slug]}
    assert len(guessed) == 1552
    assert disagreements == {slug: iso for slug, (iso, _why) in DELIBERATE_DISAGREEMENTS.items()}


def test_slugs_the_list_leaves_without_a_region_stay_national_unless_they_name_a_place(
    govkz_slugs,
):
    unguessed = [row["slug"] for row in govkz_slugs if not row["region_iso_inferred"]]
    found = {slug: region_from_slug(slug, REFERENCE) for slug in unguessed}
    assert {slug: iso for slug, iso in found.items() if iso} == FILLED_WHERE_CSV_HAS_NONE

    national = [slug for slug, iso in found.items() if iso is None]
    missions = [slug for slug in national if slug.startswith("mfa-")]
    assert len(unguessed) == 506
    assert (len(national), len(missions)) == (506 - len(FILLED_WHERE_CSV_HAS_NONE), 93)
    assert {"mod", "mfa", "minfin", "kgd", "knb", "mti-kzpp", "ombudsman"} <= set(national)
    for slug in missions:
        assert region_of(slug=slug) == RegionResolution("KZ", False, "national"), slug


# --- the real sample ------------------------------------------------------------------

# Title start -> (agency slug, how it was found, region, how it was found).
SAMPLE_EXPECTED = {
    "A non-woven fabrics factory": ("shymkent", "signature", "KZ-79", "agency"),
    "«Слышащее государство»": ("kostanai-kalasy-akimat", "url", "KZ-39", "agency"),
    "The Head of State participated": (None, "", None, ""),
    "The Navy has begun": ("mod", "url", "KZ", "national"),
    "December 13 – Day of Penal": ("duisastana", "url", "KZ-71", "agency"),
    "Strengthening the material": ("kostanay", "url", "KZ-39", "agency"),
    "Рreventive operation": ("duisastana", "url", "KZ-71", "agency"),
    "An open Day for parents": ("mod", "url", "KZ", "national"),
    "Ambassador of Kazakhstan Presents": ("mfa-washington", "url", "KZ", "national"),
    "International Monetary Fund": ("mfa-washington", "url", "KZ", "national"),
    "Kazakhstan and UNDP": ("mfa", "url", "KZ", "national"),
    "President of Kazakhstan Delivers": ("mfa-geneva", "url", "KZ", "national"),
    "Memorandum of Understanding": ("mfa-geneva", "url", "KZ", "national"),
    "Certificates were awarded": ("kgd-akmola", "url", "KZ-11", "agency"),
    "The Mayor of Shymkent": ("shymkent", "signature", "KZ-79", "agency"),
    "The Akim of Almaty": ("almaty", "url", "KZ-75", "agency"),
    "For sustainable development": ("kgd-akmola", "url", "KZ-11", "agency"),
    "oday, on December 19": ("aqmola-zhaksy", "url", "KZ-11", "agency"),
}

# What the text alone says, as if no release named its agency.
SAMPLE_TEXT_GUESSES = {
    "A non-woven fabrics factory": "KZ-79",
    "«Слышащее государство»": "KZ-39",
    "The Head of State participated": None,
    "The Navy has begun": None,
    "December 13 – Day of Penal": "KZ-71",
    "Strengthening the material": "KZ-39",
    "Рreventive operation": "KZ-71",
    "An open Day for parents": "KZ-75",
    "Ambassador of Kazakhstan Presents": None,
    "International Monetary Fund": None,
    "Kazakhstan and UNDP": "KZ-71",
    "President of Kazakhstan Delivers": "KZ-71",
    "Memorandum of Understanding": None,
    "Certificates were awarded": "KZ-11",
    "The Mayor of Shymkent": "KZ-79",
    "The Akim of Almaty": "KZ-75",
    "For sustainable development": "KZ-11",
    "oday, on December 19": None,
}


def sample_releases() -> dict[str, tuple[str, str]]:
    """Title start -> (title, body) of each release in the sample digest."""
    lines = shared_path("samples", SAMPLE_DIGEST.name).read_text(encoding="utf-8").split("\n")
    releases = [(lines[i], lines[i + 1]) for i in range(1, len(lines) - 1, 2)]
    by_start = {}
    for start in SAMPLE_EXPECTED:
        (found,) = [release for release in releases if release[0].startswith(start)]
        by_start[start] = found
    assert len(releases) == len(by_start) == 18
    return by_start


def source_slug(body: str) -> str:
    found = re.search(r"gov\.kz/memleket/entities/([^/]+)/", body)
    return found[1] if found else ""


def signature(body: str) -> str:
    found = re.search(r"Press service of [^.]+$", body.strip())
    return found[0] if found else ""


def test_sample_releases_get_their_agency_and_region():
    for start, (title, body) in sample_releases().items():
        text = f"{title}\n{body}"
        agency = agency_of(slug=source_slug(body), attribution=signature(body), text=text)
        known = REFERENCE.agencies.get(agency.slug) if agency.slug else None
        region = region_of(agency=known, slug=agency.slug, text=text)
        found = (agency.slug, agency.method, region.iso_code, region.method)
        assert found == SAMPLE_EXPECTED[start], start
        assert agency.known == bool(agency.slug), start
        assert not region.guessed, start


def test_sample_texts_alone_name_the_region_of_the_release():
    for start, (title, body) in sample_releases().items():
        found = region_of(text=f"{title}\n{body}")
        expected = SAMPLE_TEXT_GUESSES[start]
        assert found == RegionResolution(expected, expected is not None, "text" if expected else "")


# --- agencies -------------------------------------------------------------------------


def test_a_known_url_slug_is_the_agency():
    found = agency_of(slug="kgd-akmola", attribution="Press service of the Akim of Shymkent")
    assert (found.slug, found.known, found.method) == ("kgd-akmola", True, "url")


def test_an_unknown_url_slug_is_kept_for_a_new_agency_to_review():
    found = agency_of(slug="Aqmola-Burabay")
    assert (found.slug, found.known, found.method) == ("aqmola-burabay", False, "url")
    assert "not know" in found.note


def test_a_slug_that_cannot_be_one_is_ignored_for_the_signature():
    found = agency_of(slug="../etc/passwd", attribution="Press service of the Akim of Shymkent")
    assert (found.slug, found.known, found.method) == ("shymkent", True, "signature")


@pytest.mark.parametrize(
    ("attribution", "slug"),
    [
        ("Press service of the Akim of Shymkent", "shymkent"),
        ("Пресс-служба акимата города Шымкент", "shymkent"),
        ("Шымкент қаласы әкімінің баспасөз қызметі", "shymkent"),
        ("Шымкент қаласы әкімдігінің баспасөз қызметі", "shymkent"),
        ("Press Office of the Mayor of Almaty", "almaty"),
        ("Пресс-служба акима Кызылординской области", "kyzylorda"),
        # Kostanay the region and Kostanay the city have an akimat each.
        ("Press service of the Akim of Kostanay region", "kostanay"),
        ("Қостанай облысы әкімдігінің баспасөз қызметі", "kostanay"),
        ("Press service of the Akim of Kostanay", "kostanai-kalasy-akimat"),
        ("Пресс-служба акимата города Костаная", "kostanai-kalasy-akimat"),
        ("Press service of the Akimat of Zhaksy District", "aqmola-zhaksy"),
        # Ministries by name, whatever the case, spelling and country.
        ("Пресс-служба Министерства обороны Республики Казахстан", "mod"),
        ("Қазақстан Республикасы Қорғаныс министрлігінің баспасөз қызметі", "mod"),
        ("PRESS SERVICE OF THE MINISTRY OF DEFENSE OF THE REPUBLIC OF KAZAKHSTAN", "mod"),
        ("Press service of the Ministry of Tourism and Sport", "sport"),
        ("Press service of the Ministry of Tourism", "tsm"),
        ("Ministry of Finance", "minfin"),
    ],
)
def test_a_signature_names_the_agency(attribution, slug):
    found = agency_of(attribution=attribution, text="Nothing else to go by.")
    assert (found.slug, found.known, found.method) == (slug, True, "signature")


@pytest.mark.parametrize(
    "attribution",
    [
        # Almaty Region's akimat is not in the reference, and Almaty's is not it.
        "Press service of the Akim of Almaty Region",
        "Пресс-служба акимата Алматинской области",
        # A district's akim is neither the region's nor a town's.
        "Press service of the Akim of Zhaksy district",
        "Пресс-служба акима Жаксынского района Акмолинской области",
        # A department named with its parent ministry is not the ministry.
        "Press service of the State Revenue Department of Akmola region of the Ministry of Finance",
        "Press service of the Akim of Kokshetau",
        "Press service of the Akim",
        "Press service",
        "Photo by the author",
    ],
)
def test_a_signature_that_names_no_known_agency_leaves_it_unresolved(attribution):
    found = agency_of(attribution=attribution)
    assert (found.slug, found.known, found.method) == (None, False, "")
    assert attribution in found.note


def test_a_press_service_named_in_the_text_is_a_hint():
    texts = [
        "The park opened, the press service of the Akim of Shymkent reports. More to come.",
        "Как сообщает пресс-служба акимата города Шымкент, парк открыт.",
        "Бұл туралы Шымкент қаласы әкімдігінің баспасөз қызметі хабарлады.",
    ]
    for text in texts:
        found = agency_of(text=text)
        assert (found.slug, found.known, found.method) == ("shymkent", True, "hint"), text
        assert "check" in found.note


def test_an_akim_mentioned_in_the_text_is_not_its_author():
    found = agency_of(text="The Akim of Almaty met the Ambassador of Uzbekistan in Almaty.")
    assert found == AgencyResolution(None, False, "", "No gov.kz address and no signature.")


def test_a_name_two_agencies_share_names_neither():
    twins = [
        *agency_refs(),
        AgencyRef("twin-a", "other", "Centre of Excellence", "", "", None),
        AgencyRef("twin-b", "other", "Centre of Excellence", "", "", None),
    ]
    reference = reference_of(region_refs(), twins)
    assert agency_of(attribution="Centre of Excellence", reference=reference).slug is None


def test_with_agency_knows_the_new_agency_and_leaves_the_original_alone():
    almobl = AgencyRef("almobl", "other", "almobl", "", "", "KZ-19")
    extended = REFERENCE.with_agency(almobl)

    signed = "Press service of the Akim of Almaty Region"
    assert agency_of(attribution=signed, reference=extended).slug == "almobl"
    assert agency_of(slug="almobl", reference=extended).known
    assert agency_of(attribution=signed).slug is None
    assert "almobl" not in REFERENCE.agencies


def test_with_agency_replacing_one_forgets_its_old_names():
    renamed = AgencyRef("tsm", "ministry", "Ministry of Leisure", "", "", None)
    extended = REFERENCE.with_agency(renamed)
    assert agency_of(attribution="Ministry of Tourism", reference=extended).slug is None
    assert agency_of(attribution="Ministry of Leisure", reference=extended).slug == "tsm"


def test_an_empty_reference_knows_no_agency_and_no_region():
    empty = Reference(regions={}, agencies={})
    assert agency_of(slug="mod", reference=empty) == AgencyResolution(
        "mod", False, "url", "The gov.kz address names an agency Pressroom does not know yet."
    )
    signed = agency_of(attribution="Press service of the Akim of Shymkent", reference=empty)
    assert signed.slug is None
    assert region_from_slug("aqmola-zhaksy", empty) is None
    assert region_of(slug="mfa-tokyo", text="Astana", reference=empty).iso_code == "KZ"
    assert region_of(text="Shymkent, Astana", reference=empty) == RegionResolution(None, False, "")


def test_the_reference_keeps_its_own_copy_of_what_it_was_given():
    agencies = {agency.slug: agency for agency in agency_refs()}
    reference = Reference(regions={r.iso_code: r for r in region_refs()}, agencies=agencies)
    del agencies["mod"]
    assert "mod" in reference.agencies
    with pytest.raises(TypeError):
        reference.agencies["mod"] = None


# --- regions --------------------------------------------------------------------------


def test_the_agency_region_comes_first():
    kgd = REFERENCE.agencies["kgd-akmola"]
    found = region_of(agency=kgd, slug="kgd-akmola", text="Shymkent, Shymkent, Shymkent.")
    assert found == RegionResolution("KZ-11", False, "agency")


def test_an_agency_without_a_region_gets_its_slug_region():
    new = AgencyRef("aqmola-burabay", "other", "aqmola-burabay", "", "", None)
    assert region_of(agency=new, text="Astana.") == RegionResolution("KZ-11", False, "slug")
    assert region_of(slug="aqmola-burabay") == RegionResolution("KZ-11", False, "slug")


@pytest.mark.parametrize(
    ("agency_slug", "slug"),
    [
        ("mod", "mod"),
        ("mfa-washington", "mfa-washington"),
        # Missions abroad and a ministry's committees, before anyone has typed them in.
        (None, "mfa-tokyo"),
        (None, "mti-ktrm"),
    ],
)
def test_national_bodies_and_missions_abroad_are_national(agency_slug, slug):
    agency = REFERENCE.agencies[agency_slug] if agency_slug else None
    found = region_of(agency=agency, slug=slug, text="The minister visited Almaty.")
    assert found == RegionResolution("KZ", False, "national")


def test_an_unknown_body_is_not_taken_for_a_national_one():
    found = region_of(slug="kgd", text="A tax office opened in Taraz.")
    assert found == RegionResolution("KZ-31", True, "text")


def test_the_national_root_is_the_reference_country():
    regions = [RegionRef("XK", "country", "Country", "", "", ""), *region_refs()[1:]]
    reference = reference_of(regions, agency_refs())
    assert region_of(agency=reference.agencies["mod"], reference=reference).iso_code == "XK"


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("A school opened in Kokshetau.", "KZ-11"),
        ("Semey hosted the forum.", "KZ-10"),
        ("Taraz residents", "KZ-31"),
        ("Oskemen", "KZ-63"),
        ("в Усть-Каменогорске", "KZ-63"),
        ("Өскемен қаласында", "KZ-63"),
        ("A bridge in Konaev", "KZ-19"),
        ("Taldykorgan", "KZ-33"),
        ("Zhezkazgan", "KZ-62"),
        ("Turkistan", "KZ-61"),
        ("в Костанае", "KZ-39"),
        ("жители Костанайской области", "KZ-39"),
        ("Қостанай облысында", "KZ-39"),
        ("Шымкентте", "KZ-79"),
        ("Petropavl", "KZ-59"),
        ("Ust-Kamenogorsk", "KZ-63"),
        ("ВКО", "KZ-63"),
        ("West Kazakhstan region", "KZ-27"),
        ("Батыс Қазақстан облысы", "KZ-27"),
        ("Abai Region", "KZ-10"),
        ("в области Абай", "KZ-10"),
        ("Jetisu Region", "KZ-33"),
        ("область Жетісу", "KZ-33"),
        ("Ulytau", "KZ-62"),
        # Almaty the city and Almaty Region.
        ("Almaty", "KZ-75"),
        ("Алматы қаласында", "KZ-75"),
        ("Almaty Region", "KZ-19"),
        ("Almaty region", "KZ-19"),
        ("Алматинская область", "KZ-19"),
        ("Алматинской  области", "KZ-19"),
        ("Алматы облысында", "KZ-19"),
        ("Astana", "KZ-71"),
        ("в Астане", "KZ-71"),
        ("Nur-Sultan", "KZ-71"),
        ("Нұр-Сұлтан", "KZ-71"),
        # Neither a region nor a place in one.
        ("Kazakhstan", None),
        ("Республика Казахстан", None),
        ("поддержка многодетных семей", None),
        ("Abai Kunanbayev's poems", None),
        ("Zhambyl Zhabayev", None),
        ("Petropavlovsk-Kamchatsky", None),
        ("", None),
    ],
)
def test_places_in_the_text_guess_the_region(text, iso):
    assert guess_region(text, REFERENCE) == iso
    expected = RegionResolution(iso, True, "text") if iso else RegionResolution(None, False, "")
    assert region_of(text=text) == expected


def test_the_most_named_region_wins():
    text = "From Astana to Kostanay. In Kostanay the Костанайской области akim spoke."
    assert guess_region(text, REFERENCE) == "KZ-39"


def test_a_tie_goes_to_the_city_then_to_the_first_named():
    assert guess_region("Akmola Region met Astana.", REFERENCE) == "KZ-71"
    assert guess_region("Taraz met Kostanay.", REFERENCE) == "KZ-31"
    assert guess_region("Kostanay met Taraz.", REFERENCE) == "KZ-39"


@settings(max_examples=200, deadline=None)
@given(slug=st.text(max_size=40), text=st.text(max_size=300), attribution=st.text(max_size=80))
def test_any_input_resolves_to_a_known_region_or_none(slug, text, attribution):
    assert region_from_slug(slug, REFERENCE) in {None, *REFERENCE.regions}
    agency = agency_of(slug=slug, attribution=attribution, text=text)
    assert agency.method in ("url", "signature", "hint", "")
    known = REFERENCE.agencies.get(agency.slug) if agency.slug else None
    region = region_of(agency=known, slug=agency.slug, text=text)
    assert region.iso_code in {None, *REFERENCE.regions}
    assert region.guessed == (region.method == "text")


# --- scale ----------------------------------------------------------------------------


def big_reference(size: int = 2000) -> Reference:
    """The seeded agencies and enough regional departments to make `size`."""
    agencies = agency_refs()
    regions = region_refs()[1:]
    for number in range(size - len(agencies)):
        region = regions[number % len(regions)]
        agencies.append(
            AgencyRef(
                slug=f"{region.govkz_akimat_slug}-dept-{number}",
                kind="department",
                name_en=f"Department {number} of {region.name_en}",
                name_ru=f"Управление {number} {region.name_ru}",
                name_kk=f"{region.name_kk} {number} басқармасы",
                region_iso=region.iso_code,
            )
        )
    return reference_of(region_refs(), agencies)


def test_a_reference_of_2000_agencies_resolves_10000_releases():
    reference = big_reference()
    body = (
        "The akimat reported on the year. " * 40
        + "Residents of Kostanay region and of the city of Kostanay took part. "
        + "Жители Костанайской области приняли участие. " * 3
    )
    department = reference.agencies["zhambyl-dept-6"]
    cases = [
        # (slug, signature) -> (agency, known, region, guessed)
        (("zhambyl-dept-6", ""), ("zhambyl-dept-6", True, department.region_iso, False)),
        (("", "Press service of the Akim of Shymkent"), ("shymkent", True, "KZ-79", False)),
        (("", ""), (None, False, "KZ-39", True)),
        (("sko-new-body", ""), ("sko-new-body", False, "KZ-59", False)),
        (("", "Пресс-служба Министерства обороны"), ("mod", True, "KZ", False)),
    ]
    results = []
    for number in range(10_000):
        (slug, attribution), expected = cases[number % len(cases)]
        text = f"Release {number}\n{body}"
        agency = resolve_agency(
            agency_slug=slug, attribution=attribution, text=text, reference=reference
        )
        known = reference.agencies.get(agency.slug) if agency.slug else None
        region = resolve_region(
            agency=known, agency_slug=agency.slug, text=text, reference=reference
        )
        found = (agency.slug, agency.known, region.iso_code, region.guessed)
        results.append(found == expected)
    assert len(reference.agencies) == 2000
    assert all(results)
