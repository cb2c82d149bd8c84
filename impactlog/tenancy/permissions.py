"""The one permission layer. Views, services, exports, tasks and the API ask here, nowhere else.

- `authorize(actor, perm, obj)`: may this actor do this to that object? Raises
  `PermissionDenied` if not. Works for any tenant object (a node, a session, a definition…):
  the object's owner is read from its model's declaration, and the permission is checked at
  the level it declares (the owner node, or the top of the owner's tree).
- `resolve(actor, Model, pk, perm)`: the object, or 404 when it lies outside the actor's tree
  (no existence oracle), or 403 when the actor sees it but lacks the permission.
- `has_perm(user, perm, node)` and `nodes_where(user, perm)` for pages that ask about a place.

A role held on a node is inherited by its whole subtree. An actor of `None` is the system
itself (set-up commands, the demo, tasks acting on behalf of the system).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any, TypeVar, cast

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.http import Http404

from impactlog.tenancy.models import Membership, Node, TenantModel
from impactlog.tenancy.roles import ROLE_PERMS, Level, Perm, level_of
from impactlog.tenancy.scoping import path_filter, scope, unscoped
from impactlog.tenancy.tree import root_of

logger = logging.getLogger("impactlog.permissions")

T = TypeVar("T", bound=TenantModel)

_CACHE_ATTR = "_impactlog_memberships"


def memberships_of(user: Any) -> list[Membership]:
    """The user's memberships with their nodes, loaded once per request."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached: list[Membership] | None = getattr(user, _CACHE_ATTR, None)
    if cached is None:
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
        granted |= ROLE_PERMS.get(role, frozenset())
    return frozenset(granted)


def has_perm(user: Any, perm: Perm, node: Node) -> bool:
    """May `user` do `perm` at `node`? Network-level permissions are asked at the top."""
    return perm in perms_at(user, _checked_at(perm, node))


def can_see(user: Any, node: Node) -> bool:
    """Whether the node exists for this user at all; if not, it answers 404."""
    return bool(roles_at(user, node))


def is_member_of_tree(user: Any, root: Node) -> bool:
    """Whether the user holds any role anywhere in `root`'s tree."""
    return any(m.node.path.startswith(root.path) for m in memberships_of(user))


def nodes_where(user: Any, perm: Perm) -> models.QuerySet[Node]:
    """Every node at which the user holds `perm`."""
    paths = [m.node.path for m in memberships_of(user) if perm in ROLE_PERMS.get(m.role, ())]
    return Node.all_objects.filter(path_filter("path", paths))


def _checked_at(perm: Perm, node: Node) -> Node:
    """The node a permission is checked at: the node itself, or the top of its tree."""
    if level_of(perm) is Level.NETWORK and node.parent_id is not None:
        return root_of(node)
    return node


def _visible(actor: Any, obj: TenantModel) -> bool:
    """Whether `obj` exists for the actor: it lies in their subtrees, or it is shared by a
    node above them."""
    owner = obj.owner_node()
    if can_see(actor, owner):
        return True
    if obj.tenant_published is not None:
        with acting_as(actor):  # the scope's own rule, asked of this one row
            return type(obj).objects.filter(pk=obj.pk).exists()
    return obj.tenant_shared and any(
        m.node.path.startswith(owner.path) for m in memberships_of(actor)
    )


def authorize(actor: Any, perm: Perm, obj: TenantModel) -> None:
    """Raise PermissionDenied unless `actor` may `perm` on `obj`. `actor` None is the system."""
    if actor is None:
        return
    shared = obj.tenant_shared or obj.tenant_published is not None
    if perm is Perm.VIEW_NODE and shared and _visible(actor, obj):
        return  # what a network shares or publishes is read by every member below it
    if not has_perm(actor, perm, obj.owner_node()):
        logger.info(
            "refused %s on %s %s to user %s",
            perm.value,
            obj._meta.label_lower,
            obj.pk,
            getattr(actor, "pk", None),
        )
        raise PermissionDenied


def resolve(actor: Any, model: type[T], pk: Any, perm: Perm) -> T:
    """The `model` row `pk` if `actor` may `perm` on it; 404 outside their tree, else 403."""
    queryset = model.all_objects.all()
    if model.tenant_owner:
        queryset = queryset.select_related(model.tenant_owner)
    try:
        obj = queryset.filter(pk=int(pk)).first()
    except (TypeError, ValueError, OverflowError):
        obj = None
    if obj is None or not _visible(actor, obj):
        raise Http404
    authorize(actor, perm, obj)
    return obj


@contextmanager
def acting_as(actor: Any) -> Iterator[None]:
    """Read tenant data as `actor` may: the subtrees of their memberships (all rows for the
    system, `None`)."""
    if actor is None:
        with unscoped():
            yield
    else:
        with scope(scope_paths(actor)):
            yield


F = TypeVar("F", bound=Callable[..., Any])


def service(func: F) -> F:
    """A state change: it runs in one transaction and reads in the scope of its actor (the
    first argument), so a forgotten filter inside it cannot reach another organisation.

    The function still authorises the object it changes with `authorize`.
    """

    @wraps(func)
    def wrapped(actor: Any, *args: Any, **kwargs: Any) -> Any:
        with acting_as(actor), transaction.atomic():
            return func(actor, *args, **kwargs)

    return cast(F, wrapped)
