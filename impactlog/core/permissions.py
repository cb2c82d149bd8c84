"""The one permission layer. Views, the API and exports ask here, nowhere else.

Two questions are answered:
- `has_perm(user, perm, node)`: may this user do this at that node?
- `nodes_where(user, perm)`: which nodes may this user do this at?

A role held on a node is inherited by its whole subtree.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from impactlog.core.scoping import path_filter

if TYPE_CHECKING:
    from impactlog.structure.models import Membership, Node


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    COORDINATOR = "coordinator", _("Coordinator")
    MANAGER = "manager", _("Manager")
    WORKER = "worker", _("Youth worker")
    VIEWER = "viewer", _("Viewer")


class Perm(StrEnum):
    VIEW_NODE = "node.view"
    MANAGE_STRUCTURE = "structure.manage"
    VIEW_MEMBERS = "members.view"
    MANAGE_MEMBERS = "members.manage"
    VIEW_AUDIT = "audit.view"
    VIEW_REPORTS = "reports.view"
    VIEW_RECORDS = "records.view"
    EDIT_RECORDS = "records.edit"
    VIEW_PERSONAL = "personal.view"
    EDIT_DEFINITIONS = "definitions.edit"
    MANAGE_REFLECTION = "reflection.manage"


ROLE_PERMS: dict[str, frozenset[Perm]] = {
    # Structure, people and settings of the subtree; no young people's records.
    Role.ADMIN: frozenset(
        {
            Perm.VIEW_NODE,
            Perm.MANAGE_STRUCTURE,
            Perm.VIEW_MEMBERS,
            Perm.MANAGE_MEMBERS,
            Perm.VIEW_AUDIT,
            Perm.VIEW_REPORTS,
            Perm.EDIT_DEFINITIONS,
            Perm.MANAGE_REFLECTION,
        }
    ),
    # Aggregated figures and reports of the subtree; no personal data.
    # Also the network's shared definitions, when held at the top of the tree.
    Role.COORDINATOR: frozenset(
        {Perm.VIEW_NODE, Perm.VIEW_MEMBERS, Perm.VIEW_REPORTS, Perm.EDIT_DEFINITIONS}
    ),
    # Everything in the subtree's units.
    Role.MANAGER: frozenset(
        {
            Perm.VIEW_NODE,
            Perm.VIEW_MEMBERS,
            Perm.VIEW_REPORTS,
            Perm.VIEW_RECORDS,
            Perm.EDIT_RECORDS,
            Perm.VIEW_PERSONAL,
            Perm.MANAGE_REFLECTION,
        }
    ),
    # Records and participants of their units.
    Role.WORKER: frozenset(
        {
            Perm.VIEW_NODE,
            Perm.VIEW_REPORTS,
            Perm.VIEW_RECORDS,
            Perm.EDIT_RECORDS,
            Perm.VIEW_PERSONAL,
        }
    ),
    # Reports only: a funder or a council.
    Role.VIEWER: frozenset({Perm.VIEW_NODE, Perm.VIEW_REPORTS}),
}

_CACHE_ATTR = "_impactlog_memberships"


def memberships_of(user: Any) -> list[Membership]:
    """The user's memberships with their nodes, loaded once per request."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached: list[Membership] | None = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        from impactlog.structure.models import Membership

        cached = list(
            Membership.all_objects.filter(user=user).select_related("node").order_by("node__path")
        )
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_memberships(user: Any) -> None:
    """Drop the per-request cache after memberships changed."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def scope_paths(user: Any) -> list[str]:
    """The roots of every subtree the user holds any role in."""
    return [m.node.path for m in memberships_of(user)]


def roles_at(user: Any, node: Node) -> set[str]:
    """Every role the user holds at `node`, directly or inherited from above."""
    return {m.role for m in memberships_of(user) if node.path.startswith(m.node.path)}


def perms_at(user: Any, node: Node) -> frozenset[Perm]:
    granted: set[Perm] = set()
    for role in roles_at(user, node):
        granted |= ROLE_PERMS[role]
    return frozenset(granted)


def has_perm(user: Any, perm: Perm, node: Node) -> bool:
    return perm in perms_at(user, node)


def can_see(user: Any, node: Node) -> bool:
    """Whether the node exists for this user at all; if not, it answers 404."""
    return bool(roles_at(user, node))


def nodes_where(user: Any, perm: Perm) -> models.QuerySet[Node]:
    """Every node at which the user holds `perm`."""
    from impactlog.structure.models import Node

    paths = [m.node.path for m in memberships_of(user) if perm in ROLE_PERMS[m.role]]
    return Node.all_objects.filter(path_filter("path", paths))


def node_for(user: Any, pk: int, perm: Perm) -> Node:
    """The node `pk` if the user may `perm` there.

    A node outside the user's subtrees answers 404 (no existence oracle); a node the user can
    see but not act on raises PermissionDenied (403).
    """
    from django.core.exceptions import PermissionDenied

    from impactlog.structure.models import Node

    node = Node.all_objects.filter(pk=pk).first()
    if node is None or not can_see(user, node):
        raise Http404
    if not has_perm(user, perm, node):
        raise PermissionDenied
    return node
