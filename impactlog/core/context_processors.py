from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from impactlog.tenancy.permissions import memberships_of


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The places the user can switch between, built from their memberships."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_memberships": []}
    return {"nav_memberships": [m for m in memberships_of(user) if not m.node.is_archived]}
