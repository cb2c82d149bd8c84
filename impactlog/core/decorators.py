"""Declaring on a view which permission it needs at which node."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponseBase
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from impactlog.core.permissions import Perm, node_for

View = Callable[..., HttpResponseBase]


def node_permission(perm: Perm) -> Callable[[View], View]:
    """Resolve the `pk` URL argument to a node the user may `perm` at.

    The view receives the node instead of the pk. Outside the user's tree: 404; inside but
    without the permission: 403.
    """

    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, pk: int, *args: Any, **kwargs: Any) -> HttpResponseBase:
            node = node_for(request.user, pk, perm)
            with timezone.override(node.time_zone):  # times shown in the place's own zone
                return view(request, node, *args, **kwargs)

        wrapped.required_perm = perm  # type: ignore[attr-defined]
        return wrapped

    return decorator


# A page with a form: shown on GET (and HEAD), submitted by POST.
form_view = require_http_methods(["GET", "HEAD", "POST"])
