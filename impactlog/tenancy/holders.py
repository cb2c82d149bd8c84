"""Questions the tree and the network ask about data that other apps keep in them.

The tenancy layer and the network settings must not import the apps built on them; those apps
answer instead, by registering a check when they start (in their `AppConfig.ready`):

- `counts_in_bands`: has anyone counted people in this network's age bands? Then the bands are
  fixed, so that the network's figures stay comparable (the logbook's head-counts today; the
  registry of young people and the surveys later).
- `holds_records`: does a place keep records that belong to a unit (activities, sessions)? Then
  it must stay a unit.
"""

from __future__ import annotations

from collections.abc import Callable

from impactlog.tenancy.models import Node

Check = Callable[[Node], bool]

_counts_in_bands: list[Check] = []
_records: list[Check] = []


def register_band_counter(check: Check) -> None:
    """`check(root)` answers whether the network `root` has counted anyone in its bands."""
    if check not in _counts_in_bands:
        _counts_in_bands.append(check)


def register_record_holder(check: Check) -> None:
    """`check(node)` answers whether `node` itself keeps records of a unit."""
    if check not in _records:
        _records.append(check)


def counts_in_bands(root: Node) -> bool:
    return any(check(root) for check in _counts_in_bands)


def holds_records(node: Node) -> bool:
    return any(check(node) for check in _records)
