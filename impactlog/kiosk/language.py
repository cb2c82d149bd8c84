"""The kiosk's own language: chosen by the young person at the tablet, kept on the tablet.

The choice lives in the cookie `impactlog_kiosk_language` (path /kiosk/, set by kiosk.js), so
it is neither the staff's language nor the browser's; without one the kiosk speaks the unit's
language.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation

from impactlog.kiosk.models import KioskDevice

COOKIE = "impactlog_kiosk_language"
LANGUAGES = [code for code, _name in settings.LANGUAGES]


def kiosk_language(request: HttpRequest, device: KioskDevice | None) -> str:
    """The language the kiosk speaks: its own choice, else its unit's, else the request's."""
    chosen = request.COOKIES.get(COOKIE, "")
    if chosen in LANGUAGES:
        return chosen
    if device is not None and device.node.language in LANGUAGES:
        return str(device.node.language)
    return translation.get_language() or settings.LANGUAGE_CODE
