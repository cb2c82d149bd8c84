"""What every page of a node shares: its place in the tree and the reader's permissions there,
and showing a service's objections on the form they came from."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from impactlog.core.types import AuthenticatedRequest
from impactlog.tenancy import tree
from impactlog.tenancy.models import Node
from impactlog.tenancy.permissions import perms_at


def node_context(request: AuthenticatedRequest, node: Node, **extra: Any) -> dict[str, Any]:
    """The template context of a node's page: breadcrumbs, tabs and the reader's permissions."""
    return {
        "node": node,
        "breadcrumbs": tree.ancestors(node),
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
