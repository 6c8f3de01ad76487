import re
from datetime import date
from xml.etree import ElementTree

import pytest

from agencies.models import Region
from news.models import Article
from public.stats import NARROW, WIDE, heat_map, weekly_releases

from ..factories import seeded_region
from ..news.helpers import article_in

pytestmark = pytest.mark.django_db
Status = Article.Status
TODAY = date(2025, 11, 27)  # a Thursday; its week starts on Monday 24 November


def published_on(day: date, region, **kwargs) -> Article:
    return article_in(Status.PUBLISHED, release_date=day, region=region, **kwargs)


@pytest.fixture
def releases():
    almaty, astana = seeded_region("KZ-75"), seeded_region("KZ-71")
    district = Region.objects.create(
        kind=Region.Kind.DISTRICT, parent=almaty, slug="almaty-medeu",
        name_en="Medeu District", name_ru="Медеуский район", name_kk="Медеу ауданы",
    )  # fmt: skip
    published_on(date(2025, 11, 24), almaty)
    published_on(date(2025, 11, 27), district)  # counts for Almaty
    published_on(date(2025, 11, 20), almaty)
    published_on(date(2025, 11, 3), astana)
    published_on(date(2025, 11, 25), seeded_region("KZ"))  # national
    published_on(date(2025, 11, 25), None)  # national too
    published_on(date(2025, 11, 2), astana)  # a week too early for 4 weeks
    published_on(date(2025, 11, 28), astana)  # after today
    article_in(Status.DRAFT, release_date=date(2025, 11, 24), region=almaty)


def parse_svg(html: str) -> ElementTree.Element:
    """The page's chart, which must be well-formed XML."""
    return ElementTree.fromstring(re.search(r"<svg.*?</svg>", html, re.S).group(0))  # noqa: S314 - our own page


def row_counts(stats) -> dict[str, list[int]]:
    return {row.region.slug: row.counts for row in stats.rows if row.total}


def test_counts_published_releases_per_region_and_week_in_one_aggregate_query(
    releases, django_assert_num_queries
):
    # The aggregate and the list of regions.
    with django_assert_num_queries(2):
        stats = weekly_releases(4, today=TODAY)

    assert stats.weeks == [
        date(2025, 11, 3),
        date(2025, 11, 10),
        date(2025, 11, 17),
        TODAY.replace(day=24),
    ]
    assert row_counts(stats) == {
        "kazakhstan": [0, 0, 0, 2],
        "almaty": [0, 0, 1, 2],
        "astana": [1, 0, 0, 0],
    }
    assert stats.rows[0].label == "National government"
    assert [row.label for row in stats.rows[1:3]] == ["Abai Region", "Akmola Region"]
    assert len(stats.rows) == 21  # national, 17 regions, 3 cities
    assert stats.week_totals == [1, 0, 1, 4] and stats.total == 6 and stats.maximum == 2


def test_heat_map_places_a_cell_per_region_and_week():
    stats = weekly_releases(12, today=TODAY)
    chart = heat_map(stats)

    assert len(chart.rows) == 21
    assert all(len(row.cells) == 12 for row in chart.rows)
    assert chart.show_numbers
    assert chart.columns[-1][1] == "24 Nov"
    wide = heat_map(weekly_releases(52, today=TODAY))
    assert not wide.show_numbers  # too narrow: the numbers are in the titles and the table
    assert len(wide.columns) <= WIDE.max_column_labels and wide.columns[-1][1] == "24 Nov"


@pytest.mark.parametrize("weeks", [4, 12, 52])
def test_heat_map_for_a_phone_puts_each_label_above_its_row_and_every_week_in_view(weeks):
    chart = heat_map(weekly_releases(weeks, today=TODAY), NARROW)

    assert chart.width == 360
    last_cell = chart.rows[0].cells[-1]
    assert float(last_cell.x) + float(chart.cell_width) <= chart.width
    previous_bottom = chart.header_baseline
    for row in chart.rows:
        assert previous_bottom < row.label_baseline < row.y  # its own line, above its cells
        previous_bottom = row.y + chart.cell_height
    assert previous_bottom < chart.height
    assert len(chart.columns) <= NARROW.max_column_labels


def test_page_shows_the_same_numbers_in_the_chart_and_the_table(client, releases, time_machine):
    time_machine.move_to("2025-11-27 12:00 +05:00")

    response = client.get("/en/statistics/", {"weeks": 4})
    html = response.content.decode()

    assert response.status_code == 200
    assert "<title>Releases per region and week · " in html
    svg = parse_svg(html)
    ns = {"svg": "http://www.w3.org/2000/svg"}
    assert svg.get("role") == "img"
    assert svg.find("svg:title", ns).text == "Published releases per region and week"
    assert "from Nov. 3, 2025 to the week of Nov. 24, 2025" in svg.find("svg:desc", ns).text
    titles = [rect.find("svg:title", ns).text for rect in svg.iter(f"{{{ns['svg']}}}rect")]
    assert len(titles) == 21 * 4
    assert "Almaty, week of Nov. 24, 2025: 2" in titles
    assert "National government, week of Nov. 24, 2025: 2" in titles
    numbers = [text.text for text in svg.iter(f"{{{ns['svg']}}}text") if text.text.isdigit()]
    assert sorted(numbers) == ["1", "1", "2", "2"]

    table = re.search(r"<table.*?</table>", html, re.S).group(0)
    assert re.search(
        r'<a href="/en/regions/almaty/">Almaty</a></th>\s*<td>0</td><td>0</td><td>1</td><td>2</td>'
        r"\s*<td>3</td>",
        table,
    )
    assert re.search(
        r"All regions</th>\s*<td>1</td><td>0</td><td>1</td><td>4</td>\s*<td>6</td>", table
    )
    assert "6 releases published in the last 4 weeks (since Nov. 3, 2025)" in html


def test_page_is_translated_and_numbers_stay_valid_svg(client, releases, time_machine):
    time_machine.move_to("2025-11-27 12:00 +05:00")

    html = client.get("/ru/statistics/", {"weeks": 52}).content.decode()

    parse_svg(html)
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    assert not re.search(r'(x|width|fill-opacity)="\d+,\d', svg)  # no decimal commas
    assert 'lang="ru"' in html


def test_an_invalid_period_is_a_form_error_and_the_default_is_shown(client, releases):
    html = client.get("/en/statistics/", {"weeks": "1000"}).content.decode()

    assert "Select a valid choice." in html
    assert html.count('<th scope="col"><time') == 12
