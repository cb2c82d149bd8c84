"""Decide which counts to hide so that no small number can be read or worked out.

Pure Python, no database: the caller gathers every cell a role can reach for one network and year
(every place, every offered period, every breakdown) and every relation between them, and asks
`protect` once. See docs/privacy.md for the rules in plain words.

Model
-----
A *cell* is an opaque, hashable key with a non-negative integer value. A *relation* says one cell
(the total) is the sum of others (the terms): a row or column total, the grand total of a table, a
municipality as the sum of its units, a quarter as the sum of its months. The person who reads the
figures is assumed to know every relation and every shown value, and that counts are non-negative
integers.

Algorithm
---------
1. Primary suppression: every cell with 1 ≤ value < threshold is hidden.
2. Complementary suppression, to a fixpoint over all relations at once: a relation is *safe* when
   none of its members (the total counts as a member) is hidden, or when at least two are hidden
   and the hidden ones add up to at least three times the threshold (the margin covers what the
   relations around a cell take away; see docs/privacy.md). An unsafe relation hides one more
   member: the smallest non-zero one that is still shown, preferring a cell that does not make
   another relation unsafe, then the key order (so the answer never depends on the input order).
   A relation whose shown members are all zero cannot be helped and is left to its neighbours.
3. The attacker tests (tests/test_disclosure_engine.py) solve the linear programmes the engine
   does not: every hidden cell's feasible interval spans at least the threshold.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)

#: The hidden members of a safe relation add up to at least MARGIN × threshold.
MARGIN = 3


class Reason(StrEnum):
    """Why a count is hidden."""

    PRIMARY = "primary"  # fewer than the threshold
    SECONDARY = "secondary"  # hidden so that another hidden count cannot be worked out


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

    __slots__ = ("_hidden", "_values", "threshold")

    def __init__(self, values: Mapping[K, int], hidden: Mapping[K, Reason], threshold: int):
        self._values = dict(values)
        self._hidden = dict(hidden)
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
    def shown(self) -> dict[K, int]:
        return {key: value for key, value in self._values.items() if key not in self._hidden}

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Protection)
            and self.threshold == other.threshold
            and self._values == other._values
            and self._hidden == other._hidden
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (
            f"<Protection threshold={self.threshold} cells={len(self)} hidden={len(self._hidden)}>"
        )


def protect(
    cells: Mapping[K, int], relations: Sequence[Relation[K]], threshold: int
) -> Protection[K]:
    """Hide every count below `threshold` and whatever else it takes to keep them unrecoverable.

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
    members: list[tuple[int, ...]] = []  # members[r][0] is the total
    seen: set[tuple[int, ...]] = set()
    for relation in relations:
        try:
            row = (index[relation.total], *(index[term] for term in relation.terms))
        except KeyError as missing:
            raise ValueError(f"relation {relation!r} names an unknown cell {missing}") from None
        if values[row[0]] != sum(values[i] for i in row[1:]):
            raise ValueError(f"relation {relation!r} does not add up")
        if len(row) > 1 and row not in seen:
            seen.add(row)
            members.append(row)
    members.sort()  # relations in a fixed order too
    of_cell: list[list[int]] = [[] for _ in keys]
    for r, row in enumerate(members):
        for i in row:
            of_cell[i].append(r)

    hidden = bytearray(len(keys))  # 0 shown, 1 primary, 2 secondary
    for i, value in enumerate(values):
        if 0 < value < threshold:
            hidden[i] = 1
    need = MARGIN * threshold

    def unsafe(r: int) -> bool:
        count = mass = 0
        for i in members[r]:
            if hidden[i]:
                count += 1
                mass += values[i]
        return count > 0 and (count < 2 or mass < need)

    def harm(i: int) -> int:
        """How many relations of cell i would turn unsafe if it were hidden."""
        turned = 0
        for r in of_cell[i]:
            if not any(hidden[j] for j in members[r]):
                turned += 1
        return turned

    queue = deque(sorted({r for i, h in enumerate(hidden) if h for r in of_cell[i]}))
    queued = set(queue)
    while queue:
        r = queue.popleft()
        queued.discard(r)
        while unsafe(r):
            candidates = [i for i in members[r] if not hidden[i] and values[i] > 0]
            if not candidates:
                break
            choice = min(candidates, key=lambda i: (values[i], harm(i), i))
            hidden[choice] = 2
            for other in of_cell[choice]:
                if other != r and other not in queued:
                    queued.add(other)
                    queue.append(other)

    reasons = {1: Reason.PRIMARY, 2: Reason.SECONDARY}
    return Protection(
        {key: values[i] for i, key in enumerate(keys)},
        {keys[i]: reasons[h] for i, h in enumerate(hidden) if h},
        threshold,
    )
