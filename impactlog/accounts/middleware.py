from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation

from impactlog.accounts.twofactor import two_factor_required
from impactlog.core.i18n import remember_language

Handler = Callable[[HttpRequest], HttpResponse]


class UserLanguageMiddleware:
    """A signed-in user's chosen language beats the browser's; the cookie follows the choice."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        chosen = getattr(user, "language", "") if user and user.is_authenticated else ""
        if chosen:
            translation.activate(chosen)
            request.LANGUAGE_CODE = chosen
        response = self.get_response(request)
        if chosen:
            response.headers.setdefault("Content-Language", chosen)
            if request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != chosen:
                remember_language(response, chosen)
        return response


class RequireTwoFactorMiddleware:
    """Where a node in the user's tree requires two-factor sign-in, an unverified session may
    only set up a second factor or sign out."""

    ALLOWED_PREFIXES = ("/accounts/", "/static/", "/healthz", "/i18n/")

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(self.ALLOWED_PREFIXES)
            and not user.is_verified()
            and two_factor_required(user)
        ):
            return redirect(reverse("accounts:twofactor_setup") + "?required=1")
        return self.get_response(request)
