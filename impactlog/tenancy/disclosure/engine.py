"""Decide which counts to hide so that no small number can be read or worked out.

Pure Python and SciPy, no database: the caller gathers every cell a role can reach for one network
and year (every place, every offered period, every breakdown) and every relation between them, and
asks `protect` once. See docs/privacy.md for the rules in plain words.

Model
-----
A *cell* is an opaque, hashable key with a non-negative integer value. A *relation* says one cell
(the total) is the sum of others (the terms): a row or column total, the grand total of a table, a
municipality as the sum of its units, a quarter as the sum of its months. The person who reads the
figures is assumed to know every relation and every shown value, which cells are hidden, and that
counts are non-negative.

Algorithm
---------
1. Primary suppression: every cell with 1 ≤ value < threshold is hidden, shown as "fewer than
   N"; and (with `labels`) so is every zero in a relation with such a cell, unless a relation of
   zeros holds it at 0: "fewer than N" then truly means 0 to N − 1, and a reader cannot take it
   for 1 to N − 1 (in the test municipalities about a fifth of them are zeros).
2. Complementary suppression, to a fixpoint over all relations at once: a relation is *safe* when
   none of its members (the total counts as a member) is hidden, or when at least two are hidden
   and the hidden ones add up to at least three times the threshold (the margin covers what the
   relations around a cell take away; see docs/privacy.md). An unsafe relation hides one more
   member: the smallest non-zero one that is still shown, preferring a cell that does not make
   another relation unsafe, then the key order (so the answer never depends on the input order).
   A relation whose shown members are all zero cannot be helped and is left to its neighbours.
   Hidden zeros count for nothing here, neither as hidden nor as margin: the audit judges them.
3. The exact pass (audit.py, unless `exact=False`): linear programmes look for evidence that
   every hidden cell's feasible interval spans at least the threshold, and that every cell shown
   as "fewer than N" keeps a range of at least 1 (is never pinned) for a reader who also uses the
   labels' bounds; a cell without it gets one more hidden cell in a relation that bounds it (for
   the reader of labels, possibly a zero, then shown as "fewer than N"), step 2 runs again and
   the cells not yet covered are audited again. A cell that a reader of the labels still pins
   with nothing left to hide around it has the labels around it taken away: those hidden cells
   read "not shown" (`Reason.WITHHELD`, no bound at all) and are audited again. A cell that stays
   narrow even so is listed in `Protection.narrowed`.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)

#: The hidden members of a safe relation add up to at least MARGIN × threshold.
MARGIN = 3
#: Raise it with every change that changes what the engine decides: decisions kept by another
#: version are out of date (store.py), and are made again when they are next read.
ENGINE_VERSION = 2  # 2: "not shown" where the labels would pin a count


class Reason(StrEnum):
    """Why a count is hidden."""

    PRIMARY = "primary"  # shown as "fewer than the threshold": a small count, or a zero hidden
    # so that a reader of the labels cannot pin one
    SECONDARY = "secondary"  # hidden so that another hidden count cannot be worked out
    WITHHELD = "withheld"  # shown as "not shown", a label that tells nothing of the count:
    # where even the labels "fewer than N" and "hidden" would let a count be pinned


@dataclass(frozen=True, slots=True)
class Relation(Generic[K]):
    """`total` equals the sum of `terms`."""

    total: K
    terms: tuple[K, ...]

    def __init__(self, total: K, terms: Iterable[K]) -> None:
        object.__setattr__(self, "total", total)
        object.__setattr__(self, "terms", tuple(terms))


@dataclass(frozen=True, slots=True)
class Cell:
    """One protected count: `value` is None when hidden, and `reason` says why."""

    value: int | None
    reason: Reason | None
    threshold: int

    @property
    def hidden(self) -> bool:
        return self.value is None


class Protection(Generic[K]):
    """What may be shown of each cell. Zero stays zero; hidden cells carry their reason."""

    __slots__ = ("_hidden", "_narrowed", "_values", "threshold")

    def __init__(
        self,
        values: Mapping[K, int],
        hidden: Mapping[K, Reason],
        threshold: int,
        narrowed: Mapping[K, tuple[float, float]] | None = None,
    ):
        self._values = dict(values)
        self._hidden = dict(hidden)
        self._narrowed = dict(narrowed or {})
        self.threshold = threshold

    def __getitem__(self, key: K) -> Cell:
        reason = self._hidden.get(key)
        value = None if reason is not None else self._values[key]
        return Cell(value, reason, self.threshold)

    def __contains__(self, key: object) -> bool:
        return key in self._values

    def __len__(self) -> int:
        return len(self._values)

    def value(self, key: K) -> int | None:
        """The count when it may be shown, None when hidden."""
        return None if key in self._hidden else self._values[key]

    def reason(self, key: K) -> Reason | None:
        return self._hidden.get(key)

    @property
    def hidden(self) -> Mapping[K, Reason]:
        return dict(self._hidden)

    @property
    def narrowed(self) -> Mapping[K, tuple[float, float]]:
        """Hidden cells the exact pass could not widen to the threshold, with the interval an
        attacker can still work out: nothing shown was left in their relations to hide. Empty
        when every hidden cell spans at least the threshold (and always empty with exact=False)."""
        return dict(self._narrowed)

    @property
    def shown(self) -> dict[K, int]:
        return {key: value for key, value in self._values.items() if key not in self._hidden}

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Protection)
            and self.threshold == other.threshold
            and self._values == other._values
            and self._hidden == other._hidden
            and self._narrowed == other._narrowed
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (
            f"<Protection threshold={self.threshold} cells={len(self)} hidden={len(self._hidden)}>"
        )


def protect(
    cells: Mapping[K, int],
    relations: Sequence[Relation[K]],
    threshold: int,
    *,
    exact: bool = True,
    labels: bool = True,
    known: Iterable[K] = (),
    guarded: Iterable[K] | None = None,
    free: Iterable[K] = (),
) -> Protection[K]:
    """Hide every count below `threshold` and whatever else it takes to keep them unrecoverable.

    With `exact` (the default, what the product uses) every hidden cell's feasible interval is
    audited and widened to at least the threshold; `exact=False` stops after the heuristic.
    With `labels` (the default) it also holds against a reader who uses what the labels say
    ("fewer than N" is 0 to N − 1, "hidden" is N or more): every count shown as "fewer than N"
    keeps a range of at least 1 within those bounds (no small count pinned); to that end a zero
    may be hidden too, as "fewer than N" (`Reason.PRIMARY`). `labels=False` is for comparison.
    `known` names cells some reader knows exactly although they are hidden from others (the
    figures of a unit, for a worker there who also views its municipality): hiding them protects
    nothing from that reader, so the hidden cells among `guarded` (by default every cell
    not known) are protected also from a reader who knows them all. Leave out of `guarded` what
    such a reader may work out from what they know anyway (the total of the municipality whose
    unit they know, say).
    `free` names cells that are never shown and need no protection of their own: unknowns that
    turn what a reader knows into equalities (the gap between a count of people and a larger one
    it is part of, see logbook/figures/people.py). They count as hidden members of their
    relations, carry no label, and are left out of the result.
    Raises ValueError for a negative or non-integer value, a relation naming an unknown cell, or a
    relation whose total is not the sum of its terms (the attacker would know the true relation).
    """
    if isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < 1:
        raise ValueError(f"the threshold must be a positive integer, not {threshold!r}")
    # Index the cells in key order: every later choice is by index, so the input order is moot.
    keys = sorted(cells, key=repr)
    index = {key: i for i, key in enumerate(keys)}
    values: list[int] = []
    for key in keys:
        value = cells[key]
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"cell {key!r} has {value!r}, not a non-negative integer")
        values.append(value)
    members: set[tuple[int, ...]] = set()  # each row's [0] is the total, then its sorted terms
    for relation in relations:
        try:
            row = (index[relation.total], *sorted(index[term] for term in relation.terms))
        except KeyError as missing:
            raise ValueError(f"relation {relation!r} names an unknown cell {missing}") from None
        if values[row[0]] != sum(values[i] for i in row[1:]):
            raise ValueError(f"relation {relation!r} does not add up")
        if len(row) > 1:
            members.add(row)
    knows = bytearray(len(keys))
    for key in known:
        if key in index:
            knows[index[key]] = 1
    anyone = any(knows)  # without known cells the second reader is the first
    guards = bytearray(1 if anyone and not knows[i] else 0 for i in range(len(keys)))
    if guarded is not None:
        guards = bytearray(len(keys))
        for key in guarded:
            if key in index and not knows[index[key]]:
                guards[index[key]] = 1
    frees = bytearray(len(keys))
    for key in free:
        if key in index:
            frees[index[key]] = 1
    suppression = Suppression(
        values, sorted(members), threshold, knows, guards, decoys=labels, free=frees
    )
    suppression.complete(i for i, h in enumerate(suppression.hidden) if h)
    narrowed: dict[int, tuple[float, float]] = {}
    if exact:
        from .audit import repair  # SciPy is imported only when the exact pass runs

        narrowed = repair(suppression, labels=labels)

    reasons = {PRIMARY: Reason.PRIMARY, SECONDARY: Reason.SECONDARY, WITHHELD: Reason.WITHHELD}
    return Protection(
        {key: values[i] for i, key in enumerate(keys) if not frees[i]},
        {keys[i]: reasons[h] for i, h in enumerate(suppression.hidden) if h and h != FREE},
        threshold,
        {keys[i]: interval for i, interval in sorted(narrowed.items())},
    )


SHOWN, PRIMARY, SECONDARY, WITHHELD = 0, 1, 2, 3
FREE = 4  # never shown, no label, needs no protection of its own (see `protect`'s `free`)


class Suppression:
    """The cells by index, the relations between them, and what is hidden so far."""

    def __init__(
        self,
        values: Sequence[int],
        members: Sequence[tuple[int, ...]],
        threshold: int,
        known: bytearray | None = None,
        guarded: bytearray | None = None,
        *,
        decoys: bool = False,
        free: bytearray | None = None,
    ):
        self.values = values
        self.free = free if free is not None else bytearray(len(values))
        # The cells to protect from a reader who knows the known ones (see `protect`).
        self.guarded = guarded if guarded is not None else bytearray(len(values))
        # Cells some reader knows exactly: never a candidate, and not a hidden cell to them.
        self.known = known if known is not None else bytearray(len(values))
        self.members = members  # members[r][0] is the total of relation r
        self.threshold = threshold
        self.of_cell: list[list[int]] = [[] for _ in values]
        for r, row in enumerate(members):
            for i in row:
                self.of_cell[i].append(r)
        self.hidden = bytearray(
            FREE if self.free[i] else PRIMARY if 0 < value < threshold else SHOWN
            for i, value in enumerate(values)
        )
        # A zero in a relation of zeros only is held at 0 by it: hiding it would give no room.
        self.pinned_zero = bytearray(
            1 if value == 0 and any(not any(values[j] for j in members[r]) for r in rels) else 0
            for value, rels in zip(values, self.of_cell, strict=True)
        )
        if decoys:
            # A zero beside a small count reads "fewer than N" too (unless a relation of zeros
            # holds it at 0): then "fewer than N" is truly 0 to N − 1 and nobody can tell which.
            for row in members:
                if any(0 < values[i] < threshold and not self.free[i] for i in row):
                    for i in row:
                        if values[i] == 0 and not self.pinned_zero[i] and not self.free[i]:
                            self.hidden[i] = PRIMARY

    def unsafe(self, r: int) -> bool:
        return self.unsafe_to(r) is not None

    def unsafe_to(self, r: int) -> str | None:
        """Whom relation r gives a hidden member away to: "plain", a reader who knows no more
        than is shown; "informed", one who also knows the known cells; None when nobody."""
        count = mass = count_unknown = mass_unknown = 0
        if not any(self.hidden[i] and self.values[i] and not self.free[i] for i in self.members[r]):
            return None  # nothing in it to protect (a free cell needs no company)
        for i in self.members[r]:
            # A hidden zero neither needs protection nor gives any: the audit judges it.
            if self.hidden[i] and self.values[i]:
                count += 1
                mass += self.values[i]
                if not self.known[i]:
                    count_unknown += 1
                    mass_unknown += self.values[i]
        need = MARGIN * self.threshold
        if count > 0 and (count < 2 or mass < need):
            return "plain"
        if count_unknown > 0 and (count_unknown < 2 or mass_unknown < need):
            return "informed"
        return None

    def harm(self, i: int) -> int:
        """How many relations of cell i would turn unsafe if it were hidden."""
        hidden = self.hidden
        values = self.values
        return sum(
            1 for r in self.of_cell[i] if not any(hidden[j] and values[j] for j in self.members[r])
        )

    def candidates(
        self, relations: Iterable[int], *, informed: bool = False, zeros: bool = False
    ) -> Iterator[int]:
        """The shown members of these relations that could be hidden next: non-zero ones (and
        zeros, when they may be hidden as "fewer than N", but not one that a relation of zeros
        holds at 0), not a known cell when it is to protect from a reader who knows them."""
        for r in relations:
            for i in self.members[r]:
                if self.hidden[i] or (informed and self.known[i]):
                    continue
                if self.values[i] > 0 or (zeros and not self.pinned_zero[i]):
                    yield i

    def cheapest(self, candidates: Iterable[int]) -> int | None:
        """The smallest value, then the fewest relations spoilt, then the key order."""
        return min(set(candidates), key=lambda i: (self.values[i], self.harm(i), i), default=None)

    def complete(self, cells: Iterable[int]) -> list[int]:
        """Complementary suppression to a fixpoint over the relations of `cells`; returns the
        cells it hid."""
        added: list[int] = []
        queue = deque(sorted({r for i in cells for r in self.of_cell[i]}))
        queued = set(queue)
        while queue:
            r = queue.popleft()
            queued.discard(r)
            while (whom := self.unsafe_to(r)) is not None:
                choice = self.cheapest(self.candidates([r], informed=whom == "informed"))
                if choice is None:
                    break
                self.hidden[choice] = SECONDARY
                added.append(choice)
                for other in self.of_cell[choice]:
                    if other != r and other not in queued:
                        queued.add(other)
                        queue.append(other)
        return added
