"""Disclosure control: one engine that keeps small counts from pointing at a young person.

See engine.py for the model and the algorithm, docs/privacy.md for the rules in plain words.
"""

from .engine import ENGINE_VERSION, MARGIN, Cell, Protection, Reason, Relation, protect
from .relations import WITHOUT, calendar_year, linked, linked_tables, table, tree

__all__ = [
    "ENGINE_VERSION",
    "MARGIN",
    "WITHOUT",
    "Cell",
    "Protection",
    "Reason",
    "Relation",
    "calendar_year",
    "linked",
    "linked_tables",
    "protect",
    "table",
    "tree",
]
