"""How many wrong pairing codes one client address may send: a limit on guessing.

A code is eight characters of 32 and lives ten minutes, so guessing one is hopeless already;
the limit keeps it so. Each wrong code leaves a `PairingFailure` row (a keyed hash of the
address); past `KIOSK_PAIRING_FAILURES` in `KIOSK_PAIRING_WINDOW` the pairing page answers 429
without trying the code. The rows live in the database, so every web process counts the same.
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


def allowed(client: str) -> bool:
    since = timezone.now() - WINDOW
    failures = PairingFailure.objects.filter(client_key=_key(client), at__gte=since).count()
    return bool(failures < settings.KIOSK_PAIRING_FAILURES)


def failed(client: str) -> None:
    """Count one wrong code, and forget those older than the window."""
    now = timezone.now()
    PairingFailure.objects.filter(at__lt=now - WINDOW).delete()
    PairingFailure.objects.create(client_key=_key(client), at=now)
