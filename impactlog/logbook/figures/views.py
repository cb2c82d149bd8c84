"""The figures page: a period's figures against the same period a year earlier."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from impactlog.core.types import AuthenticatedRequest
from impactlog.glossary import services as definitions
from impactlog.logbook.figures import charts, protection, queries, young
from impactlog.logbook.figures.forms import FiguresPeriodForm
from impactlog.logbook.figures.periods import Period, period_of
from impactlog.logbook.figures.shown import Shown, shown
from impactlog.logbook.figures.shown import count_text as _count
from impactlog.logbook.models import ActivityKind, Gender, SessionMode
from impactlog.network.models import NetworkSettings
from impactlog.network.services import bands_in, settings_for, thresholds_in
from impactlog.structure.pages import node_context
from impactlog.tenancy.decorators import node_permission
from impactlog.tenancy.disclosure import Cell
from impactlog.tenancy.models import Node
from impactlog.tenancy.permissions import has_perm
from impactlog.tenancy.roles import Perm


@dataclass
class Row:
    label: str
    now: Shown
    before: Shown
    change: str


def _hours(minutes: int) -> str:
    return formats.number_format(minutes / 60, decimal_pos=1, use_l10n=True, force_grouping=True)


def _share(value: float | None) -> str:
    return "–" if value is None else f"{formats.number_format(value * 100, decimal_pos=0)} %"


def _change(now: Shown, before: Shown) -> str:
    if now.value is None or before.value is None or before.value == 0:
        return "–"
    percent = (now.value - before.value) / before.value * 100
    sign = "+" if percent > 0 else ""
    return f"{sign}{formats.number_format(percent, decimal_pos=0)} %"


class Exact:
    """The figures of people with records rights, read like protected ones."""

    available = True
    current = True
    decided_at = None

    def __init__(self, figures: queries.Figures, layout: protection.Layout) -> None:
        self.counts = protection.exact_counts(figures, layout)

    def __getitem__(self, position: str) -> Cell:
        return Cell(self.counts.get(position, 0), None, 0)


Cells = Exact | protection.Protected


def _girls_share(cells: Cells) -> Shown:
    """The share of girls among the visits with a breakdown: shown only when the counts it is
    worked out from are (a share and a total give back the count)."""
    if not cells.available:
        return Shown("…", "pending")
    parts = [
        cells[protection.cell("girls", None)],
        cells[protection.TOTAL],
        cells[protection.WITHOUT],
    ]
    if any(part.value is None for part in parts):
        return Shown(_("hidden"), "secondary")
    girls, total, without = (part.value or 0 for part in parts)
    known = total - without
    share = girls / known if known else None
    return Shown(_share(share), value=share)


def _rows(
    now: queries.Figures, before: queries.Figures, now_cells: Cells, before_cells: Cells
) -> list[Row]:
    def count(label: str, a: int, b: int) -> Row:
        x, y = Shown(_count(a), value=a), Shown(_count(b), value=b)
        return Row(label, x, y, _change(x, y))

    def people(label: str, position: str) -> Row:
        x = shown(now_cells[position], available=now_cells.available)
        y = shown(before_cells[position], available=before_cells.available)
        return Row(label, x, y, _change(x, y))

    def hours(label: str, a: int, b: int) -> Row:
        x, y = Shown(_hours(a), value=a), Shown(_hours(b), value=b)
        return Row(label, x, y, _change(x, y))

    def share(label: str, a: float | None, b: float | None) -> Row:
        return Row(label, Shown(_share(a)), Shown(_share(b)), "–")

    online_now, online_before = (
        now.by_mode.get(SessionMode.ONLINE, (0, 0)),
        before.by_mode.get(SessionMode.ONLINE, (0, 0)),
    )
    girls_now, girls_before = _girls_share(now_cells), _girls_share(before_cells)
    return [
        count(_("Sessions"), now.sessions, before.sessions),
        people(_("Visits"), protection.TOTAL),
        Row(_("Share of girls"), girls_now, girls_before, "–"),
        hours(_("Opening hours"), now.opening_minutes, before.opening_minutes),
        hours(_("Group hours"), now.group_minutes, before.group_minutes),
        hours(_("Youth-produced hours"), now.youth_minutes, before.youth_minutes),
        share(_("Share of hours produced by young people"), now.youth_share, before.youth_share),
        people(_("Youth producers"), protection.PRODUCERS),
        count(_("Online sessions"), online_now[0], online_before[0]),
        people(_("Online visits"), protection.mode(SessionMode.ONLINE)),
        hours(_("Staff hours"), now.staff_minutes, before.staff_minutes),
        hours(_("Volunteer hours"), now.volunteer_minutes, before.volunteer_minutes),
    ]


def _label(period: Period) -> str:
    start = formats.date_format(period.start, "SHORT_DATE_FORMAT")
    end = formats.date_format(period.end, "SHORT_DATE_FORMAT")
    return f"{start} – {end}"


@dataclass
class Panel:
    title: str
    period_label: str
    before_label: str
    before_heading: str  # "A year earlier", or "The same days a year earlier" for a cut period
    compared: bool  # False: a protected period not over yet, shown without a year earlier
    rows: list[Row]
    breakdown: list[tuple[str, list[Shown], Shown]]
    column_totals: list[Shown]
    genders: list[str]
    unknown: Shown
    modes: list[tuple[str, int, Shown]]
    kinds: list[tuple[str, int]]
    chart: str
    chart_caption: str  # says which chart the data table beside it holds
    chart_label_heading: str  # the heading of its first column: months or age bands
    chart_rows: list[tuple[str, Shown, Shown]]
    reflections: list[queries.ReflectionSummary]
    protected: bool
    notice: str
    young: young.YoungPeople


def _months(period: Period) -> list[Period]:
    months, day = [], period.start.replace(day=1)
    while day <= period.end:
        months.append(period_of("month", day))
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return months


def _notice(cells: list[Cells | young.PeopleCells]) -> str:
    """What the page says when the protected figures are not ready or not up to date."""
    if not all(c.available for c in cells):
        return _(
            "The protected figures of this period are being prepared. Reload the page in a "
            "minute to see them."
        )
    stale = [c for c in cells if not c.current]
    if stale:
        decided = min(c.decided_at for c in stale if c.decided_at)
        return _(
            "Records changed since these protected figures were decided (%(time)s); they are "
            "being brought up to date."
        ) % {"time": formats.date_format(timezone.localtime(decided), "SHORT_DATETIME_FORMAT")}
    return ""


def _panel(
    node: Node,
    network: NetworkSettings,
    title: str,
    whole: Period,
    today: dt.date,
    *,
    exact: bool,
    with_reflections: bool,
) -> Panel:
    # A period not over yet is cut at today. With records rights it is compared with the same
    # elapsed part a year earlier; protected figures are decided for whole calendar months, so
    # for everyone else it is shown without a comparison until it is over.
    so_far = whole.running(today)
    compared = exact or not so_far
    period, before_period = whole.compared(today) if exact else (whole, whole.year_before())
    shown_period = Period(whole.kind, whole.start, today) if so_far else whole
    now, before = queries.figures_for(node, [period, before_period], with_breakdown=exact)
    if exact:
        layout = protection.layout_for(network, {b for _g, b in (*now.by_cell, *before.by_cell)})
        now_cells: Cells = Exact(now, layout)
        before_cells: Cells = Exact(before, layout)
    else:
        now_cells, before_cells = protection.protected(
            node, [period, before_period], thresholds_in(network)
        )
        assert isinstance(now_cells, protection.Protected)
        layout = protection.layout_for(network, now_cells.recorded_bands())
    bands = bands_in(network)
    known = {key for key, _label in bands}
    # Counts recorded under bands the network no longer uses stay visible under their key.
    bands += [(key, key) for key in layout.bands if key not in known]

    def show(cells: Cells, position: str) -> Shown:
        return shown(cells[position], available=cells.available)

    breakdown = [
        (
            label,
            [show(now_cells, protection.cell(g, band)) for g in Gender.values],
            show(now_cells, protection.cell(None, band)),
        )
        for band, label in bands
    ]
    column_totals = [show(now_cells, protection.cell(g, None)) for g in Gender.values]
    column_totals.append(show(now_cells, protection.TOTAL))
    if whole.days > 62:
        chart_rows = []
        for month in _months(shown_period):
            last_year = month.year_before()
            label = formats.date_format(month.start, "YEAR_MONTH_FORMAT")
            if exact:
                a = now.by_month.get(f"{month.start:%Y-%m}", 0)
                b = before.by_month.get(f"{last_year.start:%Y-%m}", 0)
                chart_rows.append((label, Shown(_count(a), value=a), Shown(_count(b), value=b)))
            else:
                assert isinstance(now_cells, protection.Protected)
                assert isinstance(before_cells, protection.Protected)
                chart_rows.append(
                    (
                        label,
                        show(now_cells.part(month), protection.TOTAL),
                        show(before_cells.part(last_year), protection.TOTAL),
                    )
                )
        value_title = _("Visits per month")
        chart_caption = _("Chart data: visits per month")
        chart_label_heading = _("Month")
    else:
        chart_rows = [
            (
                label,
                show(now_cells, protection.cell(None, band)),
                show(before_cells, protection.cell(None, band)),
            )
            for band, label in bands
        ]
        value_title = _("Visits by age")
        chart_caption = _("Chart data: visits by age")
        chart_label_heading = _("Age")
    before_heading = _("The same days a year earlier") if so_far else _("A year earlier")
    # The young people of the period shown (protected: the whole calendar period), without a
    # year earlier: unique visitors are counted for one place and period at a time.
    people = young.young_people(node, network, bands, period, exact=exact)
    protected_cells: list[Cells | young.PeopleCells] = [now_cells]
    if compared:
        protected_cells.append(before_cells)
    if people.any:
        protected_cells.append(people.cells)
    spec = charts.compared_bars(
        [(label, a.value, b.value if compared else None) for label, a, b in chart_rows],
        current=_("This period"),
        previous=before_heading,
        value_title=value_title,
    )
    return Panel(
        title=_("%(period)s so far") % {"period": title} if so_far else title,
        period_label=_label(shown_period),
        before_label=_label(before_period) if compared else "",
        before_heading=before_heading,
        compared=compared,
        rows=_rows(now, before, now_cells, before_cells),
        breakdown=breakdown,
        column_totals=column_totals,
        genders=[str(g.label) for g in Gender],
        unknown=show(now_cells, protection.WITHOUT),
        modes=[
            (str(m.label), now.by_mode[m.value][0], show(now_cells, protection.mode(m.value)))
            for m in SessionMode
            if m.value in now.by_mode
        ],
        kinds=[
            (str(kind.label), now.by_kind.get(kind.value, 0))
            for kind in ActivityKind
            if now.by_kind.get(kind.value)
        ],
        chart=charts.svg_data_uri(spec),
        chart_caption=chart_caption,
        chart_label_heading=chart_label_heading,
        chart_rows=chart_rows,
        reflections=queries.reflections_in(node, period) if with_reflections else [],
        protected=not exact,
        notice="" if exact else _notice(protected_cells),
        young=people,
    )


# The definitions the figures on the page rest on, printed beneath them.
PRINTED_DEFINITIONS = (
    "session",
    "visit",
    "opening-hour",
    "group-hour",
    "youth-produced-hour",
    "youth-producer",
    "online-participant",
    "staff-hour",
    "volunteer-hour",
    "breakdown-not-known",
    "protected-figure",
)


def _printed_definitions(node: Node, *, protected: bool) -> list[Any]:
    entries = {entry.key: entry for entry in definitions.definitions_for(node)}
    keys = [k for k in PRINTED_DEFINITIONS if protected or k != "protected-figure"]
    return [entries[key] for key in keys if key in entries]


def figures_context(request: HttpRequest, node: Node) -> dict[str, Any]:
    today = timezone.localdate()
    # Exact figures for the people who recorded them; protected ones for everyone else.
    exact = has_perm(request.user, Perm.VIEW_RECORDS, node)
    network = settings_for(node)  # one read for the bands and the thresholds
    # Free-text reflections may name people: only those who see the records read them.
    with_reflections = exact
    first, first_title = ("week", _("This week")) if exact else ("month", _("This month"))
    if "kind" not in request.GET:
        form = FiguresPeriodForm(
            initial={"kind": "half", "start": period_of("half", today).start}, protected=not exact
        )
        panels = [
            _panel(
                node,
                network,
                first_title,
                period_of(first, today),
                today,
                exact=exact,
                with_reflections=with_reflections,
            ),
            _panel(
                node,
                network,
                _("This half-year"),
                period_of("half", today),
                today,
                exact=exact,
                with_reflections=with_reflections,
            ),
        ]
        return {
            "form": form,
            "panels": panels,
            "saved": request.GET.get("saved") == "1",
            "definitions": _printed_definitions(node, protected=not exact),
            "protected": not exact,
            "threshold": thresholds_in(network).visits,
            "people_threshold": thresholds_in(network).people,
        }
    form = FiguresPeriodForm(request.GET, protected=not exact)
    if not form.is_valid():
        return {"form": form, "panels": [], "status": 400, "protected": not exact}
    data = form.cleaned_data
    if data["kind"] == "custom":
        period = Period("custom", data["start"], data["end"])
    else:
        period = period_of(data["kind"], data["start"])
    panel = _panel(
        node,
        network,
        _("Chosen period"),
        period,
        today,
        exact=exact,
        with_reflections=with_reflections,
    )
    return {
        "form": form,
        "panels": [panel],
        "period": period,
        "definitions": _printed_definitions(node, protected=not exact),
        "protected": not exact,
        "threshold": thresholds_in(network).visits,
        "people_threshold": thresholds_in(network).people,
    }


@node_permission(Perm.VIEW_REPORTS)
def figures(request: AuthenticatedRequest, node: Node) -> HttpResponse:
    context = node_context(request, node, **figures_context(request, node))
    return render(request, "logbook/figures.html", context, status=context.pop("status", 200))
