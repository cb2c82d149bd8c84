"""The "Young people" section of the figures page: unique visitors from the kiosk's check-ins.

Readers with records rights at the place see the exact figures (kiosk/figures.py `people_of`);
everyone else the protected ones of the family `people` (people.py `protected_people`), labelled
like the page's other protected counts. Unique visitors do not add up, so each figure is the
place's and period's own, never a sum. docs/definitions.md ("Figures of young people") defines
each one.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from impactlog.kiosk.figures import FREQUENCY_BINS, NOT_RECORDED, RETURN_DAYS, people_of, statuses
from impactlog.logbook.figures import charts
from impactlog.logbook.figures import people as family
from impactlog.logbook.figures.periods import Period
from impactlog.logbook.figures.shown import Shown, shown
from impactlog.network.models import NetworkSettings
from impactlog.network.services import Band
from impactlog.participants.models import Gender, HomeArea, Status
from impactlog.tenancy.disclosure import Cell
from impactlog.tenancy.models import Node


class ExactPeople:
    """The exact figures of people, read like protected ones."""

    available = True
    current = True
    decided_at = None

    def __init__(self, values: dict[str, int]) -> None:
        self.values = values

    def __getitem__(self, position: str) -> Cell:
        return Cell(self.values.get(position, 0), None, 0)

    def holds(self, position: str) -> bool:
        return position in self.values


PeopleCells = ExactPeople | family.ProtectedPeople


@dataclass
class Table:
    """One breakdown of the visitors: a caption, the heading of its first column, its rows."""

    caption: str
    heading: str
    rows: list[tuple[str, Shown]]


@dataclass
class YoungPeople:
    key: list[tuple[str, Shown]]
    tables: list[Table]
    cells: PeopleCells
    chart: str = ""  # the visitors by age as bars (a data: URI); the first table holds them
    across: bool = False  # the key figures hold the young people across organisations

    @property
    def across_note(self) -> str:
        return across_note()

    @property
    def any(self) -> bool:
        """Whether the section is shown: registered young people checked in (a count hidden is
        not zero), or the protected figures are being prepared."""
        if not self.cells.available:
            return True
        visitors = self.cells[family.VISITORS]
        return visitors.reason is not None or bool(visitors.value)


def _frequency_label(low: int, high: int | None) -> str:
    if high is None:
        return ngettext("%(low)s visit or more", "%(low)s visits or more", low) % {"low": low}
    if low == high:
        return ngettext("%(low)s visit", "%(low)s visits", low) % {"low": low}
    return _("%(low)s–%(high)s visits") % {"low": low, "high": high}


def _area_names(ids: list[str]) -> dict[str, str]:
    """The names of the home areas the figures count under (1 query, none without any)."""
    numbers = [int(i) for i in ids if i.isdigit()]
    if not numbers:
        return {}
    rows = HomeArea.objects.filter(pk__in=numbers).values_list("pk", "name")
    return {str(pk): name for pk, name in rows}


@dataclass
class Read:
    """The figures of people of one place and period, and the home areas they count under, in
    the order shown ((key, name); "not recorded" last)."""

    cells: PeopleCells
    areas: list[tuple[str, str]]


def read(
    node: Node, network: NetworkSettings, bands: list[Band], period: Period, *, exact: bool
) -> Read:
    """2 queries exactly (the check-ins, the first visits; 1 without any), 2 protected (the kept
    decision), and 1 more for the names of home areas when some young person of the period has
    one. A protected period is a calendar period."""
    cells: PeopleCells
    if exact:
        found = people_of(node, period.start, period.end, bands)
        keys = sorted(found.by_area)
        layout = family.Layout(
            tuple(Gender.values), tuple(k for k, _l in bands), tuple(keys), tuple(statuses())
        )
        values = layout.values(found)
        values[family.WITHOUT_NAME] = found.without_name
        cells = ExactPeople(values)
    else:
        cells = family.protected_people(node, period, network.threshold_people)
        keys = sorted(cells.areas())
    names = _area_names(keys)
    areas = sorted(
        ((a, names.get(a, _("Another home area"))) for a in keys if a != NOT_RECORDED),
        key=lambda area: area[1],
    )
    if NOT_RECORDED in keys:
        areas.append((NOT_RECORDED, _("Not recorded")))
    return Read(cells, areas)


def key_figures() -> list[tuple[str, str, str]]:
    """The key figures: (key of the export, position, label)."""
    return [
        ("people_visitors", family.VISITORS, _("Unique visitors")),
        ("people_new", family.NEW, _("New visitors")),
        ("people_returning", family.RETURNING, _("Returning visitors")),
        (
            "people_returned",
            family.RETURNED,
            _("Came back within %(days)s days") % {"days": RETURN_DAYS},
        ),
        ("people_without_name", family.WITHOUT_NAME, _("Check-ins without a name")),
    ]


def across_figure() -> tuple[str, str, str]:
    """The young people across organisations (key of the export, position, label): a figure of
    the places above organisations only (people.py), where the cells hold it."""
    return ("people_across", family.ACROSS, _("Different young people across organisations"))


def across_note() -> str:
    return _("Young people registered in two organisations that both deduplicate count once.")


def breakdowns(
    bands: list[Band], areas: list[tuple[str, str]]
) -> list[tuple[str, str, list[tuple[str, str, str]]]]:
    """The breakdowns of the visitors: (caption, heading, [(key of the export, position,
    label)])."""
    not_recorded = _("Not recorded")
    return [
        (
            _("Unique visitors by age"),
            _("Age"),
            [(f"people_age_{b}", family.band(b), label) for b, label in bands],
        ),
        (
            _("Unique visitors by gender"),
            _("Gender"),
            [(f"people_gender_{g}", family.gender(g), str(label)) for g, label in Gender.choices],
        ),
        (
            _("Unique visitors by home area"),
            _("Home area"),
            [(f"people_area_{a}", family.area(a), name) for a, name in areas],
        ),
        (
            _("Unique visitors by school or work"),
            _("School or work"),
            [(f"people_status_{s}", family.status(s), str(label)) for s, label in Status.choices]
            + [(f"people_status_{NOT_RECORDED}", family.status(NOT_RECORDED), not_recorded)],
        ),
        (
            _("How often they came"),
            _("Visits in the period"),
            [
                (f"people_frequency_{k}", family.frequency(k), _frequency_label(low, high))
                for k, low, high in FREQUENCY_BINS
            ],
        ),
    ]


def _share(cells: PeopleCells) -> Shown:
    """The share of the visitors who came back: shown only when both counts are (a share and
    one of them give back the other)."""
    if not cells.available:
        return Shown("…", "pending")
    visitors, returned = cells[family.VISITORS], cells[family.RETURNED]
    if visitors.value is None or returned.value is None:
        return Shown(_("hidden"), "secondary")
    if not visitors.value:
        return Shown("–")
    share = returned.value / visitors.value
    return Shown(f"{formats.number_format(share * 100, decimal_pos=0)} %", value=share)


def young_people(
    node: Node, network: NetworkSettings, bands: list[Band], period: Period, *, exact: bool
) -> YoungPeople:
    """The section for `node` and `period` (the queries of `read`)."""
    found = read(node, network, bands, period, exact=exact)
    cells = found.cells

    def show(position: str) -> Shown:
        return shown(cells[position], available=cells.available)

    key = [(label, show(position)) for _k, position, label in key_figures()]
    key.insert(
        4, (_("Share who came back within %(days)s days") % {"days": RETURN_DAYS}, _share(cells))
    )
    across = cells.holds(family.ACROSS)
    if across:
        _k, position, label = across_figure()
        key.insert(1, (label, show(position)))
    tables = [
        Table(caption, heading, [(label, show(position)) for _k, position, label in rows])
        for caption, heading, rows in breakdowns(bands, found.areas)
    ]
    section = YoungPeople(key, [t for t in tables if t.rows], cells, across=across)
    if section.any:  # drawn only for a section that is shown
        spec = charts.compared_bars(
            [(label, value.value, None) for label, value in tables[0].rows],
            current=_("This period"),
            previous=_("A year earlier"),
            value_title=_("Unique visitors"),
        )
        spec["encoding"]["color"]["legend"] = None  # one series: the alternative says which
        section.chart = charts.svg_data_uri(spec)
    return section
