"""The kiosk's own language: chosen by the young person at the tablet, kept on the tablet.

The choice lives in the cookie `impactlog_kiosk_language` (path /kiosk/, set by kiosk.js), so
it is neither the staff's language nor the browser's; without one the kiosk speaks the unit's
language. kiosk.js also sends the language its page shows with each check-in (the header
`X-Kiosk-Language`), so that the answer needs no second read of the device to know it.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation

from impactlog.kiosk.models import KioskDevice

COOKIE = "impactlog_kiosk_language"
HEADER = "X-Kiosk-Language"
LANGUAGES = [code for code, _name in settings.LANGUAGES]


def shown_language(request: HttpRequest) -> str:
    """The language the kiosk's page shows, when the request says it ("" when not)."""
    for given in (request.headers.get(HEADER, ""), request.COOKIES.get(COOKIE, "")):
        if given in LANGUAGES:
            return given
    return ""


def kiosk_language(request: HttpRequest, device: KioskDevice | None) -> str:
    """The language the kiosk speaks: its page's or its own choice, else its unit's, else the
    request's."""
    chosen = shown_language(request)
    if chosen:
        return chosen
    if device is not None and device.node.language in LANGUAGES:
        return str(device.node.language)
    return translation.get_language() or settings.LANGUAGE_CODE
