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
from impactlog.logbook.figures import charts, queries
from impactlog.logbook.figures.forms import FiguresPeriodForm
from impactlog.logbook.figures.periods import Period, period_of
from impactlog.logbook.models import ActivityKind, Gender, SessionMode
from impactlog.network.services import bands_for
from impactlog.structure.pages import node_context
from impactlog.tenancy.decorators import node_permission
from impactlog.tenancy.models import Node
from impactlog.tenancy.permissions import has_perm
from impactlog.tenancy.roles import Perm


@dataclass
class Row:
    label: str
    now: str
    before: str
    change: str


def _count(value: int) -> str:
    return formats.number_format(value, use_l10n=True, force_grouping=True)


def _hours(minutes: int) -> str:
    return formats.number_format(minutes / 60, decimal_pos=1, use_l10n=True, force_grouping=True)


def _share(value: float | None) -> str:
    return "–" if value is None else f"{formats.number_format(value * 100, decimal_pos=0)} %"


def _change(now: float | None, before: float | None) -> str:
    if now is None or before is None or before == 0:
        return "–"
    percent = (now - before) / before * 100
    sign = "+" if percent > 0 else ""
    return f"{sign}{formats.number_format(percent, decimal_pos=0)} %"


def _rows(now: queries.Figures, before: queries.Figures) -> list[Row]:
    def count(label: str, a: int, b: int) -> Row:
        return Row(label, _count(a), _count(b), _change(a, b))

    def hours(label: str, a: int, b: int) -> Row:
        return Row(label, _hours(a), _hours(b), _change(a, b))

    online_now, online_before = (
        now.by_mode.get(SessionMode.ONLINE, (0, 0)),
        before.by_mode.get(SessionMode.ONLINE, (0, 0)),
    )
    return [
        count(_("Sessions"), now.sessions, before.sessions),
        count(_("Visits"), now.visits, before.visits),
        Row(_("Share of girls"), _share(now.girls_share), _share(before.girls_share), "–"),
        hours(_("Opening hours"), now.opening_minutes, before.opening_minutes),
        hours(_("Group hours"), now.group_minutes, before.group_minutes),
        hours(_("Youth-produced hours"), now.youth_minutes, before.youth_minutes),
        Row(
            _("Share of hours produced by young people"),
            _share(now.youth_share),
            _share(before.youth_share),
            "–",
        ),
        count(_("Youth producers"), now.youth_producers, before.youth_producers),
        count(_("Online sessions"), online_now[0], online_before[0]),
        count(_("Online visits"), online_now[1], online_before[1]),
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
    rows: list[Row]
    breakdown: list[tuple[str, list[int], int]]
    genders: list[str]
    unknown: int
    modes: list[tuple[str, int, int]]
    kinds: list[tuple[str, int]]
    chart: str
    chart_rows: list[tuple[str, int, int]]
    reflections: list[queries.ReflectionSummary]


def _panel(node: Node, title: str, period: Period, *, with_reflections: bool) -> Panel:
    now, before = queries.figures_for(node, [period, period.year_before()])
    bands = bands_for(node)
    known = {key for key, _label in bands}
    # Counts recorded under bands the network no longer uses stay visible under their key.
    bands += [(key, key) for key in sorted({b for _g, b in now.by_cell} - known)]
    breakdown = [
        (label, [now.by_cell.get((g.value, band), 0) for g in Gender], now.by_band().get(band, 0))
        for band, label in bands
    ]
    if period.days > 62:
        visits = {**before.by_month, **now.by_month}
        months: list[tuple[str, int, int]] = []
        day = period.start.replace(day=1)
        while day <= period.end:
            key = f"{day:%Y-%m}"
            last_year = f"{day.year - 1}-{day:%m}"
            label = formats.date_format(day, "YEAR_MONTH_FORMAT")
            months.append((label, visits.get(key, 0), visits.get(last_year, 0)))
            day = (day + dt.timedelta(days=32)).replace(day=1)
        chart_rows, value_title = months, _("Visits per month")
    else:
        chart_rows = [
            (label, now.by_band().get(band, 0), before.by_band().get(band, 0))
            for band, label in bands
        ]
        value_title = _("Visits by age")
    spec = charts.compared_bars(
        chart_rows,
        current=_("This period"),
        previous=_("A year earlier"),
        value_title=value_title,
    )
    return Panel(
        title=title,
        period_label=_label(period),
        before_label=_label(period.year_before()),
        rows=_rows(now, before),
        breakdown=breakdown,
        genders=[str(g.label) for g in Gender],
        unknown=now.visits_without_breakdown,
        modes=[
            (str(mode.label), *now.by_mode[mode.value])
            for mode in SessionMode
            if mode.value in now.by_mode
        ],
        kinds=[
            (str(kind.label), now.by_kind.get(kind.value, 0))
            for kind in ActivityKind
            if now.by_kind.get(kind.value)
        ],
        chart=charts.svg_data_uri(spec),
        chart_rows=chart_rows,
        reflections=queries.reflections_in(node, period) if with_reflections else [],
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
)


def _printed_definitions(node: Node) -> list[Any]:
    entries = {entry.key: entry for entry in definitions.definitions_for(node)}
    return [entries[key] for key in PRINTED_DEFINITIONS if key in entries]


def figures_context(request: HttpRequest, node: Node) -> dict[str, Any]:
    today = timezone.localdate()
    # Free-text reflections may name people: only those who see the records read them.
    with_reflections = has_perm(request.user, Perm.VIEW_RECORDS, node)
    if "kind" not in request.GET:
        form = FiguresPeriodForm(initial={"kind": "half", "start": period_of("half", today).start})
        panels = [
            _panel(
                node, _("This week"), period_of("week", today), with_reflections=with_reflections
            ),
            _panel(
                node, _("This term"), period_of("half", today), with_reflections=with_reflections
            ),
        ]
        return {
            "form": form,
            "panels": panels,
            "saved": request.GET.get("saved") == "1",
            "definitions": _printed_definitions(node),
        }
    form = FiguresPeriodForm(request.GET)
    if not form.is_valid():
        return {"form": form, "panels": [], "status": 400}
    data = form.cleaned_data
    if data["kind"] == "custom":
        period = Period("custom", data["start"], data["end"])
    else:
        period = period_of(data["kind"], data["start"])
    panel = _panel(node, _("Chosen period"), period, with_reflections=with_reflections)
    return {
        "form": form,
        "panels": [panel],
        "period": period,
        "definitions": _printed_definitions(node),
    }


@node_permission(Perm.VIEW_REPORTS)
def figures(request: AuthenticatedRequest, node: Node) -> HttpResponse:
    context = node_context(request, node, **figures_context(request, node))
    return render(request, "logbook/figures.html", context, status=context.pop("status", 200))
