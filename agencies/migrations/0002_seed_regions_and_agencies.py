"""Kazakhstan's regions (ISO 3166-2:KZ after the 2022 change) and the agencies seen in real input.

Values copied from the project's reference data; the running project reads nothing outside
itself.
"""

from django.db import migrations

COUNTRY = ("KZ", "", "country", "Kazakhstan", "Казахстан", "Қазақстан", "kazakhstan", "")

# iso_code, former, kind, name_en, name_ru, name_kk, slug, govkz_akimat_slug
REGIONS = [
    ("KZ-10", "", "region", "Abai Region", "область Абай", "Абай облысы", "abai-region", "abay"),
    ("KZ-11", "KZ-AKM", "region", "Akmola Region", "Акмолинская область", "Ақмола облысы", "akmola-region", "aqmola"),
    ("KZ-15", "KZ-AKT", "region", "Aktobe Region", "Актюбинская область", "Ақтөбе облысы", "aktobe-region", "aktobe"),
    ("KZ-19", "KZ-ALM", "region", "Almaty Region", "Алматинская область", "Алматы облысы", "almaty-region", "almobl"),
    ("KZ-23", "KZ-ATY", "region", "Atyrau Region", "Атырауская область", "Атырау облысы", "atyrau-region", "atyrau"),
    ("KZ-27", "KZ-ZAP", "region", "West Kazakhstan Region", "Западно-Казахстанская область", "Батыс Қазақстан облысы", "west-kazakhstan-region", "bko"),
    ("KZ-31", "KZ-ZHA", "region", "Jambyl Region", "Жамбылская область", "Жамбыл облысы", "jambyl-region", "zhambyl"),
    ("KZ-33", "", "region", "Jetisu Region", "область Жетісу", "Жетісу облысы", "jetisu-region", "zhetysu"),
    ("KZ-35", "KZ-KAR", "region", "Karaganda Region", "Карагандинская область", "Қарағанды облысы", "karaganda-region", "karaganda"),
    ("KZ-39", "KZ-KUS", "region", "Kostanay Region", "Костанайская область", "Қостанай облысы", "kostanay-region", "kostanai"),
    ("KZ-43", "KZ-KZY", "region", "Kyzylorda Region", "Кызылординская область", "Қызылорда облысы", "kyzylorda-region", "kyzylorda"),
    ("KZ-47", "KZ-MAN", "region", "Mangystau Region", "Мангистауская область", "Маңғыстау облысы", "mangystau-region", "mangystau"),
    ("KZ-55", "KZ-PAV", "region", "Pavlodar Region", "Павлодарская область", "Павлодар облысы", "pavlodar-region", "pavlodar"),
    ("KZ-59", "KZ-SEV", "region", "North Kazakhstan Region", "Северо-Казахстанская область", "Солтүстік Қазақстан облысы", "north-kazakhstan-region", "sko"),
    ("KZ-61", "KZ-YUZ", "region", "Turkistan Region", "Туркестанская область", "Түркістан облысы", "turkistan-region", "turkestan"),
    ("KZ-62", "", "region", "Ulytau Region", "область Ұлытау", "Ұлытау облысы", "ulytau-region", "ulytau"),
    ("KZ-63", "KZ-VOS", "region", "East Kazakhstan Region", "Восточно-Казахстанская область", "Шығыс Қазақстан облысы", "east-kazakhstan-region", "vko"),
    ("KZ-71", "KZ-AST", "city", "Astana", "Астана", "Астана", "astana", "astana"),
    ("KZ-75", "KZ-ALA", "city", "Almaty", "Алматы", "Алматы", "almaty", "almaty"),
    ("KZ-79", "KZ-SHY", "city", "Shymkent", "Шымкент", "Шымкент", "shymkent", "shymkent"),
]  # fmt: skip

M, A, D, E, O = "ministry", "akimat", "department", "embassy", "other"

# slug, kind, region iso (None = national), parent slug, name_en, name_ru, name_kk
AGENCIES = [
    ("economy", M, None, None, "Ministry of National Economy", "Министерство национальной экономики", "Ұлттық экономика министрлігі"),
    ("minfin", M, None, None, "Ministry of Finance", "Министерство финансов", "Қаржы министрлігі"),
    ("mfa", M, None, None, "Ministry of Foreign Affairs", "Министерство иностранных дел", "Сыртқы істер министрлігі"),
    ("qriim", M, None, None, "Ministry of Internal Affairs", "Министерство внутренних дел", "Ішкі істер министрлігі"),
    ("water", M, None, None, "Ministry of Water Resources and Irrigation", "Министерство водных ресурсов и ирригации", "Су ресурстары және ирригация министрлігі"),
    ("mam", M, None, None, "Ministry of Culture and Information", "Министерство культуры и информации", "Мәдениет және ақпарат министрлігі"),
    ("dsm", M, None, None, "Ministry of Healthcare", "Министерство здравоохранения", "Денсаулық сақтау министрлігі"),
    ("mps", M, None, None, "Ministry of Industry and Construction", "Министерство промышленности и строительства", "Өнеркәсіп және құрылыс министрлігі"),
    ("sport", M, None, None, "Ministry of Tourism and Sport", "Министерство туризма и спорта", "Туризм және спорт министрлігі"),
    ("tsm", M, None, None, "Ministry of Tourism", "Министерство туризма", "Туризм министрлігі"),
    ("sci", M, None, None, "Ministry of Science and Higher Education", "Министерство науки и высшего образования", "Ғылым және жоғары білім министрлігі"),
    ("mod", M, None, None, "Ministry of Defence", "Министерство обороны", "Қорғаныс министрлігі"),
    ("edu", M, None, None, "Ministry of Education", "Министерство просвещения", "Оқу-ағарту министрлігі"),
    ("moa", M, None, None, "Ministry of Agriculture", "Министерство сельского хозяйства", "Ауыл шаруашылығы министрлігі"),
    ("mti", M, None, None, "Ministry of Trade and Integration", "Министерство торговли и интеграции", "Сауда және интеграция министрлігі"),
    ("transport", M, None, None, "Ministry of Transport", "Министерство транспорта", "Көлік министрлігі"),
    ("enbek", M, None, None, "Ministry of Labour and Social Protection", "Министерство труда и социальной защиты населения", "Еңбек және халықты әлеуметтік қорғау министрлігі"),
    ("mdai", M, None, None, "Ministry of Digital Development, Innovation and Aerospace Industry", "Министерство цифрового развития, инноваций и аэрокосмической промышленности", "Цифрлық даму, инновациялар және аэроғарыш өнеркәсібі министрлігі"),
    ("ecogeo", M, None, None, "Ministry of Ecology and Natural Resources", "Министерство экологии и природных ресурсов", "Экология және табиғи ресурстар министрлігі"),
    ("energo", M, None, None, "Ministry of Energy", "Министерство энергетики", "Энергетика министрлігі"),
    ("adilet", M, None, None, "Ministry of Justice", "Министерство юстиции", "Әділет министрлігі"),
    ("emer", M, None, None, "Ministry for Emergency Situations", "Министерство по чрезвычайным ситуациям", "Төтенше жағдайлар министрлігі"),
    ("krem", M, None, "economy", "Committee for Regulation of Natural Monopolies", "Комитет по регулированию естественных монополий", "Табиғи монополияларды реттеу комитеті"),
    ("knb", M, None, None, "National Security Committee", "Комитет национальной безопасности", "Ұлттық қауіпсіздік комитеті"),
    ("shekaraknb", M, None, "knb", "Border Service of the National Security Committee", "Пограничная служба КНБ", "ҰҚК Шекара қызметі"),
    ("antiterrosticheskiy-centr", M, None, "knb", "Anti-Terrorist Centre", "Антитеррористический центр", "Антитеррорлық орталық"),
    ("ardfm", M, None, None, "Agency for Regulation and Development of the Financial Market", "Агентство по регулированию и развитию финансового рынка", "Қаржы нарығын реттеу және дамыту агенттігі"),
    ("mti-kzpp", M, None, "mti", "Committee on Consumer Protection", "Комитет по защите прав потребителей", "Тұтынушылардың құқықтарын қорғау комитеті"),
    ("aqmola-karzhy", D, "KZ-11", None, "Finance Department of Akmola Region", "Управление финансов Акмолинской области", "Ақмола облысының қаржы басқармасы"),
    ("aktobe-karzhy", D, "KZ-15", None, "Finance Department of Aktobe Region", "Управление финансов Актюбинской области", "Ақтөбе облысының қаржы басқармасы"),
    ("atyrau-karzhy", D, "KZ-23", None, "Finance Department of Atyrau Region", "Управление финансов Атырауской области", "Атырау облысының қаржы басқармасы"),
    ("bko-karzhy", D, "KZ-27", None, "Finance Department of West Kazakhstan Region", "Управление финансов Западно-Казахстанской области", "Батыс Қазақстан облысының қаржы басқармасы"),
    ("vko-karzhy", D, "KZ-63", None, "Finance Department of East Kazakhstan Region", "Управление финансов Восточно-Казахстанской области", "Шығыс Қазақстан облысының қаржы басқармасы"),
    ("zhambyl-karzhy", D, "KZ-31", None, "Finance Department of Jambyl Region", "Управление финансов Жамбылской области", "Жамбыл облысының қаржы басқармасы"),
    ("karaganda-finance", D, "KZ-35", None, "Finance Department of Karaganda Region", "Управление финансов Карагандинской области", "Қарағанды облысының қаржы басқармасы"),
    ("kostanai-karzhy", D, "KZ-39", None, "Finance Department of Kostanay Region", "Управление финансов Костанайской области", "Қостанай облысының қаржы басқармасы"),
    ("mangystau-fin", D, "KZ-47", None, "Finance Department of Mangystau Region", "Управление финансов Мангистауской области", "Маңғыстау облысының қаржы басқармасы"),
    ("pavlodar-karzhy", D, "KZ-55", None, "Finance Department of Pavlodar Region", "Управление финансов Павлодарской области", "Павлодар облысының қаржы басқармасы"),
    ("sko-karzhy", D, "KZ-59", None, "Finance Department of North Kazakhstan Region", "Управление финансов Северо-Казахстанской области", "Солтүстік Қазақстан облысының қаржы басқармасы"),
    ("turkestan-karzhy", D, "KZ-61", None, "Finance Department of Turkistan Region", "Управление финансов Туркестанской области", "Түркістан облысының қаржы басқармасы"),
    ("abay-finance", D, "KZ-10", None, "Finance Department of Abai Region", "Управление финансов области Абай", "Абай облысының қаржы басқармасы"),
    ("ulytau-finance", D, "KZ-62", None, "Finance Department of Ulytau Region", "Управление финансов области Ұлытау", "Ұлытау облысының қаржы басқармасы"),
    ("zhetysu-finance", D, "KZ-33", None, "Finance Department of Jetisu Region", "Управление финансов области Жетісу", "Жетісу облысының қаржы басқармасы"),
    ("astana-karzhy", D, "KZ-71", None, "Finance Department of Astana", "Управление финансов города Астаны", "Астана қаласының қаржы басқармасы"),
    ("shymkent-karzhy", D, "KZ-79", None, "Finance Department of Shymkent", "Управление финансов города Шымкента", "Шымкент қаласының қаржы басқармасы"),
    ("kgd-vko", D, "KZ-63", "minfin", "State Revenue Department for East Kazakhstan Region", "Департамент государственных доходов по Восточно-Казахстанской области", "Шығыс Қазақстан облысы бойынша мемлекеттік кірістер департаменті"),
    ("kgd-akmola", D, "KZ-11", "minfin", "State Revenue Department for Akmola Region", "Департамент государственных доходов по Акмолинской области", "Ақмола облысы бойынша мемлекеттік кірістер департаменті"),
    ("mfa-washington", E, None, "mfa", "Embassy of Kazakhstan in the USA", "Посольство Казахстана в США", "Қазақстанның АҚШ-тағы елшілігі"),
    ("mfa-geneva", E, None, "mfa", "Permanent Mission of Kazakhstan to the UN Office in Geneva", "Постоянное представительство Казахстана при Отделении ООН в Женеве", "Қазақстанның Женевадағы БҰҰ бөлімшесі жанындағы тұрақты өкілдігі"),
    ("astana-saulet", D, "KZ-71", None, "Architecture and Urban Planning Department of Astana", "Управление архитектуры и градостроительства города Астаны", "Астана қаласының сәулет және қала құрылысы басқармасы"),
    ("duisastana", D, "KZ-71", "qriim", "Penal System Department of Astana", "Департамент уголовно-исполнительной системы по городу Астане", "Астана қаласы бойынша қылмыстық-атқару жүйесі департаменті"),
    ("almaty", A, "KZ-75", None, "Akimat of Almaty", "Акимат города Алматы", "Алматы қаласының әкімдігі"),
    ("astana", A, "KZ-71", None, "Akimat of Astana", "Акимат города Астаны", "Астана қаласының әкімдігі"),
    ("shymkent", A, "KZ-79", None, "Akimat of Shymkent", "Акимат города Шымкента", "Шымкент қаласының әкімдігі"),
    ("kyzylorda", A, "KZ-43", None, "Akimat of Kyzylorda Region", "Акимат Кызылординской области", "Қызылорда облысының әкімдігі"),
    ("kostanay", A, "KZ-39", None, "Akimat of Kostanay Region", "Акимат Костанайской области", "Қостанай облысының әкімдігі"),
    ("kostanai-kalasy-akimat", A, "KZ-39", None, "Akimat of Kostanay City", "Акимат города Костаная", "Қостанай қаласының әкімдігі"),
    ("aqmola-zhaksy", A, "KZ-11", None, "Akimat of Zhaksy District", "Акимат Жаксынского района", "Жақсы ауданының әкімдігі"),
    ("zhkh-timirazevo", A, "KZ-59", None, "Akimat of Timiryazev District", "Акимат района Тимирязева", "Тимирязев ауданының әкімдігі"),
]  # fmt: skip


def seed(apps, schema_editor):
    Region = apps.get_model("agencies", "Region")
    Agency = apps.get_model("agencies", "Agency")

    iso, former, kind, en, ru, kk, slug, akimat = COUNTRY
    country, _ = Region.objects.update_or_create(
        iso_code=iso,
        defaults=dict(kind=kind, name_en=en, name_ru=ru, name_kk=kk, slug=slug, former_iso_code=former),
    )
    regions = {}
    for iso, former, kind, en, ru, kk, slug, akimat in REGIONS:
        regions[iso], _ = Region.objects.update_or_create(
            iso_code=iso,
            defaults=dict(
                kind=kind, parent=country, name_en=en, name_ru=ru, name_kk=kk, slug=slug,
                former_iso_code=former, govkz_akimat_slug=akimat,
            ),
        )
    agencies = {}
    for slug, kind, region_iso, _parent, en, ru, kk in AGENCIES:
        agencies[slug], _ = Agency.objects.update_or_create(
            slug=slug,
            defaults=dict(
                kind=kind, region=regions.get(region_iso), name_en=en, name_ru=ru, name_kk=kk,
                website=f"https://www.gov.kz/memleket/entities/{slug}/",
            ),
        )
    for slug, _kind, _region, parent_slug, *_names in AGENCIES:
        if parent_slug:
            Agency.objects.filter(slug=slug).update(parent=agencies[parent_slug])


def unseed(apps, schema_editor):
    apps.get_model("agencies", "Agency").objects.filter(slug__in=[a[0] for a in AGENCIES]).delete()
    Region = apps.get_model("agencies", "Region")
    Region.objects.filter(iso_code__in=[r[0] for r in REGIONS]).delete()
    Region.objects.filter(iso_code=COUNTRY[0]).delete()


class Migration(migrations.Migration):
    dependencies = [("agencies", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
