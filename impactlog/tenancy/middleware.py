from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from impactlog.tenancy.permissions import scope_paths
from impactlog.tenancy.scoping import scope


class TenantScopeMiddleware:
    """Every request reads tenant data only within the subtrees of the user's memberships."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with scope(scope_paths(request.user)):
            return self.get_response(request)
