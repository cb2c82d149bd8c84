"""Where the engine's decisions are kept: per network, family of figures and calendar year.

A decision is made by a task (the family's own code gathers the figures and calls `protect`),
kept here per place, and read by every page and download that shows the family's figures to
people without records rights. It is *current* while nothing it rests on has changed since the
task read the records: the services that change records, the tree or the thresholds call
`records_changed` in their own transaction, and while it was made by this version of the engine
(`ENGINE_VERSION`: after an upgrade that changes what it decides, every kept decision is out of
date); a page that finds no current decision asks for one
(`request`) and, until it is made, shows the last decision it has and says so — never figures
protected by a decision that does not match them.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from impactlog.tenancy.models import DisclosedCells, DisclosureChanges, DisclosureDecision, Node
from impactlog.tenancy.scoping import unscoped
from impactlog.tenancy.tree import root_id_of

from .engine import ENGINE_VERSION

#: A task asked for more than this long ago and still not done is asked for again.
REQUEST_AGAIN_AFTER = dt.timedelta(minutes=10)

Cells = Mapping[str, Mapping[str, Any]]  # {period: {position: count or reason}}
#: A family's decision for a network and year: its cells by place, and the thresholds used.
Decide = Callable[[Node, int], tuple[Mapping[int, Cells], Mapping[str, int]]]

logger = logging.getLogger("impactlog.disclosure")


def network_id_of(node: Node) -> int:
    """The primary key of the network (the top of the tree) `node` belongs to."""
    return root_id_of(node)


def records_changed(node: Node) -> None:
    """Every decision of `node`'s network is out of date: call in the transaction that changes
    records, the tree, the roles or the thresholds below it. The network's count of changes
    stays locked until that transaction ends, so a decision cannot be made meanwhile."""
    network_id = network_id_of(node)
    counter = DisclosureChanges.all_objects.filter(network_id=network_id)
    if not counter.update(count=F("count") + 1):
        DisclosureChanges.all_objects.get_or_create(network_id=network_id)
        counter.update(count=F("count") + 1)


@dataclass(frozen=True)
class Disclosed:
    """One place's protected figures under the decision of one year, as a page reads them."""

    year: int
    cells: Cells | None  # None: never decided for this place
    thresholds: Mapping[str, int]
    current: bool
    decided_at: dt.datetime | None


def disclosed(node: Node, family: str, years: Iterable[int]) -> dict[int, Disclosed]:
    """The protected figures of `node` for each of `years` (2 queries)."""
    years = sorted(set(years))
    network_id = network_id_of(node)
    now = DisclosureChanges.objects.filter(network_id=network_id).values("count")[:1]
    decisions = {
        d.year: d
        for d in DisclosureDecision.objects.filter(
            network_id=network_id, family=family, year__in=years
        ).annotate(count_now=Coalesce(Subquery(now), Value(0)))
    }
    cells = {
        row["decision_id"]: row["cells"]
        for row in DisclosedCells.objects.filter(
            node=node, decision_id__in=[d.pk for d in decisions.values()]
        ).values("decision_id", "cells")
    }
    found: dict[int, Disclosed] = {}
    for year in years:
        decision = decisions.get(year)
        if decision is None or decision.decided_at is None:
            found[year] = Disclosed(year, None, {}, False, None)
            continue
        found[year] = Disclosed(
            year,
            cells.get(decision.pk, {}),
            decision.thresholds,
            decision.decided_changes == decision.count_now and decision.engine == ENGINE_VERSION,
            decision.decided_at,
        )
    return found


def request(node: Node, family: str, year: int, enqueue: Callable[[], object]) -> None:
    """Ask for the decision of `node`'s network, `family` and `year` to be made, unless it was
    asked for a moment ago. `enqueue` schedules the family's task."""
    now = timezone.now()
    network_id = network_id_of(node)
    # system code: the decision belongs to the whole network; the caller may read its figures
    decision, _created = DisclosureDecision.all_objects.get_or_create(
        network_id=network_id, family=family, year=year
    )
    asked = DisclosureDecision.all_objects.filter(pk=decision.pk).filter(
        Q(queued_at__isnull=True) | Q(queued_at__lt=now - REQUEST_AGAIN_AFTER)
    )
    if asked.update(queued_at=now):
        # Pages read in autocommit: the mark is stored already, and the task may start at once.
        enqueue()


def claim(network_id: int) -> int:
    """Start deciding: the count of changes the decision will rest on, read with the count
    locked (so a change being made is waited for) before the task reads the records; a change
    made after it leaves the decision out of date, as it then is."""
    with transaction.atomic():
        DisclosureChanges.all_objects.get_or_create(network_id=network_id)
        return (
            DisclosureChanges.all_objects.select_for_update()
            .values_list("count", flat=True)
            .get(network_id=network_id)
        )


def keep(
    network_id: int,
    family: str,
    year: int,
    *,
    changes: int,
    thresholds: Mapping[str, int],
    cells: Mapping[int, Cells],
    seconds: float,
) -> None:
    """Keep a decision made on the records as they were at `changes` (see `claim`); a decision
    made on older records than the one kept is dropped."""
    with transaction.atomic():
        DisclosureDecision.all_objects.get_or_create(
            network_id=network_id, family=family, year=year
        )
        decision = DisclosureDecision.all_objects.select_for_update().get(
            network_id=network_id, family=family, year=year
        )
        if (
            decision.decided_at is not None
            and changes < decision.decided_changes
            and decision.engine == ENGINE_VERSION
        ):
            return
        DisclosedCells.all_objects.filter(decision=decision).delete()
        DisclosedCells.all_objects.bulk_create(
            [DisclosedCells(decision=decision, node_id=pk, cells=c) for pk, c in cells.items()],
            batch_size=500,
        )
        decision.decided_changes = changes
        decision.decided_at = timezone.now()
        decision.thresholds = dict(thresholds)
        decision.seconds = seconds
        decision.queued_at = None
        decision.engine = ENGINE_VERSION
        decision.save(
            update_fields=[
                "decided_changes",
                "decided_at",
                "thresholds",
                "seconds",
                "queued_at",
                "engine",
            ]
        )


def decide_and_keep(network_id: int, family: str, year: int, decide: Decide) -> None:
    """What a family's task does: claim the network's changes, run the family's `decide` for the
    whole network as the system, and keep the decision (nothing when the network is gone)."""
    # system code: a task runs outside any request; it decides for the whole network
    network = Node.all_objects.filter(pk=network_id, parent__isnull=True).first()
    if network is None:
        return
    changes = claim(network_id)
    started = time.perf_counter()
    with unscoped():  # system code: a worker runs this outside any request's scope
        cells, thresholds = decide(network, year)
    seconds = time.perf_counter() - started
    keep(
        network_id,
        family,
        year,
        changes=changes,
        thresholds=thresholds,
        cells=cells,
        seconds=seconds,
    )
    logger.info(
        "disclosure: %s of network %s, %s decided in %.2fs", family, network_id, year, seconds
    )
