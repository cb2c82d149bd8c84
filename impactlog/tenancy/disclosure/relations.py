"""Builders for the relations of the figures: a breakdown table, a tree of places, a calendar year.

Keys stay opaque: each builder takes a function that makes the caller's key.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from typing import TypeVar

from .engine import Relation

K = TypeVar("K", bound=Hashable)
R = TypeVar("R")
C = TypeVar("C")


def table(
    key: Callable[[R | None, C | None], K],
    rows: Sequence[R],
    columns: Sequence[C],
    without: Iterable[K] = (),
) -> list[Relation[K]]:
    """A rows × columns grid with its margins: `key(row, None)` is a row total, `key(None, col)` a
    column total, `key(None, None)` the grand total, which also counts the cells in `without`
    (counts recorded without a breakdown)."""
    extra = tuple(without)
    grand = key(None, None)
    relations = [Relation(key(row, None), (key(row, col) for col in columns)) for row in rows]
    relations += [Relation(key(None, col), (key(row, col) for row in rows)) for col in columns]
    relations.append(Relation(grand, (*(key(row, None) for row in rows), *extra)))
    relations.append(Relation(grand, (*(key(None, col) for col in columns), *extra)))
    relations.append(Relation(grand, (*(key(row, col) for row in rows for col in columns), *extra)))
    return relations


def tree(
    key: Callable[[Hashable], K], children: Mapping[Hashable, Sequence[Hashable]]
) -> list[Relation[K]]:
    """A place is the sum of its children, for one and the same figure: `key(node)` is that figure
    at `node`, and `children[node]` lists the places whose figures add up to it."""
    return [
        Relation(key(node), (key(child) for child in kids))
        for node, kids in children.items()
        if kids
    ]


def calendar_year(year: int) -> dict[str, tuple[str, ...]]:
    """The periods offered to people without records rights, each with the periods it adds up:
    "2024" = its halves, "2024-H1" = its quarters, "2024-Q1" = its months, "2024-01" = ()."""
    months = [f"{year}-{month:02d}" for month in range(1, 13)]
    quarters = [f"{year}-Q{q}" for q in range(1, 5)]
    halves = [f"{year}-H{h}" for h in (1, 2)]
    periods: dict[str, tuple[str, ...]] = {str(year): tuple(halves)}
    for h, half in enumerate(halves):
        periods[half] = tuple(quarters[2 * h : 2 * h + 2])
    for q, quarter in enumerate(quarters):
        periods[quarter] = tuple(months[3 * q : 3 * q + 3])
    periods.update((month, ()) for month in months)
    return periods


#: The column and row of the count recorded without a breakdown, in `linked_tables` keys.
WITHOUT = "without"

Key = tuple[Hashable, str, Hashable, Hashable]


def linked_tables(
    monthly: Mapping[tuple[Hashable, int], Mapping[tuple[Hashable, Hashable], int]],
    children: Mapping[Hashable, Sequence[Hashable]],
    year: int,
    rows: Sequence[Hashable],
    columns: Sequence[Hashable],
) -> tuple[dict[Key, int], list[Relation[Key]]]:
    """Every table one measure gives for a tree of places and a calendar year, linked.

    `monthly[(place, month)]` holds the counts recorded at a place (a leaf of `children`) in month
    1..12, keyed by (row, column) with (WITHOUT, WITHOUT) for the count without a breakdown; absent
    counts are zero. Returns the cells, keyed (place, period, row, column) with None for a margin,
    and the relations: each table's margins, each place as the sum of its children, each period as
    the sum of its parts.
    """
    periods = calendar_year(year)
    months = [period for period, parts in periods.items() if not parts]
    grid = [(row, col) for row in rows for col in columns]
    positions = [*grid, *((row, None) for row in rows), *((None, col) for col in columns)]
    positions += [(None, None), (WITHOUT, WITHOUT)]
    nodes = set(children) | {kid for kids in children.values() for kid in kids}
    leaves = sorted((node for node in nodes if not children.get(node)), key=repr)
    cells: dict[Key, int] = {}
    for leaf in leaves:
        for number, month in enumerate(months, start=1):
            counts = monthly.get((leaf, number), {})
            for row, col in [*grid, (WITHOUT, WITHOUT)]:
                cells[(leaf, month, row, col)] = counts.get((row, col), 0)
            for row in rows:
                cells[(leaf, month, row, None)] = sum(counts.get((row, c), 0) for c in columns)
            for col in columns:
                cells[(leaf, month, None, col)] = sum(counts.get((r, col), 0) for r in rows)
            cells[(leaf, month, None, None)] = sum(counts.values())

    def add_up(node: Hashable, period: str) -> None:
        """Fill the cells of (node, period) from its parts, deepest first."""
        if (node, period, None, None) in cells_done:
            return
        parts: list[tuple[Hashable, str]]
        if periods[period]:
            parts = [(node, part) for part in periods[period]]
        else:
            parts = [(kid, period) for kid in children.get(node, ())]
        for part in parts:
            add_up(*part)
        if parts:
            for pos in positions:
                cells[(node, period, *pos)] = sum(cells[(*part, *pos)] for part in parts)
        cells_done.add((node, period, None, None))

    cells_done: set[tuple[Hashable, str, None, None]] = set()
    for node in sorted(nodes, key=repr):
        for period in periods:
            add_up(node, period)

    relations: list[Relation[Key]] = []
    for node in sorted(nodes, key=repr):
        for period, parts in periods.items():

            def key(row: Hashable, col: Hashable, n: Hashable = node, p: str = period) -> Key:
                return (n, p, row, col)

            relations += table(
                key,
                rows,
                columns,
                without=[(node, period, WITHOUT, WITHOUT)],
            )
            for pos in positions:
                if parts:
                    relations.append(
                        Relation((node, period, *pos), ((node, q, *pos) for q in parts))
                    )
                if children.get(node):
                    relations.append(
                        Relation(
                            (node, period, *pos), ((kid, period, *pos) for kid in children[node])
                        )
                    )
    return cells, relations


LinkedKey = tuple[Hashable, str, Hashable]


def linked(
    monthly: Mapping[tuple[Hashable, int], Mapping[Hashable, int]],
    positions: Sequence[Hashable],
    local: Sequence[Relation[Hashable]],
    children: Mapping[Hashable, Sequence[Hashable]],
    year: int,
) -> tuple[dict[LinkedKey, int], list[Relation[LinkedKey]]]:
    """Every table of some figures for a tree of places and a calendar year, linked.

    `positions` name the figures of one place and period (a breakdown's cells, its margins, its
    grand total, a split by mode...), `local` the relations among them that hold in every table
    ("the grand total is the sum of the modes"). `monthly[(leaf, month)][position]` is what a
    leaf of `children` (a place with no children) recorded in month 1..12; absent counts are
    zero, and a place's figures are the sum of its children's, so records of a place that also
    has children belong in a leaf of their own. Returns the cells, keyed (place, period,
    position) with the periods of `calendar_year`, and the relations: each table's `local`
    ones, each place as the sum of its children, each period as the sum of its parts.
    """
    periods = calendar_year(year)
    months = [period for period, parts in periods.items() if not parts]
    nodes = sorted(set(children) | {kid for kids in children.values() for kid in kids}, key=repr)
    cells: dict[LinkedKey, int] = {}

    def fill(node: Hashable) -> None:
        kids = children.get(node, ())
        for kid in kids:
            if (kid, str(year), positions[0]) not in cells:
                fill(kid)
        for number, month in enumerate(months, start=1):
            if kids:
                for pos in positions:
                    cells[(node, month, pos)] = sum(cells[(kid, month, pos)] for kid in kids)
            else:
                counts = monthly.get((node, number), {})
                for pos in positions:
                    cells[(node, month, pos)] = counts.get(pos, 0)
        # Longer periods from their parts: the calendar lists the year first, months last.
        for period, parts in reversed(list(periods.items())):
            if parts:
                for pos in positions:
                    cells[(node, period, pos)] = sum(cells[(node, part, pos)] for part in parts)

    for node in nodes:
        if (node, str(year), positions[0]) not in cells:
            fill(node)

    relations: list[Relation[LinkedKey]] = []
    for node in nodes:
        kids = children.get(node, ())
        for period, parts in periods.items():
            relations += [
                Relation((node, period, rel.total), ((node, period, t) for t in rel.terms))
                for rel in local
            ]
            for pos in positions:
                if parts:
                    relations.append(
                        Relation((node, period, pos), ((node, part, pos) for part in parts))
                    )
                if kids:
                    relations.append(
                        Relation((node, period, pos), ((kid, period, pos) for kid in kids))
                    )
    return cells, relations
