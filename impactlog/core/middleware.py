from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

Handler = Callable[[HttpRequest], HttpResponse]


class PrivatePagesMiddleware:
    """Pages with records or personal data are never kept by a browser or a proxy: every
    response to a signed-in person, and every account page (sign-in, password reset,
    invitations) for anyone, says `Cache-Control: private, no-store`, unless the view chose
    its own caching. Static files are served before this runs; the health check is left alone
    for load balancers."""

    ACCOUNT_PREFIX = "/accounts/"
    UNTOUCHED = ("/healthz", "/static/")

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(self.UNTOUCHED):
            return self.get_response(request)
        # Read before the view: signing out makes the request anonymous on the way back.
        signed_in = request.user.is_authenticated
        response = self.get_response(request)
        if "Cache-Control" in response.headers:
            return response
        if (
            signed_in
            or request.user.is_authenticated
            or request.path.startswith(self.ACCOUNT_PREFIX)
        ):
            response.headers["Cache-Control"] = "private, no-store"
        return response
