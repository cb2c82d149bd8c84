"""The disclosure engine against an attacker who solves linear programmes.

The attacker knows every shown count, every relation between the cells and that counts are
non-negative; for each hidden cell they minimise and maximise it (SciPy's HiGHS, the LP relaxation
of the integer problem, which can only widen the interval). Protection holds when every hidden
cell's interval spans at least the threshold. No database: these tests need no `db`.
"""

from __future__ import annotations

import math
import random
from collections.abc import Hashable, Mapping, Sequence

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import coo_matrix

from impactlog.tenancy import disclosure
from impactlog.tenancy.disclosure import (
    WITHOUT,
    Protection,
    Reason,
    Relation,
    calendar_year,
    linked_tables,
    protect,
    table,
)

# The engine is pure: no database, so these run once, in the SQLite pass of `make test`.
pytestmark = pytest.mark.pure

GENDERS = ("girls", "boys", "non_binary", "not_stated")
BANDS = ("u13", "13_15", "16_18", "19_24", "25_29", "unknown")


def intervals(
    cells: Mapping[Hashable, int],
    relations: Sequence[Relation],
    protection: Protection,
    *,
    labels: bool = False,
    enough: float | None = None,
    integer: bool = False,
) -> dict[Hashable, tuple[float, float]]:
    """The attacker: each hidden cell's feasible interval, one pair of LPs per cell, solved on the
    connected part of the hidden cells it belongs to. With `labels`, the attacker also reads the
    labels: "fewer than N" is 0 to N − 1, "hidden" is N or more, and a zero is written "fewer
    than N" only beside a small count, so each "fewer than N" plus those in its relations is at
    least 1 (where that guess is true); only the cells shown as "fewer than N" are asked about
    (how far they can be narrowed below what the label says). Hidden zeros are not asked about:
    they are no small count. A cell's programmes stop once its range is `enough` (by default the
    threshold, or the label's N − 1). With `integer`, the attacker also uses that counts are whole
    numbers (mixed-integer programmes, SciPy's `milp`, HiGHS's branch and bound): each push is
    capped where it would reach `enough`, so every programme is bounded."""
    t = protection.threshold
    hidden = sorted(protection.hidden, key=repr)
    if not hidden:
        return {}
    column = {key: i for i, key in enumerate(hidden)}
    # Union-find of hidden cells that share a relation.
    parent = list(range(len(hidden)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    rows: list[tuple[dict[int, int], int]] = []  # coefficients on hidden cells, right-hand side
    for relation in relations:
        coefficients: dict[int, int] = {}
        rhs = 0
        for sign, key in [(1, relation.total), *((-1, term) for term in relation.terms)]:
            if key in column:
                coefficients[column[key]] = coefficients.get(column[key], 0) + sign
            else:
                rhs -= sign * cells[key]
        coefficients = {i: c for i, c in coefficients.items() if c}
        if coefficients:
            rows.append((coefficients, rhs))
            first, *others = coefficients
            for other in others:
                parent[find(other)] = find(first)
    components: dict[int, list[int]] = {}
    for i in range(len(hidden)):
        components.setdefault(find(i), []).append(i)
    rows_of: dict[int, list[tuple[dict[int, int], int]]] = {}
    for coefficients, rhs in rows:
        rows_of.setdefault(find(next(iter(coefficients))), []).append((coefficients, rhs))
    guesses_of: dict[int, list[list[int]]] = {}  # the reader's guess, as cells adding up to ≥ 1
    if labels:
        flagged = {key for key in hidden if protection.reason(key) is Reason.PRIMARY}
        # A "not shown" may be the small count beside a zero: it counts in the guess.
        beside = flagged | {k for k in hidden if protection.reason(k) is Reason.WITHHELD}
        around: dict[Hashable, set] = {key: {key} for key in flagged}
        for relation in relations:
            together = beside.intersection((relation.total, *relation.terms))
            for key in flagged.intersection(together):
                around[key] |= together
        for key, group in around.items():
            if sum(cells[k] for k in group) >= 1:
                guesses_of.setdefault(find(column[key]), []).append([column[k] for k in group])
    # More the rule tells: a hidden cell is in no relation of zeros, so a hidden total is at least
    # 1; and a zero left shown beside a "fewer than N" (not held at 0 by zeros) means it is 0.
    # Like the guesses above, only where true (see assert_zeros_follow_the_rule for the engine).
    at_least_one: set[Hashable] = set()
    must_be_zero: set[Hashable] = set()
    if labels:
        hidden_set = set(hidden)
        held = set()
        for relation in relations:
            members_ = (relation.total, *relation.terms)
            if not any(cells[k] for k in members_):
                held.update(members_)
            if relation.total in hidden_set and cells[relation.total] >= 1:
                at_least_one.add(relation.total)
        for relation in relations:
            members_ = (relation.total, *relation.terms)
            if any(k not in hidden_set and cells[k] == 0 and k not in held for k in members_):
                must_be_zero.update(k for k in members_ if k in flagged and cells[k] == 0)

    found: dict[Hashable, tuple[float, float]] = {}
    for root, members in components.items():
        local = {i: n for n, i in enumerate(members)}
        equations = rows_of.get(root, [])
        if not equations:
            for i in members:
                found[hidden[i]] = (0.0, math.inf)
            continue
        data, r_idx, c_idx, b = [], [], [], []
        for r, (coefficients, rhs) in enumerate(equations):
            for i, c in coefficients.items():
                data.append(c)
                r_idx.append(r)
                c_idx.append(local[i])
            b.append(rhs)
        a_eq = coo_matrix((data, (r_idx, c_idx)), shape=(len(equations), len(members))).tocsr()
        guesses = guesses_of.get(root, [])
        a_ub = b_ub = None
        if guesses:
            a_ub = np.zeros((len(guesses), len(members)))
            for g, group in enumerate(guesses):
                a_ub[g, [local[i] for i in group]] = -1.0
            b_ub = np.full(len(guesses), -1.0)
        # Every solution is a feasible point: a cell whose values seen so far already span the
        # threshold needs no programme of its own (the interval can only be wider).
        truth = np.array([cells[hidden[i]] for i in members], dtype=float)
        seen_low, seen_high = truth.copy(), truth.copy()
        reasons = [protection.reason(hidden[i]) for i in members]
        # What each label says: "fewer than N" 0 to N − 1, "hidden" N or more, "not shown" nothing.
        said = {Reason.PRIMARY: (0, t - 1), Reason.SECONDARY: (t, None), Reason.WITHHELD: (0, None)}
        bounds = [said[reason] if labels else (0, None) for reason in reasons]
        # Asked about: each count shown as "fewer than N", and each small one "not shown".
        small = [
            reason is Reason.PRIMARY or (reason is Reason.WITHHELD and truth[n] < t)
            for n, reason in enumerate(reasons)
        ]
        for n, i in enumerate(members):
            if hidden[i] in must_be_zero:
                bounds[n] = (0, 0)
            elif hidden[i] in at_least_one:
                bounds[n] = (max(1, bounds[n][0]), bounds[n][1])
        if enough is None:
            enough = t - 1 if labels else t
        for i in members:
            n = local[i]
            if (labels and not small[n]) or truth[n] == 0:
                continue
            for sign in (1.0, -1.0):
                if seen_high[n] - seen_low[n] >= enough:
                    break
                objective = np.zeros(len(members))
                objective[n] = sign
                if integer:
                    x = _integer_point(
                        objective, a_eq, b, a_ub, b_ub, bounds, n, sign, seen_low, seen_high, enough
                    )
                    np.minimum(seen_low, x, out=seen_low)
                    np.maximum(seen_high, x, out=seen_high)
                    continue
                result = linprog(
                    objective,
                    A_ub=a_ub,
                    b_ub=b_ub,
                    A_eq=a_eq,
                    b_eq=b,
                    bounds=bounds,
                    method="highs",
                )
                if result.status == 3:  # unbounded: only when maximising
                    seen_high[n] = math.inf
                    continue
                assert result.status == 0, result.message  # the true values are feasible
                np.minimum(seen_low, result.x, out=seen_low)
                np.maximum(seen_high, result.x, out=seen_high)
            found[hidden[i]] = (float(seen_low[n]), float(seen_high[n]))
    return found


def _integer_point(objective, a_eq, b_eq, a_ub, b_ub, bounds, n, sign, low, high, enough):
    """A whole-number solution pushing cell n down (sign 1) or up (-1), capped at `enough`."""
    lower = np.array([bound[0] for bound in bounds], dtype=float)
    upper = np.array([np.inf if bound[1] is None else bound[1] for bound in bounds], dtype=float)
    if sign > 0:
        lower[n] = max(lower[n], high[n] - enough)
    else:
        upper[n] = min(upper[n], low[n] + enough)
    constraints = [LinearConstraint(a_eq, b_eq, b_eq)]
    if a_ub is not None:
        constraints.append(LinearConstraint(a_ub, -np.inf, b_ub))
    result = milp(
        objective,
        constraints=constraints,
        integrality=np.ones(len(objective)),
        bounds=Bounds(lower, upper),
    )
    assert result.status == 0, result.message  # the true values are a whole-number solution
    return np.round(result.x)


def recoverable(
    cells, relations, protection: Protection, *, integer: bool = False
) -> dict[Hashable, tuple[float, float]]:
    """Hidden cells whose interval is narrower than the threshold."""
    return {
        key: (low, high)
        for key, (low, high) in intervals(cells, relations, protection, integer=integer).items()
        if high - low < protection.threshold - 1e-6
    }


def pinned_by_labels(cells, relations, protection: Protection, *, integer: bool = False) -> dict:
    """Counts shown as "fewer than N" that a reader of the labels works out exactly."""
    spans = intervals(cells, relations, protection, labels=True, enough=1, integer=integer)
    return {key: span for key, span in spans.items() if span[1] - span[0] < 1 - 1e-6}


def assert_no_small_count_shown(cells: Mapping, protection: Protection) -> None:
    for key, value in cells.items():
        cell = protection[key]
        if cell.reason is Reason.WITHHELD:  # "not shown", whatever it is
            continue
        if 0 < value < protection.threshold:
            assert cell.hidden and cell.reason is Reason.PRIMARY, key
        elif cell.hidden:  # a zero as "fewer than N" (for a reader of the labels), else "hidden"
            assert cell.reason is (Reason.PRIMARY if value == 0 else Reason.SECONDARY), key
        else:
            assert cell.value == value, key


def assert_zeros_follow_the_rule(cells: Mapping, relations, protection: Protection) -> None:
    """What the page says of zeros, which the reader of labels relies on: a zero beside a small
    count reads "fewer than N" unless a relation of zeros holds it at 0, and no hidden cell is
    in a relation of zeros only."""
    t = protection.threshold
    held = set()
    for relation in relations:
        members = (relation.total, *relation.terms)
        if not any(cells[k] for k in members):
            held.update(members)
    assert not held & set(protection.hidden)
    for relation in relations:
        members = (relation.total, *relation.terms)
        if any(0 < cells[k] < t for k in members):
            for k in members:
                if cells[k] == 0 and k not in held:
                    assert protection.reason(k) in (Reason.PRIMARY, Reason.WITHHELD), (k, relation)


def single_table(grid: Mapping[tuple[str, str], int], without: int, rows, cols):
    """One gender × band table with its margins and the count without a breakdown."""
    cells: dict[tuple, int] = {(r, c): grid[(r, c)] for r in rows for c in cols}
    for r in rows:
        cells[(r, None)] = sum(grid[(r, c)] for c in cols)
    for c in cols:
        cells[(None, c)] = sum(grid[(r, c)] for r in rows)
    cells[(WITHOUT, WITHOUT)] = without
    cells[(None, None)] = sum(grid.values()) + without
    return cells, table(lambda r, c: (r, c), rows, cols, without=[(WITHOUT, WITHOUT)])


# Small counts are what matter: most cells below 12, some large ones to hide behind.
counts = st.one_of(st.integers(0, 6), st.integers(0, 12), st.integers(0, 60))


@st.composite
def tables(draw):
    rows = GENDERS[: draw(st.integers(1, len(GENDERS)))]
    cols = BANDS[: draw(st.integers(1, len(BANDS)))]
    grid = {(r, c): draw(counts) for r in rows for c in cols}
    return single_table(grid, draw(counts), rows, cols), draw(st.sampled_from([3, 5, 15]))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables())
def test_no_hidden_count_can_be_worked_out_within_a_table(drawn) -> None:
    (cells, relations), threshold = drawn
    protection = protect(cells, relations, threshold)
    assert_no_small_count_shown(cells, protection)
    assert_zeros_follow_the_rule(cells, relations, protection)
    assert recoverable(cells, relations, protection) == {}
    # Not even what the labels say pins a count: where they would (at threshold 3, two counts of
    # 1 in a total "fewer than 3", each also a column's total and so at least 1), the labels
    # around it read "not shown".
    assert pinned_by_labels(cells, relations, protection) == {}
    assert protection.narrowed == {}
    # nor for an attacker who also uses that counts are whole numbers
    assert recoverable(cells, relations, protection, integer=True) == {}
    assert pinned_by_labels(cells, relations, protection, integer=True) == {}


def municipality(seed: int, units: int = 3):
    """A municipality of a few units and a year of random monthly counts, every table linked."""
    rng = random.Random(seed)
    monthly = {}
    for u in range(units):
        scale = rng.choice([1, 3, 8, 30])
        for month in range(1, 13):
            counts = {(g, b): int(rng.expovariate(1 / scale)) for g in GENDERS for b in BANDS}
            counts[(WITHOUT, WITHOUT)] = int(rng.expovariate(1 / scale))
            monthly[(f"unit-{u}", month)] = counts
    children = {"muni": [f"unit-{u}" for u in range(units)]}
    return linked_tables(monthly, children, 2024, GENDERS, BANDS)


# Fixed municipalities rather than generated ones: the result is the same on every run, and a
# failing case is not shrunk for minutes on every CI run.
MUNICIPALITIES = [(0, 2), (1, 3), (2, 2), (3, 3), (235, 3)]


def test_no_hidden_count_can_be_worked_out_across_places_and_periods() -> None:
    """Every hidden count, small or hidden to cover one, keeps a range of at least the threshold,
    in every table a coordinator can ask for of a municipality and a year, and no count shown as
    "fewer than 5" is pinned by a reader who also uses the labels; the exact pass only ever adds
    to what the heuristic hides."""
    found, pinned, listed = {}, {}, {}
    for seed, units in MUNICIPALITIES:
        cells, relations = municipality(seed, units)
        protection = protect(cells, relations, 5)
        assert_no_small_count_shown(cells, protection)
        assert_zeros_follow_the_rule(cells, relations, protection)
        assert set(protect(cells, relations, 5, exact=False).hidden) <= set(protection.hidden)
        found[(seed, units)] = recoverable(cells, relations, protection)
        listed[(seed, units)] = protection.narrowed
        pinned[(seed, units)] = pinned_by_labels(cells, relations, protection)
    assert {where: narrow for where, narrow in found.items() if narrow} == {}
    # What the labels alone would pin (four counts "fewer than 5", each a total and so at least
    # 1, in a total "fewer than 5"), no hiding frees: the labels around them read "not shown",
    # and then nothing is pinned, nothing is left narrow.
    assert {where: exact for where, exact in pinned.items() if exact} == {}
    assert {where: narrow for where, narrow in listed.items() if narrow} == {}


def test_a_reader_of_the_labels_would_pin_a_small_count_without_their_check() -> None:
    """Why the exact pass also reads the labels: checked only against the plain attacker,
    municipality (0, 2) has a count shown as "fewer than 5" that "fewer than 5" and "hidden"
    (N or more) beside it pin exactly."""
    cells, relations = municipality(0, 2)
    protection = protect(cells, relations, 5, labels=False)
    assert recoverable(cells, relations, protection) == {}
    pinned = pinned_by_labels(cells, relations, protection)
    assert pinned
    assert all(0 < cells[key] < 5 for key in pinned)


def test_the_heuristic_alone_lets_a_small_count_be_pinned() -> None:
    """Issue 9: without the exact pass, a girls' count of 2 (one unit, one month) is worked out
    exactly from the linked tables of municipality 235 (zeros written as they are: the zeros
    written "fewer than 5" beside small counts happen to free this one)."""
    cells, relations = municipality(235, 3)
    protection = protect(cells, relations, 5, exact=False, labels=False)
    narrow = _narrowed_small(cells, recoverable(cells, relations, protection))
    key = ("unit-2", "2024-10", "girls", None)
    assert cells[key] == 2
    assert narrow[key] == pytest.approx((2.0, 2.0))


def _narrowed_small(
    cells: Mapping[Hashable, int], narrow: Mapping[Hashable, tuple[float, float]]
) -> dict[Hashable, tuple[float, float]]:
    """Small counts the attacker narrows to less than "fewer than 5" says (1..4)."""
    return {
        key: (low, high)
        for key, (low, high) in narrow.items()
        if 0 < cells[key] < 5 and (low > 1 + 1e-6 or high < 4 - 1e-6)
    }


def test_a_count_with_nothing_left_to_hide_around_it_is_still_covered() -> None:
    """The total of a small count and a zero: all three "fewer than 5" (the zero beside the small
    count too), nothing shown left to hide, and yet the attacker only learns that the small
    count is the total less the zero."""
    cells = {"total": 3, "small": 3, "zero": 0}
    relations = [Relation("total", ["small", "zero"])]
    protection = protect(cells, relations, 5)
    assert protection.hidden == dict.fromkeys(("total", "small", "zero"), Reason.PRIMARY)
    assert protection.narrowed == {}
    assert recoverable(cells, relations, protection) == {}


def test_the_one_day_and_subtraction_attacks_fail() -> None:
    """The issue's attacks: a municipality minus its other units, a quarter minus two months."""
    cells, relations = municipality(7, units=2)
    protection = protect(cells, relations, 5)
    # A unit's small count is hidden, and so is enough around it that subtraction cannot undo it.
    small = [k for k, v in cells.items() if 0 < v < 5 and k[0] == "unit-0" and k[1] == "2024-02"]
    assert small
    for key in small:
        assert protection.value(key) is None
        node, period, row, col = key
        siblings = [(n, period, row, col) for n in ("muni", "unit-1")]
        months = [(node, p, row, col) for p in ("2024-Q1", "2024-01", "2024-03")]
        assert None in {protection.value(k) for k in siblings}
        assert None in {protection.value(k) for k in months}


def test_zero_stays_zero_and_small_counts_say_fewer_than_the_threshold() -> None:
    bands = ("u13", "13_15", "16_18", "19_24")
    grid = dict(zip((("girls", band) for band in bands), (0, 2, 6, 40), strict=True))
    grid |= dict(zip((("boys", band) for band in bands), (9, 20, 15, 0), strict=True))
    grid |= {("non_binary", band): 0 for band in bands}
    rows = ("girls", "boys", "non_binary")
    cells, relations = single_table(grid, without=7, rows=rows, cols=bands)
    protection = protect(cells, relations, 5)
    # A zero in a relation with a small count (its row, or the table's total of all cells) reads
    # "fewer than 5" like it: nobody can tell which is the zero (a reader could otherwise take
    # every "fewer than 5" for 1 to 4) ...
    assert protection[("girls", "u13")].reason is Reason.PRIMARY
    assert protection[("boys", "19_24")].reason is Reason.PRIMARY
    # ... but not one that a row of zeros holds at 0, nor for the comparison without labels.
    assert [protection.value(("non_binary", band)) for band in bands] == [0] * 4
    assert protect(cells, relations, 5, labels=False).value(("girls", "u13")) == 0
    assert protection[("girls", "13_15")].reason is Reason.PRIMARY
    assert protection[("girls", "13_15")].threshold == 5
    assert protection.value(("boys", "13_15")) is None or protection.value(("girls", None)) is None
    assert recoverable(cells, relations, protection) == {}


def test_nothing_small_nothing_hidden() -> None:
    cells, relations = single_table(
        {(g, b): 10 + i for i, (g, b) in enumerate((g, b) for g in GENDERS for b in BANDS)},
        without=0,
        rows=GENDERS,
        cols=BANDS,
    )
    protection = protect(cells, relations, 5)
    assert protection.hidden == {}
    assert protection.shown == cells


def test_the_same_answer_twice_and_whatever_the_order_of_the_input() -> None:
    cells, relations = municipality(3, units=3)
    first = protect(cells, relations, 5)
    assert protect(cells, relations, 5) == first
    shuffled_cells = list(cells.items())
    shuffled_relations = list(relations)
    rng = random.Random(1)
    rng.shuffle(shuffled_cells)
    rng.shuffle(shuffled_relations)
    shuffled_relations = [
        Relation(r.total, rng.sample(r.terms, len(r.terms))) for r in shuffled_relations
    ]
    assert protect(dict(shuffled_cells), shuffled_relations, 5) == first


@pytest.mark.parametrize(
    ("cells", "relations", "threshold"),
    [
        ({"a": -1}, [], 5),
        ({"a": 1.5}, [], 5),
        ({"a": 1}, [Relation("a", ["b"])], 5),
        ({"a": 1, "b": 2}, [Relation("a", ["b"])], 5),
        ({"a": 1}, [], 0),
    ],
)
def test_bad_input_is_refused(cells, relations, threshold) -> None:
    with pytest.raises(ValueError):
        protect(cells, relations, threshold)


def test_the_calendar_offers_months_quarters_halves_and_the_year() -> None:
    periods = calendar_year(2024)
    assert len(periods) == 19
    assert periods["2024"] == ("2024-H1", "2024-H2")
    assert periods["2024-H2"] == ("2024-Q3", "2024-Q4")
    assert periods["2024-Q2"] == ("2024-04", "2024-05", "2024-06")
    assert periods["2024-12"] == ()


def test_the_attacker_bites_when_the_complementary_step_is_dropped(monkeypatch) -> None:
    """Without complementary suppression, a hidden cell is recovered from its row total."""
    cells, relations = single_table(
        {("girls", "u13"): 2, ("girls", "13_15"): 9, ("boys", "u13"): 8, ("boys", "13_15"): 20},
        without=0,
        rows=("girls", "boys"),
        cols=("u13", "13_15"),
    )
    only_primary = Protection(cells, {k: Reason.PRIMARY for k, v in cells.items() if 0 < v < 5}, 5)
    assert recoverable(cells, relations, only_primary) == {("girls", "u13"): (2.0, 2.0)}
    assert recoverable(cells, relations, only_primary, integer=True) == {
        ("girls", "u13"): (2.0, 2.0)
    }
    monkeypatch.setattr(disclosure.engine, "MARGIN", 1)
    assert recoverable(cells, relations, protect(cells, relations, 5)) == {}


def test_a_reader_who_knows_how_zeros_are_written_is_checked_too(monkeypatch) -> None:
    """A zero reads "fewer than 5" only beside a small count, so a "fewer than 5" with none
    beside it is at least 1. One girls' row of 5, 1 and four more 5s (no zero, no breakdown
    missing): checked without that rule, the 1 is worked out; with it, it is not."""
    bands = BANDS
    grid = dict(zip((("girls", band) for band in bands), (5, 1, 5, 5, 5, 5), strict=True))
    cells, relations = single_table(grid, without=0, rows=("girls",), cols=bands)
    assert pinned_by_labels(cells, relations, protect(cells, relations, 5)) == {}
    monkeypatch.setattr(disclosure.audit.Audit, "learn_rules", lambda self: None)
    assert ("girls", "13_15") in pinned_by_labels(cells, relations, protect(cells, relations, 5))
