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
from impactlog.tenancy.disclosure import Protection, protect

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
