"""The exact pass: show by linear programming that no hidden cell can be narrowed, or repair.

The attacker knows every relation, every shown value, which cells are hidden and that counts are
non-negative. What they can learn of a hidden cell is its feasible interval [min, max] under the
relations (the linear-programming relaxation, never narrower than the integer one, which is what
the attacker tests solve). A hidden cell is *covered* when two feasible points are known whose
values for it lie at least the threshold apart: its interval then spans the threshold.

Evidence, cheaply (docs/privacy.md has the measured cost):
- every solution is a feasible point, and widens the interval seen for every cell it moves; a
  covered cell needs nothing more. Hiding more only widens intervals (an old solution, with the
  newly hidden cells at their true values, is still feasible), so a covered cell stays covered
  and after a repair only the cells not yet covered, and the newly hidden ones, are audited;
- hidden cells joined by relations form independent components (shown cells are constants).
  For each component with open cells, batch programmes push all of them at once, each up or
  down, capped where it would be covered (HiGHS's interior-point method: a network-year is one
  component of ~17,000 unknowns, 1-3 s a programme);
- a cell the batches leave open gets programmes of its own, down and up: on its whole component
  when that has at most WHOLE hidden cells (then the repair below is exactly the rule "while a
  cell's interval is narrower than the threshold"), else on its NEIGHBOURHOOD nearest hidden
  cells with all others held at their true values (still feasible points, so still evidence,
  but a cell the neighbourhood cannot free is repaired even if the whole component would have).

A hidden zero (shown as "fewer than N" beside a small count) is no small count: no reader is asked
about it. The readers of the labels also know how zeros are written (see Audit.learn_rules).

A second reader, when `protect` is told of known cells (a worker's own unit, which she also
views from above): the known cells are constants to them, so their programmes leave them out,
and they are asked only about the guarded cells; hiding a known cell is no repair for them.

A cell left without evidence is repaired: the cheapest shown non-zero cell (smallest value, then
the one that spoils fewest relations, then key order) of the relations that bound its own
programmes (non-zero duals), else of the relations nearest it, is hidden, the heuristic runs to
its fixpoint again, and the audit goes on. A cell still open after ESCALATE repairs gets one
more hidden cell in each of its own relations. Only when nothing shown is left in its component
is the cell's exact interval solved on the whole component and, if narrower than the threshold,
reported. For the plain reader that never fires: with every shown value in its relations zero
the relations are homogeneous, so any solution can be scaled and the interval is [0, ∞). For the
informed reader (known cells are constants) and the reader of labels (bounds that do not scale) it
can: a municipality's "fewer than N" and a worker's own count of one of its two units pin the
other unit's. What pins it for a reader of the labels is the labels, so they go (`withhold`): the
hidden cells nearest it read "not shown", bounded by nothing, and are audited again; so they
are, too, where two repairs for a reader of the labels left a cell narrow. What stays narrow
then (only the informed reader without labels could, in principle) is what `Protection.narrowed`
lists; the tests find none.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import coo_matrix, csc_matrix, csr_matrix

from .engine import FREE, PRIMARY, SECONDARY, WITHHELD, Suppression

#: Solutions are feasible up to HiGHS's tolerance (1e-7); a span counts when it is this close.
TOLERANCE = 1e-7
#: A component of up to WHOLE hidden cells is solved whole for each cell left open by the
#: batches; in a larger one, a cell's programme takes in its NEIGHBOURHOOD nearest hidden cells.
WHOLE = 2500
NEIGHBOURHOOD = 300
#: Batch programmes per neighbourhood, and the share of its open cells a batch must cover to go on.
ROUNDS = 12
STAGNANT = 0.05
#: After this many repairs that left a cell uncovered, its next one hides a cell in every relation.
ESCALATE = 2
#: After this many repairs that left a count pinned for a reader of the labels, the labels of its
#: relations go instead ("not shown").
WITHHOLD_AFTER = 3

Interval = tuple[float, float]


@dataclass(frozen=True)
class Narrow:
    """A cell without evidence: the interval its own programmes found, and the relations that
    bound it there (non-zero duals), where hiding one more cell helps most."""

    interval: Interval
    binding: list[int]
    informed: bool = False  # found for the reader who knows the known cells
    labels: bool = False  # found for a reader who reads the labels


@dataclass(frozen=True)
class Programme:
    """The relations that involve `cells`, every other cell held at its true value."""

    cells: np.ndarray  # the unknowns: hidden cells, sorted
    relations: np.ndarray
    matrix: csr_matrix
    rhs: np.ndarray
    # What a reader of the labels also knows (see Audit.rules), as matrix @ x <= rhs.
    at_most: csr_matrix | None = None
    at_most_rhs: np.ndarray | None = None


def repair(suppression: Suppression, *, labels: bool = True) -> dict[int, Interval]:
    """Hide more until every hidden cell is covered; return the cells that cannot be (nothing
    shown is left in their component's relations), with their exact intervals."""
    s = suppression
    audit = Readers.of(s, labels)
    open_cells = sorted(i for i, h in enumerate(s.hidden) if h)
    narrowed: dict[int, Interval] = {}
    settled: set[int] = set()  # stuck cells, their exact intervals worked out
    tries: dict[int, int] = {}  # how many repairs each uncovered cell has had
    while open_cells:
        uncovered = audit.run(open_cells)
        added: list[int] = []
        helped: set[int] = set()  # relations that gained a hidden cell in this round
        for i, narrow in sorted(uncovered.items()):
            if helped.intersection(s.of_cell[i]):
                continue  # a repair for a cell before it reaches this one: audit it again
            late = tries.get(i, 0) >= ESCALATE
            # What pins a count for a reader of the labels and WITHHOLD_AFTER repairs did not
            # free, hiding more seldom frees: the labels of its own relations go (and it is
            # audited again).
            if (
                narrow.labels
                and tries.get(i, 0) >= WITHHOLD_AFTER
                and (withheld := withhold(s, i, farther=False))
            ):
                for j in withheld:
                    helped.update(s.of_cell[j])
                added += withheld
                continue
            chosen = choose(s, i, narrow, escalate=late)
            if not chosen:
                # Nothing shown is left in the component's relations, so no later repair can
                # reach it: work out its exact interval once.
                found = audit.exact(i)
                if found is None:
                    settled.add(i)
                    continue
                interval, by_labels = found
                if by_labels and (withheld := withhold(s, i)):
                    for j in withheld:
                        helped.update(s.of_cell[j])
                    added += withheld
                    continue
                settled.add(i)
                narrowed[i] = interval
                continue
            tries[i] = tries.get(i, 0) + 1
            for choice in chosen:
                # a zero, hidden for a reader of the labels, reads "fewer than N" like a small count
                s.hidden[choice] = SECONDARY if s.values[choice] else PRIMARY
                helped.update(s.of_cell[choice])
            added += chosen
        added += s.complete(added)
        open_cells = sorted({*added, *uncovered} - settled)
    return narrowed


def choose(s: Suppression, cell: int, narrow: Narrow, escalate: bool) -> list[int]:
    """What to hide for an uncovered cell: the cheapest candidate of the relations that bound
    it, else of the nearest relations; when escalating, that of each of its own relations.
    For the informed reader, a known cell is no candidate: hiding it hides nothing from them; for
    a reader of the labels, a shown zero is one (hidden as "fewer than N", it may be 0 to N − 1)."""
    informed, zeros = narrow.informed, narrow.labels
    if escalate:
        choices = {
            s.cheapest(s.candidates([r], informed=informed, zeros=zeros)) for r in s.of_cell[cell]
        }
        if choices - {None}:
            return sorted(choice for choice in choices if choice is not None)
    choice = s.cheapest(s.candidates(narrow.binding, informed=informed, zeros=zeros))
    if choice is None:
        choice = nearest_candidate(s, cell, informed=informed, zeros=zeros)
    return [] if choice is None else [choice]


def withhold(s: Suppression, cell: int, *, farther: bool = True) -> list[int]:
    """Take the labels away from the hidden cells nearest `cell` (its own relations first, then,
    if `farther`, those of the hidden cells they reach): they read "not shown", which bounds
    nothing. Returns the cells relabelled, none when every hidden cell of its component (or of
    its own relations) reads so already. Only widens what any reader can tell: a bound less, and
    a term more in a reader's rule."""
    for relations in layers(s, cell):
        ring = {cell, *(j for r in relations for j in s.members[r] if s.hidden[j])}
        chosen = sorted(j for j in ring if s.hidden[j] not in (WITHHELD, FREE))
        if chosen:
            for j in chosen:
                s.hidden[j] = WITHHELD
            return chosen
        if not farther:
            break
    return []


def nearest_candidate(
    s: Suppression, cell: int, *, informed: bool = False, zeros: bool = False
) -> int | None:
    """The cheapest shown non-zero cell among the relations nearest `cell`: its own relations
    first, then those of the hidden cells they reach, and so on through its component."""
    for relations in layers(s, cell):
        choice = s.cheapest(s.candidates(relations, informed=informed, zeros=zeros))
        if choice is not None:
            return choice
    return None


def layers(s: Suppression, cell: int) -> Iterator[list[int]]:
    """The relations around `cell`, nearest first: its own, then the new ones of the hidden cells
    those reach, and so on through its component."""
    seen_cells = {cell}
    seen_relations: set[int] = set()
    layer = [cell]
    while layer:
        relations = [r for i in layer for r in s.of_cell[i] if r not in seen_relations]
        seen_relations.update(relations)
        yield relations
        layer = []
        for r in relations:
            for j in s.members[r]:
                if s.hidden[j] and j not in seen_cells:
                    seen_cells.add(j)
                    layer.append(j)


@dataclass(frozen=True)
class Readers:
    """Every reader the decision must hold against, each asked about the cells that concern
    it: a cell is open while any of them can narrow it.

    - plain: knows what is shown; every hidden cell must span the threshold;
    - informed (when some cells are known to someone): also knows the known cells; asked about
      the guarded ones;
    - a reader of the labels (`labels`), plain and informed: also knows that "fewer than N" is
      0 to N − 1 and "hidden" N or more; a count shown as "fewer than N" must keep a range of at
      least `label_span(N)` within those bounds.
    """

    readers: tuple[tuple[Audit, bytes | None], ...]  # each audit, and the cells it is asked about

    @classmethod
    def of(cls, s: Suppression, labels: bool) -> Readers:
        guarded = bytes(s.guarded) if any(s.guarded) else None
        readers: list[tuple[Audit, bytes | None]] = [(Audit(s), None)]
        if guarded is not None:
            readers.append((Audit(s, informed=True), guarded))
        if labels:
            readers.append((Audit(s, labels=True), None))
            if guarded is not None:
                readers.append((Audit(s, informed=True, labels=True), guarded))
        # A solution for a reader who knows more is a possible answer for one who knows less.
        for audit, _ in readers:
            audit.feeds = [
                other
                for other, _ in readers
                if other.informed <= audit.informed and other.labels <= audit.labels
            ]
        return cls(tuple(readers))

    def run(self, cells: list[int]) -> dict[int, Narrow]:
        left: dict[int, Narrow] = {}
        for audit, asked in self.readers:
            ours = [i for i in cells if i not in left and (asked is None or asked[i])]
            left.update(audit.run(ours))
        return left

    def exact(self, cell: int) -> tuple[Interval, bool] | None:
        """The exact interval of the first reader who narrows `cell`, and whether that reader
        reads the labels; None when nobody does."""
        for audit, asked in self.readers:
            if asked is None or asked[cell]:
                interval = audit.exact(cell)
                if interval is not None:
                    return interval, audit.labels
        return None


def label_span(threshold: int) -> int:
    """The range a count shown as "fewer than N" keeps for a reader of the labels: 1, so it is
    never pinned to one value (in the linear relaxation, as everywhere in this audit). Not the
    whole label (0 to N − 1): a total labelled "hidden" (N or more) of two counts "fewer than N"
    tells that they are not both 0, and no amount of hiding changes that. Below a threshold of 3
    the label is 0 to 1 and that same total pins both, so nothing is asked (the product's
    thresholds are 3 or more)."""
    return 1 if threshold >= 3 else 0


class Audit:
    """The relations as one sparse matrix, and the interval seen so far for every cell."""

    def __init__(self, s: Suppression, *, informed: bool = False, labels: bool = False) -> None:
        self.s = s
        self.informed = informed  # the reader knows the known cells: to them, constants
        self.labels = labels  # the reader knows the bounds each hidden cell's label gives
        self.feeds: list[Audit] = [self]  # the audits each solution widens
        data, rows, columns = [], [], []
        for r, row in enumerate(s.members):
            for position, i in enumerate(row):
                data.append(1.0 if position == 0 else -1.0)
                rows.append(r)
                columns.append(i)
        matrix = coo_matrix((data, (rows, columns)), shape=(len(s.members), len(s.values)))
        self.by_relation = matrix.tocsr()  # sums a cell that is both total and term
        self.by_relation.eliminate_zeros()
        self.by_cell = self.by_relation.tocsc()
        self.truth = np.array(s.values, dtype=float)
        self.low = self.truth.copy()  # the smallest value seen in a feasible point, and ...
        self.high = self.truth.copy()  # ... the largest: the true values are the first point
        self.rng = np.random.default_rng(0)  # batch directions: a fixed sequence, so repeatable
        self.rules: csr_matrix | None = None
        self.rules_by_cell: csc_matrix | None = None
        # Bounds the rule gives a reader of the labels (see learn_rules): a hidden total is at
        # least 1, and a "fewer than N" beside a zero left shown is 0.
        self.is_total = np.zeros(len(s.values), dtype=bool)
        self.is_total[[row[0] for row in s.members]] = True
        self.at_least_one = np.zeros(len(s.values), dtype=bool)
        self.known_zero = np.zeros(len(s.values), dtype=bool)

    def learn_rules(self) -> None:
        """What a reader of the labels who knows how zeros are labelled can tell (engine.py,
        decoys): a zero reads "fewer than N" only beside a small count, so each cell shown as
        "fewer than N", plus the cells shown so in its relations, adds up to at least 1. A rule
        the true values break (a zero hidden by a repair, with no small count beside it) is a
        wrong guess of that reader, and is left out.

        Two more things follow from the rule, as bounds: a hidden cell is in no relation of
        zeros only (such a zero stays 0), so a hidden total is at least 1; and a zero left shown
        in a relation with a "fewer than N" (not held at 0 by zeros) means that no small count is
        there, so each "fewer than N" in it is a hidden zero, 0."""
        if not self.labels:
            return
        s = self.s
        free = np.frombuffer(s.hidden, dtype=np.uint8) == FREE  # hidden whatever it holds
        self.at_least_one = self.is_total & (self.truth >= 1) & ~free
        self.known_zero[:] = False
        for row in s.members:
            if any(not s.hidden[i] and s.values[i] == 0 and not s.pinned_zero[i] for i in row):
                for i in row:
                    if s.hidden[i] == PRIMARY and s.values[i] == 0:
                        self.known_zero[i] = True
        small = [i for i, h in enumerate(s.hidden) if h == PRIMARY]
        # A "not shown" beside it may be the small count a zero is hidden for, so it counts in
        # the rule; of itself it says nothing, and has no rule of its own.
        flagged = {i for i, h in enumerate(s.hidden) if h in (PRIMARY, WITHHELD)}
        data, rows, columns = [], [], []
        for n, i in enumerate(small):
            beside = {i}
            for r in s.of_cell[i]:
                beside.update(j for j in s.members[r] if j in flagged)
            if sum(s.values[j] for j in beside) < 1:
                continue
            for j in sorted(beside):
                data.append(1.0)
                rows.append(n)
                columns.append(j)
        rules = coo_matrix((data, (rows, columns)), shape=(len(small), len(s.values)))
        self.rules, self.rules_by_cell = rules.tocsr(), rules.tocsc()

    def bounds(self, cells: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """What the reader knows of each cell before solving anything, and the range it must
        keep: [0, ∞) and the threshold; to a reader of the labels, "fewer than N" is [0, N − 1]
        and keeps label_span(N), "hidden" is [N, ∞) and need keep nothing; "not shown" is
        [0, ∞) and, when it is a small count, keeps label_span(N) too."""
        t = self.s.threshold
        labels = np.frombuffer(self.s.hidden, dtype=np.uint8)[cells]
        free = labels == FREE  # [0, ∞), and need keep nothing
        if not self.labels:
            # a hidden zero need keep nothing
            need = np.where((self.truth[cells] > 0) & ~free, float(t), 0.0)
            return np.zeros(cells.size), np.full(cells.size, np.inf), need
        withheld = labels == WITHHELD
        small = (labels == PRIMARY) | (withheld & (self.truth[cells] < t))
        floor = np.where(small | withheld | free, 0.0, float(t))
        ceiling = np.where(labels == PRIMARY, float(t - 1), np.inf)
        # What the rule on zeros tells (see learn_rules); never against the true values.
        floor = np.where(self.at_least_one[cells], np.maximum(floor, 1.0), floor)
        ceiling = np.where(self.known_zero[cells], 0.0, ceiling)
        counted = self.truth[cells] > 0  # a hidden zero is not a small count: it need keep nothing
        return floor, ceiling, np.where(small & counted, float(label_span(t)), 0.0)

    def uncovered(self, cells: np.ndarray) -> np.ndarray:
        need = self.bounds(cells)[2]
        return self.high[cells] - self.low[cells] < need - TOLERANCE

    def covered(self, cell: int) -> bool:
        return not self.uncovered(np.array([cell]))[0]

    def run(self, cells: Iterable[int]) -> dict[int, Narrow]:
        """Look for evidence for each of `cells`; return those without it."""
        self.learn_rules()
        pending = np.array(sorted(cells), dtype=np.int64)
        pending = pending[self.uncovered(pending)]
        left: dict[int, Narrow] = {}
        done = np.zeros(len(self.s.values), dtype=bool)
        for first in pending:
            if done[first]:
                continue
            component = self.programme(self.nearest(np.array([first]), None))
            done[component.cells] = True
            targets = np.intersect1d(component.cells, pending)
            self.batches(component, targets)
            for cell in targets[self.uncovered(targets)]:
                if self.covered(cell):
                    continue  # by a solution for a cell before it
                if component.cells.size <= WHOLE:
                    nearby = component
                else:
                    nearby = self.programme(self.nearest(np.array([cell]), NEIGHBOURHOOD))
                narrow = self.alone(nearby, int(cell))
                if narrow is not None:
                    left[int(cell)] = narrow
        return left

    def exact(self, cell: int) -> Interval | None:
        """The exact interval of `cell` over its whole component, None if it is covered."""
        self.learn_rules()
        narrow = self.alone(self.programme(self.nearest(np.array([cell]), None)), cell)
        return None if narrow is None else narrow.interval

    def nearest(self, seeds: np.ndarray, extra: int | None) -> np.ndarray:
        """The `seeds` and at most `extra` more hidden cells, the nearest first (sharing a
        relation with a seed, then with one of those, ...), sorted; None: their components."""
        hidden = np.frombuffer(self.s.hidden, dtype=np.uint8) != 0
        if self.informed:
            hidden &= np.frombuffer(self.s.known, dtype=np.uint8) == 0
        taken = np.zeros(len(hidden), dtype=bool)
        taken[seeds] = True
        parts, frontier = [seeds], seeds
        while extra is None or extra > 0:
            relations = np.unique(self.by_cell[:, frontier].indices)
            reached = np.unique(self.by_relation[relations].indices)
            new = reached[hidden[reached] & ~taken[reached]]
            if not new.size:
                break
            if extra is not None:
                new = new[:extra]
                extra -= new.size
            taken[new] = True
            parts.append(new)
            frontier = new
        return np.sort(np.concatenate(parts))

    def programme(self, cells: np.ndarray) -> Programme:
        relations = np.unique(self.by_cell[:, cells].indices)
        matrix = self.by_relation[relations][:, cells]
        programme = Programme(cells, relations, matrix, matrix @ self.truth[cells])
        if self.rules is None or self.rules_by_cell is None:
            return programme
        # The rules on these cells, the others held at their true values; a rule those already
        # satisfy says nothing.
        touched = np.unique(self.rules_by_cell[:, cells].indices)
        inside = self.rules[touched][:, cells]
        outside = self.rules[touched] @ self.truth - inside @ self.truth[cells]
        keep = outside < 1 - TOLERANCE
        if not keep.any():
            return programme
        return Programme(
            cells, relations, matrix, programme.rhs, -inside[keep], outside[keep] - 1.0
        )

    def solve(
        self,
        programme: Programme,
        objective: np.ndarray,
        lower: np.ndarray,
        upper: np.ndarray,
        method: str = "highs",
    ) -> tuple[np.ndarray, np.ndarray]:
        """Solve, widen the seen intervals with the solution; the solution and its duals."""
        result = linprog(
            objective,
            A_ub=programme.at_most,
            b_ub=programme.at_most_rhs,
            A_eq=programme.matrix,
            b_eq=programme.rhs,
            bounds=np.column_stack((lower, upper)),
            method=method,
        )
        if result.status != 0:  # the true values are feasible and every programme is bounded
            raise RuntimeError(f"disclosure audit: {result.message}")
        x: np.ndarray = result.x
        cells = programme.cells
        for audit in self.feeds:
            audit.low[cells] = np.minimum(audit.low[cells], x)
            audit.high[cells] = np.maximum(audit.high[cells], x)
        return x, result.eqlin.marginals

    def batches(self, programme: Programme, targets: np.ndarray) -> None:
        """Push every open target at once, each up or down (drawn afresh each round: cells that
        share a relation often have to move opposite ways), capped where it would be covered, so
        the push spreads over many cells and the programme stays finite."""
        cells = programme.cells
        floor, ceiling, need = self.bounds(cells)
        at = np.searchsorted(cells, targets[self.uncovered(targets)])
        for _ in range(ROUNDS):
            if at.size <= 1:
                return  # one cell is better served alone
            keys = cells[at]
            # up where going down alone cannot cover it, else either way
            up = (self.high[keys] - floor[at] < need[at]) | (self.rng.random(at.size) < 0.5)
            objective = np.zeros(cells.size)
            lower, upper = floor.copy(), ceiling.copy()
            objective[at] = np.where(up, -1.0, 1.0)
            upper[at[up]] = np.minimum(ceiling[at[up]], self.low[keys[up]] + need[at[up]])
            lower[at[~up]] = np.maximum(floor[at[~up]], self.high[keys[~up]] - need[at[~up]])
            self.solve(programme, objective, lower, upper, "highs-ipm")
            before = at.size
            at = at[self.uncovered(cells[at])]
            if before - at.size < STAGNANT * before:
                return

    def alone(self, programme: Programme, cell: int) -> Narrow | None:
        """Push `cell` down, then up, capped where it would be covered; None once it is covered,
        else what it found."""
        if self.covered(cell):
            return None
        method = "highs" if programme.cells.size <= WHOLE else "highs-ipm"
        cells = programme.cells
        n = int(np.searchsorted(cells, cell))
        floor, ceiling, need = self.bounds(cells)
        objective = np.zeros(cells.size)
        lower, upper = floor.copy(), ceiling.copy()
        smallest, binding = floor[n], np.zeros(programme.relations.size, dtype=bool)
        if self.low[cell] > floor[n] + TOLERANCE:  # else its lower bound is reached already
            objective[n] = 1.0
            lower[n] = max(floor[n], self.high[cell] - need[n])
            x, duals = self.solve(programme, objective, lower, upper, method)
            if self.covered(cell):
                return None
            smallest, binding = float(x[n]), np.abs(duals) > TOLERANCE
            lower[n] = floor[n]
        objective[n] = -1.0
        upper[n] = min(ceiling[n], self.low[cell] + need[n])
        x, duals = self.solve(programme, objective, lower, upper, method)
        if self.covered(cell):
            return None
        binding |= np.abs(duals) > TOLERANCE
        relations = [int(r) for r in programme.relations[binding]]
        return Narrow((float(smallest), float(x[n])), relations, self.informed, self.labels)
