"""Cells some reader knows exactly (a worker's own unit, seen by her also as a viewer above it):
the engine protects the other places' hidden cells from a reader who knows them, and still
protects the known cells' small counts from everyone else. The attacker is the one of
test_disclosure_engine.py, told those cells."""

from __future__ import annotations

import pytest

from impactlog.tenancy.disclosure import Protection, Reason, protect

from .test_disclosure_engine import intervals, municipality, pinned_by_labels

pytestmark = pytest.mark.pure


@pytest.mark.parametrize(("seed", "units"), [(4, 2)])
def test_a_reader_who_knows_one_unit_learns_no_hidden_count_of_the_others(
    seed: int, units: int
) -> None:
    cells, relations = municipality(seed, units)
    known = {key for key in cells if key[0] == "unit-0"}
    # what this reader knows of the municipality comes from unit-0: only the others are guarded
    guarded = {key for key in cells if key[0] not in ("unit-0", "muni")}
    protection = protect(cells, relations, 5, known=known, guarded=guarded)
    # what this reader sees: everything shown, and unit-0 exactly
    informed = Protection(cells, {k: r for k, r in protection.hidden.items() if k not in known}, 5)
    narrow = {
        key: span
        for key, span in intervals(cells, relations, informed).items()
        if key in guarded and span[1] - span[0] < 5 - 1e-6
    }
    assert narrow == {}
    # A reader of the labels who knows unit-0 pins nothing either: where the municipality's
    # "fewer than 5" and unit-0's own count would pin the other unit's (4 of "fewer than 5" leaves
    # the other unit 0), no hiding helps, and the labels around it read "not shown".
    pinned = pinned_by_labels(cells, relations, informed)
    assert {key for key in pinned if key in guarded} == set()
    assert protection.narrowed == {}
    assert Reason.WITHHELD in set(protection.hidden.values())
    # and a reader who knows only what is shown learns nothing of unit-0's small counts either
    plain = {
        key: span
        for key, span in intervals(cells, relations, protection).items()
        if key in known and span[1] - span[0] < 5 - 1e-6
    }
    assert plain == {}


def test_without_knowing_what_a_reader_knows_the_engine_would_give_it_away() -> None:
    """The same reader against a decision made without `known`: some hidden count is narrowed."""
    cells, relations = municipality(4, 2)
    known = {key for key in cells if key[0] == "unit-0"}
    protection = protect(cells, relations, 5)
    informed = Protection(cells, {k: r for k, r in protection.hidden.items() if k not in known}, 5)
    spans = intervals(cells, relations, informed)
    others = [span for key, span in spans.items() if key[0] not in ("unit-0", "muni")]
    assert any(high - low < 5 - 1e-6 for low, high in others)
