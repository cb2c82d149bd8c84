"""What the logbook answers when the tree or the network asks about its data
(see tenancy/holders.py)."""

from __future__ import annotations

from impactlog.logbook.models import Activity, SessionCount
from impactlog.tenancy.models import Node


def has_head_counts(root: Node) -> bool:
    """Whether any session of the network `root` was counted by gender and age band."""
    # asked by a service of the network settings, in the scope of its actor (who edits the
    # network's settings, so reads all of it) or of the system
    return SessionCount.objects.filter(session__node__path__startswith=root.path).exists()


def has_activities(node: Node) -> bool:
    # asked by the structure service about the node it has authorised, in its actor's scope
    return Activity.objects.filter(node=node).exists()
