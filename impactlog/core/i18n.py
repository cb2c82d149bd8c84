"""Language helpers shared by the language switcher and the per-user preference."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse

ONE_YEAR = 365 * 24 * 3600


def remember_language(response: HttpResponse, language: str) -> None:
    """Remember the chosen interface language in the browser for a year."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=ONE_YEAR,
        samesite="Lax",
        secure=getattr(settings, "LANGUAGE_COOKIE_SECURE", False),
    )
