"""Declaring on a view which permission it needs at the node in its URL."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponseBase
from django.utils import timezone

from impactlog.tenancy.models import Node
from impactlog.tenancy.permissions import resolve
from impactlog.tenancy.roles import Perm

View = Callable[..., HttpResponseBase]


def node_permission(perm: Perm) -> Callable[[View], View]:
    """Resolve the `pk` URL argument to a node the user may `perm` at.

    The view receives the node instead of the pk. Outside the user's tree: 404; inside but
    without the permission: 403. A network-level permission is checked at the top of the
    node's tree. The permission is kept on the view as `required_perm` so that the permission
    matrix can check the declaration. Objects the view then changes are authorised again by
    the service that changes them.
    """

    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, pk: int, *args: Any, **kwargs: Any) -> HttpResponseBase:
            node = resolve(request.user, Node, pk, perm)
            with timezone.override(node.time_zone):  # times shown in the place's own zone
                return view(request, node, *args, **kwargs)

        wrapped.required_perm = perm  # type: ignore[attr-defined]
        return wrapped

    return decorator
