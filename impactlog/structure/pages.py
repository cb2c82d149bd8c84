"""What every page of a node shares: its place in the tree and the reader's permissions there,
and showing a service's objections on the form they came from."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404

from impactlog.core.types import AuthenticatedRequest
from impactlog.tenancy import tree
from impactlog.tenancy.models import Node, NodeKind
from impactlog.tenancy.permissions import has_perm, perms_at
from impactlog.tenancy.roles import Perm


@dataclass(frozen=True)
class Crumb:
    """A place above the page's node, and whether the reader may open its page."""

    pk: int
    name: str
    openable: bool


def crumbs(user: Any, node: Node) -> list[Crumb]:
    """The places above `node`, from the top down; only those the reader may open are links.

    A node's page needs VIEW_NODE there (`structure.views.node_home`); a place above the
    reader's own memberships answers 404, so it is named but not linked. Her memberships are
    loaded once per request: this asks no query beyond the one for the ancestors.
    """
    return [
        Crumb(pk=n.pk, name=n.name, openable=has_perm(user, Perm.VIEW_NODE, n))
        for n in tree.ancestors(node)
    ]


def node_context(request: AuthenticatedRequest, node: Node, **extra: Any) -> dict[str, Any]:
    """The template context of a node's page: breadcrumbs, tabs and the reader's permissions."""
    return {
        "node": node,
        "breadcrumbs": crumbs(request.user, node),
        "perms": {p.name for p in perms_at(request.user, node)},
        **extra,
    }


# What apps built on the tree add to a place's home page (the logbook: the work of the day).
# Each part is `part(request, node, children) -> dict` with a "template" to include and its
# context; registered in the app's `AppConfig.ready`, since this app must not import them.
HomePart = Callable[[AuthenticatedRequest, Node, list[Node]], dict[str, Any]]
_home_parts: list[HomePart] = []


def register_home_part(part: HomePart) -> None:
    if part not in _home_parts:
        _home_parts.append(part)


def home_parts(request: AuthenticatedRequest, node: Node, children: list[Node]) -> list[Any]:
    return [part(request, node, children) for part in _home_parts]


def apply_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's validation errors on the form's fields, or above it."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            for item in errors:
                form.add_error(name if name in form.fields else None, item)
    else:
        form.add_error(None, error)


def unit_or_404(node: Node) -> Node:
    """Pages of what is recorded at a unit (sessions, young people) exist only at a unit."""
    if node.kind != NodeKind.UNIT:
        raise Http404
    return node
