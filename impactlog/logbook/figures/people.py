"""The figures of people (kiosk/figures.py), protected with the network's threshold for people.

Family `people` of the disclosure store, decided like the logbook's figures (protection.py): once
per network and calendar year, every place and every calendar period linked, one call of the
engine. Unique visitors are not additive, so a place is *not* the sum of the places below it,
nor a quarter the sum of its months. What a reader can still work out is modelled as the engine
permits, with equalities and cells that are never published:

- a part is at most its whole (a unit's girls are among the municipality's girls): whole = part +
  gap, the gap a cell of its own (a count of people: those of the whole not in the part);
- a whole is at most the sum of its parts (each of its visitors is in at least one of them):
  sum = whole + overlap, with `sum` = the parts added up, both cells of their own.

Each rule is used only where it holds for every set of records (`RULES`): a young person's
gender is the same everywhere, but their age band is taken at their first visit of the period,
so a unit may count someone under a band the municipality does not (part ≤ whole fails, whole
≤ sum holds). Within one place and period the breakdowns add up (`local`), as on the page.

Above organisations (a place whose subtree holds more than one organisation with check-ins in
the year), the young people across organisations (`ACROSS`, kiosk/figures.py `people_across`:
once per keyed hash where both organisations deduplicate, once per record otherwise) is a cell
of its own, with the rules that hold for every set of records: it is at least each
organisation's count and at most their sum (and at most the place's visitors, who are counted
per record), at most the sum over the place's children, and at least a child's own; between
periods, a part at most its whole and a whole at most the sum of its parts. An organisation's
count here is its unique visitors, unless two of its own records share a hash in the period:
then it is its distinct identities, a cell never published (visitors = identities + doubles).

Cells that are never published (gaps, overlaps, sums, the visitors who did not come back, those
with at least k visits) are handed to the engine like the others: it may treat them as shown,
so it protects against a reader who knows *more* than the real one, never less. Sessions,
anonymous check-ins ("counted without a name", which are visits and add up) go through the same
decision with the same threshold.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.db.models import Q
from django_tasks import task

from impactlog.kiosk.figures import (
    FREQUENCY_BINS,
    NOT_RECORDED,
    People,
    Visit,
    count_people,
    first_visits,
    of_its_organisation,
    statuses,
)
from impactlog.kiosk.models import CheckIn
from impactlog.logbook.figures.periods import PROTECTED_KINDS, Period, period_of
from impactlog.logbook.figures.protection import above_known, known_places
from impactlog.network.services import Band, bands_in, settings_for, thresholds_for
from impactlog.participants.models import Gender
from impactlog.tenancy.disclosure import Cell, Reason, Relation, linked, protect, store
from impactlog.tenancy.disclosure.relations import calendar_year
from impactlog.tenancy.models import Node

FAMILY = "people"

# Positions: the figures of people of one place and one period.
VISITORS = "visitors"
WITHOUT_NAME = "without_name"
NEW = "new"
RETURNING = "returning"
RETURNED = "returned"
ACROSS = "across"  # above organisations only: young people counted once across them
NOT_RETURNED = "not_returned"  # never published: visitors − returned


def gender(key: str) -> str:
    return f"gender.{key}"


def band(key: str) -> str:
    return f"band.{key}"


def area(key: str) -> str:
    return f"area.{key}"


def status(key: str) -> str:
    return f"status.{key}"


def frequency(key: str) -> str:
    return f"frequency.{key}"


def at_least(visits: int) -> str:
    """Never published: the visitors with at least this many visits."""
    return f"at_least.{visits}"


# For each kind of position: (a part ≤ its whole, a whole ≤ the sum of its parts), for parts that
# are places and for parts that are periods. Checked by the engine: a rule that did not hold
# would give a negative gap, which it refuses.
Rules = tuple[bool, bool, bool, bool]
RULES: dict[str, Rules] = {
    "visitors": (True, True, True, True),
    "gender": (True, True, True, True),
    "area": (True, True, True, True),
    "status": (True, True, True, True),
    # The first check-in ever, at any place: the same in every place, but a young person new in
    # the year may be returning in the half-year they came back in.
    "new": (True, True, True, False),
    "returning": (True, True, False, True),  # returning in March, new in the quarter
    "band": (False, True, False, True),  # the age at the first visit of the period
    "returned": (True, False, True, False),  # a return may go from one centre to another
    "not_returned": (False, True, False, True),
    "frequency.1": (False, True, False, True),  # one visit in the whole: one in one part
    "at_least": (True, False, True, False),  # more visits in the whole than in a part
}


def rules_of(position: str) -> Rules | None:
    if position in RULES:
        return RULES[position]
    kind = position.partition(".")[0]
    return RULES.get(kind) if kind != "frequency" else None


@dataclass(frozen=True)
class Layout:
    genders: tuple[str, ...]
    bands: tuple[str, ...]
    areas: tuple[str, ...]
    statuses: tuple[str, ...]

    @property
    def published(self) -> list[str]:
        return [
            VISITORS,
            *(gender(g) for g in self.genders),
            *(band(b) for b in self.bands),
            *(area(a) for a in self.areas),
            *(status(s) for s in self.statuses),
            NEW,
            RETURNING,
            *(frequency(key) for key, _low, _high in FREQUENCY_BINS),
            RETURNED,
        ]

    @property
    def positions(self) -> list[str]:
        lows = [low for _key, low, _high in FREQUENCY_BINS[1:]]
        return [*self.published, NOT_RETURNED, *(at_least(low) for low in lows)]

    @property
    def local(self) -> list[Relation[Hashable]]:
        """Within one place and period: each breakdown adds up to the visitors."""
        bins = [key for key, _low, _high in FREQUENCY_BINS]
        lows = [low for _key, low, _high in FREQUENCY_BINS[1:]]
        relations: list[Relation[Hashable]] = [
            Relation(VISITORS, [gender(g) for g in self.genders]),
            Relation(VISITORS, [band(b) for b in self.bands]),
            Relation(VISITORS, [area(a) for a in self.areas]),
            Relation(VISITORS, [status(s) for s in self.statuses]),
            Relation(VISITORS, [NEW, RETURNING]),
            Relation(VISITORS, [RETURNED, NOT_RETURNED]),
            Relation(VISITORS, [frequency(bins[0]), at_least(lows[0])]),
        ]
        for n, low in enumerate(lows):
            rest = [at_least(lows[n + 1])] if n + 1 < len(lows) else []
            relations.append(Relation(at_least(low), [frequency(bins[n + 1]), *rest]))
        return relations

    def values(self, people: People) -> dict[str, int]:
        found = {VISITORS: people.visitors, NEW: people.new, RETURNING: people.returning}
        found.update((gender(g), people.by_gender.get(g, 0)) for g in self.genders)
        found.update((band(b), people.by_band.get(b, 0)) for b in self.bands)
        found.update((area(a), people.by_area.get(a, 0)) for a in self.areas)
        found.update((status(s), people.by_status.get(s, 0)) for s in self.statuses)
        found.update((frequency(k), people.by_frequency.get(k, 0)) for k, _l, _h in FREQUENCY_BINS)
        found[RETURNED] = people.returned
        found[NOT_RETURNED] = people.visitors - people.returned
        for _key, low, _high in FREQUENCY_BINS[1:]:
            found[at_least(low)] = sum(
                people.by_frequency.get(k, 0) for k, lo, _h in FREQUENCY_BINS if lo >= low
            )
        return found


def calendar_periods(year: int) -> dict[str, Period]:
    """Every calendar period of `year` by its key ("2026", "2026-H1", "2026-Q1", "2026-01")."""
    found: dict[str, Period] = {}
    for kind in PROTECTED_KINDS:
        for month in range(1, 13):
            period = period_of(kind, dt.date(year, month, 1))
            found[period.calendar_key or ""] = period
    return found


#: Each young person's organisation and identity across organisations ("hash:…" for a keyed
#: hash, "record:pk" otherwise), as kiosk.figures.people_across counts them.
Identities = Mapping[int, tuple[Any, str]]


def identity(participant: int, dedup_hash: str | None) -> str:
    return f"hash:{dedup_hash}" if dedup_hash else f"record:{participant}"


def _gather(
    network: Node, year: int
) -> tuple[
    dict[Any, list[Visit]], dict[Any, int], dict[int, dt.date], dict[Any, list[Any]], Identities
]:
    """The year's check-ins of the network by the place of their session (a place that also has
    places below it keeps its own in a leaf ("own", pk)), anonymous ones per (leaf, month), the
    first check-in ever of each young person, the tree as {place: children}, and each young
    person's organisation and identity across organisations."""
    # system code: the task decides for the whole network; nobody reads these rows directly
    rows = (
        CheckIn.all_objects.filter(
            session__date__year=year, session__node__path__startswith=network.path
        )
        .filter(Q(participant__isnull=True) | of_its_organisation())
        .order_by()
        .values_list(
            "session__node_id",
            "participant_id",
            "session_id",
            "session__date",
            "participant__birth_year",
            "participant__birth_month",
            "participant__gender",
            "participant__home_area_id",
            "participant__status",
            "participant__organisation_id",
            "participant__dedup_hash",
        )
    )
    # system code: the whole tree of the network, to link every place's tables
    nodes = list(
        Node.all_objects.filter(path__startswith=network.path).values_list("pk", "parent_id")
    )
    children: dict[Any, list[Any]] = {pk: [] for pk, _parent in nodes}
    for pk, parent in nodes:
        if parent is not None and parent in children:
            children[parent].append(pk)
    by_place: dict[Any, list[Visit]] = defaultdict(list)
    anonymous: dict[Any, int] = defaultdict(int)
    raw = list(rows)
    recorded = {row[0] for row in raw}
    for pk in recorded:
        if children.get(pk):
            children[pk].append(("own", pk))

    def leaf(pk: int) -> Any:
        return ("own", pk) if pk in recorded and any(children.get(pk, ())) else pk

    identities: dict[int, tuple[Any, str]] = {}
    for row in raw:
        if row[1] is None:
            anonymous[(leaf(row[0]), row[3].month)] += 1
        else:
            by_place[leaf(row[0])].append(Visit(*row[1:9]))
            identities[row[1]] = (row[9], identity(row[1], row[10]))
    first = first_visits({v.participant for visits in by_place.values() for v in visits})
    return by_place, anonymous, first, children, identities


def _subtree_visits(
    children: Mapping[Any, Sequence[Any]], by_place: Mapping[Any, list[Visit]]
) -> dict[Any, list[Visit]]:
    found: dict[Any, list[Visit]] = {}

    def visits(node: Any) -> list[Visit]:
        if node not in found:
            mine = list(by_place.get(node, ()))
            for kid in children.get(node, ()):
                mine += visits(kid)
            found[node] = mine
        return found[node]

    for node in list(children):
        visits(node)
    return found


def above_organisations(
    subtree: Mapping[Any, list[Visit]], identities: Identities
) -> dict[Any, list[Any]]:
    """The places whose subtree holds more than one organisation with check-ins in the year, with
    those organisations."""
    found: dict[Any, list[Any]] = {}
    for node, visits in subtree.items():
        if isinstance(node, tuple):
            continue
        orgs = {identities[v.participant][0] for v in visits if v.participant in identities}
        if len(orgs) > 1:
            found[node] = sorted(orgs, key=repr)
    return found


def _across(
    cells: dict[Any, int],
    relations: list[Relation[Any]],
    children: Mapping[Any, Sequence[Any]],
    subtree: Mapping[Any, list[Visit]],
    identities: Identities,
    periods: Mapping[str, Period],
    parts: Mapping[str, Sequence[str]],
) -> None:
    """The young people across organisations of each place above organisations, and the rules
    that hold for them (module docstring)."""
    places = above_organisations(subtree, identities)
    for node in places:
        for key, period in periods.items():
            mine = [
                identities[v.participant]
                for v in subtree[node]
                if period.start <= v.date <= period.end and v.participant in identities
            ]
            whole = (node, key, ACROSS)
            cells[whole] = len({who for _org, who in mine})
    for node, orgs in places.items():
        for key, period in periods.items():
            whole = (node, key, ACROSS)

            def at_least(term: Any, whole: Any = whole) -> None:
                gap = ("gap", whole, term)
                cells[gap] = cells[whole] - cells[term]
                relations.append(Relation(whole, [term, gap]))

            def at_most_sum(terms: list[Any], kind: str, whole: Any = whole) -> None:
                total, overlap = ("sum", whole, kind), ("overlap", whole, kind)
                cells[total] = sum(cells[t] for t in terms)
                cells[overlap] = cells[total] - cells[whole]
                relations.append(Relation(total, terms))
                relations.append(Relation(total, [whole, overlap]))

            own: dict[Any, Any] = {}  # organisation: the cell of its count
            for org in orgs:
                records = {
                    v.participant
                    for v in subtree.get(org, ())
                    if period.start <= v.date <= period.end
                    and identities.get(v.participant, (None, ""))[0] == org
                }
                distinct = {identities[p][1] for p in records}
                visitors = (org, key, VISITORS)
                if cells.get(visitors) == len(records) == len(distinct):
                    own[org] = visitors
                    continue
                # Two of its records share a hash (or it holds another organisation): its
                # distinct identities, never published.
                own[org] = (org, key, "identities")
                cells[own[org]] = len(distinct)
                if cells.get(visitors) == len(records):
                    doubles = (org, key, "doubles")
                    cells[doubles] = len(records) - len(distinct)
                    relations.append(Relation(visitors, [own[org], doubles]))
            for org in orgs:
                at_least(own[org])
            at_most_sum([own[org] for org in orgs], "organisations")
            visitors = (node, key, VISITORS)
            gap = ("gap", visitors, whole)
            cells[gap] = cells[visitors] - cells[whole]
            relations.append(Relation(visitors, [whole, gap]))
            # Over the places below that are above organisations too, and every organisation
            # outside them (the place's own, when it keeps records itself).
            wider = [kid for kid in children.get(node, ()) if kid in places]
            if wider:
                for kid in wider:
                    at_least((kid, key, ACROSS))
                rest = [o for o in orgs if not any(o == k or _under(o, k, children) for k in wider)]
                below = [(kid, key, ACROSS) for kid in wider] + [own[o] for o in rest]
                at_most_sum(below, "places")
            if parts.get(key):
                terms = [(node, p, ACROSS) for p in parts[key]]
                for term in terms:
                    at_least(term)
                at_most_sum(terms, "periods")


def _under(node: Any, place: Any, children: Mapping[Any, Sequence[Any]]) -> bool:
    kids = children.get(place, ())
    return node in kids or any(_under(node, kid, children) for kid in kids)


def build(
    by_place: Mapping[Any, list[Visit]],
    first: Mapping[int, dt.date],
    children: Mapping[Any, Sequence[Any]],
    bands: Sequence[Band],
    year: int,
    anonymous: Mapping[Any, int],
    identities: Identities | None = None,
) -> tuple[dict[Any, int], list[Relation[Any]], Layout, set[Any]]:
    """Every cell and relation of the family for one network and year, and the keys that are
    published ((place, period, position) of a real place). With `identities` (each young
    person's organisation and identity), the young people across organisations of the places
    above organisations too."""
    areas = sorted(
        {str(v.home_area) for vs in by_place.values() for v in vs if v.home_area}, key=int
    )
    layout = Layout(
        tuple(Gender.values), tuple(k for k, _ in bands), (*areas, NOT_RECORDED), tuple(statuses())
    )
    periods = calendar_periods(year)
    parts = calendar_year(year)
    nodes = sorted(set(children) | {k for kids in children.values() for k in kids}, key=repr)
    subtree = _subtree_visits(children, by_place)
    cells: dict[Any, int] = {}
    for node in nodes:
        for key, period in periods.items():
            people = count_people(subtree.get(node, []), first, bands, period.start, period.end)
            for position, value in layout.values(people).items():
                cells[(node, key, position)] = value
    relations: list[Relation[Any]] = []
    for node in nodes:
        for key in periods:
            relations += [
                Relation((node, key, r.total), ((node, key, t) for t in r.terms))
                for r in layout.local
            ]
    for node in nodes:
        for key in periods:
            wholes: list[tuple[str, list[Any], int]] = []
            if children.get(node):
                wholes.append(("places", [(kid, key) for kid in children[node]], 0))
            if parts[key]:
                wholes.append(("periods", [(node, p) for p in parts[key]], 2))
            for position in layout.positions:
                rules = rules_of(position)
                if rules is None:
                    continue
                whole = (node, key, position)
                for kind, of, at in wholes:
                    terms = [(*p, position) for p in of]
                    if rules[at]:  # each part ≤ the whole
                        for term in terms:
                            gap = ("gap", whole, term)
                            cells[gap] = cells[whole] - cells[term]
                            relations.append(Relation(whole, [term, gap]))
                    if rules[at + 1]:  # the whole ≤ the sum of its parts
                        total, overlap = ("sum", whole, kind), ("overlap", whole, kind)
                        cells[total] = sum(cells[t] for t in terms)
                        cells[overlap] = cells[total] - cells[whole]
                        relations.append(Relation(total, terms))
                        relations.append(Relation(total, [whole, overlap]))
    if identities:
        _across(cells, relations, children, subtree, identities, periods, parts)
    # Counted without a name: visits, which add up over places and periods.
    monthly: dict[tuple[Hashable, int], Mapping[Hashable, int]] = {
        where: {WITHOUT_NAME: n} for where, n in anonymous.items()
    }
    more, linked_relations = linked(monthly, [WITHOUT_NAME], [], children, year)
    cells.update(more)
    relations += linked_relations
    published = {
        key
        for key in cells
        if len(key) == 3
        and key[0] not in ("gap", "sum", "overlap")
        and not isinstance(key[0], tuple)
        and (key[2] in layout.published or key[2] in (WITHOUT_NAME, ACROSS))
    }
    return cells, relations, layout, published


def decide(network: Node, year: int) -> tuple[dict[int, dict[str, dict[str, Any]]], dict[str, int]]:
    """What may be shown of every place's figures of people in every calendar period of
    `year`, for people without records rights: {place: {period: {position: count or reason}}}
    (zeros left out), and the threshold used."""
    thresholds = thresholds_for(network)
    by_place, anonymous, first, children, identities = _gather(network, year)
    bands = bands_in(settings_for(network))
    cells, relations, _layout, published = build(
        by_place, first, children, bands, year, anonymous, identities
    )
    knows = known_places(network)
    above = above_known(children, knows)

    def place_of(key: Any) -> Any:
        inner = key[1] if key[0] in ("gap", "sum", "overlap") else key
        place = inner[0]
        return place[1] if isinstance(place, tuple) else place

    known = {key for key in cells if place_of(key) in knows}
    guarded = {key for key in cells if place_of(key) not in knows | above}
    protection = protect(
        cells,
        relations,
        thresholds.people,
        known=known,
        guarded=guarded,
        free=set(cells) - published,
    )
    shown: dict[int, dict[str, dict[str, Any]]] = {
        pk: {} for pk in children if not isinstance(pk, tuple)
    }
    for key in published:
        place, period, position = key
        reason = protection.reason(key)
        where = shown[place].setdefault(period, {})
        if reason is not None:
            where[position] = str(reason)
        elif cells[key] or position == ACROSS:  # kept at 0: the place is above organisations
            where[position] = cells[key]
    return shown, {"people": thresholds.people}


@task()
def decide_people(network_id: int, year: int) -> None:
    """Decide the protected figures of people of network `network_id` for `year`, and keep them."""
    store.decide_and_keep(network_id, FAMILY, year, decide)


# Reading the protected figures.


@dataclass(frozen=True)
class ProtectedPeople:
    """The protected figures of people of one place and calendar period (see
    protection.Protected: `available` False while never decided, `current` False while out of
    date)."""

    period: Period
    cells: Mapping[str, Any]
    threshold: int
    available: bool = True
    current: bool = True
    decided_at: dt.datetime | None = None

    def __getitem__(self, position: str) -> Cell:
        found = self.cells.get(position, 0)
        if isinstance(found, str):
            return Cell(None, Reason(found), self.threshold)
        return Cell(found, None, self.threshold)

    def holds(self, position: str) -> bool:
        """Whether the figures hold this position (the young people across organisations only
        at places above organisations, kept even at 0)."""
        return position in self.cells

    def areas(self) -> set[str]:
        """The home areas the figures hold counts under."""
        return {p.partition(".")[2] for p in self.cells if p.startswith("area.")}


def _enqueue(network_id: int, year: int) -> None:
    decide_people.enqueue(network_id=network_id, year=year)


def protected_people(node: Node, period: Period, threshold: int) -> ProtectedPeople:
    """The protected figures of people of `node` for a calendar period (2 queries when the
    decision is current). Without a current decision one is asked for, as protection.protected
    does."""
    if period.kind not in PROTECTED_KINDS:
        raise ValueError(f"{period.kind} figures are not protected: choose a calendar period")
    wanted = {"people": threshold}
    year = period.start.year
    found = store.disclosed(node, FAMILY, [year])[year]

    def usable(d: store.Disclosed) -> bool:
        return d.cells is not None and dict(d.thresholds) == wanted

    if not (found.current and usable(found)):
        network_id = store.network_id_of(node)
        store.request(node, FAMILY, year, partial(_enqueue, network_id, year))
        found = store.disclosed(node, FAMILY, [year])[year]
    ok = usable(found)
    cells = (found.cells or {}).get(period.calendar_key or "", {}) if ok else {}
    return ProtectedPeople(period, cells, threshold, ok, ok and found.current, found.decided_at)
