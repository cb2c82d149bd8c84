"""How many wrong pairing codes one client address may send: a limit on guessing.

A code is eight characters of 32 and lives ten minutes, so guessing one is hopeless already;
the limit keeps it so. Each wrong code leaves a `PairingFailure` row (a keyed hash of the
address); past `KIOSK_PAIRING_FAILURES` in the window the pairing page answers 429 without
trying the code. The rows live in the database, so every web process counts the same, and a try
is counted before its code is tried, so codes sent at once cannot all slip through.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import salted_hmac

from impactlog.kiosk.models import PairingFailure

WINDOW = dt.timedelta(minutes=15)


def _key(client: str) -> str:
    return salted_hmac("impactlog.kiosk.pairing", client, algorithm="sha256").hexdigest()


def take_try(client: str) -> PairingFailure | None:
    """Count this try before its code is tried: None, and nothing kept, when the address has
    used its tries in the window.

    The try is stored first and the tries are counted after, its own included, so of many sent
    at once at most `KIOSK_PAIRING_FAILURES` get through: each counts every try stored before
    its count. A try that was no wrong guess is taken back with `not_a_guess`."""
    now = timezone.now()
    key = _key(client)
    PairingFailure.objects.filter(at__lt=now - WINDOW).delete()
    attempt = PairingFailure.objects.create(client_key=key, at=now)
    tries = PairingFailure.objects.filter(client_key=key, at__gte=now - WINDOW).count()
    if tries > settings.KIOSK_PAIRING_FAILURES:
        attempt.delete()
        return None
    return attempt


def not_a_guess(attempt: PairingFailure) -> None:
    """The code was right, or none was tried (the form was incomplete): the try is not counted."""
    attempt.delete()
