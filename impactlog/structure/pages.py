"""What every page of a node shares: its place in the tree and the reader's permissions there,
and showing a service's objections on the form they came from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from impactlog.core.types import AuthenticatedRequest
from impactlog.tenancy import tree
from impactlog.tenancy.models import Node
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


def apply_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's validation errors on the form's fields, or above it."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            for item in errors:
                form.add_error(name if name in form.fields else None, item)
    else:
        form.add_error(None, error)
