"""Statistics page: published releases per region per week, as a chart and a table.

The chart is SVG drawn on the server (a heat map: a row per region, a column per week,
the count in each cell), so it reads without JavaScript; the table under it holds the
same numbers for screen readers and for copying.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django import forms
from django.db.models import Count
from django.db.models.functions import TruncWeek
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from agencies.models import Region
from news.models import Article

from .selectors import region_title, section_key

WEEK_CHOICES = (4, 12, 26, 52)
DEFAULT_WEEKS = 12

# Chart geometry, in SVG user units (pixels at 100%).
HEADER_HEIGHT = 44
RIGHT_MARGIN = 24  # room for the latest week's label, centred on its column
MIN_CELL_FOR_NUMBER = 24  # narrower cells show their count on hover and in the table only


@dataclass(frozen=True)
class Layout:
    """Where a heat map puts its labels: beside its rows on a wide screen, above them on a
    phone, where a label column would leave the weeks too little room to be seen."""

    width: int
    label_width: int  # 0: each row's label is on a line of its own above its cells
    cell_height: int
    max_column_labels: int

    @property
    def label_above(self) -> bool:
        return self.label_width == 0

    @property
    def row_height(self) -> int:
        return self.cell_height + (18 if self.label_above else 0)


WIDE = Layout(width=900, label_width=230, cell_height=26, max_column_labels=10)
NARROW = Layout(width=360, label_width=0, cell_height=22, max_column_labels=5)
# Cells are the accent colour at up to this opacity, so their dark numbers keep a
# contrast of at least 4.5:1.
MAX_OPACITY = 0.6
MIN_OPACITY = 0.1


class WeeksForm(forms.Form):
    weeks = forms.TypedChoiceField(label=gettext_lazy("Period"), coerce=int, initial=DEFAULT_WEEKS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Labels in the language of the request, not of the first import.
        self.fields["weeks"].choices = [(n, _("last %(n)s weeks") % {"n": n}) for n in WEEK_CHOICES]


@dataclass(frozen=True)
class RegionRow:
    region: Region
    label: str
    counts: list[int]

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class WeeklyReleases:
    weeks: list[date]  # the Monday of each week, oldest first
    rows: list[RegionRow]  # national first, then regions and cities by name

    @property
    def week_totals(self) -> list[int]:
        return [sum(column) for column in zip(*(row.counts for row in self.rows), strict=True)]

    @property
    def total(self) -> int:
        return sum(row.total for row in self.rows)

    @property
    def maximum(self) -> int:
        return max((max(row.counts) for row in self.rows), default=0)


def weekly_releases(weeks: int = DEFAULT_WEEKS, today: date | None = None) -> WeeklyReleases:
    """Published releases per week (by release date) and region, districts counted in
    their region, for the `weeks` weeks up to and including the current one."""
    today = today or timezone.localdate()
    first = today - timedelta(days=today.weekday(), weeks=weeks - 1)
    mondays = [first + timedelta(weeks=n) for n in range(weeks)]
    counts = (
        Article.objects.published()
        .filter(release_date__gte=first, release_date__lte=today)
        .annotate(week=TruncWeek("release_date"), section=section_key())
        .values("week", "section")
        .annotate(count=Count("id"))
        .order_by()
    )
    by_cell = {(row["section"], row["week"]): row["count"] for row in counts}
    sections = Region.objects.exclude(kind=Region.Kind.DISTRICT)
    # The country's row holds the national releases, whose section is NULL.
    keyed = sorted(
        (
            (None if region.kind == Region.Kind.COUNTRY else region.pk, region)
            for region in sections
        ),
        key=lambda item: (item[0] is not None, item[1].name),
    )
    rows = [
        RegionRow(
            region=region,
            label=region_title(region),
            counts=[by_cell.get((key, monday), 0) for monday in mondays],
        )
        for key, region in keyed
    ]
    return WeeklyReleases(weeks=mondays, rows=rows)


def svg_number(value: float) -> str:
    # Formatted here: a template would localize it (12,5 in Russian), which SVG rejects.
    return f"{value:.1f}".removesuffix(".0")


@dataclass(frozen=True)
class Cell:
    x: str
    centre: str
    count: int
    opacity: str
    title: str


@dataclass(frozen=True)
class ChartRow:
    y: int  # the top of its cells
    label_baseline: int
    number_baseline: int
    label: str
    cells: list[Cell]


@dataclass(frozen=True)
class Chart:
    """Positions for the heat map template: nothing is computed in the template."""

    width: int
    height: int
    header_baseline: int
    cell_width: str
    cell_height: int
    show_numbers: bool
    columns: list[tuple[str, str]]  # x of a labelled column's centre, its label
    rows: list[ChartRow]


def shade(count: int, maximum: int) -> str:
    """A cell's opacity. On a square-root scale: the national row alone often has ten
    times a region's releases, and on a linear one every region would look the same."""
    if not count:
        return "0"
    return f"{MIN_OPACITY + (MAX_OPACITY - MIN_OPACITY) * (count / maximum) ** 0.5:.3f}"


def heat_map(stats: WeeklyReleases, layout: Layout = WIDE) -> Chart:
    left = layout.label_width
    cell_width = (layout.width - left - RIGHT_MARGIN) / len(stats.weeks)
    maximum = stats.maximum or 1
    label_every = -(-len(stats.weeks) // layout.max_column_labels)  # ceiling division
    columns = [
        (svg_number(left + (n + 0.5) * cell_width), date_format(monday, "j M"))
        for n, monday in enumerate(stats.weeks)
        if (len(stats.weeks) - 1 - n) % label_every == 0  # always label the latest week
    ]
    rows = []
    for index, row in enumerate(stats.rows):
        cells = [
            Cell(
                x=svg_number(left + n * cell_width),
                centre=svg_number(left + (n + 0.5) * cell_width),
                count=count,
                opacity=shade(count, maximum),
                title=_("%(region)s, week of %(week)s: %(count)s")
                % {"region": row.label, "week": date_format(monday), "count": count},
            )
            for n, (monday, count) in enumerate(zip(stats.weeks, row.counts, strict=True))
        ]
        top = HEADER_HEIGHT + index * layout.row_height
        y = top + layout.row_height - layout.cell_height
        number_baseline = y + layout.cell_height - 9 + (layout.cell_height - 26) // 2
        rows.append(
            ChartRow(
                y=y,
                label_baseline=top + 13 if layout.label_above else number_baseline,
                number_baseline=number_baseline,
                label=row.label,
                cells=cells,
            )
        )
    return Chart(
        width=layout.width,
        height=HEADER_HEIGHT + len(rows) * layout.row_height + 1,
        header_baseline=HEADER_HEIGHT - 12,
        cell_width=svg_number(cell_width),
        cell_height=layout.cell_height,
        show_numbers=cell_width >= MIN_CELL_FOR_NUMBER,
        columns=columns,
        rows=rows,
    )


@require_GET
def weekly_stats(request):
    """The statistics page; `?weeks=` picks the period."""
    form = WeeksForm(request.GET or None)
    weeks = form.cleaned_data["weeks"] if form.is_valid() else DEFAULT_WEEKS
    stats = weekly_releases(weeks)
    response = render(
        request,
        "public/stats.html",
        {
            "form": form,
            "stats": stats,
            "charts": [("wide", heat_map(stats, WIDE)), ("narrow", heat_map(stats, NARROW))],
            "weeks": weeks,
        },
    )
    if form.errors:  # not cached (public.cache): each invalid value would be a page of its own
        patch_cache_control(response, private=True)
    return response
