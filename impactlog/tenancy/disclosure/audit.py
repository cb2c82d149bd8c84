"""The exact pass: show by linear programming that no hidden cell can be narrowed, or repair.

The attacker knows every relation, every shown value, which cells are hidden and that counts are
non-negative. What they can learn of a hidden cell is its feasible interval [min, max] under the
relations (the linear-programming relaxation: never narrower than the integer one, and what the
attacker tests solve). A hidden cell is *covered* when two feasible points are found whose values
for it lie at least the threshold apart: then its interval spans the threshold, whatever else the
attacker does.

Evidence, cheaply:
- hidden cells joined by relations form components, shown cells are constants; a component of a
  network-year is one programme of ~17,000 unknowns that HiGHS needs 5-30 s for, so the audit
  works on *neighbourhoods*: the hidden cells nearest a cell, up to a size, with every other cell
  held at its true value. Every solution of such a programme is a feasible point of the whole
  system, so what it shows is shown for good;
- batches first: around each cell still open, one programme pushes every open cell of the
  neighbourhood at once (each up or down, capped where it would be covered); then the cell alone,
  down and up;
- hiding more only widens intervals (an old solution, with the newly hidden cells at their true
  values, stays feasible), so a covered cell stays covered: after a repair only the cells not yet
  covered, and the newly hidden ones, are audited again.

A cell left without evidence is repaired: one more cell of its relations is hidden (the nearest
shown non-zero cell, smallest value first, then the one that spoils fewest relations, then key
order). Only when nothing shown is left in its component is its exact interval solved on the whole
component: if that is narrower than the threshold the cell is reported as narrowed.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import coo_matrix

from .engine import SECONDARY, Suppression

#: Solutions are feasible up to HiGHS's tolerance (1e-7); a span counts when it is this close.
TOLERANCE = 1e-7
#: How many hidden cells beyond the open ones a batch programme takes in, and beyond the cell
#: a single-cell one: the nearest ones (a component no larger is solved whole).
REGION = 4000
NEIGHBOURHOOD = 2000
#: Batch programmes per neighbourhood, and the share of its open cells a batch must cover to go on.
ROUNDS = 12
STAGNANT = 0.05

Interval = tuple[float, float]


def repair(suppression: Suppression) -> dict[int, Interval]:
    """Hide more until every hidden cell is covered; return the cells that cannot be (nothing
    shown is left in their component's relations), with their exact intervals."""
    s = suppression
    # Two readers: one who knows what is shown, asked about every hidden cell, and one who also
    # knows the known cells, asked about the guarded ones.
    plain, informed = Audit(s), Audit(s, informed=True)

    only_informed: set[int] = set()  # uncovered for the informed reader alone

    class Both:
        @staticmethod
        def run(cells: list[int]) -> list[int]:
            ours = [i for i in cells if s.guarded[i]]
            first = set(plain.run(cells))
            second = set(informed.run(ours) if ours else ()) - first
            only_informed.clear()
            only_informed.update(second)
            return sorted(first | second)

        @staticmethod
        def exact(cell: int) -> Interval | None:
            return plain.exact(cell) or (informed.exact(cell) if s.guarded[cell] else None)

    audit = Both
    open_cells = sorted(i for i, h in enumerate(s.hidden) if h)
    narrowed: dict[int, Interval] = {}
    settled: set[int] = set()  # stuck cells, their exact intervals worked out
    while open_cells:
        uncovered = audit.run(open_cells)
        added: list[int] = []
        helped: set[int] = set()  # relations that gained a hidden cell in this round
        for i in uncovered:
            if helped.intersection(s.of_cell[i]):
                continue  # a repair for a cell before it reaches this one: audit it again
            choice = nearest_candidate(s, i, informed=i in only_informed)
            if choice is None:
                # Nothing shown is left in the component's relations, so no later repair can
                # reach it: work out its exact interval once.
                settled.add(i)
                interval = audit.exact(i)
                if interval is not None:
                    narrowed[i] = interval
                continue
            s.hidden[choice] = SECONDARY
            helped.update(s.of_cell[choice])
            added.append(choice)
        added += s.complete(added)
        open_cells = sorted({*added, *uncovered} - settled)
    return narrowed


def nearest_candidate(s: Suppression, cell: int, *, informed: bool = False) -> int | None:
    """The cheapest shown non-zero cell among the relations nearest `cell`: its own relations
    first, then those of the hidden cells they reach, and so on through its component."""
    seen_cells = {cell}
    seen_relations: set[int] = set()
    layer = [cell]
    while layer:
        relations = [r for i in layer for r in s.of_cell[i] if r not in seen_relations]
        seen_relations.update(relations)
        choice = s.cheapest(s.candidates(relations, informed=informed))
        if choice is not None:
            return choice
        layer = []
        for r in relations:
            for j in s.members[r]:
                if s.hidden[j] and j not in seen_cells:
                    seen_cells.add(j)
                    layer.append(j)
    return None


class Audit:
    """The relations as one sparse matrix, and the interval seen so far for every cell."""

    def __init__(self, s: Suppression, *, informed: bool = False) -> None:
        self.s = s
        self.informed = informed  # the reader knows the known cells: they are constants
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

    def uncovered(self, cells: np.ndarray) -> np.ndarray:
        return self.high[cells] - self.low[cells] < self.s.threshold - TOLERANCE

    def run(self, cells: Iterable[int]) -> list[int]:
        """Look for evidence for each of `cells`; return those without it, in index order."""
        pending = np.array(sorted(cells), dtype=np.int64)
        pending = pending[self.uncovered(pending)]
        left: list[int] = []
        done = np.zeros(len(self.s.values), dtype=bool)
        for cell in pending:
            if done[cell]:
                continue
            component = self.nearest(np.array([cell]), None)
            done[component] = True
            targets = np.intersect1d(component, pending)
            # The open cells and the hidden cells nearest them: the whole component at first,
            # a region around the cells a repair touched afterwards.
            region = self.nearest(targets, REGION)
            self.batches(region, self.programme(region), np.searchsorted(region, targets))
            for n in targets[self.uncovered(targets)]:
                if not self.uncovered(np.array([n]))[0]:
                    continue  # covered by a solution for a cell before it
                nearby = self.nearest(np.array([n]), NEIGHBOURHOOD)
                if self.alone(nearby, self.programme(nearby), int(n)) is not None:
                    left.append(int(n))
        return sorted(left)

    def exact(self, cell: int) -> Interval | None:
        """The exact interval of `cell` over its whole component, None if it is covered."""
        component = self.nearest(np.array([cell]), None)
        return self.alone(component, self.programme(component), cell)

    def nearest(self, seeds: np.ndarray, extra: int | None) -> np.ndarray:
        """The `seeds` and at most `extra` more hidden cells, the nearest first (sharing a
        relation with a seed, then with one of those, ...), sorted; `None`: the components."""
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

    def programme(self, cells: np.ndarray) -> tuple[object, np.ndarray]:
        """The relations that involve `cells`, every other cell held at its true value."""
        relations = np.unique(self.by_cell[:, cells].indices)
        matrix = self.by_relation[relations][:, cells]
        return matrix, matrix @ self.truth[cells]

    def solve(
        self,
        cells: np.ndarray,
        programme: tuple[object, np.ndarray],
        objective: np.ndarray,
        lower: np.ndarray,
        upper: np.ndarray,
        method: str = "highs",
    ) -> np.ndarray:
        matrix, rhs = programme
        result = linprog(
            objective,
            A_eq=matrix,
            b_eq=rhs,
            bounds=np.column_stack((lower, upper)),
            method=method,
        )
        if result.status != 0:  # the true values are feasible and every programme is bounded
            raise RuntimeError(f"disclosure audit: {result.message}")
        x: np.ndarray = result.x
        self.low[cells] = np.minimum(self.low[cells], x)
        self.high[cells] = np.maximum(self.high[cells], x)
        return x

    def batches(
        self, cells: np.ndarray, programme: tuple[object, np.ndarray], targets: np.ndarray
    ) -> None:
        """Push every open cell of the neighbourhood at once, each up or down (drawn afresh each
        round: cells that share a relation often have to move opposite ways), capped where it
        would be covered, so the push spreads over many cells and the programme stays finite."""
        threshold = self.s.threshold
        targets = targets[self.uncovered(cells[targets])]
        for _ in range(ROUNDS):
            if targets.size <= 1:
                return  # one cell is better served alone
            keys = cells[targets]
            up = (self.high[keys] < threshold) | (self.rng.random(targets.size) < 0.5)
            objective = np.zeros(cells.size)
            lower = np.zeros(cells.size)
            upper = np.full(cells.size, np.inf)
            objective[targets] = np.where(up, -1.0, 1.0)
            upper[targets[up]] = self.low[keys[up]] + threshold
            lower[targets[~up]] = self.high[keys[~up]] - threshold
            self.solve(cells, programme, objective, lower, upper, "highs-ipm")
            before = targets.size
            targets = targets[self.uncovered(cells[targets])]
            if before - targets.size < STAGNANT * before:
                return

    def alone(
        self, cells: np.ndarray, programme: tuple[object, np.ndarray], cell: int
    ) -> Interval | None:
        """Push `cell` down, then up, capped where it would be covered; None once it is covered,
        else the smallest and largest values it takes in this programme."""
        threshold = self.s.threshold
        if not self.uncovered(np.array([cell]))[0]:
            return None
        n = int(np.searchsorted(cells, cell))
        objective = np.zeros(cells.size)
        lower = np.zeros(cells.size)
        upper = np.full(cells.size, np.inf)
        smallest = 0.0
        if self.low[cell] > TOLERANCE:  # zero is a lower bound already reached
            objective[n] = 1.0
            lower[n] = max(0.0, self.high[cell] - threshold)
            smallest = float(self.solve(cells, programme, objective, lower, upper)[n])
            if not self.uncovered(np.array([cell]))[0]:
                return None
            lower[n] = 0.0
        objective[n] = -1.0
        upper[n] = self.low[cell] + threshold
        largest = float(self.solve(cells, programme, objective, lower, upper)[n])
        if not self.uncovered(np.array([cell]))[0]:
            return None
        return smallest, largest
