"""The logbook's figures of young people, protected for everyone without records rights.

Visits (by gender × age band, without a breakdown, by mode, in total) and youth producers are
counts of young people. For each network and calendar year, `decide_figures` gathers what every
place recorded in every month, links every table a person can ask for (every place, month,
quarter, half-year and the year) and asks the disclosure engine once what to hide; the result
is kept per place (`tenancy.disclosure.store`). Pages and downloads read it with `protected`.

Sessions, hours and their shares count no young person and stay exact for everyone.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

from django.db.models import Q, Sum
from django.db.models.functions import ExtractMonth
from django_tasks import task

from impactlog.logbook.figures.periods import PROTECTED_KINDS, Period
from impactlog.logbook.figures.queries import Figures
from impactlog.logbook.models import Gender, Session, SessionCount, SessionMode
from impactlog.network.models import NetworkSettings
from impactlog.network.services import Thresholds, bands_in, settings_for, thresholds_for
from impactlog.tenancy.disclosure import Cell, Reason, Relation, linked, protect, store, table
from impactlog.tenancy.models import Membership, Node
from impactlog.tenancy.roles import ROLE_PERMS, Perm

FAMILY = "logbook"

# Positions: the figures of one place and one period that count young people.
TOTAL = "*.*"  # every visit, with or without a breakdown
WITHOUT = "without"  # visits recorded as a total only
PRODUCERS = "youth_producers"


def cell(gender: str | None, band: str | None) -> str:
    """The position of a breakdown cell ("girls.13_15"), a margin ("girls.*", "*.13_15") or the
    grand total ("*.*")."""
    return f"{gender or '*'}.{band or '*'}"


def mode(value: str) -> str:
    return f"mode.{value}"


@dataclass(frozen=True)
class Layout:
    """The positions of the visits of one network, and the relations among them."""

    genders: tuple[str, ...]
    bands: tuple[str, ...]
    modes: tuple[str, ...]

    @property
    def positions(self) -> list[str]:
        grid = [cell(g, b) for g in self.genders for b in self.bands]
        margins = [cell(g, None) for g in self.genders] + [cell(None, b) for b in self.bands]
        return [*grid, *margins, TOTAL, WITHOUT, *(mode(m) for m in self.modes)]

    @property
    def relations(self) -> list[Relation[Hashable]]:
        relations: list[Relation[Hashable]] = list(
            table(cell, self.genders, self.bands, without=[WITHOUT])
        )
        relations.append(Relation(TOTAL, [mode(m) for m in self.modes]))
        return relations

    def counts(
        self, grid: Mapping[tuple[str, str], int], without: int, by_mode: Mapping[str, int]
    ) -> dict[str, int]:
        """Every position's count from the breakdown, the visits without one and the visits by
        mode (which add up to the same total)."""
        values = {cell(g, b): grid.get((g, b), 0) for g in self.genders for b in self.bands}
        for g in self.genders:
            values[cell(g, None)] = sum(grid.get((g, b), 0) for b in self.bands)
        for b in self.bands:
            values[cell(None, b)] = sum(grid.get((g, b), 0) for g in self.genders)
        values[WITHOUT] = without
        values[TOTAL] = sum(grid.values()) + without
        values.update((mode(m), by_mode.get(m, 0)) for m in self.modes)
        return values


def layout_for(network: NetworkSettings, extra_bands: Iterable[str] = ()) -> Layout:
    """The network's genders, age bands (with any band that counts were recorded under before
    the network changed its bands) and modes."""
    bands = [key for key, _label in bands_in(network)]
    bands += sorted(set(extra_bands) - set(bands))
    return Layout(tuple(Gender.values), tuple(bands), tuple(SessionMode.values))


def exact_counts(figures: Figures, layout: Layout) -> dict[str, int]:
    """The same positions, exactly, for the people who recorded the figures."""
    by_mode = {m: visits for m, (_sessions, visits) in figures.by_mode.items()}
    values = layout.counts(figures.by_cell, figures.visits_without_breakdown, by_mode)
    values[PRODUCERS] = figures.youth_producers
    return values


# Deciding what to hide, once per network and year.


def _gather(
    network: Node, year: int
) -> tuple[dict[Any, dict[str, int]], dict[Any, list[Any]], Layout]:
    """What every place of the network recorded in every month of `year`: {(leaf, month):
    counts}, the tree as {place: children}, and the layout. A place that holds records and has
    places below it keeps its own records in a leaf ("own", pk) of its own."""
    # system code: the task decides for the whole network; nobody reads these rows directly
    in_year = Q(date__year=year, node__path__startswith=network.path)
    sessions = (
        Session.all_objects.filter(in_year)
        .order_by()
        .values("node_id", "mode", month=ExtractMonth("date"))
        .annotate(
            visits=Sum("participants"),
            without=Sum("participants", filter=Q(breakdown_known=False)),
            producers=Sum("youth_producers"),
        )
    )
    counts = (
        # system code: as the sessions above
        SessionCount.all_objects.filter(
            session__date__year=year, session__node__path__startswith=network.path
        )
        .order_by()
        .values("session__node_id", "gender", "age_band", month=ExtractMonth("session__date"))
        .annotate(n=Sum("count"))
    )
    grid: dict[tuple[int, int], dict[tuple[str, str], int]] = defaultdict(dict)
    for row in counts:
        grid[(row["session__node_id"], row["month"])][(row["gender"], row["age_band"])] = row["n"]
    without: dict[tuple[int, int], int] = defaultdict(int)
    by_mode: dict[tuple[int, int], dict[str, int]] = defaultdict(dict)
    producers: dict[tuple[int, int], int] = defaultdict(int)
    for row in sessions:
        where = (row["node_id"], row["month"])
        without[where] += row["without"] or 0
        by_mode[where][row["mode"]] = by_mode[where].get(row["mode"], 0) + (row["visits"] or 0)
        producers[where] += row["producers"] or 0
    layout = layout_for(settings_for(network), {band for g in grid.values() for _g, band in g})

    # system code: the whole tree of the network, to link every place's tables
    nodes = list(
        Node.all_objects.filter(path__startswith=network.path).values_list("pk", "parent_id")
    )
    children: dict[Any, list[Any]] = {pk: [] for pk, _parent in nodes}
    for pk, parent in nodes:
        if parent is not None and parent in children:
            children[parent].append(pk)
    recorded = {pk for pk, _month in [*by_mode, *grid]}

    def leaf(pk: int) -> Any:
        return ("own", pk) if children[pk] else pk

    for pk in recorded:
        if children.get(pk):
            children[pk].append(("own", pk))
    monthly: dict[Any, dict[str, int]] = {}
    for where in set(by_mode) | set(grid):
        pk, month = where
        values = layout.counts(grid.get(where, {}), without.get(where, 0), by_mode.get(where, {}))
        values[PRODUCERS] = producers.get(where, 0)
        monthly[(leaf(pk), month)] = values
    return monthly, children, layout


def known_places(network: Node) -> set[int]:
    """Places whose figures someone who reads protected figures of the network knows exactly:
    the places where a person holds records rights, when the same person also holds a role that
    shows them protected figures somewhere else in the network (a worker of one centre who is a
    viewer of the municipality). The engine treats what they know as shown to them."""
    # system code: the roles of the whole network, to know what each reader knows
    roles = Membership.all_objects.filter(node__path__startswith=network.path).values_list(
        "user_id", "role", "node__path"
    )
    exact: dict[int, list[str]] = defaultdict(list)
    aggregate: dict[int, list[str]] = defaultdict(list)
    for user, role, path in roles:
        perms = ROLE_PERMS.get(role, frozenset())
        if Perm.VIEW_RECORDS in perms:
            exact[user].append(path)
        elif Perm.VIEW_REPORTS in perms:
            aggregate[user].append(path)
    known: list[str] = []
    for user, paths in exact.items():
        protected_elsewhere = any(
            not any(place.startswith(own) for own in paths) for place in aggregate.get(user, [])
        )
        if protected_elsewhere:
            known += paths
    if not known:
        return set()
    return set(_below(network, known))


def above_known(children: Mapping[Any, Sequence[Any]], knows: set[int]) -> set[Any]:
    """The places above a known one (see `known_places`), in a tree {place: children}."""
    above: set[Any] = set()
    for node, kids in children.items():
        if any(not isinstance(kid, tuple) and kid in knows for kid in kids):
            above.add(node)
    while more := {
        node for node, kids in children.items() if node not in above and above & set(kids)
    }:
        above |= more
    return above


def _below(network: Node, paths: list[str]) -> list[int]:
    # system code: the network's tree, matched against the known paths in Python
    return [
        pk
        for pk, path in Node.all_objects.filter(path__startswith=network.path).values_list(
            "pk", "path"
        )
        if any(path.startswith(known) for known in paths)
    ]


def _place(place: Any) -> int:
    """The place a cell belongs to: a pseudo-leaf ("own", pk) holds its place's own records."""
    return int(place[1]) if isinstance(place, tuple) else int(place)


def decide(network: Node, year: int) -> tuple[dict[int, dict[str, dict[str, Any]]], dict[str, int]]:
    """What may be shown of every place's figures in every calendar period of `year`, for
    people without records rights: {place: {period: {position: count or reason}}} (zeros left
    out), and the thresholds used."""
    thresholds = thresholds_for(network)
    monthly, children, layout = _gather(network, year)
    knows = known_places(network)
    above = above_known(children, knows)
    used = {"visits": thresholds.visits, "people": thresholds.people}
    shown: dict[int, dict[str, dict[str, Any]]] = {
        pk: {} for pk in children if not isinstance(pk, tuple)
    }
    for positions, local, threshold in (
        (layout.positions, layout.relations, thresholds.visits),
        ([PRODUCERS], [], thresholds.people),
    ):
        data: dict[Any, Mapping[Hashable, int]] = {
            where: {p: c[p] for p in positions} for where, c in monthly.items()
        }
        cells, relations = linked(data, positions, local, children, year)
        known = {key for key in cells if _place(key[0]) in knows}
        # What a reader who knows those places may work out of the places above them comes
        # from what they know: the places neither known nor above a known one are guarded.
        guarded = {key for key in cells if _place(key[0]) not in knows | above}
        protection = protect(cells, relations, threshold, known=known, guarded=guarded)
        for (place, period, position), value in cells.items():
            if isinstance(place, tuple):
                continue  # a place's own records: never shown on their own
            reason = protection.reason((place, period, position))
            where = shown[_place(place)].setdefault(period, {})
            if reason is not None:
                where[str(position)] = str(reason)
            elif value:
                where[str(position)] = value
    return shown, used


@task()
def decide_figures(network_id: int, year: int) -> None:
    """Decide the protected figures of network `network_id` for `year`, and keep them."""
    store.decide_and_keep(network_id, FAMILY, year, decide)


# Reading the protected figures.


@dataclass(frozen=True)
class Protected:
    """The protected figures of one place and one calendar period.

    `available` is False while no decision was ever made for the place and year; `current` is
    False while the kept decision is older than the records (the page says so)."""

    period: Period
    year_cells: Mapping[str, Mapping[str, Any]]  # every calendar period of the year
    thresholds: Mapping[str, int]
    available: bool = True
    current: bool = True
    decided_at: dt.datetime | None = None

    def __getitem__(self, position: str) -> Cell:
        threshold = self.thresholds.get("people" if position == PRODUCERS else "visits", 0)
        found = self.year_cells.get(self.period.calendar_key or "", {}).get(position, 0)
        if isinstance(found, str):
            return Cell(None, Reason(found), threshold)
        return Cell(found, None, threshold)

    def recorded_bands(self) -> set[str]:
        """Age bands the figures hold counts under (bands the network used before, too)."""
        found = set()
        for figures in self.year_cells.values():
            for position in figures:
                gender, _dot, band = position.partition(".")
                if band and band != "*" and gender != "mode":
                    found.add(band)
        return found

    def part(self, period: Period) -> Protected:
        """Another calendar period of the same year, under the same decision."""
        if period.start.year != self.period.start.year or period.kind not in PROTECTED_KINDS:
            raise ValueError(f"{period} is not a calendar period of {self.period.start.year}")
        return replace(self, period=period)


def _enqueue(network_id: int, year: int) -> None:
    decide_figures.enqueue(network_id=network_id, year=year)


def _years_with_records(node: Node, years: Sequence[int]) -> set[int]:
    network = store.network_id_of(node)
    # system code: whether the network recorded anything in these years, nothing more
    days = Session.all_objects.filter(
        node__path__startswith=f"/{network}/", date__year__in=list(years)
    ).dates("date", "year")
    return {day.year for day in days}


def protected(
    node: Node, periods: Sequence[Period], thresholds: Thresholds | None = None
) -> list[Protected]:
    """The protected figures of `node` for each of `periods` (calendar periods, see
    `PROTECTED_KINDS`), 2 queries when the decisions are current (3 without `thresholds`, the
    network's thresholds now).

    A year without a current decision is asked for: with the immediate task backend it is
    decided before this returns; with a worker the last decision is shown meanwhile, marked
    not current, or none (not available) if there never was one or it was made with other
    thresholds (its counts between the old threshold and the new one would show)."""
    for period in periods:
        if period.kind not in PROTECTED_KINDS:
            raise ValueError(f"{period.kind} figures are not protected: choose a calendar period")
    t = thresholds or thresholds_for(node)
    wanted = {"visits": t.visits, "people": t.people}
    years = sorted({p.start.year for p in periods})

    def usable(d: store.Disclosed) -> bool:
        return d.cells is not None and dict(d.thresholds) == wanted

    found = store.disclosed(node, FAMILY, years)
    missing = [year for year, d in found.items() if not (d.current and usable(d))]
    empty: set[int] = set()
    if missing:
        recorded = _years_with_records(node, missing)
        empty = set(missing) - recorded
        network_id = store.network_id_of(node)
        for year in sorted(recorded):
            store.request(node, FAMILY, year, partial(_enqueue, network_id, year))
        if recorded:
            found = store.disclosed(node, FAMILY, years)
    results = []
    for period in periods:
        year = period.start.year
        if year in empty:  # nothing recorded in the network that year: all zero, none hidden
            results.append(Protected(period, {}, wanted))
            continue
        d = found[year]
        ok = usable(d)
        results.append(
            Protected(
                period, (d.cells or {}) if ok else {}, wanted, ok, ok and d.current, d.decided_at
            )
        )
    return results
