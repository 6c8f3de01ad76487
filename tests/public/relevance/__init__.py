"""A relevance set for search (issue 16): releases written for it in Kazakh, Russian and
English, and the queries a native reader would type for them, by category.

`RELEASES` maps a key to (language, title, lead, body). Each query lists the releases a
reader expects (recall is the share of them found) and, for exclusions, the releases that
must not be found. tests/public/test_relevance.py asserts `recall_by_category` and
`precision_by_category` on the database of the run.
"""

from collections.abc import Callable
from dataclasses import dataclass

RELEASES = {
    # Kazakh
    "k1": ("kk", "Түркістан облысында үш жаңа мектеп ашылды",
           "Мектептер 2400 оқушыға арналған.",
           "Облыс әкімі жаңа мектептердің ашылу салтанатына қатысты. "
           "Мектепте заманауи зертханалар бар."),
    "k2": ("kk", "Шымкентте балабақша салынды", "Жаңа балабақшаға 320 бала барады.",
           "Балабақшалардың тапшылығын азайту үшін қала әкімдігі тағы екі нысан салуды "
           "жоспарлап отыр."),
    "k3": ("kk", "Қостанай облысының фермерлері егін жинауды аяқтады",
           "Биыл облыста 5 млн тонна астық жиналды.",
           "Фермерлерге жеңілдетілген несие берілді. Астықтың сапасы жоғары."),
    "k4": ("kk", "Ақмола облысында жолдар жөнделеді",
           "Жөндеу жұмыстарына бюджеттен 12 млрд теңге бөлінді.",
           "Көкшетау мен Степногорск арасындағы жол биыл жөнделеді."),
    "k5": ("kk", "Алматыда жылыту маусымы басталды",
           "Қаладағы барлық үйлер жылумен қамтамасыз етілді.",
           "Жылу желілеріндегі жөндеу жұмыстары қазанда аяқталды."),
    "k6": ("kk", "Астанада жаңа емхана ашылды", "Емханада күніне 500 адам қабылданады.",
           "Емхананың құрылысына республикалық бюджеттен қаржы бөлінді."),
    "k7": ("kk", "Қызылорда облысының әкімі тұрғындармен кездесті",
           "Кездесуде ауыз су мәселесі талқыланды.",
           "Тұрғындар ауылдарға ауыз су құбырын тартуды сұрады."),
    "k8": ("kk", "Өскеменде спорт кешенінің құрылысы аяқталды",
           "Кешенде жүзу бассейні мен футбол алаңы бар.",
           "Спорт кешені 2026 жылы пайдалануға беріледі."),
    "k9": ("kk", "Маңғыстау облысында су тұщыту зауыты іске қосылды",
           "Зауыт Ақтау қаласын ауыз сумен қамтамасыз етеді.",
           "Тәулігіне 50 мың текше метр су өндіріледі."),
    "k10": ("kk", "Ұлытау облысында туризм дамып келеді",
            "Облысқа келген туристердің саны екі есе өсті.",
            "Ұлытау тауларына баратын жол жөнделді."),
    "k11": ("kk", "Жетісу облысында ауыл шаруашылығы техникасы жаңартылды",
            "Шаруаларға 300 трактор берілді.", "Техника лизинг арқылы сатып алынды."),
    "k12": ("kk", "Павлодарда кітапханалар жаңартылды",
            "Қаланың кітапханаларына 20 мың кітап келді.",
            "Кітапханада балаларға арналған оқу залы ашылды."),
    # Russian
    "r1": ("ru", "В Шымкенте открыли новую школу на 1200 мест",
           "Школа построена в Туранском районе.",
           "Аким города осмотрел классы и спортивный зал школы."),
    "r2": ("ru", "Костанайские фермеры завершили уборку урожая",
           "В области собрано 5 млн тонн зерна.",
           "Фермерам выдали льготные кредиты на покупку техники."),
    "r3": ("ru", "В Алматы начался отопительный сезон", "Все дома города подключены к теплу.",
           "Ремонт тепловых сетей завершили в октябре."),
    "r4": ("ru", "В Астане открылась новая поликлиника",
           "Поликлиника будет принимать 500 пациентов в день.",
           "Строительство поликлиники финансировалось из республиканского бюджета."),
    "r5": ("ru", "Аким Кызылординской области встретился с жителями",
           "На встрече обсудили обеспечение питьевой водой.",
           "Жители сел попросили провести водопровод."),
    "r6": ("ru", "В Актобе отремонтируют дороги", "На ремонт дорог выделено 8 млрд тенге.",
           "Работы начнутся весной и завершатся к осени."),
    "r7": ("ru", "В Павлодаре обновили библиотеки",
           "Библиотеки города получили 20 тысяч книг.",
           "В детской библиотеке открыт читальный зал."),
    "r8": ("ru", "Семей принимает международный форум",
           "На форум приехали гости из десяти стран.",
           "Участники обсудят развитие туризма в Абайской области."),
    # English
    "e1": ("en", "New school for 1,200 pupils opens in Shymkent",
           "The school is in Turan district.",
           "The akim of Shymkent visited the classrooms and the sports hall."),
    "e2": ("en", "Kostanay farmers finish the harvest",
           "The region harvested 5 million tonnes of grain.",
           "Farmers received soft loans to buy machinery."),
    "e3": ("en", "Heating season starts in Almaty",
           "All homes in the city are connected to heating.",
           "Repairs of the heating networks were completed in October."),
    "e4": ("en", "Desalination plant launched in Mangystau region",
           "The plant supplies drinking water to Aktau.",
           "It produces 50,000 cubic metres of water a day."),
    "e5": ("en", "Aqmola region to repair roads between Kokshetau and Stepnogorsk",
           "12 billion tenge allocated from the budget.", "Road works will be finished this year."),
    "e6": ("en", "Tourism grows in Ulytau region", "The number of tourists doubled.",
           "The road to the Ulytau mountains has been repaired."),
    "e7": ("en", "Astana opens a new clinic", "The clinic will see 500 patients a day.",
           "Construction was funded by the national budget."),
    "e8": ("en", "Kyzylorda akim meets residents",
           "Residents asked for drinking water supply in villages.",
           "A water pipeline will be built next year."),
}  # fmt: skip


@dataclass(frozen=True)
class Query:
    category: str
    text: str
    expected: frozenset[str]
    excluded: frozenset[str] = frozenset()


def _queries(category: str, *entries) -> list[Query]:
    return [
        Query(category, text, frozenset(expected.split()), frozenset(excluded.split()))
        for text, expected, *rest in entries
        for excluded in [rest[0] if rest else ""]
    ]


QUERIES = [
    *_queries(
        "Kazakh inflection",
        ("мектептер", "k1"),
        ("мектепке", "k1"),
        ("мектептерде", "k1"),
        ("балабақшалар", "k2"),
        ("балабақшаға", "k2"),
        ("фермерлер", "k3"),
        ("емханаларда", "k6"),
        ("кітапхана", "k12"),
        ("облыстағы туризм", "k10"),
        ("тұрғындар", "k7"),
        ("жолдарды", "k4 k10"),
        ("Астанадағы емхана", "k6"),
        ("зауыттың", "k9"),
        ("ауылдардағы ауыз су", "k7"),
        ("техникалар", "k11"),
    ),
    *_queries(
        "folding",
        ("балабакша", "k2"),
        ("Костанай облысы", "k3"),
        ("Акмола облысында", "k4"),
        ("Кызылорда", "k7 r5 e8"),
        ("Оскеменде", "k8"),
        ("Мангыстау", "k9 e4"),
        ("Улытау", "k10 e6"),
        ("китапханалар", "k12"),
        ("тургындармен", "k7"),
        ("ауыл шаруашылыгы", "k11"),
        ("Жетису", "k11"),
        ("емхананын курылысы", "k6"),
    ),
    *_queries(
        "Latin script",
        ("Shymkent", "k2 r1 e1"),
        ("Kostanay", "k3 r2 e2"),
        ("Almaty", "k5 r3 e3"),
        ("Astana", "k6 r4 e7"),
        ("Aqmola", "k4 e5"),
        ("Akmola", "k4 e5"),
        ("Qostanai", "k3 r2 e2"),
        ("Kyzylorda", "k7 r5 e8"),
        ("Pavlodar", "k12 r7"),
        ("Шымкент", "k2 r1 e1"),
        ("Ақтөбе", "r6"),
        ("Semey", "r8"),
        ("Ulytau", "k10 e6"),
        ("Kokshetau", "k4 e5"),
        ("Oskemen", "k8"),
    ),
    *_queries(
        "Russian",
        ("школа", "r1"),
        ("школы", "r1"),
        ("поликлиники", "r4"),
        ("фермеры зерно", "r2"),
        ("отопительного сезона", "r3"),
        ("библиотека", "r7"),
        ("встреча с жителями", "r5"),
        ("ремонт дорог", "r6"),
        ("международный форум", "r8"),
        ("льготные кредиты", "r2"),
        ("питьевая вода", "r5"),
        ("спортивного зала", "r1"),
    ),
    *_queries(
        "English",
        ("schools", "e1"),
        ("school opening", "e1"),
        ("farmer harvests", "e2"),
        ("heating networks", "e3"),
        ("clinics", "e7"),
        ("roads", "e5 e6"),
        ("tourists", "e6"),
        ("drinking water", "e4 e8"),
        ("loans", "e2"),
        ("patients", "e7"),
        ("repaired", "e3 e5 e6"),
    ),
    *_queries(
        "misspelling",
        ("Кустанайские", "r2"),
        ("поликлинника", "r4"),
        ("библеотеки", "r7"),
        ("Shymkemt", "k2 r1 e1"),
        ("harvets", "e2"),
        ("desalinaton", "e4"),
        ("мектептр", "k1"),
        ("балабакшв", "k2"),
        ("туризим", "k10"),
        ("Kyzylorada", "k7 r5 e8"),
    ),
    *_queries(
        "operators",
        ('"жаңа мектеп"', "k1", "k6"),
        ('"heating season"', "e3"),
        ('"отопительный сезон"', "r3"),
        ("water -desalination", "e8", "e4"),
        ("Almaty or Astana", "k5 r3 e3 k6 r4 e7"),
        ("мектеп or балабақша", "k1 k2"),
        ("farmers or tourists", "e2 e6"),
        ("облысы -туризм", "k1 k3 k4 k7 k9 k11", "k10"),
        ('"ауыз су"', "k7"),
        ('"жаңа емхана"', "k6", "k1"),
        ("Shymkent -school", "k2 r1", "e1"),
        ('"new school"', "e1", "e7"),
    ),
]


@dataclass
class Outcome:
    query: Query
    found: set[str]

    @property
    def recalled(self) -> int:
        return len(self.query.expected & self.found)

    @property
    def wrongly_found(self) -> set[str]:
        return self.query.excluded & self.found


def run(search: Callable[[str], set[str]]) -> list[Outcome]:
    """Each query's outcome; `search` returns the keys of the releases a query finds."""
    return [Outcome(query, search(query.text)) for query in QUERIES]


def recall_by_category(outcomes: list[Outcome]) -> dict[str, float]:
    recalled: dict[str, list[int]] = {}
    for outcome in outcomes:
        counts = recalled.setdefault(outcome.query.category, [0, 0])
        counts[0] += outcome.recalled
        counts[1] += len(outcome.query.expected)
    return {category: found / expected for category, (found, expected) in recalled.items()}


def precision_by_category(outcomes: list[Outcome]) -> dict[str, float]:
    """The share of what each category's queries found that a reader expected: recall
    alone would reward a search that finds everything."""
    counted: dict[str, list[int]] = {}
    for outcome in outcomes:
        counts = counted.setdefault(outcome.query.category, [0, 0])
        counts[0] += outcome.recalled
        counts[1] += len(outcome.found)
    return {category: right / max(found, 1) for category, (right, found) in counted.items()}
