"""Figures of people protected with the people threshold (logbook/figures/people.py).

The attacker of tests/test_disclosure_engine.py reads what a person without records rights sees
of the figures of people (every place, every calendar period, every breakdown) and knows every
rule that holds between them: the breakdowns add up within a place and period, a part is at most
its whole, a whole at most the sum of its parts (with gaps, sums and overlaps they never see).
No count of people shown as hidden can be narrowed below the threshold.
"""

from __future__ import annotations

import datetime as dt
import random

import numpy as np
import pytest
from scipy.optimize import linprog
from scipy.sparse import coo_matrix

from impactlog.kiosk.figures import Visit, count_people
from impactlog.logbook.figures import people
from impactlog.network.services import default_bands
from impactlog.tenancy.disclosure import Protection, Relation, protect
from impactlog.tenancy.disclosure.relations import calendar_year

pytestmark = pytest.mark.pure

THRESHOLD = 5
YEAR = 2026
# A network with a municipality of two centres, and a club of its own.
CHILDREN: dict = {"net": ["town", "club"], "town": ["harbour", "hill"]}
CHILDREN.update({"harbour": [], "hill": [], "club": []})
# Its records in spring only, so that the attacker's programmes stay small.
SPRING = (dt.date(YEAR, 3, 1), 80)
GENDERS = ["girl", "boy", "non_binary", "not_say", "self"]


def visits(seed: int, persons: int = 16, checkins: int = 70) -> tuple[dict, dict, dict]:
    rng = random.Random(seed)
    who = {
        n: (
            rng.randint(2007, 2014),
            rng.choice([None, *range(1, 13)]),
            rng.choice(GENDERS[:3] if n % 3 else GENDERS),
            rng.choice([None, 1, 2]),
            rng.choice(["school", "working", ""]),
        )
        for n in range(1, persons + 1)
    }
    by_place: dict = {"harbour": [], "hill": [], "club": []}
    first: dict = {}
    for session in range(checkins):
        n = rng.randint(1, persons)
        place = rng.choice(["harbour", "harbour", "hill", "club"])
        day = SPRING[0] + dt.timedelta(days=rng.randrange(SPRING[1]))
        by_place[place].append(Visit(n, session, day, *who[n]))
        first[n] = min(first.get(n, day), day)
    for n in list(first)[::4]:
        first[n] = dt.date(YEAR - 1, 6, 1)  # came before the year: returning
    anonymous = {(rng.choice(["harbour", "hill"]), rng.randint(3, 5)): rng.randint(1, 3)}
    return by_place, first, anonymous


def attack(cells: dict, relations: list, seen: dict, *, labels: bool) -> dict:
    """The attacker: the interval of each hidden published count of people, from what is shown
    (`seen`: a count, or the reason it is hidden, for every published cell), every relation and
    that counts are non-negative; the cells never published are unknowns of no label. With
    `labels`, "fewer than N" is 0 to N − 1 and "hidden" N or more. One pair of linear
    programmes per hidden count (HiGHS), stopped once its range is wide enough."""
    unknown = sorted((k for k in cells if not isinstance(seen.get(k, "free"), int)), key=repr)
    column = {key: i for i, key in enumerate(unknown)}
    data, rows, cols, rhs = [], [], [], []
    for relation in relations:
        row: dict[int, int] = {}
        constant = 0
        for sign, key in [(1, relation.total), *((-1, term) for term in relation.terms)]:
            if key in column:
                row[column[key]] = row.get(column[key], 0) + sign
            else:
                constant -= sign * seen[key]
        row = {i: c for i, c in row.items() if c}
        if row:
            for i, c in row.items():
                data.append(c)
                rows.append(len(rhs))
                cols.append(i)
            rhs.append(constant)
    a_eq = coo_matrix((data, (rows, cols)), shape=(len(rhs), len(unknown))).tocsr()
    said = {"primary": (0, THRESHOLD - 1), "secondary": (THRESHOLD, None), "withheld": (0, None)}
    bounds = [said[seen[k]] if labels and k in seen else (0, None) for k in unknown]
    truth = np.array([cells[k] for k in unknown], dtype=float)
    low, high = truth.copy(), truth.copy()
    wanted = 1 if labels else THRESHOLD
    found = {}
    for key in unknown:
        n = column[key]
        if key not in seen or cells[key] == 0 or (labels and seen[key] != "primary"):
            continue
        for sign in (1.0, -1.0):
            if high[n] - low[n] >= wanted:
                break
            objective = np.zeros(len(unknown))
            objective[n] = sign
            result = linprog(objective, A_eq=a_eq, b_eq=rhs, bounds=bounds, method="highs")
            if result.status == 3:  # unbounded above
                high[n] = np.inf
                continue
            assert result.status == 0, result.message  # the true values are feasible
            np.minimum(low, result.x, out=low)
            np.maximum(high, result.x, out=high)
        found[key] = (float(low[n]), float(high[n]))
    return found


def reader_view(cells: dict, published: set, protection: Protection) -> dict:
    """What a person without records rights sees of each published cell: its count, or why it
    is hidden."""
    return {
        k: str(protection.reason(k)) if protection.reason(k) is not None else cells[k]
        for k in published
    }


@pytest.mark.parametrize("seed", [1])
def test_no_protected_count_of_people_can_be_narrowed_below_the_threshold(seed: int) -> None:
    by_place, first, anonymous = visits(seed, persons=10, checkins=40)
    del by_place["club"]
    anonymous = {where: n for where, n in anonymous.items() if where[0] != "club"}
    town = {"town": ["harbour", "hill"], "harbour": [], "hill": []}
    cells, relations, _layout, published = people.build(
        by_place, first, town, default_bands(), YEAR, anonymous
    )
    protection = protect(cells, relations, THRESHOLD, free=set(cells) - published)
    seen = reader_view(cells, published, protection)
    # Small counts are there to protect, and none is shown.
    small = [k for k in published if 0 < cells[k] < THRESHOLD]
    assert small and all(isinstance(seen[k], str) for k in small)
    found = attack(cells, relations, seen, labels=False)
    assert {k: s for k, s in found.items() if s[1] - s[0] < THRESHOLD - 1e-6} == {}
    # A reader of the labels ("fewer than 5" is 0 to 4, "hidden" 5 or more) pins none either.
    found = attack(cells, relations, seen, labels=True)
    assert {k: s for k, s in found.items() if s[1] - s[0] < 1 - 1e-6} == {}


def test_a_municipality_is_not_the_sum_of_its_centres() -> None:
    """One young person at two centres: one visitor of the municipality, as the cells say, and
    the rules the reader knows hold (the engine refuses a relation that does not add up)."""
    one = Visit(1, 1, dt.date(YEAR, 2, 2), 2010, 3, "girl", None, "school")
    other = Visit(1, 2, dt.date(YEAR, 2, 9), 2010, 3, "girl", None, "school")
    by_place = {"harbour": [one], "hill": [other], "club": []}
    cells, relations, _layout, _published = people.build(
        by_place, {1: one.date}, CHILDREN, default_bands(), YEAR, {}
    )
    assert cells[("harbour", "2026-02", people.VISITORS)] == 1
    assert cells[("hill", "2026-02", people.VISITORS)] == 1
    assert cells[("town", "2026-02", people.VISITORS)] == 1
    assert cells[("town", "2026-02", people.RETURNED)] == 1  # back within a week, elsewhere
    assert cells[("harbour", "2026-02", people.RETURNED)] == 0
    assert cells[("town", "2026-02", people.frequency("2_3"))] == 1
    protect(cells, relations, THRESHOLD, exact=False)  # every relation adds up


@pytest.mark.parametrize("seed", range(10, 30))
def test_every_rule_the_reader_is_told_of_holds(seed: int) -> None:
    """The gaps and overlaps are counts, never negative: else a rule in people.RULES is wrong
    (the engine would refuse it, and the reader would be modelled knowing something false)."""
    by_place, first, anonymous = visits(seed, persons=6, checkins=40)
    cells, _relations, _layout, _published = people.build(
        by_place, first, CHILDREN, default_bands(), YEAR, anonymous
    )
    assert min(cells.values()) >= 0


def test_the_cells_are_the_counts_of_the_page() -> None:
    by_place, first, anonymous = visits(4)
    cells, _relations, layout, _published = people.build(
        by_place, first, CHILDREN, default_bands(), YEAR, anonymous
    )
    town = by_place["harbour"] + by_place["hill"]
    found = count_people(town, first, default_bands(), dt.date(YEAR, 4, 1), dt.date(YEAR, 6, 30))
    for position, value in layout.values(found).items():
        assert cells[("town", "2026-Q2", position)] == value


# Young people across organisations: Harbour and Hill are two organisations of the town, the club
# a third of the network. Some young people are registered in two of them under one keyed hash
# (both deduplicate), and one organisation holds two records with the same hash.
ORGANISATION = {"harbour": "harbour", "hill": "hill", "club": "club"}


def across_visits(
    seed: int, persons: int, checkins: int, places: list[str], *, doubles: bool = True
) -> tuple:
    """Visits where each young person is a record of one organisation and checks in only at it,
    and each one's (organisation, identity): "hash:…" shared by some records of different
    organisations (and, with `doubles`, by two of one), "record:…" for the others."""
    rng = random.Random(seed)
    by_place: dict = {place: [] for place in places}
    first: dict = {}
    org = {n: rng.choice(places) for n in range(1, persons + 1)}
    identities: dict = {}
    for n in org:
        shared = f"hash:{rng.randint(1, persons // 2)}"
        if rng.random() < 0.4 or (not doubles and (org[n], shared) in identities.values()):
            shared = f"record:{n}"
        identities[n] = (org[n], shared)
    for session in range(checkins):
        n = rng.randint(1, persons)
        day = SPRING[0] + dt.timedelta(days=rng.randrange(SPRING[1]))
        by_place[org[n]].append(Visit(n, session, day, 2010, 5, "girl", None, "school"))
        first[n] = min(first.get(n, day), day)
    return by_place, first, identities


def across_of(by_place: dict, identities: dict, places: list[str], start: dt.date, end: dt.date):
    """people_across computed from the raw visits: one per identity."""
    return len(
        {
            identities[v.participant][1]
            for place in places
            for v in by_place[place]
            if start <= v.date <= end
        }
    )


def across_rules(cells: dict, places: list[str], whole: str) -> tuple[dict, list]:
    """What the reader knows of the young people across organisations, written down here
    apart from people.py (each organisation counts its young people once: no doubles): at
    least each organisation's unique visitors, at most their sum and the place's visitors; a
    period at most the one it is part of, a whole at most the sum of its periods. Unknowns
    they never see make the inequalities equalities."""
    more: dict = {}
    relations: list = []

    def at_most(small: tuple, large: tuple) -> None:
        gap = ("reader", "gap", small, large)
        more[gap] = cells[large] - cells[small]
        relations.append(Relation(large, [small, gap]))

    def at_most_sum(one: tuple, terms: list, kind: str) -> None:
        total, rest = ("reader", "sum", one, kind), ("reader", "rest", one, kind)
        more[total] = sum(cells[t] for t in terms)
        more[rest] = more[total] - cells[one]
        relations.extend([Relation(total, terms), Relation(total, [one, rest])])

    for key, parts in calendar_year(YEAR).items():
        across = (whole, key, people.ACROSS)
        for place in places:
            at_most((place, key, people.VISITORS), across)
        at_most_sum(across, [(place, key, people.VISITORS) for place in places], "places")
        at_most(across, (whole, key, people.VISITORS))
        for part in parts:
            at_most((whole, part, people.ACROSS), across)
        if parts:
            at_most_sum(across, [(whole, part, people.ACROSS) for part in parts], "periods")
    return more, relations


def by_hand() -> tuple:
    """April: 5 young people across the town's two organisations (one of them in both, under
    one hash); May: 4 others. The quarter's 9 and April's 5 would give May's 4 away."""
    by_place: dict = {"harbour": [], "hill": []}
    identities: dict = {}
    april, may = dt.date(YEAR, 4, 7), dt.date(YEAR, 5, 12)
    for n, (place, day, who) in enumerate(
        [("harbour", april, "hash:a"), ("hill", april, "hash:a")]
        + [("harbour", april, None)] * 2
        + [("hill", april, None)] * 2
        + [("harbour", may, None)] * 2
        + [("hill", may, None)] * 2,
        start=1,
    ):
        by_place[place].append(Visit(n, n, day, 2010, 5, "girl", None, "school"))
        identities[n] = (place, who or f"record:{n}")
    first = {v.participant: v.date for vs in by_place.values() for v in vs}
    return by_place, first, identities


@pytest.mark.parametrize("seed", [2, "by hand"])
def test_no_count_of_young_people_across_organisations_can_be_narrowed(seed: int | str) -> None:
    town = {"town": ["harbour", "hill"], "harbour": [], "hill": []}
    if seed == "by hand":
        by_place, first, identities = by_hand()
    else:
        by_place, first, identities = across_visits(2, 10, 30, ["harbour", "hill"], doubles=False)
    cells, relations, _layout, published = people.build(
        by_place, first, town, default_bands(), YEAR, {}, identities
    )
    more, rules = across_rules(cells, ["harbour", "hill"], "town")
    assert min(more.values()) >= 0  # the reader's rules hold
    across = {k for k in published if k[2] == people.ACROSS}
    assert {k[0] for k in across} == {"town"}  # only above organisations
    assert len(across) == 19  # every calendar period
    protection = protect(cells, relations, THRESHOLD, free=set(cells) - published)
    seen = reader_view(cells, published, protection)
    small = [k for k in across if 0 < cells[k] < THRESHOLD]
    assert small and all(isinstance(seen[k], str) for k in small)
    large = [k for k in across if cells[k] >= THRESHOLD]
    assert large  # the attacker has shown counts across organisations to work from
    knows, rules = {**cells, **more}, relations + rules
    found = attack(knows, rules, seen, labels=False)
    assert {k: s for k, s in found.items() if s[1] - s[0] < THRESHOLD - 1e-6} == {}
    found = attack(knows, rules, seen, labels=True)
    assert {k: s for k, s in found.items() if s[1] - s[0] < 1 - 1e-6} == {}


@pytest.mark.parametrize("seed", range(10, 30))
def test_every_rule_across_organisations_holds_and_the_cells_are_the_counts(seed: int) -> None:
    """At least each organisation's count, at most their sum, at most the visitors, between
    the town and the network, between periods: no gap or overlap is negative, the engine takes
    every relation, and each cell is the count across organisations from the raw visits."""
    by_place, first, identities = across_visits(seed, 14, 50, ["harbour", "hill", "club"])
    cells, relations, _layout, _published = people.build(
        by_place, first, CHILDREN, default_bands(), YEAR, {}, identities
    )
    assert min(cells.values()) >= 0
    protect(cells, relations, THRESHOLD, exact=False)  # every relation adds up
    periods = people.calendar_periods(YEAR)
    for key, period in periods.items():
        for place, below in (("net", ["harbour", "hill", "club"]), ("town", ["harbour", "hill"])):
            expected = across_of(by_place, identities, below, period.start, period.end)
            assert cells[(place, key, people.ACROSS)] == expected
    assert not any(k[2] == people.ACROSS for k in cells if k[0] in ORGANISATION)


def test_across_organisations_is_at_least_each_and_at_most_their_sum() -> None:
    """The rules the reader is told of, on a case by hand: one young person in both
    organisations under one hash, and an organisation with two records of one hash."""
    day = dt.date(YEAR, 3, 2)
    by_place = {
        "harbour": [Visit(n, n, day, 2010, 5, "girl", None, "school") for n in (1, 2, 3)],
        "hill": [Visit(n, n, day, 2010, 5, "girl", None, "school") for n in (4, 5)],
    }
    identities = {
        1: ("harbour", "hash:a"),
        2: ("harbour", "hash:b"),
        3: ("harbour", "hash:b"),  # the same name and month of birth twice in one organisation
        4: ("hill", "hash:a"),
        5: ("hill", "record:5"),
    }
    town = {"town": ["harbour", "hill"], "harbour": [], "hill": []}
    cells, relations, _layout, published = people.build(
        by_place, dict.fromkeys(range(1, 6), day), town, default_bands(), YEAR, {}, identities
    )
    across = ("town", "2026-03", people.ACROSS)
    assert across in published and cells[across] == 3  # a, b and record 5
    assert cells[("town", "2026-03", people.VISITORS)] == 5
    # Harbour: 3 visitors, 2 identities (never published), 1 double.
    assert cells[("harbour", "2026-03", "identities")] == 2
    assert cells[("harbour", "2026-03", "doubles")] == 1
    assert ("harbour", "2026-03", "identities") not in published
    assert cells[("gap", across, ("hill", "2026-03", people.VISITORS))] == 1
    assert cells[("overlap", across, "organisations")] == 1  # 2 + 2 − 3
    protect(cells, relations, THRESHOLD, exact=False)


# Riverside keeps the records of its own centres and holds Bay, an organisation with a centre of
# its own, and a district of two organisations; the network also holds Lakeside.
NESTED: dict = {
    "net": ["riverside", "lakeside"],
    "riverside": ["harbour", "bay", "district"],
    "bay": ["bay_centre"],
    "district": ["north", "south"],
    "lakeside": ["lake"],
}
NESTED.update({leaf: [] for leaf in ("harbour", "bay_centre", "north", "south", "lake")})
KEEPS = {"harbour": "riverside", "bay_centre": "bay", "north": "north", "south": "south"}
KEEPS["lake"] = "lakeside"


@pytest.mark.parametrize("seed", range(40, 52))
def test_the_rules_across_organisations_hold_when_organisations_hold_others(seed: int) -> None:
    rng = random.Random(seed)
    by_place: dict = {leaf: [] for leaf in KEEPS}
    identities: dict = {}
    first: dict = {}
    for n in range(1, 25):
        leaf = rng.choice(list(KEEPS))
        hashed = f"hash:{rng.randint(1, 8)}" if rng.random() < 0.6 else f"record:{n}"
        identities[n] = (KEEPS[leaf], hashed)
        for session in range(rng.randint(1, 3)):
            day = SPRING[0] + dt.timedelta(days=rng.randrange(SPRING[1]))
            by_place[leaf].append(Visit(n, 100 * n + session, day, 2010, 5, "girl", None, ""))
            first[n] = min(first.get(n, day), day)
    cells, relations, _layout, published = people.build(
        by_place, first, NESTED, default_bands(), YEAR, {}, identities
    )
    assert min(cells.values()) >= 0
    protect(cells, relations, THRESHOLD, exact=False)  # every relation adds up
    places = {k[0] for k in published if k[2] == people.ACROSS}
    assert places <= {"net", "riverside", "district"} and "net" in places
    below = {"net": list(KEEPS), "riverside": ["harbour", "bay_centre", "north", "south"]}
    below["district"] = ["north", "south"]
    for key, period in people.calendar_periods(YEAR).items():
        for place in places:
            expected = across_of(by_place, identities, below[place], period.start, period.end)
            assert cells[(place, key, people.ACROSS)] == expected
