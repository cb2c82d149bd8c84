"""The address a request came from, as lockout counts it."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The client's address. Behind `IMPACTLOG_PROXY_COUNT` trusted reverse proxies it is the
    entry of X-Forwarded-For that the outermost of them added; entries further left are the
    client's own claims and are not trusted."""
    remote = str(request.META.get("REMOTE_ADDR", ""))
    count: int = settings.IMPACTLOG_PROXY_COUNT
    if count <= 0:
        return remote
    header = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    hops = [hop.strip() for hop in header.split(",") if hop.strip()]
    return hops[-count] if len(hops) >= count else remote
